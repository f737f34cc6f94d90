"""/api/: version 1 of the REST API (each app's routes from the registry), its OpenAPI 3 schema and the Swagger UI
(served from vendored assets)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from anjian.core.api.views import LocalSwaggerView
from anjian.core.registry import registry

app_name = "api"

router = DefaultRouter()
for prefix, viewset, basename in registry.api_viewsets():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *(path("v1/", include(module)) for module in registry.api_url_modules),
    path("v1/", include(router.urls)),
    # The schema describes no data, yet only signed-in users and systems read it (anonymous see the login only).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", login_required(LocalSwaggerView.as_view(url_name="api:schema")), name="docs"),
]
