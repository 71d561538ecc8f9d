"""Demo 跨城通办 list: sixty service items of the kinds 成德眉资 made handleable across its cities,
each opened in one city between 2016 and 2020 and in the others some months later (or not at all).

The items are real kinds of service; which cities and since when are sample data (示例数据), made by
a seeded generator so every run gives the same list, and said so in each item's note. The list
feeds the indicators 跨城通办事项 (each city) and 都市圈跨城通办事项 (the area) as an office's list
would; the demo makes both first, labelled sample data like its other indicators.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from luoshi.indicators import crosscity
from luoshi.indicators.core.catalogue import IndicatorSpec
from luoshi.indicators.core.crosscity import ItemSpec
from luoshi.indicators.services import apply_catalogue

SAMPLE = "示例数据"
NOTE = "示例数据：可办城市和开通日期随机生成，仅供演示"
SEED = 20200601
CITIES = ("成都市", "德阳市", "眉山市", "资阳市")
AREA = "体制机制改革"  # the demo's keyword for reforms
# (事项名称, 主管部门, 类别)
ITEMS = (
    ("社会保障卡申领", "人力资源社会保障局", "社会保障"),
    ("社会保障卡挂失与补换", "人力资源社会保障局", "社会保障"),
    ("企业职工基本养老保险关系转移接续", "人力资源社会保障局", "社会保障"),
    ("城乡居民基本养老保险关系转移接续", "人力资源社会保障局", "社会保障"),
    ("养老保险待遇资格认证", "人力资源社会保障局", "社会保障"),
    ("失业保险金申领", "人力资源社会保障局", "社会保障"),
    ("工伤保险待遇申请", "人力资源社会保障局", "社会保障"),
    ("个人参保证明查询打印", "人力资源社会保障局", "社会保障"),
    ("就业创业证申领", "人力资源社会保障局", "就业"),
    ("职业资格证书查询", "人力资源社会保障局", "就业"),
    ("高校毕业生就业报到", "人力资源社会保障局", "就业"),
    ("基本医疗保险关系转移接续", "医疗保障局", "医疗保障"),
    ("异地就医备案", "医疗保障局", "医疗保障"),
    ("医保参保信息查询", "医疗保障局", "医疗保障"),
    ("门诊慢特病待遇认定", "医疗保障局", "医疗保障"),
    ("生育保险待遇申领", "医疗保障局", "医疗保障"),
    ("住房公积金异地转移接续", "住房公积金管理中心", "住房"),
    ("住房公积金缴存证明", "住房公积金管理中心", "住房"),
    ("住房公积金异地贷款缴存使用证明", "住房公积金管理中心", "住房"),
    ("提前还清住房公积金贷款", "住房公积金管理中心", "住房"),
    ("不动产登记资料查询", "自然资源和规划局", "住房"),
    ("户口迁移", "公安局", "户籍"),
    ("居民身份证换领补领", "公安局", "户籍"),
    ("临时居民身份证申领", "公安局", "户籍"),
    ("居住证申领", "公安局", "户籍"),
    ("无犯罪记录证明开具", "公安局", "户籍"),
    ("机动车驾驶证补换领", "公安局", "交通出行"),
    ("机动车检验标志核发", "公安局", "交通出行"),
    ("交通违法处理", "公安局", "交通出行"),
    ("道路运输从业人员资格证补证换证", "交通运输局", "交通出行"),
    ("出租汽车驾驶员从业资格注册", "交通运输局", "交通出行"),
    ("企业设立登记", "市场监督管理局", "市场准入"),
    ("企业变更登记", "市场监督管理局", "市场准入"),
    ("企业注销登记", "市场监督管理局", "市场准入"),
    ("个体工商户登记", "市场监督管理局", "市场准入"),
    ("营业执照补领换领", "市场监督管理局", "市场准入"),
    ("食品经营许可", "市场监督管理局", "市场准入"),
    ("药品零售企业许可", "市场监督管理局", "市场准入"),
    ("特种设备作业人员资格认定", "市场监督管理局", "市场准入"),
    ("纳税人跨区域涉税事项报告", "税务局", "税务"),
    ("增值税发票领用", "税务局", "税务"),
    ("完税证明开具", "税务局", "税务"),
    ("个人所得税纳税记录开具", "税务局", "税务"),
    ("医师执业注册", "卫生健康委员会", "卫生健康"),
    ("护士执业注册", "卫生健康委员会", "卫生健康"),
    ("出生医学证明补发", "卫生健康委员会", "卫生健康"),
    ("生育登记", "卫生健康委员会", "卫生健康"),
    ("教师资格认定", "教育局", "教育"),
    ("学历证明查询", "教育局", "教育"),
    ("随迁子女入学申请", "教育局", "教育"),
    ("残疾人证新办与换领", "残疾人联合会", "民政"),
    ("最低生活保障申请", "民政局", "民政"),
    ("婚姻登记记录证明", "民政局", "民政"),
    ("高龄津贴申领", "民政局", "民政"),
    ("退役军人优待证申领", "退役军人事务局", "民政"),
    ("建筑业企业资质证书变更", "住房和城乡建设局", "工程建设"),
    ("建筑施工特种作业人员资格证书补办", "住房和城乡建设局", "工程建设"),
    ("公证服务", "司法局", "法律服务"),
    ("法律援助申请", "司法局", "法律服务"),
    ("律师执业证书补办", "司法局", "法律服务"),
)


def items(rng: np.random.Generator | None = None) -> list[ItemSpec]:
    """The sample list: each item opens in one city (成都 most often) on a day of 2016–2020 and in
    each other city 1–18 months later, or in one city out of six never."""
    rng = rng or np.random.default_rng(SEED)
    start, days = dt.date(2016, 1, 1), (dt.date(2020, 12, 31) - dt.date(2016, 1, 1)).days
    out = []
    for i, (name, department, category) in enumerate(ITEMS):
        # Earlier items first, so the counts grow over the five years as the original series did.
        first = start + dt.timedelta(days=int(days * (i / len(ITEMS)) ** 1.3 + rng.integers(0, 60)))
        leader = CITIES[0] if rng.random() < 0.7 else CITIES[int(rng.integers(1, len(CITIES)))]
        cities = [(leader, min(first, dt.date(2020, 12, 31)))]
        for city in CITIES:
            if city == leader or rng.random() < 1 / 6:
                continue
            later = first + dt.timedelta(days=int(rng.integers(30, 540)))
            cities.append((city, later))
        order = {c: n for n, c in enumerate(CITIES)}
        cities.sort(key=lambda c: order[c[0]])
        out.append(ItemSpec(name, f"市{department}", category, NOTE, tuple(cities)))
    return out


def build(office) -> int:
    """Add the sample list (its two indicators first, labelled sample data); the items added."""
    definition = "可在该地办理的跨城通办事项数（示例数据，按示例事项清单统计）"
    apply_catalogue(
        [
            IndicatorSpec(crosscity.CITY_INDICATOR, "项", "up", AREA, definition, SAMPLE, "quarter", "city"),
            IndicatorSpec(crosscity.AREA_INDICATOR, "项", "up", AREA, definition, SAMPLE, "quarter", "area"),
        ]
    )
    return crosscity.apply_items(items(), by=office).created
