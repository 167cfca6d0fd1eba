"""The quorum and majority arithmetic, pure: a rule (copied onto the vote when it opens) and the counts give the
result. Integer arithmetic only (no float rounding at a boundary: 2 of 3 is exactly two thirds)."""

from __future__ import annotations

from dataclasses import dataclass

from .constants import ApproveBase


@dataclass(frozen=True)
class Rule:
    quorum_num: int
    quorum_den: int
    approve_num: int
    approve_den: int
    approve_base: str  # ApproveBase
    approve_strict: bool = False  # more than the share (a majority: more than half), not at least

    @classmethod
    def of(cls, row) -> Rule:
        """The rule of a VoteRule or a Vote row (both carry the same six fields)."""
        return cls(row.quorum_num, row.quorum_den, row.approve_num, row.approve_den, row.approve_base,
                   row.approve_strict)


@dataclass(frozen=True)
class Result:
    eligible: int
    yes: int
    no: int
    abstain: int
    quorum_met: bool
    approved: bool

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain

    @property
    def passed(self) -> bool:
        return self.quorum_met and self.approved


def tally(rule: Rule, *, eligible: int, yes: int, no: int, abstain: int) -> Result:
    """Quorum: voters ≥ quorum × eligible. Approval: yes ≥ (or >) approve × base, the base being the voters or
    every eligible household. No household in the area: nothing passes."""
    cast = yes + no + abstain
    quorum_met = eligible > 0 and cast * rule.quorum_den >= rule.quorum_num * eligible
    base = cast if rule.approve_base == ApproveBase.CAST else eligible
    lhs, rhs = yes * rule.approve_den, rule.approve_num * base
    approved = base > 0 and (lhs > rhs if rule.approve_strict else lhs >= rhs)
    return Result(eligible=eligible, yes=yes, no=no, abstain=abstain, quorum_met=quorum_met, approved=approved)
