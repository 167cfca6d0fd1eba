"""Demo step: every community's hall, and one elevator installation (加装电梯) carried from topic to work.

- every community: two topics (one raised by residents through the committee) with a post each, and one
  compound convention keyed in from paper — written in bulk (rows without a state change: 312 communities through
  the services one by one took seconds, and the demo runs in many tests), each with its audit row;
- the elevator, through the services, as the committee's grid worker (`<street>_c<nn>_grid`) of the community
  whose building has the most households: a topic for that building, a residents' meeting with agenda, attendance
  and minutes, a vote of the building's households under the "major" rule (two thirds vote, three quarters of them
  agree) — all but one household vote yes, most on their phones (code + last four digits), the rest through the
  grid worker — closed after its deadline and passed; it becomes a case (registered by the grid worker) and a task
  of the "三旧变三新" plan for the street office (made by `xh_admin`, who may add to it);
- a convention vote in the same compound (楼道堆物管理公约), passed and adopted as the convention's first version.

Deterministic: no randomness — communities and households in code order, phrases by position.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count

from civicloop.cases.models import Case, CaseEvent
from civicloop.core.models import AuditLog
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.places.constants import PlaceLevel
from civicloop.places.models import Household, Place
from civicloop.workdays.calendar import SHANGHAI

from .constants import Choice, HallAuditAction, OutcomeKind, TopicOrigin
from .models import (
    Attendance,
    Convention,
    ConventionVersion,
    HallMeeting,
    Post,
    SecretCount,
    Topic,
    Vote,
    VoteBallot,
    VoteOutcome,
)
from .services import (
    ballot_cast,
    meeting_close,
    meeting_hold,
    meeting_plan,
    outcome_make,
    post_add,
    rules_ensure_defaults,
    topic_close,
    topic_create,
    vote_close,
    vote_open,
)

TOPICS = [("小区停车位紧张，规划增设非机动车棚", TopicOrigin.RESIDENTS, "居民代表",
           "电瓶车在楼道充电有安全隐患，建议在小区空地增设带充电桩的非机动车棚。"),
          ("楼道公共区域环境整治", TopicOrigin.COMMITTEE, "", "部分楼道堆放杂物，影响通行和消防安全。")]
POSTS = ["同意尽快实施，建议听取低楼层住户意见。", "希望物业配合，明确后续管理责任。"]
CONVENTION = ("文明养犬公约", "一、出门牵绳，及时清理粪便；二、不在公共区域放任犬只；三、按规定办理犬证并免疫。")
ELEVATOR = "加装电梯"
HALLWAY_RULES = "一、楼道内不得堆放杂物；二、电瓶车不得进楼道充电；三、每月第一个周六楼组长组织清理。"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def generate_hall(ctx) -> None:
    """The demo step (`HallConfig.demo_steps`)."""
    from civicloop.cases.demo import case_clock, cases_end

    rules_ensure_defaults()
    end = ctx.extra.get("cases_end") or cases_end()
    today = end.astimezone(SHANGHAI).date()
    keepers = {u.unit.territory_id: u for u in User.objects.filter(
        district=ctx.district, unit__kind=UnitKind.COMMITTEE, username__endswith="_grid",
        is_active=True).select_related("unit").order_by("username")}
    if not keepers:
        return
    communities = sorted((c for c in ctx.committees if c.pk in keepers), key=lambda c: c.code)
    topics, posts, made = _background(ctx, communities, keepers, today)
    # the case the elevator vote becomes is written through the cases services: counted with the demo's own
    cases_before = Case.objects.filter(district=ctx.district).count()
    events_before = CaseEvent.objects.filter(district=ctx.district).count()
    elevator = _elevator(ctx, keepers, today, case_clock)
    ctx.stats.add("cases.case", Case.objects.filter(district=ctx.district).count() - cases_before)
    ctx.stats.add("cases.case_event", CaseEvent.objects.filter(district=ctx.district).count() - events_before)
    ctx.stats.add("hall.topic", topics + (2 if elevator else 0))
    ctx.stats.add("hall.post", posts)
    ctx.stats.add("hall.convention", made)
    ctx.log(f"  hall: {topics} topics, {made} conventions; elevator vote: "
            f"{'passed → case + plan task' if elevator else 'not made'}")


def _background(ctx, communities, keepers, today: dt.date) -> tuple[int, int, int]:
    """Each community's topics, posts and a convention, in bulk (see the module), with their audit rows."""
    opened = _at(today - dt.timedelta(days=20), 10)
    topics = [Topic(district_id=ctx.district.pk, street_id=c.street_id, community_id=c.pk, place_id=c.pk, title=title,
                    body=body, origin=origin, proposer=proposer, opened_by=keepers[c.pk], opened_at=opened)
              for c in communities for title, origin, proposer, body in TOPICS]
    Topic.objects.bulk_create(topics, batch_size=500)
    rows = [Post(district_id=t.district_id, street_id=t.street_id, community_id=t.community_id, topic=t,
                 speaker="居民", body=POSTS[n % len(POSTS)], author=t.opened_by,
                 created_at=opened + dt.timedelta(hours=2)) for n, t in enumerate(topics)]
    Post.objects.bulk_create(rows, batch_size=500)
    conventions = [Convention(district_id=ctx.district.pk, street_id=c.street_id, community_id=c.pk, place_id=c.pk,
                              title=CONVENTION[0]) for c in communities]
    Convention.objects.bulk_create(conventions, batch_size=500)
    effective = today.replace(month=1, day=1)
    versions = [ConventionVersion(district_id=ctx.district.pk, convention=c, number=1, text=CONVENTION[1],
                                  effective_from=effective, recorded_by=keepers[c.community_id], recorded_at=opened)
                for c in conventions]
    ConventionVersion.objects.bulk_create(versions, batch_size=500)
    audit = [AuditLog(user=t.opened_by, username=t.opened_by.username, district_id=ctx.district.pk,
                      action=HallAuditAction.TOPIC_OPEN, object_type="hall.topic", object_id=str(t.pk),
                      details={"place": t.place_id, "origin": t.origin, "demo": True}) for t in topics]
    audit += [AuditLog(user=p.author, username=p.author.username, district_id=ctx.district.pk,
                       action=HallAuditAction.POST, object_type="hall.post", object_id=str(p.pk),
                       details={"topic": p.topic_id, "demo": True}) for p in rows]
    audit += [AuditLog(user=v.recorded_by, username=v.recorded_by.username, district_id=ctx.district.pk,
                       action=HallAuditAction.CONVENTION, object_type="hall.conventionversion", object_id=str(v.pk),
                       details={"convention": v.convention_id, "number": 1, "demo": True}) for v in versions]
    AuditLog.objects.bulk_create(audit, batch_size=500)
    return len(topics), len(rows), len(conventions)


