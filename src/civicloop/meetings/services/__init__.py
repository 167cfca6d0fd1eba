"""The only writers of the meetings app: meetings and their packs (`meetings.py`), minutes and decisions
(`decisions.py`). Each is keyword-only, atomic, and writes its audit row in the same transaction."""

from .decisions import Recorded, decision_record, item_minutes_record
from .meetings import item_add, meeting_close, meeting_create, meeting_hold, meeting_pack_build

__all__ = ["Recorded", "decision_record", "item_add", "item_minutes_record", "meeting_close", "meeting_create",
           "meeting_hold", "meeting_pack_build"]
