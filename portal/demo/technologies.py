"""Technology fields for the demo patents: real IPC groups, the words Chinese patents of each field use, and
benefits with plausible numbers.

Data only; portal/demo/listings/ combines it. Every IPC code is a real group of the IPC, chosen to match
the topic it is attached to; the first code of a topic becomes the patent's main classification (indexing codes
such as C02F 101/30 are never first). Numbers in step texts are ranges, "{650-850}", drawn when a patent is
generated; the decimals of the lower bound say how many decimals to draw ("{0.5-2.0}").

A topic's kind decides how its titles, abstracts and first claims are phrased:
  material   a substance and how to make it ("一种…的制备方法")     invention; `steps`
  method     a process ("一种…方法")                                  invention; `steps`
  device     an apparatus or structure ("一种…")                    invention or utility model; `parts`
  system     a data-processing method ("基于…的…方法及系统")        invention; `analysis`
  compound, extract, biologic, detection: pharmaceutical inventions; `indications`, `targets`, `claim`
Each topic names the benefits it can claim (so a battery cathode never boasts of a fruit's shelf life), the
industries it serves, and the qualities a title may claim for it (none for most processes: "一种抗病红茶加工方法"
would be nonsense).
Design patents name one of the field's `design_products` and carry no IPC code: designs are classified by the
Locarno classification, not the IPC.
Each topic also has its subject in English (`subject_en`, the name the seller would give it on the English site; a
topic on graphene says "graphene", one on lithium batteries "lithium" and "battery", as English searches ask) and
each field its buyers (`buyers_en`); the words topics share are in English in technologies_en.py.
"""

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True)
class Metric:
    """A benefit in numbers, with the range the technology reaches and the range of what buyers use today."""

    name: str
    unit: str
    low: float
    high: float
    baseline_low: float
    baseline_high: float
    baseline_tech: str
    higher_is_better: bool = True
    decimals: int = 0


@dataclass(frozen=True)
class Analysis:
    """The words of a data-processing claim: acquire data, analyse it with a technique, act on the result."""

    data: str
    techniques: tuple[str, ...]
    operation: str
    result: str
    action: str


@dataclass(frozen=True)
class Topic:
    kind: str
    subject: str
    # The seller's own English name for it: natural technical English, for the listing's English title and summary.
    subject_en: str
    ipc: tuple[str, ...]  # the main classification first
    metrics: tuple[Metric, ...]
    steps: tuple[str, str, str] | tuple[()] = ()  # material, method, extract: preparation, processing, finishing
    parts: tuple[str, ...] = ()  # device: at least three components
    analysis: Analysis | None = None  # system
    # Pharmaceutical kinds: what the medicine is for ("治疗非小细胞肺癌药物"), what it acts on, and its first claim.
    indications: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    claim: str = ""
    uses: tuple[str, ...] = ()  # its application fields: the listing's, and the licence's field of use
    adjectives: tuple[str, ...] = ()  # qualities a title may claim ("一种长循环…"); none for most processes


def material(
    subject: str,
    subject_en: str,
    ipc: tuple[str, ...],
    metrics: tuple[Metric, ...],
    steps: tuple[str, str, str],
    *,
    uses: tuple[str, ...],
    adjectives: tuple[str, ...] = (),
) -> Topic:
    return Topic("material", subject, subject_en, ipc, metrics, steps=steps, uses=uses, adjectives=adjectives)


def method(
    subject: str,
    subject_en: str,
    ipc: tuple[str, ...],
    metrics: tuple[Metric, ...],
    steps: tuple[str, str, str],
    *,
    uses: tuple[str, ...],
    adjectives: tuple[str, ...] = (),
) -> Topic:
    return Topic("method", subject, subject_en, ipc, metrics, steps=steps, uses=uses, adjectives=adjectives)


def device(
    subject: str,
    subject_en: str,
    ipc: tuple[str, ...],
    metrics: tuple[Metric, ...],
    parts: tuple[str, ...],
    *,
    uses: tuple[str, ...],
    adjectives: tuple[str, ...] = (),
) -> Topic:
    return Topic("device", subject, subject_en, ipc, metrics, parts=parts, uses=uses, adjectives=adjectives)


def system(
    subject: str,
    subject_en: str,
    ipc: tuple[str, ...],
    metrics: tuple[Metric, ...],
    analysis: Analysis,
    *,
    uses: tuple[str, ...],
    adjectives: tuple[str, ...] = (),
) -> Topic:
    return Topic("system", subject, subject_en, ipc, metrics, analysis=analysis, uses=uses, adjectives=adjectives)


@dataclass(frozen=True)
class TechnologyField:
    key: str
    name: str  # as the platform shows it: "锂电池/储能"
    domain: str  # "属于{domain}技术领域"
    price_factor: float  # how dear its patents are, relative to an average field
    topics: tuple[Topic, ...]
    buyers: str
    buyers_en: str  # the same buyers in English: "battery material makers, cell manufacturers and ..."
    # Products whose appearance the field's design patents protect, with what each product is used for.
    design_products: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @cached_property
    def device_topics(self) -> tuple[Topic, ...]:
        return tuple(topic for topic in self.topics if topic.kind == "device")


# --- 锂电池/储能 ----------------------------------------------------------------------------------------------
_CELL_ENERGY = Metric("电芯能量密度", "Wh/kg", 290, 350, 230, 255, "NCM523体系电芯")
_NCM_CYCLE = Metric("1C循环1000次容量保持率", "%", 90, 97, 78, 86, "常规三元正极材料")
_TEMP_SPREAD = Metric("电芯最大温差", "℃", 2, 3, 5, 8, "风冷方案", False, 1)

BATTERY = TechnologyField(
    key="battery",
    name="锂电池/储能",
    domain="锂离子电池与电化学储能",
    price_factor=1.5,
    topics=(
        material(
            "高镍三元正极材料",
            "high-nickel ternary cathode material for lithium-ion batteries",
            ("H01M 4/525", "H01M 4/505", "H01M 10/0525"),
            (_CELL_ENERGY, _NCM_CYCLE),
            (
                "将Ni0.9Co0.05Mn0.05(OH)2前驱体与氢氧化锂按锂与过渡金属摩尔比1.0{2-6}:1混合均匀",
                "在氧气气氛中于{700-780}℃煅烧{10-16}h",
                "经水洗、包覆氧化铝后于{300-500}℃二次烧结，得到正极材料",
            ),
            uses=("动力电池", "高端数码电池", "电动工具电池"),
            adjectives=("高压实", "长循环", "高安全", "单晶型"),
        ),
        material(
            "单晶富锂锰基正极材料",
            "single-crystal lithium-rich manganese-based cathode material",
            ("H01M 4/505", "H01M 4/525"),
            (Metric("放电比容量", "mAh/g", 260, 300, 190, 210, "商用三元正极材料"), _NCM_CYCLE),
            (
                "以硫酸锰和硫酸镍为原料，采用共沉淀法制备球形锰基前驱体",
                "将前驱体与碳酸锂混合后于{850-950}℃固相烧结{12-20}h",
                "对产物进行表面尖晶石相包覆，得到单晶富锂锰基正极材料",
            ),
            uses=("动力电池", "高能量密度电池"),
            adjectives=("高容量", "长循环"),
        ),
        material(
            "磷酸锰铁锂（LiMnFePO4）正极材料",
            "lithium manganese iron phosphate (LiMnFePO4) cathode material",
            ("H01M 4/5825", "H01M 4/58", "H01M 10/0525"),
            (
                Metric("材料克容量", "mAh/g", 150, 160, 135, 145, "未改性磷酸锰铁锂"),
                Metric("1C循环2000次容量保持率", "%", 88, 95, 75, 83, "未改性磷酸锰铁锂"),
            ),
            (
                "将锂源、铁源、锰源和磷源按化学计量比在乙醇中湿法球磨{4-8}h",
                "喷雾干燥后在氮气保护下于{650-750}℃烧结{6-10}h",
                "原位包覆碳层，得到碳含量{1.0-3.0}%的磷酸锰铁锂",
            ),
            uses=("动力电池", "储能电站", "电动两轮车"),
            adjectives=("高压实", "长循环", "低成本"),
        ),
        material(
            "硅碳复合负极材料",
            "silicon-carbon composite anode material for lithium-ion batteries",
            ("H01M 4/38", "H01M 4/587", "H01M 4/62"),
            (
                Metric("首次库伦效率", "%", 88, 93, 75, 82, "未预锂化硅氧负极"),
                Metric("可逆比容量", "mAh/g", 1200, 1600, 340, 360, "石墨负极"),
            ),
            (
                "将纳米硅粉与沥青按质量比{10-30}:100分散于四氢呋喃中",
                "喷雾干燥造粒后于{800-1000}℃碳化{2-4}h",
                "通过化学气相沉积包覆厚度{5-20}nm的碳层，得到硅碳复合负极材料",
            ),
            uses=("动力电池", "消费电子电池"),
            adjectives=("高首效", "长循环", "低膨胀"),
        ),
        material(
            "硫化物固态电解质",
            "sulfide solid-state electrolyte for lithium batteries",
            ("H01M 10/0562", "H01M 10/0525"),
            (Metric("室温离子电导率", "mS/cm", 5, 15, 0.1, 1, "氧化物固态电解质", decimals=1),),
            (
                "在氩气手套箱中按化学计量比称取Li2S、P2S5和LiCl",
                "以{300-500}r/min高能球磨{10-30}h",
                "于{450-550}℃热处理{2-8}h，得到硫银锗矿型固态电解质",
            ),
            uses=("全固态电池", "动力电池"),
            adjectives=("高离子电导率", "空气稳定型"),
        ),
        material(
            "复合聚合物固态电解质膜",
            "composite polymer solid electrolyte membrane",
            ("H01M 10/0565", "H01M 10/0525"),
            (Metric("室温离子电导率", "mS/cm", 0.3, 1.2, 0.01, 0.05, "传统PEO基聚合物电解质", decimals=2),),
            (
                "将聚偏氟乙烯-六氟丙烯与锂盐按质量比{2-5}:1溶于N-甲基吡咯烷酮",
                "加入质量分数{5-15}%的快离子导体陶瓷填料并球磨分散",
                "流延成膜后于{60-80}℃真空干燥{12-24}h",
            ),
            uses=("半固态电池", "柔性电池", "动力电池"),
            adjectives=("柔性", "高离子电导率", "超薄"),
        ),
        material(
            "高电压电解液添加剂",
            "high-voltage electrolyte additive for lithium-ion batteries",
            ("H01M 10/0567", "H01M 10/0525"),
            (
                Metric("4.5V高压下500次循环容量保持率", "%", 85, 93, 60, 75, "常规碳酸酯电解液"),
                Metric("60℃存储7天产气量", "mL/Ah", 0.5, 1.5, 3, 6, "常规电解液", False, 1),
            ),
            (
                "以二氟磷酸锂和含硼化合物为原料在碳酸二甲酯中反应{4-8}h",
                "经重结晶提纯，水分控制在{10-20}ppm以下",
                "按质量分数{0.5-2.0}%加入基础电解液中，得到高电压电解液",
            ),
            uses=("动力电池", "消费电子电池"),
            adjectives=("低产气", "成膜型"),
        ),
        material(
            "陶瓷涂覆隔膜",
            "ceramic-coated lithium-ion battery separator",
            ("H01M 50/409", "H01M 50/403"),
            (Metric("130℃热收缩率", "%", 1, 3, 8, 15, "普通PE隔膜", False, 1),),
            (
                "将勃姆石粉体、粘结剂和分散剂按质量比{90-95}:{3-6}:1配制成水性浆料",
                "采用微凹版涂布在PE基膜单面涂覆厚度{2-4}μm的陶瓷层",
                "于{50-70}℃烘干后分切，得到陶瓷涂覆隔膜",
            ),
            uses=("动力电池", "储能电池", "消费电子电池"),
            adjectives=("耐高温", "超薄", "高安全"),
        ),
        material(
            "钠离子电池层状氧化物正极材料",
            "layered oxide cathode material for sodium-ion batteries",
            ("H01M 10/054", "H01M 4/505"),
            (Metric("电芯能量密度", "Wh/kg", 140, 165, 100, 120, "早期钠离子电池"),),
            (
                "将碳酸钠与镍、铁、锰氧化物按化学计量比混合",
                "在空气中于{850-950}℃煅烧{12-15}h",
                "经钛掺杂和表面包覆处理，得到O3型层状氧化物正极材料",
            ),
            uses=("储能电站", "电动两轮车", "低速电动车"),
            adjectives=("高容量", "空气稳定型", "长循环"),
        ),
        method(
            "废旧锂电池正极材料回收",
            "recycling cathode materials from spent lithium-ion batteries",
            ("H01M 10/54", "C22B 7/00", "C22B 26/12"),
            (Metric("锂回收率", "%", 95, 99, 80, 88, "传统火法回收", decimals=1),),
            (
                "将废旧电池放电后拆解、破碎，分选得到正极黑粉",
                "以硫酸和双氧水为浸出剂，在{60-90}℃浸出{1-3}h",
                "浸出液经萃取分离镍钴锰后，以碳酸钠沉淀得到电池级碳酸锂",
            ),
            uses=("电池回收", "再生材料"),
        ),
        system(
            "储能电站能量管理",
            "energy management of energy storage power stations",
            ("H02J 3/32", "H02J 7/00", "G06Q 50/06"),
            (Metric("储能系统综合效率", "%", 88, 92, 82, 85, "常规能量管理策略", decimals=1),),
            Analysis(
                "储能电站的负荷预测曲线与分时电价",
                ("模型预测控制", "深度强化学习", "混合整数线性规划"),
                "进行滚动优化",
                "各储能单元的充放电计划",
                "下发功率指令并动态修正",
            ),
            uses=("储能电站", "工商业储能", "微电网"),
        ),
        system(
            "锂电池健康状态估计",
            "lithium-ion battery state-of-health estimation",
            ("G01R 31/392", "G01R 31/367"),
            (Metric("SOH估计误差", "%", 1, 2.5, 3, 6, "传统安时积分法", False, 1),),
            Analysis(
                "电池单体的电压、电流和温度数据",
                ("长短期记忆网络（LSTM）", "高斯过程回归", "增量容量分析"),
                "提取健康特征并建模",
                "健康状态估计值",
                "对衰减过快的电芯进行预警",
            ),
            uses=("储能电站", "动力电池梯次利用", "电池管理系统"),
        ),
        device(
            "电池模组液冷板",
            "liquid cooling plate for battery modules",
            ("H01M 10/613", "H01M 10/6556", "H01M 10/625"),
            (_TEMP_SPREAD,),
            ("冷板本体", "流道", "进液接头", "出液接头", "导热垫", "扰流肋"),
            uses=("动力电池包", "储能电站"),
            adjectives=("轻量化", "高效", "均温型"),
        ),
        device(
            "储能电池柜",
            "energy storage battery cabinet",
            ("H01M 50/20", "H01M 10/613"),
            (_TEMP_SPREAD, Metric("储能系统度电成本", "元/Wh", 0.35, 0.55, 0.6, 0.8, "现有储能系统", False, 2)),
            ("柜体", "电池插箱", "液冷机组", "消防模块", "汇流排", "泄压阀"),
            uses=("工商业储能", "储能电站", "通信基站备用电源"),
            adjectives=("模块化", "高安全", "户外型"),
        ),
    ),
    buyers="电池材料企业、电芯制造商和储能系统集成商",
    buyers_en="battery material makers, cell manufacturers and energy storage system integrators",
    design_products=(
        ("储能电池柜", ("工商业储能", "储能电站")),
        ("便携式储能电源", ("户外露营", "应急备用电源")),
        ("电池包外壳", ("动力电池包", "电动两轮车")),
    ),
)

