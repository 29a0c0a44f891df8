from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from itfabrik.catalog.choices import OrderStatus
from itfabrik.catalog.rules import MAX_QUANTITY


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(label=_("Sök tjänst eller paket"), required=False, max_length=100)


class OrderForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Enhet"), coerce=int)
    item = forms.ChoiceField(label=_("Tjänst eller paket"))
    quantity = forms.IntegerField(
        label=_("Antal"),
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        help_text=_("Ett positivt heltal."),
    )
    note = forms.CharField(
        label=_("Meddelande till IT"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, units: list[Any], packages: list[Any], services: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [  # type: ignore[attr-defined]
            (u.pk, f"{u.name} ({u.cost_centre})" if u.cost_centre else u.name) for u in units
        ]
        self.fields["item"].choices = [  # type: ignore[attr-defined]
            (_("Paket"), [(f"package:{p.pk}", p.name) for p in packages]),
            (
                _("Tjänster"),
                [
                    (f"service:{s.pk}", f"{s.name} ({_('tillval')})" if s.is_addon else s.name)
                    for s in services
                ],
            ),
        ]


class OrderActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Motivering"), required=False, max_length=2000)
    delivered_on = forms.DateField(label=_("Gäller från"), required=False)


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    scope = forms.ChoiceField(
        label=_("Visa"),
        required=False,
        choices=[("mine", _("Mina beställningar")), ("units", _("Alla för mina enheter"))],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Alla")), *OrderStatus.choices]  # type: ignore[attr-defined]


class SubscriptionFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Enhet"), required=False, coerce=int, empty_value=None)
    ended = forms.BooleanField(label=_("Visa avslutade"), required=False)

    def __init__(self, *args: Any, units: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Alla enheter"))] + [  # type: ignore[attr-defined]
            (u.pk, u.name) for u in units
        ]


class SubscriptionChangeForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Ändring"),
        choices=[("change", _("Ändra antal")), ("cancel", _("Säg upp"))],
        widget=forms.RadioSelect,
        initial="change",
    )
    quantity = forms.IntegerField(
        label=_("Nytt antal"), min_value=1, max_value=MAX_QUANTITY, required=False
    )
    note = forms.CharField(label=_("Meddelande till IT"), required=False, max_length=2000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "change" and not data.get("quantity"):
            self.add_error("quantity", _("Ange det nya antalet."))
        return data
