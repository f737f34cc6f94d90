"""API tokens: `POST /api/v1/auth/token/` with {"username", "password"} answers {"token": "..."}."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=gettext_lazy("用户名"), max_length=150)
    password = serializers.CharField(label=gettext_lazy("密码"), max_length=128, style={"input_type": "password"},
                                     trim_whitespace=False)


class ObtainTokenView(APIView):
    """Exchange a username and password for the user's API token (created on first use)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
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
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
