from django.urls import path

from anjian.core import views

app_name = "core"

urlpatterns = [
    path("audit-events/", views.AuditEventListView.as_view(), name="auditevent_list"),
]
