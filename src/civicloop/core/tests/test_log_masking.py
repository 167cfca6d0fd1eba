"""No full phone or ID number in a log line: the logging filter (Django's loggers) and gunicorn's access log."""

import datetime as dt
import logging
from types import SimpleNamespace

from gunicorn.config import Config

from civicloop.core.log_masking import GunicornLogger, MaskNumbersFilter

PHONE = "13912345678"


def _record(msg, *args, exc_info=None):
    return logging.LogRecord("django.request", logging.WARNING, __file__, 1, msg, args, exc_info)


def test_the_filter_masks_the_path_of_a_django_request_line():
    record = _record("Not Found: %s", f"/api/cases/?q={PHONE}")
    assert MaskNumbersFilter().filter(record) is True
    assert record.getMessage() == "Not Found: /api/cases/?q=139****5678"


def test_the_filter_masks_encoded_numbers_and_exception_texts():
    record = _record('"%s" %s %s', "GET /api/cases/?q=%2B86+139+1234+5678 HTTP/1.1", 404, 0)
    MaskNumbersFilter().filter(record)
    assert record.getMessage() == '"GET /api/cases/?q=139****5678 HTTP/1.1" 404 0'
    try:
        raise ValueError(f"bad phone {PHONE}")
    except ValueError:
        import sys

        record = _record("failed", exc_info=sys.exc_info())
    MaskNumbersFilter().filter(record)
    assert PHONE not in record.exc_text and "139****5678" in record.exc_text


def test_the_filter_leaves_other_lines_alone():
    record = _record("case %s dispatched in %s ms", "XH2026-0004711", 12345678)
    MaskNumbersFilter().filter(record)
    assert record.msg == "case %s dispatched in %s ms"  # untouched: no number of a person in it


def test_settings_put_the_filter_on_the_console_handler():
    from django.conf import settings

    console = settings.LOGGING["handlers"]["console"]
    assert "mask_numbers" in console["filters"]
    assert settings.LOGGING["filters"]["mask_numbers"]["()"].endswith("MaskNumbersFilter")


def test_the_gunicorn_access_log_masks_the_request_line(capsys):
    cfg = Config()
    cfg.set("accesslog", "-")
    log = GunicornLogger(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": f"/api/cases/?q={PHONE}", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/api/cases/", "QUERY_STRING": f"q={PHONE}", "REMOTE_ADDR": "127.0.0.1",
               "HTTP_REFERER": f"http://x/cases/?q={PHONE}"}
    resp = SimpleNamespace(status="200 OK", sent=23456789, headers=[])
    req = SimpleNamespace(headers=[("REFERER", f"http://x/cases/?q={PHONE}")])
    log.access(resp, req, environ, dt.timedelta(seconds=1))
    for handler in log.access_log.handlers:
        handler.flush()
    line = capsys.readouterr().out
    assert "GET /api/cases/?q=139****5678 HTTP/1.1" in line
    assert PHONE not in line
    assert " 23456789 " in line  # the bytes sent are a number, not a person's


def test_serve_runs_gunicorn_with_the_masking_logger():
    import inspect

    from civicloop.web.management.commands import serve

    assert "civicloop.core.log_masking.GunicornLogger" in inspect.getsource(serve)
