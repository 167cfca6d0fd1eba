"""The staff pages render for the personas and show only the actions each may take now."""

import re

from civicloop.cases import services as s
from civicloop.cases.models import Case
from civicloop.core.models import UnmaskLog
from civicloop.testing import PASSWORD


def login(client, user):
    client.logout()
    assert client.login(username=user.username, password=PASSWORD)


def action_forms(html: str) -> set[str]:
    import re

    return set(re.findall(r'<form[^>]*data-action="([a-z_]+)"', html))


def test_inbox_shows_what_needs_me(client, world, flow):
    case = flow.dispatched()
    login(client, world.dept_handler)
    html = client.get("/cases/").content.decode()
    assert 'data-section="to_accept"' in html and case.tracking_code in html
    login(client, world.outsider)
    html = client.get("/cases/").content.decode()
    assert case.tracking_code not in html


def test_case_page_shows_only_allowed_actions(client, world, flow):
    case = flow.dispatched()
    login(client, world.dept_handler)
    html = client.get(f"/cases/{case.tracking_code}/").content.decode()
    assert {"accept", "return"} <= action_forms(html) and "close" not in action_forms(html)
    assert "13912345678" not in html
    login(client, world.street_dispatcher)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "accept" not in action_forms(html) and "supervise" in action_forms(html)
    login(client, world.leader)
    assert action_forms(client.get(f"/cases/{case.pk}/").content.decode()) <= {"supervise"}
    login(client, world.outsider)
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_action_via_htmx_and_conflict(client, world, flow):
    case = flow.dispatched()
    login(client, world.dept_handler)
    r = client.post(f"/cases/{case.pk}/act/accept/", {"expected_version": case.version}, HTTP_HX_REQUEST="true")
    # issue 11: after an action the URL is the case's tracking-code URL
    assert r.status_code == 204 and r["HX-Redirect"] == f"/cases/{case.tracking_code}/"
    assert Case.objects.get(pk=case.pk).state == "accepted"
    client.get(r["HX-Redirect"])  # the page the browser loads (consumes the success message)
    r = client.post(f"/cases/{case.pk}/act/resolve/", {"expected_version": case.version, "result": "已清理"},
                    HTTP_HX_REQUEST="true")
    # issue 11: a stale tab meeting a conflict reloads the case with the message, nothing changed
    assert r.status_code == 204 and r["HX-Redirect"] == f"/cases/{case.tracking_code}/"
    assert "刷新" in client.get(r["HX-Redirect"]).content.decode()
    assert Case.objects.get(pk=case.pk).state == "accepted"


