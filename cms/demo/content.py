"""Demo content of the public site, written for the demo.

The articles summarise, in our own words, the Zhejiang IP development plan 2016–2020 (the seed document) and a
few national and city policies. They are marked as demo summaries; their document numbers contain 演示 ("demo")
and the two city policies are invented examples. Nothing here is an official text.
"""

import datetime
from dataclasses import dataclass, field

DEMO_NOTICE = (
    "<p><b>演示内容：</b>本文是平台演示用的摘要，由平台编辑用自己的话概括整理，文号为演示编号，"
    "不是官方文件原文；政策以发布机关的正式文本为准。</p>"
)


@dataclass(frozen=True)
class DemoArticle:
    slug: str
    title: str
    level: str
    category: str
    authority: str
    document_number: str
    publish_date: datetime.date
    summary: str
    paragraphs: tuple[str, ...]
    tags: tuple[str, ...] = field(default_factory=tuple)
    effective_date: datetime.date | None = None


ARTICLES = (
    DemoArticle(
        slug="plan-2016-2020-targets",
        title="规划解读：浙江省知识产权“十三五”发展目标一览",
        level="provincial",
        category="planning",
        authority="浙江省知识产权局",
        document_number="浙知发〔2016〕演示01号",
        publish_date=datetime.date(2016, 12, 20),
        effective_date=datetime.date(2016, 12, 20),
        summary=(
            "【演示摘要】规划为2016—2020年定下创造、运用、保护、管理和服务五方面目标，其中技术市场成交额220亿元、"
            "知识产权许可使用金额5亿元、质押贷款额150亿元，是与本平台直接相关的运用指标。"
        ),
        paragraphs=(
            "规划从“十二五”的基础出发：全省专利申请量、万人发明专利拥有量等主要指标已居全国前列，"
            "但侵权易发、服务业不发达、专业人才储备不足仍是短板。",
            "创造方面，规划提出到2020年发明专利年授权量约4万件、每万人发明专利拥有量17件、PCT国际专利年申请量1600件。",
            "运用方面，规划要求知识产权的市场价值充分显现：技术市场成交额达到220亿元，知识产权许可使用金额达到5亿元，"
            "知识产权质押贷款额达到150亿元。平台上完成的许可、转让和作价入股交易，正是前两项指标的来源。",
            "保护、管理和服务方面，规划强调完善维权援助、建立综合管理体系、基本建成知识产权基础信息公共服务平台，"
            "知识产权服务业营业收入年均增长15%。",
        ),
        tags=("规划目标", "十三五", "技术市场"),
    ),
    DemoArticle(
        slug="one-plus-x-operation-system",
        title="“1+X”：一个省级交易中心带动多个专业运营中心",
        level="provincial",
        category="operation",
        authority="浙江省知识产权局",
        document_number="浙知发〔2017〕演示02号",
        publish_date=datetime.date(2017, 3, 15),
        summary=(
            "【演示摘要】规划要求重点建设省知识产权交易中心、建立统一的知识产权交易市场，"
            "并到2020年形成“1+X”知识产权运营公共服务体系。"
        ),
        paragraphs=(
            "“1”是省知识产权交易中心：建设统一的交易市场，创新交易机制和交易产品，推动知识产权的有效运用和产业化。",
            "“X”是多元化、多层次的专业运营中心：设区市的交易机构、高校技术转移中心、产业知识产权联盟等，"
            "各自在本地区、本领域组织交易和运营。",
            "规划还鼓励培育专业化运营机构，探索众筹、众包等模式，推动“互联网+知识产权”融合发展。"
            "本平台按这一结构设计：每条挂牌、每笔交易都由一个运营中心承办，统计指标逐级汇总到省中心。",
        ),
        tags=("1+X", "交易中心", "知识产权运营"),
    ),
    DemoArticle(
        slug="universities-licensing-first",
        title="高校和科研院所：以许可为主推动知识产权转移转化",
        level="provincial",
        category="transfer",
        authority="浙江省知识产权局",
        document_number="浙知发〔2017〕演示03号",
        publish_date=datetime.date(2017, 6, 8),
        summary=(
            "【演示摘要】规划鼓励高校和科研院所以许可方式对外扩散知识产权，同时以转让、作价入股等方式加强技术转移，"
            "并探索知识产权资产集中托管。"
        ),
        paragraphs=(
            "规划要求规范高校和科研院所的知识产权管理，推进管理规范贯标，完善股权和分红激励政策，"
            "理顺科技成果转移转化流程。",
            "在转化方式上，规划把许可放在首位：让更多企业通过许可使用高校和院所的专利；"
            "转让和作价入股作为补充，适合需要独占技术或共同创业的情形。",
            "规划还提出建立专业化的技术转移机构和职业化的人才队伍，探索知识产权资产集中托管，"
            "到2020年初步形成政府引导、社会资金参与、企业化运作的知识产权运营模式。",
            "在本平台上，技术转移机构可以为同一项专利选择普通许可、排他许可、独占许可、转让或作价入股等方式挂牌。",
        ),
        tags=("高校", "许可", "转让", "作价入股"),
    ),
    DemoArticle(
        slug="ip-pledge-financing",
        title="知识产权质押融资：到2020年贷款额达到150亿元以上",
        level="provincial",
        category="finance",
        authority="浙江省知识产权局",
        document_number="浙知发〔2018〕演示04号",
        publish_date=datetime.date(2018, 4, 20),
        summary=(
            "【演示摘要】规划提出建立多元化、多层次的知识产权金融服务机制，扩大质押融资规模，推进专利保险，"
            "探索知识产权证券化等资本化新模式。"
        ),
        paragraphs=(
            "规划要求完善知识产权金融扶持政策，把知识产权与投资、信贷、担保、典当、证券、保险等工作结合起来。",
            "质押融资是重点：鼓励金融机构广泛开展专利权、商标权等质押贷款，建设风险防控机制，"
            "目标是到2020年全省知识产权质押融资贷款额达到150亿元以上。",
            "保险方面，推进专利执行保险、侵犯专利权责任保险、质押融资保险等业务；资本化方面，"
            "探索知识产权资产证券化、集合债券和专利许可收益权质押等做法。",
            "本平台目前不办理质押登记；质押融资贷款额指标将在质押登记功能上线后接入。",
        ),
        tags=("质押融资", "专利保险", "知识产权金融"),
    ),
    DemoArticle(
        slug="ip-review-of-transactions",
        title="知识产权评议：技术交易之前先做“体检”",
        level="provincial",
        category="review",
        authority="浙江省知识产权局",
        document_number="浙知发〔2018〕演示05号",
        publish_date=datetime.date(2018, 9, 10),
        summary="【演示摘要】规划要求建立重大科技经济活动知识产权评议制度，并把技术市场交易列入常态化评议的范围。",
        paragraphs=(
            "知识产权评议，是在重大决策或交易之前，分析相关知识产权的状况和风险。规划要求制定评议工作指南，"
            "规范评议范围和程序，到2020年基本建立评议制度。",
            "评议范围包括重大产业规划、重大投资项目、重大科技专项、高层次人才引进、科技成果奖励，也包括技术市场交易；"
            "省里每年选择实施若干评议项目，并在部分市县开展试点。",
            "对一笔技术交易，评议重点看四件事：权属是否清楚、法律状态是否有效、剩余保护期多长、"
            "是否已有独占许可或质押。平台在交易完成前逐项提示这些检查。",
        ),
        tags=("知识产权评议", "技术市场", "交易安全"),
    ),
    DemoArticle(
        slug="patent-navigation-pilots",
        title="专利导航试点：用专利分析服务产业决策",
        level="provincial",
        category="navigation",
        authority="浙江省知识产权局",
        document_number="浙知发〔2019〕演示06号",
        publish_date=datetime.date(2019, 3, 28),
        summary=(
            "【演示摘要】规划要求在新一代信息技术、新能源、新材料、生物医药、高端装备制造等重点产业开展专利导航试点，"
            "并推动产业知识产权联盟建设。"
        ),
        paragraphs=(
            "专利导航，就是用专利数据分析引导产业规划和企业经营：哪些技术已被布局，哪里还有空白，主要竞争者是谁。",
            "规划提出面向高新园区和产业集聚区实施一批产业规划类和企业运营类导航项目，"
            "期内新建2至3家专利导航产业发展实验区。",
            "规划同时鼓励创建省级产业知识产权联盟，择优推荐约10家到国家层面备案。"
            "产业联盟可以作为“X”之一，在平台上集中挂牌成员单位的专利。",
        ),
        tags=("专利导航", "产业联盟", "新材料"),
    ),
    DemoArticle(
        slug="university-rights-reform",
        title="高校院所知识产权使用、处置和收益权改革要点",
        level="provincial",
        category="transfer",
        authority="浙江省知识产权局",
        document_number="浙知发〔2019〕演示07号",
        publish_date=datetime.date(2019, 8, 16),
        summary=(
            "【演示摘要】规划支持高校和科研院所完善知识产权成果的使用、处置和收益权机制，"
            "依法制定转移转化收入分配和股权激励制度。"
        ),
        paragraphs=(
            "改革的目的，是让单位更自主地决定一项专利许可给谁、转让给谁、作价多少，减少层层审批。",
            "规划要求依据有关法律法规，制定知识产权转移转化收入分配和股权激励办法，让发明人分享转化收益。",
            "同时要完善转移转化的协同机制：技术转移机构、发明人团队和科研管理部门分工明确、相互衔接。",
        ),
        tags=("高校", "收益分配", "股权激励"),
    ),
    DemoArticle(
        slug="law-on-promoting-transformation",
        title="解读：促进科技成果转化法中的转化收益与科研人员奖励",
        level="national",
        category="transfer",
        authority="全国人民代表大会常务委员会",
        document_number="演示-国〔2015〕08号",
        publish_date=datetime.date(2015, 8, 29),
        effective_date=datetime.date(2015, 10, 1),
        summary=(
            "【演示摘要】修订后的促进科技成果转化法允许研究开发机构和高等院校自主决定转让、许可或作价投资，"
            "并规定了对完成转化的科研人员的奖励和报酬。"
        ),
        paragraphs=(
            "法律明确，国家设立的研究开发机构和高等院校可以自主决定将其持有的科技成果转让、许可他人使用或者作价投资。",
            "转化所得收入留归单位，主要用于奖励科研人员和支持研发及成果转化工作。",
            "单位没有规定、也没有与科研人员约定奖励方式和数额的，法律给出保底比例：从转让或许可净收入中提取不低于50%；"
            "作价投资的，从形成的股份或出资比例中提取不低于50%。",
            "对平台而言，高校挂牌的许可和转让合同金额是计算奖励的基础，合同登记和到账记录需要完整、可查。",
        ),
        tags=("成果转化", "收益分配", "许可"),
    ),
    DemoArticle(
        slug="patent-law-open-licence",
        title="专利开放许可：明码标价，书面通知并付费即可实施",
        level="national",
        category="operation",
        authority="全国人民代表大会常务委员会",
        document_number="演示-国〔2020〕09号",
        publish_date=datetime.date(2020, 10, 17),
        effective_date=datetime.date(2021, 6, 1),
        summary=(
            "【演示摘要】2021年6月1日起施行的修改后专利法引入开放许可：专利权人声明愿意许可并公布许可使用费标准，"
            "任何单位或个人书面通知并付费即可获得许可。"
        ),
        paragraphs=(
            "专利权人可以自愿向专利行政部门提交书面声明，写明许可使用费的支付方式和标准，经公告后实行开放许可。",
            "有意实施的单位或个人，书面通知专利权人并按公告标准支付许可使用费，即获得实施许可。"
            "开放许可实施期间，专利年费相应给予减免。",
            "开放许可下给予的是普通许可，专利权人不得再就该专利给予独占许可或排他许可。",
            "这与平台“普通许可按标准条款几分钟成交”的做法一致：卖方挂牌时写明标准许可费，买方接受即可签约。",
        ),
        tags=("开放许可", "许可", "专利法"),
    ),
    DemoArticle(
        slug="technology-contract-registration-2026",
        title="技术合同认定登记新办法：技术许可单独成类",
        level="national",
        category="operation",
        authority="科学技术部等部门",
        document_number="演示-国科发〔2026〕10号",
        publish_date=datetime.date(2026, 1, 23),
        summary=(
            "【演示摘要】新的《技术合同认定登记管理办法》取代2000年的规定，按民法典把技术许可与技术转让分列，"
            "登记时同时记录合同成交额和技术交易额。"
        ),
        paragraphs=(
            "技术合同经登记机构认定登记后，才计入技术市场成交额。新办法发布后，取代2000年施行的旧规定。",
            "合同类型与民法典一致：技术开发、技术转让、技术许可、技术咨询、技术服务；技术培训和技术中介参照执行。",
            "登记内容包括登记编号和日期、合同类型、合同成交额和技术交易额（扣除设备、仪器、零部件、原材料等"
            "非技术性费用后的金额）、双方名称和统一社会信用代码、所在地区等。",
            "平台的交易记录按同样的字段保存，经纪人可以据此协助买卖双方办理登记。",
        ),
        tags=("技术合同", "认定登记", "技术市场"),
    ),
    DemoArticle(
        slug="hangzhou-pledge-risk-pool",
        title="杭州：科技型中小企业专利质押融资风险补偿（虚构示例）",
        level="city",
        category="finance",
        authority="杭州市知识产权主管部门（演示）",
        document_number="杭知〔2021〕演示11号",
        publish_date=datetime.date(2021, 5, 12),
        effective_date=datetime.date(2021, 7, 1),
        summary=(
            "【演示摘要】虚构的示例政策：杭州设立专利质押融资风险补偿资金池，"
            "对合作银行向科技型中小企业发放的专利质押贷款损失按比例分担。"
        ),
        paragraphs=(
            "本文是为演示市级政策栏目而虚构的示例，不对应任何真实文件。",
            "合作银行向符合条件的科技型中小企业发放专利质押贷款，发生损失时由风险补偿资金池按约定比例分担，"
            "以降低银行对轻资产企业的放贷顾虑。",
            "企业可以在平台上查看自有专利的法律状态和剩余保护期，准备质押材料；运营中心的经纪人可以协助对接合作银行。",
        ),
        tags=("质押融资", "中小企业", "杭州"),
    ),
    DemoArticle(
        slug="ningbo-new-materials-navigation",
        title="宁波：新材料产业专利导航服务（虚构示例）",
        level="city",
        category="navigation",
        authority="宁波市知识产权主管部门（演示）",
        document_number="甬知〔2022〕演示12号",
        publish_date=datetime.date(2022, 9, 6),
        summary=(
            "【演示摘要】虚构的示例政策：宁波面向新材料产业集群开展专利导航，发布重点技术的专利分析报告，"
            "组织高校院所的专利与企业需求对接。"
        ),
        paragraphs=(
            "本文是为演示市级政策栏目而虚构的示例，不对应任何真实文件。",
            "导航围绕磁性材料、高分子材料、石墨烯等方向，分析国内外专利布局，找出本地企业可以许可引进的技术。",
            "分析发现的可许可专利，由宁波的运营中心在平台上集中挂牌，企业可以直接发起许可洽谈。",
        ),
        tags=("专利导航", "新材料", "宁波"),
    ),
    DemoArticle(
        slug="platform-trial-operation",
        title="浙江知识产权交易平台开始试运行（演示公告）",
        level="",
        category="news",
        authority="浙江省知识产权交易中心",
        document_number="",
        publish_date=datetime.date(2026, 3, 2),
        summary=(
            "【演示摘要】平台进入试运行：高校院所和企业可以在线挂牌专利、检索、议价、签约和支付，"
            "各运营中心的经纪人全程协助。"
        ),
        paragraphs=(
            "试运行期间，平台开放专利挂牌、中英文检索、在线议价、合同签署和支付等功能。",
            "每条挂牌由一个运营中心承办：省中心之外，各设区市交易机构、高校技术转移中心和产业联盟运营中心"
            "都有自己的经纪人。",
            "完成的交易计入技术市场成交额和知识产权许可使用金额等指标，在平台的指标页面按年度、季度和地区公布。",
        ),
        tags=("平台公告", "1+X"),
    ),
)


