"""Issue 21: phone and ID numbers typed into free text reach nobody without the right to see them.

Numbers are seeded into a case's description, address, registration note, dispatch note, progress note,
supervision notice and reply, resolution and reply to the reporter (and so into notifications), an escalated
case's reason and its consultation decision (and so the meeting's minutes), a household's and an enterprise's
address. Then, as every persona, every GET endpoint of the OpenAPI document (read from the API itself, so a new
one is scanned too) and the staff pages are read: a persona without the right finds none of those numbers in
full; a persona with it finds every one (so the scan can fail).
"""

import datetime as dt
import re
import uuid

import pytest
from django.utils import timezone

from civicloop.api import api
from civicloop.cases import services as s
from civicloop.cases.constants import Channel
from civicloop.cases.models import Case, Category, Notification
from civicloop.cases.permissions import may_unmask
from civicloop.cases.services import categories_ensure_defaults
from civicloop.core.validators import make_id_number
from civicloop.places.models import Enterprise, Household
from civicloop.places.selectors import household_may_unmask
from civicloop.testing import PASSWORD, with_civil_affairs
from civicloop.visits.constants import SubjectGroup
from civicloop.visits.models import Subject
from civicloop.visits.services.records import visit_record
from civicloop.visits.testing import make_campaign, make_party_org, make_subject, make_team

PERSONAS = ["district_admin", "leader", "street_dispatcher", "committee_worker", "dept_handler", "city_handler",
            "civil_handler", "consultation_staff", "outsider", "stranger", "nobody"]
# who may see the reporter data of the cases (dispatchers covering them, handlers of the lead unit) …
CASE_RIGHT = {"district_admin", "street_dispatcher", "dept_handler", "consultation_staff"}
# … and the personal data of the household (district administrators, its own committee)
HOUSEHOLD_RIGHT = {"district_admin", "committee_worker"}

ID18 = make_id_number("31010419800101123")
CASE_NUMBERS = {
    "description": "13800138001", "address": "021-64870001", "registration note": ID18,
    "dispatch note": "13800138005", "progress note": "13800138002", "supervision notice": "13800138003",
    "supervision reply": "13800138004", "resolution": "13800138006", "reply": "13800138007",
    "escalated description": "13800138011", "escalation reason": "310104800101123",
    "decision measures": "13800138012",
}
HOUSEHOLD_NUMBERS = {"household address": "13800138021", "enterprise address": "64870022",
                     "visit summary": "13800138023"}
# an inspection finding's description (and so its rectification case's): those who may see the case's reporter data
FINDING_NUMBERS = {"finding description": "13800138031"}
FINDING_RIGHT = {"district_admin", "street_dispatcher", "consultation_staff"}
# a plan task's progress report: its owner unit (street A) and the district's plan managers (plans.permissions.may_report)
PLAN_NUMBERS = {"progress report": "13800138041"}
PLAN_RIGHT = {"district_admin", "street_dispatcher", "consultation_staff"}
# a volunteer's phone: the keepers of their community (its committee, district administrators: volunteers.permissions)
VOLUNTEER_NUMBERS = {"volunteer phone": "13800138051"}
VOLUNTEER_RIGHT = {"district_admin", "committee_worker"}
# residents' words keyed into community A1's hall (a post, a proposer, a meeting's minutes): its committee, who keeps it
HALL_NUMBERS = {"hall post": "13800138061", "hall proposer": "13800138062", "hall minutes": "13800138063"}
HALL_RIGHT = {"committee_worker"}


@pytest.fixture
def world(world):
    return with_civil_affairs(world)