# --- 生物医药 ------------------------------------------------------------------------------------------------
_IC50 = Metric("体外抑制活性IC50", "nM", 2, 40, 80, 300, "已上市同靶点药物", False)
_TUMOUR = Metric("小鼠移植瘤抑瘤率", "%", 60, 85, 35, 55, "阳性对照药")

BIOMEDICINE = TechnologyField(
    key="biomedicine",
    name="生物医药",
    domain="生物医药",
    price_factor=2.0,
    topics=(
        Topic(
            "compound",
            "吡唑并嘧啶类化合物",
            "pyrazolopyrimidine compound",
            ("C07D 487/04", "A61K 31/519", "A61P 35/00"),
            (_IC50, _TUMOUR),
            indications=("治疗乳腺癌药物", "治疗非小细胞肺癌药物", "抗肿瘤药物"),
            targets=("CDK4/6", "PI3Kα"),
            claim="一种如式(I)所示的化合物或其药学上可接受的盐，其特征在于，式(I)中，R1选自氢、卤素或C1-C6烷基，"
            "R2选自取代或未取代的芳基或杂芳基。",
            uses=("创新药研发", "抗肿瘤药物"),
        ),
        Topic(
            "compound",
            "含吡啶基的苯并咪唑衍生物",
            "pyridyl-containing benzimidazole derivative",
            ("C07D 401/04", "A61K 31/4439", "A61P 29/00"),
            (
                Metric("大鼠足肿胀抑制率", "%", 50, 70, 30, 40, "阳性对照药"),
                Metric("口服生物利用度", "%", 45, 80, 10, 30, "先导化合物"),
            ),
            indications=("治疗类风湿关节炎药物", "抗炎药物"),
            targets=("JAK1", "TYK2"),
            claim="一种如式(I)所示的苯并咪唑衍生物或其药学上可接受的盐，其特征在于，式(I)中，R1选自氢、甲氧基或"
            "三氟甲基，R2选自取代的吡啶基。",
            uses=("创新药研发", "抗炎药物"),
        ),
        Topic(
            "compound",
            "喹唑啉类EGFR抑制剂",
            "quinazoline EGFR inhibitor",
            ("C07D 403/12", "A61K 31/517", "A61P 35/00"),
            (_IC50, _TUMOUR),
            indications=("治疗非小细胞肺癌药物",),
            targets=("EGFR T790M突变体", "EGFR"),
            claim="一种如式(I)所示的喹唑啉类化合物或其药学上可接受的盐，其特征在于，式(I)中，R1选自丙烯酰胺基，"
            "R2选自卤素取代的苯胺基。",
            uses=("抗肿瘤药物", "创新药研发"),
        ),
        Topic(
            "extract",
            "黄芪多糖提取物",
            "Astragalus polysaccharide extract",
            ("A61K 36/481", "A61P 3/10"),
            (
                Metric("多糖提取得率", "%", 8, 15, 3, 6, "传统水煮醇沉工艺", decimals=1),
                Metric("糖尿病模型小鼠空腹血糖降幅", "%", 30, 45, 10, 20, "未纯化的粗多糖"),
            ),
            steps=(
                "取黄芪饮片粉碎后过{40-80}目筛，以{80-95}℃热水提取{2-3}次",
                "提取液浓缩后加乙醇至含醇量{75-85}%醇沉",
                "经Sevag法脱蛋白、透析和冷冻干燥得到黄芪多糖",
            ),
            indications=("降血糖药物", "治疗2型糖尿病药物"),
            uses=("中药现代化", "保健食品"),
        ),
        Topic(
            "extract",
            "铁皮石斛提取物",
            "Dendrobium officinale extract",
            ("A61K 36/898", "A61P 39/06"),
            (
                Metric("有效成分提取得率", "%", 8, 15, 3, 6, "传统水提工艺", decimals=1),
                Metric("DPPH自由基清除率", "%", 85, 95, 50, 65, "常规水提物"),
            ),
            steps=(
                "取铁皮石斛鲜茎粉碎，以{60-80}%乙醇为溶剂回流提取{2-3}次",
                "提取液经大孔树脂柱吸附，以{30-70}%乙醇洗脱",
                "洗脱液减压浓缩后冷冻干燥得到提取物",
            ),
            indications=("抗氧化药物", "抗氧化保健食品"),
            uses=("保健食品", "功能性化妆品", "中药现代化"),
        ),
        material(
            "利培酮缓释微球",
            "risperidone sustained-release microsphere formulation",
            ("A61K 9/16", "A61K 9/50"),
            (
                Metric("24小时药物突释率", "%", 5, 12, 25, 40, "普通微球制剂", False),
                Metric("有效血药浓度维持时间", "天", 14, 28, 3, 7, "普通注射剂"),
            ),
            (
                "将利培酮与PLGA按质量比1:{3-10}溶于二氯甲烷",
                "采用O/W乳化溶剂挥发法制备微球，搅拌速度{300-800}r/min",
                "经洗涤、冷冻干燥得到粒径{20-80}μm的缓释微球",
            ),
            uses=("长效注射剂", "仿制药改良"),
            adjectives=("长效",),
        ),
        material(
            "肿瘤靶向纳米递药系统",
            "tumour-targeting nanoparticle drug delivery system",
            ("A61K 9/51", "A61P 35/00"),
            (_TUMOUR, Metric("载药量", "%", 15, 25, 5, 10, "传统脂质体")),
            (
                "将紫杉醇与两亲性嵌段共聚物按质量比1:{5-10}溶于有机溶剂",
                "滴加至去离子水中自组装形成胶束，并在表面修饰靶向配体",
                "经透析、冷冻干燥得到粒径{80-150}nm的纳米粒",
            ),
            uses=("抗肿瘤药物", "新型制剂"),
            adjectives=("pH响应型", "长循环"),
        ),
        Topic(
            "biologic",
            "抗PD-L1单克隆抗体",
            "anti-PD-L1 monoclonal antibody",
            ("C07K 16/28", "A61K 39/395", "A61P 35/00"),
            (Metric("结合亲和力KD", "pM", 50, 300, 500, 2000, "已上市同靶点抗体", False), _TUMOUR),
            indications=("肿瘤免疫治疗药物", "治疗非小细胞肺癌药物"),
            targets=("人PD-L1蛋白",),
            claim="一种抗PD-L1单克隆抗体，其特征在于，其重链可变区的氨基酸序列如SEQ ID NO: 1所示，"
            "轻链可变区的氨基酸序列如SEQ ID NO: 2所示。",
            uses=("生物制剂", "肿瘤免疫治疗"),
        ),
        Topic(
            "biologic",
            "间充质干细胞外泌体",
            "mesenchymal stem cell exosomes",
            ("C12N 5/0775", "A61K 35/28"),
            (Metric("第14天创面愈合率", "%", 85, 95, 55, 70, "生理盐水对照组"),),
            indications=("促进创面愈合药物", "治疗糖尿病足溃疡药物"),
            targets=("皮肤成纤维细胞",),
            claim="一种间充质干细胞外泌体的制备方法，其特征在于，包括：分离培养人脐带间充质干细胞，收集第3至5代细胞的"
            "无血清培养上清，经差速离心和超速离心得到外泌体。",
            uses=("再生医学", "创面修复", "生物制剂"),
        ),
        Topic(
            "biologic",
            "靶向KRAS的小干扰RNA",
            "small interfering RNA targeting KRAS",
            ("C12N 15/113", "A61K 31/713", "A61P 35/00"),
            (Metric("靶基因mRNA敲低效率", "%", 80, 95, 50, 65, "已报道的同靶点序列"),),
            indications=("治疗胰腺癌药物", "治疗结直肠癌药物"),
            targets=("KRAS G12D突变mRNA",),
            claim="一种靶向KRAS的小干扰RNA，其特征在于，其正义链序列如SEQ ID NO: 1所示，反义链序列如SEQ ID NO: 2所示。",
            uses=("核酸药物", "抗肿瘤药物"),
        ),
        Topic(
            "detection",
            "肝癌早期诊断血清标志物组合",
            "serum biomarker panel for the early diagnosis of liver cancer",
            ("G01N 33/574", "C12Q 1/6886"),
            (
                Metric("早期诊断灵敏度", "%", 88, 96, 60, 75, "甲胎蛋白（AFP）单项检测"),
                Metric("早期诊断特异性", "%", 88, 95, 70, 80, "甲胎蛋白（AFP）单项检测"),
            ),
            indications=("肝细胞癌早期诊断试剂盒",),
            targets=("早期肝细胞癌",),
            claim="检测血清中GPC3和DKK1表达水平的试剂在制备肝细胞癌早期诊断试剂盒中的应用。",
            uses=("体外诊断", "肿瘤早筛"),
        ),
    ),
    buyers="制药企业、医药研发外包机构（CRO）和体外诊断企业",
    buyers_en="drug makers, contract research organisations (CROs) and in vitro diagnostics companies",
)

# --- 新材料 --------------------------------------------------------------------------------------------------
_IMPACT = Metric("冲击强度", "kJ/m²", 25, 40, 10, 15, "纯环氧树脂")

MATERIALS = TechnologyField(
    key="materials",
    name="新材料",
    domain="新材料",
    price_factor=1.2,
    topics=(
        material(
            "石墨烯导热薄膜",
            "graphene thermally conductive film",
            ("C01B 32/184", "C01B 32/194", "C09K 5/14"),
            (Metric("面内热导率", "W/(m·K)", 1600, 2000, 400, 700, "天然石墨片"),),
            (
                "将氧化石墨烯分散于去离子水中，超声{30-90}min得到浓度{2-8}mg/mL的分散液",
                "刮涂成膜后于{2400-2800}℃高温石墨化{1-3}h",
                "经压延得到厚度{20-80}μm的导热薄膜",
            ),
            uses=("手机散热", "电子散热", "5G基站"),
            adjectives=("高导热", "柔性", "超薄"),
        ),
        material(
            "碳纳米管增强环氧树脂复合材料",
            "carbon nanotube-reinforced epoxy composite",
            ("C08L 63/00", "C08K 3/041"),
            (_IMPACT, Metric("拉伸强度", "MPa", 80, 95, 60, 70, "纯环氧树脂")),
            (
                "将羧基化碳纳米管经硅烷偶联剂改性后超声分散于环氧树脂中，添加量{0.5-2.0}wt%",
                "按质量比100:{20-35}加入固化剂并真空脱泡",
                "于{120-180}℃固化{2-4}h，冷却后脱模得到复合材料",
            ),
            uses=("风电叶片", "航空航天", "体育器材"),
            adjectives=("高韧性", "导电型", "轻质高强"),
        ),
        material(
            "耐高温聚酰亚胺薄膜",
            "high-temperature-resistant polyimide film",
            ("C08G 73/10", "C08J 5/18", "C08L 79/08"),
            (
                Metric("玻璃化转变温度", "℃", 360, 420, 260, 320, "通用聚酰亚胺薄膜"),
                Metric("热膨胀系数", "ppm/K", 3, 8, 20, 30, "通用聚酰亚胺薄膜", False),
            ),
            (
                "将均苯四甲酸二酐与4,4'-二氨基二苯醚在N,N-二甲基乙酰胺中于{0-10}℃缩聚得到聚酰胺酸溶液",
                "流延成膜后经{300-400}℃梯度亚胺化",
                "经双向拉伸得到厚度{12-50}μm的聚酰亚胺薄膜",
            ),
            uses=("柔性电路板", "柔性显示", "航空航天"),
            adjectives=("低介电", "无色透明", "高模量"),
        ),
        material(
            "高强韧7系铝合金",
            "high-strength, high-toughness 7xxx-series aluminium alloy",
            ("C22C 21/10", "C22F 1/053"),
            (
                Metric("抗拉强度", "MPa", 600, 700, 540, 570, "7075-T6铝合金"),
                Metric("断后伸长率", "%", 10, 14, 6, 9, "7075-T6铝合金"),
            ),
            (
                "按Al-Zn-Mg-Cu设计成分配料，在真空感应炉中熔炼并半连续铸造成锭",
                "于{460-480}℃固溶{1-2}h后水淬",
                "于{120-160}℃时效{12-24}h后精密轧制得到板材",
            ),
            uses=("航空航天", "轨道交通", "新能源汽车轻量化"),
            adjectives=("耐腐蚀", "易焊接"),
        ),
        material(
            "高磁感无取向硅钢",
            "non-oriented silicon steel with high magnetic induction",
            ("C22C 38/02", "C21D 8/12"),
            (
                Metric("铁损P1.0/400", "W/kg", 10, 13, 15, 18, "常规无取向硅钢", False, 1),
                Metric("磁感应强度B50", "T", 1.68, 1.72, 1.6, 1.64, "常规无取向硅钢", decimals=2),
            ),
            (
                "按设计成分冶炼并连铸，Si含量{2.5-3.2}wt%",
                "热轧后常化处理并冷轧至{0.20-0.35}mm",
                "在{950-1050}℃连续退火并涂覆绝缘涂层",
            ),
            uses=("新能源汽车驱动电机", "高效电机"),
            adjectives=("低铁损", "薄规格"),
        ),
        material(
            "无压烧结碳化硅陶瓷",
            "pressureless-sintered silicon carbide ceramic",
            ("C04B 35/565", "C04B 35/622"),
            (
                Metric("断裂韧性", "MPa·m^1/2", 4.5, 6.5, 2.5, 3.5, "常规烧结碳化硅", decimals=1),
                Metric("体积密度", "g/cm³", 3.12, 3.18, 3.0, 3.08, "反应烧结碳化硅", decimals=2),
            ),
            (
                "以亚微米碳化硅粉为原料，加入碳化硼和炭黑作为烧结助剂",
                "经喷雾造粒、冷等静压成型，压力{150-250}MPa",
                "在氩气气氛中于{2050-2150}℃无压烧结{1-3}h",
            ),
            uses=("机械密封", "半导体设备部件", "防弹装甲"),
            adjectives=("高致密", "高韧性"),
        ),
        material(
            "二氧化硅气凝胶隔热复合材料",
            "silica aerogel thermal insulation composite",
            ("C01B 33/1585",),
            (
                Metric("导热系数", "W/(m·K)", 0.015, 0.022, 0.03, 0.045, "传统岩棉保温材料", False, 3),
                Metric("最高使用温度", "℃", 650, 800, 400, 500, "传统岩棉保温材料"),
            ),
            (
                "以正硅酸乙酯为硅源，经酸碱两步催化制备硅溶胶",
                "将硅溶胶浸渍玻璃纤维毡后凝胶老化{12-48}h",
                "经溶剂置换和常压干燥得到气凝胶隔热复合材料",
            ),
            uses=("动力电池隔热", "工业管道保温", "建筑节能"),
            adjectives=("耐高温", "柔性", "疏水型"),
        ),
        material(
            "石墨烯改性水性防腐涂料",
            "graphene-modified waterborne anticorrosive coating",
            ("C09D 5/08", "C09D 163/00", "C09D 7/61"),
            (
                Metric("耐中性盐雾时间", "h", 1500, 3000, 500, 1000, "传统环氧富锌涂料"),
                Metric("VOC含量", "g/L", 30, 60, 350, 450, "溶剂型环氧涂料", False),
            ),
            (
                "将石墨烯微片经水性分散剂处理，配制成固含量{2-5}%的浆料",
                "与水性环氧乳液、防锈颜填料按比例高速分散{30-60}min",
                "加入固化剂组分混合均匀，得到双组分水性防腐涂料",
            ),
            uses=("海洋防腐", "钢结构桥梁", "石化储罐"),
            adjectives=("高固含", "长效", "低VOC"),
        ),
        material(
            "石蜡/膨胀石墨复合相变储能材料",
            "paraffin/expanded graphite composite phase-change material for thermal storage",
            ("C09K 5/06", "C09K 5/063"),
            (
                Metric("相变潜热", "J/g", 180, 240, 100, 150, "常规相变储能材料"),
                Metric("导热系数", "W/(m·K)", 3, 8, 0.2, 0.4, "纯石蜡", decimals=1),
            ),
            (
                "将石蜡与膨胀石墨按质量比{85-95}:{5-15}混合",
                "于{80-100}℃真空浸渍{2-4}h",
                "冷却后压制成型得到复合相变储能材料",
            ),
            uses=("建筑节能", "电池热管理", "冷链物流"),
            adjectives=("定形", "高导热"),
        ),
        material(
            "3D打印用球形钛合金粉末",
            "spherical titanium alloy powder for 3D printing",
            ("B22F 9/08", "B22F 10/28", "B33Y 70/00"),
            (
                Metric("粉末球形度", "%", 95, 99, 80, 90, "气雾化粉末"),
                Metric("氧含量", "ppm", 600, 900, 1200, 1500, "常规气雾化粉末", False),
            ),
            (
                "将TC4合金棒料经等离子旋转电极雾化，转速{20000-40000}r/min",
                "在氩气保护下筛分出粒径{15-53}μm的粉末",
                "经真空脱气处理得到3D打印用球形钛合金粉末",
            ),
            uses=("增材制造", "航空航天", "骨科植入物"),
            adjectives=("低氧", "细粒径"),
        ),
        material(
            "刀具用TiAlN硬质涂层",
            "TiAlN hard coating for cutting tools",
            ("C23C 14/35", "C23C 14/0641", "C23C 14/06"),
            (
                Metric("涂层显微硬度", "GPa", 30, 38, 20, 25, "TiN涂层"),
                Metric("刀具切削寿命", "分钟", 60, 90, 25, 40, "未涂层刀具"),
            ),
            (
                "对硬质合金刀具基体进行超声清洗和氩离子刻蚀",
                "采用磁控溅射沉积厚度{100-300}nm的Ti过渡层",
                "在{400-500}℃、氮氩混合气氛下沉积厚度{2-4}μm的TiAlN涂层",
            ),
            uses=("数控刀具", "模具制造"),
            adjectives=("纳米多层", "高硬度"),
        ),
        material(
            "竹纤维增强聚乳酸复合材料",
            "bamboo fibre-reinforced polylactic acid composite",
            ("C08L 67/04", "C08K 7/02"),
            (
                Metric("冲击强度", "kJ/m²", 12, 20, 3, 5, "纯聚乳酸"),
                Metric("热变形温度", "℃", 90, 110, 52, 58, "纯聚乳酸"),
            ),
            (
                "将聚乳酸与竹纤维按质量比{70-85}:{15-30}干燥后预混",
                "加入扩链剂和增韧剂，经双螺杆挤出机于{170-190}℃熔融共混",
                "造粒后注塑成型得到生物基复合材料",
            ),
            uses=("一次性餐具", "汽车内饰", "包装材料"),
            adjectives=("高耐热", "全降解", "增韧"),
        ),
        material(
            "含氟有机硅树脂",
            "fluorinated silicone resin",
            ("C08G 77/04", "C08G 77/24"),
            (
                Metric("水接触角", "°", 110, 120, 85, 95, "普通有机硅树脂"),
                Metric("耐热温度", "℃", 300, 350, 200, 250, "普通丙烯酸树脂"),
            ),
            (
                "以甲基三甲氧基硅烷和含氟硅烷为单体，在酸催化下水解缩合",
                "于{70-90}℃回流反应{4-8}h后减压脱除小分子",
                "加入固化催化剂，得到含氟有机硅树脂",
            ),
            uses=("耐候涂料", "电子封装", "防污涂层"),
            adjectives=("耐候", "疏水疏油"),
        ),
    ),
    buyers="新材料生产企业、电子产品制造商和装备制造企业",
    buyers_en="advanced materials producers, electronics manufacturers and equipment makers",
)

