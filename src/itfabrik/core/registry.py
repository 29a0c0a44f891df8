"""What each app brings, collected at start-up: actions, menu entries, start-page panels, demo
steps, and the two services `core` needs from the apps above it (the role assignments of an
actor, the current cooperation of a request).

`core` knows no domain app. Each app declares its contributions in its own modules, which
`CoreConfig.ready()` imports by name from every installed app (`django.utils.module_loading.
autodiscover_modules`, the same way `django.contrib.admin` finds `admin.py`):

- `permissions.py`: `register_actions()` — the app's actions and the roles that hold them;
- `navigation.py`: `register_menu()` and `register_panel()` — menu entries and start-page panels,
  each shown only to actors who hold its action somewhere;
- `demo.py`: `@demo_step()` — the app's part of the demo data, run in dependency order;
- `api/urls.py` and `web/urls.py`: found by `itfabrik.api_urls` and `itfabrik.config.urls`.

Modelled on NetBox's registry (`register_model_actions`, `MenuItem`, `@register_widget`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

from django.utils.translation import gettext_lazy as _

from .roles import ALL_ROLES

# The main menu's groups, in the order the header shows them. An app files each entry under one.
MENU_AREAS: dict[str, Any] = {
    "home": _("Start"),
    "self": _("Självservice"),
    "desk": _("Servicedesk"),
    "services": _("Tjänster och ekonomi"),
    "operations": _("Drift"),
    "governance": _("Styrning"),
    "admin": _("Administration"),
    "other": _("Övrigt"),
}

# (role, node_id, node_path, recursive, cooperation_id, valid_until) of one active assignment.
GrantRow = tuple[str, int, str, bool, int, "dt.date | None"]
GrantLoader = Callable[[Any], Iterable[GrantRow]]
CooperationResolver = Callable[[Any], Any]


@dataclass(frozen=True, slots=True)
class MenuItem:
    """A main-menu entry: shown to actors who hold `action` somewhere (everyone signed in when
    None). `order` sorts the menu across apps (lower first).

    `visible(request)`, when given, must also be true: for a page that checks more narrowly than
    "somewhere" (say, the action at the cooperation's root), so that the menu never offers a
    page that answers 404. The app passes the very function its view checks.

    `area` groups the entry in the main menu (one of MENU_AREAS' keys), so that fifteen apps'
    entries do not wrap the header into rows."""

    url_name: str
    label: Any
    action: str | None = None
    order: int = 100
    visible: Callable[[Any], bool] | None = None
    area: str = "other"


@dataclass(frozen=True, slots=True)
class Panel:
    """A start-page panel. `zone` places it: `lead` (under the heading), `card` (the grid of
    small cards) or `section` (full width below). `context(request)` returns the template's
    `panel` variable, or None to leave the panel out for this request."""

    key: str
    template: str
    context: Callable[[Any], Mapping[str, Any] | None]
    action: str | None = None
    zone: str = "section"
    order: int = 100
    app_label: str = ""


@dataclass(frozen=True, slots=True)
class DemoStep:
    app_label: str
    run: Callable[[dict[str, Any]], None]
    after: tuple[str, ...] = ()
    loaded: Callable[[], bool] | None = None
    describe: Callable[[], list[str]] | None = None


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    """A task the worker enqueues every `every` seconds (`task`: a django_tasks Task)."""

    key: str
    task: Any
    every: float


@dataclass
class Registry:
    action_roles: dict[str, frozenset[str]] = field(default_factory=dict)
    action_app: dict[str, str] = field(default_factory=dict)
    role_actions: dict[str, frozenset[str]] = field(default_factory=dict)
    menu: list[tuple[str, MenuItem]] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)
    demo_steps: dict[str, DemoStep] = field(default_factory=dict)
    grant_loader: GrantLoader | None = None
    cooperation_resolver: CooperationResolver | None = None
    contributors: set[str] = field(default_factory=set)
    periodic: dict[str, PeriodicJob] = field(default_factory=dict)
    # Actions the widest role deliberately does not hold, each with the reason (system check E005).
    separated_duties: dict[str, str] = field(default_factory=dict)


registry = Registry()

ZONES = ("lead", "card", "section")


def register_actions(app_label: str, table: Mapping[str, Iterable[str]]) -> None:
    """Declare the app's actions ("<app_label>.<verb>_<thing>") and the roles that hold each."""
    for action, roles in table.items():
        if not action.startswith(f"{app_label}."):
            raise ValueError(f"action {action!r} must start with {app_label!r}.")
        owner = registry.action_app.get(action)
        if owner is not None and owner != app_label:
            raise ValueError(f"action {action!r} is already registered by {owner!r}")
        held = frozenset(str(r) for r in roles)
        registry.action_roles[action] = registry.action_roles.get(action, frozenset()) | held
        registry.action_app[action] = app_label
    registry.contributors.add(app_label)
    _rebuild_role_actions()


def register_separated_duty(app_label: str, action: str, reason: str) -> None:
    """Declare that the cooperation administrator, who otherwise holds every action, must not
    hold `action` (separation of duties, e.g. running and approving billing). Without this,
    system check E005 requires the widest role to hold every action."""
    if registry.action_app.get(action) != app_label:
        raise ValueError(f"{app_label}: {action!r} is not an action of this app")
    registry.separated_duties[action] = reason


def _rebuild_role_actions() -> None:
    by_role: dict[str, set[str]] = {}
    for action, roles in registry.action_roles.items():
        for role in roles:
            by_role.setdefault(role, set()).add(action)
    registry.role_actions = {role: frozenset(actions) for role, actions in by_role.items()}


def actions_for(role: str) -> frozenset[str]:
    """Every action the role holds, across all apps."""
    return registry.role_actions.get(role, frozenset())


def roles_holding(action: str) -> frozenset[str]:
    return registry.action_roles.get(action, frozenset())


def register_menu(app_label: str, *items: MenuItem) -> None:
    for item in items:
        if item.area not in MENU_AREAS:
            raise ValueError(
                f"{app_label}: menu entry {item.url_name} has area {item.area!r}; "
                f"use one of {', '.join(MENU_AREAS)}"
            )
        if (app_label, item) not in registry.menu:
            registry.menu.append((app_label, item))
    registry.contributors.add(app_label)


def register_panel(
    app_label: str,
    key: str,
    *,
    template: str,
    action: str | None = None,
    zone: str = "section",
    order: int = 100,
) -> Callable[[Callable[[Any], Mapping[str, Any] | None]], Callable[[Any], Any]]:
    """Decorator: the function gives a panel's context for a request (None hides the panel)."""
    if zone not in ZONES:
        raise ValueError(f"zone must be one of {ZONES}")

    def wrap(func: Callable[[Any], Mapping[str, Any] | None]) -> Callable[[Any], Any]:
        full_key = f"{app_label}.{key}"
        registry.panels[:] = [p for p in registry.panels if p.key != full_key]
        registry.panels.append(
            Panel(full_key, template, func, action, zone, order, app_label=app_label)
        )
        registry.panels.sort(key=lambda p: (p.order, p.key))
        registry.contributors.add(app_label)
        return func

    return wrap


def demo_step(
    app_label: str,
    *,
    after: Iterable[str] = (),
    loaded: Callable[[], bool] | None = None,
    describe: Callable[[], list[str]] | None = None,
) -> Callable[[Callable[[dict[str, Any]], None]], Callable[[dict[str, Any]], None]]:
    """Decorator: the app's part of the demo. Steps share one dict (`ctx`) for what later steps
    need (nodes by name, users by username); each writes through its app's services. `loaded`
    tells whether the step's data is there already; `describe` gives lines for the person
    starting the demo (the demo accounts)."""

    def wrap(func: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        registry.demo_steps[app_label] = DemoStep(app_label, func, tuple(after), loaded, describe)
        registry.contributors.add(app_label)
        return func

    return wrap


def demo_steps_in_order() -> list[DemoStep]:
    """The registered demo steps, each after the apps it names that are installed (an app may
    wait for an optional one: billing waits for the catalogue's orders when it is there). A
    cycle is an error."""
    steps = registry.demo_steps
    graph = {label: {a for a in step.after if a in steps} for label, step in steps.items()}
    return [steps[label] for label in TopologicalSorter(graph).static_order()]


def set_grant_loader(loader: GrantLoader) -> None:
    """The app that stores role assignments tells `core.permissions` how to read them."""
    registry.grant_loader = loader


def set_cooperation_resolver(resolver: CooperationResolver) -> None:
    """The app that owns cooperations tells the shell how to find the request's current one."""
    registry.cooperation_resolver = resolver


def current_cooperation(request: Any) -> Any:
    if registry.cooperation_resolver is None:
        return None
    return registry.cooperation_resolver(request)


def memo(request: Any, key: str, compute: Callable[[], Any]) -> Any:
    """Compute a value once per request (the request is the cache; nothing outlives it)."""
    store: dict[str, Any] | None = getattr(request, "_itfabrik_memo", None)
    if store is None:
        store = {}
        request._itfabrik_memo = store
    if key not in store:
        store[key] = compute()
    return store[key]


def unknown_roles() -> set[str]:
    return {r for roles in registry.action_roles.values() for r in roles} - set(ALL_ROLES)


def register_periodic(app_label: str, key: str, task: Any, *, every: float) -> None:
    """The worker enqueues `task` (a django_tasks task, no arguments) every `every` seconds.
    The task must be idempotent: two workers may each enqueue it."""
    if every <= 0:
        raise ValueError("every must be positive")
    full_key = f"{app_label}.{key}"
    registry.periodic[full_key] = PeriodicJob(full_key, task, float(every))
    registry.contributors.add(app_label)


def periodic_due(last_runs: dict[str, float], now: float) -> list[PeriodicJob]:
    """The periodic jobs due at `now` (monotonic seconds), given when each was last enqueued;
    a job never enqueued is due at once."""
    return [
        job
        for key, job in sorted(registry.periodic.items())
        if key not in last_runs or now - last_runs[key] >= job.every
    ]


# --- what a governance decision may govern ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GovernedKind:
    """A kind of object a decision may link to (`governance.governed`). `candidates(cooperation)`
    gives the objects of a cooperation that may be linked; `describe(obj)` the text kept on the
    link; `url(obj)` where to read the object (optional); `refusal(cooperation, object_id)`, when
    given, says why an object of the cooperation that is not a candidate may not be linked (a
    risk that is not accepted), or None when there is no such object."""

    key: str
    label: Any
    model: type[Any]
    candidates: Callable[[Any], Any]
    describe: Callable[[Any], str] = str
    url: Callable[[Any], str | None] | None = None
    refusal: Callable[[Any, int], Any] | None = None


_GOVERNED_KINDS: dict[str, GovernedKind] = {}


def register_governed_kind(
    key: str,
    *,
    label: Any,
    model: type[Any],
    candidates: Callable[[Any], Any],
    describe: Callable[[Any], str] = str,
    url: Callable[[Any], str | None] | None = None,
    refusal: Callable[[Any, int], Any] | None = None,
) -> None:
    """Let governance decisions link to objects of `model` (called from an app's `ready()`; an
    app in governance's own layer may not import governance, so the registry lives here)."""
    existing = _GOVERNED_KINDS.get(key)
    if existing is not None and existing.model is not model:
        raise ValueError(f"governed kind {key!r} is already registered for {existing.model}")
    _GOVERNED_KINDS[key] = GovernedKind(key, label, model, candidates, describe, url, refusal)


def governed_kinds() -> list[GovernedKind]:
    return [_GOVERNED_KINDS[k] for k in sorted(_GOVERNED_KINDS)]


def governed_kind(key: str) -> GovernedKind | None:
    return _GOVERNED_KINDS.get(key)
