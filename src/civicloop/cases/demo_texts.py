"""The demo cases' words: what a citizen said (per leaf category and appeal type), what the handling unit did, and
what the citizen was told back.

Cheap by construction — the demo writes 10,000,000 cases for the bench: every text is a handful of `rng.choice`
over pre-built fragments joined by an f-string (no jieba, no Faker per case), a few µs each. Same rng state → same
text. The phrases per leaf are `demo_phrases.LEAVES`; the places come from the district's own rows (compound names
and their roads and lanes, building numbers) and the tables below (landmarks and metro stations per street, which
are illustrative, like `demo.fixtures.STREET_ROADS`).

Appeal types follow 12345's shares (Shanghai 2016: 47 % consultations, 23 % requests for help, 15 % complaints,
the rest suggestions and praise), leaning by category (people ask about social security and schooling, they
complain about noise and building work) without changing the overall shares. Inspections, sensors and leaders'
instructions report a problem to handle: a request for help.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple

from .constants import AppealType, Channel
from .demo_phrases import LEAVES, SEASON_MONTHS, Leaf, P, Q

# --- appeal types and outcomes: small named tables ------------------------------------------------------------

# the appeal types (`AppealType`'s values as plain strings: 咨询, 求助, 投诉, 建议, 表扬)
CONSULT, HELP, COMPLAINT, SUGGESTION, PRAISE = (str(t.value) for t in (
    AppealType.CONSULTATION, AppealType.HELP, AppealType.COMPLAINT, AppealType.SUGGESTION, AppealType.PRAISE))
# citizens' own channels (12345, the portal): Shanghai 12345, 2016
APPEAL_SHARES = {CONSULT: 47, HELP: 23, COMPLAINT: 15, SUGGESTION: 12, PRAISE: 3}
# what a visit hears: problems and wishes more than questions
VISIT_SHARES = {HELP: 50, CONSULT: 25, SUGGESTION: 15, COMPLAINT: 8, PRAISE: 2}
# how much more (or less) each top-level category is asked about than the average; the overall shares stay
CONSULT_LEANING = {"01": 0.45, "02": 1.0, "03": 0.8, "04": 0.35, "05": 1.0, "06": 2.4, "07": 0.5, "08": 2.0}
# channels where citizens speak for themselves (plain strings: a TextChoices member hashes in Python, slowly)
MAX_CONSULT = 0.85
VOICE_CHANNELS = {str(c.value): shares for c, shares in (
    (Channel.HOTLINE_12345, APPEAL_SHARES), (Channel.PORTAL, APPEAL_SHARES), (Channel.VISIT, VISIT_SHARES))}
_PORTAL, _SENSOR, _LEADER, _GRID, _DELIBERATION = (str(c.value) for c in (
    Channel.PORTAL, Channel.SENSOR, Channel.LEADER_INSTRUCTION, Channel.GRID_INSPECTION, Channel.DELIBERATION))

# how an appeal ends, by type (the result and the reply follow it; so does the citizen's rating)
OUTCOMES = {
    COMPLAINT: {"solved": 62, "partly": 15, "explained": 15, "unfounded": 8},
    HELP: {"solved": 72, "partly": 12, "explained": 13, "unfounded": 3},
    CONSULT: {"answered": 100},
    SUGGESTION: {"adopted": 35, "noted": 65},
    PRAISE: {"thanked": 100},
}
# 满意 / 基本满意 / 不满意 by outcome (overall about 82 / 12 / 6, the demo's old single table)
SATISFACTION_BY_OUTCOME = {
    "solved": (90, 8, 2), "partly": (62, 24, 14), "explained": (55, 27, 18), "unfounded": (52, 26, 22),
    "answered": (86, 11, 3), "adopted": (88, 10, 2), "noted": (66, 24, 10), "thanked": (98, 2, 0),
}

# --- places -----------------------------------------------------------------------------------------------------

# Landmarks and metro stations people name, per street (illustrative, approximate like the road assignments).
LANDMARKS = {
    "天平路街道": ("衡山公园", "宋庆龄故居", "徐汇艺术馆", "天平路菜场"),
    "湖南路街道": ("武康大楼", "巴金故居", "复兴西路菜场", "上海图书馆"),
    "斜土路街道": ("日晖新村菜场", "斜土路小学", "东方金座"),
    "枫林路街道": ("中山医院", "肿瘤医院", "枫林路菜场", "上海中医药博物馆"),
    "长桥街道": ("上海植物园", "长桥菜场", "龙吴路公交枢纽"),
    "田林街道": ("田林菜场", "田林体育公园", "第八人民医院"),
    "虹梅路街道": ("漕河泾开发区", "虹梅路菜场", "古美公园"),
    "康健新村街道": ("康健公园", "上海师范大学", "康健菜场"),
    "徐家汇街道": ("港汇恒隆广场", "美罗城", "徐家汇公园", "徐家汇天主教堂", "光启公园"),
    "凌云路街道": ("华东理工大学", "梅陇三村菜场", "凌云社区文化中心"),
    "龙华街道": ("龙华寺", "龙华烈士陵园", "西岸美术馆", "徐汇滨江"),
    "漕河泾街道": ("桂林公园", "上海南站", "漕河泾社区卫生服务中心"),
    "华泾镇": ("徐浦大桥", "华泾公园", "华泾菜场"),
}
METRO = {
    "天平路街道": ("衡山路", "交通大学"), "湖南路街道": ("常熟路", "交通大学"), "斜土路街道": ("大木桥路", "肇嘉浜路"),
    "枫林路街道": ("东安路", "肇嘉浜路"), "长桥街道": ("华东理工大学", "罗秀路"), "田林街道": ("宜山路", "桂林路"),
    "虹梅路街道": ("虹梅路", "虹漕路"), "康健新村街道": ("桂林路", "漕宝路"), "徐家汇街道": ("徐家汇", "上海体育馆"),
    "凌云路街道": ("华东理工大学", "上海南站"), "龙华街道": ("龙华", "龙华中路", "云锦路"),
    "漕河泾街道": ("漕宝路", "上海南站", "石龙路"), "华泾镇": ("华泾路", "景洪路"),
}
# places anybody has near home
NEARBY = ("菜场门口", "小区大门口", "公交站旁边", "小学门口", "垃圾箱房边上", "街心花园", "便利店门口", "车棚旁边")
# leaves that happen on the street (a crossing, a landmark) rather than at home; and those not tied to a place
STREET_LEAVES = {"0102", "0103", "0105", "0301", "0303", "0304", "0305", "0403", "0404"}
PLACELESS_LEAVES = {"0205", "0501", "0504", "0505", "0602", "0603", "0604", "0801", "0803", "0804"}

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三, 105 → 一百零五 (building numbers as people say them)."""
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else chinese_number(rest) if rest >= 20 else
                                  "一" + chinese_number(rest))
    return _DIGITS[n // 100] + "百" + tail


class Home(NamedTuple):
    """Where a building is, in the words a citizen uses."""

    compound: str  # 康平苑
    road: str  # 衡山路
    lane: str  # 123
    number: int  # 3 (号楼)


class Appeal(NamedTuple):
    """What a generated case is about: the leaf and the problem, question or suggestion its text picked; the
    result and the reply answer the same thing."""

    kind: str  # the appeal type (an `AppealType` value): CONSULT, HELP …
    leaf: Leaf
    index: int  # into leaf.problems (complaint, help, praise), leaf.questions (consult), leaf.suggestions
    place: str  # the short place the reply may repeat ("康平苑", "衡山路天平路口"), or ""


_LANE = re.compile(r"^(.*?)(\d+)弄$")


def _fallback(name: str) -> Leaf:
    """A leaf an administrator added: plain phrases built from its name."""
    return Leaf(
        problems=(P(name, (f"{name}方面的问题一直没有解决", f"{name}的问题反映了好几次"),
                    "已安排承办单位现场处置", "已向诉求人说明相关政策和办理渠道"),),
        impacts=("给生活带来很大不便",),
        questions=(Q(name, f"{name}方面有什么政策，应该找哪个部门", "已向诉求人说明相关政策和办理渠道"),),
        suggestions=(f"加强{name}方面的管理",),
    )


class CaseTexts:
    """One per generator: the district's places, and the draws. `describe` writes a case's description and
    returns its `Appeal`; `answer` writes the handling result and the reply for it."""

    def __init__(self, *, streets, committees, homes: dict[int, Home], categories, weights):
        self.street_name = {s.pk: s.name for s in streets}
        self.committee = {c.pk: c for c in committees}
        self.homes = homes
        from civicloop.demo.fixtures import STREET_ROADS

        self.roads = {s.pk: STREET_ROADS.get(s.name) or ("中山南二路",) for s in streets}
        self.leaf = {c.pk: LEAVES.get(c.code) or _fallback(c.name) for c in categories}
        self.code = {c.pk: c.code for c in categories}
        # per leaf and month: the problems in season (an all-year problem is always there)
        self.in_season: dict[tuple[int, int], tuple[int, ...]] = {}
        for pk, leaf in self.leaf.items():
            for month in range(1, 13):
                self.in_season[pk, month] = tuple(
                    i for i, p in enumerate(leaf.problems) if not p.season or month in SEASON_MONTHS[p.season])
        self.kinds = self._kind_tables(categories, weights)

    @classmethod
    def for_district(cls, *, district, streets, committees, categories, weights) -> CaseTexts:
        """Reads the district's compounds and buildings once (one query each)."""
        from civicloop.places.constants import PlaceLevel
        from civicloop.places.models import Place

        compounds = {}
        for pk, name, address in Place.objects.filter(district=district, level=PlaceLevel.COMPOUND).values_list(
                "pk", "name", "address"):
            m = _LANE.match(address or "")
            compounds[pk] = (name, m.group(1), m.group(2)) if m else (name, "", "")
        homes = {}
        for pk, name, parent in Place.objects.filter(district=district, level=PlaceLevel.BUILDING).values_list(
                "pk", "name", "parent_id"):
            if parent in compounds:
                digits = "".join(ch for ch in name if ch.isdigit())
                homes[pk] = Home(*compounds[parent], int(digits) if digits else 1)
        return cls(streets=streets, committees=committees, homes=homes, categories=categories, weights=weights)

    # --- appeal type ------------------------------------------------------------------------------------------
    @staticmethod
    def _kind_tables(categories, weights) -> dict:
        """Per channel shares and category: (kinds, cumulative probabilities) such that consultations lean by
        CONSULT_LEANING but keep their overall share."""
        total = sum(weights) or 1.0
        pairs = list(zip(categories, weights, strict=True))
        out = {}
        for channel, shares in VOICE_CHANNELS.items():
            s = sum(shares.values())
            others = {k: v for k, v in shares.items() if k != CONSULT}
            rest = sum(others.values())
            target = shares[CONSULT] / s
            p = {c.pk: target * CONSULT_LEANING.get(c.code[:2], 1.0) for c in categories}
            for _ in range(8):  # scale to the target share; a category asks about at most MAX_CONSULT
                overall = sum(w * p[c.pk] for c, w in pairs) / total or target
                p = {k: min(MAX_CONSULT, v * target / overall) for k, v in p.items()}
            for c in categories:
                consult = p[c.pk]
                kinds, cum = _cumulative([(CONSULT, consult),
                                          *((k, (1 - consult) * v / rest) for k, v in others.items())])
                out[channel, c.pk] = (kinds, cum)
        return out

    def appeal_kind(self, rng, channel: str, category_id: int) -> str:
        table = self.kinds.get((str.__str__(channel), category_id))
        if table is None:  # inspection, sensor, instruction: a problem to handle; deliberation: a proposal
            return SUGGESTION if channel == _DELIBERATION else HELP
        return _draw(rng.random(), *table)

    # --- places ---------------------------------------------------------------------------------------------
    def _place(self, r, street_id: int, building_id: int | None, on_street: bool) -> tuple[str, str]:
        """(a place as a citizen names it, to be followed by "，"; the short form a reply repeats). `r` is the
        generator's `random`."""
        home = self.homes.get(building_id)
        x = r()
        if on_street or home is None:
            roads = self.roads.get(street_id) or _NO_ROADS
            if x < 0.4 and len(roads) > 1:
                i = int(r() * len(roads))
                a, b = roads[i], roads[(i + 1 + int(r() * (len(roads) - 1))) % len(roads)]
                where = f"{a}{b[:-1]}口" if b.endswith("路") and r() < 0.6 else f"{a}和{b}交叉口"
                return f"{where}{_one(r, ('这里', '', '这边'))}", where
            street = self.street_name.get(street_id, "")
            if x < 0.65 and street in LANDMARKS:
                mark = _one(r, LANDMARKS[street])
                return f"{mark}{_one(r, ('附近', '旁边', '门口', '对面'))}", mark
            if x < 0.8 and street in METRO:
                station = f"{_one(r, METRO[street])}地铁站"
                return f"{station}{1 + int(r() * 6)}号口", station
            if home is None:
                road = _one(r, roads)
                return f"{road}{1 + int(r() * 1500)}号{_one(r, ('门口', '附近', '这一段'))}", road
            x = r()
        c, road, lane, n = home
        if x < 0.18:
            return f"我家住在{c}{n}号楼", c
        if x < 0.3:
            return f"{c}{_cn(n)}号楼", c
        if x < 0.42 and lane:
            return f"{road}{lane}弄{n}号", f"{road}{lane}弄"
        if x < 0.52 and lane:
            return f"{road}{lane}弄{c}", c
        if x < 0.62:
            return f"{c}{n}号", c
        if x < 0.7:
            return f"我们{c}{_one(r, NEARBY)}", c
        if x < 0.78:
            return f"{c}{_one(r, ('这个小区', '小区里面', '小区门口'))}", c
        if x < 0.86:
            return f"我住{c}{_cn(n)}号", c
        if x < 0.93:
            return f"{c}{n}幢", c
        return f"{c}{n}号楼楼下", c

    def _site(self, r, street_id: int, building_id: int | None) -> str:
        """A place as a report names it (an inspector, a sensor, a leader's instruction)."""
        home = self.homes.get(building_id)
        x = r()
        if home is not None and x < 0.6:
            c, road, lane, n = home
            return f"{road}{lane}弄{n}号（{c}）" if lane and x < 0.3 else f"{c}{n}号楼"
        roads = self.roads.get(street_id) or _NO_ROADS
        if x < 0.8 and len(roads) > 1:
            i = int(r() * len(roads))
            return f"{roads[i]}{roads[(i + 1 + int(r() * (len(roads) - 1))) % len(roads)]}路口".replace("路路口", "路口")
        return f"{_one(r, roads)}{1 + int(r() * 1500)}号"

    # --- descriptions ---------------------------------------------------------------------------------------
    def describe(self, rng, *, channel: str, category_id: int, month: int, street_id: int,
                 community_id: int | None, building_id: int | None, like: Appeal | None = None) -> tuple[str, Appeal]:
        """The description of a new case and what it is about. `month` (1–12, local) picks the problems in
        season; `like`: another report of that appeal (a neighbour's, in other words)."""
        r = rng.random
        channel = str.__str__(channel)  # a plain str: cheap to hash and compare
        if like is not None and like.kind != HELP and channel not in VOICE_CHANNELS:
            like = None  # an inspector or a sensor does not ask questions
        leaf = self.leaf[category_id]
        code = self.code[category_id]
        kind = like.kind if like is not None else self.appeal_kind(rng, channel, category_id)
        if kind == CONSULT:
            i = like.index if like is not None else int(r() * len(leaf.questions))
            return self._consult(r, channel, leaf.questions[i], building_id), Appeal(kind, leaf, i, "")
        if kind == SUGGESTION:
            i = like.index if like is not None else int(r() * len(leaf.suggestions))
            where, short = self._place(r, street_id, building_id, code in STREET_LEAVES)
            return self._suggest(r, channel, leaf.suggestions[i], short, street_id), Appeal(kind, leaf, i, short)
        season = self.in_season[category_id, month]
        i = like.index if like is not None else season[int(r() * len(season))]
        problem = leaf.problems[i]
        if channel not in VOICE_CHANNELS:
            site = self._site(r, street_id, building_id)
            return self._report(r, channel, problem, site, code), Appeal(kind, leaf, i, site)
        if kind == PRAISE:
            return self._praise(r, channel, problem, street_id, community_id), Appeal(kind, leaf, i, "")
        if code in PLACELESS_LEAVES:
            where, short = "", ""
        else:
            where, short = self._place(r, street_id, building_id, code in STREET_LEAVES)
        return self._voice(r, channel, kind, leaf, problem, where), Appeal(kind, leaf, i, short)

    def _voice(self, r, channel: str, kind: str, leaf: Leaf, problem: P, where: str) -> str:
        opening = _one(r, WRITTEN_OPENINGS if channel == _PORTAL else OPENINGS)
        detail = _one(r, problem.details)
        time, tail = _one(r, _TIMES)
        impact = _one(r, leaf.impacts)
        feel, ask = _one(r, _COMPLAINT_ENDS if kind == COMPLAINT else _HELP_ENDS)
        place = f"{where}，" if where else ""
        form = r()
        if form < 0.35:
            return f"{opening}{place}{time}{detail}{tail}，{impact}，{feel}{ask}。"
        if form < 0.6:
            return f"{opening}{place}{time}{detail}，{impact}。{feel}{ask}。"
        if form < 0.8:
            return f"{place}{detail}{tail}！{impact}，{feel}{ask}！"
        return f"{_one(r, ('', '您好，', '你好，', '喂，'))}反映一下，{place}{time}{detail}。{impact}，{ask}。"

    def _report(self, r, channel: str, problem: P, site: str, code: str) -> str:
        if code in PLACELESS_LEAVES:  # a person's need, not a thing in the street
            if channel == _LEADER:
                return f"区领导批示：近期{problem.label}问题群众反映较多，请相关部门{_one(r, LEADER_ASKS)}。"
            if channel == _SENSOR:
                return f"城运平台推送：{site}{problem.label}事件，请核实处置。"
            return f"网格员走访了解到：{site}有居民反映{problem.label}问题，请相关部门协助处理。"
        if channel == _SENSOR:
            alert = _one(r, SENSOR_ALERTS.get(code) or (f"视频识别疑似{problem.label}",))
            return f"【感知告警】{site}：{alert}，请核实处置。"
        if channel == _LEADER:
            return f"区领导批示：{site}{problem.label}问题群众反映较多，请相关部门{_one(r, LEADER_ASKS)}。"
        if channel == _GRID:
            return f"网格巡查发现：{site}存在{problem.label}问题，{_one(r, REPORT_TAILS)}"
        return f"市民巡访员反映：{site}，{_one(r, problem.details)}，{_one(r, REPORT_TAILS)}"

    def _consult(self, r, channel: str, q: Q, building_id: int | None) -> str:
        home = self.homes.get(building_id)
        me = f"我住在{home.compound}，" if home is not None and r() < 0.2 else _one(r, CONSULT_SELVES)
        close = _one(r, CONSULT_CLOSES)
        if r() < 0.7:
            return f"{_one(r, CONSULT_OPENINGS)}{me}请问{q.question}？{close}"
        return f"{me}想咨询一下，{q.question}？{close}"

    def _suggest(self, r, channel: str, suggestion: str, short: str, street_id: int) -> str:
        if "{road}" in suggestion:
            suggestion = suggestion.replace("{road}", _one(r, self.roads.get(street_id) or _NO_ROADS))
        reason = _one(r, SUGGESTION_REASONS)
        if channel == _DELIBERATION:
            return f"居民议事会提出：{suggestion}。{reason}"
        x = r()
        if x < 0.4 and short:
            return f"{_one(r, SUGGESTION_OPENINGS)}我是{short}{_one(r, ('附近', '这边', ''))}的居民，有个建议：{suggestion}。{reason}"
        if x < 0.7:
            return f"{_one(r, SUGGESTION_OPENINGS)}建议{suggestion}。{reason}"
        return f"提个建议：{suggestion}，{_one(r, ('谢谢', '希望有关部门考虑一下', '望采纳'))}。"

    def _praise(self, r, channel: str, problem: P, street_id: int, community_id: int | None) -> str:
        committee = self.committee.get(community_id)
        who = _one(r, (f"{self.street_name.get(street_id, '街道')}的工作人员", "城管队员", "物业的师傅",
                       f"{committee.name if committee else '居委会'}的社工", "居委会书记"))
        return (f"{_one(r, PRAISE_OPENINGS)}我要表扬一下{who}，{_one(r, PRAISE_WHEN)}反映的{problem.label}问题，"
                f"{_one(r, PRAISE_SPEED)}就处理好了，{_one(r, PRAISE_THANKS)}")

    # --- results and replies --------------------------------------------------------------------------------
    def outcome(self, rng, appeal: Appeal | None) -> str:
        """How the appeal ends (`OUTCOMES`)."""
        return _draw(rng.random(), *_OUTCOME_TABLES[appeal.kind if appeal is not None else HELP])

    def answer(self, rng, appeal: Appeal | None, outcome: str, category_id: int) -> tuple[str, str]:
        """(the handling result, the reply to the citizen) for `appeal` ended with `outcome`. A case without a
        drawn appeal (a visit's problem) is answered from its category."""
        r = rng.random
        if appeal is None:
            leaf = self.leaf.get(category_id) or _fallback("诉求")
            appeal = Appeal(HELP, leaf, 0, "")
        leaf, place = appeal.leaf, appeal.place
        close = _one(r, REPLY_CLOSES)
        if outcome == "answered":
            q = leaf.questions[appeal.index]
            return (f"已{_one(r, ('电话', '电话', '短信'))}答复诉求人：{q.answer}。",
                    f"您好，关于您咨询的{q.label}问题：{q.answer}。{close}")
        if outcome == "adopted" or outcome == "noted":
            s = leaf.suggestions[appeal.index].replace("{road}", "")
            if outcome == "adopted":
                return (f"诉求人建议“{s}”，已转相关部门研究，纳入下阶段工作计划。",
                        f"您好，感谢您提出的建议，已转相关部门研究，将纳入下阶段工作统筹推进。{close}")
            return (f"诉求人建议“{s}”，已向诉求人说明现阶段暂不具备实施条件，作为今后工作参考。",
                    f"您好，您的建议已收悉，经研究现阶段暂不具备实施条件，我们将作为今后工作的参考。{close}")
        p = leaf.problems[appeal.index]
        if outcome == "thanked":
            return (f"诉求人表扬{p.label}问题处理及时，已转达承办单位及相关工作人员。",
                    "您好，您的表扬已转达相关单位和工作人员，感谢您的认可和支持！")
        where = f"{place}的" if place else ""
        if outcome == "solved":
            return (f"经现场核查，{where}{p.label}问题属实。{p.solved}。",
                    f"您好，您反映的{where}{p.label}问题，经核查{p.solved}。{close}")
        if outcome == "partly":
            return (f"经现场核查，{where}{p.label}问题属实。{p.solved}；该问题易反复，已列入重点跟踪，定期复查。",
                    f"您好，您反映的{where}{p.label}问题，{p.solved}，后续我们还会定期复查。{close}")
        if outcome == "explained":
            return (f"经核实，{p.explained}。已向诉求人做好解释工作。",
                    f"您好，关于您反映的{where}{p.label}问题，经核实，{p.explained}。给您带来不便，敬请谅解。")
        return (f"经现场核查，未发现诉求人反映的{where}{p.label}情况，已请网格员持续关注。",
                f"您好，工作人员已到现场核查，暂未发现您反映的{p.label}情况，如再次发生请随时反映。")


def _one(r, seq):
    """One element of `seq`, drawn with `r` (the generator's `random`): cheaper than `rng.choice`."""
    return seq[int(r() * len(seq))]


def _cumulative(pairs) -> tuple[list, list[float]]:
    values, cum, acc = [], [], 0.0
    for v, w in pairs:
        acc += w
        values.append(v)
        cum.append(acc)
    return values, [c / acc for c in cum]


def _draw(x: float, values: list, cum: list[float]):
    """The value whose cumulative share first exceeds `x` (0 ≤ x < 1)."""
    return values[min(bisect_right(cum, x), len(values) - 1)]


_OUTCOME_TABLES = {kind: _cumulative(table.items()) for kind, table in OUTCOMES.items()}
_CN = [chinese_number(n) for n in range(200)]
_NO_ROADS = ("中山南二路",)


def _cn(n: int) -> str:
    return _CN[n] if 0 <= n < 200 else chinese_number(n)


# --- fragments (the citizen's voice) ---------------------------------------------------------------------------

OPENINGS = ("", "", "您好，", "你好，", "喂，你好，", "我要反映个问题，", "我是附近的居民，", "麻烦记录一下，")
WRITTEN_OPENINGS = ("", "", "", "您好，", "你好，", "反映问题：", "投诉：")
SUGGESTION_OPENINGS = ("", "", "您好，", "你好，", "麻烦记录一下，")
PRAISE_OPENINGS = ("", "您好，", "你好，", "麻烦记录一下，")
TIME_LEADS = ("", "", "", "最近", "这几天", "这段时间", "从上个月开始", "近一个月来", "这两天", "今年以来")
TIME_TAILS = ("", "", "", "，已经一个多月了", "，持续快两个礼拜了", "，天天这样", "，不是一次两次了", "，好几天了",
              "，周末特别严重")
COMPLAINT_FEELINGS = ("实在受不了了，", "真的很气愤，", "之前反映过好几次都没人管，", "物业说不归他们管，",
                      "找过居委会也没解决，", "希望这次能认真对待，", "")
COMPLAINT_ASKS = ("请尽快处理", "希望有关部门来管一管", "请相关部门严肃处理", "要求给个说法", "希望尽快解决，不要再推来推去",
                  "请依法查处")
HELP_FEELINGS = ("麻烦帮帮忙，", "心里很着急，", "不知道该找谁，", "", "")
HELP_ASKS = ("麻烦派人来看一下", "请帮忙协调解决", "希望尽快处理，谢谢", "请相关部门帮忙解决", "谢谢", "请尽快处理")
CONSULT_OPENINGS = ("", "", "您好，", "你好，", "喂，", "麻烦问一下，", "我想问一下，", "您好，想咨询一个问题，",
                    "您好，打扰一下，", "想问个事，")
CONSULT_SELVES = ("", "", "", "我是新搬来的，", "我们是外地来沪的，", "我在网上没查到，",
                  "我是退休职工，", "帮家里老人问的，", "我们家刚买的房子，", "我问了居委会也说不清楚，")
CONSULT_CLOSES = ("", "", "谢谢。", "麻烦告知一下，谢谢。", "打了好几个电话都没问清楚。", "希望有人回个电话。",
                  "比较急，麻烦尽快答复。", "谢谢您。", "谢谢，辛苦了。", "麻烦给个准确答复。")
SUGGESTION_REASONS = ("这样大家都方便。", "希望能采纳。", "附近居民都有这个想法。", "", "供参考。")
PRAISE_WHEN = ("上周", "前几天", "上个月", "之前")
PRAISE_SPEED = ("第二天", "当天", "不到一个礼拜", "很快")
PRAISE_THANKS = ("服务态度也很好，特此表扬！", "非常感谢！", "给你们点赞！", "办事效率很高，谢谢！")
REPORT_TAILS = ("已拍照取证，请相关部门处置。", "已现场劝导，需相关部门进一步处置。", "系该点位第二次发现，请加强管理。",
                "请派单处置。")
LEADER_ASKS = ("牵头尽快处置并报结果", "抓紧研究解决", "举一反三，集中整治")
REPLY_CLOSES = ("感谢您的监督！", "感谢您对我们工作的支持。", "如有问题可再拨打12345反映。", "")
SENSOR_ALERTS = {
    "0301": ("积水深度超过15厘米", "井盖位移报警", "路灯离线报警"),
    "0401": ("夜间噪声超过55分贝", "施工噪声持续超标"),
    "0403": ("PM10浓度超标", "扬尘监测超标"),
    "0701": ("烟感报警", "消防通道占用识别"),
    "0704": ("燃气浓度报警",),
    "0304": ("非机动车堆积识别",),
    "0102": ("占道经营视频识别",),
    "0103": ("垃圾堆积视频识别",),
    "0106": ("树木倾斜监测报警",),
    "0202": ("漏水传感器报警",),
    "0302": ("消防通道违停识别",),
    "0305": ("违法停车视频识别",),
    "0402": ("油烟在线监测浓度超标",),
    "0703": ("塔吊运行监测报警", "深基坑位移监测报警"),
    "0104": ("垃圾满溢识别",),
    "0404": ("水质在线监测异常",),
}

# pre-combined draws: one time expression (a lead or a tail, not both); a feeling with its request
_TIMES = tuple((lead, "") for lead in TIME_LEADS if lead) + tuple(("", tail) for tail in TIME_TAILS)
_COMPLAINT_ENDS = tuple((f, a) for f in COMPLAINT_FEELINGS for a in COMPLAINT_ASKS)
_HELP_ENDS = tuple((f, a) for f in HELP_FEELINGS for a in HELP_ASKS)
