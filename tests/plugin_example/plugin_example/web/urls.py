from django.http import HttpRequest, HttpResponse
from django.urls import path

from itfabrik.core.errors import NotFound
from itfabrik.core.permissions import can_anywhere

from ..permissions import VIEW_GREETING

URL_PREFIX = "exempel/"
app_name = "plugin_example"


def greeting(request: HttpRequest) -> HttpResponse:
    if not can_anywhere(request.user, VIEW_GREETING):
        raise NotFound()
    return HttpResponse("Hej")


urlpatterns = [path("", greeting, name="greeting")]
