"""The only writers of the hall: topics, posts and meetings (`topics.py`), votes and ballots (`votes.py`), what a
passed vote becomes and conventions (`outcomes.py`). Each is keyword-only, atomic, and writes its audit row in
the same transaction."""

from .outcomes import Made, convention_record, outcome_make
from .topics import meeting_close, meeting_hold, meeting_plan, post_add, post_hide, topic_close, topic_create
from .votes import ballot_cast, result_now, rules_ensure_defaults, vote_close, vote_open, votes_close_due

__all__ = ["Made", "ballot_cast", "convention_record", "meeting_close", "meeting_hold", "meeting_plan",
           "outcome_make", "post_add", "post_hide", "result_now", "rules_ensure_defaults", "topic_close",
           "topic_create", "vote_close", "vote_open", "votes_close_due"]
