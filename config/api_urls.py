"""/api/: version 1 of the REST API, its OpenAPI 3 schema and the Swagger UI (served from vendored assets)."""

from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from anjian.accounts.api.views import ObtainTokenView
from anjian.core.api.views import AuditEventViewSet, LocalSwaggerView
from anjian.enterprises.api.views import (
    ArchiveDocumentViewSet,
    EnterpriseViewSet,
    IndustryViewSet,
    LiabilityInsuranceViewSet,
    LicenceViewSet,
)
from anjian.regions.api.views import IndustrialParkViewSet, RegionViewSet

app_name = "api"

router = DefaultRouter()
router.register("enterprises", EnterpriseViewSet, basename="enterprise")
router.register("licences", LicenceViewSet, basename="licence")
router.register("insurances", LiabilityInsuranceViewSet, basename="insurance")
router.register("archives", ArchiveDocumentViewSet, basename="archive")
router.register("regions", RegionViewSet, basename="region")
router.register("parks", IndustrialParkViewSet, basename="park")
router.register("industries", IndustryViewSet, basename="industry")
router.register("audit-events", AuditEventViewSet, basename="auditevent")

urlpatterns = [
    path("v1/auth/token/", ObtainTokenView.as_view(), name="token"),
    path("v1/", include(router.urls)),
    # The schema describes no data, yet only signed-in users and systems read it (anonymous see the login only).
    path("schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", login_required(LocalSwaggerView.as_view(url_name="api:schema")), name="docs"),
]
