"""`/api/v1/notifications/` (issue 6 item 5): the caller's own notifications, newest first, and marking them read.

Others rely on: `GET /api/v1/notifications/` (`id`, `kind`, `text`, `url`, `created`, `read`; `?unread=true`) and
`POST /api/v1/notifications/<id>/read/`. Another person's notification answers 404, exactly like a missing one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from anjian.core.api.viewsets import ScopedReadOnlyViewSet
from anjian.notifications.filtersets import NotificationFilterSet
from anjian.notifications.models import Notification
from anjian.notifications.services import mark_all_read, mark_read


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read", read_only=True, label=_("已读"))

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "text", "url", "created", "read", "read_at"]
        read_only_fields = fields


class NotificationViewSet(ScopedReadOnlyViewSet):
    """通知: the caller's own notifications (never another person's, whatever the role)."""

    model = Notification
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilterSet
    cursor_ordering = "-id"
    # Ids are 64-bit integers: a longer number is no id (404), not a query.
    lookup_value_regex = r"\d{1,18}"

    @extend_schema(request=None, responses=NotificationSerializer, summary=_("标为已读"))
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        try:
            notification = mark_read(actor=request.user, notification_id=pk)
        except Notification.DoesNotExist:
            raise exceptions.NotFound() from None
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, summary=_("全部标为已读"),
                   responses=inline_serializer("NotificationsMarked", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"marked": mark_all_read(actor=request.user)})
