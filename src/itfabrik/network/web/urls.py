from django.urls import path

from . import views

app_name = "network"
URL_PREFIX = "natverk/"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kommun/<int:pk>/", views.municipality_report, name="municipality"),
    path("enheter/", views.devices, name="devices"),
    path("enheter/export.csv", views.devices_export, name="devices_export"),
    path("enheter/ny/", views.device_new, name="device_new"),
    path("enheter/<int:pk>/", views.device_edit, name="device_edit"),
    path("vlan/", views.vlans, name="vlans"),
    path("vlan/export.csv", views.vlans_export, name="vlans_export"),
    path("platser/", views.sites, name="sites"),
    path("import/", views.import_csv, name="import"),
    path("standard/", views.standard, name="standard"),
]
