"""A number past 64 bits in a query is the caller's mistake: 422 with our error body (API) or the error page, never a
500 — SQLite refuses to bind such integers; PostgreSQL compares them and finds nothing."""

import pytest

from civicloop.testing import PASSWORD

HUGE = "10071825653010812928"  # 2**63 < HUGE: not a 64-bit integer


@pytest.fixture
def admin_client(client, world):
    assert client.login(username=world.district_admin.username, password=PASSWORD)
    return client


def test_api_answers_a_huge_filter_value_with_the_error_body(admin_client):
    # the schema declares ids as 64-bit (core.api.PathId), so the API refuses it before any query, on every database
    response = admin_client.get(f"/api/cases/?category={HUGE}")
    assert response.status_code == 422
    assert response.json()["code"] == "invalid" and response.json()["details"][0]["name"] == "category"  # the label is in "field" (issue 11)


def test_a_page_answers_a_huge_id_as_not_found(admin_client):
    assert admin_client.get(f"/cases/{HUGE}/").status_code == 404


def test_pages_render_a_number_overflow_as_a_refusal(rf, world):
    """Where a page's query does hit the database's limit, the one page error renderer answers it."""
    from civicloop.core.middleware import CivicErrorMiddleware

    request = rf.get("/cases/")
    request.user = world.district_admin
    response = CivicErrorMiddleware(lambda r: None).process_exception(request, OverflowError("too large"))
    assert response.status_code == 400 and "数字超出允许范围" in response.content.decode()
