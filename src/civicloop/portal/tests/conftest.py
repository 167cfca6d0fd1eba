import pytest
from django.test import Client

from civicloop.cases.constants import AppealType


@pytest.fixture(autouse=True)
def _files_dir(settings, tmp_path):
    settings.CIVICLOOP_FILES_DIR = tmp_path / "files"


@pytest.fixture
def cats(db):
    from civicloop.cases.models import Category
    from civicloop.cases.services import categories_ensure_defaults

    categories_ensure_defaults()
    return {c.code: c for c in Category.objects.all()}


@pytest.fixture
def public():
    """A browser of the public: no account, its own session."""
    return Client(REMOTE_ADDR="203.0.113.7")


def report_data(world, **extra):
    data = {"district": world.district.code, "description": "小区门口路灯不亮，晚上很黑。", "street": world.street_a.code,
            "community": world.comm_a1.code, "phone": "13912345678", "address": "1号门"}
    data["appeal_type"] = AppealType.HELP
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def post_report(client, world, files=(), **extra):
    data = report_data(world, **extra)
    if files:
        data["photos"] = list(files)
    return client.post("/portal/", data)


def reported(client) -> tuple[str, str]:
    """The code and secret of the report just made, read off the page that shows them once."""
    import re

    page = client.get("/portal/reported/").content.decode()
    code = re.search(r'id="tracking-code">([^<]+)<', page).group(1)
    secret = re.search(r'id="tracking-secret">([^<]+)<', page).group(1)
    return code, secret
