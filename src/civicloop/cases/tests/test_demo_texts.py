"""The demo's case texts and rhythms (cases/demo_texts.py, demo_phrases.py, demo_rhythm.py): varied words per leaf
category, the same words for the same seed, results and replies that answer the case, and intake that follows the
week and the seasons."""

import datetime as dt
import json
import random
import re
from collections import Counter
from types import SimpleNamespace

import pytest

from civicloop.cases import demo as cases_demo
from civicloop.cases import demo_rhythm, demo_texts
from civicloop.cases.constants import Action, AppealType, Channel
from civicloop.cases.demo_phrases import LEAVES
from civicloop.cases.models import Case, CaseEvent, Category, Reply
from civicloop.demo.generator import generate, preset_district
from civicloop.workdays.calendar import SHANGHAI

from .test_demo_cases import END, SCALE

DATA = cases_demo.__file__.rsplit("/", 1)[0] + "/data/categories.json"
OLD_TEMPLATE = re.compile(r"^[^：]+居委会：[^，]+，[^，]+，请尽快处理。$")


def _categories():
    out, pk = [], 1
    with open(DATA, encoding="utf-8") as fh:
        for top in json.load(fh):
            for child in top["children"]:
                out.append(SimpleNamespace(pk=pk, code=child["code"], name=child["name"], parent_code=top["code"]))
                pk += 1
    return out


CATEGORIES = _categories()
WEIGHTS = [cases_demo.CATEGORY_WEIGHTS.get(c.parent_code, 3) for c in CATEGORIES]
STREETS = [SimpleNamespace(pk=100, name="天平路街道"), SimpleNamespace(pk=101, name="华泾镇")]
COMMITTEES = [SimpleNamespace(pk=200, name="慎成居委会", street_id=100)]
HOMES = {300: demo_texts.Home("慎成苑", "衡山路", "123", 3), 301: demo_texts.Home("康平花园", "康平路", "45", 12)}


def _texts():
    return demo_texts.CaseTexts(streets=STREETS, committees=COMMITTEES, homes=HOMES, categories=CATEGORIES,
                                weights=WEIGHTS)


def _describe(texts, rng, code, channel=Channel.HOTLINE_12345, month=7, building=300):
    cat = next(c for c in CATEGORIES if c.code == code)
    return texts.describe(rng, channel=channel, category_id=cat.pk, month=month, street_id=100, community_id=200,
                          building_id=building)


def test_every_leaf_of_the_default_tree_has_its_own_phrases():
    assert {c.code for c in CATEGORIES} == set(LEAVES)
    for code, leaf in LEAVES.items():
        assert leaf.problems and leaf.impacts and leaf.questions and leaf.suggestions, code
        for p in leaf.problems:
            assert p.solved.startswith("已") and p.details, (code, p.label)
            assert not p.season or p.season in demo_texts.SEASON_MONTHS, (code, p.label)


def test_descriptions_of_one_leaf_are_varied_and_never_the_old_template():
    texts, rng = _texts(), random.Random(7)
    texts_seen = [_describe(texts, rng, "0401", building=rng.choice((300, 301, None)))[0] for _ in range(2000)]
    assert len(set(texts_seen)) > 1700  # most are distinct (consultations repeat more than complaints)
    assert not any(OLD_TEMPLATE.match(t) for t in texts_seen)
    assert not any("{" in t or "}" in t for t in texts_seen)
    # the places vary: digits and Chinese numerals, crossings, compounds
    joined = "\n".join(texts_seen)
    for fragment in ("3号楼", "三号楼", "十二号", "衡山路123弄", "慎成苑"):
        assert fragment in joined, fragment
    # every channel and appeal type over every leaf writes text without placeholders
    for cat in CATEGORIES:
        for channel in Channel.values:
            for _ in range(5):
                text, appeal = _describe(texts, rng, cat.code, channel=channel, month=rng.randint(1, 12))
                assert text and "{" not in text and appeal.kind in AppealType.values, (cat.code, channel, text)


