"""What each app adds to the project, declared on its `AppConfig` and read here once apps are ready.

An app's `apps.py` subclasses `CivicAppConfig` and fills in what it contributes (all optional):

    class CasesConfig(CivicAppConfig):
        name = "civicloop.cases"
        label = "cases"
        api_prefix = "cases/"      # civicloop.cases.api.router at /api/cases/
        pages_prefix = "cases/"    # civicloop.cases.urls.urlpatterns at /cases/, namespace "cases"
        navigation = [Nav("cases:inbox", _("我的待办")),
                      Nav("cases:register", _("登记工单"), visible="civicloop.cases.permissions.may_register")]
        demo_steps = ["civicloop.cases.demo.generate_cases"]
        demo_reset_steps = ["civicloop.cases.demo.delete_cases"]
        periodic_tasks = [PeriodicTask("civicloop.cases.tasks.supervise_overdue", every=600,
                                       env="CIVICLOOP_SUPERVISE_EVERY")]
        import_kinds = []          # "civicloop.<app>.import_kinds.ThingSpec", a KindSpec subclass
        handled_links = ["civicloop.cases.permissions.handled_ids"]  # households/enterprises a unit works on
        field_labels = "civicloop.cases.actions.FIELD_LABELS"  # names in validation refusals (core.validation)
        home_panels = ["civicloop.cases.home.panel"]  # `f(request) -> html | None`, a panel on the home page
        record_panels = ["civicloop.cases.home.record_panel"]  # `f(request, obj) -> html | None` on a record's page
        dashboard_panels = ["civicloop.signs.dashboard.panel"]  # `f(request, *, street_id) -> html | None`, overview
        calendar_listeners = ["civicloop.cases.tasks.recount_for_year"]  # `f(*, year, source)`: a year became official
        attachment_owners = {"cases.case": "civicloop.cases.attachments.may_see"}  # who sees a case's files

Error codes need no declaration: `<app>/error_codes.py` registers them when imported, and `CoreConfig.ready`
imports that module of every installed app (`load_error_codes`).

Everything is named by dotted path and imported only when asked for, after `django.setup()`, so `apps.py` imports
no models and no app module imports another app's router: no import order can make a cycle. Apps contribute in
`INSTALLED_APPS` order (reset steps in the reverse order: later apps point at earlier apps' rows).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import autodiscover_modules, import_string


@dataclass(frozen=True)
class Nav:
    """One entry of the staff shell's navigation."""

    url_name: str  # entries whose name does not reverse are skipped (an app's pages not mounted)
    label: Any  # a lazy translation
    visible: str | None = None  # dotted path of `f(user) -> bool`; None: every signed-in user
    order: int = 100  # lower first; equal orders keep INSTALLED_APPS order (the home page uses 0)
    more: bool = False  # under the bar's "更多" menu: a desk's or an administrator's page, not everyone's daily work


@dataclass(frozen=True)
class PeriodicTask:
    """A django-tasks task that `civicloop scheduler` enqueues every `every` seconds (it must be idempotent)."""

    path: str  # dotted path of the task
    every: int  # seconds
    env: str | None = None  # environment variable that overrides `every`


@dataclass(frozen=True)
class DemoCaseRows:
    """Rows an app derives from the cases the demo writes in bulk (cases.demo), built beside them — in a slice's
    process (cases.demo_slices) — and written in the same batches: the dashboard's facts, folded from each case's
    events where they are made instead of read back from the database at the end."""

    rows: str  # dotted path of `f(sims) -> list[tuple[core.bulk.Table, list]]`: each sim has `.case`, `.events`
    # (all its events, final: objects with `seq`, `action`, `at`, `after`) and `.calendar` (a warm WorkCalendar)
    models: Sequence[str] = ()  # "app_label.Model" of the tables it fills: indexes deferred while the demo loads


