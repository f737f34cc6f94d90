from django.urls import path

from anjian.core import views, views_attachments, views_jobs

app_name = "core"

urlpatterns = [
    path("audit-events/", views.AuditEventListView.as_view(), name="auditevent_list"),
    # Photos and documents of any record (issue 6 item 6); every file passes the gate, none has a public URL.
    path("attachments/upload/<str:object_type>/<str:object_id>/", views_attachments.AttachmentUploadView.as_view(),
         name="attachment_upload"),
    path("attachments/<int:pk>/download/", views_attachments.AttachmentFileView.as_view(), name="attachment_download"),
    path("attachments/<int:pk>/thumbnail/", views_attachments.AttachmentFileView.as_view(thumbnail=True),
         name="attachment_thumbnail"),
    path("attachments/<int:pk>/delete/", views_attachments.AttachmentDeleteView.as_view(), name="attachment_delete"),
    # Background jobs (issue 7 item 1): 我的任务, a job's page and its polled status, file, cancel, retry, confirm.
    path("jobs/", views_jobs.JobListView.as_view(), name="job_list"),
    path("jobs/export/", views_jobs.ExportStartView.as_view(), name="job_export"),
    path("jobs/<int:pk>/", views_jobs.JobDetailView.as_view(), name="job_detail"),
    path("jobs/<int:pk>/status/", views_jobs.JobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/file/", views_jobs.JobFileView.as_view(), name="job_file"),
    path("jobs/<int:pk>/cancel/", views_jobs.JobCancelView.as_view(), name="job_cancel"),
    path("jobs/<int:pk>/retry/", views_jobs.JobRetryView.as_view(), name="job_retry"),
    path("jobs/<int:pk>/confirm/", views_jobs.JobConfirmView.as_view(), name="job_confirm"),
]
