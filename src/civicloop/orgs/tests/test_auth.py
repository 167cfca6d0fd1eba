"""The request's user and session, read by hand-compiled statements (decision 30): they must give what the ORM
would — the same user, unit, places and roles, the same scope — in one statement each."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from civicloop.orgs.auth import Backend
from civicloop.orgs.models import User
from civicloop.orgs.scope import _compute_scope, scope_for
from civicloop.orgs.sessions import SessionStore


@pytest.mark.parametrize("name", ["district_admin", "street_dispatcher", "committee_worker", "dept_handler",
                                  "stranger", "nobody"])
def test_backend_loads_what_the_orm_loads_in_one_statement(world, name):
    expected = getattr(world, name)
    with CaptureQueriesContext(connection) as q:
        user = Backend().get_user(expected.pk)
        scope = scope_for(user)
    assert len(q.captured_queries) == 1
    plain = User.objects.get(pk=expected.pk)
    assert [getattr(user, f.attname) for f in User._meta.concrete_fields] == [
        getattr(plain, f.attname) for f in User._meta.concrete_fields]
    assert isinstance(user.last_login, (dt.datetime, type(None))) and isinstance(user.is_active, bool)
    assert user.roles == plain.roles
    assert scope == _compute_scope(plain)
    if plain.unit_id:
        assert user.unit.code == plain.unit.code and user.unit.district_id == plain.unit.district_id
        assert (user.unit.territory and user.unit.territory.path) == (plain.unit.territory and plain.unit.territory.path)
    else:
        assert user.unit is None


def test_backend_refuses_missing_and_inactive_users(world):
    assert Backend().get_user(10**9) is None
    assert Backend().get_user("not-a-number") is None
    User.objects.filter(pk=world.dept_handler.pk).update(is_active=False)
    assert Backend().get_user(world.dept_handler.pk) is None


def test_role_change_shows_on_the_next_request(world):
    world.dept_handler.role_rows.create(role="dispatcher")
    assert "dispatcher" in Backend().get_user(world.dept_handler.pk).roles


def test_session_store_reads_live_sessions_and_not_expired_ones(db):
    store = SessionStore()
    store["k"] = "值"
    store.save()
    with CaptureQueriesContext(connection) as q:
        assert SessionStore(store.session_key).load() == {"k": "值"}
    assert len(q.captured_queries) == 1
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    again = SessionStore(store.session_key)
    assert again.load() == {} and again.session_key is None
    assert SessionStore("x" * 32).load() == {}
