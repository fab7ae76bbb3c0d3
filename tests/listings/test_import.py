"""Bulk import of listings: what a seller uploading a file sees, what the command says, and the rules underneath."""

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listings.importing import (
    COLUMNS,
    ImportRejected,
    execute_plan,
    parse_file,
    parse_yuan,
    template_csv,
    validate_rows,
)
from listings.models import (
    Listing,
    ListingPatent,
    ListingStatus,
    ListingTerms,
    Mode,
    Patent,
)
from listings.patents.numbers import compute_check_digit
from tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("listings:import")


def application_number(serial: int, year: int = 2019, type_digit: int = 1) -> str:
    digits = f"{year}{type_digit}{serial:07d}"
    return f"{digits}.{compute_check_digit(digits)}"


def good_row(serial: int, **overrides: str) -> dict[str, str]:
    row = {
        "application_number": application_number(serial),
        "patent_type": "发明",
        "title": f"一种固态电解质及其制备方法 {serial}",
        "abstract": "本发明公开了一种硫化物固态电解质，离子电导率高，空气稳定性好。",
        "first_claim": "1. 一种固态电解质，其特征在于……",
        "ipc_codes": "H01M 10/0562; H01M 10/0525",
        "filing_date": "2019-04-08",
        "publication_date": "2019-08-02",
        "grant_date": "2021-06-15",
        "legal_status": "授权",
        "applicants": "宁波大学",
        "inventors": "张伟; 刘洋",
        "summary": "让固态电池在空气中也能稳定生产，适合动力电池企业。",
        "maturity": "中试",
        "application_fields": "动力电池",
        "licence_types": "普通",
        "territory": "中国大陆",
        "field_of_use": "",
        "licence_term_years": "5",
        "upfront_fee_yuan": "200000.00",
        "royalty_rate_percent": "3",
        "transfer_price_yuan": "",
        "equity_value_yuan": "",
        "asking_price_yuan": "",
    }
    row.update(overrides)
    return row


def csv_file(rows: list[dict[str, str]], headers: str = "zh", encoding: str = "utf-8-sig") -> bytes:
    """A CSV as a seller's spreadsheet writes it; headers 'zh' (申请号), 'en' (application_number) or 'label'."""
    header = {
        "zh": [column.header for column in COLUMNS],
        "en": [column.key for column in COLUMNS],
        "label": [column.label for column in COLUMNS],
    }[headers]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column.key, "") for column in COLUMNS])
    return buffer.getvalue().encode(encoding)


