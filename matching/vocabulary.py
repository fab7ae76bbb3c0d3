"""A small domain vocabulary: the words firms use for their products and pains, mapped to the technical terms and
IPC groups that patents use for the same thing.

Where it comes from: written by hand by the platform's developers (December 2026) from the titles of the IPC
scheme (WIPO IPC 2026.01, the groups named below) and from the way technology demands on provincial technology
markets describe problems ("漏检", "积灰", "续航", "发热", "渗漏"); it is not derived from the listings or from
the judged set in tests/matching/. Extend it as real demands arrive: a concept whose cue appears in a demand adds its
terms to what matching looks for and its IPC groups to the boosts (matching.scoring). Cues and terms are matched
as substrings of the normalised text, so a cue should be specific enough not to appear by accident.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Concept:
    name: str
    cues: tuple[str, ...]  # what a firm writes
    terms: tuple[str, ...]  # what a patent writes
    ipc: tuple[str, ...] = ()  # IPC prefixes, as parse_ipc_prefix writes them


def _c(name: str, cues: str, terms: str, ipc: str = "") -> Concept:
    return Concept(
        name, tuple(cues.split()), tuple(terms.split()), tuple(p.strip() for p in ipc.split(";") if p.strip())
    )


CONCEPTS: tuple[Concept, ...] = (
    # --- Batteries and energy storage (H01M, H02J) ---
    _c("cathode", "正极 高镍 三元 容量衰减 循环寿命 掺杂 包覆", "正极材料 高镍 三元 富锂锰基 磷酸锰铁锂", "H01M 4/"),
    _c("anode", "负极 硅碳 首效", "负极材料 硅碳", "H01M 4/"),
    _c("solid_state", "固态电池 固态 电池安全 热失控 起火 电解液泄漏", "固态电解质 电解质膜", "H01M 10/05"),
    _c("electrolyte", "电解液 高电压 胀气", "电解液添加剂 电解液", "H01M 10/05"),
    _c("separator", "隔膜 耐热收缩", "隔膜 陶瓷涂覆", "H01M 50/"),
    _c("sodium", "钠电 钠离子 两轮车电池 低成本电池", "钠离子电池", "H01M 10/054"),
    _c("recycling_battery", "废旧电池 退役电池 电池回收 黑粉", "回收 废旧锂电池", "H01M 10/54; C22B 7/"),
    _c(
        "battery_health",
        "电池衰减 剩余寿命 电池健康 电量估算 续航估算 电量显示不准",
        "健康状态 荷电状态 SOH SOC",
        "G01R 31/36; B60L 58/",
    ),
    _c("battery_thermal", "电池包发热 电池温差 电池散热 电芯温度", "液冷板 热管理 电池模组", "H01M 10/6"),
    _c(
        "storage_station",
        "峰谷电价 储能电站 削峰填谷 工商业储能 微电网",
        "储能 能量管理 储能电池柜",
        "H02J 3/32; H02J 7/",
    ),
    # --- Pharma and biotech (A61K, A61P, C07) ---
    _c("oral_delivery", "口服 生物利用度 注射给药 吸收差", "递药 纳米 微球 缓释 载体", "A61K 9/; A61K 47/"),
    _c("long_acting", "长效 每月注射 依从性 缓释", "缓释微球 微球", "A61K 9/16; A61K 9/50"),
    _c("tumour", "肿瘤 癌症 抗癌", "抗肿瘤 靶向 抑制剂 单克隆抗体", "A61P 35/; C07K 16/"),
    _c("diabetes", "血糖 糖尿病", "血糖 糖尿病", "A61P 3/10; A61B 5/145"),
    _c("herbal", "中药 保健品 药食同源 功能食品", "提取物 多糖 保健食品", "A61K 36/"),
    _c("diagnosis_early", "早筛 体检 早期发现", "早期诊断 标志物", "G01N 33/; C12Q 1/68"),
    _c("wound", "创面 伤口愈合 烧伤", "外泌体 创面修复 干细胞", "A61K 35/; C12N 5/"),
    # --- Materials (C08, C09, C22, C04) ---
    _c("heat_spreading", "手机发热 散热不好 散热膜 热点温度", "导热薄膜 石墨烯 导热", "C01B 32/"),
    _c("anticorrosion", "生锈 锈蚀 腐蚀 防腐", "防腐涂料 防腐", "C09D 5/08"),
    _c("antifouling", "附着 藤壶 海生物 船底", "防污涂料 低表面能", "C09D 5/16"),
    _c("lightweight_metal", "轻量化 减重 铝合金", "铝合金 高强韧", "C22C 21/"),
    _c("motor_steel", "铁损 电机效率 电工钢 硅钢", "无取向硅钢 硅钢", "C22C 38/"),
    _c("heat_insulation", "隔热 保温 防火隔热 热蔓延", "气凝胶 隔热", "C01B 33/"),
    _c("phase_change", "蓄冷 控温 储热 恒温", "相变储能 相变 储热材料", "C09K 5/"),
    _c("composites", "复合材料 叶片 强度不够 韧性", "增强 复合材料 环氧树脂 碳纳米管", "C08L 63/; C08K"),
    _c("biodegradable", "可降解 限塑 一次性餐具 环保包装", "聚乳酸 竹纤维 可降解", "C08L 67/04"),
    _c("hightemp_film", "耐高温薄膜 柔性电路 柔性屏", "聚酰亚胺 薄膜", "C08G 73/10"),
    _c("ceramics", "密封环 耐磨陶瓷 陶瓷件", "碳化硅陶瓷 烧结", "C04B 35/"),
    _c("metal_powder", "3D打印 增材 金属粉末 打印件", "球形钛合金粉末 增材制造 3D打印", "B22F"),
    _c("tool_coating", "刀具寿命 刀具磨损快 涂层脱落 刀具涂层", "硬质涂层 TiAlN 涂层", "C23C 14/"),
    # --- AI and software (G06) ---
    _c(
        "visual_inspection",
        "质检 漏检 缺陷 瑕疵 外观检测 划痕 人工目检",
        "缺陷检测 表面缺陷 视觉检测 疵点",
        "G06T 7/; G06V 10/",
    ),
    _c("speech", "语音 噪声环境 唤醒 远讲", "语音识别 远场", "G10L 15/"),
    _c("recommendation", "推荐 转化率 复购 商品推荐 个性化", "推荐 个性化", "G06Q 30/"),
    _c("llm", "大模型 推理成本 响应慢 显卡", "大语言模型 推理加速 知识蒸馏", "G06N 3/"),
    _c("privacy_ml", "数据不出域 隐私 数据孤岛 联合建模", "联邦学习 隐私保护", "G06N 20/"),
    _c("knowledge", "知识库 问答 情报 文献", "知识图谱 语义检索", "G06F 16/"),
    _c("liveness", "刷脸 人脸 冒用 照片攻击", "人脸活体检测 活体", "G06V 40/"),
    _c("traffic", "拥堵 红绿灯 车流 交通信号", "交通流量预测 交通", "G08G 1/"),
    _c("point_cloud", "激光雷达 三维感知 障碍物 点云", "点云 目标检测", "G06V 20/"),
    # --- Machinery and robots (B23, B25, F16) ---
    _c("laser_cutting", "玻璃切割 崩边 裂片", "激光切割 超快激光", "B23K 26/"),
    _c("repair", "磨损件修复 再制造 修复旧件", "激光熔覆 修复", "B23K 26/342; C23C 24/"),
    _c("welding", "焊接质量 焊缝 焊偏", "焊缝跟踪 焊接", "B23K 9/; B23K 37/"),
    _c("gripper", "抓取 易损 分拣 夹坏 上下料", "夹爪 抓取 视觉引导", "B25J"),
    _c("cobot", "协作机器人 机械臂关节", "关节模组 协作机器人", "B25J"),
    _c("reducer", "减速机 减速器 回差 传动精度", "RV减速器 减速器", "F16H 1/"),
    _c("tool_wear", "刀具 断刀 换刀", "刀具磨损监测 刀具", "B23Q 17/; G05B 19/"),
    _c("mould_cooling", "模具冷却 成型周期 缩痕 翘曲 模温", "随形冷却 冷却水路 注塑模具", "B29C 45/73; B29C 33/04"),
    _c(
        "predictive_maintenance",
        "轴承 振动 故障预测 预测性维护 停机 异响",
        "故障诊断 滚动轴承 故障预警 健康监测",
        "G01M 13/; G01M 5/",
    ),
    _c("compressor", "空压机 鼓风机 曝气能耗", "离心压缩机 永磁", "F04D"),
    _c("hydraulics", "液压 阀 换向", "比例换向阀 电磁阀", "F16K 31/; F15B"),
    # --- Agriculture and food (A01, A23) ---
    _c("greenhouse", "大棚 温室 闷棚 通风", "温室 通风", "A01G 9/"),
    _c("irrigation", "浇水 施肥 灌溉 水肥", "水肥一体化 灌溉", "A01G 25/; A01C 21/"),
    _c("breeding", "育种 品种 种子", "分子标记 育种", "A01H"),
    _c("tea", "茶叶 红茶 茶厂 制茶", "红茶 茶叶加工", "A23F 3/"),
    _c("soil_fertility", "土壤板结 化肥 肥料 秸秆", "生物有机肥 微生物菌剂 有机肥", "C05"),
    _c("pest", "虫害 农药残留 病虫", "杀虫剂 植物源 生物农药", "A01N"),
    _c("picking", "采摘 摘果 人工采收", "采摘 末端执行器", "A01D 46/"),
    _c("freshness", "保鲜 腐烂 货架期 采后", "保鲜 采后", "A23B 7/"),
    _c("seedlings", "种苗 组培 育苗", "组培快繁 组培", "A01H 4/"),
    # --- Semiconductors and electronics (H01L, H01H, H02M) ---
    _c("power_device", "功率器件 功率模块 开关损耗 结温 逆变器效率", "碳化硅 MOSFET 氮化镓 功率", "H01L 29/; H01L 23/"),
    _c("packaging", "封装 芯片散热 双面散热 模块散热", "封装 散热", "H01L 23/; H01L 21/56"),
    _c("micro_led", "Micro LED 巨量转移 显示模组 微显示", "Micro-LED 显示芯片", "H01L 27/15; H01L 33/"),
    _c("quantum_dot", "色域 背光", "量子点 发光薄膜", "C09K 11/"),
    _c("rf", "信号覆盖 射频 功放", "功率放大器 射频", "H03F"),
    _c("radar", "雷达 天线 毫米波", "相控阵天线 毫米波", "H01Q"),
    _c("optical_comm", "光模块 光通信 数据中心互联", "电光调制器 光互连", "G02F 1/"),
    _c("dcdc", "充放电 双向变换 储能变流", "DC-DC变换器 双向", "H02M 3/"),
    _c("breaker", "断路器 跳闸 脱扣 灭弧 分断", "断路器 脱扣", "H01H 71/; H01H 73/; H01H 9/"),
    _c("wafer_handling", "晶圆搬运 晶圆传送 颗粒污染", "晶圆传输 机械手", "H01L 21/67"),
    _c("chip_test", "芯片测试 测试覆盖率 良率分析", "测试向量", "G01R 31/3183"),
    # --- Environment and water (C02F, B01D, B09) ---
    _c("dye_wastewater", "印染废水 色度 脱色 染料废水", "印染废水 深度处理 脱色", "C02F"),
    _c("saline_wastewater", "高盐废水 难降解 COD高 化工废水 制药废水", "电催化氧化 高盐有机废水", "C02F 1/46"),
    _c("nitrogen", "氨氮 总氮 脱氮 渗滤液", "厌氧氨氧化 脱氮", "C02F 3/"),
    _c("heavy_metal", "重金属 镉 铅超标 电镀废水", "重金属吸附剂 钝化修复 重金属", "B01J 20/; B09C"),
    _c("membrane", "反渗透 膜污染 浓水 海水淡化 回用", "反渗透复合膜 抗污染 分盐结晶", "B01D 61/; B01D 69/; C02F 1/44"),
    _c("flue_gas", "氮氧化物 脱硝 烟气 超低排放", "SCR脱硝催化剂 脱硝", "B01D 53/; B01J 23/"),
    _c("sludge", "污泥 含水率 压滤", "污泥深度脱水 污泥", "C02F 11/"),
    _c("food_waste", "餐厨垃圾 厨余 有机垃圾", "厌氧发酵 餐厨垃圾 产沼", "B09B"),
    _c("rural_sewage", "农村污水 生活污水 小型污水站", "一体化处理设备 生活污水", "C02F 3/; C02F 9/"),
    _c("air_filter", "过滤效率 口罩 粉尘 PM2.5 空气净化", "过滤膜 纳米纤维 静电纺丝", "D04H; B01D 39/"),
    # --- Vehicles (B60, H02K, H02P) ---
    _c("ev_range", "续航 能量回收 刹车 制动能量", "再生制动 能量回收", "B60L 7/"),
    _c("ev_motor", "电机 退磁 转子 驱动电机 NVH", "永磁同步电机 转子 电驱动总成", "H02K"),
    _c("motor_control", "电机控制 编码器 位置传感器 低速抖动", "无位置传感器控制 电机控制", "H02P"),
    _c("cabin_heating", "冬季续航 车内采暖 空调耗电 暖风 开空调", "热泵空调 热泵", "B60H"),
    _c("battery_swap", "换电 补能 排队充电", "换电站 电池调度", "B60L 53/"),
    _c("charging", "车载充电 充电桩 反向供电 V2G", "充电机 双向充电", "H02J 7/02; B60L 53/"),
    _c("lane_keeping", "车道偏离 辅助驾驶 方向盘", "车道保持 智能驾驶", "B60W"),
    _c("underbody", "托底 底部撞击 石子冲击", "底部防护 电池包", "H01M 50/24; B60L 50/"),
    # --- Marine and fisheries (B63, A01K, A23L) ---
    _c("offshore_wind", "海上风电 漂浮式 深远海风电", "浮式基础 海上风电 单桩", "F03D 13/; E02D 27/"),
    _c("underwater_robot", "水下作业 潜水员 水下检测 水下机器人", "水下机器人 推进", "B63G 8/; B63H"),
    _c("wave", "海岛用电 浮标供电 波浪", "波浪能发电 浮子", "F03B 13/"),
    _c("ship_fuel", "燃油消耗 航线 船舶油耗", "航行能效 能效优化", "B63B 79/"),
    _c("pipeline", "管道泄漏 管道检测 海底管线", "管道内检测器 管道", "F16L 55/"),
    _c("platform_monitoring", "平台结构 结构安全 疲劳裂纹", "结构健康监测", "G01M"),
    _c("aquaculture_cage", "深海养殖 台风 网箱 渔排", "深远海养殖网箱 网箱", "A01K 61/60"),
    _c("feeding", "投喂 饵料浪费 投饵", "投饵装置 智能投饵", "A01K 61/80"),
    _c("recirculating", "循环水 工厂化养殖 养殖水质 换水", "循环水养殖 工厂化养殖", "A01K 63/; A01K 61/"),
    _c("seafood_processing", "鱼糜 下脚料 副产物 鱼丸 海鲜调味", "鱼糜制品 酶解 呈味肽", "A23L 17/; A23J"),
    # --- Textiles (D01, D06, D03, D04) ---
    _c("antibacterial_fibre", "抗菌 异味 除臭", "抗菌 纤维", "D01F"),
    _c("antistatic", "静电 防静电", "导电纤维", "D01F 8/"),
    _c("waterless_dyeing", "染色废水 节水染色 无水染色", "超临界二氧化碳 无水染色", "D06P"),
    _c("water_repellent", "防水 泼水 含氟 PFAS", "无氟防水 防水整理", "D06M"),
    _c("wrinkle", "起皱 易皱 褶皱", "抗皱整理", "D06M"),
    _c("loom", "织机 耗气量 压缩空气 织造能耗", "喷气织机 主喷嘴", "D03D"),
    _c("knitting", "经编 横移 花型", "经编机 电子横移", "D04B"),
    _c("leather", "合成革 皮革 人造革", "超细纤维合成革", "D06N"),
    _c("thermal_fabric", "调温 凉感 保暖面料", "相变调温 面料", "D06M 23/"),
    # --- Medical devices (A61B, A61F, A61M, A61H, G16H) ---
    _c("ecg", "心律 心电 心脏监测", "动态心电监测 心电", "A61B 5/"),
    _c("noninvasive_glucose", "扎手指 采血 无创", "无创血糖", "A61B 5/145"),
    _c("stent", "血管支架 心脏支架 血管狭窄 再狭窄", "可降解 血管支架 镁合金", "A61F 2/82"),
    _c("surgical_robot", "手术精度 置钉 骨科手术", "骨科手术机器人 手术机器人", "A61B 34/"),
    _c("trocar", "腹腔镜 穿刺", "穿刺器", "A61B 17/34"),
    _c("infusion", "输液 滴速 输注", "输液泵", "A61M 5/"),
    _c("rehab", "康复 偏瘫 中风", "康复训练机器人 康复", "A61H"),
    _c("imaging_ai", "读片 阅片 影像科 漏诊", "辅助诊断 CT影像 肺结节", "G16H; G06T 7/"),
    _c("implant", "植入物 骨缺损 种植体", "骨植入物 多孔钛合金", "A61F 2/28; A61L 27/"),
    _c("endoscope", "内镜 消化道 胃镜", "超声内镜 内镜", "A61B 1/; A61B 8/12"),
    _c("tms", "抑郁 失眠 神经调控", "经颅磁刺激", "A61N 2/"),
    # --- Construction (E04, E02, C04B, E01) ---
    _c("prefab", "装配式 预制构件 现场湿作业", "装配式 墙板 连接节点", "E04B 1/"),
    _c("rebar", "钢筋锈蚀 海工结构 氯离子", "玄武岩纤维 复合筋", "E04C 5/"),
    _c("low_carbon_cement", "水泥用量 碳排放 固废利用 低碳建材 粉煤灰", "胶凝材料 固废基 低碳", "C04B 28/; C04B 18/"),
    _c("uhpc", "桥梁 高强混凝土 薄壁构件", "超高性能混凝土 UHPC", "C04B 28/"),
    _c("facade", "外墙 外墙保温 脱落 节能改造", "保温装饰一体化 外墙", "E04F 13/"),
    _c("foundation_pit", "基坑 软土 支护 深基坑", "基坑支护 软土", "E02D 17/; E02D 5/"),
    _c("permeable", "积水 内涝 海绵城市 透水", "透水混凝土 海绵城市", "E01C"),
    _c("site_safety", "工地安全 高处坠落 塔吊 安全监测", "施工安全 智能监测 防坠", "G08B 21/; E04G"),
    _c("bipv", "幕墙 屋顶发电 光伏建筑", "光伏建筑一体化 幕墙", "E04B 2/88; H02S 20/"),
    # --- Renewables and hydrogen (H01L 31, H02S, C25B, H01M 8, F17C, F24) ---
    _c("solar_cell", "光电转换效率 电池片效率 太阳能电池", "钙钛矿 叠层 TOPCon 钝化", "H01L 31/"),
    _c("pv_tracking", "发电量低 追光 跟踪", "跟踪支架 平单轴", "H02S 20/3"),
    _c("pv_cleaning", "积灰 灰尘 清洗组件 光伏板清洁", "清洁 光伏组件", "H02S 40/10; B08B"),
    _c("pv_inverter", "逆变器 并网", "逆变器 组串式", "H02M 7/; H02J 3/38"),
    _c("electrolysis", "绿氢 制氢 电解槽 电解水", "电解水制氢 电极", "C25B"),
    _c("fuel_cell", "燃料电池 氢燃料 氢车 电堆", "膜电极 燃料电池 氢气循环", "H01M 8/"),
    _c("hydrogen_storage", "储氢 氢气储存 运氢", "储氢罐 固态储氢", "F17C"),
    _c("wind_blade", "风机叶片 叶片开裂 风机故障", "叶片故障预警 风电机组", "F03D 17/; F03D 7/"),
    _c("heat_pump", "采暖 供暖 煤改电 低温制热 烘干", "空气源热泵 热泵机组", "F25B; F24D"),
    _c("thermal_storage", "余热 光热 储热", "熔盐储热 储热材料", "C09K 5/; F28D 20/"),
)

# Words that say nothing about what is needed: they appear in most demands and most listings alike.
_STOPWORD_TEXT = """
    一种 及其 制备 方法 应用 技术 系统 装置 设备 产品 我们 我司 公司 企业 工厂 希望 需要 寻找 要求 目前 现在
    现有 已经 可以 能够 能 实现 提高 提升 降低 减少 增加 问题 成本 效率 性能 质量 生产 工艺 客户 主机 厂家 用户
    技术方 合作 开发 专利 买断 许可 转让 以上 以下 左右 不到 不低于 不超过 达到 之间 一个 两个 这个 这些 没有
    还是 或者 以及 而且 但是 因为 所以 如果 一些 很多 比较 非常 最好 尽量 目标 方面 相关 主要 进行 使用 采用
    可 能 的 了 和 与 或 在 是 有 要 从 到 为 把 让 用 做 对 等 中 上 下 后 前 里 个 次 新 高 低 大 小 多 少
    其 于 以 及 并 将 被 所 该 本 一 二 三 年 月 天 元 万元 吨 小时 批量 量产 规模 市场 行业 领域 方案 项目 工作
    问题 困难 痛点 场景 环节 情况 效果 明显 严重 经常 常常 一直 仍然 越来越 较 太 更 最 很 也 都 就 还 又 再
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())
