"""Generic object views in NetBox's shape (netbox/views/generic/object_views.py), on the `restrict()` gate.

Every view starts from `Model.objects.restrict(request.user, action)`: a row outside the user's jurisdiction
answers 404 exactly like a missing row. Writes go through the app's service function (given as `service`),
which re-checks the jurisdiction after saving; its ValidationError lands on the form, next to the field.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.paginator import EmptyPage
from django.db import models
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.test import RequestFactory
from django.urls import NoReverseMatch, resolve, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django_tables2 import RequestConfig
from django_tables2.paginators import LazyPaginator

from anjian.core import export, importing
from anjian.core.errors import SERVICE_ERRORS, answer_for
from anjian.core.filtersets import AuditEventFilterSet, BaseFilterSet
from anjian.core.forms import transition_form_class
from anjian.core.models import AuditEvent
from anjian.core.scope import CHANGE, DELETE, EXPORT, VIEW, allows, can_add, jurisdiction_of
from anjian.core.tables import AuditEventTable, BaseTable
from anjian.core.workflow import (
    ATTACHMENTS_FIELD,
    REASON_FIELD,
    action_label,
    possible_actions,
    state_label,
    state_of,
    transition,
)

PER_PAGE_CHOICES = (25, 50, 100)
# 25 rows fill a laptop screen and keep a list page under 100 ms at 200,000 rows (docs/benchmarks.md).
DEFAULT_PER_PAGE = 25
# Beyond this a page number is nonsense (2.5 million rows at 25 a page), and a larger offset overflows SQLite.
MAX_PAGE = 100_000
# A list says how many rows match: exactly up to this many, "10,000+" beyond, so that counting never walks more
# than COUNT_LIMIT + 1 rows (a city supervisor's unfiltered list has 200,000; docs/benchmarks.md).
COUNT_LIMIT = 10_000
HISTORY_LIMIT = 50
HISTORY_TYPES = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}


def refuse_on_form(form: forms.BaseForm, error: BaseException) -> int:
    """Show a service's refusal on the form (anjian.core.errors, the mapping the API uses); answer its status."""
    answer = answer_for(error)
    if isinstance(error, ValidationError):
        add_validation_error(form, error)
    else:
        for message in answer.fields.get("non_field_errors", []) or [answer.message]:
            form.add_error(None, message)
    return answer.status if answer.status != 400 else 200


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: beside its field when the form has it, else at the top."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def safe_next(request, default: str) -> str:
    """The `next` parameter when it points inside this site, else `default` (no open redirect)."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return default


class FastSelect(forms.Select):
    """A <select> whose options are joined in Python: Django renders a template per option, which costs ~0.3 ms
    each, too much for a region filter of 650 villages on a list that must answer in under 100 ms."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = self.build_attrs(self.attrs, attrs)
        final_attrs["name"] = name
        selected = "" if value is None else str(value[0] if isinstance(value, list | tuple) and value else value)
        options = format_html_join(
            "", '<option value="{}"{}>{}</option>',
            ((key, mark_safe(" selected") if str(key) == selected else "", label) for key, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


def count_capped(queryset: QuerySet, limit: int) -> int:
    """How many rows `queryset` has, counting at most `limit + 1` of them (more than `limit` answers `limit + 1`).

    `SELECT COUNT(*) FROM (SELECT id ... LIMIT limit + 1)`: without the list's ordering (sorting every matching row
    is what the limit saves) and without its annotations (only the key is selected)."""
    return queryset.order_by().values("pk")[: limit + 1].count()


@dataclass(frozen=True)
class ListTotal:
    """The number of matching rows a list shows: exact, or only known to exceed `COUNT_LIMIT`."""

    count: int
    exact: bool
    per_page: int

    @property
    def label(self) -> str:
        # Grouped by thousands in every language (the numbers regulators' reports print).
        return f"{self.count:,}" if self.exact else f"{COUNT_LIMIT:,}+"

    @property
    def last_page(self) -> int | None:
        """The last page's number, when the total is exact; else None (the pager shows no last-page link)."""
        return max(1, math.ceil(self.count / self.per_page)) if self.exact else None


class ObjectViewMixin:
    """What every object view knows: its model, its URL names (`url_base` + `_list`/`_edit`/...) and the gate."""

    model: ClassVar[type[models.Model]]
    url_base: ClassVar[str] = ""  # e.g. "enterprises:licence"
    template_name: ClassVar[str] = ""

    def get_queryset(self, action: str) -> QuerySet:
        """The gate. Subclasses add select_related but never widen it."""
        return self.model.objects.restrict(self.request.user, action)

    def url(self, suffix: str, *args: Any) -> str | None:
        if not self.url_base:
            return None
        try:
            return reverse(f"{self.url_base}_{suffix}", args=args)
        except NoReverseMatch:
            return None

    def get_object(self, action: str, pk: Any) -> models.Model:
        try:
            return self.get_queryset(action).get(pk=pk)
        except (self.model.DoesNotExist, ValueError, ValidationError) as error:
            # Out of scope and missing look the same (architecture rule 2).
            raise Http404(_("记录不存在或不在您的管辖范围内。")) from error

    def base_context(self) -> dict[str, Any]:
        meta = self.model._meta
        return {
            "model": self.model,
            "verbose_name": meta.verbose_name,
            "verbose_name_plural": meta.verbose_name_plural,
            "list_url": self.url("list"),
        }


class ObjectListView(ObjectViewMixin, View):
    """A filtered, sortable, paginated list; `?export=xlsx` downloads the same filtered rows in the request (API
    clients, the permission matrices), while the page's 导出 button runs the export as a job (anjian.core.jobs).

    Pagination uses django-tables2's LazyPaginator: it fetches one row more than a page to know whether a
    next page exists, and never counts the whole table (the registry holds 200,000 enterprises): the total shown
    is exact up to COUNT_LIMIT and "10,000+" beyond (see `paginate`).
    """

    filterset_class: ClassVar[type[BaseFilterSet] | None] = None
    table_class: ClassVar[type[BaseTable]]
    template_name = "generic/object_list.html"
    export_exclude: ClassVar[tuple[str, ...]] = ("actions",)
    # A list whose model has an import exports in the import's columns, so the file imports back unchanged.
    export_spec: ClassVar[importing.ImportSpec | None] = None
    default_order: ClassVar[tuple[str, ...]] = ()

    def get_filterset(self, queryset: QuerySet):
        if self.filterset_class is None:
            return None
        return self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)

    def filter_form_hook(self, form: forms.Form) -> None:
        """Adjust the filter form's widgets for this user (e.g. a region select of what they can see)."""

    def filtered(self, action: str):
        queryset = self.get_queryset(action)
        filterset = self.get_filterset(queryset)
        if filterset is None:
            return queryset, None
        if filterset.is_bound and not filterset.is_valid():
            # A filter that cannot be read (an unknown region code) shows its error and no rows, rather
            # than silently listing everything in scope.
            return queryset.none(), filterset
        return filterset.qs, filterset

    def get_table(self, queryset: QuerySet) -> BaseTable:
        # No request= here: django-tables2 would paginate at once with a counting paginator.
        return self.table_class(queryset, user=self.request.user)

    def per_page(self) -> int:
        try:
            value = int(self.request.GET.get("per_page", DEFAULT_PER_PAGE))
        except ValueError:
            return DEFAULT_PER_PAGE
        return value if value in PER_PAGE_CHOICES else DEFAULT_PER_PAGE

    def page_number(self) -> int:
        try:
            value = int(self.request.GET.get("page", 1))
        except ValueError:
            return 1
        # A number past MAX_PAGE is past the end of any list: it shows the last page with a note (see paginate).
        return value if value >= 1 else 1

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            return self.export()
        queryset, filterset = self.filtered(VIEW)
        if self.default_order and not request.GET.get("sort"):
            queryset = queryset.order_by(*self.default_order)
        table = self.get_table(queryset)
        # Sorting from the request; pagination here, from validated numbers (django-tables2 would take per_page and
        # page from the query string as they come, and a negative or huge one reaches the database).
        RequestConfig(request, paginate=False).configure(table)
        self.paginate(table, queryset)
        if filterset is not None:
            self.filter_form_hook(filterset.form)
        export_query = request.GET.copy()
        for key in ("page", "export"):
            export_query.pop(key, None)
        # The 导出 button starts an export job of these filters (anjian.core.views_jobs.ExportStartView).
        job_query = export_query.urlencode()
        export_query["export"] = "xlsx"
        context = {
            **self.base_context(),
            "table": table,
            "filterset": filterset,
            "filter_form": filterset.form if filterset is not None else None,
            "add_url": self.url("add") if can_add(request.user, self.model) else None,
            "export_url": "?" + export_query.urlencode()
            if not jurisdiction_of(request.user, EXPORT, self.model).nothing
            else None,
            "export_query": job_query,
            "filters_active": any(key not in {"page", "sort", "per_page", "q"} and value not in {"", "unknown"}
                                  for key, value in request.GET.items()),
            **self.get_extra_context(),
        }
        template = "generic/table_partial.html" if getattr(request, "htmx", False) else self.template_name
        return render(request, template, context)

    def paginate(self, table: BaseTable, queryset: QuerySet) -> None:
        """Paginate `table` (LazyPaginator: one row more than a page tells whether a next page exists) and set
        `table.total` (a ListTotal) and `table.missing_page` (a page number past the end that was asked for).

        The total costs nothing on the last page (the rows before it plus the rows on it); elsewhere it is a count
        capped at COUNT_LIMIT + 1 rows. Above the cap the last page is not known, and the pager shows no link to it:
        finding it would need the full count this avoids; reversing the sort shows the last rows first instead.
        A page past the end shows the last page with a note: the rows ended before the page's offset, which the
        database has just walked, so counting them (capped at that offset) costs no more than that query did.
        """
        per_page = self.per_page()
        requested = self.page_number()
        table.missing_page = None
        try:
            # No offset beyond MAX_PAGE pages reaches the database (it would overflow SQLite's integers).
            if requested > MAX_PAGE:
                raise EmptyPage(requested)
            table.paginate(paginator_class=LazyPaginator, page=requested, per_page=per_page)
        except EmptyPage:
            cap = (min(requested, MAX_PAGE) - 1) * per_page
            count = count_capped(queryset, cap)
            # Not exact only past MAX_PAGE on a list longer than MAX_PAGE pages: it then shows page MAX_PAGE.
            table.total = ListTotal(count=count, exact=count <= cap, per_page=per_page)
            table.missing_page = requested
            table.paginate(paginator_class=LazyPaginator, page=table.total.last_page or MAX_PAGE, per_page=per_page)
            return
        page = table.page
        if not page.has_next():
            count = (page.number - 1) * per_page + len(page.object_list)
            table.total = ListTotal(count=count, exact=True, per_page=per_page)
        else:
            count = count_capped(queryset, COUNT_LIMIT)
            table.total = ListTotal(count=count, exact=count <= COUNT_LIMIT, per_page=per_page)

    def get_extra_context(self) -> dict[str, Any]:
        return {}

    def export(self):
        source = self.export_source()
        limit = settings.ANJIAN_EXPORT_MAX_ROWS
        if source.total > limit:
            messages.error(
                self.request,
                _("筛选结果共 %(count)d 条，超过单次导出上限 %(limit)d 条，请缩小筛选范围后再导出。")
                % {"count": source.total, "limit": limit},
            )
            query = self.request.GET.copy()
            query.pop("export", None)
            return HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}")
        return export.xlsx_response(
            headers=source.headers, rows=source.rows(), filename=source.filename, sheet_title=source.sheet_title
        )

    def export_source(self) -> export.ExportSource:
        """The rows of this list the user may export, with the request's filters and sort (issue 7 item 1)."""
        if jurisdiction_of(self.request.user, EXPORT, self.model).nothing:
            raise PermissionDenied(_("您无权导出该列表。"))
        queryset, _filterset = self.filtered(EXPORT)
        total = queryset.count()
        table = self.get_table(queryset)
        if self.request.GET.get("sort"):
            RequestConfig(self.request, paginate=False).configure(table)
            queryset = table.data.data
        elif self.default_order:
            queryset = queryset.order_by(*self.default_order)
        name = str(self.model._meta.verbose_name_plural)
        if self.export_spec is not None:
            return importing.spec_source(
                self.export_spec, queryset, total=total, filename=f"{name}.xlsx", masked=self.export_masked()
            )
        return export.table_source(
            table, queryset, total=total, filename=f"{name}.xlsx", sheet_title=name, exclude=self.export_exclude
        )


    def export_masked(self) -> dict[str, Callable[[Any], Any]]:
        """Fields of a spec export this user may not read in full, with the function that masks them."""
        return {}