def xlsx_file(rows: list[dict[str, object]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([column.header for column in COLUMNS])
    for row in rows:
        sheet.append([row.get(column.key) or None for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, seller, *, name: str = "listings.csv", validate_only: bool = False):
    data = {"seller": seller.pk, "file": _named(content, name)}
    if validate_only:
        data["validate_only"] = "on"
    return client.post(IMPORT_URL, data, follow=True)


def _named(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


def table_counts() -> tuple[int, int, int, int]:
    return (
        Patent.objects.count(),
        Listing.objects.count(),
        ListingPatent.objects.count(),
        ListingTerms.objects.count(),
    )


def report_rows(response) -> list[tuple[str, str, str]]:
    """The report table as (row, column, reason) cells, read from the page."""
    html = response.content.decode()
    assert 'id="import-report"' in html, "no report on the page"
    body = html.split('id="import-report"', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    rows = []
    for chunk in body.split("<tr>")[1:]:
        cells = [cell.split("</td>", 1)[0].strip() for cell in chunk.split("<td>")[1:]]
        rows.append(tuple(cells))
    return rows


# --- What a seller does and sees ----------------------------------------------------------------------------


def test_a_seller_uploads_a_good_csv_and_sees_the_counts(world, client_for):
    content = csv_file([good_row(1), good_row(2, licence_types="独占; 普通", transfer_price_yuan="1,500,000")])

    response = upload(client_for(world.seller), content, world.university)

    assert response.status_code == 200
    assert "2" in str(list(response.context["messages"])[0])
    listings = Listing.objects.filter(seller=world.university).order_by("id")
    assert [listing.status for listing in listings] == [ListingStatus.DRAFT, ListingStatus.DRAFT]
    second = listings[1]
    assert second.title == "一种固态电解质及其制备方法 2"
    assert second.centre == world.ningbo
    assert second.created_by == world.seller
    assert second.price_negotiable and second.asking_price_fen is None
    assert [patent.application_number for patent in second.patents.all()] == [application_number(2)]
    licence = second.terms.get(mode=Mode.LICENCE)
    assert licence.licence_types == ["exclusive", "ordinary"]
    assert licence.upfront_fee_fen == 20_000_000
    assert licence.royalty_rate == Decimal("3")
    assert second.terms.get(mode=Mode.TRANSFER).price_fen == 150_000_000
    patent = Patent.objects.get(application_number=application_number(2))
    assert patent.ipc_codes == ["H01M 10/0562", "H01M 10/0525"]
    assert (patent.main_ipc, patent.ipc_section, patent.ipc_class) == ("H01M 10/0562", "H", "H01")
    assert patent.expiry_date == date(2039, 4, 7)
    assert patent.legal_status == "granted"
    assert list(patent.applicants.all()) == [world.university]  # linked by name, as patent_upsert does


def test_a_seller_imports_the_english_version_beside_the_chinese_text(world, client_for):
    english = {"title_en": "Air-stable solid electrolyte", "summary_en": "Lets solid-state cells be made in dry air."}
    content = csv_file([good_row(1, **english), good_row(2)])

    upload(client_for(world.seller), content, world.university)

    with_english, without = Listing.objects.filter(seller=world.university).order_by("id")
    assert (with_english.title_en, with_english.summary_en) == (english["title_en"], english["summary_en"])
    assert with_english.title == "一种固态电解质及其制备方法 1"  # the Chinese text stays the listing's own
    assert (without.title_en, without.summary_en) == ("", "")


def test_an_english_title_too_long_is_reported_in_its_row_and_nothing_is_imported(world, client_for):
    content = csv_file([good_row(1), good_row(2, title_en="Solid electrolyte " * 12)])

    response = upload(client_for(world.seller), content, world.university)

    assert [(row, column) for row, column, _reason in report_rows(response)] == [("3", "英文名称 (title_en)")]
    assert Listing.objects.filter(seller=world.university).count() == 0


def test_three_bad_rows_among_good_ones_are_reported_row_by_row_and_nothing_is_imported(world, client_for):
    rows = [
        good_row(1),
        good_row(2, application_number=application_number(2)[:-1] + ("0" if application_number(2)[-1] != "0" else "1")),
        good_row(3),
        good_row(4, filing_date="2019-02-30"),
        good_row(5, upfront_fee_yuan="12.345"),
        good_row(6),
    ]
    before = table_counts()

    response = upload(client_for(world.seller), csv_file(rows), world.university)

    assert response.status_code == 200
    assert table_counts() == before
    assert response.context["errors_total"] == 3
    reported = report_rows(response)
    assert [(row, column) for row, column, _reason in reported] == [
        ("3", "申请号 (application_number)"),
        ("5", "申请日 (filing_date)"),
        ("6", "入门费（元） (upfront_fee_yuan)"),
    ]
    assert "12.345" in reported[2][2]
    assert 'lang="zh-Hans"' in response.content.decode()  # the site's default language is Chinese


def test_the_report_is_in_the_users_language(world, client_for):
    client = client_for(world.seller)
    client.cookies["django_language"] = "en"
    response = upload(client, csv_file([good_row(1, upfront_fee_yuan="-5")]), world.university)
    assert report_rows(response) == [
        ("2", "入门费（元） (upfront_fee_yuan)", "“-5” is negative; amounts and rates cannot be.")
    ]


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world, client_for):
    content = csv_file([good_row(serial) for serial in range(1, 6)])
    client = client_for(world.seller)
    upload(client, content, world.university)
    counts = table_counts()
    stamps = sorted(Listing.objects.values_list("id", "updated_at")) + sorted(
        Patent.objects.values_list("id", "updated_at")
    )

    response = upload(client, content, world.university)

    message = str(list(response.context["messages"])[0])
    assert "0" in message and "5" in message
    assert table_counts() == counts
    assert (
        sorted(Listing.objects.values_list("id", "updated_at")) + sorted(Patent.objects.values_list("id", "updated_at"))
        == stamps
    )


def test_a_changed_row_updates_the_draft_and_its_patent_in_place(world, client_for):
    client = client_for(world.seller)
    upload(client, csv_file([good_row(1), good_row(2, transfer_price_yuan="面议")]), world.university)
    untouched = Listing.objects.get(patents__application_number=application_number(1)).updated_at

    rows = [
        good_row(1),
        good_row(
            2,
            title="新的名称",
            transfer_price_yuan="面议",
            licence_types="",
            territory="",
            upfront_fee_yuan="",
            royalty_rate_percent="",
            licence_term_years="",
        ),
    ]
    response = upload(client, csv_file(rows), world.university)

    assert not response.context["errors"]
    listing = Listing.objects.get(patents__application_number=application_number(2))
    assert listing.title == "新的名称"
    assert list(listing.terms.values_list("mode", "price_fen")) == [(Mode.TRANSFER, None)]  # licence withdrawn
    assert Patent.objects.get(application_number=application_number(2)).title == "新的名称"
    assert Listing.objects.get(patents__application_number=application_number(1)).updated_at == untouched
    assert Listing.objects.count() == 2


def test_an_xlsx_workbook_with_date_and_number_cells_imports(world, client_for):
    row: dict[str, object] = good_row(7)
    row.update(filing_date=date(2019, 4, 8), publication_date=date(2019, 8, 2), grant_date=date(2021, 6, 15))
    row.update(upfront_fee_yuan=200000.5, licence_term_years=5, royalty_rate_percent=2.75)

    response = upload(client_for(world.seller), xlsx_file([row]), world.university, name="portfolio.xlsx")

    assert not response.context.get("errors")
    licence = ListingTerms.objects.get(mode=Mode.LICENCE)
    assert (licence.upfront_fee_fen, licence.term_years, licence.royalty_rate) == (20_000_050, 5, Decimal("2.75"))
    assert Patent.objects.get().filing_date == date(2019, 4, 8)


def test_the_csv_template_round_trips(world, client_for):
    client = client_for(world.seller)
    downloaded = client.get(reverse("listings:import_template", args=["csv"]))
    assert downloaded.status_code == 200
    assert downloaded["Content-Type"].startswith("text/csv")
    text = downloaded.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0][0] == "申请号 (application_number)"
    lines.append(lines[1][:])  # the seller fills in a second patent below the example
    lines[2][0] = application_number(42)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines)

    upload(client, buffer.getvalue().encode("utf-8-sig"), world.university)

    assert Listing.objects.filter(seller=world.university).count() == 2


def test_the_xlsx_template_round_trips(world, client_for):
    client = client_for(world.seller)
    downloaded = client.get(reverse("listings:import_template", args=["xlsx"]))
    assert downloaded.content.startswith(b"PK\x03\x04")
    workbook = openpyxl.load_workbook(io.BytesIO(downloaded.content))
    sheet = workbook.worksheets[0]
    example = [cell.value for cell in sheet[2]]
    example[0] = application_number(43)
    sheet.append(example)
    buffer = io.BytesIO()
    workbook.save(buffer)

    response = upload(client, buffer.getvalue(), world.university, name="filled.xlsx")

    assert not response.context.get("errors"), report_rows(response)
    assert Listing.objects.filter(seller=world.university).count() == 2
    assert ListingTerms.objects.get(listing__patents__application_number=application_number(43), mode=Mode.LICENCE)


def test_an_unknown_template_format_is_not_found(world, client_for):
    assert client_for(world.seller).get(reverse("listings:import_template", args=["pdf"])).status_code == 404


def test_validate_only_reports_what_would_happen_and_writes_nothing(world, client_for):
    response = upload(
        client_for(world.seller), csv_file([good_row(1), good_row(2)]), world.university, validate_only=True
    )
    assert response.context["preview"].created == 2
    assert table_counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (bytes(range(256)) * 20, "garbage.csv"),
        (b"PK\x03\x04" + b"\x00" * 100, "broken.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old.xls"),
        ("申请号,专利类型\n".encode("utf-16-be"), "utf16-without-bom.csv"),
        ("café,naïve\n".encode("latin-1"), "latin1.csv"),
        (b"just some words\nand more words\n", "notes.csv"),
        (csv_file([]), "only-header.csv"),
        (b"   \n\n", "blank.csv"),
    ],
)
def test_garbage_gets_a_clear_error_never_a_500(world, client_for, content, name):
    response = upload(client_for(world.seller), content, world.university, name=name)
    assert response.status_code == 200
    assert response.context["errors"], "a clear error is shown"
    assert all(error.message for error in response.context["errors"])
    assert table_counts() == (0, 0, 0, 0)


