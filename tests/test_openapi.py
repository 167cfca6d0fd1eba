"""Schemathesis against the app's own OpenAPI: every default check, in every phase (examples, coverage, fuzzing and
stateful sequences), 0 failures.

Runs through the WSGI application in-process, signed in as the district admin with a CSRF token, the way a browser
client is: writes reach the services (without the token every write would stop at the CSRF refusal). The session is
given to schemathesis as the schema's auth, so its `ignored_auth` check can take it away and expect a 401.
Examples are bounded so the test stays a small part of `make test` (decision XX).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.middleware.csrf import _get_new_csrf_string
from hypothesis import HealthCheck, settings
from schemathesis.openapi import from_wsgi

from civicloop.testing import PASSWORD
from civicloop.wsgi import application

# Every default check, configured twice where the API states a rule the schema cannot:
# - a schema-valid request may still be refused with 400 by a service rule (the case's state, an id that does not
#   exist, a file's contents): positive data is accepted when it answers 400 too. A 422 — the API's own schema
#   refusing what it documents as valid — stays a failure, and texts a service requires are declared (`NOT_BLANK`);
# - no text may hold a NUL (the input layer refuses it everywhere, as the API's description says): not generated.
CONFIG = schemathesis.Config.from_dict({
    "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409",
                                                                  "429", "5xx"]}},
    "generation": {"allow-x00": False},
})
schema = from_wsgi("/api/openapi.json", application, config=CONFIG)

# Examples per operation in the fuzzing phase, and the stateful run's bounds: enough to find what the probe found,
# few enough that the test takes well under a minute on one core.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))  # more for a deeper run by hand
STATEFUL = settings(max_examples=15, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck),
                    database=None)

# Auth is attached when a case is generated, and the coverage phase generates its cases when the test is collected,
# before any session exists: the cases carry these stand-ins, swapped for the running test's session and CSRF token
# just before each call (`signed`).
SESSION, CSRF = "signed-in-session", "signed-in-csrf"
_signed_in: dict[str, str] = {}  # stand-in → the running test's value (set by the `signed_in` fixture)


@schema.auth(refresh_interval=None)
class SessionAuth:
    """The district admin's session cookie and a matching CSRF cookie + header (Django's double submit)."""

    def get(self, case, context):
        return {"sessionid": SESSION, "csrftoken": CSRF}

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data}
        case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}


def signed(case):
    """`case` with the stand-ins replaced by the running test's session and token."""
    for container, names in ((case.cookies, ("sessionid", "csrftoken")), (case.headers, ("X-CSRFToken",))):
        for name in names:
            if container and container.get(name) in _signed_in:
                container[name] = _signed_in[container[name]]
    return case


@pytest.fixture
def _keep_test_connection():
    """Like Django's test client: a request must not close the connection holding the test's transaction
    (the WSGI app is called directly here, so its request signals would)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def signed_in(client, world, _keep_test_connection):
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    _signed_in.update({SESSION: client.cookies["sessionid"].value, CSRF: _get_new_csrf_string()})
    yield
    _signed_in.clear()


def test_schema_lists_the_places_and_orgs_endpoints():
    paths = schema.raw_schema["paths"]
    assert "/api/places/households/{code}" in paths and "/api/orgs/units" in paths


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, signed_in):
    signed(case).call_and_validate()


class APIWorkflow(schema.as_state_machine()):
    def before_call(self, case):
        signed(case)


def test_api_sequences_conform_to_its_schema(signed_in):
    """Stateful phase: chains of calls, each answer feeding the next one (ids of what the previous calls created)."""
    APIWorkflow.run(settings=STATEFUL)
