"""Nothing from outside (issue 11): every page, the API docs and the admin load only the site's own files — no
src/href to another host, so an intranet without internet shows them whole — and the shell has a favicon."""

import re

from django.contrib.staticfiles import finders

from civicloop.places.models import Household
from civicloop.testing import PASSWORD, make_user, parameterless_urls

_LINK = re.compile(r"""\b(?:src|href|action)\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?(https?:)?//""", re.IGNORECASE)



def _outside(html: str) -> list[str]:
    links = [u for u in _LINK.findall(html) if re.match(r"^(https?:)?//", u.strip())]
    return links + [m.group(0) for m in _CSS_URL.finditer(html)]


def _check(client, path: str) -> str:
    response = client.get(path, follow=True)
    if not response.get("Content-Type", "").startswith("text/html"):
        return ""
    html = response.content.decode()
    assert not _outside(html), (path, _outside(html))
    return html


def test_every_page_links_only_the_site(client, world):
    admin = make_user("outside_admin", None, superuser=True)
    household = Household.objects.filter(community=world.comm_a1).first()
    paths = {p for p in parameterless_urls() if "/api/" not in p[:5] or p == "/api/docs"} | {
        f"/places/{world.comm_a1.code}/", f"/places/households/{household.code}/", "/admin/places/household/"}
    assert {"/", "/cases/", "/api/docs", "/admin/"} <= paths
    for user in (world.district_admin, world.street_dispatcher):
        client.force_login(user)
        for path in sorted(p for p in paths if not p.startswith("/admin/")):
            _check(client, path)
    assert client.login(username=admin.username, password=PASSWORD)
    for path in sorted(p for p in paths if p.startswith("/admin/")):
        _check(client, path)


def test_api_docs_load_swagger_from_our_static_files(client, world):
    client.force_login(world.district_admin)
    html = _check(client, "/api/docs")
    assets = [u for u in _LINK.findall(html) if u.endswith((".js", ".css"))]
    assert assets and all(u.startswith("/static/") for u in assets), assets
    for asset in assets:  # each one is a file we ship (a blank page otherwise)
        assert finders.find(asset.removeprefix("/static/").split("?")[0]), asset


def test_shell_has_a_favicon(client, world):
    client.force_login(world.street_dispatcher)
    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html).group(1)
    assert icon.startswith("/static/") and finders.find(icon.removeprefix("/static/"))
    assert client.get("/favicon.ico")["Location"] == icon
