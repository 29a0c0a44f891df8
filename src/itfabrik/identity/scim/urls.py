"""/scim/v2/: found by `itfabrik.config.urls` like the apps' web and api URLs."""

from django.urls import path, re_path

from . import views

app_name = "scim"
urlpatterns = [
    path("ServiceProviderConfig", views.ServiceProviderConfigView.as_view(), name="config"),
    path("ResourceTypes", views.ResourceTypesView.as_view(), name="resource_types"),
    path("ResourceTypes/<str:name>", views.ResourceTypesView.as_view(), name="resource_type"),
    path("Schemas", views.SchemasView.as_view(), name="schemas"),
    path("Schemas/<str:urn>", views.SchemasView.as_view(), name="schema"),
    path("Users", views.UsersView.as_view(), name="users"),
    path("Users/.search", views.UserSearchView.as_view(), name="users_search"),
    path("Users/<str:pk>", views.UserView.as_view(), name="user"),
    path("Groups", views.GroupsView.as_view(), name="groups"),
    path("Groups/.search", views.GroupSearchView.as_view(), name="groups_search"),
    path("Groups/<str:pk>", views.GroupView.as_view(), name="group"),
    path(".search", views.RootSearchView.as_view(), name="search"),
    re_path(r"^(?P<rest>.*)$", views.NotFoundView.as_view(), name="not_found"),
]
