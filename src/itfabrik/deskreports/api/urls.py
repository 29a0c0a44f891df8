from django.urls import path

from . import views

urlpatterns = [
    path("deskreports/sla/", views.SlaReportView.as_view(), name="deskreports-sla"),
    path("deskreports/backlog/", views.BacklogReportView.as_view(), name="deskreports-backlog"),
    path("deskreports/fcr/", views.FcrReportView.as_view(), name="deskreports-fcr"),
    path("deskreports/volume/", views.VolumeReportView.as_view(), name="deskreports-volume"),
    path(
        "deskreports/deflection/",
        views.DeflectionReportView.as_view(),
        name="deskreports-deflection",
    ),
    path(
        "deskreports/training/",
        views.TrainingReportView.as_view(),
        name="deskreports-training",
    ),
    path(
        "deskreports/satisfaction/",
        views.SatisfactionReportView.as_view(),
        name="deskreports-satisfaction",
    ),
]
