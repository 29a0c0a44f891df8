from django.urls import path

from . import tokens, views

app_name = "identity"
URL_PREFIX = "identitet/"
urlpatterns = [
    path("", views.persons, name="persons"),
    path("anstall/", views.hire, name="hire"),
    path("import/", views.person_import, name="import"),
    path("personer/<int:pk>/", views.person, name="person"),
    path("personer/<int:pk>/privilegierat-konto/", views.privileged_create, name="privileged"),
    path("personer/<int:pk>/tilldelning/", views.grant_request, name="grant_request"),
    path("anstallningar/<int:pk>/avsluta/", views.employment_end, name="employment_end"),
    path("anstallningar/<int:pk>/rollbyte/", views.role_change_request, name="role_change_request"),
    path("rollbyten/<int:pk>/", views.role_change, name="role_change"),
    path("konton/<int:pk>/sparra/", views.account_disable, name="account_disable"),
    path("avvikelser/", views.violations, name="violations"),
    path("avvikelser/arende/", views.violation_ticket, name="violation_ticket"),
    path("godkannanden/", views.approvals, name="approvals"),
    path("granskningar/", views.reviews, name="reviews"),
    path("granskningar/<int:pk>/", views.review, name="review"),
    path("licenser/", views.licences, name="licences"),
    path("scim-nycklar/", tokens.scim_tokens, name="scim_tokens"),
    path("scim-nycklar/<int:pk>/aterkalla/", tokens.scim_token_revoke, name="scim_token_revoke"),
]
