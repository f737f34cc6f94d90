"""API base viewsets: the `restrict()` gate applied once, with the action taken from the HTTP method.

Every API viewset of a scoped model derives from these, so an out-of-scope id answers 404 exactly like a
missing one (architecture rule 2) and every write goes through the app's service (rule 3).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import IntegrityError
from django.db.models import Model, ProtectedError, QuerySet, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status, viewsets

from anjian.core.scope import CHANGE, DELETE, VIEW, can_add

# HTTP method → restrict() action. POST creates: the service checks ADD and re-checks the saved row, so the
# queryset it reads (nothing, on create) only needs VIEW.
METHOD_ACTIONS = {
    "GET": VIEW,
    "HEAD": VIEW,
    "OPTIONS": VIEW,
    "POST": VIEW,
    "PUT": CHANGE,
    "PATCH": CHANGE,
    "DELETE": DELETE,
}


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy("该记录仍被其他记录引用，无法删除。")


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


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """List and retrieve under the gate."""


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Full CRUD under the gate. Subclasses define `save_service` and `delete_service` (calling the app's services).

    `save_service(actor=..., obj=...)` validates (full_clean), saves and re-checks the jurisdiction;
    `delete_service(actor=..., obj=...)` checks DELETE and records the decision.
    """

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def _save(self, serializer) -> None:
        # A concurrent write can still hit a unique constraint after validation passed: answer 400, not 500.
        try:
            serializer.save()
        except IntegrityError as error:
            message = _("数据与已有记录冲突（如重复的编号）。")
            raise exceptions.ValidationError({"non_field_errors": [message]}) from error

    def create(self, request, *args, **kwargs):
        # Refuse a role that may add nothing before validating: it should not learn which inputs would pass.
        # The service checks again, and re-checks the saved row against the jurisdiction.
        if not can_add(request.user, self.model):
            raise exceptions.PermissionDenied(_("您无权新建该记录。"))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer) -> None:
        self._save(serializer)

    def perform_update(self, serializer) -> None:
        self._save(serializer)

    def perform_destroy(self, instance: Model) -> None:
        try:
            self.delete_service(actor=self.request.user, obj=instance)
        except (ProtectedError, RestrictedError) as error:
            raise Conflict() from error

