"""The field list's body, kept per (team, the viewer's view, language) with the team's version (decision 67's plan).

`FieldListVersion.version` changes, by database triggers (migration 0002), in the same transaction as any write to
what the list shows. A request reads the version first (one statement, with whether the viewer sits on the team),
before the team and every other row the body shows; then it takes the kept body if that was built at this version,
else builds the body and keeps it. Read in that order, a body built meanwhile may be newer than the version it is
kept under, never older — and a newer version never matches it.

The view (`view_of`) is everything `selectors.field_list_for` asks of the viewer — which subjects they see (a
member of the team: all; else their territory), which addresses and case texts they see in clear (the district
administrator's right, the committee's own community; a case's dispatcher and lead unit) — so two viewers share
a body only when the selector would have built the same one for both. The language is a key part too (labels).

The cache is `settings.CACHES["visits"]`: files under the var directory, shared by gunicorn's workers and kept
across restarts (one build per version for all workers). One entry per (team, view, language), overwritten by the
next version: no older version's body lingers on disk. Bodies hold personal data as the viewer may see it; the
files are the server's own (mode 0600, in a 0700 directory, like the database's).
"""

from __future__ import annotations

import hashlib

from django.core.cache import caches
from django.db import connection
from django.utils import translation

CACHE = "visits"
# the vendors migration 0002 puts the triggers on; on any other the list is built for each request
CACHED_VENDORS = {"postgresql", "sqlite"}


def _own_token_sql() -> str:
    """The select-list item naming this transaction's version token (migration 0003: PostgreSQL sets each
    version row at most once per transaction, to that token), '' where there is none."""
    return "current_setting('civicloop.version_token', true)" if connection.vendor == "postgresql" else "''"


def _committed(version, token) -> int | None:
    """`version`, unless it is the reading transaction's own token — written by this transaction, which may write
    more under the same version before it commits: a body built now must not be kept under it (None)."""
    if version is None or (token and str(version) == token):
        return None
    return version


def version_and_membership(actor, team_id: int) -> tuple[int | None, bool]:
    """The team's field-list version (None: no row, or set by this very transaction — nothing kept) and whether
    `actor` sits on the team by staff account (`permissions.team_ids_of`): one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT version FROM visits_fieldlistversion WHERE team_id = %s), "
            "EXISTS (SELECT 1 FROM visits_teammember WHERE team_id = %s AND user_id = %s), " + _own_token_sql(),
            [team_id, team_id, getattr(actor, "pk", None) or 0])
        version, member, token = cursor.fetchone()
    return _committed(version, token), bool(member)


def coverage_version(campaign_id: int) -> int | None:
    """The campaign's coverage version (None: no row, or set by this very transaction): one statement."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT version FROM visits_coverageversion WHERE campaign_id = %s), "
                       + _own_token_sql(), [campaign_id])
        version, token = cursor.fetchone()
    return _committed(version, token)


def scope_key(actor) -> tuple:
    """The viewer's scope as a key part: everything `orgs.scope.Scope` holds but the user's id, and the user's
    unit (`cases.permissions.may_unmask` compares it with a case's lead unit)."""
    from civicloop.cases.permissions import is_system
    from civicloop.orgs.scope import scope_for

    scope = scope_for(actor)
    return (is_system(actor), scope.is_superuser, scope.district_id, scope.root_id, scope.root_level,
            scope.root_street_id, scope.unit_id, scope.unit_kind, tuple(sorted(scope.roles)),
            getattr(actor, "unit_id", None))


def view_of(actor, *, member: bool) -> tuple:
    """What the field list depends on of the viewer (see the module's docstring). Kept in step with
    `selectors.subjects_visible_q`, `may_unmask_subject` (`places.selectors.household_may_unmask`) and
    `cases.permissions.may_unmask`: each reads only the scope, the user's unit and whether they sit on the team."""
    return (*scope_key(actor), member)


def kept(key: str, version: int | None, build):
    """`build()`'s value as kept under `key` when it was built at `version`; else built, kept and returned.
    No version (no row, or no triggers on this database): built each time."""
    if version is None or connection.vendor not in CACHED_VENDORS:
        return build()
    cache = caches[CACHE]
    value = cache.get(key)
    if value is not None and value[0] == version:
        return value[1]
    value = build()
    cache.set(key, (version, value))
    return value


def key_of(what, view: tuple, language: str) -> str:
    """The cache key of `what` ("field-list:<team id>", "coverage:<campaign id>:<form>") for a view and language."""
    digest = hashlib.blake2b(repr((view, language)).encode(), digest_size=16).hexdigest()
    return f"visits:{what}:{digest}"


def body(actor, team_id: int, *, team_get, build) -> tuple[bytes, str]:
    """(payload, etag) of the team's field list for `actor`: kept, when built at the team's current version for the
    same view and language; else `build(team)` (→ payload, etag), then kept. `team_get()` reads the team in the
    viewer's sight (else not found) — after the version, like every row the body shows."""
    if connection.vendor not in CACHED_VENDORS:
        return build(team_get())
    version, member = version_and_membership(actor, team_id)
    team = team_get()
    key = key_of(f"field-list:{team.pk}", view_of(actor, member=member), translation.get_language() or "")
    return kept(key, version, lambda: build(team))
