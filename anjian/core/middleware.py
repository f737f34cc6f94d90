import re
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Anonymous users see the login page and nothing else (issue 2). The API answers 401/403 itself."""

    exempt_prefixes = ("/api/", "/static/", "/i18n/")

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(self.exempt_prefixes):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


def tile_source(url: str) -> str:
    """The CSP source of the map's tile server (ANJIAN_MAP_TILE_URL): its scheme and host, `{s}` subdomains as a
    wildcard; nothing for no tile server or tiles served by the site itself (covered by 'self')."""
    parts = urlsplit(url.strip())
    if not parts.scheme or not parts.netloc:
        return ""
    host = parts.netloc.replace("{s}.", "*.")
    host = re.sub(r"\{[^}]*\}", "*", host)
    return f"{parts.scheme}://{host}"


def content_security_policy() -> str:
    """Every script comes from the site's own files (vendored assets, no inline script, no event-handler attributes,
    no eval); nothing is framed or fetched from elsewhere, except the map tiles of ANJIAN_MAP_TILE_URL when set.

    style-src keeps 'unsafe-inline' because inline styles are widespread: style attributes in our templates (card
    widths, the inbox's unread mark), in DRF's browsable API, in ECharts' tooltips (HTML strings with style
    attributes) and the Swagger UI page's <style> block, and htmx adds its indicator <style>. Inline styles cannot run
    script; scripts stay strict.
    """
    images = ["'self'", "data:", "blob:"]
    tiles = tile_source(getattr(settings, "ANJIAN_MAP_TILE_URL", ""))
    if tiles:
        images.append(tiles)
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": images,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every answer, and `Cache-Control: no-store` on what a signed-in person or system
    is shown and on every download (lists, exports and files hold names and phone numbers): a shared computer's
    browser cache or a proxy must not keep them. Static files keep WhiteNoise's caching (issue 7 item 4).

    Placed before WhiteNoise, so static files carry the policy too."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = content_security_policy()
        self.static_prefix = settings.STATIC_URL or "/static/"

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        if request.path.startswith(self.static_prefix):
            return response
        user = getattr(request, "user", None)
        download = "attachment" in response.get("Content-Disposition", "")
        if download or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response


class ApiInputGuardMiddleware:
    """Under /api/, a URL or query string holding the NUL character is bad input: 400 in the API's error format.

    PostgreSQL cannot compare text with NUL in it, so `/api/v1/industries/%00/` or a NUL in a cursor or a filter
    would otherwise reach the database as a 500 (the bodies are checked by anjian.core.api.parsers)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and _has_nul(request):
            from anjian.core.api.errors import json_error

            return json_error(400, "invalid", _("请求地址或查询参数不能包含空字符（\\u0000）。"))
        return self.get_response(request)


def _has_nul(request) -> bool:
    if "\x00" in request.path:
        return True
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())
