from django.urls import path

from . import views

app_name = "servicedesk"
URL_PREFIX = "servicedesk/"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("nytt/", views.phone_ticket, name="phone_ticket"),
    path("sok-anmalare/", views.requester_search, name="requester_search"),
    path("arenden/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("arenden/<int:pk>/status/", views.ticket_transition, name="ticket_transition"),
    path("arenden/<int:pk>/inlagg/", views.ticket_entry, name="ticket_entry"),
    path("anmal/", views.portal_report, name="portal_report"),
    path("mina-arenden/", views.portal_tickets, name="portal_tickets"),
    path("mina-arenden/<int:pk>/", views.portal_ticket, name="portal_ticket"),
]