def test_consultations_and_suggestions_come_in_12345_shares():
    texts, rng = _texts(), random.Random(3)
    kinds = Counter()
    for _ in range(20000):
        cat = rng.choices(CATEGORIES, weights=WEIGHTS)[0]
        kinds[texts.appeal_kind(rng, Channel.HOTLINE_12345, cat.pk)] += 1
    share = {k: n / 20000 for k, n in kinds.items()}
    assert share[AppealType.CONSULTATION] == pytest.approx(0.47, abs=0.03)
    assert share[AppealType.HELP] == pytest.approx(0.23, abs=0.03)
    assert share[AppealType.COMPLAINT] == pytest.approx(0.15, abs=0.03)
    assert share[AppealType.SUGGESTION] + share[AppealType.PRAISE] == pytest.approx(0.15, abs=0.03)
    # people ask about social security more than about illegal structures
    social = next(c for c in CATEGORIES if c.code == "0602")
    structures = next(c for c in CATEGORIES if c.code == "0101")
    asked = {c.pk: sum(texts.appeal_kind(rng, Channel.HOTLINE_12345, c.pk) == AppealType.CONSULTATION
                       for _ in range(2000)) for c in (social, structures)}
    assert asked[social.pk] > 2 * asked[structures.pk]
    # a consultation reads as a question
    for _ in range(50):
        text, appeal = _describe(texts, rng, "0203")
        if appeal.kind == AppealType.CONSULTATION:
            assert "？" in text or "咨询" in text


def test_same_seed_same_words():
    def run(seed):
        texts, rng = _texts(), random.Random(seed)
        out = []
        for cat in CATEGORIES:
            text, appeal = _describe(texts, rng, cat.code, month=rng.randint(1, 12))
            out.append((text, texts.answer(rng, appeal, texts.outcome(rng, appeal), cat.pk)))
        return out

    assert run(5) == run(5)
    assert run(5) != run(6)


def test_results_and_replies_answer_the_appeal():
    texts, rng = _texts(), random.Random(11)
    leaf = LEAVES["0203"]
    for _ in range(300):
        text, appeal = _describe(texts, rng, "0203")
        outcome = texts.outcome(rng, appeal)
        result, reply = texts.answer(rng, appeal, outcome, 0)
        if appeal.kind == AppealType.CONSULTATION:
            q = leaf.questions[appeal.index]
            assert q.question in text and q.answer in result and q.answer in reply
        elif appeal.kind in (AppealType.HELP, AppealType.COMPLAINT):
            p = leaf.problems[appeal.index]
            assert any(d in text for d in p.details)
            said = {"solved": p.solved, "partly": p.solved, "explained": p.explained, "unfounded": p.label}[outcome]
            assert said in result and said in reply
        elif appeal.kind == AppealType.SUGGESTION:
            assert leaf.suggestions[appeal.index].replace("{road}", "") in result
    # a neighbour's report of the same appeal: the same problem, in other words
    noise = next(c for c in CATEGORIES if c.code == "0401")
    first, appeal = _describe(texts, rng, "0401")
    again = [texts.describe(rng, channel=Channel.HOTLINE_12345, category_id=noise.pk, month=7, street_id=100,
                            community_id=200, building_id=300, like=appeal) for _ in range(5)]
    assert all(a.kind == appeal.kind and a.index == appeal.index for _t, a in again)
    assert len({first, *(t for t, _a in again)}) > 3
    # the season picks the problem: frozen pipes in January, not in July
    pipes = next(i for i, p in enumerate(LEAVES["0202"].problems) if p.label == "水管爆裂")
    drawn = {m: {_describe(texts, rng, "0202", month=m, channel=Channel.GRID_INSPECTION)[1].index for _ in range(200)}
             for m in (1, 7)}
    assert pipes in drawn[1] and pipes not in drawn[7]


def test_chinese_numbers():
    assert [demo_texts.chinese_number(n) for n in (3, 10, 12, 20, 23, 105, 110, 120)] == [
        "三", "十", "十二", "二十", "二十三", "一百零五", "一百一十", "一百二十"]


