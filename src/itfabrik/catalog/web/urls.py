from django.urls import path

from . import views

app_name = "catalog"
URL_PREFIX = "katalog/"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("bestall/", views.order_create, name="order_create"),
    path("bestallningar/", views.order_list, name="order_list"),
    path("bestallningar/<int:pk>/", views.order_detail, name="order_detail"),
    path("bestallningar/<int:pk>/<str:step>/", views.order_step, name="order_step"),
    path("prenumerationer/", views.subscription_list, name="subscription_list"),
    path("prenumerationer/<int:pk>/andra/", views.subscription_change, name="subscription_change"),
]
