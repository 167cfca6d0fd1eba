"""Login throttling (django-axes), the administrator's unlock, and the audit rows of logins (issue 21)."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse

from civicloop.core.models import AuditLog
from civicloop.orgs.auth import client_ip
from civicloop.orgs.constants import AuthEvent
from civicloop.testing import PASSWORD, make_user

LOGIN = "/login/"


def post_login(client, username, password, ip="127.0.0.1", url=LOGIN):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_then_the_right_one_does_not_log_in_until_unlocked(client, world, settings):
    user = world.street_dispatcher.username
    for _ in range(30):
        post_login(client, user, "wrong-password")
    response = post_login(client, user, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    page = response.content.decode()
    assert 'id="login-locked"' in page and "已被暂时锁定" in page and "30 分钟" in page
    assert f'value="{user}"' in page  # the login page again, the name kept

    call_command("axes_reset_username", user)
    response = post_login(client, user, PASSWORD)
    assert response.status_code == 302 and signed_in(client)


def test_the_limit_is_five_by_default_and_the_lockout_message_has_an_english_version(client, world):
    user = world.dept_handler.username
    for _ in range(4):
        assert post_login(client, user, "wrong-password").status_code == 200
    assert post_login(client, user, "wrong-password").status_code == 429  # the fifth starts the lockout
    client.cookies["django_language"] = "en"
    page = post_login(client, user, PASSWORD).content.decode()
    assert "Too many failed logins" in page and "30 minutes" in page


def test_an_account_is_locked_from_every_address_and_an_address_for_every_account(client, world):
    victim = world.committee_worker.username
    for _ in range(5):
        post_login(client, victim, "wrong-password", ip="10.0.0.1")
    assert post_login(client, victim, PASSWORD, ip="10.0.0.2").status_code == 429  # the account, elsewhere
    assert post_login(client, world.leader.username, PASSWORD, ip="10.0.0.1").status_code == 429  # the address
    assert post_login(client, world.leader.username, PASSWORD, ip="10.0.0.3").status_code == 302


def test_a_success_clears_earlier_failures(client, world):
    user = world.leader.username
    for _ in range(4):
        post_login(client, user, "wrong-password")
    assert post_login(client, user, PASSWORD).status_code == 302
    client.post(reverse("web:logout"))
    for _ in range(4):
        post_login(client, user, "wrong-password")
    assert post_login(client, user, PASSWORD).status_code == 302


def test_admin_login_is_throttled_too_and_unlocked_in_the_admin(client, world):
    make_user("root", None, superuser=True)
    for _ in range(5):
        post_login(client, "root", "wrong-password", url="/admin/login/")
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 429 and "已被暂时锁定" in response.content.decode() and not signed_in(client)

    # Another administrator unlocks by deleting the attempt in the admin ("Access attempts").
    other = make_user("root2", None, superuser=True)
    admin = client.__class__()
    admin.force_login(other)
    attempt = AccessAttempt.objects.get(username="root")
    assert admin.get(reverse("admin:axes_accessattempt_changelist")).status_code == 200
    response = admin.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 302 and not AccessAttempt.objects.exists()
    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and signed_in(client)


@override_settings(AXES_COOLOFF_TIME=None)
def test_without_a_cooloff_the_message_says_to_ask_an_administrator(client, world):
    for _ in range(5):
        post_login(client, "someone", "wrong-password")
    page = post_login(client, "someone", "wrong-password").content.decode()
    assert "请联系管理员解锁" in page and "分钟后再试" not in page


def test_code_that_authenticates_without_a_request_is_not_throttled(world):
    # The test client's login() and shells call authenticate() without a request: no address, nothing counted.
    assert authenticate(username=world.leader.username, password=PASSWORD) == world.leader
    assert authenticate(username=world.leader.username, password="wrong") is None
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize(("proxies", "meta", "expected"), [
    (0, {"REMOTE_ADDR": "10.1.1.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.1.1.1"),  # the header is ignored
    (1, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4"}, "1.2.3.4"),  # right-most hop
    (2, {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 1.2.3.4, 10.0.0.9"}, "1.2.3.4"),
    (1, {"REMOTE_ADDR": "127.0.0.1"}, "127.0.0.1"),  # no header: the direct peer
    (0, {"REMOTE_ADDR": "not-an-address"}, None),
])
def test_client_ip(settings, proxies, meta, expected):
    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/")
    request.META.update(meta)
    assert client_ip(request) == expected


def test_every_login_logout_failure_and_lockout_is_audited_without_the_password(client, world):
    user = world.street_dispatcher
    post_login(client, user.username, "secret-guess-1", ip="10.0.0.7")
    post_login(client, "no-such-login", "secret-guess-2", ip="10.0.0.8")
    assert post_login(client, user.username, PASSWORD, ip="10.0.0.7").status_code == 302
    client.post(reverse("web:logout"), REMOTE_ADDR="10.0.0.7")
    for _ in range(6):
        post_login(client, user.username, "secret-guess-3", ip="10.0.0.7")

    rows = list(AuditLog.objects.order_by("id").values_list("action", "username", "user_id", "ip", "details"))
    uid, ip = user.pk, "10.0.0.7"
    assert rows[:4] == [
        (AuthEvent.LOGIN_FAILED, user.username, uid, ip, {"locked": False}),
        (AuthEvent.LOGIN_FAILED, "no-such-login", None, "10.0.0.8", {"locked": False}),
        (AuthEvent.LOGIN, user.username, uid, ip, {}),
        (AuthEvent.LOGOUT, user.username, uid, ip, {"reason": "user"}),
    ]
    # Five failures: the fifth starts the lockout (its row comes first: axes counts before our receiver runs),
    # the sixth is refused while locked.
    F, L = AuthEvent.LOGIN_FAILED, AuthEvent.LOGIN_LOCKED
    assert [r[0] for r in rows[4:]] == [F, F, F, F, L, F, F]
    assert rows[8][4] == {"failures": 5} and rows[9][4] == {"locked": False} and rows[10][4] == {"locked": True}
    assert AuditLog.objects.filter(action=AuthEvent.LOGIN).get().district_id == user.district_id
    stored = repr(list(AuditLog.objects.values())) + repr(list(AccessAttempt.objects.values()))
    assert "secret-guess" not in stored and PASSWORD not in stored
