"""Scope: the single place that answers "what may this user see and do".

A user's *territory* is the subtree of places they see:
- staff of district-wide units (district offices, the research office, consultation bodies) and superusers
  see their whole district (superusers: every district);
- street-office staff see their street; committee staff see their community;
- department staff see the district's places (their duties run across the district), but handle only the
  cases dispatched to their unit (the cases app adds that rule on top of this one), and see households and
  enterprises only through those cases or where their duty covers the key group (places.permissions);
- anyone else (no unit, a party organisation without territory, another district) sees nothing.

Every selector starts from `scope_for(user)`. Objects outside scope are reported as *not found*, exactly like
objects that do not exist, so nobody learns what another street holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from civicloop.places.constants import PlaceLevel

from .constants import DISTRICT_WIDE_KINDS, UnitKind


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_superuser: bool = False
    district_id: int | None = None
    # The root of the visible territory: a Place id and its level; None with no district means nothing.
    root_id: int | None = None
    root_level: str | None = None
    root_path: str = ""
    root_street_id: int | None = None  # the root's street (itself for a street, its parent for a community)
    unit_id: int | None = None
    unit_kind: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    # ----- what kind of viewer (apps ask these instead of spelling out the fields)
    @property
    def sees_everything(self) -> bool:
        """A superuser without a territory: every district, every place, every case."""
        return self.is_superuser and self.root_id is None

    @property
    def sees_nothing(self) -> bool:
        """No territory and no superuser: no places at all (a unit may still be sent cases)."""
        return not self.is_superuser and self.root_id is None

    @property
    def is_department(self) -> bool:
        """Staff of a department: the district's places in sight, but only the cases sent to the unit."""
        return self.unit_kind == UnitKind.DEPARTMENT

    @property
    def sees_people_by_duty(self) -> bool:
        """Households and enterprises, and their key-group tags, only through the unit's cases and duties, not
        its territory: department staff (the rule: places.permissions)."""
        return self.is_department

    @property
    def has_territory(self) -> bool:
        """A territory of its own whose cases are its to dispatch (a department's are not: it handles them)."""
        return self.sees_everything or (self.root_id is not None and not self.is_department)

    @property
    def is_district_level(self) -> bool:
        """District-level staff: a district-wide unit (not a department), or a superuser who sees everything."""
        return self.sees_everything or (self.root_level == PlaceLevel.DISTRICT and not self.is_department)

    def is_district_level_for(self, district_id: int | None) -> bool:
        """District-level staff of that district (a superuser who sees everything is so for every district)."""
        return self.sees_everything or (self.is_district_level and self.district_id == district_id)

    def has_role(self, *roles: str) -> bool:
        """Holds one of `roles` (a superuser holds every role)."""
        return self.is_superuser or bool(self.roles.intersection(roles))

    # ----- filters
    def territorial_q(self, *, district: str = "district", street: str = "street", community: str = "community") -> Q:
        """A Q object restricting rows with denormalised district/street/community columns to the territory."""
        if self.sees_everything:
            return Q()
        if self.root_id is None:
            return Q(pk__in=[])
        if self.root_level == PlaceLevel.DISTRICT:
            return Q(**{f"{district}_id": self.root_id})
        if self.root_level == PlaceLevel.STREET:
            return Q(**{f"{street}_id": self.root_id})
        if self.root_level == PlaceLevel.COMMUNITY:
            return Q(**{f"{community}_id": self.root_id})
        return Q(pk__in=[])

    def filter_territorial(self, qs: QuerySet, **fields: str) -> QuerySet:
        return qs.filter(self.territorial_q(**fields))

    def filter_places(self, qs: QuerySet) -> QuerySet:
        """Places: the root's subtree (root included) — and the root's ancestors are *not* visible."""
        if self.sees_everything:
            return qs
        if self.root_id is None:
            return qs.none()
        return qs.filter(path__startswith=self.root_path)

    def filter_district(self, qs: QuerySet, district: str = "district") -> QuerySet:
        """For district-level objects (units, zones, people): the viewer's district only."""
        if self.sees_everything:
            return qs
        if self.district_id is None or self.root_id is None:
            return qs.none()
        return qs.filter(**{f"{district}_id": self.district_id})

    def covers_row(self, row, *, district: str = "district", street: str = "street", community: str = "community") -> bool:
        """`territorial_q` for one row in hand: is its district/street/community in the territory?"""
        if self.sees_everything:
            return True
        if self.root_level == PlaceLevel.DISTRICT:
            return getattr(row, f"{district}_id") == self.root_id
        if self.root_level == PlaceLevel.STREET:
            return getattr(row, f"{street}_id") == self.root_id
        if self.root_level == PlaceLevel.COMMUNITY:
            return getattr(row, f"{community}_id") == self.root_id
        return False

    def covers_place(self, place) -> bool:
        if self.sees_everything:
            return True
        return self.root_id is not None and place.path.startswith(self.root_path)


NOBODY = Scope(user_id=None)


def scope_for(user) -> Scope:
    """The scope of `user`, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOBODY
    cached = getattr(user, "_civicloop_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._civicloop_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    from .models import Unit, User

    # the unit with its district and territory (the places the root is taken from): loaded with the user by
    # orgs.auth.Backend on a request, else one query here
    if not user.unit_id:
        unit = None
    elif User.unit.is_cached(user):
        unit = user.unit
    else:
        unit = (Unit.objects.select_related("district", "territory").defer("district__boundary", "territory__boundary")
                .filter(pk=user.unit_id).first())
    roles = frozenset(user.roles)
    if user.is_superuser and unit is None:
        return Scope(user_id=user.pk, is_superuser=True, roles=roles)
    if unit is None or not unit.active:
        return Scope(user_id=user.pk, roles=roles)
    base = dict(user_id=user.pk, is_superuser=user.is_superuser, district_id=unit.district_id,
                unit_id=unit.pk, unit_kind=unit.kind, roles=roles)
    district = unit.district
    if unit.kind in DISTRICT_WIDE_KINDS or unit.kind == UnitKind.DEPARTMENT:
        root = district
    elif unit.kind in (UnitKind.STREET_OFFICE, UnitKind.COMMITTEE) and unit.territory_id:
        root = unit.territory
    else:
        root = unit.territory  # party organisations etc.: only what they are given, else nothing
    if root is None:
        return Scope(**base)
    street_id = root.pk if root.level == PlaceLevel.STREET else root.street_id
    return Scope(**base, root_id=root.pk, root_level=root.level, root_path=root.path, root_street_id=street_id)
