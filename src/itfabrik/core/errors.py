"""The one error hierarchy. Services raise these; the API and the UI map them in one place each.

Every error carries a stable machine code and a message that is translated into the active
language; `messages()` gives the message in every configured language, so an API client gets both
Swedish and English whatever its Accept-Language.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _


class Translated(dict[str, str]):
    """A message already rendered in every language (e.g. a library's validation message).

    str() gives the active language's text, so it can stand wherever a message is expected.
    """

    def __str__(self) -> str:
        lang = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return self.get(lang) or self.get(settings.LANGUAGE_CODE) or next(iter(self.values()), "")


Message = str | Promise | Translated


def lazy_format(message: Message, **params: object) -> Promise:
    """Interpolate a translatable message without fixing its language at the time of the call.

    `_("… %(x)s") % {...}` would translate at once, so the Swedish and English versions of an
    error would come out the same.
    """
    return lazy(lambda: str(message) % params, str)()  # type: ignore[return-value]


def _in_all_languages(message: Message) -> dict[str, str]:
    if isinstance(message, Translated):
        return dict(message)
    out: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out[code] = str(message)
    return out


class ApplicationError(Exception):
    """Base of every error a service may raise on purpose."""

    status = 400
    code = "error"
    default_message: Message = _("Något gick fel.")

    def __init__(
        self,
        message: Message | None = None,
        *,
        code: str | None = None,
        fields: Mapping[str, list[Message]] | None = None,
    ) -> None:
        self.message: Message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields: dict[str, list[Message]] = {k: list(v) for k, v in (fields or {}).items()}
        super().__init__(str(self.message))

    def messages(self) -> dict[str, str]:
        return _in_all_languages(self.message)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": str(self.message),
            "messages": self.messages(),
            "fields": {
                name: [{"message": str(m), "messages": _in_all_languages(m)} for m in msgs]
                for name, msgs in self.fields.items()
            },
        }


class ValidationFailed(ApplicationError):
    status = 400
    code = "invalid"
    default_message = _("Uppgifterna är inte giltiga.")


class NotFound(ApplicationError):
    status = 404
    code = "not_found"
    default_message = _("Hittades inte.")


class NotAuthenticated(ApplicationError):
    status = 401
    code = "not_authenticated"
    default_message = _("Du måste logga in.")


class Forbidden(ApplicationError):
    """For actions on an object the actor may see but not change.

    An object the actor may not see at all raises NotFound instead, so its existence is not
    revealed.
    """

    status = 403
    code = "forbidden"
    default_message = _("Du har inte behörighet att göra detta.")


class Conflict(ApplicationError):
    status = 409
    code = "conflict"
    default_message = _(
        "Någon annan har ändrat uppgifterna sedan du hämtade dem. Ladda om och försök igen."
    )


class Throttled(ApplicationError):
    status = 429
    code = "throttled"
    default_message = _("För många försök. Vänta en stund och försök igen.")
