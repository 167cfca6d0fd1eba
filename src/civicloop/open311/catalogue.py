"""What Open311 says about our categories beyond their names: search keywords, and the extra questions
(`attributes`) of the categories whose lead unit needs a fact the description seldom gives.

Which categories ask, and why (the handler's first question on the phone, in 12345 practice):
- 0401 噪声扰民: the source and the time of day decide who acts (night construction: urban management; a shop:
  environment; neighbours: the committee's mediation).
- 0202 房屋漏水与修缮: where the water comes from decides between the neighbour, the property manager and the
  maintenance fund.
- 0301 道路设施损坏: which facility (a pothole, a manhole cover, a streetlight …) picks the maintenance crew.
- 0505 预付卡纠纷: the merchant's name (and the amount) is what the market regulator looks up first.

The answers are kept structured on the Open311 submission (`models.Submission.attributes`) and written, in
words, under the case's description, so every handler page shows them with no change to the cases app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Attribute:
    """One question of a service definition (the spec's `attribute`): `code` is the form field `attribute[code]`."""

    code: str
    description: object  # lazy text: the question as a person reads it
    datatype: str  # string | number | text | singlevaluelist (the spec's datatypes we use)
    required: bool
    values: tuple[tuple[str, object], ...] = ()  # (key, name) for a list
    datatype_description: object = ""


@dataclass(frozen=True)
class ServiceExtra:
    keywords: object = ""  # lazy text: comma-separated words a client may search by
    attributes: tuple[Attribute, ...] = field(default_factory=tuple)


NUMBER_MAX = 10**9  # the largest number an answer may give (an amount in yuan, a floor)

EXTRAS: dict[str, ServiceExtra] = {
    "0101": ServiceExtra(pgettext_lazy("open311 keywords", "违建,搭建,加层,围墙,阳台")),
    "0102": ServiceExtra(pgettext_lazy("open311 keywords", "摆摊,占道,流动摊贩,出店经营")),
    "0103": ServiceExtra(pgettext_lazy("open311 keywords", "脏乱,垃圾,卫生,保洁,污物")),
    "0104": ServiceExtra(pgettext_lazy("open311 keywords", "垃圾分类,清运,垃圾桶,满溢,建筑垃圾")),
    "0105": ServiceExtra(pgettext_lazy("open311 keywords", "广告牌,招牌,横幅,小广告")),
    "0106": ServiceExtra(pgettext_lazy("open311 keywords", "树木,绿化,修剪,倒伏,草坪")),
    "0201": ServiceExtra(pgettext_lazy("open311 keywords", "物业,物业费,门禁,电梯故障,保安")),
    "0202": ServiceExtra(pgettext_lazy("open311 keywords", "漏水,渗水,修缮,屋顶,水管"), (
        Attribute("leak_from", _("漏水来自哪里？"), "singlevaluelist", True, (
            ("upstairs", _("楼上住户")), ("roof", _("屋顶")), ("wall", _("外墙")), ("pipe", _("公共管道")),
            ("unknown", _("不清楚")))),
        Attribute("floor", _("所在楼层"), "number", False, datatype_description=_("整数，如 5")),
    )),
    "0203": ServiceExtra(pgettext_lazy("open311 keywords", "加装电梯,电梯")),
    "0204": ServiceExtra(pgettext_lazy("open311 keywords", "旧改,旧住房,改造,拆迁")),
    "0205": ServiceExtra(pgettext_lazy("open311 keywords", "公租房,廉租房,租赁补贴")),
    "0301": ServiceExtra(pgettext_lazy("open311 keywords", "路面,坑洞,窨井盖,路灯,护栏,人行道"), (
        Attribute("facility", _("损坏的是什么设施？"), "singlevaluelist", True, (
            ("pothole", _("路面坑洞")), ("manhole", _("窨井盖")), ("streetlight", _("路灯")),
            ("railing", _("护栏")), ("sidewalk", _("人行道")), ("other", _("其他")))),
    )),
    "0302": ServiceExtra(pgettext_lazy("open311 keywords", "停车,乱停车,车位,僵尸车")),
    "0303": ServiceExtra(pgettext_lazy("open311 keywords", "公交,站点,线路,班次")),
    "0304": ServiceExtra(pgettext_lazy("open311 keywords", "共享单车,电瓶车,非机动车,乱停")),
    "0305": ServiceExtra(pgettext_lazy("open311 keywords", "交通秩序,拥堵,违章,信号灯")),
    "0401": ServiceExtra(pgettext_lazy("open311 keywords", "噪音,噪声,吵,施工,夜间施工,广场舞"), (
        Attribute("noise_source", _("噪声来源"), "singlevaluelist", True, (
            ("construction", _("建筑施工")), ("shop", _("商铺或娱乐场所")), ("neighbour", _("邻里生活")),
            ("traffic", _("交通")), ("other", _("其他")))),
        Attribute("noise_time", _("主要发生在什么时段？"), "singlevaluelist", True, (
            ("day", _("白天")), ("night", _("夜间（22时至次日6时）")))),
    )),
    "0402": ServiceExtra(pgettext_lazy("open311 keywords", "油烟,餐饮,饭店,排风")),
    "0403": ServiceExtra(pgettext_lazy("open311 keywords", "空气,扬尘,异味,焚烧")),
    "0404": ServiceExtra(pgettext_lazy("open311 keywords", "河道,污水,水体,黑臭")),
    "0501": ServiceExtra(pgettext_lazy("open311 keywords", "消费,维权,退货,质量")),
    "0502": ServiceExtra(pgettext_lazy("open311 keywords", "食品,过期,卫生,餐馆")),
    "0503": ServiceExtra(pgettext_lazy("open311 keywords", "无证,无照,经营")),
    "0504": ServiceExtra(pgettext_lazy("open311 keywords", "价格,乱收费,明码标价")),
    "0505": ServiceExtra(pgettext_lazy("open311 keywords", "预付卡,充值卡,会员卡,跑路,退费"), (
        Attribute("merchant", _("商家名称"), "string", True),
        Attribute("amount", _("涉及金额（元）"), "number", False, datatype_description=_("整数，单位元")),
    )),
    "0601": ServiceExtra(pgettext_lazy("open311 keywords", "养老,老人,助餐,日托")),
    "0602": ServiceExtra(pgettext_lazy("open311 keywords", "低保,救助,困难")),
    "0603": ServiceExtra(pgettext_lazy("open311 keywords", "就业,欠薪,劳动合同,工资")),
    "0604": ServiceExtra(pgettext_lazy("open311 keywords", "社保,医保,养老保险,缴费")),
    "0605": ServiceExtra(pgettext_lazy("open311 keywords", "残疾,无障碍,助残")),
    "0701": ServiceExtra(pgettext_lazy("open311 keywords", "消防,通道堵塞,电瓶车充电,灭火器")),
    "0702": ServiceExtra(pgettext_lazy("open311 keywords", "治安,盗窃,打架,诈骗")),
    "0703": ServiceExtra(pgettext_lazy("open311 keywords", "工地,脚手架,安全隐患")),
    "0704": ServiceExtra(pgettext_lazy("open311 keywords", "燃气,煤气,漏气,液化气")),
    "0705": ServiceExtra(pgettext_lazy("open311 keywords", "群租,隔断,二房东")),
    "0801": ServiceExtra(pgettext_lazy("open311 keywords", "医院,看病,医疗,挂号")),
    "0802": ServiceExtra(pgettext_lazy("open311 keywords", "防疫,疫苗,传染病")),
    "0803": ServiceExtra(pgettext_lazy("open311 keywords", "入学,招生,学区,转学")),
    "0804": ServiceExtra(pgettext_lazy("open311 keywords", "培训,补课,校外培训")),
    "0805": ServiceExtra(pgettext_lazy("open311 keywords", "老鼠,蟑螂,蚊子,除四害")),
}

NO_EXTRA = ServiceExtra()


def extra_for(code: str) -> ServiceExtra:
    return EXTRAS.get(code, NO_EXTRA)
