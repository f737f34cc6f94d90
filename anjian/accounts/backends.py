"""Authentication that loads what the gate needs with the user, in the same query (issue 6 item 3: an edit read
the user's region in a query of its own on every request)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication

# The last use of a token is written at most this often (not a write per request).
LAST_USED_EVERY = timedelta(minutes=1)
# What `User.reach()` and the page header read from a user: its region (a subtree's prefix) and its enterprise.
USER_RELATIONS = ("region", "enterprise")


class UserModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from anjian.accounts.models import User

        user = User._default_manager.select_related(*USER_RELATIONS).filter(pk=user_id).first()
        return user if self.user_can_authenticate(user) else None


class UserTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>` against anjian.accounts.models.ApiToken (issue 7 item 8): a revoked or unknown
    key is refused as DRF refuses an unknown one, an expired one with the code `token_expired`; the user's region and
    enterprise come with the token in one query, and the last use is written at most once a minute."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from django.utils import timezone
        from django.utils.translation import gettext as _
        from rest_framework import exceptions

        from anjian.accounts.models import ApiToken

        token = (
            ApiToken.objects.select_related("user", *(f"user__{name}" for name in USER_RELATIONS))
            .filter(key=key, revoked__isnull=True)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        now = timezone.now()
        if token.expires <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"), code="token_expired")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.last_used is None or now - token.last_used >= LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
            token.last_used = now
        return token.user, token