class CivicAppConfig(AppConfig):
    """An app of civicloop: what it adds to the project (see the module docstring). Nothing by default."""

    # Django picks the one AppConfig subclass of an apps.py whose `default` is not False: this base class, imported
    # there too, must not count, and each app's subclass must (unless it says otherwise).
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "default" not in cls.__dict__:
            cls.default = True

    api_prefix: str | None = None
    pages_prefix: str | None = None
    navigation: Sequence[Nav] = ()
    demo_steps: Sequence[str] = ()
    # run after every app's `demo_steps`: a step that reads what all of them generated (the dashboard's fold of the
    # case events — the assessment's, the plans' and the meetings' cases included)
    demo_final_steps: Sequence[str] = ()
    demo_reset_steps: Sequence[str] = ()
    # rows derived from the demo's bulk-written cases (`DemoCaseRows`); which events those cases' rows were folded
    # from: `ctx.extra["cases_bulk_events"]`, the id ranges the cases demo wrote
    demo_case_rows: Sequence[DemoCaseRows] = ()
    periodic_tasks: Sequence[PeriodicTask] = ()
    import_kinds: Sequence[str] = ()
    # dotted paths of `f(model, unit_id) -> QuerySet | None`: the ids of `model`'s rows (households, enterprises)
    # the unit reaches through its work in this app (cases it handles) — what a department may see of them
    # beyond its duties (places.permissions). None: the app links no such row.
    handled_links: Sequence[str] = ()
    # dotted path of a dict {field name: lazy label}: how a validation refusal names this app's schema fields when
    # the schema's Field has no `title` (core.validation). The first app naming a field wins.
    field_labels: str | None = None
    # dotted paths of `f(request) -> str | None`: a panel of the person's work on the home page (rendered HTML,
    # None: nothing to show this person), in `navigation` order of the apps.
    home_panels: Sequence[str] = ()
    record_panels: Sequence[str] = ()
    # dotted paths of `f(request, *, street_id: int | None) -> str | None`: a panel on the dashboard's overview,
    # computed on every view as the viewer sees it (outside the overview's figures kept per rollup version), for
    # the overview's street filter (None: the viewer's whole scope)
    dashboard_panels: Sequence[str] = ()
    # dotted paths of `f(*, year: int, source: str)`: told (in a task, after commit) that `year`'s working-day
    # calendar became official — an administrator confirmed it or loaded the State Council's arrangement
    # (workdays.services). E.g. the cases app recounts the deadlines counted over that year. Must be idempotent.
    calendar_listeners: Sequence[str] = ()
    # {owner kind: dotted path of `f(request, attachment) -> bool`}: who may see the attachments (civicloop.files)
    # belonging to an object of this kind ("cases.case"); any app's rule saying yes lets a viewer see the file.
    attachment_owners: Mapping[str, str] = {}
    # dotted path of `f(request, refusal: CivicError) -> HttpResponse`: how this app's pages (under `pages_prefix`)
    # answer a request the input layer refuses before any view runs (a NUL, an oversize body) — a machine
    # endpoint's own error format (open311: the spec's error list) instead of the staff's error page.
    input_refusal: str | None = None


def civic_apps() -> list[CivicAppConfig]:
    return [config for config in apps.get_app_configs() if isinstance(config, CivicAppConfig)]


def api_routers() -> list[tuple[str, Any]]:
    """(prefix, router) of every app with an API, for `civicloop.api`."""
    return [(config.api_prefix, import_string(f"{config.name}.api.router"))
            for config in civic_apps() if config.api_prefix is not None]


def page_urls() -> list[tuple[str, list, str]]:
    """(prefix, urlpatterns, namespace) of every app with pages, for `civicloop.urls`."""
    return [(config.pages_prefix, import_string(f"{config.name}.urls.urlpatterns"), config.label)
            for config in civic_apps() if config.pages_prefix is not None]


def navigation_entries() -> list[Nav]:
    entries = [entry for config in civic_apps() for entry in config.navigation]
    return sorted(entries, key=lambda entry: entry.order)  # stable: INSTALLED_APPS order within an order


