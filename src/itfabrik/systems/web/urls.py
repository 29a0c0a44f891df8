from django.urls import path

from . import views

app_name = "systems"
URL_PREFIX = "system/"
urlpatterns = [
    path("", views.system_list, name="list"),
    path("nytt/", views.system_create, name="create"),
    path("dubbletter/", views.duplicates, name="duplicates"),
    path("fore-inkop/", views.before_buying, name="before_buying"),
    path("serverhallar/", views.data_centres, name="data_centres"),
    path("formagor/", views.capabilities, name="capabilities"),
    path("formagor/<int:pk>/", views.capability_toggle, name="capability_toggle"),
    path("krav/", views.requirements, name="requirements"),
    path("krav/<int:pk>/", views.requirement_toggle, name="requirement_toggle"),
    path("informationstillgangar/", views.assets, name="assets"),
    path("informationstillgangar/<int:pk>/klassa/", views.asset_classify, name="asset_classify"),
    path("atgarder/", views.gaps, name="gaps"),
    path("<int:pk>/", views.system_detail, name="detail"),
    path("<int:pk>/andra/", views.system_edit, name="edit"),
    path("<int:pk>/klassa/", views.system_classify, name="classify"),
    path("<int:pk>/anvandning/", views.use_set, name="use_set"),
    path("<int:pk>/anvandning/<int:use_pk>/avsluta/", views.use_end, name="use_end"),
    path("<int:pk>/integrationer/", views.integration_add, name="integration_add"),
    path("<int:pk>/bedom/", views.assess, name="assess"),
]