def _elevator(ctx, keepers, today: dt.date, case_clock) -> bool:
    """The elevator installation of the building with the most households (see the module)."""
    building = (Place.objects.filter(district=ctx.district, level=PlaceLevel.BUILDING, community_id__in=list(keepers))
                .annotate(n=Count("households")).filter(n__gte=2).order_by("-n", "code").defer("boundary").first())
    if building is None:
        return False
    keeper = keepers[building.community_id]
    households = list(Household.objects.filter(building=building).order_by("code"))
    day0 = today - dt.timedelta(days=40)
    topic = topic_create(actor=keeper, place_id=building.pk, title=f"{building.parent.name}{building.name}{ELEVATOR}",
                         body="本楼住户提出加装电梯，设计方案已公示，费用按楼层分摊。", origin=TopicOrigin.RESIDENTS,
                         proposer=f"{building.name}居民", at=_at(day0, 9))
    post_add(actor=keeper, topic_id=topic.pk, speaker="5楼住户", body="老人上下楼困难，非常支持。", at=_at(day0, 10))
    post_add(actor=keeper, topic_id=topic.pk, speaker="1楼住户", body="担心采光和噪声，希望方案考虑补偿。",
             at=_at(day0, 11))
    meeting = meeting_plan(actor=keeper, topic_id=topic.pk, title=f"{building.name}{ELEVATOR}议事会",
                           date=day0 + dt.timedelta(days=7), location="居委会议室",
                           agenda="一、介绍加装电梯设计方案；二、费用分摊办法；三、低楼层住户意见；四、确定表决安排。")
    meeting_hold(actor=keeper, meeting_id=meeting.pk, household_ids=[h.pk for h in households],
                 attendees_other=3, minutes="与会住户对方案无原则分歧；低楼层补偿按分摊办法执行；同意启动表决。",
                 at=_at(day0 + dt.timedelta(days=7), 20))
    meeting_close(actor=keeper, meeting_id=meeting.pk)
    opens = _at(day0 + dt.timedelta(days=8), 9)
    vote = vote_open(actor=keeper, topic_id=topic.pk, place_id=building.pk, question=topic.title, rule_code="major",
                     proposal="加装电梯一部，费用按楼层系数分摊，低楼层住户给予补偿。", closes_at=opens + dt.timedelta(days=14),
                     at=opens)
    _ballots(vote, keeper, households, opens, no_last=True)
    vote = vote_close(actor=keeper, vote_id=vote.pk, at=opens + dt.timedelta(days=15))
    if not vote.passed:
        return False
    decided = opens + dt.timedelta(days=16)
    with case_clock(decided):
        outcome_make(actor=keeper, vote_id=vote.pk, kind=OutcomeKind.CASE, at=decided)
    _task(ctx, vote, building, decided)
    topic_close(actor=keeper, topic_id=topic.pk, at=decided)
    # the compound's hallway rules, adopted by a vote of its households
    compound = building.parent
    rules = topic_create(actor=keeper, place_id=compound.pk, title=f"{compound.name}楼道堆物管理公约",
                         body="制定楼道管理微规约。", at=_at(day0, 14))
    vote = vote_open(actor=keeper, topic_id=rules.pk, place_id=compound.pk, question=rules.title,
                     rule_code="ordinary", proposal=HALLWAY_RULES, closes_at=opens + dt.timedelta(days=14), at=opens)
    voters = list(Household.objects.filter(building__parent=compound).order_by("code"))
    _ballots(vote, keeper, voters, opens)
    vote = vote_close(actor=keeper, vote_id=vote.pk, at=opens + dt.timedelta(days=15))
    if vote.passed:
        outcome_make(actor=keeper, vote_id=vote.pk, kind=OutcomeKind.CONVENTION, convention_title="楼道堆物管理公约",
                     effective_from=(decided + dt.timedelta(days=7)).date(), at=decided)
    return True