def test_an_empty_upload_is_refused_by_the_form(world, client_for):
    response = upload(client_for(world.seller), b"", world.university)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_file_over_5_mb_is_refused(world, client_for):
    response = upload(client_for(world.seller), b"x" * (5 * 1024 * 1024 + 1), world.university)
    assert "5 MB" in response.context["form"].errors["file"][0]


def test_a_seller_can_only_import_for_their_own_organisation(world, client_for):
    response = upload(client_for(world.outsider), csv_file([good_row(1)]), world.university)
    assert response.context["form"].errors["seller"]
    assert table_counts() == (0, 0, 0, 0)


def test_the_page_asks_to_log_in_first(client):
    assert client.get(IMPORT_URL).status_code == 302


def test_a_gb18030_csv_with_english_headers_imports(world, client_for):
    content = csv_file([good_row(1)], headers="en", encoding="gb18030")
    upload(client_for(world.seller), content, world.university)
    assert Listing.objects.get().title == "一种固态电解质及其制备方法 1"


# --- The command --------------------------------------------------------------------------------------------


def test_the_command_reports_bad_rows_and_exits_non_zero(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_file([good_row(1), good_row(2, royalty_rate_percent="120")]))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1"):
        call_command("import_listings", str(path), "--seller", world.university.credit_code, stdout=out)
    report = out.getvalue()
    assert "royalty_rate_percent" in report and "120" in report
    assert report.splitlines()[1].split()[0] == "3"
    assert table_counts() == (0, 0, 0, 0)


