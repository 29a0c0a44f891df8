from django.urls import path

from . import views

app_name = "satisfaction"
URL_PREFIX = "nojdhet/"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("arenden/<int:pk>/", views.rate, name="rate"),
    path("arenden/<int:pk>/kommentar/", views.comment, name="comment"),
    path("lank/<str:token>/", views.link, name="link"),
    path("rapport/", views.report, name="report"),
    path(
        "rapport/<str:dimension>.<str:fmt>",
        views.report_export,
        name="report_export",
    ),
    path("larm/", views.alerts, name="alerts"),
    path("larm/<int:pk>/kvittera/", views.alert_acknowledge, name="alert_acknowledge"),
]
