"""The registry: each app's AppConfig declares what it adds; the central files read it."""

from django.apps import apps

from civicloop.core import registry
from civicloop.core.registry import CivicAppConfig, Nav
from civicloop.web import context


def test_every_civicloop_app_is_a_civic_app_config():
    # Django would silently fall back to a plain AppConfig if an apps.py had two candidate subclasses.
    ours = [c for c in apps.get_app_configs() if c.name.startswith("civicloop.")]
    assert ours and all(isinstance(c, CivicAppConfig) for c in ours), [type(c) for c in ours]


def test_routers_pages_and_steps_come_from_the_apps_in_installed_order():
    assert [prefix for prefix, _router in registry.api_routers()] == [
        "places/", "orgs/", "imports/", "cases/", "visits/", "dashboard/", "hotline/", "assess/", "plans/", "meetings/",
        "signs/", "routing/", "volunteers/", "hall/", "dupes/"]
    assert [(prefix, ns) for prefix, _urls, ns in registry.page_urls()] == [
        ("places/", "places"), ("imports/", "imports"), ("files/", "files"), ("cases/", "cases"),
        ("visits/", "visits"), ("portal/", "portal"), ("dashboard/", "dashboard"), ("apikeys/", "apikeys"),
        ("open311/v2/", "open311"), ("hotline/", "hotline"), ("assess/", "assess"), ("plans/", "plans"),
        ("meetings/", "meetings"), ("signs/", "signs"), ("routing/", "routing"), ("volunteers/", "volunteers"),
        ("hall/", "hall"), ("dupes/", "dupes"), ("", "web")]
    assert [s.__name__ for s in registry.demo_steps()] == [
        "generate_cases", "generate_visits", "generate_keys", "generate_mappings", "generate_assessment",
        "generate_plans", "generate_meetings", "generate_signs", "generate_volunteers", "generate_hall",
        "generate_clusters",
        "generate_rollups", "publish_earlier_year", "fit_demo_model"]  # final steps: they read every app's output
    # reset: the later apps' rows first (they point at the earlier ones')
    assert [s.__name__ for s in registry.demo_reset_steps()] == [
        "delete_hall", "delete_volunteers", "delete_routing", "delete_signs", "delete_meetings", "delete_plans",
        "delete_assessment", "delete_hotline", "delete_submissions", "delete_keys", "delete_rollups", "delete_reports",
        "delete_visits", "delete_cases", "delete_attachments"]
    assert [spec.kind for spec in registry.import_kinds()] == [
        "territory", "households", "enterprises", "units", "staff", "people", "pairings", "hotline_orders",
        "assess_indicators", "plan_tasks", "devices"]


def test_periodic_task_interval_from_the_environment(monkeypatch):
    # (issue 21 adds core's WAL checkpoint, first: core comes first in INSTALLED_APPS)
    assert [(path, every) for path, _task, every in registry.periodic_tasks()] == [
        ("civicloop.core.tasks.wal_checkpoint", 30), ("civicloop.core.tasks.rate_counts_purge", 3600),
        ("civicloop.files.tasks.orphans_purge", 86_400), ("civicloop.cases.tasks.supervise_overdue", 600),
        ("civicloop.dashboard.tasks.refresh_rollups", 60), ("civicloop.signs.tasks.evaluate_all", 300),
        ("civicloop.signs.tasks.partitions_ahead", 21_600), ("civicloop.routing.tasks.refit_all", 86_400),
        ("civicloop.hall.tasks.close_due", 600)]
    monkeypatch.setenv("CIVICLOOP_SUPERVISE_EVERY", "42")
    assert [every for _path, _task, every in registry.periodic_tasks()] == [30, 3600, 86_400, 42, 60, 300, 21_600, 86_400, 600]


def test_navigation_per_persona(rf, world, monkeypatch):
    def labels(user):
        request = rf.get("/")
        request.user = user
        return [str(item["label"]) for item in context.navigation(request)["navigation"]]

    assert labels(world.street_dispatcher) == ["首页", "地点", "我的待办", "登记工单", "走访活动", "数据看板", "考核评比",
                                               "挂图作战", "工作例会", "感知预警", "志愿服务", "议事厅"]
    # handlers register too; a department reads no campaign (no territory) but its own figures; keeps no work meeting
    assert labels(world.dept_handler) == ["首页", "地点", "我的待办", "登记工单", "数据看板", "考核评比", "挂图作战"]
    # case_register refuses leaders
    assert labels(world.leader) == ["首页", "地点", "我的待办", "走访活动", "数据看板", "考核评比", "挂图作战", "工作例会",
                                    "感知预警", "职责争议", "志愿服务", "议事厅"]
    assert labels(world.nobody) == ["首页", "地点", "我的待办"]
    entries = registry.navigation_entries()
    monkeypatch.setattr(registry, "navigation_entries",
                        lambda: [*entries, Nav("web:home", "only admins", visible="civicloop.core.tests.test_registry.never")])
    assert "only admins" not in labels(world.district_admin)


def never(user) -> bool:
    return False