def nav_visible(entry: Nav, user) -> bool:
    return entry.visible is None or bool(import_string(entry.visible)(user))


def demo_steps(only=None) -> list[Callable]:
    """The other apps' generation steps, `step(ctx)`, run after the demo's own (`demo.steps.STEPS`): every app's
    `demo_steps` in INSTALLED_APPS order, then every app's `demo_final_steps`. `only`: the labels of the apps whose
    steps run (a test of the territory needs none of them); None: all."""
    configs = [c for c in civic_apps() if only is None or c.label in only]
    return [import_string(path) for field in ("demo_steps", "demo_final_steps") for config in configs
            for path in getattr(config, field)]


def demo_case_rows() -> list[tuple[Callable, list]]:
    """(`f(sims)`, [its models]) of every app's `DemoCaseRows`, in INSTALLED_APPS order."""
    return [(import_string(entry.rows), [apps.get_model(label) for label in entry.models])
            for config in civic_apps() for entry in config.demo_case_rows]


def demo_reset_steps() -> list[Callable]:
    """`reset(district)` of every app, last installed first; run before the demo deletes its own rows."""
    return [import_string(path) for config in reversed(civic_apps()) for path in config.demo_reset_steps]


def periodic_tasks() -> list[tuple[str, Any, int]]:
    """(path, task, seconds) of every periodic task, for `civicloop scheduler`."""
    return [(task.path, import_string(task.path), int(os.environ.get(task.env, task.every) if task.env else task.every))
            for config in civic_apps() for task in config.periodic_tasks]


def import_kinds() -> list[Any]:
    """One instance of every registered `imports.spec.KindSpec` subclass."""
    return [import_string(path)() for config in civic_apps() for path in config.import_kinds]


def handled_links(model, unit_id: int) -> list:
    """The id querysets of `model` (Household, Enterprise) every app says `unit_id` works on (`handled_links`)."""
    found = (import_string(path)(model, unit_id) for config in civic_apps() for path in config.handled_links)
    return [qs for qs in found if qs is not None]


def field_labels() -> dict[str, Any]:
    """{field name: label} from every app's `field_labels` (first installed app wins a name)."""
    labels: dict[str, Any] = {}
    for config in reversed(civic_apps()):
        if config.field_labels:
            labels.update(import_string(config.field_labels))
    return labels


def home_panels(request) -> list[str]:
    """The home page's panels: every app's `home_panels` for this request, the ones with something to show."""
    found = (import_string(path)(request) for config in civic_apps() for path in config.home_panels)
    return [html for html in found if html]


def dashboard_panels(request, *, street_id: int | None = None) -> list[str]:
    """The dashboard overview's panels from other apps (e.g. open sensor alarms by street), as the viewer sees them."""
    found = (import_string(path)(request, street_id=street_id) for config in civic_apps()
             for path in config.dashboard_panels)
    return [html for html in found if html]


def record_panels(request, obj) -> list[str]:
    """The panels of every app about one record (a household, an enterprise …) for its page, e.g. its cases."""
    found = (import_string(path)(request, obj) for config in civic_apps() for path in config.record_panels)
    return [html for html in found if html]


def calendar_listeners() -> list[Callable]:
    """Every app's `calendar_listeners`, in INSTALLED_APPS order (workdays.tasks calls them; it knows none)."""
    return [import_string(path) for config in civic_apps() for path in config.calendar_listeners]


def input_refusal_renderer(path: str) -> Callable | None:
    """The `input_refusal` renderer of the app whose pages hold `path` (`/<pages_prefix>…`), or None."""
    for config in civic_apps():
        if config.input_refusal and config.pages_prefix is not None and path.startswith(f"/{config.pages_prefix}"):
            return import_string(config.input_refusal)
    return None


def load_error_codes() -> None:
    """Import `<app>.error_codes` of every installed app, so each code is registered before any request."""
    autodiscover_modules("error_codes")
