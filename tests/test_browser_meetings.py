"""At phone width (390 px) a work meeting's pack reads without running off the screen — items, minutes, the
decision form and the decisions with their outcomes — and the decision form, submitted with htmx, records one
decision however often it is clicked. Screenshots under var/screenshots/ (not in git)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from civicloop.meetings.models import Decision
from civicloop.meetings.services import (
    decision_record,
    item_add,
    item_minutes_record,
    meeting_create,
    meeting_hold,
)
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_the_pack_at_phone_width(transactional_db, live_server, world, browser_page):
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    m = meeting_create(actor=world.street_dispatcher, title="天平路街道12月第1周工作例会", date=timezone.localdate(),
                       street_id=world.street_a.pk)
    item = item_add(actor=world.street_dispatcher, meeting_id=m.pk,
                    title="老旧小区加装电梯意见征询进度滞后，需协调住建部门和居民代表召开协调会" * 2)
    meeting_hold(actor=world.street_dispatcher, meeting_id=m.pk)
    item_minutes_record(actor=world.street_dispatcher, item_id=item.pk, minutes="听取汇报，要求本月完成征询。")
    decision_record(actor=world.street_dispatcher, meeting_id=m.pk, item_id=item.pk, kind="case",
                    text="对沿街违规设摊开展专项整治，形成长效管理机制")
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", world.street_dispatcher.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/meetings/{m.pk}/")
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("专项整治")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "meeting-pack-390.png"), full_page=True)
    form = page.locator(f"#item-{item.pk} details.decide")
    form.locator("summary").click()
    form.locator("textarea[name=text]").fill("排查楼道堆物，一周内完成清理")
    form.locator("button[type=submit]").dblclick()
    expect(page.locator(f"#item-{item.pk}")).to_contain_text("排查楼道堆物")
    assert Decision.objects.filter(meeting=m, text="排查楼道堆物，一周内完成清理").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.goto(f"{live_server.url}/meetings/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
