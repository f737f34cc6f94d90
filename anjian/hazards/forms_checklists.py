"""Forms of checklists and self-inspection schedules (issue 8 items 1 and 2). The fill page reads its answers
itself (one card per item); the service validates them (anjian.hazards.services_checklists)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.core.scope import VIEW
from anjian.core.validators import EARLIEST_DATE, LATEST_DATE
from anjian.enterprises.models import Enterprise
from anjian.hazards.models import Checklist, ChecklistItem, InspectionSchedule
from anjian.hazards.selectors_checklists import published_checklists

# Above this many enterprises a <select> is unusable (the city has 200,000): the USCC is typed instead.
ENTERPRISE_SELECT_LIMIT = 300


class ChecklistForm(ServiceModelForm):
    """A new checklist's code and fields; a draft's own fields (the code is fixed once it exists)."""

    class Meta:
        model = Checklist
        fields = ["code", "title", "domain", "basis", "criteria", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
        self.fields["code"].help_text = _("小写字母、数字和连字符，例如 town-fire-check；同一清单的各版本共用编号。")


class ChecklistItemForm(ServiceModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["number", "text", "basis", "clause", "category", "major", "provisional"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.checklist.criteria:
            # Only a 判定标准 checklist's items make a failure 重大 (the service refuses it too).
            del self.fields["major"]


class ScheduleForm(ServiceModelForm):
    """An enterprise in the user's reach and a checklist in use; fixed enterprise once the schedule exists."""

    enterprise = forms.ModelChoiceField(
        queryset=Enterprise.objects.none(), label=_("单位"),
        error_messages={"invalid_choice": _("请选择您管辖范围内的单位（可填写统一社会信用代码）。")},
    )

    class Meta:
        model = InspectionSchedule
        fields = ["enterprise", "checklist", "frequency", "starts_on", "responsible", "active"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["enterprise"]
        choices = Enterprise.objects.restrict(user, VIEW).order_by("name", "id")
        field.queryset = choices
        if self.instance.pk:
            field.disabled = True
            field.queryset = Enterprise.objects.filter(pk=self.instance.enterprise_id)
        elif len(choices[: ENTERPRISE_SELECT_LIMIT + 1]) > ENTERPRISE_SELECT_LIMIT:
            field.to_field_name = "uscc"
            field.widget = forms.TextInput(attrs={"maxlength": 18, "autocomplete": "off"})
            field.help_text = _("填写单位的统一社会信用代码。")
            initial = self.initial.get("enterprise")
            if isinstance(initial, Enterprise):
                self.initial["enterprise"] = initial.uscc
        checklists = published_checklists(user=user).order_by("code")
        if self.instance.pk and self.instance.checklist_id:
            # The schedule's own checklist stays selectable after a new version retires it.
            checklists = checklists | Checklist.objects.filter(pk=self.instance.checklist_id)
        self.fields["checklist"].queryset = checklists
        bounds = {"min": EARLIEST_DATE.isoformat(), "max": LATEST_DATE.isoformat()}
        self.fields["starts_on"].widget = forms.DateInput(attrs={"type": "date", **bounds}, format="%Y-%m-%d")