# --- 人工智能/软件 --------------------------------------------------------------------------------------------
_FPS = Metric("推理速度", "帧/秒", 60, 150, 15, 30, "同等精度的通用模型")

ARTIFICIAL_INTELLIGENCE = TechnologyField(
    key="ai",
    name="人工智能/软件",
    domain="人工智能",
    price_factor=1.0,
    topics=(
        system(
            "专利文本语义检索",
            "semantic retrieval of patent texts",
            ("G06F 16/33", "G06F 16/35", "G06F 40/30"),
            (
                Metric("检索召回率", "%", 90, 97, 70, 82, "关键词检索"),
                Metric("检索平均响应时间", "ms", 50, 150, 500, 1200, "传统布尔检索", False),
            ),
            Analysis(
                "专利文本及用户检索式",
                ("BERT", "对比学习", "Transformer"),
                "进行语义编码",
                "语义向量与相似度得分",
                "输出排序后的检索结果",
            ),
            uses=("知识产权检索", "科技情报分析"),
        ),
        system(
            "工业产品表面缺陷检测",
            "detecting surface defects on industrial products",
            ("G06T 7/0004", "G06V 10/82", "G06N 3/0464"),
            (Metric("检测准确率", "%", 95, 99.5, 85, 92, "传统机器视觉算法", decimals=1), _FPS),
            Analysis(
                "产线相机采集的产品表面图像",
                ("卷积神经网络（CNN）", "YOLO", "注意力机制"),
                "进行多尺度特征融合",
                "缺陷类别与位置",
                "标记缺陷并联动剔除装置",
            ),
            uses=("智能制造质检", "3C电子", "钢铁冶金"),
        ),
        system(
            "领域知识图谱构建",
            "construction of domain knowledge graphs",
            ("G06F 16/36", "G06N 5/02"),
            (Metric("关系抽取F1值", "%", 85, 92, 70, 78, "基于规则的抽取方法", decimals=1),),
            Analysis(
                "非结构化技术文献",
                ("BERT", "图神经网络", "远程监督"),
                "进行实体识别与关系抽取",
                "实体关系三元组",
                "融合生成领域知识图谱",
            ),
            uses=("科技情报分析", "智能问答", "金融风控"),
        ),
        system(
            "远场语音识别",
            "far-field speech recognition",
            ("G10L 15/16", "G10L 21/0208"),
            (Metric("字错误率", "%", 3, 6, 9, 15, "通用语音识别引擎", False, 1),),
            Analysis(
                "麦克风阵列采集的语音信号",
                ("波束形成", "Transformer", "Conformer"),
                "进行降噪与声学建模",
                "识别文本",
                "输出识别结果",
            ),
            uses=("智能家居", "智能客服", "车载语音"),
        ),
        system(
            "城市交通流量预测",
            "urban traffic flow prediction",
            ("G08G 1/01", "G06Q 10/04", "G06N 3/08"),
            (Metric("预测平均绝对百分比误差", "%", 5, 9, 12, 20, "ARIMA等统计模型", False, 1),),
            Analysis(
                "路网历史交通流量数据",
                ("图神经网络", "时空注意力机制", "长短期记忆网络（LSTM）"),
                "进行时空建模",
                "短时流量预测值",
                "优化信号灯配时",
            ),
            uses=("智慧城市", "智能交通"),
        ),
        system(
            "人脸活体检测",
            "face liveness detection",
            ("G06V 40/16", "G06V 40/40", "G06V 40/45"),
            (Metric("攻击检测平均错误率（ACER）", "%", 0.5, 1.5, 3, 6, "单模态检测", False, 1),),
            Analysis(
                "可见光与近红外人脸图像",
                ("卷积神经网络（CNN）", "多模态融合", "对比学习"),
                "进行纹理与深度特征提取",
                "活体概率",
                "判定是否为攻击样本",
            ),
            uses=("金融身份认证", "门禁安防", "政务服务"),
        ),
        system(
            "个性化商品推荐",
            "personalised product recommendation",
            ("G06Q 30/0631", "G06F 16/9535"),
            (Metric("推荐点击率", "%", 4, 6, 2, 3, "协同过滤推荐", decimals=1),),
            Analysis(
                "用户行为日志与商品属性",
                ("图神经网络", "深度兴趣网络", "强化学习"),
                "进行兴趣建模",
                "用户偏好向量",
                "生成推荐列表",
            ),
            uses=("电子商务", "跨境电商", "内容平台"),
        ),
        system(
            "大语言模型推理加速",
            "accelerating inference of large language models",
            ("G06N 3/063", "G06N 3/045", "G06F 9/50"),
            (
                Metric("显存占用", "GB", 6, 12, 24, 40, "未压缩模型", False),
                Metric("推理吞吐", "tokens/s", 2000, 4000, 600, 1000, "未优化部署"),
            ),
            Analysis(
                "大语言模型的权重与推理请求",
                ("低比特量化", "知识蒸馏", "KV缓存复用"),
                "进行量化与算子融合",
                "压缩后的模型",
                "调度至GPU集群执行推理",
            ),
            uses=("大模型部署", "智能客服", "云计算"),
        ),
        system(
            "联邦学习隐私保护训练",
            "privacy-preserving training by federated learning",
            ("G06N 20/00", "H04L 9/008", "G06F 21/62"),
            (
                Metric("模型准确率", "%", 90, 95, 80, 86, "仅用本地数据训练", decimals=1),
                Metric("每轮通信开销", "MB", 10, 30, 80, 150, "标准联邦平均算法", False),
            ),
            Analysis(
                "各参与方的本地训练数据",
                ("联邦学习", "同态加密", "差分隐私"),
                "进行本地训练并加密上传梯度",
                "全局模型参数",
                "下发更新后的模型",
            ),
            uses=("金融风控", "医疗数据分析", "政务数据共享"),
        ),
        system(
            "三维点云目标检测",
            "3D point cloud object detection",
            ("G06V 20/64", "G06T 7/73", "G06V 10/82"),
            (Metric("平均精度（mAP）", "%", 70, 80, 55, 65, "PointPillars基线", decimals=1), _FPS),
            Analysis(
                "激光雷达点云数据",
                ("PointNet++", "Transformer", "体素化卷积"),
                "进行三维特征提取",
                "三维检测框",
                "输出目标类别与位姿",
            ),
            uses=("自动驾驶", "智能仓储", "机器人导航"),
        ),
    ),
    buyers="软件企业、系统集成商和制造企业信息化部门",
    buyers_en="software companies, system integrators and the IT departments of manufacturers",
    design_products=(
        ("显示屏幕面板的图形用户界面（智能质检）", ("智能制造质检",)),
        ("带图形用户界面的平板电脑", ("智慧城市", "政务服务")),
        ("智能巡检终端", ("变电站巡检", "工厂巡检")),
    ),
)

# --- 高端装备/机械 --------------------------------------------------------------------------------------------
_GRASP = Metric("抓取成功率", "%", 98, 99.8, 90, 95, "刚性夹爪", decimals=1)
_DIAGNOSIS = Metric("故障诊断准确率", "%", 95, 99, 80, 90, "人工巡检", decimals=1)
_NOISE = Metric("运行噪声", "dB(A)", 62, 70, 75, 85, "传统结构", False)

EQUIPMENT = TechnologyField(
    key="equipment",
    name="高端装备/机械",
    domain="高端装备制造",
    price_factor=1.0,
    topics=(
        method(
            "玻璃超快激光精密切割",
            "ultrafast laser precision cutting of glass",
            ("B23K 26/38", "B23K 26/0622"),
            (
                Metric("切割速度", "mm/s", 300, 600, 100, 200, "传统纳秒激光切割"),
                Metric("崩边尺寸", "μm", 5, 10, 20, 40, "机械刀轮切割", False),
            ),
            (
                "将工件固定于真空吸附平台并进行视觉定位",
                "以脉宽{200-900}fs、重复频率{200-1000}kHz的激光沿规划路径聚焦扫描",
                "经裂片和清洗得到切割件",
            ),
            uses=("3C电子玻璃", "车载显示屏", "光学器件"),
        ),
        method(
            "激光熔覆修复",
            "laser cladding repair",
            ("B23K 26/342", "C23C 24/10", "B23P 6/00"),
            (
                Metric("熔覆层与基体结合强度", "MPa", 600, 800, 200, 350, "热喷涂修复"),
                Metric("熔覆层稀释率", "%", 3, 6, 10, 20, "常规堆焊", False),
            ),
            (
                "对磨损部位进行清理、喷砂和着色探伤",
                "采用功率{1500-3000}W的半导体激光同步送粉熔覆，扫描速度{5-20}mm/s",
                "熔覆后进行去应力回火并机加工至设计尺寸",
            ),
            uses=("矿山机械", "航空发动机", "液压支架"),
        ),
        device(
            "焊缝跟踪装置",
            "weld seam tracking device",
            ("B23K 9/127", "B23K 37/02"),
            (Metric("焊缝跟踪精度", "mm", 0.1, 0.3, 0.5, 1, "电弧传感跟踪", False, 1),),
            ("激光视觉传感器", "安装支架", "十字滑台", "伺服电机", "控制器", "焊枪夹持器"),
            uses=("工程机械焊接", "船舶制造", "钢结构"),
            adjectives=("高精度", "抗弧光干扰"),
        ),
        device(
            "协作机器人关节模组",
            "joint module for collaborative robots",
            ("B25J 17/00", "B25J 9/12", "B25J 9/10"),
            (
                Metric("重复定位精度", "mm", 0.01, 0.03, 0.05, 0.1, "国内同类产品", False, 2),
                Metric("关节模组重量", "kg", 1.5, 2.5, 3.5, 5, "国产同规格关节", False, 1),
            ),
            ("无框力矩电机", "谐波减速器", "双编码器", "制动器", "驱动板", "关节壳体"),
            uses=("协作机器人", "3C电子装配", "医疗机器人"),
            adjectives=("轻量化", "高扭矩密度", "中空走线"),
        ),
        device(
            "柔性自适应夹爪",
            "soft adaptive gripper",
            ("B25J 15/08", "B25J 15/12"),
            (_GRASP,),
            ("基座", "柔性指", "气动驱动腔", "指尖垫", "连接法兰"),
            uses=("食品分拣", "物流分拣", "3C电子装配"),
            adjectives=("气动", "防滑"),
        ),
        system(
            "机器人视觉引导抓取",
            "vision-guided robotic grasping",
            ("B25J 9/1697", "B25J 9/16", "G06T 7/73"),
            (_GRASP, Metric("单次抓取节拍", "s", 3, 5, 8, 12, "人工上下料", False)),
            Analysis(
                "三维相机采集的物料点云",
                ("点云配准", "深度学习", "手眼标定"),
                "进行位姿估计",
                "抓取位姿",
                "引导机械臂完成抓取",
            ),
            uses=("汽车零部件上下料", "物流分拣", "智能仓储"),
        ),
        device(
            "RV减速器",
            "RV reducer",
            ("F16H 1/32", "F16H 57/08"),
            (
                Metric("传动回差", "弧分", 0.5, 1, 1.5, 3, "国产同规格减速器", False, 1),
                Metric("额定寿命", "小时", 8000, 10000, 4000, 6000, "国产同规格减速器"),
            ),
            ("针齿壳", "摆线轮", "曲柄轴", "行星轮", "输出盘", "角接触球轴承"),
            uses=("工业机器人", "数控转台", "自动化产线"),
            adjectives=("高精度", "高刚性", "长寿命"),
        ),
        system(
            "数控机床刀具磨损监测",
            "tool wear monitoring on CNC machine tools",
            ("B23Q 17/09", "G05B 19/4065"),
            (Metric("刀具磨损预测误差", "μm", 5, 12, 20, 35, "经验换刀", False),),
            Analysis(
                "主轴电流与振动信号",
                ("小波包分解", "卷积神经网络（CNN）", "长短期记忆网络（LSTM）"),
                "提取刀具磨损特征",
                "刀具磨损量",
                "提示提前换刀",
            ),
            uses=("航空零部件加工", "汽车零部件加工", "模具制造"),
        ),
        device(
            "注塑模具随形冷却水路结构",
            "conformal cooling channel structure for injection moulds",
            ("B29C 45/73", "B29C 33/04"),
            (
                Metric("注塑成型周期", "s", 18, 28, 35, 50, "常规冷却水路", False),
                Metric("制品翘曲变形量", "mm", 0.05, 0.15, 0.3, 0.6, "常规冷却水路", False, 2),
            ),
            ("模仁", "随形冷却流道", "进水口", "出水口", "密封圈", "顶针"),
            uses=("模具制造", "汽车内外饰件", "家电外壳"),
            adjectives=("高效", "均温"),
        ),
        system(
            "滚动轴承故障诊断",
            "rolling bearing fault diagnosis",
            ("G01M 13/045", "G06N 3/08"),
            (_DIAGNOSIS,),
            Analysis(
                "轴承振动加速度信号",
                ("包络谱分析", "卷积神经网络（CNN）", "迁移学习"),
                "进行故障特征提取",
                "故障类型与严重程度",
                "生成维护工单",
            ),
            uses=("风电齿轮箱", "轨道交通", "石化机组"),
        ),
        device(
            "高速永磁离心压缩机",
            "high-speed permanent magnet centrifugal compressor",
            ("F04D 25/06", "F04D 29/58"),
            (Metric("等熵效率", "%", 80, 86, 70, 75, "传统罗茨风机"), _NOISE),
            ("高速永磁电机", "叶轮", "蜗壳", "气体轴承", "冷却风道", "变频器"),
            uses=("污水处理曝气", "燃料电池空压机", "工业气体输送"),
            adjectives=("无油", "高效", "低噪声"),
        ),
        device(
            "电磁比例换向阀",
            "proportional solenoid directional valve",
            ("F16K 31/06", "F15B 13/044"),
            (
                Metric("阶跃响应时间", "ms", 10, 20, 35, 60, "国产同类阀", False),
                Metric("滞环", "%", 1, 3, 5, 8, "国产同类阀", False),
            ),
            ("阀体", "阀芯", "比例电磁铁", "复位弹簧", "位移传感器", "先导阀"),
            uses=("工程机械液压", "农业机械", "注塑机"),
            adjectives=("高响应", "低滞环"),
        ),
    ),
    buyers="装备制造企业、汽车零部件企业和自动化集成商",
    buyers_en="equipment manufacturers, auto parts makers and automation integrators",
    design_products=(
        ("协作机器人", ("3C电子装配", "医疗机器人")),
        ("数控机床防护罩", ("数控机床",)),
        ("智能焊接工作站", ("工程机械焊接", "钢结构")),
        ("工业机械臂", ("汽车零部件上下料", "物流分拣")),
    ),
)

