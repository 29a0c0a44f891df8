from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("granskning/", views.audit_list, name="audit_list"),
]
