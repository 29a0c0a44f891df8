from django.urls import path

from . import views

app_name = "knowledge"
URL_PREFIX = ""
urlpatterns = [
    path("hjalp/", views.help_page, name="help"),
    path("hjalp/forslag/", views.suggestions, name="suggestions"),
    path("hjalp/artiklar/<int:pk>/", views.article_detail, name="article"),
    path("hjalp/artiklar/<int:pk>/versioner/", views.revision_list, name="revisions"),
    path("hjalp/artiklar/<int:pk>/versioner/<int:number>/", views.revision_detail, name="revision"),
    path("hjalp/artiklar/<int:pk>/aterkoppling/", views.feedback, name="feedback"),
    path("hjalp/artiklar/<int:pk>/lost/", views.deflect, name="deflect"),
    path("kunskapsbank/", views.staff_list, name="staff_list"),
    path("kunskapsbank/ny/", views.article_create, name="create"),
    path("kunskapsbank/<int:pk>/andra/", views.article_edit, name="edit"),
    path("kunskapsbank/<int:pk>/publicera/", views.article_publish, name="publish"),
    path("kunskapsbank/<int:pk>/arkivera/", views.article_archive, name="archive"),
    path("kunskapsbank/<int:pk>/aterkoppling/", views.article_feedback, name="feedback_list"),
]
