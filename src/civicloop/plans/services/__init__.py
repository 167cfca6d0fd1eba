"""The only writers of the plans app (each writes its audit row in the same transaction)."""

from .contacts import leader_contacts_set
from .letters import (
    letter_acknowledge,
    letter_generate,
    letter_refresh,
    letter_sync,
    letters_sync_for_units,
    target_set,
)
from .links import task_link
from .reports import report_create
from .tasks import goal_create, milestone_create, milestone_done, plan_create, roll_up_from, task_create

__all__ = [
    "goal_create", "leader_contacts_set", "letter_acknowledge", "letter_generate", "letter_refresh", "letter_sync",
    "letters_sync_for_units", "milestone_create", "milestone_done", "plan_create", "report_create",
    "roll_up_from", "target_set", "task_create", "task_link",
]
