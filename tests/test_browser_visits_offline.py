"""The visits issue's "offline in the field", in a real Chromium with its service worker and IndexedDB.

A team member opens the field app, the service worker keeps it, the phone goes offline; the visit recorded there
(two problems) waits in the outbox, goes out when the connection returns, and the street dispatcher's inbox holds
exactly its two cases. A record whose answer is lost is sent again and stored once; a record for a subject
reassigned meanwhile is kept aside with the server's message, not lost.
"""

import datetime as dt
import re
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from playwright.sync_api import expect

from civicloop.cases.constants import Channel
from civicloop.cases.models import Case
from civicloop.cases.selectors import inbox_conditions
from civicloop.places.models import Household
from civicloop.places.services import place_create
from civicloop.testing import PASSWORD
from civicloop.visits.models import FollowUp, Subject, Visit, VisitProblem
from civicloop.visits.services.records import visit_record
from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

pytestmark = pytest.mark.browser


def _field(world) -> SimpleNamespace:
    """A running campaign; a full team whose recorder logs in; five households of street A on it, in two
    buildings of 甲街道1居委's compound and one in 甲街道2居委; a second team of the same campaign."""
    campaign = make_campaign(world)
    team = make_team(campaign, make_party_org(world))
    other_team = make_team(campaign, make_party_org(world, code="U-PO2", name="区教育局机关党委"), name="第二走访组")
    first = Household.objects.get(community=world.comm_a1)
    building = first.building
    second_building = place_create(code=f"{building.parent.code}-B02", name="2号楼", level="building",
                                   parent=building.parent)
    households = [first]
    for b, room in ((building, "102"), (building, "201"), (second_building, "101")):
        households.append(Household.objects.create(
            code=f"{b.code}-{room}", district=world.district, street=world.street_a, community=world.comm_a1,
            building=b, room=room, address=f"{world.comm_a1.name}{b.name}{room}室", head_name="王五",
            head_phone="13900001111"))
    households.append(Household.objects.get(community=world.comm_a2))
    subjects = [make_subject(campaign, h, team) for h in households]
    return SimpleNamespace(campaign=campaign, team=team, other_team=other_team, subjects=subjects,
                           recorder=team.members.get(recorder=True).user)


def _login(page, base, user):
    page.goto(f"{base}/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#who")).to_contain_text(user.unit.name)


def _shot(page, width: int, name: str) -> None:
    shots = Path(settings.VAR_DIR) / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"visits-offline-{width}-{name}.png"), full_page=True)


def _open_field_app(page, base, fx):
    page.goto(f"{base}/visits/field/")
    expect(page.locator("#field-app")).to_have_attribute("data-state", "ready")
    expect(page.locator("#subjects button.subject")).to_have_count(len(fx.subjects))
    # the service worker has taken the page over and kept the shell and the team's list
    expect(page.locator("#field-app")).to_have_attribute("data-offline-ready", "true")


def _record(page, subject, *, summary, problems, satisfaction="满意", follow_up=None):
    page.locator(f"#subjects button.subject[data-subject-id='{subject.pk}']").click()
    expect(page.locator("#form-view")).to_be_visible()
    expect(page.locator("#f-date")).to_have_value(dt.date.today().isoformat())  # today by default
    expect(page.locator("#f-method input:checked")).to_have_value("door")  # a household: 入户
    page.fill("#f-summary", summary)
    page.locator("#f-satisfaction label", has_text=satisfaction).first.click()
    if follow_up:
        page.locator(".follow-up select").select_option(label=follow_up)
    for text in problems:
        page.click("#add-problem")
        page.locator("#f-problems textarea").last.fill(text)
    page.click("#save-visit")
    expect(page.locator("#list-view")).to_be_visible()


def _waiting(page, n):
    expect(page.locator("#outbox-count")).to_have_attribute("data-count", str(n))
    expect(page.locator("#outbox-list > li")).to_have_count(n)