def test_the_command_dry_run_writes_nothing_then_the_import_does(world, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_file([good_row(1), good_row(2)]))
    out = io.StringIO()
    call_command("import_listings", str(path), "--seller", world.university.credit_code, "--dry-run", stdout=out)
    assert table_counts() == (0, 0, 0, 0)

    call_command("import_listings", str(path), "--seller", world.university.credit_code.lower(), stdout=out)
    assert Listing.objects.filter(seller=world.university, created_by=None).count() == 2


def test_the_command_refuses_an_unknown_seller_or_a_missing_file(world, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_file([good_row(1)]))
    unknown = OrganisationFactory.build().credit_code
    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--seller", unknown)
    with pytest.raises(CommandError):
        call_command("import_listings", str(path), "--seller", "not-a-code")
    with pytest.raises(CommandError):
        call_command("import_listings", str(tmp_path / "missing.csv"), "--seller", world.university.credit_code)


# --- The rules ----------------------------------------------------------------------------------------------


def errors_for(rows: list[dict[str, str]], seller, **kwargs) -> list[tuple[int | None, str | None]]:
    with translation.override("en"):
        plan = validate_rows(parse_file(csv_file(rows)), seller, **kwargs)
    return [(error.row_number, error.column) for error in plan.errors]


@pytest.mark.parametrize("amount", ["12.345", "-1", "-1,000.00", "1e5", "NaN", "1,5", "100000000000", "￥"])
def test_amounts_with_three_decimals_negative_or_absurd_are_refused(world, amount):
    assert errors_for([good_row(1, upfront_fee_yuan=amount)], world.university) == [(2, "upfront_fee_yuan")]


