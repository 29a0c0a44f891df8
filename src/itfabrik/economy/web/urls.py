from django.urls import path

from . import views

app_name = "economy"
URL_PREFIX = "ekonomi/"
urlpatterns = [
    path("", views.baseline, name="baseline"),
    path("baslinje.<str:fmt>", views.baseline_export, name="baseline_export"),
    path("siffror/ny/", views.figures_new, name="figures_new"),
    path("siffror/<int:pk>/", views.figures_edit, name="figures_edit"),
    path("kategorier/", views.categories, name="categories"),
    path("kategorier/<int:pk>/", views.categories, name="category_edit"),
    path("scenarier/", views.scenarios, name="scenarios"),
    path("scenarier/nytt/", views.scenario_edit, name="scenario_new"),
    path("scenarier/<int:pk>/", views.scenario_edit, name="scenario_edit"),
    path("tidslinje/", views.timeline, name="timeline"),
    path("tidslinje.<str:fmt>", views.timeline_export, name="timeline_export"),
    path("tidslinje/<int:pk>/", views.timeline_edit, name="timeline_edit"),
    path("tidslinje/projektkostnader/", views.project_cost_edit, name="project_costs"),
    path("uppfoljning/", views.followup, name="followup"),
    path("uppfoljning.<str:fmt>", views.followup_export, name="followup_export"),
]