@pytest.mark.parametrize("width", [1366, 390])  # a desktop and a phone
def test_a_visit_recorded_offline_reaches_the_street_dispatcher_once_online(transactional_db, live_server, world,
                                                                             browser_page, width):
    fx = _field(world)
    subject = fx.subjects[1]
    # an earlier visit raised a case: the repeat visit asks about it
    earlier, _ = visit_record(actor=fx.recorder, client_id=uuid.uuid4(), subject_id=subject.pk,
                              visited_on=dt.date.today() - dt.timedelta(days=30), method="door", summary="首次走访",
                              satisfaction="basically", problems=[{"description": "楼道灯不亮"}])
    earlier_case = earlier.problems.get().case
    before = set(Case.objects.values_list("pk", flat=True))
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": width, "height": 900})
    _login(page, base, fx.recorder)
    _open_field_app(page, base, fx)
    # walk order, grouped: community → compound → building
    expect(page.locator("#subjects .group-community")).to_have_text([world.comm_a1.name, world.comm_a2.name])
    expect(page.locator("#subjects .group-building").first).to_have_text("1号楼")
    expect(page.locator(f"button.subject[data-subject-id='{subject.pk}']")).to_have_attribute("data-visit-state", "visited")
    _shot(page, width, "1-list")

    # the stairwell: no signal; the app opens from the service worker's cache
    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#net-status")).to_have_text("离线")
    expect(page.locator("#field-app")).to_have_attribute("data-state", "ready")
    expect(page.locator("#list-meta")).to_contain_text("无法联网")
    page.fill("#search", "102")  # the search box narrows the list
    expect(page.locator("#subjects button.subject")).to_have_count(1)
    page.locator(f"button.subject[data-subject-id='{subject.pk}']").click()
    expect(page.locator(".follow-up label")).to_have_text(f"上次反映：{earlier_case.description}，是否满意？")
    _shot(page, width, "2-form")
    page.click("#back-to-list")
    _record(page, subject, summary="老人独居，身体尚可", problems=["电梯经常故障", "小区门口路灯损坏"],
            follow_up="满意")
    _waiting(page, 1)
    expect(page.locator(f"button.subject[data-subject-id='{subject.pk}']")).to_have_attribute("data-visit-state", "queued")
    expect(page.locator("#outbox-list")).to_contain_text("2 个问题")
    _shot(page, width, "3-waiting")
    assert Visit.objects.count() == 1  # only the earlier one: nothing left the phone

    # back in the open: the `online` event sends it
    page.context.set_offline(False)
    _waiting(page, 0)
    expect(page.locator("#sync-message")).to_contain_text("生成工单")
    page.fill("#search", "")
    expect(page.locator(f"button.subject[data-subject-id='{subject.pk}']")).to_have_attribute("data-visit-state", "visited")
    _shot(page, width, "4-sent")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off the screen

    visit = Visit.objects.exclude(pk=earlier.pk).get()
    assert visit.subject_id == subject.pk and visit.recorded_by_id == fx.recorder.pk
    assert visit.members.count() == fx.team.members.count()  # everyone present, the default
    new_cases = Case.objects.exclude(pk__in=before)
    assert sorted(new_cases.values_list("description", flat=True)) == ["小区门口路灯损坏", "电梯经常故障"]
    assert set(new_cases.values_list("channel", flat=True)) == {Channel.VISIT}
    assert set(VisitProblem.objects.filter(visit=visit).values_list("case_id", flat=True)) == set(new_cases.values_list("pk", flat=True))
    inbox = inbox_conditions(world.street_dispatcher)
    in_inbox = new_cases.filter(inbox["to_triage"] | inbox["to_dispatch"])
    assert in_inbox.count() == 2
    assert FollowUp.objects.get(visit=visit).case_id == earlier_case.pk


