"""The words of the demo listings that are not about a technology: title patterns, claim phrasing, names."""

from listings.models import Maturity, Mode

M = Maturity

MODE_WORDS = {Mode.LICENCE: "许可", Mode.TRANSFER: "转让", Mode.EQUITY: "作价入股"}
MATURITY_SENTENCES = {
    M.CONCEPT: "目前已完成原理验证，适合有研发能力的企业联合开发。",
    M.LAB: "目前已完成实验室验证，可提供小试工艺包和技术指导。",
    M.PILOT: "已完成中试验证，具备放大生产条件。",
    M.SMALL_BATCH: "已实现小批量试产，产品通过第三方检测。",
    M.MASS_PRODUCTION: "已在合作企业实现规模化量产应用。",
}
TITLE_TEMPLATES = {
    "material": (
        "一种{adj}{subject}的制备方法",
        "一种{subject}及其制备方法",
        "一种{adj}{subject}及其制备方法和应用",
        "{subject}的制备方法及其应用",
    ),
    "method": ("一种{subject}方法", "一种{adj}{subject}方法", "一种{subject}方法及其应用"),
    "device": ("一种{adj}{subject}", "一种{subject}", "一种用于{use}的{subject}"),
    "device_invention": ("一种{adj}{subject}", "一种{subject}及其控制方法", "一种用于{use}的{subject}"),
    "system": (
        "基于{technique}的{subject}方法及系统",
        "一种{subject}方法、装置、设备及存储介质",
        "一种基于{technique}的{subject}方法",
        "{subject}系统及方法",
    ),
    "compound": (
        "一种{subject}及其制备方法和用途",
        "{subject}及其在制备{indication}中的应用",
        "一种{subject}、其药物组合物及用途",
    ),
    "extract": ("一种{subject}的提取方法", "{subject}在制备{indication}中的应用", "一种{subject}及其制备方法"),
    "biologic": ("一种{subject}及其应用", "{subject}在制备{indication}中的应用", "一种{subject}及其制备方法"),
    "detection": ("一种{subject}及其检测试剂盒", "{subject}的检测方法及其应用", "一种{subject}及其应用"),
}
# Titles of the further patents of a portfolio: the same topic, seen from another side.
FOLLOW_UP_TITLE_TEMPLATES = {
    "material": ("一种{subject}的改性方法", "{subject}在{use}中的应用", "一种用于{use}的{subject}"),
    "method": ("一种{subject}系统", "一种用于{subject}的装置", "一种{subject}的在线监测方法"),
    "device": ("一种{subject}的安装结构", "一种{subject}的防护结构", "一种{adj}{subject}"),
    "device_invention": ("一种{subject}的控制方法", "一种{subject}的检测方法", "一种{subject}的安装结构"),
    "system": ("一种{subject}模型的训练方法", "一种{subject}的数据预处理方法", "{subject}装置及电子设备"),
    "compound": ("{subject}的晶型及其制备方法", "一种{subject}的合成方法"),
    "extract": ("一种{subject}的纯化方法", "{subject}在制备{indication}中的应用"),
    "biologic": ("{subject}的纯化方法", "{subject}在制备{indication}中的应用"),
    "detection": ("一种{subject}检测试剂盒", "{subject}的检测方法及其应用"),
}
LISTING_TITLE_SUFFIXES = {
    "material": ("制备技术", "技术", "关键技术"),
    "method": ("技术", "成套技术"),
    "device": ("专利技术", "技术"),
    "system": ("技术", "系统"),
}
DESIGN_VARIANTS = ("", "", "（标准型）", "（Ⅰ型）", "（Ⅱ型）", "（A款）")
DESIGN_POINTS = ("形状", "形状与图案的结合", "形状与色彩的结合")
DESIGN_VIEWS = ("立体图", "主视图", "设计1立体图")
CONNECTIONS = ("固定连接", "可拆卸连接", "转动连接", "滑动连接")
POSITIONS = ("一侧", "顶部", "底部", "内部", "外侧")
UTILITY_MERITS = ("安装维护方便", "成本低", "运行可靠", "便于批量生产")
COMPARISON_EXTRAS = (
    "工艺路线与现有产线兼容，无需新增大型设备。",
    "关键原材料可在国内采购，供应链稳定。",
    "核心数据已经第三方检测，可供复核。",
    "权利要求保护范围较宽，便于产品化。",
    "",
)
MODERATION_NOTES = (
    "请补充与现有技术的量化对比数据。",
    "请上传检测报告或样品照片。",
    "摘要与权利要求不一致，请核对专利信息。",
    "请明确许可的使用领域和期限。",
)
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石"
    "廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_NAME_CHARACTERS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉萍红鹏宇浩凯健俊帆旭宁龙林欣怡婷雪琳晨辰阳佳文博昊然轩雨泽晓思梦嘉海峰"
    "斌亮辉志建国春立新东振宏颖倩璐瑶慧彬睿哲瑞航逸"
)
