"""What the demo's visit records say: summary templates, the problems heard (each with the taxonomy leaf it is
filed under), and what people answer about an earlier case. Illustrative, hand-written; drawn by visits/demo.py."""

from __future__ import annotations

from .constants import VisitMethod, VisitSatisfaction

HOUSEHOLD_OPENERS = [
    "向居民介绍了“满意在徐汇”大走访的目的，发放了民情联系卡",
    "了解了家庭成员的就业、就医和出行情况",
    "宣传了社区养老、助餐和家庭医生签约政策",
    "听取了对小区环境和物业服务的意见",
    "核对了住户信息，留下了走访组的联系方式",
]
HOUSEHOLD_WHO = ["户主在家", "户主及家属在家", "家属接待", "老人在家"]
HOUSEHOLD_VIEWS = [
    "对近年小区环境改善表示认可", "希望社区多组织文体活动", "支持垃圾分类定时定点投放", "认为居委干部联系紧密、办事及时",
    "希望加快推进小区加装电梯", "对家门口服务站的服务较为满意", "建议在小区内增加休憩座椅", "对老旧小区改造的进度比较关心",
    "暂无其他意见和建议",
]
# what a visit to a key-group household looks at (by tag code; places' key-group tags)
KEY_NOTES = {
    "elderly_alone": "老人独自居住，身体状况尚可，已登记助餐和紧急呼叫需求",
    "disabled": "家中有残疾人，核对了残疾人补贴和无障碍设施需求",
    "dibao": "低保家庭，核对了救助金发放情况",
    "hardship": "困难家庭，了解了子女就学和医疗负担情况",
    "key_talent": "重点人才家庭，介绍了人才公寓和子女入学服务",
}
COMPANIONS = ["居委会{surname}书记陪同", "社区民警{surname}警官陪同", "楼组长{surname}阿姨陪同"]

ENTERPRISE_OPENERS = [
    "与企业负责人座谈，了解生产经营情况", "实地走访企业，听取经营和发展诉求", "向企业宣讲了助企纾困和稳岗补贴政策",
    "了解了企业用工和人才需求",
]
ENTERPRISE_VIEWS = [
    "企业经营平稳，计划扩大研发团队", "企业营收较去年有所增长", "希望在人才落户和人才公寓方面得到支持", "关注园区配套和员工通勤",
    "对政务服务“一网通办”表示满意", "有意参加区里组织的产业对接活动", "暂无其他诉求",
]
FORUM = "召开座谈会，{who}参加，集中听取意见建议"

# (taxonomy leaf, the problem as the team wrote it down)
HOUSEHOLD_PROBLEMS = [
    ("0103", "楼道内堆放杂物较多，影响通行和消防安全，希望清理"),
    ("0202", "屋顶渗水，雨天卧室墙面发霉，希望尽快修缮"),
    ("0203", "老人上下楼困难，希望推进本楼加装电梯"),
    ("0201", "物业维修响应慢，报修后多日无人上门"),
    ("0401", "附近工地夜间施工，噪声影响休息"),
    ("0304", "小区门口非机动车乱停放，影响出行"),
    ("0106", "小区绿化长期无人修剪，遮挡低层住户采光"),
    ("0104", "垃圾箱房清运不及时，天热时异味明显"),
    ("0302", "小区停车位不足，夜间车辆乱停"),
    ("0801", "家庭医生签约后上门服务次数较少"),
    ("0704", "楼内燃气管道老旧，担心存在安全隐患"),
    ("0301", "小区门口人行道地砖破损，容易绊倒"),
]
KEY_HOUSEHOLD_PROBLEMS = [
    ("0601", "希望就近增加社区助餐点，方便老人用餐"),
    ("0602", "不清楚低保复核需要准备哪些材料"),
    ("0605", "咨询残疾人辅具申领流程"),
    ("0601", "希望安排助老服务员定期上门"),
]
ENTERPRISE_PROBLEMS = [
    ("0302", "园区周边停车位紧张，员工停车困难"),
    ("0303", "园区附近公交班次少，员工通勤不便"),
    ("0603", "招用应届毕业生的补贴申请流程不清楚，希望上门指导"),
    ("0604", "员工社保转移手续办理周期较长"),
    ("0301", "园区门口道路破损，雨天积水"),
    ("0105", "咨询门头招牌设置的审批手续"),
    ("0402", "楼下餐饮店油烟影响办公"),
    ("0701", "楼内消防通道被占用，存在安全隐患"),
    ("0503", "周边无证经营摊点影响营商环境"),
]

# what a person says on a repeat visit about a case raised before
FOLLOW_UP_DONE = {
    VisitSatisfaction.SATISFIED: "问题已解决，表示满意",
    VisitSatisfaction.BASICALLY: "问题基本解决，希望保持",
    VisitSatisfaction.UNSATISFIED: "认为处理不到位，问题仍有反复",
    VisitSatisfaction.NO_ANSWER: "未表态",
}
FOLLOW_UP_OPEN = "问题仍在办理中，已向对方说明办理进度"


def household_summary(rng, fake, *, method: str, members: int, key_codes, problems: list[str]) -> str:
    if method == VisitMethod.PHONE:
        parts = ["电话联系户主", rng.choice(HOUSEHOLD_OPENERS[1:])]
    elif method == VisitMethod.FORUM:
        parts = [FORUM.format(who=f"楼组居民{rng.randint(6, 15)}人")]
    else:
        parts = [rng.choice(HOUSEHOLD_WHO), f"全家{members}口人", rng.choice(HOUSEHOLD_OPENERS)]
        if rng.random() < 0.3:
            parts.append(rng.choice(COMPANIONS).format(surname=fake.last_name()))
    if method != VisitMethod.FORUM:
        parts += [KEY_NOTES[c] for c in key_codes if c in KEY_NOTES]
    return _finish(parts, rng.choice(HOUSEHOLD_VIEWS), problems)


def enterprise_summary(rng, *, method: str, problems: list[str]) -> str:
    if method == VisitMethod.FORUM:
        parts = [FORUM.format(who=f"楼宇内{rng.randint(4, 12)}家企业代表")]
    elif method == VisitMethod.PHONE:
        parts = ["电话联系企业联系人", rng.choice(ENTERPRISE_OPENERS[2:])]
    else:
        parts = [rng.choice(ENTERPRISE_OPENERS)]
    return _finish(parts, rng.choice(ENTERPRISE_VIEWS), problems)


def _finish(parts: list[str], view: str, problems: list[str]) -> str:
    parts.append(view)
    text = "，".join(parts) + "。"
    if problems:
        text += "反映问题：" + "；".join(problems) + "。已登记转办。"
    return text
