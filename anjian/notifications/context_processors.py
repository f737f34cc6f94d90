"""The header's unread count (issue 6 item 5)."""

from __future__ import annotations

from typing import Any

from django.utils.functional import cached_property

from anjian.notifications.selectors import unread_count


class UnreadCount:
    """Counted on first use: only a page that draws the header's bell pays for the COUNT; API answers, redirects
    and pages without the header do not."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def value(self) -> int:
        return unread_count(user=self.user)


def unread_notifications(request: Any) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": UnreadCount(user)}
