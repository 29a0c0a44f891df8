from django.urls import path

from . import manage, views

app_name = "catalog"
URL_PREFIX = "katalog/"
M = "forvaltning/"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("bestall/", views.order_create, name="order_create"),
    path("bestallningar/", views.order_list, name="order_list"),
    path("bestallningar/<int:pk>/", views.order_detail, name="order_detail"),
    path("bestallningar/<int:pk>/<str:step>/", views.order_step, name="order_step"),
    path("prenumerationer/", views.subscription_list, name="subscription_list"),
    path("prenumerationer/<int:pk>/andra/", views.subscription_change, name="subscription_change"),
    # Managing the catalogue (the cooperation's catalogue manager).
    path(f"{M}tjanster/", manage.service_list, name="manage_service_list"),
    path(f"{M}tjanster/ny/", manage.service_create, name="manage_service_create"),
    path(f"{M}tjanster/<int:pk>/", manage.service_edit, name="manage_service_edit"),
    path(f"{M}tjanster/<int:pk>/stang/", manage.service_close, name="manage_service_close"),
    path(f"{M}omraden/", manage.area_list, name="manage_area_list"),
    path(f"{M}omraden/ny/", manage.area_create, name="manage_area_create"),
    path(f"{M}omraden/<int:pk>/", manage.area_edit, name="manage_area_edit"),
    path(f"{M}omraden/<int:pk>/stang/", manage.area_close, name="manage_area_close"),
    path(f"{M}paket/", manage.package_list, name="manage_package_list"),
    path(f"{M}paket/ny/", manage.package_create, name="manage_package_create"),
    path(f"{M}paket/<int:pk>/", manage.package_detail, name="manage_package_detail"),
    path(f"{M}paket/<int:pk>/stang/", manage.package_close, name="manage_package_close"),
    path(f"{M}paket/<int:pk>/innehall/", manage.package_item_set, name="manage_package_item_set"),
    path(
        f"{M}paket/<int:pk>/innehall/ta-bort/",
        manage.package_item_remove,
        name="manage_package_item_remove",
    ),
    path(f"{M}prislistor/", manage.price_list_list, name="manage_price_list_list"),
    path(f"{M}prislistor/ny/", manage.price_list_create, name="manage_price_list_create"),
    path(f"{M}prislistor/<int:pk>/", manage.price_list_detail, name="manage_price_list_detail"),
    path(f"{M}prislistor/<int:pk>/pris/", manage.price_set, name="manage_price_set"),
    path(
        f"{M}prislistor/<int:pk>/dra-tillbaka/",
        manage.price_list_withdraw,
        name="manage_price_list_withdraw",
    ),
    path(f"{M}prislistor/<int:pk>/pris/ta-bort/", manage.price_remove, name="manage_price_remove"),
]