@pytest.mark.parametrize(
    ("text", "fen"),
    [("0", 0), ("1", 100), ("0.1", 10), ("12.34", 1234), ("1,250,000.50", 125_000_050), ("¥ 3000元", 300_000)],
)
def test_amounts_in_yuan_become_integer_fen(text, fen):
    assert parse_yuan(text) == fen


def test_duplicate_numbers_in_one_file_are_reported_with_the_first_row(world):
    rows = [good_row(1), good_row(2), good_row(1, application_number="CN" + application_number(1))]
    with translation.override("en"):
        plan = validate_rows(parse_file(csv_file(rows)), world.university)
    assert [(error.row_number, error.column) for error in plan.errors] == [(4, "application_number")]
    assert "row 2" in plan.errors[0].message


def test_a_number_that_contradicts_the_declared_type_is_refused(world):
    assert errors_for([good_row(1, patent_type="实用新型")], world.university) == [(2, "application_number")]


def test_a_row_must_offer_at_least_one_mode(world):
    row = good_row(
        1, licence_types="", territory="", licence_term_years="", upfront_fee_yuan="", royalty_rate_percent=""
    )
    assert errors_for([row], world.university) == [(2, None)]


def test_licence_terms_without_a_licence_type_are_refused_once(world):
    with_transfer = good_row(1, licence_types="", transfer_price_yuan="100")
    licence_only = good_row(2, licence_types="")
    assert errors_for([with_transfer, licence_only], world.university) == [(2, "licence_types"), (3, "licence_types")]


def test_a_lapsed_or_expired_patent_cannot_be_listed(world):
    rows = [
        good_row(1, legal_status="未缴年费终止"),
        good_row(
            2,
            application_number=application_number(2, year=2005),
            filing_date="2005-01-10",
            publication_date="",
            grant_date="",
        ),
    ]
    assert errors_for(rows, world.university) == [(2, "legal_status"), (3, "filing_date")]


def test_dates_must_agree_with_the_number_and_each_other(world):
    rows = [
        good_row(1, filing_date="2018-04-08"),
        good_row(2, grant_date="2019-01-01"),
        good_row(3, legal_status="实质审查"),
        good_row(4, publication_date="2030-01-01"),
    ]
    assert errors_for(rows, world.university, today=date(2026, 11, 25)) == [
        (2, "filing_date"),
        (3, "grant_date"),
        (4, "grant_date"),
        (5, "publication_date"),
    ]


def test_every_problem_of_a_row_is_collected_not_just_the_first(world):
    row = good_row(1, title="", ipc_codes="X99", legal_status="maybe", maturity="soon", licence_types="free")
    assert errors_for([row], world.university) == [
        (2, "title"),
        (2, "ipc_codes"),
        (2, "legal_status"),
        (2, "maturity"),
        (2, "licence_types"),
    ]


def test_a_title_longer_than_a_listing_title_is_refused(world):
    assert errors_for([good_row(1, title="长" * 201)], world.university) == [(2, "title")]


def test_header_problems_are_reported_together(world):
    content = "申请号,application_number,名称,颜色\n".encode()
    with pytest.raises(ImportRejected) as rejected:
        parse_file(content)
    problems = [(error.row_number, error.column) for error in rejected.value.errors]
    assert (1, "application_number") in problems  # appears twice
    assert (1, None) in problems  # 颜色 is unknown
    assert (1, "summary") in problems  # a required column is missing


def test_full_width_headers_and_values_are_understood(world):
    row = good_row(1, application_number="ＣＮ" + application_number(1), upfront_fee_yuan="２０００")
    content = csv_file([row]).decode("utf-8-sig").replace("(元)", "（元）").encode()
    plan = validate_rows(parse_file(content), world.university)
    assert plan.is_valid
    assert plan.rows[0].terms[Mode.LICENCE]["upfront_fee_fen"] == 200_000


