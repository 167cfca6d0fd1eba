"""The shipped indicator sets (services.sets.set_create(template=…)): plain data, no database.

- `HUANGPU`: the 金银铜奖 assessment of seed 004 — eight dimensions (城区经济与发展 … 党风廉政与机关作风建设) filled
  out to 140 indicators as Huangpu's: objective ones read the loop's KPIs (dashboard.metrics), the rest are entered
  (surveys, inspection findings, expert review), 1,000 points in all plus bonuses.
- `CLOSED_LOOP`: a street's closed-loop scorecard in the 12345 style (及时签收率, 按时办结率, 回访满意率, 重办率 …),
  100 points, every indicator objective.

A line is one of
    ("K", name, metric, target, floor, channel, category)   objective, linear from floor to target
    ("T", name, metric, target)                              objective, full marks if met else in proportion
    ("C", name, metric, per_item, cap)                       objective count, a deduction per case
    ("S", name)                                              entered score 0–100, linear (0 → 0, 100 → full)
    ("D", name, per_item)                                    entered count of findings, a deduction each
    ("B", name, per_item, cap)                               entered count, a bonus each up to cap (0 full marks)
and a dimension's points are shared evenly by its indicators that are not bonuses (services.sets).
The direction of a metric is the KPI's (LOWER_IS_BETTER), not the line's.
"""

from __future__ import annotations

# the dashboard's KPIs where less is better (docs/kpis.md)
LOWER_IS_BETTER = frozenset({"reopen_rate", "handling_days", "overdue", "supervised", "escalated", "return_rate",
                             "repeat_returns"})

HOTLINE = "hotline_12345"

