"""What a complaint's words say, pure (no database): the problem words apart from the place words, the shingles
MinHash hashes, and the building numbers and compound names a citizen names.

Chinese has no spaces; character bigrams are the shingles (a trigram rarely survives a paraphrase: 电梯坏了 /
电梯故障 share 电梯 only). Words every complaint has (反映, 希望, 尽快处理 …) and place words are taken out first, so
two complaints about different problems at the same building do not look alike because they name it alike; the
place is scored on its own (`scoring`). A few everyday synonyms are folded (坏了/故障/停运 → 坏) — the most common
ways of saying the same breakdown, not a thesaurus.
"""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 2000  # only the head of a very long text is compared (a pasted letter): the problem is stated first

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百]+(?=号|幢|栋|弄|室)")
# 12号楼, 12幢, 12栋, 12号 (a lane's house number is a building too: 衡山路123弄12号)
BUILDING = re.compile(r"(\d{1,4})(?:号楼|幢|栋|号(?![电口出线门室车]))")
ROOM = re.compile(r"\d{3,4}室?")
LANE = re.compile(r"\d{1,4}弄")
NUMBERED = re.compile(r"\d{1,4}号")  # 1号电梯, 3号口: a numbered thing, not the problem

# said in nearly every complaint, about nothing in particular (longest first: removed in this order)
FILLER = tuple(sorted((
    "市民来电反映", "市民反映", "居民反映", "来电反映", "反映", "投诉", "举报", "诉求人", "来电", "市民", "居民", "我们",
    "希望", "要求", "请求", "麻烦", "尽快", "赶紧", "处理", "解决", "相关部门", "有关部门", "管一管", "一下", "网格员",
    "巡查发现", "巡查", "走访中", "走访时", "走访", "领导交办", "已拍照上报", "上报", "报警", "感知预警",
    "小区里面", "小区里", "小区内", "小区", "这里", "那里", "这边", "附近", "旁边", "门口", "楼下", "楼里",
    "了", "的", "是", "在", "都", "也", "还", "就", "又", "很", "太", "我", "家", "有", "人", "说", "个", "着",
), key=len, reverse=True))
_FILLER = re.compile("|".join(map(re.escape, FILLER)))
# everyday ways of saying the same thing → one word
SYNONYMS = (
    (re.compile(r"故障|停运|不动了|坏掉|损坏|失灵|停了|不能用|用不了"), "坏"),
    (re.compile(r"关人|困人|被困|关在里面"), "困"),
    (re.compile(r"吵|噪音|噪声|扰民|声音很大|很响|太响"), "噪"),
    (re.compile(r"渗水|漏水|滴水"), "漏"),
    (re.compile(r"电瓶车|电动车|电动自行车"), "电瓶车"),
    (re.compile(r"煤气|燃气|可燃气体"), "燃气"),
    (re.compile(r"不亮|不亮了|坏了好几盏"), "不亮"),
)
# control and invisible characters (NUL, zero-width spaces, direction marks): dropped
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_NOT_WORD = re.compile(r"[^\w]|_", re.UNICODE)


def _cn_to_int(word: str) -> int | None:
    """十二 → 12, 一百零五 → 105; None when it is not a number."""
    total, current = 0, 0
    for ch in word:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, Chinese building numbers as digits (十二号楼 → 12号楼), 幢/栋 as 号楼,
    no control characters; at most MAX_CHARS."""
    text = unicodedata.normalize("NFKC", text or "")[:MAX_CHARS].lower()
    text = _CONTROL.sub("", text)
    text = _CN_NUMBER.sub(lambda m: str(_cn_to_int(m.group(0)) or m.group(0)), text)
    return text


def building_numbers(text: str) -> frozenset[int]:
    """The building numbers named in the (normalised) text: 12号楼 → {12}."""
    return frozenset(int(m.group(1)) for m in BUILDING.finditer(text))


def compound_names(text: str, names) -> frozenset[str]:
    """Which of `names` (the compounds of the community or district) the text names."""
    return frozenset(n for n in names if n and n in text)


def problem_text(text: str, place_names=()) -> str:
    """The normalised text without place words (compounds, buildings, rooms, lanes), filler and punctuation, synonyms
    folded: what the complaint says is wrong."""
    for name in sorted(place_names, key=len, reverse=True):
        if name:
            text = text.replace(name, " ")
    text = BUILDING.sub(" ", text)
    text = LANE.sub(" ", text)
    text = NUMBERED.sub(" ", text)
    text = ROOM.sub(" ", text)
    for pattern, word in SYNONYMS:
        text = pattern.sub(word, text)
    text = _FILLER.sub(" ", text)
    return _NOT_WORD.sub("", text)


def shingles(problem: str) -> set[str]:
    """Character bigrams (a one-character text: itself)."""
    if len(problem) < 2:
        return {problem} if problem else set()
    return {problem[i:i + 2] for i in range(len(problem) - 1)}