# --- 现代农业 ------------------------------------------------------------------------------------------------
_FERTILISER = Metric("化肥施用量", "kg/亩", 25, 35, 45, 60, "常规施肥", False)

AGRICULTURE = TechnologyField(
    key="agriculture",
    name="现代农业",
    domain="农业",
    price_factor=0.5,
    topics=(
        device(
            "连栋温室智能通风装置",
            "smart ventilation device for multi-span greenhouses",
            ("A01G 9/24", "A01G 9/14"),
            (
                Metric("夏季午间棚内温度", "℃", 30, 34, 38, 42, "自然通风温室", False),
                Metric("番茄亩产", "kg", 9000, 11000, 6500, 8000, "传统大棚"),
            ),
            ("天窗", "齿条", "减速电机", "温湿度传感器", "控制箱", "防虫网"),
            uses=("设施农业", "蔬菜种植"),
            adjectives=("防虫", "自动"),
        ),
        system(
            "设施农业水肥一体化智能控制",
            "intelligent fertigation control in protected agriculture",
            ("A01G 25/16", "A01C 21/00", "G05B 19/042"),
            (Metric("灌溉用水量", "m³/亩", 180, 240, 300, 400, "传统漫灌", False), _FERTILISER),
            Analysis(
                "土壤墒情、温室环境与作物长势数据",
                ("模糊PID控制", "作物生长模型", "卷积神经网络（CNN）"),
                "进行需水需肥预测",
                "灌溉施肥方案",
                "控制电磁阀和施肥泵执行灌溉",
            ),
            uses=("设施农业", "果园灌溉", "智慧农业"),
        ),
        method(
            "水稻分子标记辅助育种",
            "marker-assisted breeding of rice",
            ("A01H 1/04", "C12Q 1/6895", "A01H 6/4636"),
            (
                Metric("亩产", "kg", 650, 780, 520, 600, "当地主栽品种"),
                Metric("稻瘟病病情指数", "", 5, 15, 35, 55, "感病对照品种", False),
            ),
            (
                "提取水稻叶片基因组DNA，设计与抗稻瘟病基因紧密连锁的分子标记",
                "对杂交后代进行PCR扩增和标记基因型检测",
                "选择目标基因纯合且农艺性状优良的单株连续回交{3-5}代",
            ),
            uses=("种业", "水稻生产"),
        ),
        method(
            "红茶连续化加工",
            "continuous processing of black tea",
            ("A23F 3/06", "A23F 3/08"),
            (
                Metric("加工效率", "kg鲜叶/小时", 300, 500, 80, 120, "传统手工加工"),
                Metric("感官审评得分", "分", 88, 93, 80, 85, "传统工艺红茶"),
            ),
            (
                "将鲜叶摊放{6-12}h至含水率{60-68}%",
                "经连续揉捻后于{28-32}℃、相对湿度{90-95}%条件下发酵{3-5}h",
                "分两次烘干至含水率{5-7}%后提香",
            ),
            uses=("茶叶加工", "茶叶机械"),
        ),
        material(
            "解磷解钾复合微生物菌剂",
            "phosphate- and potassium-solubilising compound microbial inoculant",
            ("C12N 1/20", "C05F 11/08"),
            (Metric("土壤有效磷含量", "mg/kg", 35, 50, 20, 28, "不施菌剂对照"), _FERTILISER),
            (
                "从茶园根际土壤中分离筛选解磷解钾芽孢杆菌",
                "将菌株以{5-10}%接种量接入发酵培养基，于{30-37}℃发酵{24-48}h",
                "以草炭为载体吸附发酵液，活菌数不低于{2-5}亿/g",
            ),
            uses=("生态种植", "茶园", "微生物肥料"),
            adjectives=("高活性", "耐储存"),
        ),
        material(
            "秸秆生物有机肥",
            "straw-based bio-organic fertiliser",
            ("C05G 3/00", "C05F 17/20"),
            (Metric("腐熟周期", "天", 15, 25, 40, 60, "自然堆肥", False), _FERTILISER),
            (
                "按质量份称取粉碎秸秆{40-60}份、畜禽粪便{20-35}份和腐熟菌剂{0.1-0.5}份",
                "调节含水率至{55-65}%，在{55-65}℃条件下好氧发酵{15-25}d",
                "经陈化、粉碎和造粒得到生物有机肥",
            ),
            uses=("生态种植", "有机肥生产", "秸秆综合利用"),
            adjectives=("高效", "腐熟型"),
        ),
        method(
            "草莓高架基质栽培",
            "elevated substrate cultivation of strawberries",
            ("A01G 22/05", "A01G 24/00"),
            (Metric("亩产", "kg", 2500, 3500, 1500, 2000, "传统土壤栽培"),),
            (
                "以泥炭、椰糠和珍珠岩按体积比{4-6}:{2-4}:1配制栽培基质",
                "于9月定植脱毒种苗，株距{15-20}cm",
                "采用滴灌精准供液，营养液EC值控制在{0.8-1.6}mS/cm",
            ),
            uses=("设施农业", "观光农业"),
        ),
        device(
            "猕猴桃采摘末端执行器",
            "kiwifruit-picking end effector",
            ("A01D 46/30", "B25J 15/08"),
            (
                Metric("采摘成功率", "%", 88, 95, 70, 80, "现有采摘机器人"),
                Metric("果实损伤率", "%", 1, 3, 6, 10, "刚性夹持式末端", False, 1),
            ),
            ("柔性手指", "吸盘", "旋转剪切机构", "力传感器", "相机", "连接法兰"),
            uses=("果园机械", "智慧农业"),
            adjectives=("柔性", "低损伤"),
        ),
        material(
            "植物源杀虫剂",
            "botanical insecticide",
            ("A01N 65/00", "A01P 7/04"),
            (
                Metric("对茶小绿叶蝉防效", "%", 85, 93, 65, 75, "常规生物农药"),
                Metric("持效期", "天", 10, 15, 5, 7, "常规生物农药"),
            ),
            (
                "取苦参、印楝等植物原料粉碎后以乙醇回流提取{2-3}次",
                "提取物减压浓缩后与助剂按比例复配",
                "加水稀释制成质量分数{0.3-1.0}%的水乳剂",
            ),
            uses=("茶园植保", "生物农药", "绿色种植"),
            adjectives=("低毒", "高效", "环境友好型"),
        ),
        method(
            "杨梅采后保鲜",
            "post-harvest preservation of Chinese bayberries",
            ("A23B 7/154",),
            (
                Metric("保鲜期", "天", 12, 20, 4, 7, "常温贮藏"),
                Metric("第10天腐烂率", "%", 3, 8, 25, 40, "常规冷藏", False),
            ),
            (
                "采收八成熟杨梅，于{2-4}h内预冷至{0-4}℃",
                "以浓度{0.5-1.5}%的壳聚糖复合保鲜液浸渍{1-3}min",
                "沥干后采用气调包装并于{0-2}℃冷藏",
            ),
            uses=("果蔬采后处理", "冷链物流"),
        ),
        method(
            "铁皮石斛组培快繁",
            "rapid propagation of Dendrobium officinale by tissue culture",
            ("A01H 4/00", "A01H 6/62"),
            (
                Metric("组培苗移栽成活率", "%", 92, 98, 70, 85, "常规组培苗"),
                Metric("增殖系数", "", 5, 8, 2.5, 3.5, "常规组培方法", decimals=1),
            ),
            (
                "以铁皮石斛种子为外植体，经{70-75}%乙醇消毒{20-40}s",
                "接种于附加{0.5-2.0}mg/L 6-BA的MS培养基，于{23-27}℃培养",
                "经增殖、生根培养后炼苗移栽",
            ),
            uses=("种苗繁育", "中药材种植"),
        ),
    ),
    buyers="农业龙头企业、家庭农场和农资企业",
    buyers_en="leading agribusinesses, family farms and farm supply companies",
    design_products=(
        ("智能温室控制箱", ("设施农业",)),
        ("水培种植架", ("设施农业", "室内种植")),
        ("植保无人机", ("茶园植保", "大田植保")),
    ),
)

# --- 电子信息/半导体 ------------------------------------------------------------------------------------------
_CONVERSION = Metric("峰值转换效率", "%", 97, 98.8, 93, 95.5, "传统硅基方案", decimals=1)

SEMICONDUCTORS = TechnologyField(
    key="semiconductors",
    name="电子信息/半导体",
    domain="半导体与电子信息",
    price_factor=1.8,
    topics=(
        material(
            "氮化镓高电子迁移率晶体管",
            "gallium nitride high-electron-mobility transistor",
            ("H01L 29/778", "H01L 21/335", "H01L 29/20"),
            (
                Metric("击穿电压", "V", 900, 1200, 600, 700, "常规硅基GaN HEMT"),
                Metric("动态导通电阻退化", "%", 5, 10, 20, 40, "常规结构", False),
            ),
            (
                "采用MOCVD在硅衬底上依次外延生长AlN成核层、GaN缓冲层和AlGaN势垒层",
                "通过电感耦合等离子体刻蚀形成深度{10-30}nm的凹槽栅",
                "沉积SiN钝化层并制作源漏欧姆接触和栅电极",
            ),
            uses=("快充电源", "数据中心电源", "5G基站"),
            adjectives=("增强型", "高耐压", "低漏电"),
        ),
        material(
            "碳化硅（SiC）MOSFET器件",
            "silicon carbide (SiC) MOSFET device",
            ("H01L 29/78", "H01L 21/04", "H01L 29/16"),
            (
                Metric("比导通电阻", "mΩ·cm²", 1.5, 3, 4.5, 8, "同规格平面栅器件", False, 1),
                Metric("高温栅偏1000h阈值电压漂移", "mV", 50, 150, 300, 500, "常规栅氧工艺", False),
            ),
            (
                "对碳化硅外延片进行RCA清洗并离子注入形成P阱和N+源区",
                "于{1600-1750}℃激活退火后高温热氧化形成栅氧",
                "沉积多晶硅栅和金属电极完成器件制备",
            ),
            uses=("新能源汽车电驱", "光伏逆变器", "充电桩"),
            adjectives=("沟槽栅", "低导通电阻", "高可靠性"),
        ),
        material(
            "扇出型晶圆级封装结构",
            "fan-out wafer-level package structure",
            ("H01L 23/31", "H01L 21/56"),
            (
                Metric("封装厚度", "mm", 0.3, 0.6, 0.9, 1.2, "传统引线键合封装", False, 1),
                Metric("晶圆翘曲度", "μm", 50, 150, 300, 500, "常规扇出封装", False),
            ),
            (
                "将芯片正面朝下贴装于临时载板",
                "采用环氧塑封料进行晶圆级塑封并拆除载板",
                "在芯片正面制作{2-4}层再布线层并植球",
            ),
            uses=("消费电子", "射频前端模组", "可穿戴设备"),
            adjectives=("超薄", "高密度", "低翘曲"),
        ),
        device(
            "晶圆传输机械手",
            "wafer transfer robot",
            ("H01L 21/677", "H01L 21/67"),
            (
                Metric("重复定位精度", "mm", 0.03, 0.05, 0.08, 0.12, "国产同类产品", False, 2),
                Metric("传输颗粒污染", "颗/片", 2, 8, 15, 30, "国产同类产品", False),
            ),
            ("手臂", "末端执行器", "真空吸附孔", "谐波减速器", "晶圆检测传感器", "升降轴"),
            uses=("半导体设备", "晶圆制造"),
            adjectives=("真空吸附式", "高洁净", "双臂"),
        ),
        material(
            "Micro-LED全彩显示芯片",
            "Micro-LED full-colour display chip",
            ("H01L 27/15", "H01L 33/00", "H01L 25/075"),
            (
                Metric("像素密度", "PPI", 2000, 5000, 400, 800, "OLED微显示"),
                Metric("峰值亮度", "nits", 100000, 300000, 3000, 5000, "OLED微显示"),
            ),
            (
                "在蓝宝石衬底上外延生长InGaN/GaN多量子阱结构",
                "刻蚀形成尺寸{5-30}μm的Micro-LED阵列",
                "通过巨量转移键合至驱动背板，并制作量子点色转换层",
            ),
            uses=("AR/VR近眼显示", "智能手表", "车载显示"),
            adjectives=("高亮度", "高像素密度"),
        ),
        material(
            "钙钛矿量子点发光薄膜",
            "perovskite quantum dot light-emitting film",
            ("C09K 11/66", "H10K 50/115"),
            (
                Metric("光致发光量子产率", "%", 85, 95, 60, 70, "未包覆钙钛矿量子点"),
                Metric("色域（NTSC）", "%", 120, 140, 90, 105, "常规荧光粉方案"),
            ),
            (
                "以热注入法合成CsPbBr3量子点，反应温度{150-180}℃",
                "将量子点与聚合物基体按质量比1:{10-30}混合",
                "刮涂成膜后于{60-80}℃固化得到发光薄膜",
            ),
            uses=("液晶显示背光", "Mini-LED显示"),
            adjectives=("高稳定性", "宽色域"),
        ),
        device(
            "宽带射频功率放大器",
            "broadband RF power amplifier",
            ("H03F 3/21", "H03F 1/02", "H03F 3/24"),
            (
                Metric("功率附加效率", "%", 60, 72, 40, 50, "传统LDMOS功放"),
                Metric("工作带宽", "GHz", 2, 4, 0.5, 1, "传统Doherty功放", decimals=1),
            ),
            ("GaN功率管", "输入匹配网络", "输出匹配网络", "偏置电路", "谐波控制网络", "散热基板"),
            uses=("5G基站", "卫星通信", "雷达"),
            adjectives=("高效率", "高线性度"),
        ),
        system(
            "芯片测试向量生成",
            "chip test vector generation",
            ("G01R 31/3183", "G06F 30/33"),
            (
                Metric("测试覆盖率", "%", 98, 99.8, 92, 96, "商用ATPG工具默认配置", decimals=1),
                Metric("测试向量数量", "万条", 2, 5, 8, 15, "商用ATPG工具默认配置", False),
            ),
            Analysis(
                "电路网表和故障列表",
                ("自动测试向量生成算法", "遗传算法", "图神经网络"),
                "进行故障建模与压缩",
                "测试向量集",
                "输出压缩后的测试集",
            ),
            uses=("芯片设计", "集成电路测试"),
        ),
        device(
            "硅基电光调制器",
            "silicon electro-optic modulator",
            ("G02F 1/025", "G02B 6/12"),
            (
                Metric("调制带宽", "GHz", 40, 70, 20, 30, "商用硅光调制器"),
                Metric("插入损耗", "dB", 2, 4, 5, 7, "商用硅光调制器", False, 1),
            ),
            ("SOI衬底", "脊形波导", "PN结调制区", "行波电极", "光栅耦合器"),
            uses=("光通信", "数据中心光互连"),
            adjectives=("高速", "低损耗"),
        ),
        device(
            "毫米波相控阵天线",
            "millimetre-wave phased array antenna",
            ("H01Q 3/26", "H01Q 21/06"),
            (
                Metric("波束扫描范围", "°", 100, 120, 60, 90, "同类产品"),
                Metric("剖面高度", "mm", 3, 6, 10, 15, "传统砖式架构", False),
            ),
            ("天线单元", "馈电网络", "移相器", "T/R组件", "多层印制板", "散热冷板"),
            uses=("卫星通信", "5G毫米波", "车载雷达"),
            adjectives=("低剖面", "宽角扫描"),
        ),
        device(
            "双向DC-DC变换器",
            "bidirectional DC-DC converter",
            ("H02M 3/33584", "H02M 3/335", "H02M 1/00"),
            (_CONVERSION, Metric("功率密度", "kW/L", 3, 5, 1, 2, "传统硅基方案", decimals=1)),
            ("原边全桥电路", "高频变压器", "副边全桥电路", "谐振电感", "控制器", "散热器"),
            uses=("储能变流器", "新能源汽车", "数据中心电源"),
            adjectives=("高效", "高功率密度", "软开关"),
        ),
        device(
            "低压断路器智能脱扣装置",
            "intelligent trip unit for low-voltage circuit breakers",
            ("H01H 71/12", "H01H 83/20", "H02H 3/08"),
            (
                Metric("短路分断时间", "ms", 3, 6, 10, 15, "传统热磁式脱扣", False),
                Metric("动作误差", "%", 2, 5, 10, 20, "传统热磁式脱扣", False),
            ),
            ("电流互感器", "脱扣器", "控制芯片", "磁通变换器", "操作机构", "外壳"),
            uses=("智能配电", "低压电器", "智能电网"),
            adjectives=("电子式", "高可靠性"),
        ),
    ),
    buyers="芯片设计企业、晶圆制造和封测企业以及电子整机厂商",
    buyers_en="chip designers, wafer fabs, packaging and test houses, and electronics makers",
    design_products=(
        ("智能断路器", ("智能配电", "低压电器")),
        ("光模块外壳", ("光通信", "数据中心")),
        ("氮化镓快充充电器", ("快充电源", "消费电子")),
    ),
)