def _ballots(vote, keeper, households, opens, *, no_last: bool = False) -> None:
    """Yes from every household (the last says no when `no_last`): on their phones where one is on file, else the
    grid worker in person."""
    for n, h in enumerate(households):
        choice = Choice.NO if no_last and n == len(households) - 1 and n > 2 else Choice.YES
        at = opens + dt.timedelta(hours=3 + n)
        if len(h.head_phone) >= 4 and n % 3:
            ballot_cast(vote_id=vote.pk, token=vote.token, household_code=h.code, choice=choice,
                        phone_last4=h.head_phone[-4:], at=at)
        else:
            ballot_cast(actor=keeper, vote_id=vote.pk, household_code=h.code, choice=choice, at=at)


def _task(ctx, vote, building, decided) -> None:
    """The plan task, by the district's administrator, in the "三旧变三新" plan (else any plan they add to)."""
    from civicloop.plans.selectors import plans_open_for

    admin = User.objects.filter(username="xh_admin", district=ctx.district).first()
    office = Unit.objects.filter(kind=UnitKind.STREET_OFFICE, territory_id=building.street_id).first()
    if admin is None or office is None:
        return
    plans = plans_open_for(admin)
    plan = next((p for p in plans if "三旧变三新" in p.title), plans[0] if plans else None)
    if plan is None:
        return
    due = (decided + dt.timedelta(days=180)).date()
    outcome_make(actor=admin, vote_id=vote.pk, kind=OutcomeKind.TASK, plan_id=plan.id, owner_unit_id=office.pk,
                 due=due, at=decided)


def delete_hall(district) -> None:
    """The reset step (`HallConfig.demo_reset_steps`): every hall row of `district`, before plans' and the
    cases' (outcomes point at cases)."""
    VoteOutcome.objects.filter(district=district).delete()
    ConventionVersion.objects.filter(district=district).delete()
    Convention.objects.filter(district=district).delete()
    SecretCount.objects.filter(vote__district=district).delete()
    VoteBallot.objects.filter(district=district).delete()
    Vote.objects.filter(district=district).delete()
    Attendance.objects.filter(district=district).delete()
    HallMeeting.objects.filter(district=district).delete()
    Post.objects.filter(district=district).delete()
    Topic.objects.filter(district=district).delete()