def test_a_record_whose_answer_is_lost_is_sent_again_and_stored_once(transactional_db, live_server, world,
                                                                      browser_page):
    fx = _field(world)
    subject = fx.subjects[0]
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 900})
    _login(page, base, fx.recorder)
    _open_field_app(page, base, fx)

    posts = []

    def lose_the_first_two_answers(route):
        posts.append(route.request.post_data_json["client_id"])
        if len(posts) <= 2:
            route.fetch()  # the server stores it ...
            route.abort("connectionreset")  # ... and the phone never hears back
        else:
            route.continue_()

    page.route("**/api/visits/visits", lose_the_first_two_answers)
    _record(page, subject, summary="企业经营正常", problems=["希望增加停车位"])  # sent at once: answer lost
    expect(page.locator("#sync-now")).to_be_enabled()
    _waiting(page, 1)
    page.click("#sync-now")  # again: answer lost
    expect(page.locator("#sync-now")).to_be_enabled()
    _waiting(page, 1)
    page.click("#sync-now")  # a third time: the server answers 200, the stored record
    _waiting(page, 0)
    _shot(page, 390, "5-retried")

    assert len(posts) == 3 and len(set(posts)) == 1  # the same client_id each time
    visit = Visit.objects.get()
    assert str(visit.client_id) == posts[0]
    assert Case.objects.filter(channel=Channel.VISIT).count() == 1  # one problem, one case, not three
    assert Subject.objects.get(pk=subject.pk).visits_count == 1


def test_a_subject_reassigned_meanwhile_is_kept_aside_with_the_servers_message(transactional_db, live_server, world,
                                                                                 browser_page):
    fx = _field(world)
    subject = fx.subjects[2]
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 900})
    _login(page, base, fx.recorder)
    _open_field_app(page, base, fx)
    page.context.set_offline(True)
    _record(page, subject, summary="家中无人", problems=["门口堆放杂物"])
    _waiting(page, 1)
    Subject.objects.filter(pk=subject.pk).update(team=fx.other_team)  # the research office moved it meanwhile

    page.context.set_offline(False)
    _waiting(page, 0)
    attention = page.locator("#attention-list > li")
    expect(attention).to_have_count(1)
    expect(attention).to_have_attribute("data-code", "subject_reassigned")
    expect(attention.locator("[data-server-message]")).to_contain_text(f"已改派给「{fx.other_team.name}」，本条记录未保存。")
    _shot(page, 390, "6-reassigned")
    assert not Visit.objects.exists() and not Case.objects.exists()

    page.reload()  # kept on the phone, not lost
    expect(page.locator("#attention-list > li")).to_have_count(1)
    expect(page.locator("#attention-count")).to_have_attribute("data-count", "1")


def test_the_field_app_speaks_english_when_the_person_chose_it(transactional_db, live_server, world, browser_page):
    """The strings drawn by the script come from the server in the page's language (with the catalogue filled)."""
    fx = _field(world)
    page, base = browser_page, live_server.url
    page.set_viewport_size({"width": 390, "height": 900})
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    _login(page, base, fx.recorder)
    _open_field_app(page, base, fx)
    expect(page.locator("h1")).to_have_text("Field visits")
    expect(page.locator("#outbox-count")).to_have_text("Nothing waiting to send.")
    expect(page.locator("#net-status")).to_have_text("Online")
    page.locator(f"button.subject[data-subject-id='{fx.subjects[0].pk}']").click()
    page.click("#add-problem")
    page.click("#save-visit")  # nothing filled: the missing fields are named in English
    expect(page.locator("#form-error")).to_contain_text("Please fill in: ")
    _shot(page, 390, "7-english")
    text = page.locator("#field-app").inner_text()
    data = {s.campaign.name for s in fx.subjects} | {fx.team.name, world.comm_a1.name, world.comm_a2.name}
    data |= {s.household.address for s in fx.subjects} | {m.person.name for m in fx.team.members.exclude(person=None)}
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, "")
    assert not re.findall(r"[\u3400-\u9fff]+", text), text
