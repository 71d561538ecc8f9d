"""Targets as real plans, scorecards and replies of other issuers write them, one case per
line: the section heading ⇥ the item's sentence ⇥ the targets read from it (value unit kind,
space separated; empty: none) ⇥ # the page it came from.

Commitments inside longer metric phrases, achievements reported against a plan, starting
points (从3.5米拓宽至6米), counts that describe a scope or a breakdown (分解为…79项, 包括…等6个
项目, 33个县重点项目 完成投资…), benefit rules and levels of assistance (低保标准提高到420元/月),
and counts of what is funded.
"""

from __future__ import annotations

import pytest

from luoshi.textplan import parse_text

CASES = """
一、重点任务	新建和改扩建幼儿园、中小学20所,新增学位1.4万个。	20所:target 14000个:target	# http://gansu.gscn.com.cn/system/2019/02/23/012118909.shtml
一、重点任务	完成农村改炕2万个、改灶2000个、改厕6万户,新建和改扩建乡村公厕450座、农村粪污处理设施50个,配套抽运车辆300辆。	20000个:target 2000个:target 60000户:target 450座:target 50个:target 300辆:target	# http://gansu.gscn.com.cn/system/2019/02/23/012118909.shtml
一、目标任务	经常参加体育锻炼人数比例达到42%以上,国民体质合格率达到92%以上,人均体育场地面积达到2.6平方米以上,每千人拥有社会体育指导员2.3名,带动体育产业增加值达到3000亿元。	42%:target 92%:target 2.6平方米:target 2.3名:target 300000000000元:target	# http://emulous.cn/news/hydtxq/1251
一、目标任务	到2025年,成都经常参加体育锻炼人数比例将达到50%以上,城乡居民达到《国民体质测定标准》合格以上的人数比例超过94%;每千人拥有社会体育指导员3.25名。	50%:target 94%:target 3.25名:target	# http://kfdqsb.com/html/3285.html
一、2018年民生实事项目落实情况	全年新(改)扩建幼儿园48所,超额完成40所的年度目标任务;增加入学名额1.25万个,超额完成1万个的年度目标任务。	48所:actual 12500个:actual	# http://daily.cnnb.com.cn/nbwb/html/2019-01/12/content_1145950.htm?div=-1
一、项目完成情况	总投资278万元,完成萃文小学迁建,全长600米,路面从原先的3.5米拓宽至6米,现已建成使用。	2780000元:actual 600米:actual 6米:actual	# https://m.bidcenter.com.cn/newsrili-1-158480178.html
一、工作成效及亮点	今年我局已完成市福利院改造等项目固定资产投资5520万元,完成市政府下达全年任务的184%。今年以来已争取上级项目资金635万元。	55200000元:actual 184%:actual 6350000元:actual	# http://6dgww.com/Article/4279264.html
一、过去一年项目建设成效	33个县重点项目 完成投资42.36亿元。	4236000000元:actual	# http://www.guangningzx.com/gnxs/13865.html
一、项目进展情况	截至9月底新城26个市重点在建项目共完成投资额33.35亿元,完成年度计划102.2%。	3335000000元:actual 102.2%:actual	# http://xcgwh.zhoushan.gov.cn/art/2017/11/15/art_1544614_21766481.html
一、为民办实事项目	继续补助全市158家“空白村”卫生所。	158家:target	# http://fj.sina.com.cn/news/b/2021-01-13/detail-ikftpnnx6383978.shtml
二、主要内容和要求	《分工方案》将《政府工作报告》分解为五个方面79项重点工作任务,每项工作均列出牵头单位、配合单位及完成时限。		# http://www.elht.gov.cn/mobile/c/2024-04-02/97683.shtml
二、主要内容和要求	在“聚焦深化对外开放,着力打造国家向北开放重要桥头堡”方面(分解任务15项)。		# http://www.elht.gov.cn/mobile/c/2024-04-02/97683.shtml
一、民生实事项目	一是城市配套提升类,包括城市靓化工程、“口袋公园”建设、增加停车位供给、治理交通堵点等6个项目。		# http://ckzpt.com/zjg/zjgmsssxm2022/msssxmzt2022.shtml
二、行动任务	根据市民不同的出行需求,将全市公交线路分成直达快线、快速公交、常规公交及微循环公交等4个层次公交线网。		# http://www.njsjsq.cn/news.asp?ArticleID=1443&ClassID=5
一、重点任务	市民政局和财政局已联合发文,将困难残疾人生活补贴从每人每月285元提高到每人每月295元。		# https://news.fznews.com.cn/fzxw/20230705/Tuh09824uj.shtml
一、规划编制工作情况回顾	因在绿色食品加工产业布局、区域水资源配置、煤炭产业布局等6个方面存在异议,双方一直未达成共识。		# http://www.hh.gov.cn/zmhd/jytabljg/2023njytabldf/2023zxtabldf/202311/t20231115_665413.html
一、为民办实事	严打危害食品安全违法犯罪活动,持续深化“打四黑除四害”工作,全省破获不少于400起食品犯罪案件。	400起:target	# https://cttsys.com/a/news/5546.html
一、为民办实事考核指标完成情况	新建农村沼气池131661口,为任务的109.7%;建设农村清洁工程示范村103个,为任务的103%。	131661口:actual 109.7%:actual 103个:actual 103%:actual	# http://fsou.com/html/text/lar/173645/17364524_1.html
一、项目进展情况	截至6月底,完成城市社区全民健身场地部分设施器材招投标工作,全省开展全民健身活动800多场次、50多万人次。	800场次:actual 500000人次:actual	# http://3g.china.com/act/news/10000159/20170814/31088213.html
二、工作重点	完成天心区社会福利中心装修设计,新建3家日间照顾中心,新增养老床位420张。	3家:target 420张:target	# https://m.zixin.com.cn/doc/4290504.html
一、市政府民生实事	投入1518万元,继续完善提升城乡10分钟健身圈和15分钟健身圈功能,分批分期对全市老旧健身设施进行更新。	15180000元:target 10分钟:target 15分钟:target	# https://nanmuxuan.com/zh-sg/complex/bwvyunulcju.html
一、主要目标	到2025年,建成“15分钟公共服务圈”,办好一批事关群众利益的民生实事。		# https://www.ruian.gov.cn/art/2023/12/8/art_1229768150_59008834.html
一、民生实事项目	开展托苗计划为困境孤独症等儿童提供不低于30天的托养照护,走访慰问全市不低于120名困境儿童,建设5个省级初中标准化心理辅导室。	120名:target 5个:target	# https://reportify.cn/tags/concept?page=2&tagValue=%E6%B0%91%E7%94%9F%E5%AE%9E%E4%BA%8B%E9%A1%B9%E7%9B%AE
一、社会保障工程目标任务	城乡居民养老保险参保覆盖率达到90%;城镇职工养老保险参保人数达到450万人。	90%:target 4500000人:target	# http://bbs.chinahrd.net/article-12518-1.html
二、工作重点	努力实现社保业务多平台申报和网上办理,创立1-2个退休人员社会化管理市级以上示范点。	1-2个:target	# https://m.zixin.com.cn/doc/4290504.html
一、2024年国民经济和社会发展计划执行情况	深入实施项目带动战略,5个省重点项目、30个省大中型项目、61个市重点项目分别完成投资29.97亿元、76.88亿元、83.55亿元,分别占年度计划111.08%、110.78%、112.24%。	2997000000元:actual 7688000000元:actual 8355000000元:actual 111.08%:actual 110.78%:actual 112.24%:actual	# http://www.7dudy.com/art/2025/4/15/art_9241_4295583.html
一、促进就业	促进重点群体稳定就业,新增城镇就业4.3万人,省级三公里充分就业社区数量达到城市社区的60%。	43000人:target 60%:target	# https://www.xuancheng.gov.cn/OpennessContent/show/3217501.html
一、民生实事实施情况	前三季度共实现城镇新增就业21.89万人,完成全年23万人目标任务的95.17%;新增吸纳大学生就业创业69841人,完成全年目标任务的99.77%。	218900人:actual 95.17%:actual 69841人:actual 99.77%:actual	# http://m.blue-maple.cn/cdxw/2021-11-02/157793.html
一、民生实事实施情况	全市新建、改扩建中小学、幼儿园项目80个均已开工,开工率达100%,已完工66所,完工率达82.5%,新增学位8.8万个。	80个:actual 100%:actual 66所:actual 82.5%:actual 88000个:actual	# http://m.blue-maple.cn/cdxw/2021-11-02/157793.html
二、为民办实事	从2017年起,将农村居民最低生活保障省定最低标准由家庭年人均收入2650元提高到3000元,财政补差水平按省定最低标准的80%确定。		# https://cttsys.com/a/news/5546.html
二、为民办实事	新型合作医疗最低筹资标准提高到每人每年230元。落实年人均20元基本公共卫生服务补助经费。		# http://www.xtuga.cn/thread-786013-1-1.htm
一、社会保障类	符合条件的城乡老年无保障居民基础养老金发放实现全覆盖;全市农村最低生活保障标准提高到420元/月。		# https://wanglu.net/thread/t12-185573-3.html
三、医疗卫生类	新农合人均筹资标准增至600元,其中政府补助提高至480元,住院补偿最高支付限额增至20万元;人均基本公共卫生服务经费提高至50元。		# https://wanglu.net/thread/t12-185573-3.html
一、社会保障工程目标任务	同一区(市)县非建成区(农村)低保标准达到建成区(城市)低保标准的75%。		# http://bbs.chinahrd.net/article-12518-1.html
一、其他指标任务完成情况	引进世界500强、中国500强、上市公司或行业龙头企业投资项目不少于3个;投资10亿元以上项目10个、亿元以上项目100个;新开工亿元以上产业项目100个。上半年,引进世界500强企业投资项目3个;引进中国500强企业投资项目1个;引进亿元及以上项目107个,10亿元以上项目25个;新开工亿元及以上产业项目80个。	3个:target 10个:target 100个:target 100个:target 3个:actual 1个:actual 107个:actual 25个:actual 80个:actual	# http://xianning.gov.cn/xxgk/xxgkml/qtzdgknr/zwdc/202201/t20220110_2498525.shtml
一、主要预期目标完成情况	城镇新增就业1000万人以上。这项工作由人力资源社会保障部负责,去年全国城镇新增就业1314万人,完成目标任务的131.4%。	10000000人:target 13140000人:actual 131.4%:actual	# http://jxqcjlb.com/lianghui/news/2017-03/02/content_40390272.htm
一、2016年落实情况	单位国内生产总值能耗下降3.4%以上。这项工作由发展改革委负责,去年单位国内生产总值能耗下降5%。	3.4%:target 5%:actual	# http://jxqcjlb.com/lianghui/news/2017-03/02/content_40390272.htm
一、基本情况	全县现有公办中小学校349所。		# http://xue40887495.cn.zhsho.com
一、社区情况	全镇辖20个行政村1个居委会,总人口28866人。		# https://m.wenke99.com/p-13478859.html
一、基本情况	全县辖25个乡(镇、街道),总人口93.47万人。		# https://www.jinchutou.com/shtml/23f034465e30f3ced3a5cadca47127b5.html
一、工作情况	据了解,澜湖社区现有居民13936人,已实现就业人数3239人。	3239人:actual	# http://ezhou.cjyun.org/p/35965.html
一、医疗基本情况	注册护士3576人,现有开放床位5545张。	3576人:actual	# http://www.gzzhijin.gov.cn/zjzj/zjgk/shsy/
"""


