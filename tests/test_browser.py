"""A real Chromium against a live server: log in, drill down to a household, switch language.

The browser comes from the `browser_page` fixture in tests/conftest.py.
"""

import pytest
from playwright.sync_api import expect

from civicloop.places.models import Household
from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_street_dispatcher_browses_to_a_masked_household_and_switches_language(transactional_db, live_server, world,
                                                                                 browser_page):
    page = browser_page
    household = Household.objects.get(community=world.comm_a1)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/login/?next=/")
    page.fill("#id_username", "street_dispatcher")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#profile")).to_contain_text(world.street_a_office.name)

    page.click("#nav-items >> text=地点")
    expect(page.locator("h1")).to_contain_text(world.street_a.name)
    expect(page.locator("#children")).not_to_contain_text(world.comm_b1.name)
    # drill down by htmx: community → compound → building
    page.click(f"#children >> text={world.comm_a1.name}")
    expect(page.locator("h1")).to_contain_text(world.comm_a1.name)
    expect(page).to_have_url(f"{live_server.url}/places/{world.comm_a1.code}/")
    page.click("#children tbody a")
    expect(page.locator("h1")).to_contain_text("小区")
    page.click("#children tbody a")
    expect(page.locator("#households")).to_be_visible()
    page.click("#households tbody a")
    expect(page.locator("h1")).to_contain_text(household.address)
    expect(page.locator("[data-field=head_phone]")).to_have_text("138****1234")
    expect(page.locator("#breadcrumbs")).to_contain_text(world.comm_a1.name)
    assert page.locator("text=显示").count() == 0  # a street dispatcher may not unmask

    page.select_option("#language-form select", "en")
    expect(page.locator("#nav-items")).to_contain_text("Places")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-field=head_phone]")).to_have_text("138****1234")


def test_committee_worker_unmasks_by_htmx(transactional_db, live_server, world, browser_page):
    page = browser_page
    household = Household.objects.get(community=world.comm_a1)
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "committee_worker")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/places/households/{household.code}/")
    page.select_option("#household-head select[name=reason_code]", "verify")
    page.click("text=显示")
    expect(page.locator("[data-field=head_phone]")).to_have_text("13812341234")
    expect(page.locator("h1")).to_contain_text(household.address)  # swapped in place, not a new page
