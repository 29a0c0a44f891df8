from django.urls import path

from . import views

app_name = "tenancy"
urlpatterns = [
    path("organisation/", views.node_list, name="node_list"),
    path("organisation/sok/", views.node_search, name="node_search"),
    path("organisation/<int:pk>/", views.node_detail, name="node_detail"),
    path("organisation/<int:pk>/andra/", views.node_edit, name="node_edit"),
    path("organisation/<int:pk>/ny/", views.node_add_child, name="node_add_child"),
    path("organisation/<int:pk>/invanare/", views.node_inhabitants, name="node_inhabitants"),
    path(
        "organisation/<int:pk>/invanare/<int:year>/ta-bort/",
        views.inhabitants_remove,
        name="inhabitants_remove",
    ),
    path("organisation/<int:pk>/avveckla/", views.node_close, name="node_close"),
    path("medlemskap/", views.membership_list, name="membership_list"),
    path("medlemskap/<int:pk>/avsluta/", views.membership_end, name="membership_end"),
    path("medlemskap/vardkommun/", views.cooperation_host, name="cooperation_host"),
    path("it-organisation/", views.it_organisation, name="it_organisation"),
    path("it-organisation/ny-tjanst/", views.position_create, name="position_create"),
    path("it-organisation/tjanster/<int:pk>/", views.position_edit, name="position_edit"),
    path("it-organisation/tjanster/<int:pk>/avsluta/", views.position_close, name="position_close"),
    path("samverkan/ny/", views.cooperation_create, name="cooperation_create"),
]
