"""The OpenAPI schema (issue 7 items 2 and 3): one module tag and a Chinese summary on every operation, the error
answers declared with the shared `Error` component, and every field that can be null marked nullable."""

from __future__ import annotations

import re
import typing

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from anjian.core.registry import ModuleConfig, registry

CJK = re.compile(r"[\u4e00-\u9fff]")
ERROR_REF = "#/components/schemas/Error"


@pytest.fixture(scope="module")
def schema():
    with translation.override("zh-hans"):
        return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def module_tags() -> set[str]:
    return {config.label for config in apps.get_app_configs() if isinstance(config, ModuleConfig)}


def test_the_modules_are_the_tags():
    assert {"core", "accounts", "regions", "enterprises", "notifications"} <= module_tags()


def test_every_operation_has_a_chinese_summary_and_one_module_tag(schema):
    seen = 0
    for name, operation in operations(schema):
        seen += 1
        summary = operation.get("summary", "")
        assert summary.strip() and CJK.search(summary), f"{name}: summary {summary!r}"
        tags = operation.get("tags", [])
        assert len(tags) == 1 and tags[0] in module_tags(), f"{name}: tags {tags}"
    assert seen > 40


def test_tags_are_described_in_chinese(schema):
    tags = {tag["name"]: tag["description"] for tag in schema["tags"]}
    assert {"core", "accounts", "regions", "enterprises", "notifications"} <= set(tags)
    assert all(CJK.search(description) for description in tags.values()), tags


def test_operation_summaries_name_the_model(schema):
    paths = schema["paths"]
    assert paths["/api/v1/enterprises/"]["post"]["summary"] == "新建生产经营单位"
    assert paths["/api/v1/regions/"]["get"]["summary"] == "行政区划列表"
    assert paths["/api/v1/audit-events/{id}/"]["get"]["tags"] == ["core"]
    # A workflow action keeps its own label (extend_schema outside @action).
    assert paths["/api/v1/kit-permits/{id}/approve/"]["post"]["summary"] == "批准"


def test_every_operation_declares_the_error_answers(schema):
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"code", "message", "fields"}
    for name, operation in operations(schema):
        codes = {"400", "401", "403", "404", "409", "429"}
        if "requestBody" in operation:
            codes |= {"413", "415"}
        for code in codes:
            answer = operation["responses"].get(code)
            assert answer, f"{name}: no {code}"
            assert answer["content"]["application/json"]["schema"] == {"$ref": ERROR_REF}, f"{name} {code}"
            assert CJK.search(answer["description"]), f"{name} {code}: {answer['description']!r}"


def test_page_size_is_bounded_in_the_schema(schema):
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/enterprises/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}
    assert parameters["dust_explosion"]["schema"]["type"] == "boolean"


# --- nullable fields -------------------------------------------------------------------------------------------


def _model_path_can_be_null(model, source: str) -> bool | None:
    """Whether following `source` (e.g. "park.name") from `model` can meet a null; None when it leaves the model's
    fields (a property or an annotation: not decidable here)."""
    for part in source.split("."):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        if getattr(field, "null", False):
            return True
        if not field.is_relation:
            return False
        model = field.related_model
    return False


def can_be_null(serializer: serializers.Serializer, name: str, field: serializers.Field) -> bool | None:
    if isinstance(field, serializers.SerializerMethodField):
        method = getattr(serializer, field.method_name)
        answer = typing.get_type_hints(method).get("return")
        return answer is not None and type(None) in typing.get_args(answer)
    if field.default is None:
        return True
    if isinstance(field, serializers.ListSerializer):
        return False  # a related list (e.g. a unit's chemical rows) is empty at worst, never null
    if field.source == "*":
        return False
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return _model_path_can_be_null(model, field.source) if model else None


def response_serializers():
    found = {}
    for _prefix, viewset, _basename in registry.api_viewsets():
        serializer_class = getattr(viewset, "serializer_class", None)
        if serializer_class is not None:
            found[serializer_class.__name__] = serializer_class
    return sorted(found.items())


@pytest.mark.parametrize(("name", "serializer_class"), response_serializers())
def test_every_field_that_can_be_null_is_nullable_in_the_schema(schema, name, serializer_class):
    component = schema["components"]["schemas"][name.removesuffix("Serializer")]
    serializer = serializer_class(context={"request": None})
    checked = 0
    for field_name, field in serializer.fields.items():
        if field.write_only:
            continue
        nullable = can_be_null(serializer, field_name, field)
        if nullable:
            checked += 1
            assert component["properties"][field_name].get("nullable"), f"{name}.{field_name} can be null"
    assert checked or name in {"DepartmentSerializer", "NotificationSerializer", "LicenceSerializer",
                                "LiabilityInsuranceSerializer", "IndustrialParkSerializer", "KeyProcessSerializer",
                                # Derived colours (issue 9 item 5): every field is always computed.
                                "EnterpriseColourSerializer", "RegionColourSerializer", "ReasonSerializer",
                                # Issue 9: every field of these is required or blank, never null (a vehicle, a trip, a
                                # control measure, an assessment as the API shows it).
                                "ControlMeasureSerializer", "HazmatVehicleSerializer", "TripSerializer",
                                "RiskAssessmentSerializer"}


def test_the_fields_of_the_issue_are_nullable(schema):
    components = schema["components"]["schemas"]
    assert components["Enterprise"]["properties"]["park_name"]["nullable"]
    assert components["AuditEvent"]["properties"]["actor"]["nullable"]
    assert components["Region"]["properties"]["parent"]["nullable"]
    assert components["Industry"]["properties"]["parent"]["nullable"]
    assert components["Attachment"]["properties"]["thumbnail_url"]["nullable"]
