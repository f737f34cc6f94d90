"""Forms of the hazard pages: the report (and its corrections) and the tweaks the action forms need."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.accounts.roles import Role
from anjian.core.attachments import ACCEPT
from anjian.core.forms import MultipleFileField, MultipleFileInput, ServiceModelForm, transition_form_class
from anjian.core.scope import VIEW
from anjian.core.workflow import ATTACHMENTS_FIELD, REASON_MAX_LENGTH
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import HazardSource
from anjian.hazards.models import ChecklistItem, Hazard

# Where a hazard a person reports was most likely found, by the reporter's role (the form's initial source).
SOURCE_BY_ROLE = {
    Role.ENTERPRISE_USER: HazardSource.SELF_INSPECTION,
    Role.GRID_WORKER: HazardSource.GRID,
}


# Above this many enterprises a <select> is unusable (a town has thousands, the city 200,000): the reporter types
# the USCC instead, as on the registry's own forms.
ENTERPRISE_SELECT_LIMIT = 300


def _photo_input() -> MultipleFileInput:
    # The accept list of the attachment panel: phones then offer the camera (issue 8: photos from the site).
    return MultipleFileInput(attrs={"accept": ACCEPT})


class EnterpriseField(forms.ModelChoiceField):
    """An enterprise by id (a select) or, typed, by its USCC: spaces dropped, letters upper case."""

    def to_python(self, value: Any) -> Any:
        if self.to_field_name == "uscc" and isinstance(value, str):
            value = "".join(value.split()).upper()
        return super().to_python(value)


class HazardReportForm(ServiceModelForm):
    """登记隐患: the enterprise among those the reporter may see (the gate), what was found and where, photos."""

    photos = MultipleFileField(label=_("现场照片"), required=False, widget=_photo_input(),
                               help_text=_("可选；照片（JPG、PNG）或文件，可一次选择多个。"))

    class Meta:
        model = Hazard
        fields = ["enterprise", "place", "description", "category", "level", "source"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"enterprise": EnterpriseField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        field.queryset = Enterprise.objects.restrict(user, VIEW).order_by("name", "id")
        field.error_messages["invalid_choice"] = _("请选择您管辖范围内的单位（可填写统一社会信用代码）。")
        given = kwargs.get("initial") or {}
        if not given.get("enterprise") and getattr(user, "enterprise_id", None):
            # An enterprise reports its own hazards: no choice to make.
            self.initial["enterprise"] = user.enterprise_id
        if len(field.queryset[: ENTERPRISE_SELECT_LIMIT + 1]) > ENTERPRISE_SELECT_LIMIT:
            field.to_field_name = "uscc"
            field.widget = forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off"})
            field.help_text = _("填写单位的统一社会信用代码。")
            chosen = str(self.initial.get("enterprise") or "")
            if chosen.isdigit():
                # Linked from an enterprise's page (?enterprise=<id>): shown as its USCC.
                self.initial["enterprise"] = field.queryset.filter(pk=chosen).values_list("uscc", flat=True).first()
        if "source" not in given:
            self.initial["source"] = SOURCE_BY_ROLE.get(getattr(user, "role", None), HazardSource.INSPECTION)


class CriterionItemField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ChecklistItem) -> str:
        # Items are numbered within their checklist: the checklist's title tells two 第3项 apart.
        return f"{obj.checklist.title} · {obj}"


class HazardEditForm(ServiceModelForm):
    """Corrections of a reported hazard (issue 8 item 3): the fields the user's role may change
    (Hazard.editable_fields), more photos of what was found, and why (required for a level raised to 重大 without
    a 判定标准 item: services.hazard_save)."""

    photos = MultipleFileField(label=_("补充现场照片"), required=False, widget=_photo_input(),
                               help_text=_("可选；照片（JPG、PNG）或文件，可一次选择多个。"))
    reason = forms.CharField(label=_("修改理由"), required=False, max_length=REASON_MAX_LENGTH,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("写入变更记录。改为重大隐患而未选择判定依据时必填。"))

    class Meta:
        model = Hazard
        fields = ["place", "description", "category", "level", "criterion_item"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}
        field_classes = {"criterion_item": CriterionItemField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = user.changeable_fields(Hazard) if hasattr(user, "changeable_fields") else None
        if limit is not None:
            for name in self._meta.fields:
                if name not in limit:
                    del self.fields[name]
        if "criterion_item" in self.fields:
            # Only an item of a 判定标准 makes a hazard 重大 (standards.md §4), as when it is reported.
            self.fields["criterion_item"].queryset = (
                ChecklistItem.objects.restrict(user, VIEW).filter(major=True).select_related("checklist")
                .order_by("checklist__code", "-checklist__version", "number")
            )


def action_form_class(action: str) -> type[forms.Form]:
    """The kit's form of `action` (its fields, reason, attachments), with file inputs that offer the camera."""
    step = next(step for step in Hazard.workflow.transitions if step.action == action)
    base = transition_form_class(Hazard, step)

    class HazardActionForm(base):  # type: ignore[valid-type, misc]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.fields[ATTACHMENTS_FIELD].widget.attrs["accept"] = ACCEPT
            for field in self.fields.values():
                if isinstance(field.widget, forms.Textarea):
                    field.widget.attrs["rows"] = 3

    HazardActionForm.__name__ = base.__name__
    return HazardActionForm


ACTION_FORMS: dict[str, type[forms.Form]] = {action: action_form_class(action) for action in Hazard.workflow.actions}
