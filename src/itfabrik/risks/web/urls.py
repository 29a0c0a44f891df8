from django.urls import path

from . import views

app_name = "risks"
URL_PREFIX = "risker/"
urlpatterns = [
    path("", views.risk_list, name="list"),
    path("ny/", views.risk_create, name="create"),
    path("varmekarta/", views.heat_map, name="heat_map"),
    path("workshoppar/", views.workshops, name="workshops"),
    path("workshoppar/<int:pk>/", views.workshop, name="workshop"),
    path("workshoppar/<int:pk>/stang/", views.workshop_close, name="workshop_close"),
    path("atgarder/<int:pk>/klar/", views.action_done, name="action_done"),
    path("<int:pk>/", views.risk_detail, name="detail"),
    path("<int:pk>/andra/", views.risk_edit, name="edit"),
    path("<int:pk>/atgarder/", views.action_add, name="action_add"),
    path("<int:pk>/uppfoljd/", views.risk_reviewed, name="reviewed"),
]
