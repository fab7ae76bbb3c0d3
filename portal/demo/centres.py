"""The demo "1+X" tree: the provincial centre and the operation centres beneath it."""

# (slug, Chinese name, English name, kind, city, parent slug or None)
CENTRES: tuple[tuple[str, str, str, str, str, str | None], ...] = (
    (
        "zhejiang",
        "浙江省知识产权交易中心",
        "Zhejiang Provincial IP Exchange Centre",
        "provincial",
        "hangzhou",
        None,
    ),
    ("hangzhou", "杭州知识产权交易中心", "Hangzhou IP Exchange", "city_exchange", "hangzhou", "zhejiang"),
    ("ningbo", "宁波知识产权交易中心", "Ningbo IP Exchange", "city_exchange", "ningbo", "zhejiang"),
    (
        "wenzhou",
        "温州科技成果转化中心",
        "Wenzhou Technology Transfer Exchange",
        "city_exchange",
        "wenzhou",
        "zhejiang",
    ),
    (
        "jiaxing",
        "嘉兴知识产权运营中心",
        "Jiaxing IP Operation Centre",
        "city_exchange",
        "jiaxing",
        "zhejiang",
    ),
    (
        "zju-ttc",
        "浙江大学技术转移中心",
        "Zhejiang University Technology Transfer Centre",
        "university",
        "hangzhou",
        "hangzhou",
    ),
    (
        "nev-alliance",
        "新能源汽车产业知识产权运营中心",
        "New-Energy Vehicle Industry IP Operation Centre",
        "industry_alliance",
        "ningbo",
        "ningbo",
    ),
    (
        "materials-alliance",
        "新材料产业知识产权运营中心",
        "Advanced Materials Industry IP Operation Centre",
        "industry_alliance",
        "shaoxing",
        "zhejiang",
    ),
)

# Which centre an organisation registers with, by city; organisations of other cities go to the root.
CENTRE_FOR_CITY = {"hangzhou": "hangzhou", "ningbo": "ningbo", "wenzhou": "wenzhou", "jiaxing": "jiaxing"}
# Organisations served by a specialised centre rather than their city's exchange.
CENTRE_FOR_ORGANISATION = {"浙江大学": "zju-ttc"}
