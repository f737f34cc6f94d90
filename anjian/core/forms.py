"""Form base of every edit page: validates like the service it feeds, without asking the database twice.

A ModelForm validates a foreign key by looking it up, then asks the database again in `full_clean()` whether it
exists and whether every unique value is free; the service then does it all once more. `ServiceModelForm`
keeps the unchanged related row the page was read with instead of looking it up again, and validates the model
with `anjian.core.validation.validate_instance`, whose database checks cover only what changed (issue 6 item 3).
The service still validates in full what it saves.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import construct_instance, fields_for_model
from django.utils.translation import gettext_lazy as _

from anjian.core.validation import validate_instance
from anjian.core.workflow import ATTACHMENTS_FIELD, REASON_FIELD, REASON_MAX_LENGTH


class ServiceModelForm(forms.ModelForm):
    def _current_choices(self) -> dict[str, tuple[str, Any]]:
        """Foreign-key fields whose current related row is already loaded: name → (submitted key, row)."""
        known: dict[str, tuple[str, Any]] = {}
        if self.instance._state.adding:
            return known
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField) or isinstance(field, forms.ModelMultipleChoiceField):
                continue
            model_field = next((f for f in self.instance._meta.concrete_fields if f.name == name), None)
            if model_field is None or not model_field.many_to_one or not model_field.is_cached(self.instance):
                continue
            current = model_field.get_cached_value(self.instance)
            if current is not None:
                known[name] = (str(getattr(current, field.to_field_name or "pk")), current)
        return known

    def _clean_fields(self) -> None:
        # Django's loop (django/forms/forms.py), except that a foreign key submitted unchanged is the row already
        # loaded: looking it up again would only find the same row.
        known = self._current_choices()
        for name, bound in self._bound_items():
            field = bound.field
            try:
                submitted = bound.initial if field.disabled else bound.data
                if name in known and str(submitted) == known[name][0]:
                    self.cleaned_data[name] = known[name][1]
                else:
                    self.cleaned_data[name] = field._clean_bound_field(bound)
                if hasattr(self, f"clean_{name}"):
                    self.cleaned_data[name] = getattr(self, f"clean_{name}")()
            except ValidationError as error:
                self.add_error(name, error)

    def _post_clean(self) -> None:
        exclude = self._get_validation_exclusions()
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)
            return
        try:
            validate_instance(self.instance, exclude=exclude)
        except ValidationError as error:
            self._update_errors(error)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django docs, "Uploading multiple files"); each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def transition_form_class(model: type[models.Model], step: Any) -> type[forms.Form]:
    """The form of one transition: the model fields it sets, a reason and attachments, as its table row says."""
    fields: dict[str, forms.Field] = dict(fields_for_model(model, fields=list(step.fields)))
    for name, field in fields.items():
        field.required = name not in step.optional
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    fields[REASON_FIELD] = forms.CharField(
        label=_("理由") if step.reason else _("说明"), required=step.reason, max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    fields[ATTACHMENTS_FIELD] = MultipleFileField(
        label=_("附件"), required=step.attachments > 0,
        help_text=_("至少 %(count)d 个；照片或文件") % {"count": step.attachments} if step.attachments
        else _("可选；照片或文件"),
    )
    return type(f"{model.__name__}{step.action.title()}Form", (forms.Form,), fields)
