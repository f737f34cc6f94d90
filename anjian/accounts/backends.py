"""Authentication that loads what the gate needs with the user, in the same query (issue 6 item 3: an edit read
the user's region in a query of its own on every request)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from rest_framework.authentication import TokenAuthentication

# What `User.reach()` and the page header read from a user: its region (a subtree's prefix) and its enterprise.
USER_RELATIONS = ("region", "enterprise")


class UserModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        from anjian.accounts.models import User

        user = User._default_manager.select_related(*USER_RELATIONS).filter(pk=user_id).first()
        return user if self.user_can_authenticate(user) else None


class UserTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with the user's region and enterprise joined to the token lookup."""

    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        from django.utils.translation import gettext as _
        from rest_framework import exceptions
        from rest_framework.authtoken.models import Token

        token = (
            Token.objects.select_related("user", *(f"user__{name}" for name in USER_RELATIONS))
            .filter(key=key)
            .first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token
