"""Site URLs: each app's own URLs come from the registry (its AppConfig's `url_prefix`), in INSTALLED_APPS order."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from anjian.core.registry import registry


@login_not_required
def favicon(request):
    """Browsers ask for /favicon.ico on every page, signed in or not: the static icon (cached like all static)."""
    return HttpResponsePermanentRedirect(static("anjian/favicon.ico"))


urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    *(path(prefix, include(module)) for prefix, module in registry.url_includes),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
# No MEDIA_URL route, not even with DEBUG: uploads (archives, attachments) are served only through views that pass
# the gate.

# Under /api/ an unknown URL, a refused body or a crash answers in the API's JSON error format; elsewhere, the pages.
handler400 = "anjian.core.api.errors.bad_request"
handler403 = "anjian.core.api.errors.permission_denied"
handler404 = "anjian.core.api.errors.page_not_found"
handler500 = "anjian.core.api.errors.server_error"
