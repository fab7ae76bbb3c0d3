"""A centre imports a demand survey (需求征集表): every row checked as the demand form checks it, all or nothing,
with the listing import's row-by-row report; staff only, and only for organisations their centre hosts."""

import base64
import csv
import io
from datetime import timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from demands.importing import COLUMNS, ImportRejected, import_demand_survey
from demands.importing import tasks as import_tasks
from demands.models import Demand, DemandEvent, DemandStatus
from demands.views import imports as import_views
from tests.listings.test_import import report_rows

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("demands:import")


def survey_row(serial: int, world, **changes) -> dict[str, str]:
    """One firm's answer to the survey, as a centre's spreadsheet holds it (Chinese headers)."""
    row = {
        "统一社会信用代码": world.enterprise.credit_code,
        "需求名称": f"寻求电池正极包覆技术{serial}",
        "需求描述": "我司生产动力电池，高镍正极循环寿命不足，希望找到可量产的包覆改性技术。",
        "技术领域": "电学",
        "IPC分类": "H01M",
        "合作方式": "许可；合作开发",
        "预算下限(万元)": "50",
        "预算上限(万元)": "200",
        "所在地区": "宁波市",
        "截止日期": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "联系方式": "经纪人",
        "英文名称": "",
        "英文简介": "",
    }
    row.update(changes)
    return row


def survey_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def survey_xlsx(rows: list[dict[str, str]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(rows[0]))
    for row in rows:
        sheet.append(list(row.values()))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, *, name: str = "survey.csv", **options):
    handle = io.BytesIO(content)
    handle.name = name
    return client.post(IMPORT_URL, {"file": handle, **options})


def test_a_centre_broker_imports_a_good_survey_and_every_demand_is_published(world, client_for):
    rows = [survey_row(1, world), survey_row(2, world, 合作方式="转让, 入股", 联系方式="公开", 技术领域="H")]
    response = upload(client_for(world.ningbo_broker), survey_xlsx(rows), name="survey.xlsx")

    assert response.status_code == 302
    demands = list(Demand.objects.filter(organisation=world.enterprise).order_by("title"))
    assert [demand.title for demand in demands] == ["寻求电池正极包覆技术1", "寻求电池正极包覆技术2"]
    first, second = demands
    assert first.status == DemandStatus.PUBLISHED and first.centre == world.ningbo_alliance
    assert (first.field, first.ipc_codes, first.city) == ("H", ["H01M"], "ningbo")
    assert first.deal_kinds == ["licence", "joint_development"] and second.deal_kinds == ["transfer", "equity"]
    assert (first.budget_min_fen, first.budget_max_fen) == (50_000_000, 200_000_000)  # 50 and 200 万元, in fen
    assert (first.contact_policy, second.contact_policy) == ("broker", "open")
    # The audit trail names the platform's submission with the importer and file, and the broker's publication.
    published = DemandEvent.objects.get(demand=first, to_status=DemandStatus.PUBLISHED)
    submitted = DemandEvent.objects.get(demand=first, to_status=DemandStatus.SUBMITTED)
    assert published.actor == world.ningbo_broker
    assert submitted.actor is None and "survey.xlsx" in submitted.note
    page = client_for(world.ningbo_broker).get(response["Location"]).content.decode()
    assert "2" in page and "寻求电池正极包覆技术" not in page  # the counts, on the import page


def test_review_first_sends_the_imported_demands_to_the_moderation_queue(world, client_for):
    client = client_for(world.ningbo_broker)
    upload(client, survey_csv([survey_row(1, world)]), review_first="on")

    demand = Demand.objects.get(organisation=world.enterprise)
    assert demand.status == DemandStatus.SUBMITTED
    assert "寻求电池正极包覆技术1" in client.get(reverse("demands:moderation_queue")).content.decode()


def test_one_bad_row_imports_nothing_and_the_report_names_its_row_and_column(world, client_for):
    rows = [survey_row(1, world), survey_row(2, world, **{"预算下限(万元)": "300"}), survey_row(3, world)]
    response = upload(client_for(world.ningbo_broker), survey_csv(rows))

    assert response.status_code == 200
    ((row, column, reason),) = report_rows(response)
    assert (row, column) == ("3", "预算上限（万元） (budget_max_10k_yuan)")
    assert reason
    assert not Demand.objects.exists()


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"技术领域": ""}, "技术领域 (field)"),
        ({"技术领域": "生物"}, "技术领域 (field)"),
        ({"截止日期": "2020-01-01"}, "截止日期 (deadline)"),
        ({"截止日期": "下个月"}, "截止日期 (deadline)"),
        ({"合作方式": "赠送"}, "合作方式 (deal_kinds)"),
        ({"所在地区": "上海"}, "所在地区 (city)"),
        ({"IPC分类": "Z99"}, "IPC分类 (ipc_codes)"),
        ({"预算上限(万元)": "-5"}, "预算上限（万元） (budget_max_10k_yuan)"),
        ({"统一社会信用代码": "91330100000000000X"}, "统一社会信用代码 (credit_code)"),
    ],
)
def test_a_value_the_form_would_refuse_is_reported_in_its_column(world, client_for, changes, column):
    response = upload(client_for(world.ningbo_broker), survey_csv([survey_row(1, world, **changes)]))

    assert [(row, col) for row, col, _reason in report_rows(response)] == [("2", column)]
    assert not Demand.objects.exists()