HOME_HERO = {
    "heading": "让浙江的专利用起来",
    "lead": (
        "高校、科研院所和企业在这里以许可、转让或作价入股的方式挂牌专利；企业检索、议价、签约一站完成，"
        "各运营中心的经纪人全程协助。"
    ),
}

POLICY_INDEX_INTRO = "<p>国家、省、市三级知识产权政策和平台动态。可按层级、类别、年份和标签筛选，也可以用中文检索。</p>"

ABOUT_INTRO = "浙江知识产权交易平台是省知识产权运营公共服务平台的演示版本。"
ABOUT_BODY = (
    ("heading", "我们做什么"),
    (
        "paragraph",
        "<p>平台把高校、科研院所和企业的专利挂到同一个市场上：卖方写清专利号、转化方式和可量化的效益，"
        "买方检索、比较、议价，双方在线签约和支付。</p>",
    ),
    ("heading", "“1+X”运营中心"),
    (
        "paragraph",
        "<p>省知识产权交易中心是“1”，各设区市交易机构、高校技术转移中心和产业联盟运营中心是“X”。"
        "每条挂牌和每笔交易由一个运营中心承办，统计指标逐级汇总。</p>",
    ),
    ("heading", "公开透明"),
    (
        "paragraph",
        "<p>经纪人经过认证，服务费用事先公开，操作留痕可查；交易指标按年度、季度、地区和技术领域公布。</p>",
    ),
)

