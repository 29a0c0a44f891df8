from django.urls import path

from . import views

app_name = "accessibility"
URL_PREFIX = "tillganglighet/"
urlpatterns = [
    path("", views.report, name="report"),
]
