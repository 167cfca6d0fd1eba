"""Migration 0008 moves a stored notice's note out of its sentence (the text is rendered when read since), and
back again."""

import pytest

from civicloop.cases.tests.migrating import migrate_to, migrate_to_latest

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE, AFTER = [("cases", "0007_notification_actor")], [("cases", "0008_notification_note")]


def test_the_note_moves_out_of_the_stored_text_and_back(world, flow):
    case = flow.register()
    try:
        old = migrate_to(BEFORE)
        Notification = old.get_model("cases", "Notification")
        base = {"district_id": case.district_id, "user_id": world.dept_handler.pk, "case_id": case.pk, "kind": "dispatch"}
        Notification.objects.create(**base, text=f"工单 {case.tracking_code}：派单 — 请尽快 — 今天", dedupe_key="a")
        Notification.objects.create(**base, text=f"工单 {case.tracking_code}：派单", dedupe_key="b")
        new = migrate_to(AFTER).get_model("cases", "Notification")
        assert dict(new.objects.values_list("dedupe_key", "note")) == {"a": "请尽快 — 今天", "b": ""}
        back = migrate_to(BEFORE).get_model("cases", "Notification")
        assert dict(back.objects.values_list("dedupe_key", "text")) == {
            "a": f"工单 {case.tracking_code}：dispatch — 请尽快 — 今天", "b": f"工单 {case.tracking_code}：dispatch"}
    finally:
        migrate_to_latest()
