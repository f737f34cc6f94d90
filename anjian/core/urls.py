from django.urls import path

from anjian.core import views, views_attachments

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
]
