from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("tvafaktor/", views.otp_verify, name="otp_verify"),
    path("tvafaktor/aktivera/", views.otp_setup, name="otp_setup"),
    path("", views.profile, name="profile"),
    path("api-nyckel/", views.token_rotate, name="token_rotate"),
]
