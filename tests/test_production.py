"""Production mode (CIVICLOOP_ENV=production) refuses unsafe start-ups; README.md's environment passes check --deploy.

Each case starts a fresh interpreter with only the environment under test (settings are read once per process).
"""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
SETUP = [sys.executable, "-c", "import django; django.setup()"]
CLI = [sys.executable, "-m", "civicloop"]
_SECURITY_VARS = re.compile(r"^(CIVICLOOP_ENV|CIVICLOOP_PRODUCTION|SECRET_KEY|DEBUG|ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS|"
                            r"SECURE_.*|SESSION_COOKIE_.*|CSRF_COOKIE_.*|CSP_.*|DATABASE_URL)$")


def _run(command, tmp_path, **variables) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not _SECURITY_VARS.match(k)}
    src = str(Path(__file__).resolve().parents[1] / "src")  # this checkout's code, also in the child
    env.update(PYTHONPATH=os.pathsep.join([src, env.get("PYTHONPATH", "")]), DJANGO_SETTINGS_MODULE="civicloop.settings",
               CIVICLOOP_VAR=str(tmp_path), **variables)
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def readme_production_environment() -> dict[str, str]:
    """The `KEY=value` lines of the block after README.md's production-env marker; placeholders filled in."""
    text = README.read_text()
    block = re.search(r"<!-- production-env.*?-->\s*```sh\n(.*?)```", text, re.S).group(1)
    env = dict(line.split("=", 1) for line in block.splitlines() if line and not line.startswith("#"))
    env["SECRET_KEY"] = secrets.token_urlsafe(50)  # documented as a placeholder
    env["DATABASE_URL"] = env["DATABASE_URL"].replace("<password>", "secret")
    return env


GOOD = {"SECRET_KEY": "k" + secrets.token_urlsafe(50), "ALLOWED_HOSTS": "civicloop.example.gov.cn"}


def test_development_is_the_default_and_starts_with_the_built_in_key(tmp_path):
    result = _run([*SETUP[:2], "import django; django.setup(); from django.conf import settings; "
                   "print(settings.CIVICLOOP_ENV, settings.SECRET_KEY == settings.DEV_SECRET_KEY)"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["development", "True"]


@pytest.mark.parametrize("variables, message", [
    ({"ALLOWED_HOSTS": "civicloop.example.gov.cn"}, "needs its own SECRET_KEY"),
    ({"SECRET_KEY": "", "ALLOWED_HOSTS": "civicloop.example.gov.cn"}, "needs its own SECRET_KEY"),
    ({"SECRET_KEY": "civicloop-insecure-dev-key", "ALLOWED_HOSTS": "civicloop.example.gov.cn"}, "needs its own SECRET_KEY"),
    ({"SECRET_KEY": GOOD["SECRET_KEY"]}, "needs ALLOWED_HOSTS"),
    ({**GOOD, "DEBUG": "1"}, "DEBUG must be off"),
], ids=["no key", "empty key", "development key", "no hosts", "debug"])
def test_production_refuses_to_start(tmp_path, variables, message):
    result = _run(SETUP, tmp_path, CIVICLOOP_ENV="production", **variables)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_the_older_production_flag_still_means_production(tmp_path):
    result = _run(SETUP, tmp_path, CIVICLOOP_PRODUCTION="1", ALLOWED_HOSTS="x.example")
    assert result.returncode != 0 and "needs its own SECRET_KEY" in result.stderr


def test_an_unknown_mode_is_refused_not_taken_for_development(tmp_path):
    result = _run(SETUP, tmp_path, CIVICLOOP_ENV="prod")
    assert result.returncode != 0 and "CIVICLOOP_ENV must be" in result.stderr


def test_production_defaults_are_the_secure_ones(tmp_path):
    probe = ("import django; django.setup(); from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
             "s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER, "
             "s.CSRF_TRUSTED_ORIGINS)")
    result = _run([sys.executable, "-c", probe], tmp_path, CIVICLOOP_ENV="production", **GOOD,
                  SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", CSRF_TRUSTED_ORIGINS="https://a.example,https://b.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ("True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https') "
                                     "['https://a.example', 'https://b.example']")


def test_check_deploy_is_clean_under_the_documented_production_environment(tmp_path):
    env = readme_production_environment()
    assert env["CIVICLOOP_ENV"] == "production"
    result = _run([*CLI, "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_warns_in_development(tmp_path):
    # The same check is not vacuous: the development defaults fail it.
    result = _run([*CLI, "check", "--deploy", "--fail-level", "WARNING"], tmp_path)
    assert result.returncode != 0 and "security.W004" in result.stdout + result.stderr
