"""Read helpers shared by every app's selectors."""

from django.db.models import QuerySet

from .errors import not_found


def first_or_not_found(qs: QuerySet, **lookup):
    """The one row of an already scope-filtered `qs` matching `lookup`, or NOT_FOUND.

    A key holding NUL cannot exist (PostgreSQL text holds no NUL and would raise): it answers like any
    missing key, so out-of-scope, missing and malformed look the same.
    """
    if any(isinstance(v, str) and "\x00" in v for v in lookup.values()):
        raise not_found()
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise not_found()
    return obj
