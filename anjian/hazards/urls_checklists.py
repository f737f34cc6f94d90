"""Routes of the hazards app's checklists and self-inspection pages (included by anjian.hazards.urls)."""

from django.urls import path

from anjian.hazards import views_checklists as views

urlpatterns = [
    path("checklists/", views.ChecklistListView.as_view(), name="checklist_list"),
    path("checklists/add/", views.ChecklistEditView.as_view(), name="checklist_add"),
    path("checklists/<int:pk>/", views.ChecklistDetailView.as_view(), name="checklist_detail"),
    path("checklists/<int:pk>/edit/", views.ChecklistEditView.as_view(), name="checklist_edit"),
    path("checklists/<int:pk>/delete/", views.ChecklistDeleteView.as_view(), name="checklist_delete"),
    path("checklists/<int:pk>/new-version/", views.ChecklistNewVersionView.as_view(), name="checklist_new_version"),
    path("checklists/<int:pk>/<slug:action>/", views.ChecklistActionView.as_view(), name="checklist_action"),
    path("checklist-items/add/", views.ChecklistItemEditView.as_view(), name="checklistitem_add"),
    path("checklist-items/<int:pk>/edit/", views.ChecklistItemEditView.as_view(), name="checklistitem_edit"),
    path("checklist-items/<int:pk>/delete/", views.ChecklistItemDeleteView.as_view(), name="checklistitem_delete"),
    path("schedules/", views.ScheduleListView.as_view(), name="schedule_list"),
    path("schedules/add/", views.ScheduleEditView.as_view(), name="schedule_add"),
    path("schedules/missed/", views.ScheduleMissedView.as_view(), name="schedule_missed"),
    path("schedules/<int:pk>/", views.ScheduleDetailView.as_view(), name="schedule_detail"),
    path("schedules/<int:pk>/edit/", views.ScheduleEditView.as_view(), name="schedule_edit"),
    path("self-inspections/", views.SelfInspectionListView.as_view(), name="selfinspection_list"),
    path("self-inspections/new/", views.SelfInspectionFillView.as_view(), name="selfinspection_add"),
    path("self-inspections/<int:pk>/", views.SelfInspectionDetailView.as_view(), name="selfinspection_detail"),
]
