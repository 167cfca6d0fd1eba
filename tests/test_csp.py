"""Content-Security-Policy: every response carries it, scripts only from our own static files (issue 21).

Two halves: the header on every page, API answer and admin page a persona reaches; and the templates themselves
hold no inline script, no on…= handler and no javascript: link — the things the policy would silently break.
The browser tests (tests/conftest.py `browser_page`) fail on any CSP violation reported in the console.
"""

import re
from pathlib import Path

import pytest

import civicloop
from civicloop.places.models import Household
from civicloop.testing import PASSWORD, make_user, parameterless_urls

TEMPLATES = sorted(Path(civicloop.__file__).parent.glob("**/templates/**/*.html"))
_INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"{response.request['PATH_INFO']} has no Content-Security-Policy"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_strict(response) -> None:
    policy = _policy(response)
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, response.request["PATH_INFO"]
    assert scripts == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not _INLINE_SCRIPT.search(html), f"inline <script> in {response.request['PATH_INFO']}"
        assert not _HANDLER.search(re.sub(r"<script\b.*?</script>", "", html, flags=re.S)), response.request["PATH_INFO"]
        assert "javascript:" not in html, response.request["PATH_INFO"]



@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(civicloop.__file__).parent)))
def test_templates_hold_no_inline_script(template):
    text = template.read_text()
    assert not _INLINE_SCRIPT.search(text)
    assert not _HANDLER.search(text)
    assert "javascript:" not in text


def test_every_page_and_api_answer_carries_a_strict_policy(client, world):
    client.force_login(world.district_admin)
    household = Household.objects.filter(community=world.comm_a1).first()
    paths = {p for p in parameterless_urls() if not p.startswith("/admin/")} | {
        f"/places/{world.comm_a1.code}/", f"/places/households/{household.code}/", "/no-such-page/"}
    assert {"/", "/cases/", "/places/", "/api/docs", "/api/cases/"} <= paths
    for path in sorted(paths):
        _assert_strict(client.get(path))
    client.logout()
    _assert_strict(client.get("/login/"))
    _assert_strict(client.post("/login/", {"username": "district_admin", "password": "wrong"}))


def test_admin_pages_carry_the_policy_and_no_inline_script(client, world):
    admin = make_user("csp_admin", None, superuser=True)
    assert client.login(username=admin.username, password=PASSWORD)
    for path in ("/admin/", "/admin/places/household/", f"/admin/places/household/{Household.objects.first().pk}/change/"):
        response = client.get(path)
        assert response.status_code == 200, path
        _assert_strict(response)
