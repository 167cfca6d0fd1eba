"""The assessment at phone width (390 px): the evaluation matrix scrolls inside its own box (the page does not),
the scorecard and the provenance read as lists, the finding form fits. Screenshots under var/screenshots/."""

from pathlib import Path

import pytest
from django.conf import settings

from civicloop.assess.models import Score
from civicloop.assess.tests.conftest import clock, computed, loop, small_set  # noqa: F401  (fixtures)
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_assessment_pages_at_phone_width(transactional_db, live_server, computed, browser_page):  # noqa: F811
    from civicloop.assess.services import inspections
    from civicloop.orgs.constants import Role
    from civicloop.testing import make_user

    w = computed.loop.world
    member = make_user("inspector", w.research, Role.INSPECTOR)
    r = inspections.round_create(actor=w.district_admin, name="巡访", kind="citizen_team", start=computed.run.start,
                                 end=computed.run.end, member_ids=[member.pk])
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", w.district_admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    k1a = Score.objects.get(run=computed.run, unit=w.street_a_office, indicator_id=computed.codes["K1"])
    for name, url in (("run", f"/assess/runs/{computed.run.pk}/"),
                      ("run-dimension", f"/assess/runs/{computed.run.pk}/?dim={k1a.indicator.dimension_id}"),
                      ("scorecard", f"/assess/runs/{computed.run.pk}/units/{w.street_a_office.pk}/"),
                      ("score", f"/assess/scores/{k1a.pk}/"), ("set", f"/assess/sets/{computed.set.pk}/"),
                      ("round", f"/assess/inspections/{r.pk}/"), ("home", "/assess/")):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, name
        page.screenshot(path=str(shots / f"assess-{name}-390.png"), full_page=True)