# --- 环保/水处理 ----------------------------------------------------------------------------------------------
_COD = Metric("COD去除率", "%", 90, 98, 70, 82, "传统芬顿工艺")

ENVIRONMENT = TechnologyField(
    key="environment",
    name="环保/水处理",
    domain="环境保护",
    price_factor=0.8,
    topics=(
        method(
            "印染废水深度处理",
            "advanced treatment of textile dyeing wastewater",
            ("C02F 9/00", "C02F 1/72", "C02F 103/30"),
            (_COD, Metric("色度去除率", "%", 95, 99, 70, 85, "传统混凝沉淀")),
            (
                "将印染废水调节pH至{3-4}后进入臭氧催化氧化池",
                "控制臭氧投加量{30-80}mg/L、反应时间{30-90}min",
                "出水经曝气生物滤池处理后达标排放",
            ),
            uses=("印染废水处理", "工业园区污水处理"),
        ),
        material(
            "抗污染反渗透复合膜",
            "fouling-resistant reverse osmosis composite membrane",
            ("B01D 69/12", "B01D 71/56", "C02F 1/44"),
            (
                Metric("纯水通量", "L/(m²·h·bar)", 3, 6, 1.5, 2.5, "商用聚酰胺反渗透膜", decimals=1),
                Metric("污染后通量恢复率", "%", 95, 99, 75, 85, "商用聚酰胺反渗透膜"),
            ),
            (
                "以聚砜超滤膜为基膜，浸入质量分数{1-3}%的间苯二胺水溶液中",
                "与均苯三甲酰氯有机相进行界面聚合{30-90}s",
                "接枝两性离子聚合物后于{60-90}℃热处理{5-15}min",
            ),
            uses=("海水淡化", "工业废水回用", "市政供水"),
            adjectives=("高通量", "耐氯"),
        ),
        method(
            "电催化氧化处理高盐有机废水",
            "electrocatalytic oxidation of high-salinity organic wastewater",
            ("C02F 1/461", "C02F 1/467", "C02F 101/30"),
            (_COD, Metric("吨水电耗", "kWh", 5, 15, 25, 40, "传统二维电极电解", False)),
            (
                "以钛基掺硼金刚石为阳极，调节废水pH至{5-8}",
                "在电流密度{10-40}mA/cm²下电解{30-120}min",
                "出水经活性炭吸附后回用或排放",
            ),
            uses=("化工废水处理", "制药废水处理"),
        ),
        method(
            "一体式厌氧氨氧化脱氮",
            "single-stage anammox nitrogen removal",
            ("C02F 3/30", "C02F 3/28", "C02F 101/16"),
            (
                Metric("总氮去除率", "%", 85, 95, 60, 75, "传统硝化反硝化工艺"),
                Metric("吨水曝气电耗", "kWh", 0.1, 0.2, 0.3, 0.5, "传统硝化反硝化工艺", False, 2),
            ),
            (
                "将城市污水经预处理后进入一体式部分亚硝化-厌氧氨氧化反应器",
                "控制溶解氧{0.2-0.5}mg/L、温度{25-32}℃、水力停留时间{6-12}h",
                "出水经沉淀后排放，剩余污泥回流",
            ),
            uses=("市政污水处理", "垃圾渗滤液处理"),
        ),
        material(
            "铁锰改性生物炭重金属吸附剂",
            "iron-manganese-modified biochar adsorbent for heavy metals",
            ("B01J 20/20", "B01J 20/30", "C02F 1/28"),
            (
                Metric("重金属吸附容量", "mg/g", 120, 260, 30, 80, "商用活性炭"),
                Metric("循环使用5次后吸附容量保持率", "%", 80, 90, 40, 60, "未改性生物炭"),
            ),
            (
                "将农林废弃物于{105-110}℃干燥后粉碎过{60-100}目筛",
                "在氮气保护下于{400-700}℃热解{1-3}h",
                "负载铁锰氧化物改性后洗涤、干燥得到吸附剂",
            ),
            uses=("重金属废水处理", "土壤修复"),
            adjectives=("磁性", "高效", "可再生"),
        ),
        material(
            "低温SCR脱硝催化剂",
            "low-temperature SCR denitration catalyst",
            ("B01J 23/889", "B01D 53/86", "B01D 53/56"),
            (
                Metric("200℃下NOx转化率", "%", 90, 98, 60, 75, "商用钒钛催化剂"),
                Metric("起活温度", "℃", 150, 180, 280, 320, "商用钒钛催化剂", False),
            ),
            (
                "以TiO2为载体，按比例浸渍锰、铈和钨的前驱体溶液",
                "于{100-120}℃干燥后在{400-500}℃焙烧{3-5}h",
                "与粘结剂混合后挤出成型为蜂窝状催化剂",
            ),
            uses=("工业烟气治理", "垃圾焚烧", "钢铁烧结烟气"),
            adjectives=("抗硫抗水", "宽温度窗口"),
        ),
        method(
            "市政污泥深度脱水",
            "deep dewatering of municipal sludge",
            ("C02F 11/12", "C02F 11/14"),
            (
                Metric("脱水后污泥含水率", "%", 50, 60, 78, 85, "板框压滤", False),
                Metric("吨干泥处理成本", "元", 200, 300, 450, 600, "热干化工艺", False),
            ),
            (
                "向市政污泥中投加质量分数{2-6}%的复合调理剂并搅拌{10-20}min",
                "经隔膜压滤机压滤，压榨压力{1.2-1.6}MPa",
                "滤饼经破碎后送往焚烧或建材利用",
            ),
            uses=("市政污泥处置", "污水处理厂"),
        ),
        method(
            "镉污染农田土壤钝化修复",
            "immobilisation remediation of cadmium-contaminated farmland soil",
            ("B09C 1/08", "B09C 1/10"),
            (
                Metric("有效态镉降低率", "%", 60, 80, 30, 45, "石灰钝化"),
                Metric("修复成本", "元/亩", 800, 1500, 2500, 4000, "客土置换", False),
            ),
            (
                "采集污染土壤并测定重金属形态分布",
                "按土壤质量{1-3}%施加复合钝化剂并翻耕混匀",
                "保持土壤含水率{20-30}%养护{15-30}d",
            ),
            uses=("土壤修复", "农田安全利用"),
        ),
        method(
            "餐厨垃圾厌氧发酵产沼",
            "biogas production from food waste by anaerobic digestion",
            ("B09B 3/00", "C12P 5/023"),
            (
                Metric("吨垃圾产沼气量", "m³", 90, 130, 50, 70, "传统单相厌氧发酵"),
                Metric("油脂回收率", "%", 90, 96, 70, 80, "传统隔油工艺"),
            ),
            (
                "将餐厨垃圾分拣、破碎并提取油脂",
                "经水解酸化后进入厌氧反应器，于{35-38}℃中温发酵{20-30}d",
                "沼气经脱硫提纯，沼渣制成有机肥",
            ),
            uses=("固废资源化", "餐厨垃圾处理"),
        ),
        device(
            "农村生活污水一体化处理设备",
            "integrated treatment unit for rural domestic sewage",
            ("C02F 9/00", "C02F 3/30"),
            (
                Metric("吨水处理成本", "元", 0.5, 1.0, 1.5, 2.5, "传统活性污泥法", False, 1),
                Metric("占地面积", "m²", 10, 30, 60, 100, "同规模传统工艺", False),
            ),
            ("调节池", "缺氧区", "好氧区", "MBR膜组件", "曝气装置", "回流泵", "控制柜"),
            uses=("农村生活污水治理", "景区污水处理"),
            adjectives=("模块化", "低能耗", "地埋式"),
        ),
    ),
    buyers="环保工程企业、污水处理厂和工业园区",
    buyers_en="environmental engineering firms, wastewater treatment plants and industrial parks",
    design_products=(("一体化污水处理设备", ("农村生活污水治理",)), ("水质在线监测仪", ("市政供水", "工业废水监测"))),
)

# --- 新能源汽车 ----------------------------------------------------------------------------------------------
NEW_ENERGY_VEHICLES = TechnologyField(
    key="nev",
    name="新能源汽车",
    domain="新能源汽车",
    price_factor=1.5,
    topics=(
        system(
            "动力电池荷电状态估计",
            "state-of-charge estimation of traction batteries",
            ("B60L 58/12", "G01R 31/367", "G01R 31/387"),
            (Metric("SOC估计误差", "%", 1, 2, 3, 5, "安时积分法", False, 1),),
            Analysis(
                "动力电池单体电压、电流和温度",
                ("扩展卡尔曼滤波", "长短期记忆网络（LSTM）", "等效电路模型"),
                "进行荷电状态联合估计",
                "荷电状态估计值",
                "修正剩余续驶里程显示",
            ),
            uses=("电池管理系统", "乘用车", "商用车"),
        ),
        system(
            "电动汽车再生制动能量回收控制",
            "regenerative braking control of electric vehicles",
            ("B60L 7/10", "B60L 7/18", "B60W 30/18"),
            (
                Metric("制动能量回收率", "%", 25, 35, 12, 18, "常规回收策略"),
                Metric("CLTC续驶里程", "km", 520, 580, 480, 500, "同车型原策略"),
            ),
            Analysis(
                "车速、制动踏板开度与电池荷电状态",
                ("模型预测控制", "模糊控制", "深度强化学习"),
                "进行制动力矩优化分配",
                "再生制动力矩分配系数",
                "协调电机制动与液压制动",
            ),
            uses=("乘用车", "城市公交", "物流车"),
        ),
        device(
            "内置式永磁同步电机转子",
            "rotor for interior permanent magnet synchronous motors",
            ("H02K 1/276", "H02K 1/27"),
            (
                Metric("电机峰值效率", "%", 96, 97.8, 93, 95, "常规永磁同步电机", decimals=1),
                Metric("转矩脉动", "%", 3, 6, 10, 15, "常规V型转子", False),
            ),
            ("转子铁芯", "永磁体", "隔磁桥", "转轴", "端板", "平衡盘"),
            uses=("新能源汽车驱动电机", "电动重卡"),
            adjectives=("低转矩脉动", "高速", "低噪声"),
        ),
        device(
            "油冷电驱动总成",
            "oil-cooled electric drive assembly",
            ("H02K 9/19", "B60K 1/00", "H02K 7/116"),
            (
                Metric("电驱总成功率密度", "kW/kg", 4, 6, 2, 3.2, "上一代电驱总成", decimals=1),
                Metric("CLTC工况综合效率", "%", 91, 93, 86, 88, "上一代电驱总成", decimals=1),
            ),
            ("电机", "减速器", "电机控制器", "油泵", "油冷器", "壳体"),
            uses=("乘用车", "电动重卡"),
            adjectives=("三合一", "高功率密度", "集成式"),
        ),
        system(
            "换电站电池调度",
            "battery dispatching at battery-swap stations",
            ("B60L 53/80", "B60L 53/67", "G06Q 10/04"),
            (Metric("车辆平均等待时间", "分钟", 2, 5, 10, 20, "先到先服务策略", False),),
            Analysis(
                "换电站电池库存、荷电状态与车辆预约信息",
                ("混合整数规划", "深度强化学习", "需求预测"),
                "进行充电与调度联合优化",
                "电池调度与充电计划",
                "向站控系统下发指令",
            ),
            uses=("充换电运营", "出租网约车", "电动重卡"),
        ),
        device(
            "电动汽车热泵空调系统",
            "heat pump air-conditioning system for electric vehicles",
            ("B60H 1/00", "B60H 1/32", "F25B 30/02"),
            (
                Metric("-10℃制热COP", "", 1.8, 2.4, 1, 1.2, "PTC电加热", decimals=1),
                Metric("冬季续驶里程衰减", "%", 15, 25, 35, 45, "PTC电加热车型", False),
            ),
            ("电动压缩机", "车外换热器", "电池冷却器", "电子膨胀阀", "四通换向阀", "气液分离器"),
            uses=("乘用车", "汽车热管理"),
            adjectives=("低温", "集成式", "高效"),
        ),
        system(
            "智能驾驶车道保持控制",
            "lane-keeping control in intelligent driving",
            ("B60W 30/12", "B60W 60/00"),
            (Metric("车道中心线横向偏差", "cm", 5, 10, 20, 30, "PID控制", False),),
            Analysis(
                "前视摄像头图像与车辆运动状态",
                ("模型预测控制", "卷积神经网络（CNN）", "卡尔曼滤波"),
                "进行车道线识别与轨迹规划",
                "期望转向角",
                "控制电动助力转向执行",
            ),
            uses=("智能驾驶", "乘用车"),
        ),
        device(
            "电池包底部防护结构",
            "underbody protection structure for battery packs",
            ("H01M 50/249", "B60L 50/64", "B62D 21/15"),
            (
                Metric("底部球击最大侵入量", "mm", 3, 6, 10, 15, "普通钢制底护板", False),
                Metric("护板重量", "kg", 8, 12, 15, 22, "普通钢制底护板", False),
            ),
            ("底护板", "吸能梁", "缓冲层", "电池包壳体", "连接螺栓", "密封胶条"),
            uses=("动力电池包", "乘用车"),
            adjectives=("轻量化", "高强度"),
        ),
        system(
            "永磁同步电机无位置传感器控制",
            "sensorless control of permanent magnet synchronous motors",
            ("H02P 21/18", "H02P 21/22", "H02P 6/18"),
            (Metric("转子位置估计误差", "°（电角度）", 1, 3, 5, 10, "传统反电动势法", False),),
            Analysis(
                "电机三相电流与母线电压",
                ("滑模观测器", "高频注入法", "锁相环"),
                "进行转子位置与转速估计",
                "转子位置估计值",
                "完成矢量控制",
            ),
            uses=("电机控制器", "电动压缩机", "电动水泵"),
        ),
        device(
            "车载双向充电机",
            "bidirectional on-board charger",
            ("H02J 7/02", "B60L 53/22"),
            (
                Metric("峰值充电效率", "%", 96, 97.5, 93, 94.5, "传统单向车载充电机", decimals=1),
                Metric("功率密度", "kW/L", 3, 4.5, 1.5, 2.5, "上一代车载充电机", decimals=1),
            ),
            ("PFC电路", "双向LLC变换器", "高频变压器", "控制板", "液冷散热板", "壳体"),
            uses=("乘用车", "车网互动（V2G）"),
            adjectives=("高功率密度", "高效"),
        ),
    ),
    buyers="整车企业、汽车零部件供应商和充换电运营商",
    buyers_en="carmakers, auto parts suppliers and charging and battery-swap operators",
    design_products=(
        ("直流充电桩", ("充换电运营",)),
        ("汽车轮毂", ("乘用车",)),
        ("车载充电机外壳", ("乘用车", "汽车零部件")),
    ),
)

