from django.urls import path

from anjian.core.tests.kitapp import views

app_name = "kitapp"

urlpatterns = [
    path("", views.WorkPermitListView.as_view(), name="workpermit_list"),
    path("add/", views.WorkPermitEditView.as_view(), name="workpermit_add"),
    path("<int:pk>/", views.WorkPermitDetailView.as_view(), name="workpermit_detail"),
    path("<int:pk>/edit/", views.WorkPermitEditView.as_view(), name="workpermit_edit"),
    path("<int:pk>/<slug:action>/", views.WorkPermitActionView.as_view(), name="workpermit_action"),
]
