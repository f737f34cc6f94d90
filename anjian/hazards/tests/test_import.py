"""Importing hazards found in an external campaign (issue 8 item 7): a happy import, a re-import that updates by
外部编号, every bad input as a row error, another town's enterprise answered as a missing one, the pages and the
.xlsx template round trip."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from huey.contrib.djhuey import HUEY
from openpyxl import Workbook, load_workbook

from anjian.accounts.roles import Role
from anjian.core import importing as core_importing
from anjian.core.models import AuditEvent, Job
from anjian.hazards import importing, selectors_stats
from anjian.hazards import services as hazard_services
from anjian.hazards.choices import HazardCategory, HazardLevel, HazardSource, HazardStatus
from anjian.hazards.models import Hazard
from anjian.hazards.tests.factories import assert_counts_exact, counted, make_hazard

pytestmark = pytest.mark.django_db

HEADER = [column.label for column in importing.COLUMNS]
NOW = dt.datetime(2026, 6, 1, 2, 0, tzinfo=dt.UTC)
IMPORT = "hazards:hazard_import"
TEMPLATE = "hazards:hazard_import_template"


@pytest.fixture(autouse=True)
def _clock_and_data_dir(settings, tmp_path):
    """Pending uploads and job files go to a throw-away data dir; the preview and commit jobs run at once."""
    settings.DATA_DIR = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    HUEY.immediate = True
    try:
        with time_machine.travel(NOW, tick=False):
            yield
    finally:
        HUEY.immediate = False


def make_row(enterprise, serial: int, **overrides) -> dict:
    values = {
        "统一社会信用代码": enterprise.uscc,
        "外部编号": f"ZX-2026-{serial:04d}",
        "隐患部位": "二号车间",
        "隐患描述": f"消防通道被货物堵塞（第{serial}处）",
        "隐患类别": "现场管理-消防安全",
        "隐患等级": "一般",
        "发现时间": "2026-05-20 10:30",
        "发现途径": "",
    }
    values.update(overrides)
    return values


def xlsx_upload(rows: list[dict], name: str = "专项检查.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([row.get(label, "") for label in HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def run(rows: list[dict], actor, *, commit: bool = True) -> core_importing.ImportResult:
    upload = xlsx_upload(rows)
    extension = core_importing.check_upload(upload)
    action = importing.commit if commit else importing.dry_run
    return action(actor=actor, handle=upload, extension=extension)


def messages(result) -> list[tuple[int, str, str]]:
    return [(error.row, error.column, error.message) for error in result.errors]


def test_a_campaign_file_reports_new_hazards_found_by_the_importer(personas):
    rows = [
        make_row(personas.enterprise_a, 1),
        make_row(personas.enterprise_a, 2, 隐患等级="重大", 发现途径="网格巡查"),
    ]

    result = run(rows, personas.town_a_supervisor)

    assert result.committed, messages(result)
    hazards = {hazard.external_ref: hazard for hazard in Hazard.objects.filter(enterprise=personas.enterprise_a)}
    first, second = hazards["ZX-2026-0001"], hazards["ZX-2026-0002"]
    assert first.status == HazardStatus.REPORTED and first.found_by == personas.town_a_supervisor
    assert first.source == HazardSource.INSPECTION, "a blank 发现途径 is 检查发现"
    assert first.category == HazardCategory.SITE_FIRE and first.place == "二号车间"
    assert first.found_at == dt.datetime(2026, 5, 20, 2, 30, tzinfo=dt.UTC), "10:30 in Asia/Shanghai"
    assert first.region_code == personas.village_a.code
    assert second.level == HazardLevel.MAJOR and second.source == HazardSource.GRID


def test_reimporting_the_file_updates_by_external_ref(personas):
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_a, 2)]
    assert run(rows, personas.town_a_supervisor).committed

    again = run(rows, personas.town_a_supervisor, commit=False)
    assert (len(again.to_create), len(again.to_update), len(again.unchanged)) == (0, 0, 2)

    rows[0].update({"隐患描述": "消防通道堵塞，已责令清理", "隐患等级": "重大", "隐患部位": "三号仓库"})
    result = run(rows, personas.town_a_supervisor)

    assert result.committed, messages(result)
    assert (len(result.to_create), len(result.to_update)) == (0, 1)
    assert Hazard.objects.filter(enterprise=personas.enterprise_a).count() == 2
    hazard = Hazard.objects.get(enterprise=personas.enterprise_a, external_ref="ZX-2026-0001")
    assert (hazard.description, hazard.level, hazard.place) == (
        "消防通道堵塞，已责令清理",
        HazardLevel.MAJOR,
        "三号仓库",
    )


def test_the_same_reference_at_another_enterprise_is_another_hazard(personas):
    assert run([make_row(personas.enterprise_a, 1)], personas.city_supervisor).committed

    result = run([make_row(personas.enterprise_b, 1)], personas.city_supervisor)

    assert result.committed and len(result.to_create) == 1
    assert Hazard.objects.filter(external_ref="ZX-2026-0001").count() == 2


def test_an_update_of_a_hazard_in_rectification_is_a_row_error(personas):
    make_hazard(personas.enterprise_a, status=HazardStatus.RECTIFYING, external_ref="ZX-2026-0001")

    result = run([make_row(personas.enterprise_a, 1)], personas.town_a_supervisor)

    assert not result.committed
    assert messages(result) == [(2, "外部编号", "该隐患已进入整改流程（整改中），导入不能再修改它。")]


def test_an_update_may_not_change_what_was_found_beyond_the_description(personas):
    assert run([make_row(personas.enterprise_a, 1)], personas.town_a_supervisor).committed

    result = run(
        [make_row(personas.enterprise_a, 1, 发现时间="2026-05-21", 发现途径="群众举报")], personas.town_a_supervisor
    )

    assert not result.committed
    assert [(error.column, error.message) for error in result.errors] == [
        ("发现时间", "再次导入只能修改隐患部位、隐患描述、隐患类别和隐患等级。"),
        ("发现途径", "再次导入只能修改隐患部位、隐患描述、隐患类别和隐患等级。"),
    ]


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        (
            {"统一社会信用代码": "91441900MA4W99999X"},
            "统一社会信用代码",
            "您管辖范围内没有统一社会信用代码为该值的单位。",
        ),
        ({"统一社会信用代码": ""}, "统一社会信用代码", "必填项不能为空。"),
        ({"外部编号": ""}, "外部编号", "必填项不能为空。"),
        ({"外部编号": "X" * 65}, "外部编号", "不能超过 64 个字符（现有 65 个）。"),
        ({"隐患描述": ""}, "隐患描述", "必填项不能为空。"),
        ({"隐患部位": "部" * 201}, "隐患部位", "不能超过 200 个字符（现有 201 个）。"),
        ({"隐患类别": "天气原因"}, "隐患类别", None),
        ({"隐患等级": "较大"}, "隐患等级", None),
        ({"隐患等级": ""}, "隐患等级", "必填项不能为空。"),
        ({"发现时间": "上周三"}, "发现时间", "日期格式无法识别（现为“上周三”），请写成 2027-12-31。"),
        ({"发现时间": "2026-06-02"}, "发现时间", "发现时间不能晚于现在。"),
        ({"发现时间": ""}, "发现时间", "必填项不能为空。"),
        ({"发现途径": "路人甲"}, "发现途径", None),
        ({"外部编号": importing.EXAMPLE_REF}, "外部编号", "这是导入模板的示例行，请改为实际的隐患信息或删除该行。"),
    ],
)
def test_each_bad_cell_is_a_row_error_and_nothing_is_written(personas, overrides, column, message):
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_a, 2, **overrides)]

    result = run(rows, personas.town_a_supervisor)

    assert not result.committed and not Hazard.objects.exists()
    assert [(error.row, error.column) for error in result.errors] == [(3, column)]
    if message is not None:
        assert result.errors[0].message == message


def test_a_repeated_reference_of_one_enterprise_is_a_row_error(personas):
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_a, 1)]

    result = run(rows, personas.town_a_supervisor)

    assert messages(result) == [(3, "外部编号", "外部编号与第 2 行重复。")]


def test_another_towns_enterprise_answers_as_a_missing_one(personas):
    make_hazard(personas.enterprise_b, external_ref="ZX-2026-0002")
    rows = [
        make_row(personas.enterprise_b, 1),
        make_row(personas.enterprise_b, 2),
        make_row(personas.enterprise_b, 3, 统一社会信用代码="91441900MA4W99999X"),
    ]

    result = run(rows, personas.town_a_supervisor)

    missing = importing.unknown_enterprise_message()
    assert messages(result) == [
        (2, "统一社会信用代码", missing),
        (3, "统一社会信用代码", missing),
        (4, "统一社会信用代码", missing),
    ]
    assert Hazard.objects.filter(enterprise=personas.enterprise_b).count() == 1


def test_an_enterprise_user_imports_for_its_own_enterprise_only(personas):
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_b, 2)]

    result = run(rows, personas.enterprise_a_user)

    assert messages(result) == [(3, "统一社会信用代码", importing.unknown_enterprise_message())]
    result = run(rows[:1], personas.enterprise_a_user)
    assert result.committed and Hazard.objects.get().found_by == personas.enterprise_a_user


@pytest.mark.parametrize("persona", ["expert_a"])
def test_who_may_not_report_hazards_may_not_import(client, personas, persona):
    client.force_login(getattr(personas, persona))

    assert client.get(reverse(IMPORT)).status_code == 403
    assert client.get(reverse(TEMPLATE)).status_code == 403


def test_the_list_offers_the_import_to_who_may_report(client, personas):
    client.force_login(personas.town_a_supervisor)
    assert reverse(IMPORT) in client.get(reverse("hazards:hazard_list")).content.decode()
    page = client.get(reverse(IMPORT))
    assert page.status_code == 200
    assert reverse(TEMPLATE) in page.content.decode() and "导入检查发现的隐患" in page.content.decode()
    client.force_login(personas.grid_worker_a)
    assert client.get(reverse(IMPORT)).status_code == 200, "a grid worker reports hazards in its village"
    client.force_login(personas.expert_a)
    assert reverse(IMPORT) not in client.get(reverse("hazards:hazard_list")).content.decode()


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:300]
    return Job.objects.get(pk=int(response["Location"].rstrip("/").split("/")[-1]))


def test_the_template_round_trips_through_the_pages(client, personas):
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse(TEMPLATE))
    assert response.status_code == 200

    untouched = job_of(client.post(reverse(IMPORT), {"file": SimpleUploadedFile("模板.xlsx", response.content)}))
    # The example row names an enterprise of the downloader's town and is refused only for being the example.
    assert [error["column"] for error in untouched.result["errors"]] == ["外部编号"]

    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert [cell.value for cell in sheet[1]] == HEADER
    assert sheet.cell(row=2, column=1).value == personas.enterprise_a.uscc
    sheet.cell(row=2, column=2).value = "JC-7"
    buffer = io.BytesIO()
    workbook.save(buffer)

    preview = job_of(client.post(reverse(IMPORT), {"file": SimpleUploadedFile("隐患.xlsx", buffer.getvalue())}))
    assert preview.result["ok"] and preview.result["counts"]["create"] == 1
    assert "确认导入" in client.get(preview.get_absolute_url()).content.decode()
    commit = job_of(client.post(reverse("core:job_confirm", args=[preview.pk])))

    assert commit.status == "succeeded", commit.error
    hazard = Hazard.objects.get(external_ref="JC-7")
    assert hazard.enterprise == personas.enterprise_a and hazard.status == HazardStatus.REPORTED
    assert hazard.category == HazardCategory.SITE_ELECTRICITY and hazard.source == HazardSource.INSPECTION


def test_the_bulk_commit_counts_new_hazards_and_tells_their_enterprises(personas, monkeypatch):
    told = []
    monkeypatch.setattr(hazard_services, "send_many_on_commit", lambda **kwargs: told.extend(kwargs["items"]))
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_a, 2, 隐患等级="重大")]

    assert run(rows, personas.town_a_supervisor).committed

    hazards = set(Hazard.objects.all())
    assert_counts_exact()
    assert counted()[0] and sum(counted()[0].values()) == 2
    assert {obj for obj, _notices, _url in told} == hazards  # one batch, not a delivery per hazard
    roles = {obj.level: notices[0].roles for obj, notices, _url in told}
    assert Role.TOWN_SUPERVISOR in roles[HazardLevel.MAJOR] and Role.TOWN_SUPERVISOR not in roles[HazardLevel.GENERAL]
    event = AuditEvent.objects.get(action="hazard.import")
    assert event.data["created"] == 2 and event.actor == personas.town_a_supervisor
    assert Hazard.history.filter(history_type="+").count() == 2

    rows[0]["隐患等级"] = "重大"
    assert run(rows, personas.town_a_supervisor).committed
    assert_counts_exact()  # a corrected level moves its hazard between the counts
    assert {key[3] for key, n in counted()[0].items() if n} == {HazardLevel.MAJOR}


def test_a_listed_hazard_stays_major(personas):
    make_hazard(
        personas.enterprise_a,
        level=HazardLevel.MAJOR,
        supervision_level="town",
        external_ref="ZX-2026-0001",
        found_at=dt.datetime(2026, 5, 20, 2, 30, tzinfo=dt.UTC),
    )

    result = run([make_row(personas.enterprise_a, 1)], personas.town_a_supervisor)

    assert messages(result) == [(2, "隐患等级", "该隐患正在挂牌督办，不能改为一般隐患。")]


def test_the_statistics_count_what_an_import_wrote(personas):
    """The running counts behind the statistics follow a bulk import and a corrected level (anjian.hazards.tally)."""
    rows = [make_row(personas.enterprise_a, 1), make_row(personas.enterprise_b, 2, 隐患等级="重大")]
    assert run(rows, personas.city_supervisor).committed
    rows[0]["隐患等级"] = "重大"
    assert run(rows, personas.city_supervisor).committed

    totals = selectors_stats.hazard_totals(user=personas.city_supervisor)

    assert (totals["total"], totals["major"], totals[HazardStatus.REPORTED]) == (2, 2, 2)
