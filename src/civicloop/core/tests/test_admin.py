"""The Django admin: every change is an audit row; personal data is masked, and revealed only with a reason,
logged like the staff pages (core.admin_site, core.admin_personal)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from civicloop.core.admin_site import AuditedAdminMixin
from civicloop.core.constants import AuditAction
from civicloop.core.models import AuditLog, UnmaskLog
from civicloop.orgs.models import Person
from civicloop.places.models import Household, Tag
from civicloop.testing import make_user


@pytest.fixture
def root(client, world):
    user = make_user("root", None, superuser=True)
    client.force_login(user)
    return user


def test_every_registered_admin_is_audited():
    assert admin.site.__class__.__name__ == "CivicAdminSite"
    plain = [model._meta.label for model, model_admin in admin.site._registry.items()
             if not isinstance(model_admin, AuditedAdminMixin)]
    assert plain == []


def test_admin_add_change_delete_are_audited(client, root):
    client.post(reverse("admin:places_tag_add"), {"code": "T-NEW", "name": "新标签", "target": "household"})
    tag = Tag.objects.get(code="T-NEW")
    client.post(reverse("admin:places_tag_change", args=[tag.pk]),
                {"code": "T-NEW", "name": "改名", "target": "household", "key_group": ""})
    client.post(reverse("admin:places_tag_delete", args=[tag.pk]), {"post": "yes"})
    assert not Tag.objects.filter(pk=tag.pk).exists()
    audit = list(AuditLog.objects.filter(object_type="places.tag").order_by("id"))
    assert [(a.action, a.user, a.object_id) for a in audit] == [
        (AuditAction.ADMIN_ADD, root, str(tag.pk)), (AuditAction.ADMIN_CHANGE, root, str(tag.pk)),
        (AuditAction.ADMIN_DELETE, root, str(tag.pk))]
    assert audit[1].details["repr"] == "改名" and audit[0].ip == "127.0.0.1"
    assert "名称" in str(audit[1].details["message"])  # the field changed, not its value


def test_household_head_is_masked_in_the_admin_and_left_out_of_the_form(client, root, world):
    Household.objects.filter(community=world.comm_a1).update(head_id_number="11010519491231002X")
    hh = Household.objects.get(community=world.comm_a1)
    url = reverse("admin:places_household_change", args=[hh.pk])
    page = client.get(url).content.decode()
    assert client.get(url).status_code == 200
    assert "138****1234" in page and "张*" in page
    assert hh.head_phone not in page and hh.head_id_number not in page and hh.head_name not in page
    assert 'name="head_phone"' not in page and "/reveal/" in page
    assert hh.head_phone not in client.get(reverse("admin:places_household_changelist") + "?q=" + hh.code
                                           ).content.decode()
    add = client.get(reverse("admin:places_household_add")).content.decode()
    assert 'name="head_phone"' in add  # nothing stored yet: the add form takes it
    assert not UnmaskLog.objects.exists()


def test_admin_reveal_needs_a_reason_and_is_logged_like_the_page(client, root, world, settings):
    hh = Household.objects.get(community=world.comm_a1)
    url = reverse("admin:places_household_reveal", args=[hh.pk])
    form = client.get(url)
    assert form.status_code == 200 and hh.head_phone not in form.content.decode()
    assert 'name="reason_code"' in form.content.decode()
    missing = client.post(url, {"reason_code": "other"})
    assert missing.status_code == 400 and hh.head_phone not in missing.content.decode()
    assert "理由" in missing.content.decode()
    shown = client.post(url, {"reason_code": "other", "reason": "核对户籍"})
    assert shown.status_code == 200 and hh.head_phone in shown.content.decode()
    log = UnmaskLog.objects.get()
    assert (log.user, log.object_type, log.object_id, log.reason_code, log.reason) == (
        root, "places.household", hh.code, "other", "核对户籍")
    settings.UNMASK_LIMIT_PER_HOUR = 1
    limited = client.post(url, {"reason_code": "verify"})
    assert limited.status_code == 429 and hh.head_phone not in limited.content.decode()
    assert UnmaskLog.objects.count() == 1


def test_people_and_staff_phones_are_masked_with_the_generic_reveal(client, root, world):
    person = Person.objects.create(code="P-1", name="王五", kind="volunteer", phone="13700001111",
                                   id_number="110105194912310021", district=world.district)
    page = client.get(reverse("admin:orgs_person_change", args=[person.pk])).content.decode()
    assert "137****1111" in page and "13700001111" not in page and "110105194912310021" not in page
    shown = client.post(reverse("admin:orgs_person_reveal", args=[person.pk]), {"reason_code": "callback"})
    assert "13700001111" in shown.content.decode() and "110105194912310021" in shown.content.decode()
    assert UnmaskLog.objects.get().object_id == str(person.pk)

    root.phone = "13600002222"
    root.save(update_fields=["phone"])
    page = client.get(reverse("admin:orgs_user_change", args=[root.pk])).content.decode()
    assert "136****2222" in page and "13600002222" not in page and 'name="phone"' not in page
    shown = client.post(reverse("admin:orgs_user_reveal", args=[root.pk]), {"reason_code": "verify"})
    assert "13600002222" in shown.content.decode()
    assert UnmaskLog.objects.filter(object_type="orgs.user", district=None).count() == 1  # a user of no district