HELP_INTRO = "第一次使用平台？下面是最常见问题的简要回答。"
HELP_BODY = (
    ("heading", "如何挂牌专利"),
    (
        "paragraph",
        "<p>机构注册并通过认证后，在工作台新建挂牌，填写专利申请号、接受的交易方式（许可、转让、作价入股）和价格，"
        "提交后由运营中心的经纪人审核上架。</p>",
    ),
    ("heading", "如何找到合适的专利"),
    (
        "paragraph",
        "<p>在“专利”页面用中文或英文关键词、专利号或IPC分类号检索，并按技术领域、城市和价格筛选。</p>",
    ),
    ("heading", "如何议价和签约"),
    (
        "paragraph",
        "<p>对挂牌发起咨询后进入洽谈室，买卖双方和经纪人在线商定条款；普通许可可以按标准条款直接成交。</p>",
    ),
    ("heading", "如何付款"),
    ("paragraph", "<p>小额款项可以在线刷卡支付；大额款项通过银行转账，由经纪人核对凭证后登记。</p>"),
)

# The English versions an editor wrote for some of the articles (title, summary); the others are Chinese only, and
# the English site says so.
ARTICLE_ENGLISH: dict[str, tuple[str, str]] = {
    "plan-2016-2020-targets": (
        "The plan explained: Zhejiang's IP targets for 2016–2020",
        "[Demo summary] The plan sets targets for creating, using, protecting, managing and serving IP; technology-"
        "market turnover of ¥2.2 billion, IP licensing revenue of ¥500 million and pledge loans of ¥15 billion are "
        "the use targets this platform reports on.",
    ),
    "one-plus-x-operation-system": (
        "“1+X”: one provincial exchange and many specialised operation centres",
        "[Demo summary] One provincial IP exchange centre leads operation centres for regions and industries, which "
        "bring listings, brokers and buyers to a single market.",
    ),
    "universities-licensing-first": (
        "Universities and institutes: licensing first to put IP to use",
        "[Demo summary] Universities and research institutes are encouraged to license their patents, with transfer "
        "and equity contribution as complements.",
    ),
    "ip-pledge-financing": (
        "IP pledge financing: over ¥15 billion in loans by 2020",
        "[Demo summary] Banks, insurers and guarantors are to lend against patents and trademarks, with loans of at "
        "least ¥15 billion by 2020.",
    ),
    "patent-law-open-licence": (
        "Open patent licences: a published price, written notice and payment are enough to use the patent",
        "[Demo summary] Under the Patent Law's open licence, a patentee publishes the royalty; anyone who notifies "
        "the patentee in writing and pays may implement the patent.",
    ),
    "technology-contract-registration-2026": (
        "New rules for registering technology contracts: licences become a category of their own",
        "[Demo summary] Technology licence contracts are registered as a category of their own, apart from "
        "technology transfer contracts.",
    ),
    "platform-trial-operation": (
        "The Zhejiang IP Exchange platform starts its trial operation (demo notice)",
        "[Demo summary] Listings, search, live negotiation, contracts, payments and the public indicators are open "
        "for trial use.",
    ),
}