def test_a_step_that_takes_the_case_out_of_sight_lands_on_the_inbox(client, world, flow):
    case = flow.dispatched()
    login(client, world.dept_handler)
    client.post(f"/cases/{case.pk}/act/accept/", {"expected_version": case.version})
    r = client.post(f"/cases/{case.pk}/act/return/", {"expected_version": case.version + 1, "reason": "非本单位职责"},
                    HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == "/cases/"
    assert Case.objects.get(pk=case.pk).state == "returned"
    assert "已离开您的办理范围" in client.get("/cases/").content.decode()


def test_unmask_is_logged_and_refused_to_others(client, world, flow):
    case = flow.dispatched()
    login(client, world.dept_handler)
    r = client.post(f"/cases/{case.pk}/reporter/", {"reason_code": "callback"}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "13912345678" in r.content.decode()
    assert UnmaskLog.objects.filter(user=world.dept_handler).count() == 1
    login(client, world.leader)
    assert client.post(f"/cases/{case.pk}/reporter/", {"reason_code": "callback"}).status_code == 403


def test_register_form(client, world, cats):
    login(client, world.committee_worker)
    page = client.get("/cases/register/")
    assert page.status_code == 200  # a committee's own community starts chosen (its only one)
    assert f'<option value="{world.comm_a1.code}" selected>' in page.content.decode()
    login(client, world.street_dispatcher)  # a street's several communities: none chosen for them
    assert "<option value=\"\" selected>" in client.get("/cases/register/").content.decode().split('name="community"')[1]
    login(client, world.committee_worker)
    r = client.post("/cases/register/", {"channel": "grid_inspection", "urgency": "normal", "community": world.comm_a1.code,
                                         "description": "井盖缺失", "category_id": cats["0201"].pk})
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.community_id == world.comm_a1.pk and case.registered_by == world.committee_worker


def test_consultation_and_notification_pages(client, world, flow, django_capture_on_commit_callbacks):
    case = flow.register()
    s.case_escalate(actor=world.street_dispatcher, case_id=case.pk, reason="职责不清")
    login(client, world.consultation_staff)
    r = client.post("/cases/meetings/", {"body_unit_id": world.consultation.pk, "date": "2026-03-02", "title": "会商"})
    assert r.status_code == 302
    mid = r["Location"].rstrip("/").split("/")[-1]
    assert client.post(f"/cases/meetings/{mid}/agenda/", {"case_id": case.pk}).status_code == 302
    html = client.get(f"/cases/meetings/{mid}/").content.decode()
    assert case.tracking_code in html and "lead_unit_id" in html
    login(client, world.outsider)
    assert client.get(f"/cases/meetings/{mid}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        other = flow.dispatched()
    login(client, world.dept_handler)
    html = client.get("/cases/notifications/").content.decode()
    assert other.tracking_code in html and f"经{world.housing.name}" in html  # the unit it came through


def _untouched(html: str, action: str) -> dict:
    """What the browser sends for the action's form as rendered: each field's selected options or value."""
    from html.parser import HTMLParser

    class Form(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.select, self.data = False, None, {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form":
                self.inside = a.get("data-action") == action
            elif self.inside and tag == "select":
                self.select = a["name"]
                self.data.setdefault(self.select, [])
            elif self.inside and tag == "option" and "selected" in a:
                self.data[self.select].append(a["value"])
            elif self.inside and tag == "input" and a.get("name") not in (None, "csrfmiddlewaretoken"):
                self.data[a["name"]] = [a.get("value", "")]

        def handle_endtag(self, tag):
            if tag == "form":
                self.inside = False

    parser = Form()
    parser.feed(html)
    assert parser.data, f"no {action} form"
    return parser.data


def test_an_untouched_triage_form_changes_nothing_but_the_step(client, world, flow, cats):
    """Every action form starts from the case's current values (a triage form sent as shown kept re-categorising)."""
    case = flow.register(category_id=cats["0305"].pk, urgency="urgent")
    login(client, world.street_dispatcher)
    form = _untouched(client.get(f"/cases/{case.pk}/").content.decode(), "triage")
    assert form["category_id"] == [str(cats["0305"].pk)] and form["urgency"] == ["urgent"]
    assert client.post(f"/cases/{case.pk}/act/triage/", form).status_code == 302
    after = Case.objects.get(pk=case.pk)
    assert (after.state, after.category_id, after.urgency) == ("triaged", cats["0305"].pk, "urgent")


def test_an_unread_notification_offers_a_button_that_says_what_it_does(client, world, flow,
                                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        flow.dispatched()
    login(client, world.dept_handler)
    html = client.get("/cases/notifications/").content.decode()
    assert re.search(r"<button[^>]*data-mark-read[^>]*>标为已读</button>", html)
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert ">Mark as read</button>" in client.get("/cases/notifications/").content.decode()
    del client.cookies[settings.LANGUAGE_COOKIE_NAME]
    pk = re.search(r'data-notification="(\d+)"', client.get("/cases/notifications/").content.decode())[1]
    client.post(f"/cases/notifications/{pk}/read/")
    assert "data-mark-read" not in client.get("/cases/notifications/").content.decode()


def test_the_inbox_offers_registration_and_meetings_only_to_those_the_services_let(client, world):
    """The buttons ask the services' rules: a leader may not register; a street dispatcher sees no meetings."""
    login(client, world.leader)
    html = client.get("/cases/").content.decode()
    assert 'href="/cases/register/"' not in html and 'href="/cases/meetings/"' in html
    login(client, world.street_dispatcher)
    html = client.get("/cases/").content.decode()
    assert 'href="/cases/register/"' in html and 'href="/cases/meetings/"' not in html
