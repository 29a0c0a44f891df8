from django.urls import path

from . import views

app_name = "portfolio"
URL_PREFIX = "portfolj/"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("export.<str:fmt>", views.initiative_export, name="export"),
    path("nytt/", views.initiative_create, name="create"),
    path("<int:pk>/", views.initiative_detail, name="detail"),
    path("<int:pk>/andra/", views.initiative_edit, name="edit"),
    path("<int:pk>/lage/", views.initiative_transition, name="transition"),
    path("<int:pk>/delmal/", views.milestone_add, name="milestone_add"),
    path("<int:pk>/status/", views.status_report, name="status"),
    path("<int:pk>/nyttor/ny/", views.benefit_add, name="benefit_add"),
    path("<int:pk>/fond/<str:kind>/", views.funding, name="funding"),
    path("delmal/<int:pk>/", views.milestone_edit, name="milestone_edit"),
    path("nyttor/", views.benefit_list, name="benefits"),
    path("nyttor/export.<str:fmt>", views.benefit_export, name="benefit_export"),
    path("nyttor/<int:pk>/", views.benefit_edit, name="benefit_edit"),
    path("kriterier/", views.criteria, name="criteria"),
    path("oversikt/", views.overview, name="overview"),
    path("rapport/", views.report, name="report"),
    path("rapport/export.xlsx", views.report_export, name="report_export"),
]
