from django.urls import path

from . import views

app_name = "mailchannel"
URL_PREFIX = "epost/"
urlpatterns = [
    path("", views.inbound_list, name="inbound_list"),
    path("<int:pk>/", views.inbound_detail, name="inbound_detail"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("arenden/<int:pk>/", views.ticket_mail, name="ticket_mail"),
    path("arenden/<int:pk>/svara/", views.ticket_reply, name="ticket_reply"),
    path("arenden/<int:pk>/los/", views.ticket_resolve, name="ticket_resolve"),
]
