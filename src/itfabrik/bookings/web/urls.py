from django.urls import path

from . import views

app_name = "bookings"
URL_PREFIX = "besok/"
urlpatterns = [
    path("", views.portal, name="portal"),
    path("arenden/<int:pk>/", views.ticket_visit, name="ticket"),
    path("arenden/<int:pk>/behov/", views.ticket_mark, name="ticket_mark"),
    path("bokningar/<int:pk>/avboka/", views.booking_cancel, name="cancel"),
    path("kalender/", views.calendar, name="calendar"),
    path("kalender/ny-lank/", views.feed_renew, name="feed_renew"),
    path("kalender/<str:token>.ics", views.feed, name="feed"),
    path("pass/", views.blocks, name="blocks"),
    path("pass/<int:pk>/", views.block_edit, name="block_edit"),
]
