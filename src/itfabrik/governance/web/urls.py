from django.urls import path

from . import views

app_name = "governance"
URL_PREFIX = "styrning/"
urlpatterns = [
    path("", views.forums, name="forums"),
    path("forum/<int:pk>/", views.forum_detail, name="forum"),
    path("forum/<int:pk>/moten/nytt/", views.meeting_create, name="meeting_create"),
    path("forum/<int:pk>/ledamoter/ny/", views.member_add, name="member_add"),
    path("forum/<int:pk>/arenden/nytt/", views.matter_create, name="matter_create"),
    path("forum/<int:pk>/beslut/nytt/", views.decision_create, name="decision_create"),
    path("ledamoter/<int:pk>/avsluta/", views.member_end, name="member_end"),
    path("moten/<int:pk>/", views.meeting_detail, name="meeting"),
    path("moten/<int:pk>/punkter/ny/", views.agenda_item_add, name="agenda_item_add"),
    path("moten/<int:pk>/justera/", views.meeting_approve, name="meeting_approve"),
    path("moten/<int:pk>/protokoll.pdf", views.meeting_pdf, name="meeting_pdf"),
    path("punkter/<int:pk>/", views.agenda_item_edit, name="agenda_item"),
    path("arenden/<int:pk>/", views.matter_detail, name="matter"),
    path("arenden/<int:pk>/aterta/", views.matter_withdraw, name="matter_withdraw"),
    path("beslut/", views.decisions, name="decisions"),
    path("beslut/<int:pk>/", views.decision_detail, name="decision"),
    path("beslut/<int:pk>/andra/", views.decision_edit, name="decision_edit"),
    path("beslut/<int:pk>/status/", views.decision_status, name="decision_status"),
    path("beslut/<int:pk>/lankar/", views.decision_link_add, name="decision_link_add"),
    path(
        "beslut/<int:pk>/lankar/<int:link_pk>/ta-bort/",
        views.decision_link_remove,
        name="decision_link_remove",
    ),
    path("avtal/", views.agreement, name="agreement"),
    path("avtal/andra/", views.agreement_edit, name="agreement_edit"),
    path("avtal/samverkansavtal.pdf", views.agreement_pdf, name="agreement_pdf"),
    path("avtal/andringar/ny/", views.amendment_create, name="amendment_create"),
    path("avtal/andringar/<int:pk>/verkstall/", views.amendment_apply, name="amendment_apply"),
    path("avtal/utvarderingar/ny/", views.evaluation_create, name="evaluation_create"),
    path("avtal/utvarderingar/<int:pk>/klar/", views.evaluation_done, name="evaluation_done"),
]
