"""API base viewsets: the `restrict()` gate applied once, with the action taken from the HTTP method.

Every API viewset of a scoped model derives from these, so an out-of-scope id answers 404 exactly like a
missing one (architecture rule 2) and every write goes through the app's service (rule 3). Writes take one
path (issue 6 item 3): the view reads the row through the gate once, the serializer validates the submitted
values, and the view hands the row with those values set (and the request's `reason`) to the service.
A workflow model's transitions are `POST /api/v1/<collection>/<id>/<action>/`, one endpoint per action.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action as drf_action
from rest_framework.response import Response

from anjian.core.api.parsers import FormParser, JSONParser, MultiPartParser
from anjian.core.scope import CHANGE, DELETE, VIEW, can_add
from anjian.core.workflow import ATTACHMENTS_FIELD, REASON_FIELD, REASON_MAX_LENGTH, action_label, transition

# HTTP method → restrict() action. POST creates: the service checks ADD and re-checks the saved row, so the
# queryset it reads (nothing, on create) only needs VIEW. A transition (POST on a row) reads the row it may view;
# the transition itself is gated by its own action.
METHOD_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": VIEW,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}


def request_reason(request: Any) -> str:
    """The `reason` a write carries: in the body, or (for DELETE, which often has none) in the query string."""
    value = request.data.get(REASON_FIELD) if hasattr(request.data, "get") else None
    if value is None:
        value = request.query_params.get(REASON_FIELD, "")
    if not isinstance(value, str):
        raise exceptions.ValidationError({REASON_FIELD: [_("理由须为文本。")]})
    if len(value) > REASON_MAX_LENGTH:
        message = _("理由不能超过 %(limit)d 个字符。") % {"limit": REASON_MAX_LENGTH}
        raise exceptions.ValidationError({REASON_FIELD: [message]})
    return value.strip()


class ScopedViewSetMixin:
    """get_queryset() = `model.objects.restrict(user, action)`; subclasses only narrow it (select_related...).

    A record the user may view but not change or delete answers 403 to PUT/PATCH/DELETE (it is no secret);
    a record outside the user's view answers 404, the same as a missing id.
    """

    model: ClassVar[type[Model]]

    def restricted_queryset(self, action: str) -> QuerySet:
        return self.model.objects.restrict(self.request.user, action)

    def optimize(self, queryset: QuerySet) -> QuerySet:
        """Hook for select_related/prefetch_related; must not widen the queryset."""
        return queryset

    @property
    def scope_action(self) -> str:
        return METHOD_ACTIONS.get(self.request.method, VIEW)

    def get_queryset(self) -> QuerySet:
        return self.optimize(self.restricted_queryset(self.scope_action))

    def get_object(self) -> Model:
        try:
            return super().get_object()
        except Http404:
            action = self.scope_action
            if action != VIEW and self._visible():
                message = _("您无权修改该记录。") if action == CHANGE else _("您无权删除该记录。")
                raise exceptions.PermissionDenied(message) from None
            raise

    def _visible(self) -> bool:
        lookup = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        try:
            return self.restricted_queryset(VIEW).filter(**{self.lookup_field: lookup}).exists()
        except (ValueError, TypeError):
            return False


class ReasonSerializerMixin:
    """Every write may say why: a `reason` field (write-only, optional) beside the model's fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields[REASON_FIELD] = serializers.CharField(
            label=_("理由"), write_only=True, required=False, allow_blank=True, max_length=REASON_MAX_LENGTH,
            help_text=_("为什么作此修改（写入审计记录）。"),
        )
        return fields


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve under the gate."""


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Full CRUD under the gate. Subclasses define `save_service` and `delete_service` (calling the app's services).

    `save_service(actor=..., obj=..., reason=...)` validates, saves and re-checks the jurisdiction;
    `delete_service(actor=..., obj=..., reason=...)` checks DELETE and records the decision. Their refusals reach
    the client through anjian.core.api.errors (409 for a record other records still reference).
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def create(self, request, *args, **kwargs):
        # Refuse a role that may add nothing before validating: it should not learn which inputs would pass.
        # The service checks again, and re-checks the saved row against the jurisdiction.
        if not can_add(request.user, self.model):
            raise exceptions.PermissionDenied(_("您无权新建该记录。"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        values = dict(serializer.validated_data)
        reason = values.pop(REASON_FIELD, "")
        serializer.instance = self.save_service(actor=self.request.user, obj=self.model(**values), reason=reason)

    def perform_update(self, serializer) -> None:
        # The row get_object() read through the gate for CHANGE, with the validated values set on it.
        values = dict(serializer.validated_data)
        reason = values.pop(REASON_FIELD, "")
        instance = serializer.instance
        for name, value in values.items():
            setattr(instance, name, value)
        serializer.instance = self.save_service(actor=self.request.user, obj=instance, reason=reason)

    def perform_destroy(self, instance: Model) -> None:
        self.delete_service(actor=self.request.user, obj=instance, reason=request_reason(self.request))


def transition_serializer(model: type[Model], action: str) -> type[serializers.Serializer]:
    """The request body of one transition: `reason`, the fields the action sets, and its attachments."""
    step = next(step for step in model.workflow.transitions if step.action == action)
    attrs: dict[str, Any] = {
        REASON_FIELD: serializers.CharField(
            label=_("理由"), required=step.reason, allow_blank=not step.reason, max_length=REASON_MAX_LENGTH,
        ),
    }
    if step.fields:
        meta = type("Meta", (), {
            "model": model,
            "fields": list(step.fields),
            "extra_kwargs": {name: {"required": name not in step.optional} for name in step.fields},
        })
        field_serializer = type(f"{model.__name__}{action.title().replace('_', '')}Fields",
                                (serializers.ModelSerializer,), {"Meta": meta})
        attrs.update({name: field for name, field in field_serializer().get_fields().items()})
    # Every transition may carry photos or documents; some require them (e.g. rectification evidence).
    attrs[ATTACHMENTS_FIELD] = serializers.ListField(
        child=serializers.FileField(), required=step.attachments > 0, allow_empty=step.attachments == 0,
        label=_("附件"),
    )
    name = f"{model.__name__}{''.join(part.title() for part in action.split('_'))}Request"
    return type(name, (serializers.Serializer,), attrs)


@dataclass(frozen=True)
class TransitionApi:
    """How the API speaks one transition where the kit's default body does not fit (issue 8: the hazards' interface).

    - `request`: the body's serializer (default: made from the transition's fields by `transition_serializer`);
    - `field_names`: an interface name → the model field it sets, for the names that differ (`note` →
      `verification_note`); the other names are the model's own;
    - `service`: what runs it, called as service(actor=, obj=, action=, reason=, data=, attachments=) with `data` in
      the model's field names (default: the viewset's `transition_service`).
    """

    request: type[serializers.Serializer] | None = None
    field_names: Mapping[str, str] = field(default_factory=dict)
    service: Callable[..., Model] | None = None


# What each transition endpoint may answer besides 200; a viewset's `transition_refusals` says more where its
# services refuse more (a deadline in the past, a level that may not verify).
TRANSITION_ANSWERS: Mapping[int, Any] = {
    400: gettext_lazy("数据有误（含缺少理由）"),
    403: gettext_lazy("无权执行该操作"),
    404: gettext_lazy("记录不存在或不在管辖范围内"),
    409: gettext_lazy("当前状态不允许该操作（illegal_transition）"),
}


def _transition_endpoint(viewset: type, model: type[Model], action: str):
    """`POST /<collection>/<id>/<action>/` of one transition, with its request body and answers in the schema."""
    api: TransitionApi = viewset.transition_apis.get(action) or TransitionApi()
    request_serializer = api.request or transition_serializer(model, action)

    def endpoint(self, request, *args, **kwargs):
        return self.run_transition(request, action, request_serializer, field_names=api.field_names,
                                   service=api.service)

    endpoint.__name__ = action
    endpoint.__doc__ = _("执行“%(action)s”。") % {"action": action_label(model, action)}
    # An action named with underscores answers at a hyphenated path (list_supervision → list-supervision/), the
    # spelling of the API's other paths.
    endpoint = drf_action(detail=True, methods=["post"], url_path=action.replace("_", "-"), url_name=action,
                          parser_classes=[JSONParser, MultiPartParser, FormParser])(endpoint)
    answers = {**TRANSITION_ANSWERS, **viewset.transition_refusals}
    # extend_schema goes outside @action: @action replaces the function's `kwargs`, where the schema is kept.
    return extend_schema(
        request={"application/json": request_serializer, "multipart/form-data": request_serializer},
        responses={
            200: getattr(viewset, "serializer_class", None),
            **{status: OpenApiResponse(description=description) for status, description in answers.items()},
        },
        summary=action_label(model, action),
    )(endpoint)


class WorkflowViewSetMixin:
    """Adds `POST /<collection>/<id>/<action>/` for every action of the model's transition table.

    Each endpoint reads the row the user may view (else 404), then runs `transition_service` (by default
    anjian.core.workflow.transition): 403 when the user may not take the action on this row, 409
    `illegal_transition` when the row's state does not allow it, 400 for a missing reason or field.
    """

    # (Not in the docstring: viewsets without their own show it in the API schema.) `transition_apis` gives an
    # action its own body, names and service as data; `transition_refusals` describes in the schema what the
    # model's services refuse beyond the kit's answers.
    transition_apis: ClassVar[Mapping[str, TransitionApi]] = {}
    transition_refusals: ClassVar[Mapping[int, Any]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = cls.__dict__.get("model")
        workflow = getattr(model, "workflow", None)
        if workflow is None:
            return
        for action in workflow.actions:
            if action not in cls.__dict__:
                setattr(cls, action, _transition_endpoint(cls, model, action))

    def transition_service(self, *, actor: Any, obj: Model, action: str, reason: str, data: dict,
                           attachments: list) -> Model:
        return transition(actor=actor, obj=obj, action=action, reason=reason, data=data, attachments=attachments)

    def run_transition(self, request, action: str, request_serializer: type[serializers.Serializer], *,
                       field_names: Mapping[str, str] | None = None,
                       service: Callable[..., Model] | None = None) -> Response:
        """Read the row (404 out of view), validate the body, and run `service` (default `transition_service`)
        with the body's values under the model's field names (`field_names` maps the interface's)."""
        obj = self.get_object()
        body = request_serializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        values = dict(body.validated_data)
        reason = values.pop(REASON_FIELD, "")
        attachments = values.pop(ATTACHMENTS_FIELD, [])
        names = field_names or {}
        data = {names.get(name, name): value for name, value in values.items()}
        run = service or self.transition_service
        saved = run(actor=request.user, obj=obj, action=action, reason=reason, data=data, attachments=attachments)
        return Response(self.get_serializer(saved).data)
