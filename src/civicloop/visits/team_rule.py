"""The team composition rule ("1+3+1"), pure: which seats a team's members leave empty.

A rule is data (`Campaign.team_rule`): seats in order, each `{"seat", "label", "roles": [MemberRole], "min"}`.
A member fills at most one seat, and a seat takes any member whose role it accepts — so whether the members fill
the rule is a bipartite matching (members × seat places), not a count per role: a CPPCC member can fill the
third seat, but not that seat and a CPPCC-only seat at once. Kuhn's augmenting paths find a largest matching
whatever the order the members come in (a greedy pass by order would not: the CPPCC member taken by an
"either" seat first leaves a "CPPCC only" seat empty although a youth member could have sat in the "either").
Rules and teams are small (a handful of seats, a dozen members), so the simple algorithm is the right one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _gettext

from .constants import MemberRole

MAX_SEATS = 20
MAX_SEAT_MIN = 20


def _role(member) -> str:
    return str(getattr(member, "role", member))


def seat_label(seat: dict) -> str:
    """The seat's label in the request's language (the rule holds the zh-Hans msgid)."""
    return _gettext(str(seat.get("label") or seat.get("seat") or ""))


def team_rule_unfilled(rule: list[dict], members: Iterable) -> list[tuple[dict, int]]:
    """[(seat, places left empty)] for each seat the members do not fill, in the rule's order. `members` are
    TeamMember rows or their roles."""
    places = [i for i, seat in enumerate(rule) for _n in range(int(seat.get("min", 0)))]
    roles = [_role(m) for m in members]
    taken_by: dict[int, int] = {}  # place index → member index

    def augment(member: int, seen: set[int]) -> bool:
        for place, seat_index in enumerate(places):
            if place in seen or roles[member] not in rule[seat_index].get("roles", ()):
                continue
            seen.add(place)
            if place not in taken_by or augment(taken_by[place], seen):
                taken_by[place] = member
                return True
        return False

    for member in range(len(roles)):
        augment(member, set())
    empty: dict[int, int] = {}
    for place, seat_index in enumerate(places):
        if place not in taken_by:
            empty[seat_index] = empty.get(seat_index, 0) + 1
    return [(rule[i], n) for i, n in sorted(empty.items())]


def team_rule_gaps(rule: list[dict], members: Iterable) -> list[str]:
    """What the members leave missing, one text per seat ("律师 1 名"); empty when the team is complete."""
    return [_gettext("%(seat)s %(n)s 名") % {"seat": seat_label(seat), "n": n}
            for seat, n in team_rule_unfilled(rule, members)]


def recorder_gaps(members: Iterable) -> list[str]:
    """A team records through exactly one staff account: "记录员 1 名" when it has none."""
    if any(getattr(m, "recorder", False) and getattr(m, "user_id", None) for m in members):
        return []
    return [_gettext("%(seat)s %(n)s 名") % {"seat": _gettext("记录员"), "n": 1}]


def team_gaps(rule: list[dict], members) -> list[str]:
    """Everything a team lacks to go visiting: the rule's seats, then its recorder."""
    members = list(members)
    return team_rule_gaps(rule, members) + recorder_gaps(members)


def gaps_text(gaps: list[str]) -> str:
    """"缺少：人大代表 1 名、律师 1 名"."""
    return _gettext("缺少：%(missing)s") % {"missing": "、".join(gaps)}


def team_rule_problems(rule) -> list[str]:
    """Why `rule` is not a usable team rule (empty when it is): a list of seats, each with a label, known
    roles and a minimum 0..20."""
    if not isinstance(rule, list) or not 1 <= len(rule) <= MAX_SEATS:
        return [_gettext("组队规则应为 1 至 %(n)s 个席位。") % {"n": MAX_SEATS}]
    problems, known = [], set(MemberRole.values)
    for i, seat in enumerate(rule, start=1):
        if not isinstance(seat, dict):
            problems.append(_gettext("第%(i)s个席位格式不对。") % {"i": i})
            continue
        label, roles, minimum = seat.get("label"), seat.get("roles"), seat.get("min")
        if not isinstance(label, str) or not label.strip() or len(label) > 40:
            problems.append(_gettext("第%(i)s个席位缺少名称（不超过40字）。") % {"i": i})
        if not isinstance(roles, list) or not roles or any(r not in known for r in roles):
            problems.append(_gettext("第%(i)s个席位的身份无效。") % {"i": i})
        if isinstance(minimum, bool) or not isinstance(minimum, int) or not 0 <= minimum <= MAX_SEAT_MIN:
            problems.append(_gettext("第%(i)s个席位的人数应为 0 至 %(n)s。") % {"i": i, "n": MAX_SEAT_MIN})
    return problems


def team_rule_clean(rule: list[dict]) -> list[dict]:
    """The rule as stored: each seat's keys only ("seat" defaults to its position)."""
    return [{"seat": str(seat.get("seat") or f"seat{i}")[:40], "label": seat["label"].strip(),
             "roles": list(dict.fromkeys(seat["roles"])), "min": seat["min"]} for i, seat in enumerate(rule, start=1)]
