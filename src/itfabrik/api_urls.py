"""/api/v1/: every installed app's `api/urls.py`, found at start-up (core.urls_discovery)."""

from django.urls import include, path

from itfabrik.core.urls_discovery import app_url_modules

urlpatterns = [path("", include(module)) for _label, module in app_url_modules("api")]