def export_source_for(user: Any, path: str, query: str) -> export.ExportSource:
    """The export of the list page at `path` with query string `query`, as `user` would download it.

    A job runner calls this long after the request: the list view is resolved again and run with the stored
    filters, so the rows are those the user may export when the job runs (the gate is asked again).
    """
    match = resolve(path)
    view_class = getattr(match.func, "view_class", None)
    if view_class is None or not issubclass(view_class, ObjectListView):
        raise Http404(_("该页面不能导出。"))
    request = RequestFactory().get(path, QueryDict(query, mutable=False))
    request.user = user
    view = view_class(**getattr(match.func, "view_initkwargs", {}))
    view.setup(request, *match.args, **match.kwargs)
    return view.export_source()


class ObjectDetailView(ObjectViewMixin, View):
    """One record the user may view; `detail_fields` are shown as label/value pairs.

    The buttons are what this user may do to this row now: edit, delete, and each workflow action its state
    allows, decided in memory by the same gate (no query per button).
    """

    template_name = "generic/object_detail.html"
    detail_fields: ClassVar[tuple[str, ...]] = ()

    def get(self, request, pk):
        obj = self.get_object(VIEW, pk)
        context = {
            **self.base_context(),
            "object": obj,
            "fields": field_rows(obj, self.detail_fields),
            "edit_url": self.url("edit", obj.pk) if self.allowed(CHANGE, obj) else None,
            "delete_url": self.url("delete", obj.pk) if self.allowed(DELETE, obj) else None,
            "action_buttons": self.action_buttons(obj),
            "state_label": state_label(obj) if self.model.workflow is not None else None,
            "history": change_history(obj),
            "audit_events": audit_events(request.user, obj),
            "attachments": self.attachments(obj),
            **self.get_extra_context(obj),
        }
        return render(request, self.template_name, context)

    def allowed(self, action: str, obj: models.Model) -> bool:
        return allows(self.request.user, action, obj)

    def action_buttons(self, obj: models.Model) -> list[dict[str, Any]]:
        return [
            {"action": step.action, "label": action_label(self.model, step.action),
             "url": self.url("action", obj.pk, step.action)}
            for step in possible_actions(self.request.user, obj)
        ]

    def attachments(self, obj: models.Model) -> dict[str, Any] | None:
        """The photos and documents panel, for models that carry them (`attachable = True`)."""
        if not getattr(self.model, "attachable", False):
            return None
        from anjian.core.attachments import panel_context

        return panel_context(self.request, obj)

    def get_extra_context(self, obj: models.Model) -> dict[str, Any]:
        return {}


