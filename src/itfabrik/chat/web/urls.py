from django.urls import path

from . import views

app_name = "chat"
URL_PREFIX = "chatt/"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("ny/", views.start, name="start"),
    path("ko/", views.queue, name="queue"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("<int:pk>/skicka/", views.send, name="send"),
    path("<int:pk>/strom/", views.stream, name="stream"),
    path("<int:pk>/ta/", views.pick, name="pick"),
    path("<int:pk>/avsluta/", views.end, name="end"),
]
