from django.urls import path

from . import manage, views

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
    path("fakturering/pooler/", manage.pools, name="pools"),
    path("fakturering/pooler/<int:pk>/", manage.pool_detail, name="pool_detail"),
    path("fakturering/pooler/<int:pk>/andra/", manage.pool_edit, name="pool_edit"),
    path("fakturering/pooler/<int:pk>/stang/", manage.pool_close, name="pool_close"),
    path("fakturering/pooler/<int:pk>/budget/", manage.budget_set, name="budget_set"),
    path("fakturering/pooler/<int:pk>/nycklar/", manage.key_new, name="key_new"),
    path(
        "fakturering/pooler/<int:pk>/nycklar/<int:key_pk>/avsluta/",
        manage.key_end,
        name="key_end",
    ),
    path("fakturering/forbrukning/", manage.usage, name="usage"),
    path("fakturering/forbrukning/<int:pk>/kreditera/", manage.usage_credit, name="usage_credit"),
    path("fakturering/forbrukning/import/", manage.usage_import, name="usage_import"),
    path(
        "fakturering/forbrukning/import/<int:pk>/",
        manage.usage_import_detail,
        name="usage_import_detail",
    ),
    path("fakturering/fond/", manage.fund, name="fund"),
    path("fakturering/fond/<int:pk>/", manage.fund_detail, name="fund_detail"),
    path("fakturering/bokforing/", manage.ledger, name="ledger"),
    path("fakturering/bokforing/<int:pk>/", manage.ledger_edit, name="ledger_edit"),
]
