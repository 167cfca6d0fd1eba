"""No full phone or ID number in any log line (issue 21): request lines and messages are masked before they
are written, with `core.masking.mask_url` (a path and query such as `GET /api/cases/?q=13912345678`).

- `MaskNumbersFilter`: a logging filter on the console handler (settings.LOGGING) — every record that reaches it,
  Django's `django.request` / `django.server` lines included (they carry the path), and exception texts.
- `GunicornLogger`: gunicorn's access log (`civicloop serve` passes `--logger-class`): the request line, path,
  query, referrer and the header and environment values a custom access-log format may name.
"""

from __future__ import annotations

import logging

from gunicorn.glogging import Logger

from .masking import has_full_number, mask_url

_FORMATTER = logging.Formatter()


class MaskNumbersFilter(logging.Filter):
    """Mask phone and ID numbers in a record's message (and its exception text); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler to report
            return True
        if has_full_number(message) or has_full_number(message.replace("+", " ")):
            record.msg, record.args = mask_url(message), ()
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_url(record.exc_text)
        return True


# The access-log atoms that carry what a client sent (or a URL built from it); the others are numbers and times.
_REQUEST_ATOMS = frozenset("rUqfa")


class GunicornLogger(Logger):
    """gunicorn's logger with phone and ID numbers masked in the access log's request atoms."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if isinstance(value, str) and (key in _REQUEST_ATOMS or key.startswith("{")):
                atoms[key] = mask_url(value)
        return atoms
