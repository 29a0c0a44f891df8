from django.urls import path

from . import views

app_name = "deskreports"
URL_PREFIX = "servicedesk-rapporter/"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:key>/", views.report, name="report"),
    path("<slug:key>/<slug:table>.<str:fmt>", views.export, name="export"),
]
