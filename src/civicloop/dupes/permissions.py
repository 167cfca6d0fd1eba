"""Who may ask the dupes app: the draft check is a registrar's (cases.permissions.may_register) — it answers only
cases the asker sees anyway; a case's duplicates, whoever sees the case; merging, whom the merge service allows
(`cases.preconditions.can(actor, duplicate, MERGE)`, asked per suggestion in `selectors`)."""

from civicloop.cases.permissions import may_register


def may_check_draft(user) -> bool:
    return bool(getattr(user, "pk", None)) and may_register(user)
