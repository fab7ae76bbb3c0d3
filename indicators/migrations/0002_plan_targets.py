"""Seed the plan's 2020 targets (section 二(三)) so they show, and can be changed, in the admin.

The same figures are the code defaults (models.PLAN_TARGETS): a migration must not import app code that may
change later, so they are repeated here.
"""

from django.db import migrations

PLAN = "浙江省知识产权发展规划（2016-2020年）二(三)"
TARGETS = [
    ("turnover", 2020, 22_000_000_000 * 100),  # 技术市场成交额 220 亿元
    ("licensing_contracted", 2020, 500_000_000 * 100),  # 知识产权许可使用金额 5 亿元
]


def seed(apps, schema_editor):
    IndicatorTarget = apps.get_model("indicators", "IndicatorTarget")
    for indicator, year, amount_fen in TARGETS:
        IndicatorTarget.objects.get_or_create(
            indicator=indicator, year=year, defaults={"amount_fen": amount_fen, "note": PLAN}
        )


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
