from django.urls import path

from . import manage, views

app_name = "servicedesk"
URL_PREFIX = "servicedesk/"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("massandring/", views.queue_bulk, name="queue_bulk"),
    path("vyer/", views.view_save, name="view_save"),
    path("vyer/<int:pk>/ta-bort/", views.view_close, name="view_close"),
    path("nytt/", views.phone_ticket, name="phone_ticket"),
    path("sok-anmalare/", views.requester_search, name="requester_search"),
    path("arenden/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("arenden/<int:pk>/status/", views.ticket_transition, name="ticket_transition"),
    path("arenden/<int:pk>/inlagg/", views.ticket_entry, name="ticket_entry"),
    path("arenden/<int:pk>/bilagor/", views.ticket_attach, name="ticket_attach"),
    path("arenden/<int:pk>/nis2/", views.ticket_nis2, name="ticket_nis2"),
    path("bilagor/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("bilagor/<int:pk>/ta-bort/", views.attachment_remove, name="attachment_remove"),
    path("anmal/", views.portal_report, name="portal_report"),
    path("mina-arenden/", views.portal_tickets, name="portal_tickets"),
    path("mina-arenden/<int:pk>/", views.portal_ticket, name="portal_ticket"),
    path("installningar/", manage.index, name="manage"),
    path("installningar/grupper/", manage.group_list, name="manage_groups"),
    path("installningar/grupper/ny/", manage.group_edit, name="manage_group_new"),
    path("installningar/grupper/<int:pk>/", manage.group_edit, name="manage_group"),
    path(
        "installningar/grupper/<int:pk>/medlemmar/",
        manage.group_members,
        name="manage_group_members",
    ),
    path("installningar/prioritet/", manage.matrix, name="manage_matrix"),
    path("installningar/kalendrar/", manage.calendar_list, name="manage_calendars"),
    path("installningar/kalendrar/ny/", manage.calendar_edit, name="manage_calendar_new"),
    path("installningar/kalendrar/<int:pk>/", manage.calendar_edit, name="manage_calendar"),
    path(
        "installningar/kalendrar/<int:pk>/ta-bort-dag/",
        manage.calendar_day_remove,
        name="manage_calendar_day_remove",
    ),
    path("installningar/sla/", manage.policy_list, name="manage_policies"),
    path("installningar/sla/ny/", manage.policy_edit, name="manage_policy_new"),
    path("installningar/sla/<int:pk>/", manage.policy_edit, name="manage_policy"),
    path("installningar/sla/<int:pk>/jobb/", manage.policy_jobs, name="manage_policy_jobs"),
    path(
        "installningar/sla/<int:pk>/rakna-om/",
        manage.policy_recompute,
        name="manage_policy_recompute",
    ),
    path("installningar/eskalering/", manage.escalation_list, name="manage_escalations"),
    path("installningar/eskalering/ny/", manage.escalation_edit, name="manage_escalation_new"),
    path("installningar/eskalering/<int:pk>/", manage.escalation_edit, name="manage_escalation"),
    path("installningar/routning/", manage.routing, name="manage_routing"),
    path("installningar/vip/", manage.vip_list, name="manage_vips"),
    path("installningar/vip/<int:pk>/ta-bort/", manage.vip_remove, name="manage_vip_remove"),
]