class ObjectEditView(ObjectViewMixin, View):
    """Create (no pk) or change (pk) a record through the app's service.

    `service` is called as `service(actor=user, **{service_arg: obj})`; it validates, saves and re-checks the
    jurisdiction. The form gets `user` so it can limit its choices to what the user may reach.
    """

    form_class: ClassVar[type[forms.ModelForm]]
    service: ClassVar[Callable[..., Any]]
    service_arg: ClassVar[str] = "obj"
    template_name = "generic/object_edit.html"

    def get_instance(self, pk: Any | None) -> models.Model:
        if pk is None:
            if not can_add(self.request.user, self.model):
                raise PermissionDenied(_("您无权新建该记录。"))
            return self.model()
        return self.get_object(CHANGE, pk)

    def get_form(self, instance: models.Model, data=None, files=None) -> forms.ModelForm:
        return self.form_class(data=data, files=files, instance=instance, user=self.request.user,
                               initial=self.get_initial(instance))

    def get_initial(self, instance: models.Model) -> dict[str, Any]:
        return {}

    def success_url(self, obj: models.Model) -> str:
        if hasattr(obj, "get_absolute_url"):
            return obj.get_absolute_url()
        return self.url("list") or "/"

    def render_form(self, form, instance, status: int = 200):
        self.form = form  # for get_extra_context of subclasses that lay fields out themselves
        cancel = instance.get_absolute_url() if instance.pk and hasattr(instance, "get_absolute_url") else None
        context = {
            **self.base_context(),
            "object": instance,
            "form": form,
            "is_new": instance.pk is None,
            "cancel_url": safe_next(self.request, cancel or self.url("list") or "/"),
            **self.get_extra_context(instance),
        }
        return render(self.request, self.template_name, context, status=status)

    def get_extra_context(self, instance: models.Model) -> dict[str, Any]:
        return {}

    def get(self, request, pk=None):
        instance = self.get_instance(pk)
        return self.render_form(self.get_form(instance), instance)

    def post(self, request, pk=None):
        instance = self.get_instance(pk)
        is_new = instance.pk is None
        form = self.get_form(instance, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_form(form, instance, status=422 if request.htmx else 200)
        obj = form.save(commit=False)
        try:
            type(self).service(actor=request.user, **{self.service_arg: obj})
        except SERVICE_ERRORS as error:
            # E.g. a record moved out of the user's jurisdiction: the service rolled back; say why, where it fits.
            return self.render_form(form, instance, status=refuse_on_form(form, error))
        message = _("已新建%(name)s“%(obj)s”。") if is_new else _("已保存%(name)s“%(obj)s”。")
        messages.success(request, message % {"name": self.model._meta.verbose_name, "obj": obj})
        return HttpResponseRedirect(self.success_url(obj))


class ObjectDeleteView(ObjectViewMixin, View):
    """Confirm, then delete through the app's service (`service(actor=user, **{service_arg: obj, reason})`)."""

    service: ClassVar[Callable[..., Any]]
    service_arg: ClassVar[str] = "obj"
    template_name = "generic/object_delete.html"

    def after_delete_url(self, obj: models.Model) -> str:
        return self.url("list") or "/"

    def render_confirm(self, obj, error: str | None = None, status: int = 200):
        context = {
            **self.base_context(),
            "object": obj,
            "error": error,
            "cancel_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else self.url("list"),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render_confirm(self.get_object(DELETE, pk))

    def post(self, request, pk):
        obj = self.get_object(DELETE, pk)
        reason = request.POST.get("reason", "").strip()[:500]
        target = self.after_delete_url(obj)
        label = str(obj)
        try:
            type(self).service(actor=request.user, reason=reason, **{self.service_arg: obj})
        except SERVICE_ERRORS as error:
            answer = answer_for(error)
            details = [message for messages in answer.fields.values() for message in messages]
            return self.render_confirm(obj, " ".join(details) or answer.message, status=answer.status)
        name = self.model._meta.verbose_name
        messages.success(request, _("已删除%(name)s“%(obj)s”。") % {"name": name, "obj": label})
        return HttpResponseRedirect(target)


class ObjectActionView(ObjectViewMixin, View):
    """One workflow action on one record: a form made from the transition's requirements (its fields, a reason,
    attachments), then the app's service (issue 6 item 3).

    The URL is `<pk>/<action>/`. A row the user may not view answers 404; an action the user may not take on it
    answers 403; an action its state does not allow answers 409 with what is possible instead. `services` maps
    an action to the app's service for it (called as service(actor=, obj=, action=, reason=, data=,
    attachments=)); an action not named runs the plain transition. `action_forms` may give an action its own
    form class.
    """

    template_name = "generic/object_action.html"
    services: ClassVar[dict[str, Callable[..., Any]]] = {}
    action_forms: ClassVar[dict[str, type[forms.Form]]] = {}

    def get_step(self, obj: models.Model, action: str):
        workflow = self.model.workflow
        if workflow is None or action not in workflow.actions:
            raise Http404(_("没有这个操作。"))
        return workflow.find(state_of(obj), action)

    def get_form(self, step, data=None, files=None) -> forms.Form:
        form_class = self.action_forms.get(step.action) or transition_form_class(self.model, step)
        return form_class(data=data, files=files)

    def render_action(self, obj, action, form, *, step, error: str | None = None, status: int = 200):
        context = {
            **self.base_context(),
            "object": obj,
            "action": action,
            "action_label": action_label(self.model, action),
            "state_label": state_label(obj),
            "step": step,
            "form": form,
            "error": error,
            "cancel_url": obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else self.url("list"),
        }
        return render(self.request, self.template_name, context, status=status)

    def refuse_early(self, obj, action, step):
        """The answer before any form: 409 when the state does not allow the action, 403 when the user may not."""
        if step is None:
            from anjian.core.workflow import illegal

            return self.render_action(obj, action, None, step=None, error=illegal(obj, action).message, status=409)
        if not allows(self.request.user, action, obj):
            raise PermissionDenied(_("您无权对该记录执行“%(action)s”。") % {"action": action_label(self.model, action)})
        return None

    def get(self, request, pk, action):
        obj = self.get_object(VIEW, pk)
        step = self.get_step(obj, action)
        refusal = self.refuse_early(obj, action, step)
        if refusal is not None:
            return refusal
        return self.render_action(obj, action, self.get_form(step), step=step)

    def post(self, request, pk, action):
        obj = self.get_object(VIEW, pk)
        step = self.get_step(obj, action)
        refusal = self.refuse_early(obj, action, step)
        if refusal is not None:
            return refusal
        form = self.get_form(step, data=request.POST, files=request.FILES)
        if not form.is_valid():
            return self.render_action(obj, action, form, step=step, status=400)
        values = dict(form.cleaned_data)
        reason = values.pop(REASON_FIELD, "") or ""
        attachments = values.pop(ATTACHMENTS_FIELD, None) or []
        service = self.services.get(action) or transition
        try:
            saved = service(actor=request.user, obj=obj, action=action, reason=reason, data=values,
                            attachments=attachments)
        except SERVICE_ERRORS as error:
            status = refuse_on_form(form, error)
            return self.render_action(obj, action, form, step=step, status=status if status != 200 else 400)
        messages.success(request, _("已对“%(obj)s”执行“%(action)s”。") % {
            "obj": saved, "action": action_label(self.model, action),
        })
        return HttpResponseRedirect(saved.get_absolute_url() if hasattr(saved, "get_absolute_url") else "/")


# ---- detail helpers -------------------------------------------------------------------------------------------


def display_value(obj: models.Model, field: models.Field) -> Any:
    """A field's value as a person reads it: choice labels, 是/否, the related record's name."""
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if value is None or value == "":
        return ""
    # One date format in every language (config/formats: 2026-03-01, 2026-03-01 14:30 in Asia/Shanghai).
    if isinstance(value, dt.date):
        return date_text(value)
    return value


def field_rows(obj: models.Model, names: tuple[str, ...]) -> list[tuple[str, Any]]:
    rows = []
    for name in names:
        field = obj._meta.get_field(name)
        rows.append((field.verbose_name, display_value(obj, field)))
    return rows


def change_history(obj: models.Model, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
    """变更记录: each historical version of `obj` with its field changes (simple_history's diff_against).

    One query for the versions (+ one per related model named in a change); versions are diffed pairwise in
    memory instead of asking each version for its predecessor.
    """
    manager = getattr(obj, "history", None)
    if manager is None:
        return []
    versions = list(manager.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    pending_fk: dict[type[models.Model], set[Any]] = {}
    for index, version in enumerate(versions[:limit]):
        older = versions[index + 1] if index + 1 < len(versions) else None
        changes = []
        if older is not None and version.history_type == "~":
            for change in version.diff_against(older).changes:
                field = model._meta.get_field(change.field)
                changes.append({"field": field, "old": change.old, "new": change.new})
                if isinstance(field, models.ForeignKey):
                    pending_fk.setdefault(field.related_model, set()).update(
                        value for value in (change.old, change.new) if value is not None
                    )
        entries.append(
            {
                "date": version.history_date,
                "user": version.history_user,
                "type": HISTORY_TYPES.get(version.history_type, version.history_type),
                "reason": version.history_change_reason or "",
                "changes": changes,
            }
        )
    # Names for foreign keys (reference data such as regions and industries), one query per related model.
    names = {model_: model_._base_manager.in_bulk(list(ids)) for model_, ids in pending_fk.items()}
    for entry in entries:
        for change in entry["changes"]:
            field = change["field"]
            change["label"] = field.verbose_name
            change["old_display"] = _readable(field, change["old"], names)
            change["new_display"] = _readable(field, change["new"], names)
    return entries


def _readable(field: models.Field, value: Any, names: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ForeignKey):
        related = names.get(field.related_model, {}).get(value)
        return str(related) if related is not None else str(value)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return _("是") if value else _("否")
    if isinstance(value, dt.date):
        # A moment as the rest of the page writes it (2026-06-01 10:00, Asia/Shanghai), not its UTC repr.
        return date_text(value)
    return str(value)


def date_text(value: dt.date) -> str:
    """A date or a moment in the one format of every language (config/formats), a moment in Asia/Shanghai."""
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


def audit_events(user: Any, obj: models.Model, limit: int = 20) -> list[AuditEvent]:
    """Recent AuditEvents of `obj` the user may read."""
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return list(
        AuditEvent.objects.restrict(user, VIEW)
        .filter(content_type=content_type, object_id=str(obj.pk))
        .select_related("actor")[:limit]
    )


# ---- the audit log ------------------------------------------------------------------------------------------------


class AuditEventListView(ObjectListView):
    model = AuditEvent
    url_base = "core:auditevent"
    filterset_class = AuditEventFilterSet
    table_class = AuditEventTable
    export_exclude = ()

    def get_queryset(self, action: str) -> QuerySet:
        return super().get_queryset(action).select_related("actor", "content_type")

    def get_extra_context(self) -> dict[str, Any]:
        # The audit log is append-only: no add button, whoever may add elsewhere.
        return {"add_url": None}
