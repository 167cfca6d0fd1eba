"""The quorum and majority arithmetic on hand-made cases (pure: no database)."""

import pytest

from civicloop.hall.constants import ApproveBase
from civicloop.hall.rules import Rule, tally

MAJOR = Rule(2, 3, 3, 4, ApproveBase.CAST)  # two thirds vote, three quarters of them agree (加装电梯)
ORDINARY = Rule(2, 3, 1, 2, ApproveBase.CAST, approve_strict=True)  # two thirds vote, more than half agree
TWO_THIRDS = Rule(0, 1, 2, 3, ApproveBase.ELIGIBLE)  # two thirds of every household agree


@pytest.mark.parametrize("rule, eligible, yes, no, abstain, quorum, approved", [
    (MAJOR, 6, 3, 1, 0, True, True),  # 4 of 6 voted = exactly two thirds; 3 of 4 = exactly three quarters
    (MAJOR, 6, 3, 0, 0, False, True),  # 3 of 6 voted: below two thirds
    (MAJOR, 6, 3, 2, 0, True, False),  # 3 of 5 agree: below three quarters
    (MAJOR, 9, 5, 1, 0, True, True),  # 6 of 9 = two thirds exactly; 5 of 6 agree
    (MAJOR, 9, 4, 1, 0, False, True),  # 5 of 9 voted
    (MAJOR, 8, 4, 1, 1, True, False),  # abstentions count as voting, not as agreeing: 4 of 6 < 3/4
    (ORDINARY, 6, 2, 2, 0, True, False),  # half is not more than half
    (ORDINARY, 6, 3, 2, 0, True, True),
    (TWO_THIRDS, 6, 4, 0, 0, True, True),  # 4 of all 6
    (TWO_THIRDS, 6, 3, 0, 0, True, False),  # 3 of all 6, whatever the turnout
    (TWO_THIRDS, 30, 20, 0, 0, True, True),
    (MAJOR, 0, 0, 0, 0, False, False),  # no household in the area: nothing passes
])
def test_tally(rule, eligible, yes, no, abstain, quorum, approved):
    result = tally(rule, eligible=eligible, yes=yes, no=no, abstain=abstain)
    assert (result.quorum_met, result.approved, result.passed) == (quorum, approved, quorum and approved)
    assert result.cast == yes + no + abstain
