"""Under the Content-Security-Policy (scripts from our own files only) the pages' scripts still run.

`browser_page` (tests/conftest.py) fails a test on any CSP violation reported in the console; the htmx pages
are exercised by test_browser.py and test_browser_case_loop.py.
"""

import pytest
from playwright.sync_api import expect

from civicloop.testing import PASSWORD

pytestmark = pytest.mark.browser


def test_api_docs_and_error_page_work_under_the_policy(transactional_db, live_server, world, browser_page):
    page = browser_page
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", "district_admin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#nav-items")).to_be_visible()
    page.goto(f"{live_server.url}/api/docs")  # Swagger UI from our static files, configured without inline code
    expect(page.locator("#swagger-ui")).to_contain_text("/api/cases/inbox")
    assert page.evaluate("typeof htmx") == "undefined"

    page.goto(f"{live_server.url}/cases/")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False  # no inline <style> injected by htmx
    assert page.evaluate("htmx.config.allowEval") is False
    page.goto(f"{live_server.url}/cases/999999999/")  # an error page: its back link is wired by civicloop.js
    page.click("a[data-history-back]")
    expect(page).to_have_url(f"{live_server.url}/cases/")