# --- 海洋工程 ------------------------------------------------------------------------------------------------
MARINE = TechnologyField(
    key="marine",
    name="海洋工程",
    domain="海洋工程",
    price_factor=1.0,
    topics=(
        device(
            "半潜式海上风电浮式基础",
            "semi-submersible floating foundation for offshore wind turbines",
            ("F03D 13/25", "B63B 35/44", "B63B 21/50"),
            (
                Metric("单位千瓦基础造价", "元/kW", 4000, 6000, 8000, 11000, "传统三立柱半潜平台", False),
                Metric("平台最大纵摇角", "°", 3, 5, 7, 10, "传统三立柱半潜平台", False, 1),
            ),
            ("立柱", "浮筒", "连接撑杆", "压载舱", "系泊缆", "塔筒连接段"),
            uses=("海上风电", "深远海风电"),
            adjectives=("轻量化", "抗风浪", "低成本"),
        ),
        device(
            "水下机器人推进装置",
            "thruster for underwater robots",
            ("B63G 8/08", "B63H 21/17", "B63C 11/52"),
            (
                Metric("推进效率", "%", 55, 65, 40, 48, "传统开放式螺旋桨"),
                Metric("最大工作水深", "m", 3000, 6000, 300, 1000, "常规观察级ROV"),
            ),
            ("推进电机", "导管螺旋桨", "密封舱", "磁耦合器", "导流罩", "控制器"),
            uses=("水下机器人", "海洋勘探", "水下工程"),
            adjectives=("高效", "模块化", "大深度"),
        ),
        device(
            "海上风电单桩基础防冲刷结构",
            "scour protection for offshore wind monopile foundations",
            ("E02D 27/52", "E02B 3/04"),
            (Metric("桩周最大冲刷深度", "m", 0.5, 1.5, 3, 5, "无防护单桩", False, 1),),
            ("单桩", "防冲刷护圈", "砂被", "仿生水草", "抛石层", "连接件"),
            uses=("海上风电", "跨海桥梁"),
            adjectives=("仿生", "柔性"),
        ),
        device(
            "振荡浮子式波浪能发电装置",
            "oscillating-buoy wave energy converter",
            ("F03B 13/14", "H02K 7/18"),
            (Metric("波能转换效率", "%", 30, 45, 12, 20, "传统点吸收装置"),),
            ("浮子", "液压缸", "蓄能器", "液压马达", "发电机", "锚泊系统"),
            uses=("海岛供电", "海洋观测浮标"),
            adjectives=("高效", "抗台风"),
        ),
        material(
            "有机硅低表面能防污涂料",
            "low-surface-energy silicone antifouling coating",
            ("C09D 5/16", "C09D 183/04"),
            (
                Metric("防污有效期", "个月", 36, 60, 12, 24, "传统含铜防污涂料"),
                Metric("涂层表面能", "mN/m", 18, 22, 30, 40, "传统含铜防污涂料", False),
            ),
            (
                "以端羟基聚二甲基硅氧烷为基料，加入含氟改性剂",
                "与气相二氧化硅和环保防污剂按比例高速分散{30-60}min",
                "加入固化剂和催化剂组分，得到低表面能防污涂料",
            ),
            uses=("船舶制造", "海洋平台", "海水养殖设施"),
            adjectives=("环保型", "长效", "无铜"),
        ),
        system(
            "海洋平台结构健康监测",
            "structural health monitoring of offshore platforms",
            ("G01M 5/00", "G01M 7/02", "E02B 17/00"),
            (Metric("损伤定位准确率", "%", 85, 95, 60, 75, "人工定期检测"),),
            Analysis(
                "加速度传感器采集的平台振动响应",
                ("随机子空间识别", "数字孪生", "贝叶斯模型修正"),
                "进行模态识别",
                "结构模态参数与损伤指标",
                "评估结构损伤并预警",
            ),
            uses=("海洋油气", "海上风电"),
        ),
        system(
            "船舶航行能效优化",
            "energy-efficiency optimisation of ship voyages",
            ("B63B 79/00", "G06Q 10/04"),
            (Metric("日均燃油消耗", "吨", 28, 35, 38, 45, "经验航线", False),),
            Analysis(
                "船舶航速、主机油耗和海况数据",
                ("粒子群优化", "数字孪生", "气象航线算法"),
                "进行航速与航线多目标优化",
                "最优航速与航线",
                "推荐驾驶台执行",
            ),
            uses=("远洋航运", "船舶管理"),
        ),
        method(
            "海水淡化浓盐水分盐结晶",
            "salt separation and crystallisation from desalination brine",
            ("C02F 1/44", "C02F 103/08"),
            (
                Metric("系统水回收率", "%", 90, 97, 45, 60, "常规反渗透海水淡化"),
                Metric("吨水处理能耗", "kWh", 20, 30, 45, 60, "多效蒸发工艺", False),
            ),
            (
                "将反渗透浓盐水经软化预处理去除钙镁离子",
                "经纳滤分盐后进入机械蒸汽再压缩蒸发结晶单元",
                "分别结晶得到工业级氯化钠和硫酸钠产品",
            ),
            uses=("海水淡化", "化工园区"),
        ),
        device(
            "海底管道内检测器",
            "in-line inspection tool for subsea pipelines",
            ("F16L 55/26", "G01N 27/82"),
            (
                Metric("缺陷检出率", "%", 90, 95, 70, 80, "常规测径检测"),
                Metric("缺陷深度测量误差", "%壁厚", 5, 10, 15, 20, "常规漏磁检测器", False),
            ),
            ("驱动皮碗", "漏磁检测探头", "里程轮", "数据存储舱", "电池舱", "万向节"),
            uses=("海洋油气", "管道运维"),
            adjectives=("高精度", "大口径"),
        ),
    ),
    buyers="海工装备企业、海上风电开发商和船舶企业",
    buyers_en="offshore equipment makers, offshore wind developers and shipbuilders",
    design_products=(("无人测量船", ("海洋测绘", "港口航道测量")), ("海洋观测浮标", ("海洋观测",))),
)


# --- 海洋渔业/水产 ----------------------------------------------------------------------------------------------
_SURVIVAL = Metric("养殖成活率", "%", 90, 96, 70, 80, "传统池塘养殖")

FISHERIES = TechnologyField(
    key="fisheries",
    name="海洋渔业/水产",
    domain="水产养殖与水产品加工",
    price_factor=0.6,
    topics=(
        device(
            "深远海养殖网箱",
            "offshore aquaculture net cage",
            ("A01K 61/60", "A01K 61/65"),
            (
                Metric("抗台风等级", "级", 15, 17, 12, 13, "传统重力式网箱"),
                Metric("单箱养殖水体", "m³", 20000, 60000, 3000, 8000, "传统近岸网箱"),
            ),
            ("浮管", "网衣", "沉石", "系泊系统", "投饵平台", "监控摄像头"),
            uses=("深远海养殖", "海洋牧场"),
            adjectives=("抗风浪", "可升降", "大型"),
        ),
        method(
            "大口黑鲈工厂化循环水养殖",
            "indoor recirculating aquaculture of largemouth bass",
            ("A01K 61/10", "A01K 63/04"),
            (
                Metric("养殖成活率", "%", 90, 96, 70, 80, "传统池塘养殖"),
                Metric("饲料系数", "", 1.0, 1.2, 1.4, 1.8, "传统池塘养殖", False, 1),
            ),
            (
                "在养殖池中放养体长{5-10}cm的大口黑鲈苗种，密度{80-150}尾/m³",
                "养殖水经微滤、生物滤池和紫外消毒后循环利用",
                "每日投喂配合饲料{2-4}次并在线监测溶解氧",
            ),
            uses=("水产养殖", "工厂化养殖"),
        ),
        method(
            "凡纳滨对虾工厂化养殖",
            "indoor intensive farming of Pacific white shrimp",
            ("A01K 61/59", "A01K 63/04"),
            (_SURVIVAL, Metric("单位水体产量", "kg/m³", 8, 12, 1.5, 3, "传统土塘养殖", decimals=1)),
            (
                "在养殖池中按{200-400}尾/m²放养体长{1-2}cm的虾苗",
                "通过生物絮团技术调控水质，碳氮比控制在{12-18}:1",
                "养殖{90-120}d后分批收获",
            ),
            uses=("水产养殖", "工厂化养殖"),
        ),
        method(
            "鱿鱼副产物呈味肽酶解制备",
            "enzymatic preparation of flavour peptides from squid by-products",
            ("A23J 3/34", "A23L 17/00", "A23L 27/21"),
            (Metric("呈味肽得率", "%", 18, 28, 8, 12, "传统酸水解工艺"),),
            (
                "将鱿鱼加工下脚料清洗后匀浆，料液比1:{2-5}",
                "加入复合蛋白酶于{45-55}℃酶解{3-6}h",
                "经超滤截留分子量{1-3}kDa以下组分并喷雾干燥",
            ),
            uses=("海产品加工", "调味品"),
        ),
        method(
            "大黄鱼鱼糜制品加工",
            "processing large yellow croaker into surimi products",
            ("A23L 17/00", "A23L 17/70"),
            (
                Metric("凝胶强度", "g·cm", 600, 900, 300, 450, "传统工艺鱼糜"),
                Metric("冷藏货架期", "天", 20, 30, 7, 12, "传统工艺鱼糜"),
            ),
            (
                "将大黄鱼去头去内脏后采肉，漂洗{2-3}次",
                "加入{2-3}%食盐和复合磷酸盐斩拌{10-20}min",
                "于{35-45}℃凝胶化{30-60}min后在{85-95}℃加热定型",
            ),
            uses=("海产品加工", "预制菜"),
        ),
        device(
            "深远海网箱智能投饵装置",
            "smart feeding device for offshore net cages",
            ("A01K 61/80", "A01K 61/60"),
            (Metric("饲料系数", "", 1.0, 1.2, 1.4, 1.8, "人工投喂", False, 1),),
            ("料仓", "下料器", "抛料盘", "驱动电机", "控制器", "水下摄像头"),
            uses=("深远海养殖", "水产养殖"),
            adjectives=("精准", "远程控制"),
        ),
    ),
    buyers="水产养殖企业、水产品加工企业和渔业合作社",
    buyers_en="aquaculture companies, seafood processors and fishery cooperatives",
    design_products=(("养殖工船", ("深远海养殖",)), ("智能投饵机", ("水产养殖",))),
)

# --- 纺织 ----------------------------------------------------------------------------------------------------
_LOOM_SPEED = Metric("车速", "r/min", 1000, 1400, 600, 800, "传统机型")
_BREATHABILITY = Metric("透湿量", "g/(m²·24h)", 3000, 5000, 800, 1500, "普通PU合成革")

