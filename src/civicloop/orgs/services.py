"""The orgs app's writers for what other apps create in it at work (the territory's units, staff and people are
otherwise loaded by the imports and the demo)."""

from __future__ import annotations

import uuid

from django.db import transaction

from .models import Person


@transaction.atomic
def person_create(*, district_id: int, name: str, kind: str, phone: str = "", unit=None, community=None,
                  code_prefix: str = "P") -> Person:
    """A new person record (a volunteer registered by a committee …), coded `<prefix><id, 7 digits>` — the row's
    own id, so two registrations at once never take the same code. The caller validated the values and writes the
    audit row of what it registered the person for."""
    person = Person.objects.create(district_id=district_id, code=f"new-{uuid.uuid4().hex}", name=name, kind=kind,
                                   phone=phone, unit=unit, community=community)
    person.code = f"{code_prefix}{person.pk:07d}"
    person.save(update_fields=["code"])
    return person