def test_a_row_repeated_in_the_file_is_reported_against_the_first(world, client_for):
    rows = [survey_row(1, world), survey_row(2, world), survey_row(1, world)]
    response = upload(client_for(world.ningbo_broker), survey_csv(rows))

    ((row, column, reason),) = report_rows(response)
    assert (row, column) == ("4", "需求名称 (title)") and "2" in reason
    assert not Demand.objects.exists()


def test_uploading_the_same_survey_again_adds_nothing(world, client_for):
    client = client_for(world.ningbo_broker)
    content = survey_csv([survey_row(1, world), survey_row(2, world)])
    upload(client, content)
    upload(client, survey_csv([survey_row(1, world), survey_row(2, world), survey_row(3, world)]))

    assert Demand.objects.filter(organisation=world.enterprise).count() == 3
    changed = upload(client, survey_csv([survey_row(1, world, 需求描述="完全不同的需求描述。")]))
    assert [(row, column) for row, column, _reason in report_rows(changed)] == [("2", "需求名称 (title)")]


def test_a_gbk_csv_from_chinese_excel_imports(world, client_for):
    upload(client_for(world.ningbo_broker), survey_csv([survey_row(1, world)], encoding="gb18030"))

    assert Demand.objects.get().title == "寻求电池正极包覆技术1"


def test_an_organisation_named_by_its_name_alone_is_found(world):
    row = survey_row(1, world, 统一社会信用代码="")
    row["单位名称"] = world.enterprise.name
    import_demand_survey(source=survey_csv([row]), filename="s.csv", actor=world.ningbo_broker)

    assert Demand.objects.get().organisation == world.enterprise


def test_only_centre_staff_may_open_the_import_or_download_its_template(world, client_for):
    for user in (world.buyer, world.stranger):
        client = client_for(user)
        assert client.get(IMPORT_URL).status_code == 403
        assert client.get(reverse("demands:import_template", args=["xlsx"])).status_code == 403
        assert upload(client, survey_csv([survey_row(1, world)])).status_code == 403
    assert not Demand.objects.exists()


def test_staff_may_import_only_for_organisations_their_centre_hosts(world, client_for):
    # The enterprise is hosted by the alliance below Ningbo: Hangzhou's broker may not import for it.
    response = upload(client_for(world.hangzhou_broker), survey_csv([survey_row(1, world)]))

    ((row, column, reason),) = report_rows(response)
    assert (row, column) == ("2", "统一社会信用代码 (credit_code)") and world.ningbo_alliance.local_name in reason
    assert not Demand.objects.exists()
    # The alliance's own broker and the root centre's staff may.
    import_demand_survey(source=survey_csv([survey_row(1, world)]), filename="s.csv", actor=world.alliance_broker)
    import_demand_survey(source=survey_csv([survey_row(2, world)]), filename="s.csv", actor=world.root_staff)
    assert Demand.objects.count() == 2


def test_an_unverified_organisation_is_reported_and_nothing_is_written(world):
    world.enterprise.verified = False
    world.enterprise.save()
    with pytest.raises(ImportRejected) as rejected:
        import_demand_survey(source=survey_csv([survey_row(1, world)]), filename="s.csv", actor=world.ningbo_broker)

    assert [(error.row_number, error.column) for error in rejected.value.errors] == [(2, "credit_code")]
    assert not Demand.objects.exists()


def test_checking_only_writes_nothing_and_says_what_an_import_would_do(world, client_for):
    response = upload(
        client_for(world.ningbo_broker), survey_csv([survey_row(1, world), survey_row(2, world)]), validate_only="on"
    )

    assert response.context["preview"].published == 2
    assert not Demand.objects.exists()


def test_the_template_has_the_headers_and_an_example_row_that_checks(world, client_for):
    downloaded = client_for(world.ningbo_broker).get(reverse("demands:import_template", args=["xlsx"]))

    sheet = openpyxl.load_workbook(io.BytesIO(downloaded.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == [column.label for column in COLUMNS]
    example = dict(zip([column.key for column in COLUMNS], [cell.value for cell in sheet[2]], strict=True))
    assert example["title"] and example["deal_kinds"] == "许可；合作开发"
    csv_template = client_for(world.ningbo_broker).get(reverse("demands:import_template", args=["csv"]))
    assert csv_template.content.decode("utf-8-sig").startswith("统一社会信用代码 (credit_code),")


def test_a_large_survey_is_written_by_the_task_runner_and_its_page_shows_the_outcome(world, client_for, monkeypatch):
    monkeypatch.setattr(import_views, "IMMEDIATE_ROWS", 2)
    client = client_for(world.ningbo_broker)
    response = upload(client, survey_csv([survey_row(serial, world) for serial in range(1, 4)]))

    assert response.status_code == 302 and "/moderation/import/" in response["Location"]
    assert Demand.objects.filter(status=DemandStatus.PUBLISHED).count() == 3  # the test runner runs tasks at once
    page = client.get(response["Location"])
    assert page.context["result"].published == 3
    # Nobody else sees another person's import.
    assert client_for(world.alliance_broker).get(response["Location"]).status_code == 404


def test_the_background_import_reports_a_survey_that_went_bad_meanwhile(world):
    content = survey_csv([survey_row(1, world)])
    import_demand_survey(source=content, filename="s.csv", actor=world.ningbo_broker)
    Demand.objects.update(description="改过的描述")

    outcome = import_tasks.import_demand_survey_in_background.call(
        actor_id=world.ningbo_broker.pk,
        content=base64.b64encode(content).decode(),
        filename="s.csv",
        publish=True,
        language="en",
    )
    assert [row[:2] for row in outcome["errors"]] == [[2, "title"]]
    assert Demand.objects.count() == 1
