"""How a node is named outside its tree: with its administration and municipality."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def context_parts(node: Any, administration_name: str | None = None) -> list[str]:
    """What tells a node apart from its namesakes: its administration and municipality.

    `administration_name` comes from `selectors.administration_name_q` (or is read from
    the node's `administration_name` attribute); the municipality from the select_related row.
    """
    if node is None:
        return []
    parts: list[str] = []
    admin = administration_name or getattr(node, "administration_name", None)
    if admin and admin != node.name:
        parts.append(admin)
    municipality = getattr(node, "municipality", None) if node.municipality_id else None
    if municipality is not None:
        parts.append(municipality.name)
    elif node.kind in ("team",) and node.parent_id and getattr(node, "parent", None) is not None:
        parts.append(node.parent.name)
    return parts


def node_label(node: Any, administration_name: str | None = None) -> str:
    """ "Hemtjänst norr — Socialförvaltningen, Melleruds kommun"."""
    parts = context_parts(node, administration_name)
    return f"{node.name} — {', '.join(parts)}" if parts else str(node.name)


@register.filter
def node_context(node: Any, administration_name: str | None = None) -> str:
    """Only the distinguishing part: "Socialförvaltningen, Melleruds kommun" (or "")."""
    return ", ".join(context_parts(node, administration_name))


@register.filter(name="node_label")
def node_label_filter(node: Any, administration_name: str | None = None) -> str:
    return node_label(node, administration_name)
