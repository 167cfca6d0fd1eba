"""Schemathesis against the app's own OpenAPI: no server errors, and every status code returned is documented.

Runs through the WSGI application in-process, authenticated with the session cookie of the district admin.
"""

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.openapi import from_wsgi
from schemathesis.specs.openapi.checks import status_code_conformance

from civicloop.testing import PASSWORD
from civicloop.wsgi import application

schema = from_wsgi("/api/openapi.json", application)


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
def session_cookie(client, world, _keep_test_connection):
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    return {"sessionid": client.cookies["sessionid"].value}


def test_schema_lists_the_places_and_orgs_endpoints():
    paths = schema.raw_schema["paths"]
    assert "/api/places/households/{code}" in paths and "/api/orgs/units" in paths


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_api_conforms_to_its_schema(case, session_cookie):
    case.call_and_validate(cookies=session_cookie, checks=[not_a_server_error, status_code_conformance])
