"""The duplicate check in Chromium (issue 19): the grid worker typing "12号楼电梯又坏了，老人下不了楼" on the register
form sees the two open reports of that elevator before saving; the dispatcher folds them into the new case with one
click on its page. At 1366 and 390 px; screenshots under var/screenshots/ (not in git)."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.cases.services import categories_ensure_defaults
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def _login(page, url, user):
    page.goto(f"{url}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")


def test_the_grid_worker_sees_the_elevators_reports_and_the_dispatcher_merges(transactional_db, live_server, world,
                                                                              browser_page):
    from civicloop.cases.models import Category
    from civicloop.dupes.index import INDEX

    # the index is the process's (decision 88) and follows the event log forward; the suite's earlier tests rolled
    # their events back and this test's ids start again below them: start it afresh, as a new process would
    INDEX.reset()
    from civicloop.places.constants import PlaceLevel
    from civicloop.places.models import Place
    from civicloop.places.services import place_create

    categories_ensure_defaults()
    elevator = Category.objects.get(code="0201")
    compound = Place.objects.get(parent=world.comm_a1, level=PlaceLevel.COMPOUND)
    b12 = place_create(code=f"{compound.code}-B12", name="12号楼", level=PlaceLevel.BUILDING, parent=compound)
    reports = []
    for text, channel in (("12号楼电梯坏了三天了，老人住在9楼，上下楼太难了，物业说在等配件。", Channel.HOTLINE_12345),
                          ("12号楼1号电梯故障报警：困人报警触发，电梯运行中断。", Channel.SENSOR)):
        case = s.case_register(actor=world.street_dispatcher, channel=channel, place_id=b12.pk, description=text,
                               reporter_name="李四", reporter_phone="13912345678")
        s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=elevator.pk)
        reports.append(case)
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page = browser_page
    page.set_default_timeout(90_000)  # a shared, busy machine (expect() has its own timeout: given below)
    _login(page, live_server.url, world.committee_worker)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/cases/register/")
        page.select_option("#id_community", world.comm_a1.code)
        page.fill("#id_description", "12号楼电梯又坏了，老人下不了楼")
        page.locator("#id_description").dispatch_event("change")
        box = page.locator("#dupes-check")
        expect(box).to_contain_text(reports[0].tracking_code, timeout=60_000)
        expect(box).to_contain_text(reports[1].tracking_code, timeout=60_000)
        expect(box).to_contain_text("同一楼栋", timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"dupes-register-{width}.png"), full_page=True)
    new = s.case_register(actor=world.committee_worker, channel=Channel.GRID_INSPECTION, place_id=world.comm_a1.pk,
                          description="12号楼电梯又坏了，老人下不了楼")
    page.context.clear_cookies()
    _login(page, live_server.url, world.street_dispatcher)
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"{live_server.url}/cases/{new.tracking_code}/")
        panel = page.locator("#dupes-panel")
        expect(panel).to_contain_text("可能重复的未办结工单", timeout=60_000)
        expect(panel).to_contain_text(reports[1].tracking_code, timeout=60_000)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(shots / f"dupes-case-{width}.png"), full_page=True)
    page.once("dialog", lambda d: d.accept())
    page.locator("#dupes-panel button", has_text="全部并入本工单").click()
    expect(page.locator("body")).to_contain_text("合并到本工单", timeout=60_000)
    assert set(Case.objects.filter(merged_into=new).values_list("pk", flat=True)) == {r.pk for r in reports}
