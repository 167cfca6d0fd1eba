"""Demo step: the district's 2026 assessment, ready for the office that runs it to compute.

What it makes (after the cases and the visits), through the services, as `xh_admin`:
- three indicator sets from the shipped templates: 精神文明建设金银铜奖考核细则 (seed 004: eight dimensions, 140
  indicators) and the 12345-style closed-loop scorecard, once for the streets and once for the departments;
- the 2026 evaluations (1 January → 31 December of the cases' year): the 13 streets on the 金银铜 set (gold 2,
  silver 3, bronze 4 places), the streets and the main departments on the closed-loop scorecards — drafts, with
  every subjective value of the 金银铜 set entered (scores 70–98, a few deduction and bonus items);
- the year before's evaluation on the same set, computed on that year's rollups and published (the scorecards'
  trend, 对比 two periods) — which freezes the set;
- two inspection rounds (市民巡访团 by xh_inspect01/02, a 第三方暗查) with `FINDINGS_PER_STREET` findings in every
  street, each a deduction item of a 暗查 indicator, most with a rectification case registered when it was found
  (through `cases.demo.generate_visit_cases`, so it has a lifecycle and the same seed gives the same case).

The 2026 runs are not computed here: objective figures come from the dashboard's rollups, folded by the dashboard's
final demo step (so these findings' cases count) — computing is the demo's first click (考核评比 → 计算). The year
before's run is computed by this app's own final step, after that fold.
Randomness from `ctx.rng_for("assess")`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from civicloop.cases.constants import Channel
from civicloop.cases.demo import VisitCase, generate_visit_cases
from civicloop.orgs.constants import UnitKind
from civicloop.orgs.models import Unit, User
from civicloop.workdays.calendar import SHANGHAI

from .constants import IndicatorKind, InspectionKind, Rule, Severity, UnitGroup
from .models import (
    Dimension,
    EvaluationRun,
    Finding,
    Indicator,
    IndicatorSet,
    InspectionRound,
    Score,
    SubjectiveEntry,
    UnitResult,
)
from .services import inspections, runs, sets
from .templates_data import CLOSED_LOOP, HUANGPU

FINDINGS_PER_STREET = 3
MAIN_DEPARTMENTS = 12  # the departments evaluated: the first by code (the district's main bureaus)
PROBLEMS = ["小区门口垃圾满溢，清运不及时", "人行道非机动车乱停放", "沿街商铺跨门营业", "公益广告破损未更换",
            "背街小巷积水", "建筑工地围挡破损，扬尘明显", "宣传栏内容过期", "公厕保洁不到位"]


def generate_assessment(ctx) -> None:
    """The demo step (`AssessConfig.demo_steps`)."""
    from civicloop.cases.demo import cases_end

    rng = ctx.rng_for("assess")
    end = ctx.extra.get("cases_end") or cases_end()
    year = end.date().year
    admin = User.objects.get(username="xh_admin", district=ctx.district)
    d = ctx.district.pk
    huangpu = sets.set_create(actor=admin, code=HUANGPU["code"], name=HUANGPU["name"], template=HUANGPU["code"],
                              description=HUANGPU["description"], district_id=d)
    loop = sets.set_create(actor=admin, code=CLOSED_LOOP["code"], name=CLOSED_LOOP["name"],
                           template=CLOSED_LOOP["code"], description=CLOSED_LOOP["description"], district_id=d)
    dept_loop = sets.set_create(actor=admin, code="bihuan-bumen", name="部门诉求办理考核（12345口径）",
                                unit_group=UnitGroup.DEPARTMENTS, template=CLOSED_LOOP["code"], district_id=d)
    start, stop = dt.date(year, 1, 1), dt.date(year, 12, 31)
    main = runs.run_create(actor=admin, set_id=huangpu.pk, name=f"{year}年度精神文明建设金银铜奖考核", start=start,
                           end=stop, gold=2, silver=3, bronze=4)
    runs.run_create(actor=admin, set_id=loop.pk, name=f"{year}年街道诉求闭环考核", start=start, end=stop)
    departments = list(Unit.objects.filter(district_id=d, kind=UnitKind.DEPARTMENT, active=True)
                       .order_by("code").values_list("pk", flat=True)[:MAIN_DEPARTMENTS])
    if departments:
        runs.run_create(actor=admin, set_id=dept_loop.pk, name=f"{year}年部门诉求办理考核", start=start, end=stop,
                        unit_ids=departments)
    # subjective values of the 金银铜 evaluation
    entries = []
    subjective = list(Indicator.objects.filter(indicator_set=huangpu, kind=IndicatorKind.SUBJECTIVE).order_by("pk"))
    streets = list(main.units.order_by("code"))
    for unit in streets:
        strength = rng.uniform(0, 12)  # some streets do better everywhere
        for i in subjective:
            if i.rule == Rule.LINEAR:
                value = Decimal(min(100, round(rng.uniform(70, 88) + strength)))
            elif i.rule == Rule.DEDUCTION:
                value = Decimal(rng.choice((0, 0, 0, 1, 1, 2)))
            else:
                value = Decimal(1 if rng.random() < 0.15 else 0)
            entries.append({"unit_id": unit.pk, "indicator_id": i.pk, "value": value, "note": "测评组评分"})
    runs.entries_save(actor=admin, run_id=main.pk, entries=entries)
    ctx.stats.add("assess.entry", len(entries))
    _inspections(ctx, rng, admin, huangpu, streets, start, end.date())


def publish_earlier_year(ctx) -> None:
    """`AssessConfig.demo_final_steps` (after the dashboard's fold, so the rollups it computes on are there): the
    year before, published — the same set computed on that year's rollups and its own entries, so a street's
    scorecard has a trend and 对比 two periods shows the changes. Its own random stream (the 2026 data stays what
    the same seed gave before)."""
    from civicloop.cases.demo import cases_end

    today = (ctx.extra.get("cases_end") or cases_end()).date()
    year = today.year - 1
    admin = User.objects.get(username="xh_admin", district=ctx.district)
    huangpu = IndicatorSet.objects.get(district=ctx.district, code=HUANGPU["code"])
    subjective = list(Indicator.objects.filter(indicator_set=huangpu, kind=IndicatorKind.SUBJECTIVE).order_by("pk"))
    rng = ctx.rng_for("assess_earlier")
    run = runs.run_create(actor=admin, set_id=huangpu.pk, name=f"{year}年度精神文明建设金银铜奖考核",
                          start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), gold=2, silver=3, bronze=4)
    entries = []
    for unit in run.units.order_by("code"):
        strength = rng.uniform(0, 12)
        for i in subjective:
            if i.rule == Rule.LINEAR:
                value = Decimal(min(100, round(rng.uniform(68, 86) + strength)))
            elif i.rule == Rule.DEDUCTION:
                value = Decimal(rng.choice((0, 0, 1, 1, 2, 3)))
            else:
                value = Decimal(1 if rng.random() < 0.1 else 0)
            entries.append({"unit_id": unit.pk, "indicator_id": i.pk, "value": value, "note": "测评组评分"})
    runs.entries_save(actor=admin, run_id=run.pk, entries=entries)
    runs.run_compute(actor=admin, run_id=run.pk, today=today)  # freezes the set: 2026 is computed on it too
    runs.run_publish(actor=admin, run_id=run.pk)
    ctx.stats.add("assess.entry", len(entries))
    ctx.log(f"  assess: the {year} evaluation computed and published")


def _inspections(ctx, rng, admin, huangpu, streets, start: dt.date, today: dt.date) -> None:
    members = list(User.objects.filter(district=ctx.district, username__in=("xh_inspect01", "xh_inspect02"))
                   .order_by("username"))
    if not members:
        return
    citizen = inspections.round_create(actor=admin, name=f"{start.year}年市民巡访团“啄木鸟”巡访",
                                       kind=InspectionKind.CITIZEN_TEAM, start=start, end=today,
                                       route="各街道主次干道、背街小巷、公共厕所、菜场周边",
                                       member_ids=[m.pk for m in members], district_id=ctx.district.pk)
    third = inspections.round_create(actor=admin, name=f"{start.year}年第三方文明城区暗查",
                                     kind=InspectionKind.THIRD_PARTY, start=start, end=today,
                                     member_ids=[members[-1].pk], district_id=ctx.district.pk)
    deductions = list(Indicator.objects.filter(indicator_set=huangpu, kind=IndicatorKind.SUBJECTIVE,
                                               rule=Rule.DEDUCTION, name__contains="暗查").order_by("code"))
    span = max(1, (today - start).days)
    count, problems = 0, []
    for street in streets:
        places = ctx.committees_by_street.get(street.territory_id) or []
        for k in range(FINDINGS_PER_STREET):
            if not places:
                break
            r = citizen if k % 2 == 0 else third
            found_on = start + dt.timedelta(days=rng.randrange(span))
            recorder = members[0] if r is citizen else members[-1]
            place = rng.choice(places)
            description = rng.choice(PROBLEMS)
            # the finding through the service, its rectification case (most of them) through the cases demo —
            # registered at the moment it was found and taken through a lifecycle like every demo case, where
            # the service would register it now (`finding_record` with rectify)
            finding = inspections.finding_record(
                actor=recorder, round_id=r.pk, place_id=place.pk, description=description,
                severity=rng.choice((Severity.MINOR, Severity.MINOR, Severity.MAJOR)),
                indicator_id=rng.choice(deductions).pk if deductions else None, rectify=False, found_on=found_on)
            if rng.random() < 0.8:
                at = dt.datetime.combine(found_on, dt.time(10), tzinfo=SHANGHAI) + dt.timedelta(
                    minutes=rng.randrange(360))
                problems.append((finding, VisitCase(
                    at=at, registrar=recorder, description=f"【{InspectionKind(r.kind).label}】{description}",
                    external_id=f"{inspections.EXTERNAL_PREFIX}{finding.pk}", place=place,
                    channel=Channel.CITIZEN_INSPECTION)))
            count += 1
    ids = generate_visit_cases(ctx, [problem for _finding, problem in problems], rng_name="inspection_cases")
    for (finding, _problem), case_id in zip(problems, ids, strict=True):
        Finding.objects.filter(pk=finding.pk).update(case_id=case_id)  # the link the service sets
    ctx.stats.add("assess.finding", count)
    ctx.log(f"  assess: 3 indicator sets, 3 evaluations of {start.year} (drafts), {count} inspection findings")


def delete_assessment(district) -> None:
    """The reset step (`AssessConfig.demo_reset_steps`): every assessment row of `district`, before the cases
    (findings point at their rectification cases)."""
    Finding.objects.filter(district=district).delete()
    InspectionRound.members.through.objects.filter(inspectionround__district=district).delete()
    InspectionRound.objects.filter(district=district).delete()
    for model in (Score, UnitResult, SubjectiveEntry):
        model.objects.filter(run__district=district).delete()
    EvaluationRun.units.through.objects.filter(evaluationrun__district=district).delete()
    EvaluationRun.objects.filter(district=district).delete()
    Indicator.objects.filter(indicator_set__district=district).delete()
    Dimension.objects.filter(indicator_set__district=district).delete()
    IndicatorSet.objects.filter(district=district).delete()
