"""Who may do what with volunteers (the services enforce these; pages and navigation ask the same).

- reading (`visible_q`): anyone with a territory of their own sees the members, needs and hours in it — a committee
  its community, a street office its street, district-level staff the district (`Scope.territorial_q`).
  Departments (no territory of their own) and people without a unit see none.
- keeping (`may_keep`): a committee's staff keep their own community — register members, post and close needs,
  check members in and out, correct times; a district administrator may do so for any community of the district
  (to help a committee). Streets read and compare; they do not run a committee's roster.
- recognition rules (`may_keep_rules`): district administrators of the district.
- a volunteer acts on their own sign-ups (sign up, cancel, check in and out) once proved in the browser's session
  (`proved`: member code + the last four digits of the phone on file; see services/self.py).
- personal data (`sees_personal_data`): the keepers of the member's community see names and phones in full;
  everyone else reads them masked.
"""

from __future__ import annotations

import time

from django.db.models import Q

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.scope import scope_for

from .constants import PROOF_SESSION_KEY, NeedState, SignUpState


def visible_q(actor) -> Q:
    scope = scope_for(actor)
    if not scope.has_territory:
        return Q(pk__in=[])
    return scope.territorial_q()


def may_see(actor) -> bool:
    """The navigation entry: someone with a territory of their own."""
    return scope_for(actor).has_territory


def _committee_of(scope) -> int | None:
    if scope.unit_kind == UnitKind.COMMITTEE and scope.root_id is not None:
        return scope.root_id
    return None


def may_keep(actor, district_id: int, community_id: int) -> bool:
    scope = scope_for(actor)
    if scope.is_superuser and scope.sees_everything:
        return True
    if _committee_of(scope) == community_id and scope.district_id == district_id:
        return True
    return scope.has_role(Role.DISTRICT_ADMIN) and scope.is_district_level_for(district_id)


def may_keep_row(actor, row) -> bool:
    """`may_keep` for a member, need or sign-up in hand."""
    return may_keep(actor, row.district_id, row.community_id)


def own_community(actor) -> int | None:
    """The community a committee's staff keep (None for anyone else)."""
    return _committee_of(scope_for(actor))


def may_keep_some(actor) -> bool:
    """The register / check-in pages: someone who keeps some community."""
    scope = scope_for(actor)
    return _committee_of(scope) is not None or (scope.has_role(Role.DISTRICT_ADMIN) and scope.is_district_level)


def may_keep_rules(actor, district_id: int) -> bool:
    scope = scope_for(actor)
    return scope.has_role(Role.DISTRICT_ADMIN) and scope.is_district_level_for(district_id)


def sees_personal_data(actor, row) -> bool:
    return may_keep_row(actor, row)


# ----- states (the services refuse what these deny; pages ask them)

def need_open(need, now) -> bool:
    return need.state == NeedState.OPEN and need.ends_at > now


def need_has_room(need) -> bool:
    return need.taken < need.slots


def may_cancel(signup) -> bool:
    return signup.state == SignUpState.SIGNED_UP


def may_check_in(signup) -> bool:
    return signup.state == SignUpState.SIGNED_UP


def may_check_out(signup) -> bool:
    return signup.state == SignUpState.CHECKED_IN


def may_correct(signup) -> bool:
    return signup.state == SignUpState.CHECKED_OUT


# ----- the volunteer's own proof (self-service pages)

def proved_member(request) -> int | None:
    """The member this browser has proved to be (within PROOF_SECONDS), or None."""
    proofs = request.session.get(PROOF_SESSION_KEY) or {}
    now = time.time()
    live = [int(k) for k, until in proofs.items() if until > now]
    return live[0] if live else None
