""""How to add an app" holds: an app written in its own package (tests/sampleapp) and added to INSTALLED_APPS —
nothing else — gets its API router, its pages, its navigation entries, its error codes, its demo steps, its
periodic task, its import kind, its home-page panel, its field labels and its calendar listener, through the
central files that name no app.

Runs in a fresh interpreter with settings that only extend INSTALLED_APPS (tests/sampleapp/settings.py).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import json
import django
django.setup()
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from civicloop.api import api
from civicloop.core import registry
from civicloop.core.errors import CivicError
from civicloop.imports.kinds import KINDS
from civicloop.web.context import navigation

client = Client()
ping = client.get("/api/sample/ping")
refused = client.get("/api/sample/refuse")
echo = client.get("/api/sample/echo?count=x")
everyone = SimpleNamespace(user=SimpleNamespace(is_authenticated=True, is_active=False, pk=None, unit_id=None), path="/")
print(json.dumps({
    "openapi_paths": sorted(p for p in api.get_openapi_schema()["paths"] if p.startswith("/api/sample/")),
    "ping": [ping.status_code, ping.json()],
    "refused": [refused.status_code, refused.json()["code"]],
    "page": [reverse("sampleapp:index"), client.get("/sample/").content.decode()],
    "nav": [item["url"] for item in navigation(everyone)["navigation"] if item["url"].startswith("/sample/")],
    "status": CivicError("sample_refused").status,
    "demo": [f.__module__ + "." + f.__name__ for f in registry.demo_steps()],
    "reset": [f.__module__ + "." + f.__name__ for f in registry.demo_reset_steps()],
    "tasks": {path: every for path, _task, every in registry.periodic_tasks()},
    "kinds": list(KINDS),
    "panels": registry.home_panels(everyone),
    "echo": [echo.status_code, echo.json()["details"][0]["field"]],
    "calendar": registry.calendar_listeners()[-1](year=2027, source="x"),  # the sample's (the cases' one writes)
}))
"""


def test_an_app_added_to_installed_apps_alone_is_wired_everywhere():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.sampleapp.settings", "SAMPLE_TICK_EVERY": "42",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    env.pop("DATABASE_URL", None)  # nothing here touches the database
    done = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=120,
                          cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert got["openapi_paths"] == ["/api/sample/echo", "/api/sample/ping", "/api/sample/refuse"]
    assert got["ping"] == [200, {"pong": True}]
    assert got["refused"] == [409, "sample_refused"]
    assert got["page"] == ["/sample/", "sample page"]
    assert got["nav"] == ["/sample/"]  # the entry whose predicate refuses is not shown
    assert got["status"] == 409
    # the last app's step is the last ordinary one; the apps' final steps (what reads every app's output) follow
    assert got["demo"][-4:] == ["tests.sampleapp.demo.generate", "civicloop.dashboard.demo.generate_rollups",
                                "civicloop.assess.demo.publish_earlier_year", "civicloop.routing.demo.fit_demo_model"]
    assert got["reset"][0] == "tests.sampleapp.demo.reset"  # last installed, reset first
    assert got["tasks"]["tests.sampleapp.tasks.tick"] == 42
    assert got["kinds"][-1] == "sample_things"
    assert got["panels"][-1] == '<section id="sample-panel">sample panel</section>'  # `nothing` left out
    assert got["echo"] == [422, "样例数量"]  # a validation refusal names the field by the app's label
    assert got["calendar"] == "2027 x"  # told when a calendar year becomes official (workdays), last installed last
