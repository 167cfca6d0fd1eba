"""API keys: never stored in clear, managed by district administrators, scoped, revocable, rate-limited, audited."""

import pytest
from django.test import RequestFactory

from civicloop.apikeys import services
from civicloop.apikeys.auth import KeyAuth, require_key
from civicloop.apikeys.constants import KeyAuditAction, KeyScope
from civicloop.apikeys.error_codes import KeyErrorCode
from civicloop.apikeys.models import ApiKey
from civicloop.core.error_codes import CoreErrorCode
from civicloop.core.errors import CivicError, ErrorCode
from civicloop.core.models import AuditLog


def _create(world, **kw):
    kw.setdefault("name", "城市App")
    kw.setdefault("scopes", [KeyScope.OPEN311])
    kw.setdefault("rate_limit", 100)
    return services.api_key_create(actor=world.district_admin, **kw)


def _refused(code, fn, *args, **kw):
    with pytest.raises(CivicError) as e:
        fn(*args, **kw)
    assert e.value.code == code
    return e.value


def test_the_key_is_never_stored_in_clear(world):
    row, key = _create(world)
    assert key.startswith(f"cl_{row.prefix}_") and len(key) > 50
    stored = ApiKey.objects.filter(pk=row.pk).values().get()
    secret = key.split("_", 2)[2]
    assert all(secret not in str(value) for value in stored.values())
    assert stored["key_hash"] == services.key_digest(key) != key
    audit = AuditLog.objects.get(action=KeyAuditAction.CREATE, object_id=str(row.pk))
    assert secret not in str(audit.details) and audit.user == world.district_admin
    assert audit.district_id == world.district.pk


def test_only_district_administrators_manage_keys(world):
    _refused(ErrorCode.FORBIDDEN, services.api_key_create, actor=world.street_dispatcher, name="x",
             scopes=[KeyScope.OPEN311], rate_limit=10)
    _refused(ErrorCode.INVALID, _create, world, scopes=["everything"])
    _refused(ErrorCode.INVALID, _create, world, rate_limit=0)
    # an acting user must be a registrar of the key's district
    _refused(ErrorCode.NOT_FOUND, _create, world, acting_user_id=world.stranger.pk)
    _refused(ErrorCode.INVALID, _create, world, acting_user_id=world.leader.pk)
    row, _key = _create(world, acting_user_id=world.street_dispatcher.pk)
    assert row.acting_user == world.street_dispatcher
    # another district's administrator neither sees nor revokes it
    _refused(ErrorCode.NOT_FOUND, services.api_key_revoke, actor=world.stranger, key_id=row.pk)


def test_revoke_is_audited_and_refuses_the_key_at_once(world):
    row, key = _create(world)
    request = RequestFactory().get("/", HTTP_X_API_KEY=key)
    assert require_key(request, KeyScope.OPEN311) == row
    services.api_key_revoke(actor=world.district_admin, key_id=row.pk)
    assert AuditLog.objects.filter(action=KeyAuditAction.REVOKE, object_id=str(row.pk)).count() == 1
    _refused(KeyErrorCode.KEY_REVOKED, require_key, RequestFactory().get("/", HTTP_X_API_KEY=key), KeyScope.OPEN311)
    _refused(ErrorCode.CONFLICT, services.api_key_revoke, actor=world.district_admin, key_id=row.pk)


def test_where_a_key_may_be_presented_and_what_is_refused(world):
    row, key = _create(world)
    rf = RequestFactory()
    assert require_key(rf.get("/", HTTP_AUTHORIZATION=f"Bearer {key}"), KeyScope.OPEN311) == row
    assert require_key(rf.get("/", {"api_key": key}), KeyScope.OPEN311) == row
    assert require_key(rf.post("/", {"api_key": key}), KeyScope.OPEN311) == row
    _refused(KeyErrorCode.KEY_MISSING, require_key, rf.get("/"), KeyScope.OPEN311)
    _refused(KeyErrorCode.KEY_INVALID, require_key, rf.get("/", HTTP_X_API_KEY=key + "x"), KeyScope.OPEN311)
    _refused(KeyErrorCode.KEY_INVALID, require_key, rf.get("/", HTTP_X_API_KEY="x" * 5000), KeyScope.OPEN311)
    _refused(KeyErrorCode.KEY_SCOPE, require_key, rf.get("/", HTTP_X_API_KEY=key), KeyScope.HOTLINE)
    # the ninja auth class answers the same key
    assert KeyAuth(KeyScope.OPEN311)(rf.get("/", HTTP_X_API_KEY=key)) == row


