"""The spec's parameters (form fields and query strings, all text) read into typed values; a malformed one is
refused with the parameter's name (PARAMETER_INVALID), before anything is looked up."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from civicloop.core.errors import CivicError
from civicloop.core.validators import validate_phone

from .constants import (
    ADDRESS_MAX,
    DEFAULT_WINDOW_DAYS,
    DESCRIPTION_MAX,
    IDS_MAX,
    PAGE_MAX,
    PAGE_SIZE_DEFAULT,
    PAGE_SIZE_MAX,
    TOKEN_MAX,
    Status,
)
from .error_codes import Open311ErrorCode
from .selectors import RequestQuery

ATTRIBUTE = re.compile(r"^attribute\[([A-Za-z0-9_]{1,40})\](\[\])?$")
TOKEN = re.compile(rf"^[A-Za-z0-9._:-]{{1,{TOKEN_MAX}}}$")
CODE = re.compile(r"^[A-Za-z0-9-]{1,20}$")


def bad(name: str, reason) -> CivicError:
    return CivicError(Open311ErrorCode.PARAMETER_INVALID, name=name, reason=reason)


def _text(data, name: str, limit: int) -> str:
    value = (data.get(name) or "").strip()
    if len(value) > limit:
        raise bad(name, _("最多 %(n)s 个字符。") % {"n": limit})
    return value


def _coordinate(data, name: str, bound: int) -> Decimal | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not -bound <= value <= bound:
        raise bad(name, _("应为 -%(b)s 至 %(b)s 之间的十进制度数。") % {"b": bound})
    return value.quantize(Decimal("0.000001"))


def submission_params(data) -> dict:
    """POST requests' form fields as `services.request_submit` takes them."""
    phone = _text(data, "phone", 40)
    if phone:
        try:
            phone = validate_phone(phone)
        except (ValueError, ValidationError):
            raise bad("phone", _("不是有效的电话号码。")) from None
    media_url = _text(data, "media_url", 500)
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            raise bad("media_url", _("不是有效的网址。")) from None
    token = (data.get("token") or "").strip()
    if token and not TOKEN.match(token):
        raise bad("token", _("最多 %(n)s 个字母、数字或 ._:- 字符。") % {"n": TOKEN_MAX})
    name = (_text(data, "last_name", 20) + _text(data, "first_name", 20))[:40]  # 姓在前
    attributes = {}
    for field in data:
        if m := ATTRIBUTE.match(field):
            attributes[m.group(1)] = data.get(field) or ""
    return {
        "service_code": _text(data, "service_code", 20), "description": _text(data, "description", DESCRIPTION_MAX),
        "lat": _coordinate(data, "lat", 90), "lng": _coordinate(data, "long", 180),
        "address": _text(data, "address_string", ADDRESS_MAX), "attributes": attributes, "token": token,
        "reporter_name": name, "reporter_phone": phone, "media_url": media_url,
    }


def _list(data, name: str, pattern: re.Pattern) -> tuple[str, ...]:
    values = tuple(v.strip() for v in (data.get(name) or "").split(",") if v.strip())
    if len(values) > IDS_MAX or any(not pattern.match(v) for v in values):
        raise bad(name, _("应为以逗号分隔的编号，最多 %(n)s 个。") % {"n": IDS_MAX})
    return values


def _date(data, name: str) -> dt.datetime | None:
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None:
        raise bad(name, _("应为 ISO 8601 时间，如 2026-12-01T08:00:00+08:00。"))
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _int(data, name: str, default: int, high: int) -> int:
    raw = (data.get(name) or "").strip()
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= high:
        raise bad(name, _("应为 1 至 %(n)s 之间的整数。") % {"n": high})
    return int(raw)


def request_query(data, *, now: dt.datetime | None = None) -> RequestQuery:
    """GET requests' query. The window is at most `DEFAULT_WINDOW_DAYS` (the spec's 90 days): without dates the
    past 90 days; with one date, 90 days from or up to it; two dates further apart are refused."""
    now = now or timezone.now()
    window = dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    ids = _list(data, "service_request_id", CODE)
    codes = _list(data, "service_code", CODE)
    start, end = _date(data, "start_date"), _date(data, "end_date")
    if start is None and end is None:
        start = now - window
    elif start is None:
        start = end - window
    elif end is None:
        end = start + window
    elif end < start or end - start > window:
        raise bad("end_date", _("应晚于 start_date，且相隔不超过 %(n)s 天。") % {"n": DEFAULT_WINDOW_DAYS})
    statuses = tuple(s.strip() for s in (data.get("status") or "").split(",") if s.strip())
    if any(s not in (Status.OPEN, Status.CLOSED) for s in statuses):
        raise bad("status", _("应为 open 或 closed。"))
    return RequestQuery(ids=ids, service_codes=codes, start=start, end=end, statuses=statuses,
                        page=_int(data, "page", 1, PAGE_MAX),
                        page_size=_int(data, "page_size", PAGE_SIZE_DEFAULT, PAGE_SIZE_MAX))
