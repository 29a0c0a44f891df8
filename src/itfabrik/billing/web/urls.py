from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("fakturering/", views.overview, name="overview"),
    path("fakturering/kommun/<int:pk>/", views.municipality, name="municipality"),
    path("fakturering/underlag/<int:pk>/", views.invoice_detail, name="invoice_detail"),
    path(
        "fakturering/underlag/<int:pk>/export/<str:fmt>/",
        views.invoice_export,
        name="invoice_export",
    ),
    path("fakturering/korningar/", views.runs, name="runs"),
    path("fakturering/korningar/<int:pk>/", views.run_detail, name="run_detail"),
    path("fakturering/simulering/", views.simulation, name="simulation"),
]