def test_a_key_is_rate_limited_and_stamped_at_most_once_a_minute(world, django_assert_max_num_queries):
    row, key = _create(world, rate_limit=3)
    rf = RequestFactory()
    require_key(rf.get("/", HTTP_X_API_KEY=key), KeyScope.OPEN311)
    first = ApiKey.objects.get(pk=row.pk).last_used_at
    assert first is not None
    with django_assert_max_num_queries(2):  # the key, the counter; no stamp within the minute
        require_key(rf.get("/", HTTP_X_API_KEY=key), KeyScope.OPEN311)
    assert ApiKey.objects.get(pk=row.pk).last_used_at == first
    require_key(rf.get("/", HTTP_X_API_KEY=key), KeyScope.OPEN311)
    error = _refused(CoreErrorCode.RATE_LIMITED, require_key, rf.get("/", HTTP_X_API_KEY=key), KeyScope.OPEN311)
    assert error.status == 429 and error.params["retry_after"] > 0


def test_the_page_shows_a_new_key_once(world, client):
    client.force_login(world.district_admin)
    response = client.post("/apikeys/", {"name": "市12345平台", "scopes": ["hotline"], "rate_limit": "120"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    row = ApiKey.objects.get(name="市12345平台")
    key = response.context["new_key"]
    assert key.startswith(f"cl_{row.prefix}_") and key in response.content.decode()
    assert row.scopes == ["hotline"] and row.rate_limit == 120
    again = client.get("/apikeys/")
    assert again.status_code == 200 and key not in again.content.decode() and row.prefix in again.content.decode()
    assert client.post(f"/apikeys/{row.pk}/revoke/").status_code == 302
    assert ApiKey.objects.get(pk=row.pk).revoked


def test_the_page_refuses_everyone_else(world, client):
    client.force_login(world.street_dispatcher)
    assert client.get("/apikeys/").status_code == 403
    row, _key = _create(world)
    client.force_login(world.stranger)
    assert client.post(f"/apikeys/{row.pk}/revoke/").status_code == 404
    assert not ApiKey.objects.get(pk=row.pk).revoked


def test_the_ninja_auth_class_answers_our_error_body(world):
    """An endpoint of the JSON API protected by `KeyAuth`: the key in `request.auth`; refusals as CivicError
    bodies with their status (401, 403 out of scope, 429 with Retry-After)."""
    from ninja import NinjaAPI
    from ninja.testing import TestClient

    from civicloop.core.api import install_error_handlers

    api = NinjaAPI(urls_namespace="apikeys-test")
    install_error_handlers(api)

    @api.get("/feed", auth=KeyAuth(KeyScope.HOTLINE))
    def feed(request):
        return {"key": request.auth.name, "district": request.auth.district_id}

    client = TestClient(api)
    row, key = _create(world, scopes=[KeyScope.HOTLINE], rate_limit=2)
    _other, open311_key = _create(world, scopes=[KeyScope.OPEN311])
    ok = client.get("/feed", headers={"X-Api-Key": key})
    assert ok.status_code == 200 and ok.json() == {"key": row.name, "district": world.district.pk}
    missing = client.get("/feed")
    assert missing.status_code == 401 and missing.json()["code"] == KeyErrorCode.KEY_MISSING
    assert client.get("/feed", headers={"X-Api-Key": open311_key}).json()["code"] == KeyErrorCode.KEY_SCOPE
    client.get("/feed", headers={"Authorization": f"Bearer {key}"})
    limited = client.get("/feed", headers={"X-Api-Key": key})
    assert limited.status_code == 429 and limited.json()["code"] == CoreErrorCode.RATE_LIMITED
    assert int(limited["Retry-After"]) > 0


def test_the_admin_lists_keys_read_only_and_revokes_through_the_service(world, client):
    from civicloop.testing import make_user

    row, key = _create(world)
    root = make_user("root", None, superuser=True)
    client.force_login(root)
    assert client.get("/admin/apikeys/apikey/").status_code == 200
    page = client.get(f"/admin/apikeys/apikey/{row.pk}/change/")
    assert page.status_code == 200 and row.key_hash not in page.content.decode()
    assert client.get("/admin/apikeys/apikey/add/").status_code == 403
    client.post("/admin/apikeys/apikey/", {"action": "revoke", "_selected_action": [row.pk]})
    assert ApiKey.objects.get(pk=row.pk).revoked
    assert AuditLog.objects.filter(action=KeyAuditAction.REVOKE, object_id=str(row.pk), user=root).exists()
