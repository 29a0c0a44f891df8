"""The rule for usernames, shared by the web form and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

USERNAME_RE = r"^[\w.@+-]+$"
USERNAME_MESSAGE = _(
    "Användarnamnet får bara innehålla bokstäver, siffror och @ . + - _ (inga mellanslag)."
)
