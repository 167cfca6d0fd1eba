"""The password policy (issue 21): at least 10 characters, three of four character classes, not like the
account's own names, not a common password. Applied where a password is set through a form or a command."""

import pytest
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import translation

from civicloop.orgs.models import User
from civicloop.orgs.passwords import CharacterClassesValidator, character_classes


@pytest.mark.parametrize(("password", "classes"), [
    ("abcdefghij", 1), ("abcDEF", 2), ("civicloop2026", 2), ("Civicloop2026", 3), ("civic-loop2026", 3),
    ("Civic-loop2026", 4), ("民情闭环abc123", 3),
])
def test_character_classes(password, classes):
    assert character_classes(password) == classes


def codes(password, user=None) -> set[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return {e.code for e in error.error_list}
    return set()


def test_policy(db):
    user = User(username="tpl_dispatcher", display_name="王小明")
    assert codes("Sh4nghai#2026", user) == set()
    assert codes("Ab1!xyz", user) == {"password_too_short"}
    assert "password_too_simple" in codes("civicloop2026", user)  # the demo password: letters and digits only
    assert "password_too_similar" in codes("Tpl_Dispatcher1", user)
    assert codes("Password123", user) == {"password_too_common"}  # three classes, eleven characters, on the list
    assert codes("1234567890", user) >= {"password_entirely_numeric", "password_too_simple"}


def test_the_message_is_chinese_with_an_english_translation():
    validator = CharacterClassesValidator(min_classes=3)
    with translation.override("zh-hans"):
        assert "至少 3 类" in validator.get_help_text()
    with translation.override("en"):
        assert "at least 3 of these four kinds" in validator.get_help_text()


def test_forms_apply_the_policy(world):
    user = world.dept_handler
    weak = SetPasswordForm(user, {"new_password1": "civicloop2026", "new_password2": "civicloop2026"})
    assert not weak.is_valid()
    strong = SetPasswordForm(user, {"new_password1": "Qing-he-2026", "new_password2": "Qing-he-2026"})
    assert strong.is_valid()
    strong.save()
    user.refresh_from_db()
    assert check_password("Qing-he-2026", user.password)


def test_changepassword_refuses_a_weak_password(world, monkeypatch):
    answers = iter(["civicloop2026", "civicloop2026"] * 3)
    monkeypatch.setattr("getpass.getpass", lambda *a, **k: next(answers))
    with pytest.raises(Exception):  # noqa: B017 — the command gives up after three refused tries
        call_command("changepassword", world.dept_handler.username)