HUANGPU = {
    "code": "jinyintong", "name": "精神文明建设金银铜奖考核细则", "unit_group": "streets",
    "description": "按城区经济与发展、城市建设与管理、社会治安与稳定、科技教育与文体卫生、社区建设、组织建设、"
                   "宣传思想与道德建设、党风廉政与机关作风建设八个方面考核，客观指标取自工单闭环数据，主观指标录入。",
    "dimensions": [
        ("城区经济与发展", 120, [
            ("S", "区级财政收入目标完成情况"), ("S", "招商引资与重点项目推进"), ("S", "楼宇经济与税收落地"),
            ("S", "营商环境满意度"), ("K", "市场监管类诉求按时办结率", "on_time_rate", 95, 70, "", "05"),
            ("K", "企业诉求回访满意率", "satisfaction_rate", 90, 60, "", "05"), ("S", "稳就业与新增就业岗位"),
            ("S", "帮扶长期失业人员就业"), ("S", "小微企业服务与走访"), ("S", "商业街区与夜间经济"),
            ("S", "老字号与特色商业保护"), ("S", "统计数据质量"), ("S", "安全生产责任落实"),
            ("D", "无证经营、占道经营反弹", 1), ("S", "消费环境与诚信建设"),
            ("B", "获评市级以上营商环境示范", 2, 6),
        ]),
        ("城市建设与管理", 150, [
            ("K", "城市管理类诉求按时办结率", "on_time_rate", 95, 70, "", "01"),
            ("K", "城市管理类诉求回访满意率", "satisfaction_rate", 90, 60, "", "01"),
            ("K", "住房类诉求按时办结率", "on_time_rate", 95, 70, "", "02"),
            ("K", "交通出行类诉求按时办结率", "on_time_rate", 95, 70, "", "03"),
            ("K", "环境保护类诉求按时办结率", "on_time_rate", 95, 70, "", "04"),
            ("C", "城市管理类超期工单", "overdue", 0.5, 5),
            ("D", "市容环境卫生暗查问题", 0.5), ("D", "垃圾分类与清运暗查问题", 0.5), ("D", "违法搭建新增", 1),
            ("D", "占道经营与跨门营业", 0.5), ("D", "非机动车乱停放", 0.5), ("S", "旧住房改造与加装电梯推进"),
            ("S", "美丽街区与绿化养护"), ("S", "公共厕所与环卫设施管理"), ("S", "建筑工地文明施工"),
            ("S", "背街小巷整治"), ("S", "市民对市容环境满意度"), ("B", "获评市级美丽街区", 2, 6),
        ]),
        ("社会治安与稳定", 130, [
            ("K", "公共安全类诉求按时办结率", "on_time_rate", 95, 70, "", "07"),
            ("K", "12345热线诉求及时签收率", "accept_rate", 98, 80, HOTLINE, ""),
            ("K", "12345热线诉求重办率", "reopen_rate", 3, 15, HOTLINE, ""),
            ("C", "重复退单工单", "repeat_returns", 1, 5), ("S", "矛盾纠纷排查化解"), ("S", "信访积案化解"),
            ("S", "人民调解组织建设"), ("S", "群防群治与平安志愿者"), ("D", "消防安全隐患暗查问题", 1),
            ("D", "燃气安全隐患", 1), ("S", "禁毒与社区戒毒康复"), ("S", "社区矫正与安置帮教"),
            ("S", "实有人口与出租房屋管理"), ("S", "平安小区创建"), ("S", "群众安全感测评"),
            ("D", "重大安全责任事故", 5), ("S", "应急预案与演练"), ("B", "获评平安示范街道", 2, 4),
        ]),
        ("科技教育与文体卫生", 120, [
            ("K", "教育卫生类诉求按时办结率", "on_time_rate", 95, 70, "", "08"),
            ("K", "教育卫生类诉求回访满意率", "satisfaction_rate", 90, 60, "", "08"), ("S", "学习型社区建设"),
            ("S", "社区学校与市民学校办学"), ("S", "科普进社区与科普设施"), ("S", "未成年人校外活动阵地"),
            ("S", "社区文化活动中心开放"), ("S", "群众性文体活动开展"), ("S", "全民健身设施与参与"),
            ("S", "社区卫生服务中心签约服务"), ("S", "爱国卫生与病媒防制"), ("D", "公共卫生暗查问题", 0.5),
            ("S", "图书馆与阅读推广"), ("S", "非遗与历史风貌保护"), ("S", "驻区单位资源开放共享"),
            ("S", "居民健康素养测评"), ("B", "获评市级以上文体卫生示范", 2, 6),
        ]),
        ("社区建设", 130, [
            ("K", "居民诉求按时办结率（全部渠道）", "on_time_rate", 95, 70, "", ""),
            ("K", "居民诉求回访满意率（全部渠道）", "satisfaction_rate", 90, 60, "", ""),
            ("K", "诉求平均办理时长", "handling_days", 5, 15, "", ""), ("K", "退单率", "return_rate", 5, 20, "", ""),
            ("S", "居委会规范化建设"), ("S", "居民自治与议事协商"), ("S", "业委会与物业管理监督"),
            ("S", "社区养老服务与长者食堂"), ("S", "困难群众帮扶与社会救助"), ("S", "为老助残服务"),
            ("S", "社区志愿服务注册与活跃"), ("S", "网格化管理与巡查"), ("S", "社区服务中心一站式服务"),
            ("S", "文明小区与楼组创建"), ("S", "居民对社区服务满意度"), ("D", "社区服务暗访问题", 0.5),
            ("S", "社会组织培育"), ("B", "获评全国或市级示范社区", 2, 6),
        ]),
        ("组织建设", 110, [
            ("S", "基层党组织标准化建设"), ("S", "两新组织党建覆盖"), ("S", "党员教育管理"),
            ("S", "在职党员报到与服务"), ("S", "区域化党建共建"), ("S", "社区工作者队伍建设"),
            ("S", "干部培训与能力提升"), ("S", "后备干部培养"), ("S", "党群服务阵地建设"), ("S", "发展党员质量"),
            ("S", "三会一课制度落实"), ("S", "党费收缴与管理"), ("S", "楼宇党建与园区党建"),
            ("S", "联系服务群众机制"), ("S", "领导班子建设测评"), ("S", "组织工作满意度"),
            ("B", "获评先进基层党组织", 2, 6),
        ]),
        ("宣传思想与道德建设", 130, [
            ("S", "理论学习中心组学习"), ("S", "社会主义核心价值观宣传"), ("S", "公益广告与创建氛围"),
            ("D", "公益广告缺失或破损", 0.5), ("S", "未成年人思想道德建设"), ("S", "好人好事与道德模范评选"),
            ("S", "新时代文明实践站点"), ("S", "文明单位与文明社区创建"), ("S", "市民文明素养测评"),
            ("D", "不文明行为暗查问题", 0.5), ("S", "诚信建设与志愿服务"), ("S", "网络文明与舆情引导"),
            ("S", "移风易俗与文明祭扫"), ("S", "文明交通劝导"), ("S", "媒体宣传与信息报送"),
            ("S", "家庭家教家风建设"), ("S", "群众对创建工作知晓率"), ("S", "群众对创建工作支持率"),
            ("B", "获评市级以上文明单位或文明社区", 2, 6),
        ]),
        ("党风廉政与机关作风建设", 110, [
            ("K", "领导交办诉求按时办结率", "on_time_rate", 100, 80, "leader_instruction", ""),
            ("C", "督办工单", "supervised", 0.5, 5), ("T", "12345热线诉求及时签收率达标", "accept_rate", 95),
            ("S", "党风廉政建设责任制落实"), ("S", "廉政风险防控"), ("S", "中央八项规定精神落实"),
            ("S", "机关效能与首问负责"), ("S", "政务公开与办事公开"), ("S", "窗口服务满意度"),
            ("D", "作风问题投诉查实", 1), ("D", "违纪违规问题", 5), ("S", "会风文风改进"),
            ("S", "机关作风建设测评"), ("S", "基层减负落实"), ("S", "财务与三公经费管理"),
            ("S", "民主评议机关作风"), ("B", "获评市级以上作风建设先进", 2, 4),
        ]),
    ],
}

CLOSED_LOOP = {
    "code": "bihuan", "name": "街道诉求闭环考核（12345口径）", "unit_group": "streets",
    "description": "街道诉求处置闭环考核：及时签收、按时办结、回访满意、重办、办理时长、退单、超期和督办。",
    "dimensions": [
        ("接诉", 15, [
            ("K", "及时签收率", "accept_rate", 98, 80, "", ""),
            ("K", "退单率", "return_rate", 5, 20, "", ""),
        ]),
        ("办理", 40, [
            ("K", "按时办结率", "on_time_rate", 95, 70, "", ""),
            ("K", "办结率", "resolve_rate", 95, 70, "", ""),
            ("K", "平均办理时长", "handling_days", 5, 15, "", ""),
        ]),
        ("评价", 30, [
            ("K", "回访满意率", "satisfaction_rate", 90, 60, "", ""),
            ("K", "重办率", "reopen_rate", 3, 15, "", ""),
        ]),
        ("扣分项", 15, [
            ("C", "超期件数", "overdue", 0.5, 10),
            ("C", "督办件数", "supervised", 0.5, 5),
        ]),
    ],
}

TEMPLATES = {t["code"]: t for t in (HUANGPU, CLOSED_LOOP)}