TEXTILES = TechnologyField(
    key="textiles",
    name="纺织",
    domain="纺织",
    price_factor=0.6,
    topics=(
        material(
            "抗菌聚酯纤维",
            "antibacterial polyester fibre",
            ("D01F 6/62", "D01F 1/103"),
            (
                Metric("抑菌率（金黄色葡萄球菌）", "%", 99, 99.9, 80, 90, "普通涤纶", decimals=1),
                Metric("洗涤50次后抑菌率", "%", 95, 99, 60, 75, "后整理抗菌织物"),
            ),
            (
                "将纳米银抗菌母粒与聚酯切片按质量比{3-8}:100共混",
                "经{280-295}℃熔融纺丝，纺丝速度{2800-3600}m/min",
                "经牵伸、热定型得到抗菌聚酯纤维",
            ),
            uses=("功能服装", "家纺", "医用纺织品"),
            adjectives=("耐洗", "高效", "长效"),
        ),
        material(
            "皮芯型复合导电纤维",
            "sheath-core composite conductive fibre",
            ("D01F 8/14", "D01F 1/09"),
            (
                Metric("断裂强度", "cN/dtex", 3.5, 4.5, 2.5, 3, "常规导电纤维", decimals=1),
                Metric("洗涤100次后电阻变化率", "%", 5, 15, 50, 100, "涂层型导电纤维", False),
            ),
            (
                "以聚酯为皮层、添加{15-30}%导电炭黑的聚酰胺为芯层",
                "采用复合纺丝组件于{270-290}℃熔融纺丝",
                "经拉伸和热定型得到皮芯型导电纤维",
            ),
            uses=("防静电工作服", "洁净室服装", "智能穿戴"),
            adjectives=("耐洗", "高导电"),
        ),
        method(
            "涤纶织物超临界二氧化碳无水染色",
            "waterless dyeing of polyester fabric in supercritical carbon dioxide",
            ("D06P 3/52", "D06P 1/16"),
            (
                Metric("吨布水耗", "吨", 5, 15, 80, 120, "传统溢流染色", False),
                Metric("染料上染率", "%", 95, 99, 80, 88, "传统水浴染色"),
            ),
            (
                "将涤纶织物卷绕于染色经轴并置于超临界染色釜中",
                "在温度{110-130}℃、压力{20-28}MPa条件下染色{30-60}min",
                "降压分离回收二氧化碳和残余染料",
            ),
            uses=("印染", "运动面料"),
        ),
        method(
            "棉织物无氟防水整理",
            "fluorine-free water-repellent finishing of cotton fabric",
            ("D06M 15/643", "D06M 15/00", "D06M 2200/12"),
            (
                Metric("静水压", "kPa", 8, 15, 3, 5, "常规有机硅拒水整理"),
                Metric("洗涤20次后静水压保持率", "%", 80, 90, 50, 65, "常规有机硅拒水整理"),
            ),
            (
                "配制含改性有机硅整理剂{30-60}g/L的工作液",
                "将棉织物二浸二轧，轧余率{65-80}%",
                "于{150-170}℃焙烘{1-3}min",
            ),
            uses=("户外用品", "功能服装"),
        ),
        method(
            "真丝织物抗皱整理",
            "anti-wrinkle finishing of silk fabric",
            ("D06M 13/00", "D06M 2101/10"),
            (
                Metric("折皱回复角（经+纬）", "°", 260, 290, 200, 220, "未整理真丝织物"),
                Metric("断裂强力保持率", "%", 85, 95, 65, 75, "传统树脂整理"),
            ),
            (
                "将真丝织物在含多元羧酸整理剂{40-80}g/L的工作液中浸渍",
                "经二浸二轧后于{80-100}℃预烘",
                "于{150-170}℃焙烘{1-3}min后水洗",
            ),
            uses=("丝绸服装", "家纺"),
        ),
        material(
            "静电纺丝纳米纤维过滤膜",
            "electrospun nanofibre filter membrane",
            ("D04H 1/728", "D01D 5/00"),
            (
                Metric("0.3μm颗粒过滤效率", "%", 99, 99.9, 90, 95, "熔喷非织造布", decimals=1),
                Metric("过滤阻力", "Pa", 40, 80, 120, 200, "熔喷非织造布", False),
            ),
            (
                "将聚合物溶于N,N-二甲基甲酰胺，配制成质量分数{10-18}%的纺丝液",
                "在电压{15-25}kV、接收距离{12-20}cm条件下静电纺丝",
                "与非织造布基材热压复合得到过滤膜",
            ),
            uses=("口罩", "空气净化", "医用防护"),
            adjectives=("高效低阻", "可降解"),
        ),
        device(
            "经编机电子横移装置",
            "electronic guide bar shogging device for warp knitting machines",
            ("D04B 27/24", "D04B 27/26"),
            (_LOOM_SPEED, Metric("横移定位误差", "mm", 0.01, 0.03, 0.05, 0.1, "机械凸轮横移", False, 2)),
            ("伺服电机", "滚珠丝杠", "横移推杆", "导纱梳栉", "位置传感器", "控制系统"),
            uses=("经编机械", "花边面料"),
            adjectives=("高速", "伺服驱动"),
        ),
        device(
            "喷气织机节能主喷嘴",
            "energy-saving main nozzle for air-jet looms",
            ("D03D 47/30", "D03D 47/28"),
            (Metric("压缩空气消耗", "m³/min", 0.8, 1.2, 1.5, 2, "常规主喷嘴", False, 1), _LOOM_SPEED),
            ("喷嘴体", "导纱管", "加速管", "气室", "进气口", "调节螺母"),
            uses=("织造机械", "服装面料"),
            adjectives=("低耗气", "高速"),
        ),
        material(
            "超细纤维合成革",
            "microfibre synthetic leather",
            ("D06N 3/14",),
            (Metric("撕裂强力", "N", 80, 120, 40, 60, "普通PU合成革"), _BREATHABILITY),
            (
                "以海岛型超细纤维非织造布为基布，浸渍水性聚氨酯",
                "于{60-80}℃凝固后用碱液减量开纤",
                "经磨皮、染色和压花得到超细纤维合成革",
            ),
            uses=("汽车内饰", "箱包", "鞋材"),
            adjectives=("水性", "高透湿", "环保"),
        ),
        material(
            "相变调温面料",
            "phase-change temperature-regulating fabric",
            ("D06M 23/12", "A41D 31/06"),
            (Metric("调温焓值", "J/g", 20, 35, 5, 10, "常规相变整理织物"),),
            (
                "将石蜡微胶囊与粘合剂、分散剂配制成整理液",
                "将织物浸轧整理液，轧余率{70-85}%",
                "于{120-140}℃焙烘{2-4}min",
            ),
            uses=("功能服装", "床上用品", "户外用品"),
            adjectives=("智能", "舒适型"),
        ),
        system(
            "织物疵点视觉检测",
            "visual inspection of fabric defects",
            ("D06H 3/08", "G06T 7/0004"),
            (Metric("疵点检出率", "%", 95, 99, 70, 80, "人工验布", decimals=1),),
            Analysis(
                "织机布面相机采集的织物图像",
                ("卷积神经网络（CNN）", "YOLO", "纹理分析"),
                "进行疵点定位与分类",
                "疵点类型与位置",
                "标记疵点并联动停机",
            ),
            uses=("织造", "印染质检"),
        ),
    ),
    buyers="纺织印染企业、化纤企业和服装品牌商",
    buyers_en="dyeing and finishing mills, man-made fibre producers and apparel brands",
    design_products=(("面料（提花图案）", ("服装面料", "家纺")), ("围巾", ("服饰",)), ("抱枕", ("家纺",))),
)

# --- 医疗器械 ------------------------------------------------------------------------------------------------
MEDICAL_DEVICES = TechnologyField(
    key="medical_devices",
    name="医疗器械",
    domain="医疗器械",
    price_factor=1.4,
    topics=(
        device(
            "可穿戴动态心电监测装置",
            "wearable ambulatory ECG monitor",
            ("A61B 5/00", "A61B 5/024"),
            (
                Metric("连续监测时长", "小时", 72, 168, 24, 48, "传统Holter"),
                Metric("房颤识别准确率", "%", 95, 99, 85, 90, "传统Holter分析软件", decimals=1),
            ),
            ("电极贴片", "心电采集模块", "主控芯片", "蓝牙模块", "柔性电路板", "电池"),
            uses=("心血管疾病管理", "居家健康监测"),
            adjectives=("低功耗", "贴片式"),
        ),
        device(
            "无创血糖检测装置",
            "non-invasive blood glucose meter",
            ("A61B 5/145", "A61B 5/1455"),
            (Metric("平均绝对相对误差（MARD）", "%", 8, 11, 13, 18, "同类无创产品", False, 1),),
            ("近红外光源", "光电探测器", "指夹", "信号处理电路", "显示屏", "电池"),
            uses=("糖尿病管理", "居家健康监测"),
            adjectives=("便携式", "腕戴式"),
        ),
        device(
            "可降解镁合金血管支架",
            "biodegradable magnesium alloy vascular stent",
            ("A61F 2/82", "A61L 31/02", "A61L 31/14"),
            (
                Metric("径向支撑力", "kPa", 150, 200, 100, 130, "同规格聚乳酸支架"),
                Metric("支架丝径", "μm", 100, 120, 150, 180, "聚乳酸可降解支架", False),
            ),
            ("镁合金基体", "支撑杆", "连接筋", "药物涂层", "显影标记"),
            uses=("心血管介入", "外周血管介入"),
            adjectives=("超薄壁", "载药"),
        ),
        device(
            "骨科手术机器人",
            "orthopaedic surgical robot",
            ("A61B 34/30", "A61B 34/20"),
            (
                Metric("手术定位精度", "mm", 0.5, 1, 2, 3.5, "徒手置钉", False, 1),
                Metric("术中透视次数", "次", 3, 6, 15, 25, "徒手置钉", False),
            ),
            ("机械臂", "光学导航仪", "末端导向器", "手术规划模块", "台车", "示踪器"),
            uses=("骨科", "脊柱外科"),
            adjectives=("七自由度", "高精度"),
        ),
        device(
            "一次性使用穿刺器",
            "single-use trocar",
            ("A61B 17/34", "A61B 17/3421"),
            (
                Metric("单次使用成本", "元", 30, 80, 150, 300, "进口同类产品", False),
                Metric("穿刺力", "N", 30, 45, 60, 80, "传统穿刺器", False),
            ),
            ("穿刺针", "套管", "密封阀", "手柄", "安全护套", "充气阀"),
            uses=("微创外科", "腹腔镜手术"),
            adjectives=("防漏气", "安全型"),
        ),
        device(
            "智能输液泵",
            "smart infusion pump",
            ("A61M 5/142", "A61M 5/168"),
            (Metric("流速误差", "%", 2, 4, 5, 10, "传统输液泵", False),),
            ("蠕动泵", "步进电机", "压力传感器", "气泡检测器", "主控板", "显示屏"),
            uses=("临床护理", "重症监护"),
            adjectives=("防自由流", "便携式"),
        ),
        device(
            "上肢康复训练机器人",
            "upper-limb rehabilitation robot",
            ("A61H 1/02",),
            (Metric("8周Fugl-Meyer上肢评分提高", "分", 10, 16, 4, 8, "常规康复训练"),),
            ("外骨骼臂", "关节电机", "力矩传感器", "肌电采集模块", "座椅", "控制器"),
            uses=("康复医疗", "社区康复"),
            adjectives=("主被动", "轻量化"),
        ),
        system(
            "肺结节CT影像辅助诊断",
            "computer-aided diagnosis of pulmonary nodules on CT",
            ("G16H 50/20", "G16H 30/40", "G06T 7/0012"),
            (
                Metric("结节检出敏感度", "%", 94, 98, 80, 88, "低年资医生阅片", decimals=1),
                Metric("单例阅片时间", "分钟", 2, 5, 10, 15, "人工阅片", False),
            ),
            Analysis(
                "胸部CT影像序列",
                ("三维卷积神经网络", "U-Net", "多模态融合"),
                "进行病灶分割与特征提取",
                "结节检测框与良恶性概率",
                "生成结构化诊断报告",
            ),
            uses=("医学影像", "肺癌筛查"),
        ),
        material(
            "3D打印多孔钛合金骨植入物",
            "3D-printed porous titanium alloy bone implant",
            ("A61F 2/28", "A61L 27/06", "B33Y 80/00"),
            (
                Metric("孔隙率", "%", 60, 80, 30, 45, "传统烧结多孔钛"),
                Metric("弹性模量", "GPa", 2, 10, 100, 115, "致密钛合金", False),
            ),
            (
                "以TC4球形粉末为原料，采用激光选区熔化逐层打印多孔结构，层厚{20-50}μm",
                "于{750-850}℃真空热处理{1-3}h",
                "经喷砂、酸洗和阳极氧化完成表面处理",
            ),
            uses=("骨科", "口腔种植"),
            adjectives=("仿生", "梯度孔隙"),
        ),
        device(
            "超声内镜",
            "ultrasound endoscope",
            ("A61B 8/12", "A61B 1/00"),
            (Metric("超声成像分辨率", "mm", 0.1, 0.3, 0.5, 0.8, "同类国产产品", False, 1),),
            ("超声换能器", "插入管", "弯曲部", "操作部", "钳道", "光纤照明"),
            uses=("消化内镜", "医学影像"),
            adjectives=("高分辨率", "电子"),
        ),
        device(
            "经颅磁刺激线圈",
            "transcranial magnetic stimulation coil",
            ("A61N 2/02", "A61N 2/00"),
            (
                Metric("连续工作时长", "分钟", 60, 120, 15, 30, "风冷线圈"),
                Metric("刺激聚焦面积", "cm²", 2, 5, 10, 20, "传统8字形线圈", False),
            ),
            ("线圈绕组", "磁芯", "冷却通道", "温度传感器", "外壳", "手柄"),
            uses=("精神康复", "神经内科"),
            adjectives=("液冷", "聚焦型"),
        ),
    ),
    buyers="医疗器械企业、医院和康复机构",
    buyers_en="medical device makers, hospitals and rehabilitation centres",
    design_products=(
        ("心电监护仪", ("临床监护",)),
        ("输液泵", ("临床护理",)),
        ("康复训练器", ("康复医疗",)),
        ("血糖仪", ("糖尿病管理", "居家健康监测")),
    ),
)

# --- 绿色建筑 ------------------------------------------------------------------------------------------------
_HEAT_TRANSFER = Metric("传热系数", "W/(m²·K)", 0.3, 0.45, 0.6, 0.8, "传统外墙外保温系统", False, 2)