def test_a_patent_offered_by_another_organisation_cannot_be_rewritten(world, client_for):
    upload(client_for(world.seller), csv_file([good_row(1)]), world.university)
    rival = MembershipFactory(organisation=world.enterprise).user

    same = validate_rows(parse_file(csv_file([good_row(1)])), world.enterprise)
    changed = validate_rows(parse_file(csv_file([good_row(1, title="另一个名称")])), world.enterprise)

    assert same.is_valid  # the IP review will still flag the second offer when it is submitted
    assert [(error.row_number, error.column) for error in changed.errors] == [(2, "application_number")]
    assert world.university.name in changed.errors[0].message
    assert rival  # a member of the enterprise exists, but the rule holds whoever imports


def test_a_listing_under_review_is_not_changed_by_an_import(world, client_for):
    upload(client_for(world.seller), csv_file([good_row(1)]), world.university)
    Listing.objects.update(status=ListingStatus.SUBMITTED)

    unchanged = validate_rows(parse_file(csv_file([good_row(1)])), world.university)
    changed = validate_rows(parse_file(csv_file([good_row(1, summary="改过的简介")])), world.university)

    assert unchanged.is_valid and unchanged.preview.unchanged == 1
    assert [(error.row_number, error.column) for error in changed.errors] == [(2, None)]


def test_a_withdrawn_listing_is_left_alone_and_a_new_draft_is_created(world, client_for):
    client = client_for(world.seller)
    upload(client, csv_file([good_row(1)]), world.university)
    Listing.objects.update(status=ListingStatus.WITHDRAWN)

    upload(client, csv_file([good_row(1)]), world.university)

    assert sorted(Listing.objects.values_list("status", flat=True)) == [ListingStatus.DRAFT, ListingStatus.WITHDRAWN]
    assert Patent.objects.count() == 1


def test_a_published_listing_is_updated_in_place_and_announced(world, client_for):
    from listings.signals import listing_changed

    client = client_for(world.seller)
    upload(client, csv_file([good_row(1), good_row(2)]), world.university)
    Listing.objects.update(status=ListingStatus.PUBLISHED)
    announced = []

    def receiver(sender, listing, **kwargs):
        announced.append(listing.pk)

    listing_changed.connect(receiver, dispatch_uid="test-import-announced")
    try:
        upload(client, csv_file([good_row(1), good_row(2, royalty_rate_percent="4.5")]), world.university)
    finally:
        listing_changed.disconnect(dispatch_uid="test-import-announced")

    changed = Listing.objects.get(patents__application_number=application_number(2))
    assert announced == [changed.pk]
    assert changed.status == ListingStatus.PUBLISHED
    assert changed.terms.get(mode=Mode.LICENCE).royalty_rate == Decimal("4.5")
    assert Listing.objects.count() == 2


def test_execute_plan_refuses_an_actor_outside_the_seller(world):
    from django.core.exceptions import PermissionDenied

    plan = validate_rows(parse_file(csv_file([good_row(1)])), world.university)
    with pytest.raises(PermissionDenied):
        execute_plan(plan, world.outsider)
    assert table_counts() == (0, 0, 0, 0)


def test_the_template_example_row_is_valid(world):
    plan = validate_rows(parse_file(template_csv()), world.university)
    assert plan.is_valid, plan.errors


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(st.binary(max_size=400), st.text(max_size=400).map(str.encode)))
def test_any_bytes_are_either_rows_or_a_clear_rejection(world, content):
    header = ",".join(column.key for column in COLUMNS).encode() + b"\n"
    try:
        rows = parse_file(header + content)
    except ImportRejected as rejection:
        assert rejection.errors and all(error.message for error in rejection.errors)
        return
    plan = validate_rows(rows, world.university)
    assert plan.errors or plan.rows
