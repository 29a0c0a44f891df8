from django.contrib.auth import views as auth_views
from django.urls import path

from . import users, views

app_name = "accounts"
# Mounted under this prefix by itfabrik.config.urls (the default is the site root).
URL_PREFIX = "konto/"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("tvafaktor/", views.otp_verify, name="otp_verify"),
    path("tvafaktor/aktivera/", views.otp_setup, name="otp_setup"),
    path("", views.profile, name="profile"),
    path("api-nyckel/", views.token_rotate, name="token_rotate"),
    path("sprak/", views.language, name="language"),
    path("anvandare/", users.user_list, name="user_list"),
    path("anvandare/ny/", users.user_create, name="user_create"),
    path("anvandare/<int:pk>/", users.user_detail, name="user_detail"),
    path("anvandare/<int:pk>/andra/", users.user_edit, name="user_edit"),
    path("roller/<int:pk>/avsluta/", users.role_revoke, name="role_revoke"),
]