CONSTRUCTION = TechnologyField(
    key="construction",
    name="绿色建筑",
    domain="建筑工程",
    price_factor=0.7,
    topics=(
        device(
            "装配式混凝土墙板连接节点",
            "connection joint for precast concrete wall panels",
            ("E04B 1/61", "E04B 1/41"),
            (
                Metric("主体结构施工工期", "天", 60, 90, 120, 160, "现浇结构", False),
                Metric("节点极限承载力", "kN", 350, 500, 200, 280, "传统焊接节点"),
            ),
            ("预埋钢板", "连接角钢", "高强螺栓", "灌浆套筒", "止水条"),
            uses=("装配式建筑", "保障性住房"),
            adjectives=("干式", "抗震"),
        ),
        material(
            "玄武岩纤维增强复合筋",
            "basalt fibre-reinforced polymer (BFRP) bar",
            ("E04C 5/07", "C08J 5/04"),
            (
                Metric("抗拉强度", "MPa", 1000, 1300, 400, 500, "HRB400钢筋"),
                Metric("密度", "g/cm³", 1.9, 2.1, 7.8, 7.85, "钢筋", False, 2),
            ),
            (
                "将玄武岩纤维经硅烷偶联剂表面处理",
                "浸渍环氧乙烯基酯树脂后经拉挤模具成型，牵引速度{0.5-1.5}m/min",
                "于{150-180}℃在线固化后表面喷砂",
            ),
            uses=("海工混凝土结构", "桥面板", "地下工程"),
            adjectives=("耐腐蚀", "高强"),
        ),
        material(
            "固废基低碳胶凝材料",
            "low-carbon cementitious material made from solid waste",
            ("C04B 28/04", "C04B 18/04", "C04B 7/14"),
            (
                Metric("单方碳排放", "kg CO₂/m³", 150, 220, 320, 400, "普通硅酸盐水泥混凝土", False),
                Metric("固废掺量", "%", 70, 90, 20, 30, "普通硅酸盐水泥"),
            ),
            (
                "按质量份称取钢渣粉{30-50}份、矿渣粉{20-40}份和脱硫石膏{5-12}份",
                "加入碱激发剂后加水搅拌，水胶比0.{30-45}",
                "经标准养护{7-28}d得到胶凝材料制品",
            ),
            uses=("预制构件", "道路基层", "低碳建材"),
            adjectives=("早强型", "免烧"),
        ),
        material(
            "超高性能混凝土",
            "ultra-high-performance concrete",
            ("C04B 28/04", "C04B 14/48"),
            (
                Metric("28天抗压强度", "MPa", 120, 160, 50, 70, "C60普通混凝土"),
                Metric("抗折强度", "MPa", 20, 35, 5, 8, "C60普通混凝土"),
            ),
            (
                "按质量份称取水泥{700-900}份、硅灰{150-250}份和石英砂{900-1100}份",
                "加入体积掺量{1.5-3.0}%的镀铜钢纤维，水胶比0.{16-20}",
                "在{60-80}℃蒸汽养护{24-72}h",
            ),
            uses=("桥梁工程", "装配式建筑", "超高层建筑"),
            adjectives=("低收缩", "高韧性"),
        ),
        device(
            "外墙保温装饰一体化板",
            "integrated insulating and decorative panel for exterior walls",
            ("E04F 13/075", "E04B 1/76", "E04F 13/08"),
            (_HEAT_TRANSFER, Metric("施工工效", "m²/工日", 40, 60, 10, 20, "传统薄抹灰系统")),
            ("保温芯材", "装饰面板", "锚固件", "龙骨", "密封胶", "防火隔离带"),
            uses=("既有建筑节能改造", "公共建筑"),
            adjectives=("防火", "轻质"),
        ),
        method(
            "软土地区深基坑支护",
            "supporting deep excavations in soft soil",
            ("E02D 17/04", "E02D 5/20"),
            (
                Metric("围护结构最大水平位移", "mm", 15, 25, 40, 60, "传统排桩支护", False),
                Metric("支护造价", "元/延米", 25000, 35000, 45000, 60000, "地下连续墙", False),
            ),
            (
                "沿基坑周边施工咬合桩，桩径{800-1200}mm",
                "分层开挖并及时架设钢支撑，每层开挖深度不超过{2-3}m",
                "实时监测围护结构变形，浇筑底板后拆除支撑",
            ),
            uses=("地下工程", "地铁车站"),
        ),
        method(
            "海绵城市透水混凝土路面施工",
            "building pervious concrete pavements in sponge cities",
            ("E01C 7/14", "E01C 11/22", "E03F 1/00"),
            (
                Metric("透水系数", "mm/s", 1.5, 3, 0.5, 0.9, "常规透水砖", decimals=1),
                Metric("抗压强度", "MPa", 30, 40, 15, 20, "常规透水混凝土"),
            ),
            (
                "铺设级配碎石基层并压实，厚度{150-250}mm",
                "采用单粒级骨料与高强胶结料拌制透水混凝土，孔隙率{15-25}%",
                "摊铺压实后覆膜养护{7-14}d",
            ),
            uses=("海绵城市", "市政道路", "公园广场"),
        ),
        system(
            "建筑施工安全智能监测",
            "intelligent safety monitoring of building sites",
            ("G08B 21/18", "G06Q 50/08"),
            (Metric("预警提前时间", "分钟", 10, 30, 1, 3, "人工巡查"),),
            Analysis(
                "塔吊、深基坑和高支模的监测数据与现场视频",
                ("边缘计算", "目标检测网络", "阈值分级预警"),
                "进行风险识别",
                "风险等级",
                "推送分级预警信息",
            ),
            uses=("智慧工地", "超高层建筑"),
        ),
        device(
            "附着式升降脚手架防坠装置",
            "anti-fall device for attached lifting scaffolds",
            ("E04G 5/00", "E04G 5/04"),
            (Metric("防坠制动距离", "mm", 50, 80, 150, 200, "传统摆针式防坠器", False),),
            ("导轨", "防坠器", "棘爪", "复位弹簧", "传感器", "附墙支座"),
            uses=("高层建筑施工", "智慧工地"),
            adjectives=("自动复位", "高可靠性"),
        ),
        device(
            "光伏建筑一体化幕墙",
            "building-integrated photovoltaic curtain wall",
            ("E04B 2/88", "H02S 20/26"),
            (Metric("年发电量", "kWh/m²", 120, 160, 80, 100, "传统光伏幕墙"), _HEAT_TRANSFER),
            ("光伏组件", "铝合金龙骨", "结构胶", "接线盒", "排水槽", "连接件"),
            uses=("公共建筑", "工业厂房", "近零能耗建筑"),
            adjectives=("通风型", "双玻"),
        ),
    ),
    buyers="建筑施工企业、预制构件厂和市政设计院",
    buyers_en="building contractors, precast plants and municipal design institutes",
    design_products=(("外墙装饰板", ("公共建筑", "既有建筑节能改造")), ("透水砖", ("海绵城市", "市政道路"))),
)

# --- 新能源（光伏/氢能/风电） ----------------------------------------------------------------------------------
RENEWABLE_ENERGY = TechnologyField(
    key="renewables",
    name="新能源（光伏/氢能/风电）",
    domain="新能源",
    price_factor=1.3,
    topics=(
        material(
            "钙钛矿/晶硅叠层太阳能电池",
            "perovskite/silicon tandem solar cell",
            ("H01L 31/18", "H01G 9/20"),
            (Metric("光电转换效率", "%", 28, 31.5, 22.5, 24, "PERC电池", decimals=1),),
            (
                "在晶硅底电池表面沉积厚度{10-30}nm的复合隧穿层",
                "旋涂钙钛矿前驱体溶液并于{100-150}℃退火{10-30}min",
                "依次蒸镀电子传输层和透明电极",
            ),
            uses=("光伏电站", "分布式光伏"),
            adjectives=("高效", "四端"),
        ),
        material(
            "TOPCon电池钝化接触结构",
            "passivated contact structure for TOPCon solar cells",
            ("H01L 31/0216", "H01L 31/068", "H01L 31/18"),
            (Metric("光电转换效率", "%", 25, 26.5, 22.5, 24, "PERC电池", decimals=1),),
            (
                "对N型单晶硅片进行制绒和清洗",
                "采用LPCVD沉积厚度{1-2}nm的隧穿氧化层和{80-150}nm的掺杂多晶硅层",
                "丝网印刷电极后烧结得到电池片",
            ),
            uses=("光伏电池制造", "光伏电站"),
            adjectives=("双面", "高效"),
        ),
        device(
            "光伏组件平单轴跟踪支架",
            "horizontal single-axis tracker for PV modules",
            ("H02S 20/32", "H02S 20/10"),
            (
                Metric("年等效发电小时数", "小时", 1350, 1500, 1100, 1200, "固定支架"),
                Metric("抗风速", "m/s", 40, 50, 30, 35, "常规平单轴跟踪支架"),
            ),
            ("立柱", "主梁", "回转驱动", "倾角传感器", "控制箱", "阻尼器"),
            uses=("光伏电站", "农光互补"),
            adjectives=("智能", "抗大风"),
        ),
        material(
            "碱性电解水制氢电极",
            "electrode for hydrogen production by alkaline water electrolysis",
            ("C25B 1/04", "C25B 11/04"),
            (
                Metric("10mA/cm²析氢过电位", "mV", 30, 60, 120, 200, "商用雷尼镍电极", False),
                Metric("稳定运行时长", "小时", 1000, 3000, 200, 500, "商用雷尼镍电极"),
            ),
            (
                "将泡沫镍在{1-3}mol/L盐酸中超声清洗",
                "在含镍、铁盐的溶液中于{120-180}℃水热反应{6-12}h",
                "洗涤干燥后得到自支撑电极",
            ),
            uses=("绿氢制备", "化工用氢"),
            adjectives=("高活性", "自支撑"),
        ),
        material(
            "质子交换膜燃料电池膜电极",
            "membrane electrode assembly for proton exchange membrane fuel cells",
            ("H01M 8/1004", "H01M 4/92", "H01M 4/88"),
            (
                Metric("铂载量", "mg/cm²", 0.1, 0.25, 0.4, 0.6, "商用膜电极", False, 2),
                Metric("额定功率密度", "W/cm²", 1.0, 1.4, 0.6, 0.8, "商用膜电极", decimals=2),
            ),
            (
                "将铂碳催化剂、Nafion溶液和异丙醇混合超声分散{30-60}min",
                "将催化剂浆料喷涂于质子交换膜两侧，铂载量{0.10-0.40}mg/cm²",
                "与气体扩散层热压得到膜电极组件",
            ),
            uses=("氢能交通", "备用电源"),
            adjectives=("低铂", "高功率密度"),
        ),
        system(
            "燃料电池系统氢气循环控制",
            "hydrogen recirculation control in fuel cell systems",
            ("H01M 8/04298", "H01M 8/04089"),
            (Metric("氢气利用率", "%", 98, 99.5, 94, 96, "固定周期排氢", decimals=1),),
            Analysis(
                "氢气压力、流量和电堆单片电压数据",
                ("模型预测控制", "模糊PID控制", "神经网络"),
                "进行阳极水气状态估计",
                "氢气循环泵转速与排氢周期设定值",
                "调节氢气循环泵与排氢阀",
            ),
            uses=("氢燃料电池汽车", "氢能交通"),
        ),
        system(
            "风电机组叶片故障预警",
            "early warning of wind turbine blade faults",
            ("F03D 17/00", "F03D 7/04", "G06N 3/08"),
            (
                Metric("故障预警提前期", "天", 7, 15, 1, 3, "定期巡检"),
                Metric("误报率", "%", 2, 5, 10, 20, "阈值报警", False),
            ),
            Analysis(
                "风电机组SCADA运行数据与叶片振动信号",
                ("长短期记忆网络（LSTM）", "孤立森林", "迁移学习"),
                "进行异常检测",
                "叶片故障概率",
                "提前安排运维",
            ),
            uses=("风电运维", "风电场"),
        ),
        device(
            "固态储氢罐",
            "solid-state hydrogen storage tank",
            ("F17C 11/005", "F17C 11/00"),
            (Metric("质量储氢密度", "wt%", 1.8, 2.5, 1, 1.4, "常规AB5型储氢合金", decimals=1),),
            ("罐体", "储氢合金", "导热翅片", "过滤器", "阀门", "换热管"),
            uses=("氢能储运", "分布式能源"),
            adjectives=("轻量化", "快速吸放氢"),
        ),
        device(
            "组串式光伏逆变器",
            "PV string inverter",
            ("H02M 7/5387", "H02J 3/381", "H02J 3/38"),
            (
                Metric("MPPT效率", "%", 99.5, 99.9, 98.5, 99.2, "常规逆变器", decimals=1),
                Metric("最大转换效率", "%", 98.8, 99.2, 98, 98.5, "常规组串式逆变器", decimals=1),
            ),
            ("直流输入端", "MPPT电路", "三电平逆变桥", "LCL滤波器", "控制板", "散热器"),
            uses=("分布式光伏", "光伏电站"),
            adjectives=("高效", "三电平"),
        ),
        device(
            "低温空气源热泵机组",
            "low-temperature air-source heat pump unit",
            ("F25B 30/02", "F24D 3/18", "F25B 49/02"),
            (Metric("-25℃制热COP", "", 2, 2.6, 1.2, 1.6, "普通空气源热泵", decimals=1),),
            ("压缩机", "蒸发器", "冷凝器", "经济器", "电子膨胀阀", "四通阀"),
            uses=("建筑供暖", "农业烘干", "工业余热利用"),
            adjectives=("喷气增焓", "变频"),
        ),
        material(
            "低熔点熔盐储热材料",
            "low-melting-point molten salt for thermal storage",
            ("C09K 5/12", "F28D 20/00"),
            (
                Metric("比热容", "J/(g·K)", 1.6, 2.0, 1.4, 1.5, "太阳盐", decimals=2),
                Metric("熔点", "℃", 120, 140, 220, 230, "太阳盐", False),
            ),
            (
                "按质量比称取硝酸钠、硝酸钾和硝酸钙",
                "于{300-350}℃熔融混合{2-4}h",
                "加入纳米二氧化硅并超声分散，得到熔盐储热材料",
            ),
            uses=("光热发电", "工业余热利用", "火电灵活性改造"),
            adjectives=("高比热", "高稳定性"),
        ),
    ),
    buyers="新能源设备制造商、发电集团和综合能源服务商",
    buyers_en="renewable energy equipment makers, power generators and integrated energy service providers",
    design_products=(("光伏逆变器", ("分布式光伏",)), ("空气源热泵室外机", ("建筑供暖",)), ("储氢罐", ("氢能储运",))),
)

FIELDS: tuple[TechnologyField, ...] = (
    BATTERY,
    BIOMEDICINE,
    MATERIALS,
    ARTIFICIAL_INTELLIGENCE,
    EQUIPMENT,
    AGRICULTURE,
    SEMICONDUCTORS,
    ENVIRONMENT,
    NEW_ENERGY_VEHICLES,
    MARINE,
    FISHERIES,
    TEXTILES,
    MEDICAL_DEVICES,
    CONSTRUCTION,
    RENEWABLE_ENERGY,
)
FIELDS_BY_KEY = {technology_field.key: technology_field for technology_field in FIELDS}

# Who sells what: (organisation name as in organisations.py, relative number of listings, its fields).
# Universities and institutes are the main sellers, as the plan expects; each enterprise sells in its own trade.
SELLERS: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("浙江大学", 14, tuple(FIELDS_BY_KEY)),
    (
        "浙江工业大学",
        8,
        ("materials", "equipment", "environment", "battery", "biomedicine", "construction", "renewables"),
    ),
    ("杭州电子科技大学", 6, ("ai", "semiconductors", "equipment", "medical_devices")),
    ("宁波大学", 5, ("marine", "fisheries", "materials", "ai", "biomedicine")),
    ("温州医科大学", 5, ("biomedicine", "medical_devices")),
    ("嘉兴大学", 3, ("textiles", "materials", "ai")),
    ("湖州师范学院", 2, ("agriculture", "fisheries", "environment", "biomedicine")),
    ("绍兴文理学院", 2, ("textiles", "materials", "construction")),
    ("浙江师范大学", 3, ("ai", "materials", "battery", "environment", "nev")),
    ("衢州学院", 2, ("materials", "environment", "equipment")),
    ("浙江海洋大学", 3, ("marine", "fisheries", "environment")),
    ("台州学院", 2, ("biomedicine", "equipment", "materials")),
    ("丽水学院", 1.5, ("agriculture", "environment", "materials")),
    ("中国科学院宁波材料技术与工程研究所", 7, ("materials", "battery", "nev", "renewables", "equipment")),
    ("之江实验室", 5, ("ai", "semiconductors", "medical_devices")),
    ("浙江省农业科学院", 4, ("agriculture", "environment")),
    ("浙江省林业科学研究院", 1.5, ("agriculture", "materials", "construction")),
    ("浙江省医学科学院", 2, ("biomedicine", "medical_devices")),
    ("浙江省海洋水产研究所", 1.5, ("fisheries",)),
    ("温州市农业科学研究院", 1, ("agriculture",)),
    ("杭州澜芯微电子有限公司", 1, ("semiconductors",)),
    ("杭州数衡智能科技有限公司", 1, ("ai",)),
    ("杭州钱塘生物医药有限公司", 1, ("biomedicine",)),
    ("宁波甬新材料科技有限公司", 1, ("materials",)),
    ("宁波北仑精密模具有限公司", 1, ("equipment",)),
    ("温州瓯江电气股份有限公司", 1, ("semiconductors", "renewables")),
    ("乐清智联低压电器有限公司", 1, ("semiconductors",)),
    ("嘉兴南湖光电科技有限公司", 1, ("semiconductors",)),
    ("湖州太湖绿能科技有限公司", 1, ("renewables", "battery")),
    ("绍兴越州纺织科技有限公司", 1, ("textiles",)),
    ("金华婺城新能源汽车部件有限公司", 1, ("nev",)),
    ("义乌商通数字科技有限公司", 1, ("ai",)),
    ("衢州衢江氟硅新材料有限公司", 1, ("materials", "battery")),
    ("舟山定海船舶装备有限公司", 1, ("marine",)),
    ("台州椒江医药化工有限公司", 1, ("biomedicine",)),
    ("台州黄岩模塑科技有限公司", 1, ("equipment",)),
    ("丽水瓯江生态农业科技有限公司", 1, ("agriculture",)),
)
