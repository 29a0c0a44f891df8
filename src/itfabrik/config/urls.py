from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from itfabrik.core.urls_discovery import app_url_modules

# SCIM 2.0 (RFC 7644) of an app that has scim/urls.py (identity, ADR 0038), at its fixed base;
# first, so that no page of an app mounted at the site root can shadow it.
urlpatterns: list[URLPattern | URLResolver] = [
    path("scim/v2/", include(module)) for _label, module in app_url_modules("scim")
]
# Each installed app's web/urls.py, under its URL_PREFIX (the site root by default).
urlpatterns += [
    path(getattr(module, "URL_PREFIX", ""), include(module))
    for _label, module in app_url_modules("web")
]
urlpatterns += [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("itfabrik.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets inline styles as it renders; only this developer page allows them. Its
    # scripts still come from our own origin (the split view serves its start script).
    path(
        "api/docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="schema")
        ),
        name="swagger-ui",
    ),
    path("django-admin/", admin.site.urls),
]

if getattr(settings, "OIDC_ENABLED", False):
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

handler400 = "itfabrik.core.web.views.error_400"
handler403 = "itfabrik.core.web.views.error_403"
handler404 = "itfabrik.core.web.views.error_404"
handler500 = "itfabrik.core.web.views.error_500"
