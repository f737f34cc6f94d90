"""Routes of risk units, assessments, control measures and their checks (issue 9 item 4) and of the colours
(item 5, urls_colours)."""

from django.urls import path

from anjian.risk import urls_colours, views

app_name = "risk"


def _import_view(name: str):
    """The import pages live in anjian.risk.views_import (as the hazards' do); imported on first use."""

    def view(request, *args, **kwargs):
        from anjian.risk import views_import

        return getattr(views_import, name).as_view()(request, *args, **kwargs)

    return view


urlpatterns = [
    *urls_colours.urlpatterns,
    path("units/", views.RiskUnitListView.as_view(), name="riskunit_list"),
    path("units/add/", views.RiskUnitEditView.as_view(), name="riskunit_add"),
    path("units/import/", _import_view("RiskUnitImportView"), name="riskunit_import"),
    path("units/import/template.xlsx", _import_view("RiskUnitImportTemplateView"), name="riskunit_import_template"),
    path("units/import/errors.xlsx", _import_view("RiskUnitImportErrorsView"), name="riskunit_import_errors"),
    path("units/<int:pk>/", views.RiskUnitDetailView.as_view(), name="riskunit_detail"),
    path("units/<int:pk>/edit/", views.RiskUnitEditView.as_view(), name="riskunit_edit"),
    path("units/<int:pk>/delete/", views.RiskUnitDeleteView.as_view(), name="riskunit_delete"),
    path("units/<int:pk>/assess/", views.RiskAssessView.as_view(), name="riskunit_assess"),
    path("units/<int:pk>/card.pdf", views.RiskCardView.as_view(), name="riskunit_card"),
    path("assessments/", views.RiskAssessmentListView.as_view(), name="riskassessment_list"),
    path("assessments/<int:pk>/", views.RiskAssessmentDetailView.as_view(), name="riskassessment_detail"),
    path("measures/", views.ControlMeasureListView.as_view(), name="controlmeasure_list"),
    path("measures/add/", views.ControlMeasureEditView.as_view(), name="controlmeasure_add"),
    path("measures/<int:pk>/edit/", views.ControlMeasureEditView.as_view(), name="controlmeasure_edit"),
    path("measures/<int:pk>/delete/", views.ControlMeasureDeleteView.as_view(), name="controlmeasure_delete"),
    path("measures/<int:pk>/check/", views.MeasureCheckView.as_view(), name="controlmeasure_check"),
    path("check-items/", views.CheckItemsView.as_view(), name="check_items"),
    path("checks/", views.MeasureCheckListView.as_view(), name="measurecheck_list"),
]
