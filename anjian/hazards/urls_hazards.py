"""Routes of the hazards app's hazards pages (included by anjian.hazards.urls)."""

from django.urls import path

from anjian.hazards import views


def _import_view(name: str):
    """The import pages live in anjian.hazards.views_import (its own module, as the enterprises'); imported on first
    use."""

    def view(request, *args, **kwargs):
        from anjian.hazards import views_import

        return getattr(views_import, name).as_view()(request, *args, **kwargs)

    view.__name__ = name
    return view


urlpatterns: list = [
    path("", views.HazardListView.as_view(), name="hazard_list"),
    path("add/", views.HazardEditView.as_view(), name="hazard_add"),
    # Hazards found in an external campaign (issue 8 item 7).
    path("import/", _import_view("HazardImportView"), name="hazard_import"),
    path("import/template.xlsx", _import_view("HazardImportTemplateView"), name="hazard_import_template"),
    path("import/errors.xlsx", _import_view("HazardImportErrorsView"), name="hazard_import_errors"),
    path("<int:pk>/", views.HazardDetailView.as_view(), name="hazard_detail"),
    path("<int:pk>/edit/", views.HazardEditView.as_view(), name="hazard_edit"),
    path("<int:pk>/<slug:action>/", views.HazardActionView.as_view(), name="hazard_action"),
    path("supervision/", views.SupervisionListView.as_view(), name="supervision_list"),
    # No login (issue 8 item 4): what a regulator publishes of the hazards under 挂牌督办.
    path("supervision/public/", views.supervision_public, name="supervision_public"),
]
