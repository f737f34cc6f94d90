"""Routes of the hazards app's public reports (included by anjian.hazards.urls): the citizen's pages under
public/ (no login) and the regulators' pages under public-reports/."""

from django.urls import path

from anjian.hazards import views_public as views

urlpatterns = [
    path("public/report/", views.PublicReportView.as_view(), name="public_report"),
    path("public/report/villages/", views.PublicReportVillagesView.as_view(), name="public_report_villages"),
    path("public/report/map/", views.PublicReportMapView.as_view(), name="public_report_map"),
    path("public/report/challenge/", views.PublicReportChallengeView.as_view(), name="public_report_challenge"),
    path("public/track/", views.PublicReportTrackView.as_view(), name="public_report_track"),
    path("public-reports/", views.PublicReportListView.as_view(), name="publicreport_list"),
    path("public-reports/<int:pk>/", views.PublicReportDetailView.as_view(), name="publicreport_detail"),
    path("public-reports/<int:pk>/<slug:action>/", views.PublicReportActionView.as_view(),
         name="publicreport_action"),
]
