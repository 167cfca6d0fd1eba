"""Browser tests: Debian's chromium (scripts/test.sh installs it with apt); Playwright's own download is not used."""

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture
def browser_page(monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls of fixtures' teardown are still
    # synchronous code, so Django's async-safety guard is lifted for the test only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # The live server answers each request in a new thread: with persistent connections (CONN_MAX_AGE) those
    # threads' connections outlive the test and PostgreSQL then refuses to drop the test database.
    from django.db import connections

    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(locale="zh-CN")
        page.set_default_timeout(15_000)
        # The Content-Security-Policy refuses inline scripts (issue 21): anything it blocks is reported in the
        # console, and a page that still relies on such a script fails its test here.
        violations = []
        page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
        page.on("pageerror", lambda e: violations.append(f"page error: {e}"))
        yield page
        browser.close()
        assert not violations, violations
        # ORM calls made while Playwright's loop runs use their own connection (Django's connections are
        # per async context too): close it here, in that context, or the test database cannot be dropped.
        connections.close_all()
