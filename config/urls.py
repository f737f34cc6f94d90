from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("anjian.dashboard.urls")),
    path("accounts/", include("anjian.accounts.urls")),
    path("core/", include("anjian.core.urls")),
    path("regions/", include("anjian.regions.urls")),
    path("enterprises/", include("anjian.enterprises.urls")),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
