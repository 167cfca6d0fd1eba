"""Demo step: the district's plans, watched on the board (after the assessment: the letters read its findings).

What it makes, through the services, as `xh_admin` (reports as the owner units' staff where they have an account):
- the year's 文明城区创建工作计划 (annual): three goals, a task per main department and per street, milestones,
  progress reports — most on track, some done, a few late;
- the "三旧变三新" 135 plan (program: 1 year, 3 years, 5 years): per street a parent task with three weighted
  subtasks (旧小区变新家园 / 旧厂房变新空间 / 旧街区变新风貌), and each street's targets for the year (its
  目标责任书);
- a 100-day concentrated action ending a little after today: some tasks done, some late;
- 区领导联系街道: five district leaders (xh_lead01–05, plus xh_leader) each linked to two or three streets;
- the 三书 of the first streets: 责任书, 任务书 and 检查反馈书 generated, most acknowledged by the street's
  dispatcher; then one street gets a new task, so its 任务书 has a second version waiting to be acknowledged.
Randomness from `ctx.rng_for("plans")`; dates relative to the cases' end (the demo's "today")."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from civicloop.orgs.constants import Role, UnitKind
from civicloop.orgs.models import Unit, User, UserRole

from .constants import LetterKind, PlanKind
from .models import (
    Goal,
    LeaderContact,
    Letter,
    LetterVersion,
    Milestone,
    Plan,
    ProgressReport,
    Target,
    Task,
    TaskLink,
)
from .services import (
    goal_create,
    leader_contacts_set,
    letter_acknowledge,
    letter_generate,
    milestone_create,
    milestone_done,
    plan_create,
    report_create,
    target_set,
    task_create,
)

LEADERS = 5
LETTER_STREETS = 4
CIVILISATION_TASKS = ["背街小巷环境整治", "公益广告全覆盖", "垃圾分类实效提升", "非机动车停放秩序整治", "农贸市场规范管理",
                      "志愿服务常态化", "窗口单位文明服务"]
OLD_TO_NEW = [("旧小区变新家园", 3), ("旧厂房变新空间", 2), ("旧街区变新风貌", 2)]
HUNDRED_DAY = ["沿街商铺跨门营业整治", "工地围挡与扬尘整治", "小区门口垃圾清运", "公厕保洁提升"]


def _today(ctx) -> dt.date:
    from civicloop.cases.demo import cases_end

    end = ctx.extra.get("cases_end") or cases_end()
    return min(end.date(), timezone.localdate())


def generate_plans(ctx) -> None:
    """The demo step (`PlansConfig.demo_steps`)."""
    rng = ctx.rng_for("plans")
    today = _today(ctx)
    year = today.year
    d = ctx.district.pk
    admin = User.objects.get(username="xh_admin", district=ctx.district)
    research = Unit.objects.get(district_id=d, code="XH-RO")
    streets = list(Unit.objects.filter(district_id=d, kind=UnitKind.STREET_OFFICE, active=True)
                   .select_related("territory").order_by("code"))
    departments = list(Unit.objects.filter(district_id=d, kind=UnitKind.DEPARTMENT, active=True).order_by("code")[:8])
    reporters = {u.unit_id: u for u in User.objects.filter(district=ctx.district, unit__in=streets + departments,
                                                          role_rows__role__in=(Role.DISPATCHER, Role.HANDLER))
                 .order_by("username")}

    def report(task, percent: int, on: dt.date, text: str) -> None:
        actor = reporters.get(task.owner_unit_id, admin)
        report_create(actor=actor, task_id=task.pk, percent=percent, text=text, on=min(on, today))

    counts = {"tasks": 0, "reports": 0}

    # ----- the annual civilisation plan
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    civ = plan_create(actor=admin, title=f"{year}年文明城区创建工作计划", kind=PlanKind.ANNUAL, year=year, start=start,
                      end=end, owner_unit_id=research.pk, description="巩固全国文明城区创建成果，常态长效推进。")
    goals = [goal_create(actor=admin, plan_id=civ.pk, title=t) for t in ("市容环境整洁有序", "公共秩序文明规范",
                                                                          "文明风尚蔚然成风")]
    for i, unit in enumerate(departments + streets):
        title = CIVILISATION_TASKS[i % len(CIVILISATION_TASKS)]
        t_start = start + dt.timedelta(days=rng.randrange(0, 60))
        due = _due_around(rng, today, t_start, end, late=rng.random() < 0.2)
        task = task_create(actor=admin, plan_id=civ.pk, title=f"{unit.name}：{title}", owner_unit_id=unit.pk,
                           start=t_start, due=due, goal_id=goals[i % len(goals)].pk, weight=rng.choice((1, 1, 2, 3)),
                           co_unit_ids=[rng.choice(departments).pk] if unit.kind == UnitKind.STREET_OFFICE else [])
        counts["tasks"] += 1
        mid = t_start + (due - t_start) / 2
        m = milestone_create(actor=admin, task_id=task.pk, title="阶段检查", due=mid)
        counts["reports"] += _progress(rng, task, today, report)
        if mid < today and rng.random() < 0.7:
            milestone_done(actor=admin, milestone_id=m.pk, on=min(mid, today))

    # ----- "三旧变三新" 135
    old = plan_create(actor=admin, title="“三旧变三新”三年行动规划（135）", kind=PlanKind.PROGRAM, year=year,
                      start=dt.date(year, 1, 1), end=dt.date(year + 4, 12, 31), owner_unit_id=research.pk,
                      description="一年见成效、三年大变样、五年新面貌：旧小区变新家园、旧厂房变新空间、旧街区变新风貌。")
    stage = [goal_create(actor=admin, plan_id=old.pk, title=t) for t in ("一年见成效", "三年大变样", "五年新面貌")]
    for unit in streets:
        parent = task_create(actor=admin, plan_id=old.pk, title=f"{unit.name}“三旧变三新”", owner_unit_id=unit.pk,
                             start=dt.date(year, 1, 1), due=dt.date(year, 12, 31), goal_id=stage[0].pk)
        targets = []
        for title, weight in OLD_TO_NEW:
            n = rng.randint(1, 4)
            late = rng.random() < 0.25
            due = today - dt.timedelta(days=rng.randint(5, 40)) if late else dt.date(year, 12, 31)
            child = task_create(actor=admin, plan_id=old.pk, title=f"{title}（{n} 处）", owner_unit_id=unit.pk,
                                start=dt.date(year, 2, 1), due=max(due, dt.date(year, 2, 2)), parent_id=parent.pk,
                                weight=weight)
            counts["tasks"] += 1
            counts["reports"] += _progress(rng, child, today, report)
            targets.append({"title": f"{title}：完成 {n} 处", "measure": f"{n} 处", "indicator_id": None})
        counts["tasks"] += 1
        target_set(actor=admin, unit_id=unit.pk, year=year, targets=targets)

    # ----- the 100-day action, ending a little after today
    a_end = today + dt.timedelta(days=20)
    a_start = a_end - dt.timedelta(days=99)
    action = plan_create(actor=admin, title=f"{year}年市容环境百日攻坚行动", kind=PlanKind.ACTION, year=year,
                         start=a_start, end=a_end, owner_unit_id=research.pk)
    for i, unit in enumerate(streets):
        title = HUNDRED_DAY[i % len(HUNDRED_DAY)]
        late = i % 4 == 1
        due = today - dt.timedelta(days=rng.randint(3, 15)) if late else a_end
        task = task_create(actor=admin, plan_id=action.pk, title=f"{unit.name}：{title}", owner_unit_id=unit.pk,
                           start=a_start, due=max(due, a_start + dt.timedelta(days=1)))
        counts["tasks"] += 1
        if i % 4 == 0:
            report(task, 100, today - dt.timedelta(days=rng.randint(1, 10)), "已完成整治，经复查合格。")
            counts["reports"] += 1
        else:
            counts["reports"] += _progress(rng, task, today, report)

    # ----- leader contacts
    office = Unit.objects.get(district_id=d, code="XH-DO")
    leaders = [User.objects.get(username="xh_leader", district=ctx.district)] + _leaders(ctx, rng, office)
    for k, unit in enumerate(streets):
        if unit.territory_id is None:
            continue
        n = 2 + (k % 2)
        picked = [leaders[(k + j) % len(leaders)].pk for j in range(n)]
        leader_contacts_set(actor=admin, street_id=unit.territory_id, leader_ids=picked)

    # ----- 三书 of the first streets, most acknowledged; then one street's 任务书 moves on
    letters = 0
    for k, unit in enumerate(streets[:LETTER_STREETS]):
        signer = reporters.get(unit.pk)
        for kind in (LetterKind.RESPONSIBILITY, LetterKind.TASKS, LetterKind.FEEDBACK):
            version = letter_generate(actor=admin, unit_id=unit.pk, year=year, kind=kind)
            letters += 1
            if signer is not None and (k, kind) != (LETTER_STREETS - 1, LetterKind.FEEDBACK):
                letter_acknowledge(actor=signer, letter_id=version.letter_id, number=version.number)
    if streets:
        task_create(actor=admin, plan_id=civ.pk, title=f"{streets[0].name}：迎检点位补短板", owner_unit_id=streets[0].pk,
                    start=today, due=today + dt.timedelta(days=30), goal_id=goals[0].pk)
        counts["tasks"] += 1
    ctx.stats.add("plans.task", counts["tasks"])
    ctx.stats.add("plans.report", counts["reports"])
    ctx.stats.add("plans.letter", letters)
    ctx.log(f"  plans: 3 plans, {counts['tasks']} tasks, {counts['reports']} progress reports, {letters} letters")


def _due_around(rng, today: dt.date, start: dt.date, end: dt.date, *, late: bool) -> dt.date:
    if late:
        return max(start + dt.timedelta(days=1), today - dt.timedelta(days=rng.randint(5, 60)))
    return max(start + dt.timedelta(days=1), min(end, today + dt.timedelta(days=rng.randint(10, 200))))


def _progress(rng, task, today: dt.date, report) -> int:
    """A few reports on a task that has started: done for some of those already past their due date or close to
    it, lagging for others. Returns how many reports it made."""
    start = task.start or today - dt.timedelta(days=60)
    if start >= today:
        return 0
    span = (today - start).days
    n = rng.randint(1, 3)
    finish = task.due <= today and rng.random() < 0.5 or rng.random() < 0.15
    made = 0
    for k in range(1, n + 1):
        on = start + dt.timedelta(days=max(1, span * k // (n + 1)))
        expected = min(100, 100 * (on - start).days // max(1, (task.due - start).days))
        percent = 100 if finish and k == n else max(5, min(95, expected + rng.randint(-30, 10)))
        report(task, percent, on, "已完成阶段工作，正在推进下一步。" if percent < 100 else "任务已完成。")
        made += 1
    return made


def _leaders(ctx, rng, office) -> list[User]:
    from civicloop.demo.organisation import staff_row

    fake = ctx.faker_for("plans_leaders")
    users = [staff_row(ctx, rng, fake, login=f"xh_lead{i:02d}", unit=office) for i in range(1, LEADERS + 1)]
    User.objects.bulk_create(users)
    users = list(User.objects.filter(district=ctx.district, username__in=[u.username for u in users])
                 .order_by("username"))
    UserRole.objects.bulk_create([UserRole(user=u, role=Role.LEADER) for u in users])
    ctx.extra.setdefault("all_logins", []).extend(u.username for u in users)
    return users


def delete_plans(district) -> None:
    """The reset step (`PlansConfig.demo_reset_steps`): every plans row of `district`, before the units, places
    and users they point at."""
    LetterVersion.objects.filter(district=district).delete()
    Letter.objects.filter(district=district).delete()
    Target.objects.filter(district=district).delete()
    LeaderContact.objects.filter(district=district).delete()
    TaskLink.objects.filter(district=district).delete()
    ProgressReport.objects.filter(district=district).delete()
    Milestone.objects.filter(district=district).delete()
    Task.co_units.through.objects.filter(task__district=district).delete()
    Task.objects.filter(district=district, parent__isnull=False).update(parent=None)
    Task.objects.filter(district=district).delete()
    Goal.objects.filter(district=district).delete()
    Plan.objects.filter(district=district).delete()
