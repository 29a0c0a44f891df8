from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from itfabrik.core.errors import NotFound
from itfabrik.core.permissions import can_anywhere

from ..permissions import VIEW_GREETING


class GreetingView(APIView):
    def get(self, request: Request) -> Response:
        if not can_anywhere(request.user, VIEW_GREETING):
            raise NotFound()
        return Response({"greeting": "Hej"})


urlpatterns = [path("example-greetings/", GreetingView.as_view(), name="example-greeting")]