@pytest.fixture
def seeded(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # notifications are delivered after commit
        seeded = _seed(world)
    # the seeds reached the notifications, some of them of people without the right (a co-unit's handler)
    assert Notification.objects.filter(user=world.city_handler, note__contains=CASE_NUMBERS["dispatch note"]).exists()
    return seeded


def _seed(world):
    categories_ensure_defaults()
    cat = Category.objects.get(code="0201")
    n = CASE_NUMBERS
    household = Household.objects.get(community=world.comm_a1)
    household.address = f"{household.address}（联系{HOUSEHOLD_NUMBERS['household address']}）"
    household.save()
    enterprise = Enterprise.objects.create(
        credit_code="91310104MA1FR0XK4G", name="某公司", district=world.district, street=world.street_a,
        community=world.comm_a1, address=f"某路1号 电话{HOUSEHOLD_NUMBERS['enterprise address']}")

    # a visit to the household: its summary follows the household's rule; the problem it raised becomes a case that
    # copies the household's address — with the number typed into it masked (the case's readers are not the household's)
    campaign = make_campaign(world)
    team = make_team(campaign, make_party_org(world))
    subject = make_subject(campaign, household, team)
    visit_record(actor=team.members.get(recorder=True).user, client_id=uuid.uuid4(), subject_id=subject.pk,
                 visited_on=dt.date(2026, 11, 30), method="door", satisfaction="satisfied",
                 summary=f"户主说有事打{HOUSEHOLD_NUMBERS['visit summary']}", problems=[{"description": "楼道灯坏了"}])

    sd, dh = world.street_dispatcher, world.dept_handler
    a = s.case_register(actor=sd, channel=Channel.HOTLINE_12345, household_id=household.pk,
                        description=f"楼道堆物，请回电{n['description']}", address=f"1号楼 座机{n['address']}",
                        note=f"身份证{n['registration note']}", reporter_name="李四", reporter_phone="13912345678")
    s.case_triage(actor=sd, case_id=a.pk, category_id=cat.pk)
    s.case_dispatch(actor=sd, case_id=a.pk, lead_unit_id=world.housing.pk, co_unit_ids=[world.city_mgmt.pk],
                    note=f"联系人{n['dispatch note']}")
    s.case_accept(actor=dh, case_id=a.pk)
    s.case_add_progress(actor=dh, case_id=a.pk, note=f"已约{n['progress note']}上门")
    s.case_supervise(actor=sd, case_id=a.pk, notice=f"请速办，诉求人{n['supervision notice']}")
    s.case_supervision_reply(actor=dh, case_id=a.pk, reply=f"已联系{n['supervision reply']}")
    s.case_resolve(actor=dh, case_id=a.pk, result=f"已清理，回访{n['resolution']}")
    s.case_reply(actor=dh, case_id=a.pk, channel="phone", content=f"已电话{n['reply']}答复")

    b = s.case_register(actor=sd, channel=Channel.HOTLINE_12345, place_id=world.comm_a1.pk,
                        description=f"加装电梯纠纷 {n['escalated description']}")
    s.case_triage(actor=sd, case_id=b.pk, category_id=cat.pk)
    s.case_dispatch(actor=sd, case_id=b.pk, lead_unit_id=world.housing.pk)
    s.case_escalate(actor=sd, case_id=b.pk, reason=f"涉及多个部门，老户主{n['escalation reason']}")
    meeting = s.meeting_create(actor=world.consultation_staff, body_unit_id=world.consultation.pk,
                               date=timezone.localdate(), title="加装电梯协调")
    item = s.meeting_agenda_add(actor=world.consultation_staff, meeting_id=meeting.pk, case_id=b.pk)
    s.meeting_decide(actor=world.consultation_staff, item_id=item.pk, lead_unit_id=world.housing.pk,
                     co_unit_ids=[world.city_mgmt.pk], measures=f"房管牵头，联系{n['decision measures']}",
                     deadline=timezone.localdate() + dt.timedelta(days=30))
    s.meeting_minutes_generate(actor=world.consultation_staff, meeting_id=meeting.pk)
    a, b = Case.objects.get(pk=a.pk), Case.objects.get(pk=b.pk)
    # a second campaign whose unvisited key-group list holds the household (coverage page and API)
    coverage_campaign = make_campaign(world, name="2027年大走访")
    listed = make_subject(coverage_campaign, household, make_team(coverage_campaign, team.unit, name="覆盖走访组"))
    Subject.objects.filter(pk=listed.pk).update(group=SubjectGroup.HOUSEHOLD_KEY)
    make_subject(coverage_campaign, enterprise)
    return {"a": a, "b": b, "meeting": meeting, "household": household, "enterprise": enterprise,
            "campaign": campaign, "team": team, "subject": subject, "coverage_campaign": coverage_campaign,
            **_seed_assessment(world), **_seed_plans(world), **_seed_signs(world),
            **_seed_volunteers(world), **_seed_hall(world)}


def _seed_assessment(world) -> dict:
    """An inspection finding with a number in its description (its rectification case carries it too) and a
    computed closed-loop evaluation."""
    from civicloop.assess.models import Score
    from civicloop.assess.services import inspections, runs, sets
    from civicloop.orgs.constants import Role
    from civicloop.testing import make_user

    today = timezone.localdate()
    inspector = make_user("inspector", world.research, Role.INSPECTOR)
    rnd = inspections.round_create(actor=world.district_admin, name="巡访", kind="citizen_team",
                                   start=today - dt.timedelta(days=30), end=today, member_ids=[inspector.pk])
    finding = inspections.finding_record(actor=inspector, round_id=rnd.pk, place_id=world.comm_a1.pk,
                                         description=f"井盖缺失，联系人 {FINDING_NUMBERS['finding description']}")
    loop = sets.set_create(actor=world.district_admin, code="bihuan", name="闭环", template="bihuan")
    run = runs.run_create(actor=world.district_admin, set_id=loop.pk, name="本月", start=today.replace(day=1),
                          end=today)
    runs.run_compute(actor=world.district_admin, run_id=run.pk)
    score = Score.objects.filter(run=run, unit=world.street_a_office).order_by("pk").first()
    return {"finding": finding, "round": rnd, "indicator_set": loop, "run": run, "score": score}


def _seed_hall(world) -> dict:
    """Community A1's hall: a topic whose proposer left a number, a post and a meeting's minutes with one, a vote,
    a convention."""
    from civicloop.hall import services as hs

    hs.rules_ensure_defaults()
    topic = hs.topic_create(actor=world.committee_worker, place_id=world.comm_a1.pk, title="加装电梯",
                            origin="residents", proposer=f"居民 {HALL_NUMBERS['hall proposer']}")
    hs.post_add(actor=world.committee_worker, topic_id=topic.pk, body=f"请联系 {HALL_NUMBERS['hall post']}")
    meeting = hs.meeting_plan(actor=world.committee_worker, topic_id=topic.pk, title="议事会",
                              date=timezone.localdate(), agenda="方案")
    hs.meeting_hold(actor=world.committee_worker, meeting_id=meeting.pk,
                    minutes=f"居民代表 {HALL_NUMBERS['hall minutes']} 发言")
    vote = hs.vote_open(actor=world.committee_worker, topic_id=topic.pk, place_id=world.comm_a1.pk, question="加装电梯",
                        rule_code="major", closes_at=timezone.now() + dt.timedelta(days=3))
    version = hs.convention_record(actor=world.committee_worker, place_id=world.comm_a1.pk, title="公约", text="条文",
                                   effective_from=timezone.localdate())
    return {"hall_topic": topic, "hall_meeting": meeting, "hall_vote": vote, "hall_convention": version.convention}


def _params(seeded, world) -> dict[str, str]:
    return {"{key}": [str(seeded["a"].pk), seeded["b"].tracking_code],
            "/api/places/places/{code}": [seeded["household"].building.code],
            "/api/places/households/{code}": [seeded["household"].code],
            "/api/places/enterprises/{credit_code}": [seeded["enterprise"].credit_code],
            "/api/places/zones/{code}": ["none"], "/api/places/park-buildings/{code}": ["none"],
            "/api/orgs/units/{code}": [world.housing.code], "/api/orgs/people/{code}": ["none"],
            "/api/hall/meetings/{meeting_id}": [str(seeded["hall_meeting"].pk)],
            "{topic_id}": [str(seeded["hall_topic"].pk)], "{vote_id}": [str(seeded["hall_vote"].pk)],
            "{community_id}": [str(world.comm_a1.pk)], "{convention_id}": [str(seeded["hall_convention"].pk)],
            "{meeting_id}": [str(seeded["meeting"].pk)], "{campaign_id}": [str(seeded["campaign"].pk), str(seeded["coverage_campaign"].pk)],
            "{team_id}": [str(seeded["team"].pk)], "{subject_id}": [str(seeded["subject"].pk)],
            "{set_id}": [str(seeded["indicator_set"].pk)], "{run_id}": [str(seeded["run"].pk)],
            "{score_id}": [str(seeded["score"].pk)], "{finding_id}": [str(seeded["finding"].pk)],
            "{plan_id}": [str(seeded["plan"].pk)], "{task_id}": [str(seeded["task"].pk)],
            "{letter_id}": [str(seeded["letter"].pk)], "{number}": ["1"],
            "{device_id}": [str(seeded["signs"].meter.pk), str(seeded["signs"].elevator.pk)],
            "{rule_id}": [str(seeded["signs"].no_water.pk)],
            "{alarm_id}": [str(seeded["alarm"].pk) if seeded["alarm"] else "0"],
            "/api/routing/cases/{case_id}/suggestions": [str(seeded["a"].pk), str(seeded["b"].pk)],
            "/api/volunteers/members/{member_id}": [str(seeded["volunteer"].pk)],
            "{need_id}": [str(seeded["need"].pk)],
            "/api/volunteers/rules/{rule_id}/list": [str(seeded["recognition_rule"].pk)],
            "/api/dupes/cases/{case_id}": [str(seeded["a"].pk), str(seeded["b"].pk)]}


def _urls(seeded, world) -> list[str]:
    params = _params(seeded, world)
    urls = []
    for path, ops in api.get_openapi_schema()["paths"].items():
        if "get" not in ops:
            continue
        if "{" not in path:
            urls.append(f"{path}?limit=500")
            continue
        values = params.get(path) or next((v for k, v in params.items() if k in path), None)
        assert values is not None, f"the scan does not know what to put in {path}: add it to _params"
        name = re.search(r"\{[^}]+\}", path).group(0)
        for v in values:
            url = path.replace(name, v)
            for rest in re.findall(r"\{[^}]+\}", url):  # a second parameter (a letter's version number)
                url = url.replace(rest, params.get(rest, [rest])[0])
            urls.append(url)
    a, b, h = seeded["a"], seeded["b"], seeded["household"]
    year, week, _day = timezone.localdate().isocalendar()  # this week's report holds the supervision and decision
    report = f"week={year}-W{week:02d}"
    return urls + [
        f"/api/dashboard/report?{report}", f"/api/dashboard/report.xlsx?{report}",
        f"/api/dashboard/report.pdf?{report}", f"/dashboard/report/?{report}",
        "/", "/cases/", f"/cases/{a.tracking_code}/", f"/cases/{b.tracking_code}/", "/cases/notifications/",
        "/cases/meetings/", f"/cases/meetings/{seeded['meeting'].pk}/", "/places/", f"/places/{h.building.code}/",
        f"/places/households/{h.code}/", "/api/cases/?q=请回电", "/cases/?q=请回电",
        f"/visits/subjects/{seeded['subject'].pk}/", f"/visits/teams/{seeded['team'].pk}/list/",
        f"/visits/campaigns/{seeded['coverage_campaign'].pk}/coverage/",
        f"/visits/campaigns/{seeded['coverage_campaign'].pk}/coverage/?community={h.community_id}",
        f"/assess/findings/{seeded['finding'].pk}/", f"/assess/inspections/{seeded['round'].pk}/",
        f"/assess/runs/{seeded['run'].pk}/", f"/assess/scores/{seeded['score'].pk}/",
        f"/cases/{seeded['finding'].case.tracking_code}/",
        "/plans/", "/plans/mine/", f"/plans/{seeded['plan'].pk}/", f"/plans/{seeded['plan'].pk}/gantt/",
        f"/plans/tasks/{seeded['task'].pk}/", "/plans/letters/", f"/plans/letters/{seeded['letter'].pk}/",
        f"/plans/letters/{seeded['letter'].pk}/v1.pdf",
        "/signs/?all=1", f"/signs/places/{seeded['signs'].meter.place.code}/", "/routing/disputes/",
        "/volunteers/", f"/volunteers/?place={world.comm_a1.pk}", f"/volunteers/members/?community={world.comm_a1.pk}",
        f"/volunteers/members/{seeded['volunteer'].pk}/", f"/volunteers/needs/{seeded['need'].pk}/",
        f"/volunteers/needs/?community={world.comm_a1.pk}",
        f"/volunteers/recognition/{seeded['recognition_rule'].pk}/",
        f"/hall/c/{world.comm_a1.pk}/", f"/hall/topics/{seeded['hall_topic'].pk}/",
        f"/hall/meetings/{seeded['hall_meeting'].pk}/", f"/hall/votes/{seeded['hall_vote'].pk}/",
    ]


def _text(response) -> str:
    """What a response says: its text, or the text of the cells of a workbook or of the pages of a PDF."""
    kind = response.get("Content-Type", "")
    if kind == "application/pdf":
        import pypdfium2 as pdfium

        return "\n".join(page.get_textpage().get_text_range() for page in pdfium.PdfDocument(response.content))
    if kind.endswith("spreadsheetml.sheet"):
        import io

        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
        return "\n".join(str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                         for cell in row)
    return response.content.decode()


def _seed_signs(world) -> dict:
    """Street A's devices — a water meter at the seeded household (its address carries a number) — and an alarm of
    its silence: the signs pages and API show the household's device and the alarm's case."""
    from civicloop.signs.models import Alarm
    from civicloop.signs.services.alarms import evaluate_devices
    from civicloop.signs.testing import make_signs

    signs = make_signs(world)
    evaluate_devices([signs.meter.pk, signs.elevator.pk], now=timezone.now())
    return {"signs": signs, "alarm": Alarm.objects.filter(district=world.district).order_by("pk").first()}


def _seed_volunteers(world) -> dict:
    """A volunteer of community A1 (their phone on file), signed up for a need, checked in and out; a rule."""
    from civicloop.volunteers import services as vs
    from civicloop.volunteers.testing import make_member, make_need

    member = make_member(world, phone=VOLUNTEER_NUMBERS["volunteer phone"])
    need = make_need(world)
    signup = vs.signup_create(actor=world.committee_worker, need_id=need.pk, member_id=member.pk)
    vs.signup_check_in(actor=world.committee_worker, signup_id=signup.pk, at=timezone.now() - dt.timedelta(hours=1))
    vs.signup_check_out(actor=world.committee_worker, signup_id=signup.pk)
    rule = vs.rule_save(actor=world.district_admin, name="最美志愿者", top_n=10, min_hours=0)
    return {"volunteer": member, "need": need, "recognition_rule": rule}


def _seed_plans(world) -> dict:
    """A plan task of street A with a number in its progress report, and street A's inspection feedback letter
    (the finding's description, masked in every letter)."""
    from civicloop.plans.services import letter_generate, report_create
    from civicloop.plans.testing import make_plan, make_task

    plan = make_plan(world)
    task = make_task(world, plan, title="背街小巷整治", owner=world.street_a_office)
    report_create(actor=world.street_dispatcher, task_id=task.pk, percent=30,
                  text=f"已联系居民{PLAN_NUMBERS['progress report']}")
    letter = letter_generate(actor=world.district_admin, unit_id=world.street_a_office.pk,
                             year=timezone.localdate().year, kind="feedback").letter
    return {"plan": plan, "task": task, "letter": letter}


def test_the_rights_are_those_the_scan_expects(world, seeded):
    for persona in PERSONAS:
        user = getattr(world, persona)
        assert (persona in CASE_RIGHT) == (may_unmask(user, seeded["a"]) and may_unmask(user, seeded["b"])), persona
        assert (persona in HOUSEHOLD_RIGHT) == household_may_unmask(user, seeded["household"]), persona


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_full_number_reaches_a_persona_without_the_right(client, world, seeded, persona):
    user = getattr(world, persona)
    assert client.login(username=user.username, password=PASSWORD)
    bodies = []
    for url in _urls(seeded, world):
        r = client.get(url)
        assert r.status_code < 500, (url, r.status_code)
        bodies.append((url, _text(r)))
    everything = "\n".join(body for _url, body in bodies)
    for numbers, right in ((CASE_NUMBERS, CASE_RIGHT), (HOUSEHOLD_NUMBERS, HOUSEHOLD_RIGHT),
                           (FINDING_NUMBERS, FINDING_RIGHT), (PLAN_NUMBERS, PLAN_RIGHT),
                           (VOLUNTEER_NUMBERS, VOLUNTEER_RIGHT), (HALL_NUMBERS, HALL_RIGHT)):
        for where, number in numbers.items():
            if persona in right:
                assert number in everything, (persona, where, "the right to see it, but it is nowhere")
            else:
                leaks = [url for url, body in bodies if number in body]
                assert not leaks, (persona, where, leaks)
    assert "13912345678" not in everything  # the reporter's own number: only through a logged reveal
    if persona in {"leader", "committee_worker", "city_handler"}:  # they see the case, masked
        assert "138****8001" in everything, persona


@pytest.mark.parametrize("persona", ["leader", "committee_worker", "city_handler", "dept_handler", "street_dispatcher"])
def test_a_number_is_searched_for_only_where_the_viewer_may_see_it(client, world, seeded, persona):
    user = getattr(world, persona)
    assert client.login(username=user.username, password=PASSWORD)
    found = client.get(f"/api/cases/?q={CASE_NUMBERS['description']}").json()["count"]
    assert found == (1 if persona in CASE_RIGHT else 0), persona
    # the case itself is visible to them all
    assert client.get(f"/api/cases/{seeded['a'].pk}").status_code == 200
