"""API tokens: `POST /api/v1/auth/token/` with {"username", "password"} answers {"token": "..."}."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = serializers.CharField(label=gettext_lazy("密码"), max_length=128, style={"input_type": "password"},
                                     trim_whitespace=False)


class ClientScopedRateThrottle(ScopedRateThrottle):
    """DRF's scoped rate limit, counted per client address as anjian.core.network reads it behind trusted proxies
    (DRF's own reading takes X-Forwarded-For from anyone), in the shared cache (settings.CACHES)."""

    def get_ident(self, request):
        from anjian.core.network import client_ip

        return client_ip(request) or "unknown"


class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token: the active one, else a new one valid for
    ANJIAN_API_TOKEN_DAYS days."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ClientScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                          "expires": serializers.DateTimeField()})},
        summary=gettext_lazy("获取 API 令牌"),
    )
    def post(self, request):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        django_request = request._request
        # Through django.contrib.auth.authenticate with the request so django-axes counts the failure and
        # refuses a locked-out username/IP before the password is even checked.
        user = authenticate(
            request=django_request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if getattr(django_request, "axes_locked_out", False):
            # AxesMiddleware would replace our answer with the HTML lockout page; the API keeps its format.
            django_request.axes_locked_out = False
            message = _("登录失败次数过多，账号已暂时锁定，请稍后再试。")
            raise exceptions.ValidationError({"non_field_errors": [message]})
        if user is None or not user.is_active:
            raise exceptions.ValidationError({"non_field_errors": [_("用户名或密码错误。")]})
        if user.must_change_password:
            # A one-time password from an administrator opens the password-change page, not the API.
            raise exceptions.ValidationError({"non_field_errors": [_("请先登录网页修改管理员重置的密码。")]})
        from anjian.accounts.services import token_for_api

        token = token_for_api(user=user)
        return Response({"token": token.key, "expires": token.expires.isoformat()})