def test_rhythm_tables_shape_the_intake():
    end = dt.datetime(2026, 11, 20, 18, 0, tzinfo=dt.UTC)
    rng = random.Random(1)
    moments = cases_demo._times(rng, 60000, end)
    assert all(end - dt.timedelta(days=cases_demo.DAYS) <= m < end for m in moments)
    days = Counter(m.weekday() for m in moments)
    assert days[0] > days[3] > days[6]  # Monday peak, weekend low
    cum = demo_rhythm.category_cum_weights(CATEGORIES, WEIGHTS)
    by_season = Counter()
    for m in moments:
        cat = rng.choices(CATEGORIES, cum_weights=cum[m.month - 1])[0]
        season = "summer" if m.month in (6, 7, 8) else "winter" if m.month in (12, 1, 2) else ""
        by_season[cat.code, season] += 1
    assert by_season["0202", "summer"] > 1.3 * by_season["0202", "winter"]  # leaks: 梅雨 and typhoons
    assert by_season["0401", "summer"] > by_season["0401", "winter"]  # noise: open windows
    assert by_season["0704", "winter"] > by_season["0704", "summer"]  # gas
    # the Spring Festival week is quiet
    festival = demo_rhythm.spring_festival(2026)
    per_day = Counter(m.date() for m in moments)
    week = sum(per_day[festival + dt.timedelta(days=k)] for k in range(7))
    weeks_before = sum(per_day[festival - dt.timedelta(days=k)] for k in range(15, 29)) / 2
    assert week < 0.7 * weeks_before
    # a slow street, a slow category
    assert demo_rhythm.late_share("华泾镇", "0101") > demo_rhythm.late_share("徐家汇街道", "0401") == (
        demo_rhythm.LATE_BASE)


@pytest.fixture
def pinned_end(monkeypatch):
    monkeypatch.setattr(cases_demo, "cases_end", lambda: END)


@pytest.mark.django_db
def test_generated_cases_read_like_a_district(pinned_end):
    generate("xuhui", scale=SCALE, seed=2, apps=("cases",))  # the cases demo alone: its words
    district = preset_district("xuhui")
    leaf_of = {c.pk: LEAVES[c.code] for c in Category.objects.filter(parent__isnull=False)}
    cases = list(Case.objects.filter(district=district).exclude(channel=Channel.VISIT, external_id__contains=":"))
    assert not any(OLD_TEMPLATE.match(c.description) for c in cases)
    assert len({c.description for c in cases}) > 0.95 * len(cases)
    kinds = Counter(c.appeal_type for c in cases if c.channel == Channel.HOTLINE_12345)
    assert kinds.most_common(1)[0][0] == AppealType.CONSULTATION and len(kinds) == 5
    # the handling result and the reply speak of the case's own leaf category
    # (a consultation answered on the spot has its answer as its result)
    results = dict(CaseEvent.objects.filter(district=district, action__in=(Action.RESOLVE, Action.ANSWER))
                   .values_list("case_id", "note"))
    replies = {r.case_id: r.content for r in Reply.objects.filter(district=district, via_case=None, unreachable=False)}
    checked = 0
    for c in cases:
        if c.pk not in results or c.category_id not in leaf_of:
            continue
        leaf = leaf_of[c.category_id]
        own = ([p.label for p in leaf.problems] + [p.explained for p in leaf.problems] + [q.answer for q in leaf.questions]
               + [s.replace("{road}", "") for s in leaf.suggestions])
        assert any(m in results[c.pk] for m in own), (c.description, results[c.pk])
        reply = replies.get(c.pk)
        if reply and c.appeal_type in (AppealType.CONSULTATION, AppealType.HELP, AppealType.COMPLAINT):
            assert any(m in reply for m in own), (c.description, reply)
        checked += 1
    assert checked > 0.8 * len(cases)
    answered = CaseEvent.objects.filter(district=district, action=Action.ANSWER).count()
    assert 0.15 * len(cases) < answered < 0.4 * len(cases)  # most 12345 consultations are answered during the call
    # registered in Shanghai office hours mostly, Mondays busier than Sundays
    local = [c.created_at.astimezone(SHANGHAI) for c in cases]
    assert sum(d.weekday() == 0 for d in local) > sum(d.weekday() == 6 for d in local)
