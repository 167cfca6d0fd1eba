"""The wire formats of GeoReport v2: the same document as JSON or XML (UTF-8), dates in ISO 8601 with the offset,
and the spec's error list. A document is plain data — dicts, lists, text, numbers, None — and a root element name;
a list in XML repeats the singular of its name (`endpoints` → `endpoint`)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from xml.etree import ElementTree as ET

from django.http import HttpResponse
from django.utils import timezone

from civicloop.apikeys.error_codes import KeyErrorCode
from civicloop.core.errors import CivicError, ErrorCode

from .constants import CONTENT_TYPES

# The element of one item of each list the documents hold (the spec's names).
SINGULAR = {"services": "service", "service_requests": "request", "endpoints": "endpoint", "formats": "format",
            "attributes": "attribute", "values": "value", "errors": "error"}


# Characters XML 1.0 cannot hold (C0 controls but tab, newline, return; U+FFFE/U+FFFF; lone surrogates): a stored
# text carrying one (typed into another channel, pasted from elsewhere) must not make the document unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def iso(value: dt.datetime | None) -> str | None:
    """ISO 8601 with the offset, in the server's time zone (Asia/Shanghai: +08:00), to the second."""
    if value is None:
        return None
    return value.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return iso(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)  # lazy translations


def _xml(parent: ET.Element, name: str, value) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _xml(element, key, item)
    elif isinstance(value, list):
        for item in value:
            _xml(element, SINGULAR.get(name, "item"), item)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = _NOT_XML.sub("\ufffd", str(value))


def _json_default(value):
    """What `json` cannot write itself, as `_plain` turns it (a list's page goes straight to the encoder: walking
    it in Python first was a fifth of a GET requests' time)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.datetime):
        return iso(value)
    return str(value)  # lazy translations


def response(fmt: str, root: str, document, *, status: int = 200) -> HttpResponse:
    """`document` (plain data) as JSON or as XML under `root`."""
    if fmt == "xml":
        element = ET.Element(root)
        _fill(element, root, _plain(document))
        body = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    else:  # a lone surrogate: "?"
        body = json.dumps(document, ensure_ascii=False, default=_json_default).encode("utf-8", "replace")
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_status(exc: CivicError) -> int:
    """The HTTP status the spec asks for: 403 for a missing, invalid or revoked key, 400 for bad input (our
    generic `invalid` included), 404 for what is not there, 429 past a key's limit."""
    if exc.code in (KeyErrorCode.KEY_MISSING, KeyErrorCode.KEY_INVALID, KeyErrorCode.KEY_REVOKED):
        return 403
    if exc.code == ErrorCode.INVALID:
        return 400
    return exc.status


def errors(fmt: str, exc: CivicError) -> HttpResponse:
    """The spec's error list: `code` (the HTTP status) and `description`, plus our stable `civicloop_code`."""
    status = error_status(exc)
    description = exc.message
    if exc.details:
        description += " " + "; ".join(" ".join(str(v) for v in d.values() if v) for d in exc.details)
    out = response(fmt, "errors", [{"code": status, "description": description, "civicloop_code": str(exc.code)}],
                   status=status)
    if "retry_after" in exc.params:
        out["Retry-After"] = str(exc.params["retry_after"])
    return out


def input_refusal(request, exc: CivicError) -> HttpResponse:
    """A request the input layer refused before any view ran (a NUL in a field, a body over the size limit): the
    spec's error list in the format the path asks for (`….xml`, else JSON), nothing read or written
    (`CivicAppConfig.input_refusal`)."""
    return errors("xml" if request.path.endswith(".xml") else "json", exc)
