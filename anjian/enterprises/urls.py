from django.urls import path

from anjian.enterprises import views

app_name = "enterprises"


def _import_view(name: str):
    """The import pages live in anjian.enterprises.views_import (its own module); imported on first use."""

    def view(request, *args, **kwargs):
        from anjian.enterprises import views_import

        return getattr(views_import, name).as_view()(request, *args, **kwargs)

    view.__name__ = name
    return view


urlpatterns = [
    path("", views.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", views.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:pk>/delete/", views.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("import/", _import_view("EnterpriseImportView"), name="enterprise_import"),
    path("import/template.xlsx", _import_view("EnterpriseImportTemplateView"), name="enterprise_import_template"),
    path("import/errors.xlsx", _import_view("EnterpriseImportErrorsView"), name="enterprise_import_errors"),
    path("licences/", views.LicenceListView.as_view(), name="licence_list"),
    path("licences/add/", views.LicenceEditView.as_view(), name="licence_add"),
    path("licences/<int:pk>/edit/", views.LicenceEditView.as_view(), name="licence_edit"),
    path("licences/<int:pk>/delete/", views.LicenceDeleteView.as_view(), name="licence_delete"),
    path("insurance/", views.InsuranceListView.as_view(), name="insurance_list"),
    path("insurance/add/", views.InsuranceEditView.as_view(), name="insurance_add"),
    path("insurance/<int:pk>/edit/", views.InsuranceEditView.as_view(), name="insurance_edit"),
    path("insurance/<int:pk>/delete/", views.InsuranceDeleteView.as_view(), name="insurance_delete"),
    path("archives/", views.ArchiveListView.as_view(), name="archive_list"),
    path("archives/add/", views.ArchiveEditView.as_view(), name="archive_add"),
    path("archives/<int:pk>/edit/", views.ArchiveEditView.as_view(), name="archive_edit"),
    path("archives/<int:pk>/delete/", views.ArchiveDeleteView.as_view(), name="archive_delete"),
    path("archives/<int:pk>/download/", views.ArchiveDownloadView.as_view(), name="archive_download"),
]
