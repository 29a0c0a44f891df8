"""A search field for organisation nodes, in place of a select of every node.

With 10,000 nodes a <select> is unusable (and five "Hemtjänst norr" look alike). The field is a
text input with the ARIA 1.2 combobox pattern: typing asks the server (HTMX) for at most 20
matches labelled with their administration and municipality; arrow keys move through them,
Enter picks one, Escape closes the list (app.js). The chosen node's id travels in a hidden input.
Without JavaScript the typed text is resolved on the server: one match is taken, several give a
message asking for more of the name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from itfabrik.core.actors import Actor
from itfabrik.core.errors import NotFound
from itfabrik.core.registry import roles_holding
from itfabrik.core.web.widgets import ComboboxWidget
from itfabrik.tenancy import permissions as actions


def search_action(code: str | None) -> str:
    """The action whose scope a search field searches: a registered action, else view_node.

    Any registered action is allowed: it can only narrow what the actor sees (scope_q)."""
    return code if code and roles_holding(code) else actions.VIEW_NODE


def node_search_widget(action: str = actions.VIEW_NODE) -> ComboboxWidget:
    """The combobox asking the node search, within the scope of `action`."""
    return ComboboxWidget("tenancy:node_search", {"behorighet": action})


class NodeSearchField(forms.Field):
    """A node chosen by search; cleans to the OrgNode (checked against the actor's scope)."""

    default_error_messages = {
        "required": _("Sök och välj i listan."),
        "none": _("Ingen enhet som du kan välja heter så. Sök på en del av namnet."),
        "many": _("Flera enheter matchar. Skriv mer av namnet och välj i listan."),
    }

    def __init__(self, *, action: str = actions.VIEW_NODE, **kwargs: Any) -> None:
        self.action = action
        self.actor: Actor | None = None
        # The value the record has now: kept as it is even if that node has since been closed.
        self.current_pk: int | None = None
        super().__init__(widget=node_search_widget(action), **kwargs)
        self.help_text = self.help_text or _(
            "Skriv en del av namnet och välj med piltangenterna och Enter."
        )

    def set_initial_node(
        self, node: Any, administration_name: str | None = None, *, current: bool = False
    ) -> None:
        """Show a chosen node's label in the input. `current`: it is the record's value now
        (the edit form's workplace), accepted unchanged even if the node has been closed."""
        from itfabrik.tenancy.templatetags.tenancy_tags import node_label

        if node is not None:
            self.current_pk = node.pk if current else None
            self.widget.label = node_label(node, administration_name)

    def clean(self, value: Any) -> Any:
        from itfabrik.tenancy import selectors

        pk, text = value if isinstance(value, tuple) else (value, "")
        pk, text = (pk or "").strip(), (text or "").strip()
        if not pk and not text:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        action = self.action
        actor = self.actor
        if actor is None:
            raise ImproperlyConfigured("NodeSearchField needs form.actor before cleaning")
        if pk:
            try:
                node = selectors.node_get(actor=actor, pk=pk)
            except NotFound:
                raise forms.ValidationError(self.error_messages["none"], code="none") from None
            from itfabrik.core import permissions

            if str(node.pk) == str(self.current_pk):
                return node
            if not node.is_active or not permissions.can(actor, action, node):
                raise forms.ValidationError(self.error_messages["none"], code="none")
            return node
        # No id (no JavaScript, or text typed without choosing): resolve the text.
        from itfabrik.tenancy.templatetags.tenancy_tags import node_label

        name = text.split(" — ")[0].strip()
        found = selectors.node_choice_list(actor=actor, action=action, query=name, limit=50)
        matches = (
            [n for n in found if node_label(n).lower() == text.lower()]
            or [n for n in found if n.name.lower() == name.lower()]
            or found[:2]
        )
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise forms.ValidationError(self.error_messages["none"], code="none")
        raise forms.ValidationError(self.error_messages["many"], code="many")
