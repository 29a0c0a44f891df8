from django.urls import path

from . import views

app_name = "assets"
URL_PREFIX = "enheter/"
urlpatterns = [
    path("", views.device_list, name="devices"),
    path("ny/", views.device_create, name="device_create"),
    path("<int:pk>/", views.device_card, name="device"),
    path("<int:pk>/andra/", views.device_edit, name="device_edit"),
    path("<int:pk>/steg/", views.device_transition, name="device_transition"),
    path("<int:pk>/undantag/", views.exception_grant, name="exception_grant"),
    path("undantag/<int:pk>/aterkalla/", views.exception_withdraw, name="exception_withdraw"),
    path("efterlevnad/", views.compliance, name="compliance"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("leasing/", views.lease_list, name="leases"),
    path("leasing/<int:pk>/", views.lease_detail, name="lease"),
    path("modeller/", views.model_list, name="models"),
    path("modeller/<int:pk>/", views.model_edit, name="model_edit"),
    path("planering/", views.planning, name="planning"),
    path("debitering/", views.charging, name="charging"),
    path("debitering/<int:pk>/ta-bort/", views.charging_remove, name="charging_remove"),
    path("mina/", views.my_devices, name="mine"),
]
