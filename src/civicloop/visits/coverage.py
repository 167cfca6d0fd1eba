"""Coverage arithmetic (pure: no queries) and the coverage query both transports read (page and API).

A campaign's subjects are tallied once per (street, community, team, group) by one grouped query
(`selectors.coverage_for`); every breakdown — by group, street, community, team, and the total — is a sum over
those cells, so they cannot disagree with each other. A row's target is the sum over its groups of
ceil(group's target percent × the row's subjects of that group): each row is rounded up on its own, so the
streets' targets may add up to a little more than the district's. A row is *met* when every group in it has
reached its own target (visiting more ordinary households does not make up for a key-group household left out).
`key_unvisited` is the length of the unvisited key-group list under the row's filter — the same rows
`selectors.unvisited_for` lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema

from civicloop.core.api import PageIn, PathId

from .constants import KEY_GROUPS, SubjectGroup

KeyGroup = Literal[tuple(g.value for g in KEY_GROUPS)]

# The unvisited list's orders: name → the Subject fields it sorts by (pk last, so pages never overlap).
SORTS = {
    "walk": ("street__code", "community__code", "walk_key"),
    "street": ("street__code", "walk_key"),
    "community": ("community__code", "walk_key"),
    "team": ("team__name", "walk_key"),
    "group": ("group", "street__code", "walk_key"),
}
SortKey = Literal[tuple([*SORTS, *(f"-{k}" for k in SORTS)])]


def target_of(percent, subjects: int) -> int:
    """ceil(percent % of `subjects`), in integers (no float rounding: 30 % of 10 is 3, of 11 is 4)."""
    pct = min(100, max(0, int(percent or 0)))
    return -(-pct * subjects // 100)


@dataclass(frozen=True)
class Area:
    """Where a coverage read looks, inside the viewer's scope: a street, a community, a team (or the subjects no
    team holds). Ids only; the selectors check each is the viewer's to name."""

    street_id: int | None = None
    community_id: int | None = None
    team_id: int | None = None
    unassigned: bool = False


@dataclass
class Tally:
    """Subjects and visited subjects of one group."""

    subjects: int = 0
    visited: int = 0


@dataclass
class CoverageRow:
    """One line of a breakdown: a group, a street, a community, a team, or the total."""

    key: int | str | None
    label: str
    tallies: dict[str, Tally] = field(default_factory=dict)
    targets: dict[str, int] = field(default_factory=dict)  # group → target percent (the campaign's)
    code: str = ""  # a place's code (rows sort by it)
    street_id: int | None = None  # a community's street (drill-down)
    lat: float | None = None
    lng: float | None = None

    def add(self, group: str, subjects: int, visited: int) -> None:
        tally = self.tallies.get(group)
        if tally is None:  # not setdefault: a Tally built for every cell cost more than the sums
            tally = self.tallies[group] = Tally()
        tally.subjects += subjects
        tally.visited += visited

    @property
    def subjects(self) -> int:
        return sum(t.subjects for t in self.tallies.values())

    @property
    def visited(self) -> int:
        return sum(t.visited for t in self.tallies.values())

    @property
    def target(self) -> int:
        return sum(target_of(self.targets.get(g, 0), t.subjects) for g, t in self.tallies.items())

    @property
    def met(self) -> bool:
        return all(t.visited >= target_of(self.targets.get(g, 0), t.subjects) for g, t in self.tallies.items())

    @property
    def rate(self) -> float | None:
        """visited / subjects (None without subjects)."""
        return self.visited / self.subjects if self.subjects else None

    @property
    def key_unvisited(self) -> int:
        return sum(t.subjects - t.visited for g, t in self.tallies.items() if g in KEY_GROUPS)

    @property
    def percent(self) -> int | None:
        """A group row's target percent (None on mixed rows)."""
        return int(self.targets.get(self.key, 0)) if self.key in SubjectGroup.values else None


@dataclass
class Coverage:
    places: dict[int, str]  # the names of the streets and communities in the rows and in the area
    total: CoverageRow
    groups: list[CoverageRow]
    streets: list[CoverageRow]
    communities: list[CoverageRow]
    teams: list[CoverageRow]


def rollup(cells: Iterable[tuple], targets: dict[str, int]) -> tuple[CoverageRow, dict, dict, dict, dict]:
    """Sum the grouped cells (street_id, community_id, team_id, group, subjects, visited) into the total and the
    rows by group, street, community and team (dicts by key; labels are filled by the caller)."""
    total = CoverageRow(None, "", targets=targets)
    groups = {g.value: CoverageRow(g.value, str(g.label), targets=targets) for g in SubjectGroup}
    streets: dict = {}
    communities: dict = {}
    teams: dict = {}
    for street_id, community_id, team_id, group, subjects, visited in cells:
        total.add(group, subjects, visited)
        groups[group].add(group, subjects, visited)
        # rows made when first met (a setdefault would build one per cell: ~1,200 cells at district level)
        if (row := streets.get(street_id)) is None:
            row = streets[street_id] = CoverageRow(street_id, "", targets=targets)
        row.add(group, subjects, visited)
        if (row := communities.get(community_id)) is None:
            row = communities[community_id] = CoverageRow(community_id, "", targets=targets, street_id=street_id)
        row.add(group, subjects, visited)
        if (row := teams.get(team_id)) is None:
            row = teams[team_id] = CoverageRow(team_id, "", targets=targets)
        row.add(group, subjects, visited)
    return total, groups, streets, communities, teams


@dataclass(frozen=True)
class Day:
    day: dt.date
    visits: int  # visits made that day
    first_visits: int  # subjects visited for the first time that day
    visited: int  # subjects visited by the end of that day (cumulative)


def days_series(first_visits: dict, visits: dict, *, start: dt.date, end: dt.date, today: dt.date) -> list[Day]:
    """One Day per date from the campaign's start (or the first data, if earlier) to today (within the campaign)
    or the last data, whichever is later; the cumulative count runs over every first visit."""
    dates = [*first_visits, *visits]
    first = min([start, *dates])
    last = max([min(today, end), *dates]) if dates or today >= start else None
    if last is None or last < first:
        return []
    out, running, day = [], 0, first
    while day <= last:
        running += first_visits.get(day, 0)
        out.append(Day(day, visits.get(day, 0), first_visits.get(day, 0), running))
        day += dt.timedelta(days=1)
    return out


# ----- the query both transports read (page: request.GET validated against it; API: Query[...])


class CoverageQuery(Schema):
    street: PathId | None = Field(None, title=_("街道"))
    community: PathId | None = Field(None, title=_("居委"))
    team: PathId | None = Field(None, title=_("走访组"))
    unassigned: bool = Field(False, title=_("未分配走访组"))

    def area(self) -> Area:
        return Area(street_id=self.street, community_id=self.community, team_id=self.team,
                    unassigned=self.unassigned)


class UnvisitedQuery(CoverageQuery):
    group: KeyGroup | None = Field(None, title=_("覆盖分组"))
    sort: SortKey = Field("walk", title=_("排序"))


class UnvisitedPageQuery(UnvisitedQuery, PageIn):
    pass
