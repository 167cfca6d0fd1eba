"""Checks for Chinese identifiers: pure functions that return the normalised value or raise ValueError.

The reason in the ValueError is a translatable Chinese sentence (zh-Hans msgid; English via the catalogue),
so an importer can show it beside the row and column as it is.

- 统一社会信用代码 (GB 32100-2015): 18 characters from 0-9 and A-Z without I, O, S, V, Z; the last is a
  check character over the first 17 (weights 3^i mod 31).
- 居民身份证号 (GB 11643-1999): 17 digits + a check digit (ISO 7064 MOD 11-2, "X" for 10); digits 7-14 are
  the birth date, which must be a real, past date.
- Phone numbers: mobile 1[3-9]xxxxxxxxx (optional +86), landline with area code (021-64871234, 0512-6512345,
  optional extension), and 8-digit Shanghai numbers without area code.

`make_credit_code` / `make_id_number` append the right check character (used by the demo generator and tests).
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

# ----- 统一社会信用代码 GB 32100-2015

CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_VALUE = {c: i for i, c in enumerate(CREDIT_CODE_CHARSET)}
_CREDIT_WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …


def credit_code_check_char(body17: str) -> str:
    """The check character of the first 17 characters (already upper-case, in the charset)."""
    total = sum(_CREDIT_VALUE[c] * w for c, w in zip(body17, _CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def make_credit_code(body17: str) -> str:
    body17 = body17.strip().upper()
    if len(body17) != 17 or any(c not in _CREDIT_VALUE for c in body17):
        raise ValueError(_("统一社会信用代码前17位须为数字或除 I、O、S、V、Z 外的大写字母。"))
    return body17 + credit_code_check_char(body17)


def validate_credit_code(value: str) -> str:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValueError(_("统一社会信用代码应为18位。"))
    if any(c not in _CREDIT_VALUE for c in code):
        raise ValueError(_("统一社会信用代码含有非法字符（不能使用 I、O、S、V、Z）。"))
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValueError(_("统一社会信用代码校验位错误。"))
    return code


# ----- 居民身份证号 GB 11643-1999

_ID_WEIGHTS = [pow(2, 17 - i, 11) for i in range(17)]  # 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, …
_ID_CHECK = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")


def id_number_check_char(body17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(body17, _ID_WEIGHTS, strict=True)) % 11]


def make_id_number(body17: str) -> str:
    body17 = body17.strip()
    if len(body17) != 17 or not body17.isdigit():
        raise ValueError(_("身份证号前17位须为数字。"))
    return body17 + id_number_check_char(body17)


def validate_id_number(value: str, *, today: date | None = None) -> str:
    number = (value or "").strip().upper()
    if not _ID_RE.match(number):
        raise ValueError(_("身份证号应为18位（前17位数字，最后一位数字或 X）。"))
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValueError(_("身份证号中的出生日期无效。")) from None
    if born.year < 1900 or born > (today or date.today()):
        raise ValueError(_("身份证号中的出生日期无效。"))
    if id_number_check_char(number[:17]) != number[17]:
        raise ValueError(_("身份证号校验位错误。"))
    return number


# ----- phone numbers

_MOBILE_RE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
_EXT_RE = re.compile(r"(?:转|ext\.?|#)(\d{1,6})$", re.IGNORECASE)
_LOCAL_RE = re.compile(r"^[2-9]\d{7}$")  # Shanghai numbers are 8 digits, never starting with 0 or 1
SHANGHAI_AREA_CODE = "021"
_BAD_PHONE = _("电话号码格式不正确（手机 11 位，或区号-号码，如 021-64871234）。")


def _area_length(digits: str) -> int:
    """Area codes 010 and 020-029 have three digits; every other (0xxx) has four."""
    return 3 if digits[:2] in ("01", "02") else 4


def validate_phone(value: str) -> str:
    """Normalise a mainland phone number: mobile → 11 digits; landline → "021-64871234[-123]".

    An 8-digit number without area code is taken as a Shanghai landline.
    """
    compact = re.sub(r"[\s()（）]", "", str(value or ""))
    if m := _MOBILE_RE.match(compact.replace("-", "")):
        return m.group(1)
    ext = ""
    if m := _EXT_RE.search(compact):
        ext, compact = m.group(1), compact[: m.start()]
    else:
        parts = compact.split("-")
        if len(parts) == 3 or (len(parts) == 2 and not parts[0].startswith("0")):
            ext, compact = parts[-1], "-".join(parts[:-1])  # "021-64871234-123", "64871234-123"
    if ext and not (ext.isdigit() and len(ext) <= 6):
        raise ValueError(_BAD_PHONE)
    suffix = f"-{ext}" if ext else ""
    digits = compact.replace("-", "")
    if not digits.isdigit():
        raise ValueError(_BAD_PHONE)
    if digits.startswith("0"):
        n = _area_length(digits)
        if "-" in compact and compact.index("-") != n:
            raise ValueError(_("电话区号不正确。"))
        number = digits[n:]
        if 7 <= len(number) <= 8 and number[0] not in "01":
            return f"{digits[:n]}-{number}{suffix}"
    elif _LOCAL_RE.match(digits):
        return f"{SHANGHAI_AREA_CODE}-{digits}{suffix}"
    raise ValueError(_BAD_PHONE)
