"""At phone width (390 px) the inbox's case list is a column of card-like rows, not a table squeezed to one
character per line (issue 11). Screenshots are kept under var/screenshots/ (not in git) to look at."""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.services import categories_ensure_defaults
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_the_inbox_list_is_cards_at_phone_width(transactional_db, live_server, world, browser_page):
    categories_ensure_defaults()
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                           description="楼道堆物，影响通行，请尽快处理。" * 3, reporter_name="李四")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.street_dispatcher.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/cases/")
    row = page.locator(f"#case-list tr[data-case='{case.pk}']")
    card = row.locator("td.d-sm-none")
    expect(card).to_be_visible()
    expect(card).to_contain_text(case.tracking_code)
    expect(row.locator("td.d-sm-table-cell").first).to_be_hidden()
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # nothing runs off the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "inbox-390.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(row.locator("td.d-sm-table-cell").first).to_be_visible()
    expect(card).to_be_hidden()
    page.screenshot(path=str(shots / "inbox-1366.png"), full_page=True)


def test_the_unit_picker_filters_by_name(transactional_db, live_server, world, browser_page):
    categories_ensure_defaults()
    case = s.case_register(actor=world.street_dispatcher, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                           description="楼道堆物", reporter_name="李四")
    from civicloop.cases.models import Category

    s.case_triage(actor=world.street_dispatcher, case_id=case.pk, category_id=Category.objects.get(code="0201").pk)
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.street_dispatcher.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/cases/{case.tracking_code}/")
    page.fill("[data-filter-select='f-dispatch-lead_unit_id']", "房管")
    hidden = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#f-dispatch-lead_unit_id option')]
        .map(o => [o.textContent, o.hidden]))""")
    assert hidden[world.housing.name] is False and hidden[world.committee_a1.name] is True
