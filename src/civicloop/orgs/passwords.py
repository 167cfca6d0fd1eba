"""The password rule Django's validators do not have: characters from several classes (GB/T 22239 asks for
"complexity"). Length, likeness to the account's own names and common passwords are Django's validators
(settings.AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Lower-case letters, upper-case letters, digits, everything else (punctuation, spaces, CJK …).
CLASSES = (str.islower, str.isupper, str.isdigit)


def character_classes(password: str) -> int:
    """How many of the four classes `password` uses."""
    found = [any(test(c) for c in password) for test in CLASSES]
    found.append(any(not (c.islower() or c.isupper() or c.isdigit()) for c in password))
    return sum(found)


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if character_classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("密码须包含小写字母、大写字母、数字、其他符号这四类中的至少 %(count)d 类。") % {"count": self.min_classes}