def targets_of(heading: str, sentence: str) -> list[str]:
    plan = parse_text(f"{heading}\n（一）工作。{sentence}")
    out = []
    for t in plan.items[0].children[0].targets:
        value = f"{_n(t.low)}-{_n(t.high)}" if t.low is not None else _n(t.value)
        out.append(f"{value}{t.unit}:{t.kind}")
    return out


def _n(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


def _rows(block: str) -> list[tuple[str, str, list[str]]]:
    rows = []
    for line in block.strip("\n").splitlines():
        heading, sentence, expected, _source = line.split("\t")
        rows.append((heading, sentence, expected.split()))
    return rows


@pytest.mark.parametrize(("heading", "sentence", "expected"), _rows(CASES))
def test_real_sentences_give_their_targets(heading: str, sentence: str, expected: list[str]) -> None:
    assert targets_of(heading, sentence) == expected


def test_a_reply_letter_counts_a_figure_only_when_its_clause_says_promised_or_done() -> None:
    # the shape of a reply to a proposal: the figures narrate the case
    text = (
        "关于对市政协第21号提案的答复\n现答复如下：\n一、关于污水处理厂建设问题。\n"
        "项目原估算总投资5亿元，后增加的3.5亿元资金尚未落实。目前已建成管网12公里，力争年内新建泵站2座。"
    )
    (item,) = parse_text(text).items
    assert [(t.value, t.unit, t.kind) for t in item.targets] == [(12, "公里", "actual"), (2, "座", "target")]


@pytest.mark.parametrize(
    ("sentence", "metric"),
    [
        # http://www.huizhicikeji.com/xw/yaowen/2024/0129/280899.shtml
        ("101家开放场馆(含2022年60家已开放场馆)积极策划各类主题活动。", "含2022年"),
        # https://news.qq.com/rain/a/20241230A06MRR00
        ("已完成新(改)建城市公园71个,认定乡村(社区)博物馆30家。", "已完成新(改)建城市公园"),
    ],
)
def test_a_metric_never_ends_inside_an_open_bracket(sentence: str, metric: str) -> None:
    plan = parse_text(f"一、实施情况\n（一）工作。{sentence}")
    metrics = [t.metric for t in plan.items[0].children[0].targets]
    assert metric in metrics
    for m in metrics:
        assert m.count("(") == m.count(")") and m.count("（") == m.count("）")
