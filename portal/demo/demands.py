"""A dozen technology demands (技术需求) of the demo firms, written the way firms describe what they need: the
product, the pain, the target, rarely an IPC code. Most are published by a broker of the firm's centre (the
provincial centre's where its own has none), one waits in the moderation queue, one was returned with a reason and
one is still a draft, so every page of the demands has something to show on first run.

Deterministic and idempotent: a demand is known by its organisation and title; one that exists is left as it is.
Deadlines count from the day of seeding, so the demo's demands are open whenever it is seeded.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demands.models import Demand, DemandStatus
from demands.services import demand_create, demand_set_status
from marketplace.centres.models import CentreStaff
from marketplace.organisations.models import Organisation

WAN = 1_000_000  # fen in 1 万元
PROVINCE_BROKER = "broker.province@demo.ipx.cn"
# Demands of this firm are written by its demo people (buyer@demo.ipx.cn), the rest recorded by the platform.
FIRM_WITH_PEOPLE = "杭州数衡智能科技有限公司"
FIRM_AUTHOR = "buyer@demo.ipx.cn"


@dataclass(frozen=True)
class DemoDemand:
    organisation: str
    title: str
    description: str
    field: str
    deal_kinds: tuple[str, ...]
    days_open: int
    budget_wan: tuple[int | None, int | None] = (None, None)
    ipc_codes: str = ""
    contact_policy: str = "open"
    title_en: str = ""
    summary_en: str = ""
    # published (the default), submitted, returned (with this note) or draft
    state: str = "published"
    note: str = ""


DEMO_DEMANDS: tuple[DemoDemand, ...] = (
    DemoDemand(
        "杭州数衡智能科技有限公司",
        "工业质检视觉算法：小样本缺陷识别",
        "我们给汽车零部件厂做视觉质检设备，新产线的缺陷样本很少（每类不到50张），现有模型漏检率在3%左右，客户要求降到0.5%以下。"
        "希望找到小样本或无监督的缺陷检测技术，能在产线工控机上实时运行（单张图片100毫秒以内）。",
        "G",
        ("licence", "joint_development"),
        120,
        (50, 200),
        "G06T 7/00; G06V",
        title_en="Few-shot defect detection for industrial visual inspection",
        summary_en="We build visual inspection machines for car-part plants. New lines give us fewer than 50 defect "
        "images per class and our models miss about 3 % of defects; customers want under 0.5 %, in real time on an "
        "industrial PC (under 100 ms per image).",
    ),
    DemoDemand(
        "杭州数衡智能科技有限公司",
        "设备振动数据的故障预测方法",
        "工厂风机、水泵的振动传感器数据我们已经采集了两年，但只能做超限报警。想要能提前一到两周预测轴承故障的方法，"
        "误报要少，最好能解释是哪个部件出问题。",
        "G",
        ("licence",),
        90,
        (30, 80),
        state="submitted",
    ),
    DemoDemand(
        "杭州钱塘生物医药有限公司",
        "口服多肽药物的肠道吸收促进技术",
        "公司有两个多肽候选药物，口服生物利用度不到1%，只能注射给药。寻找能把口服生物利用度提高到5%以上的递送技术"
        "（渗透促进剂、纳米载体等均可），需要有动物实验数据。",
        "A",
        ("licence", "transfer"),
        180,
        (300, 1500),
        "A61K 9/; A61K 47/",
        contact_policy="broker",
        title_en="Oral delivery of peptide drugs",
        summary_en="Two peptide candidates of ours reach under 1 % oral bioavailability. We seek a delivery "
        "technology with animal data showing 5 % or more.",
    ),
    DemoDemand(
        "宁波甬新材料科技有限公司",
        "高镍正极材料包覆改性量产技术",
        "我司生产锂电池正极材料，高镍产品在高温循环时容量衰减快，下游电芯厂要求45℃下循环1000次容量保持率不低于85%。"
        "需要可以在现有烧结产线上放大的包覆或掺杂工艺。",
        "H",
        ("licence", "transfer", "joint_development"),
        150,
        (200, 800),
        "H01M 4/",
        title_en="Scalable coating for high-nickel cathode materials",
        summary_en="Our high-nickel cathodes lose capacity fast in hot cycling; cell makers want 85 % after 1,000 "
        "cycles at 45 °C, with a process our sintering lines can scale.",
    ),
    DemoDemand(
        "宁波北仑精密模具有限公司",
        "大型压铸模具的寿命提升",
        "一体化压铸模具价格高，但现在用到三万模次左右就开裂。希望有模具钢表面处理或冷却结构设计方面的技术，"
        "把寿命提高到八万模次以上。",
        "B",
        ("licence", "joint_development"),
        100,
        (80, 300),
    ),
    DemoDemand(
        "温州瓯江电气股份有限公司",
        "低压断路器的电弧快速熄灭结构",
        "我们的塑壳断路器分断短路电流时燃弧时间偏长，触头烧蚀严重。寻找新的灭弧室结构或材料，"
        "目标是分断能力从50kA提高到65kA，体积不变。",
        "H",
        ("licence", "transfer"),
        90,
        (50, 150),
        "H01H",
    ),
    DemoDemand(
        "乐清智联低压电器有限公司",
        "配电箱的无线测温与故障定位",
        "老旧小区配电箱经常因为接头发热起火。想在现有配电箱里加装低成本的无线测温模块，电池寿命五年以上，"
        "异常时能定位到具体回路。",
        "G",
        ("licence",),
        60,
        (None, 60),
        state="returned",
        note="请补充：现有配电箱的型号和安装空间、每个模块可接受的成本，便于技术方判断。",
    ),
    DemoDemand(
        "嘉兴南湖光电科技有限公司",
        "Micro LED 巨量转移良率提升",
        "我们在做Micro LED显示模组，巨量转移的良率目前是99.9%，离量产要求的99.999%还差很多。寻找转移工艺或修复技术，"
        "可以合作开发，也可以买断专利。",
        "H",
        ("transfer", "joint_development", "equity"),
        200,
        (500, 3000),
        "H01L 33/",
        contact_policy="broker",
        title_en="Higher yield in Micro LED mass transfer",
        summary_en="Our Micro LED mass transfer yields 99.9 %; production needs 99.999 %. We seek a transfer or "
        "repair process, by joint development or by buying the patents.",
    ),
    DemoDemand(
        "湖州太湖绿能科技有限公司",
        "分布式光伏组件的清洁机器人",
        "厂房屋顶光伏板积灰后发电量下降10%以上，人工清洗成本高、有安全风险。需要无水或少水的清洁机器人技术，"
        "能跨越组件之间的缝隙，适合彩钢瓦屋顶。",
        "B",
        ("licence", "joint_development"),
        120,
        (40, 120),
    ),
    DemoDemand(
        "绍兴越州纺织科技有限公司",
        "印染废水的低成本脱色处理",
        "印染车间废水色度高，现在用的芬顿工艺药剂成本高、污泥多。寻找吨水处理成本低于3元、出水色度达到排放标准的脱色技术，"
        "最好能回用一部分水。",
        "C",
        ("licence", "transfer"),
        150,
        (100, 400),
        "C02F",
        title_en="Low-cost decolourisation of dyeing wastewater",
        summary_en="Our Fenton treatment of dyeing wastewater is costly and makes much sludge. We need a process "
        "under 3 yuan per tonne that meets the discharge standard, ideally with some water reuse.",
    ),
    DemoDemand(
        "金华婺城新能源汽车部件有限公司",
        "电机控制器的碳化硅功率模块散热",
        "我们为新能源汽车配套电机控制器，换用碳化硅模块后功率密度上去了，但散热跟不上，结温经常超过150℃。"
        "寻找双面散热封装或新型散热器技术。",
        "H",
        ("licence", "joint_development"),
        110,
        (150, 500),
        "H01L 23/",
    ),
    DemoDemand(
        "台州椒江医药化工有限公司",
        "原料药合成中的连续流工艺",
        "公司一个原料药中间体目前是间歇釜式生产，有一步硝化反应安全风险大。希望用连续流微反应技术替代，"
        "收率不低于现有的82%，需要能通过GMP验证。",
        "C",
        ("licence", "transfer", "joint_development"),
        160,
        (200, 600),
        "C07B; B01J 19/",
        contact_policy="broker",
    ),
    DemoDemand(
        "台州黄岩模塑科技有限公司",
        "汽车内饰件的免喷涂材料",
        "汽车内饰件现在注塑后还要喷漆，VOC排放和成本都高。想要免喷涂的改性塑料配方，外观要达到高光、无流痕，"
        "耐刮擦性能符合主机厂标准。",
        "C",
        ("licence", "transfer"),
        130,
        (60, 200),
        state="draft",
    ),
)


@dataclass(frozen=True)
class DemandSeedResult:
    planned: int
    created: int


def _broker_for(organisation: Organisation, fallback):
    staff = CentreStaff.objects.filter(centre=organisation.centre).select_related("user").order_by("id").first()
    return staff.user if staff is not None else fallback


def _fields(demo: DemoDemand) -> dict:
    low, high = demo.budget_wan
    return {
        "title": demo.title,
        "description": demo.description,
        "title_en": demo.title_en,
        "summary_en": demo.summary_en,
        "field": demo.field,
        "ipc_codes": demo.ipc_codes,
        "deal_kinds": list(demo.deal_kinds),
        "budget_min_fen": None if low is None else low * WAN,
        "budget_max_fen": None if high is None else high * WAN,
        "deadline": timezone.localdate() + timedelta(days=demo.days_open),
        "contact_policy": demo.contact_policy,
    }


@transaction.atomic
def seed_demands() -> DemandSeedResult:
    """The demo demands, through the demands' own services (draft, submit, publish or return), as on the site."""
    user_model = get_user_model()
    province_broker = user_model.objects.get(email=PROVINCE_BROKER)
    author = user_model.objects.filter(email=FIRM_AUTHOR).first()
    created = 0
    for demo in DEMO_DEMANDS:
        organisation = Organisation.objects.select_related("centre").get(name=demo.organisation)
        if Demand.objects.filter(organisation=organisation, title=demo.title).exists():
            continue
        actor = author if demo.organisation == FIRM_WITH_PEOPLE else None
        fields = _fields(demo)
        demand = demand_create(actor=actor, organisation=organisation, city=organisation.city, **fields)
        created += 1
        if demo.state == "draft":
            continue
        demand = demand_set_status(demand=demand, to_status=DemandStatus.SUBMITTED, actor=actor)
        broker = _broker_for(organisation, province_broker)
        if demo.state == "published":
            demand_set_status(demand=demand, to_status=DemandStatus.PUBLISHED, actor=broker)
        elif demo.state == "returned":
            demand_set_status(demand=demand, to_status=DemandStatus.DRAFT, actor=broker, note=demo.note)
    return DemandSeedResult(planned=len(DEMO_DEMANDS), created=created)
