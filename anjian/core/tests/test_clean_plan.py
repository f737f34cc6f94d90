"""CleanPlan (issue 7 item 2): the import's compiled full_clean refuses exactly what full_clean refuses.

The import validates every row with `CleanPlan.passes` and asks full_clean for the messages only when it answers
False. These tests hold the two paths together: over hand-picked bad values of every kind of field the enterprise
has, over random values (hypothesis), and through the import itself, whose report must not change when every row
goes through full_clean.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anjian.core.validation import CleanPlan
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.factories import make_uscc
from anjian.enterprises.tests.test_import import csv_upload, make_row, run

pytestmark = pytest.mark.django_db

# The import's relations come from its lookups and are left to the service (as in the import's full_clean).
RELATIONS = ("region", "industry", "park")


def outcome_of_full_clean(obj: models.Model) -> str:
    try:
        obj.full_clean(exclude=RELATIONS, validate_unique=False, validate_constraints=False)
    except ValidationError:
        return "refused"
    except Exception as error:  # what full_clean raises besides ValidationError, by type
        return type(error).__name__
    return "clean"


def outcome_of_plan(plan: CleanPlan, obj: models.Model) -> str:
    try:
        return "clean" if plan.passes(obj) else "refused"
    except Exception as error:
        return type(error).__name__


def assert_same_decision(plan: CleanPlan, obj: models.Model) -> None:
    by_full_clean, by_plan = copy.copy(obj), copy.copy(obj)
    expected, answered = outcome_of_full_clean(by_full_clean), outcome_of_plan(plan, by_plan)
    # The plan may be stricter only where full_clean itself then raises (the caller runs full_clean on False).
    assert answered == expected or (answered == "refused" and expected not in ("clean", "refused")), (
        answered, expected)
    if expected == "clean":
        # Both set the same cleaned values on the row.
        fields = [field.attname for field in Enterprise._meta.concrete_fields]
        assert [getattr(by_plan, name) for name in fields] == [getattr(by_full_clean, name) for name in fields]


@pytest.fixture
def plan() -> CleanPlan:
    return CleanPlan(Enterprise, exclude=RELATIONS)


@pytest.fixture
def stored(personas) -> Enterprise:
    return Enterprise.objects.get(pk=personas.enterprise_a.pk)


BAD_VALUES = [
    ("uscc", "91441900MA4W00001X"),  # wrong check character
    ("uscc", "91441900ma4w000011"),  # lower case
    ("uscc", ""),
    ("uscc", "9" * 19),
    ("name", ""),
    ("name", "甲" * 201),
    ("name", "东莞\n五金"),
    ("name", "东莞\u200b五金"),
    ("name", None),
    ("legal_representative", "\x07"),
    ("safety_principal_phone", "12345"),
    ("safety_principal_phone", 13800000000),  # not a string: to_python makes it one, the validator judges it
    ("address", "路" * 201),
    ("latitude", Decimal("21.5")),
    ("latitude", Decimal("23.1234567")),  # more places than the field keeps
    ("latitude", Decimal("NaN")),
    ("latitude", "北纬"),
    ("latitude", 23.1),  # a float: to_python converts it
    ("longitude", None),  # latitude without longitude (the model's clean)
    ("domain", "nonsense"),
    ("domain", ""),
    ("size", "巨型"),
    ("operating_status", None),
    ("employee_count", -1),
    ("employee_count", 2**40),
    ("employee_count", "三十"),
    ("employee_count", "30"),  # a string to_python turns into 30
    ("employee_count", None),
    ("key_process", None),
    ("key_process", "maybe"),
    ("standardization_grade", "四级"),
    ("standardization_grade", "1"),  # a grade without its expiry date (the model's clean)
    ("standardization_expires", dt.date(1899, 12, 31)),
    ("standardization_expires", dt.datetime(2027, 1, 1, 12, 0, tzinfo=dt.UTC)),
    ("standardization_expires", "明年"),
    ("standardization_expires", "2027-06-30"),
]


@pytest.mark.parametrize(("name", "value"), BAD_VALUES, ids=[f"{name}={value!r}"[:40] for name, value in BAD_VALUES])
def test_each_bad_value_is_decided_alike_on_a_stored_and_a_new_row(plan, stored, name, value):
    for obj in (stored, Enterprise(**{field.attname: getattr(stored, field.attname)
                                      for field in Enterprise._meta.concrete_fields if not field.primary_key})):
        obj = copy.copy(obj)
        setattr(obj, name, value)
        assert_same_decision(plan, obj)


def test_a_clean_row_passes_and_a_village_check_still_runs(plan, stored, personas):
    assert plan.passes(copy.copy(stored))
    # The model's clean() runs: an enterprise placed on a town (not a village) is refused.
    town = copy.copy(stored)
    town.region = personas.town_a
    assert not plan.passes(town)
    assert outcome_of_full_clean(copy.copy(town)) == "refused"


VALUES = {
    "uscc": st.sampled_from([make_uscc(1), make_uscc(1)[:-1] + "X", make_uscc(2).lower(), "", "x" * 19, None]),
    "name": st.one_of(st.text(max_size=210), st.none(), st.integers()),
    "safety_principal_phone": st.one_of(st.sampled_from(["13800000000", "0769-22001234", "123"]), st.text(max_size=25)),
    "latitude": st.one_of(st.none(), st.decimals(allow_nan=True, places=7), st.floats(), st.text(max_size=5)),
    "longitude": st.one_of(st.none(), st.decimals(min_value=113, max_value=115, places=6)),
    "domain": st.one_of(st.sampled_from(["metallurgy", "", "bad"]), st.none(), st.integers()),
    "employee_count": st.one_of(st.integers(min_value=-5, max_value=2**33), st.none(), st.text(max_size=4),
                                st.booleans(), st.decimals(allow_nan=False, places=1)),
    "id": st.one_of(st.integers(min_value=-(2**70), max_value=2**70), st.none(), st.sampled_from(["7", "x"])),
    "created": st.one_of(st.none(), st.datetimes(timezones=st.just(dt.UTC)), st.sampled_from(["x"])),
    "key_process": st.one_of(st.booleans(), st.none(), st.sampled_from(["t", "x", 1, 0, 2])),
    "standardization_grade": st.sampled_from(["", "1", "small_micro", "bad", None]),
    "standardization_expires": st.one_of(st.none(), st.dates(), st.text(max_size=10)),
}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({}, optional=VALUES))
def test_random_values_are_decided_alike(plan, stored, values):
    obj = copy.copy(stored)
    for name, value in values.items():
        setattr(obj, name, value)
    assert_same_decision(plan, obj)


def test_the_import_reports_the_same_errors_when_every_row_goes_through_full_clean(personas, monkeypatch):
    village = personas.village_a
    rows = [
        make_row(village, 1),
        make_row(village, 2, 纬度="21.5"),
        make_row(village, 3, 纬度="23.05", 经度=""),
        make_row(village, 4, 单位名称="东莞\u200b五金"),
        make_row(village, 5, 安全负责人电话="12345"),
        make_row(village, 6, 标准化等级="一级"),
        make_row(village, 7, 标准化有效期至="1899-12-31", 标准化等级="二级"),
        make_row(village, 8, 法定代表人="张" * 51),
        make_row(village, 9, 地址="路\x07"),
        make_row(village, 10, 统一社会信用代码=personas.enterprise_a.uscc, 从业人数=7),
    ]

    def report() -> tuple:
        result = run(csv_upload(rows, "utf-8"), personas.town_a_supervisor)
        return (
            [(error.row, error.column, error.message) for error in result.errors],
            [item.row for item in result.to_create],
            [(item.row, item.changes) for item in result.to_update],
        )

    planned = report()
    monkeypatch.setattr(CleanPlan, "passes", lambda self, obj: False)
    assert report() == planned
    errors, created, updated = planned
    assert {row for row, _column, _message in errors} == set(range(3, 11))
    assert created == [2] and [row for row, _changes in updated] == [11]
