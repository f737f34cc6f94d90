"""Pages of the attachments panel (issue 6 item 6): upload to a record, download, thumbnail, delete.

The record an upload goes to is read through its own model's `restrict(user, "view")`, so a record out of scope
answers 404 like a missing one; `attach` then asks for CHANGE (403 when the user may only look). Every file is
read through `Attachment.objects.restrict(user, "view")` and streamed from storage: no public media URL exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anjian.core.attachments import (
    attachable_model,
    attachment_delete,
    attachment_upload,
    file_response,
    owner_of,
)
from anjian.core.errors import SERVICE_ERRORS, answer_for
from anjian.core.models import Attachment
from anjian.core.scope import DELETE, VIEW
from anjian.core.views import safe_next

NOT_FOUND = gettext_lazy("记录不存在或不在您的管辖范围内。")


def visible_record(user: Any, object_type: str, object_id: str) -> models.Model:
    """The attachable record `object_type`/`object_id` as `user` may view it, else 404 (missing, out of scope and
    not attachable look the same)."""
    model = attachable_model(object_type)
    if model is None:
        raise Http404(NOT_FOUND)
    try:
        obj = model.objects.restrict(user, VIEW).filter(pk=object_id).first()
    except (ValueError, TypeError, ValidationError):
        obj = None
    if obj is None:
        raise Http404(NOT_FOUND)
    return obj


def record_url(obj: models.Model | None) -> str:
    if obj is not None and hasattr(obj, "get_absolute_url"):
        return f"{obj.get_absolute_url()}#attachments"
    return "/"


class AttachmentUploadView(View):
    """POST files (`files`, several) with an optional `note` to one record; back to its page with a message."""

    http_method_names = ["post"]

    def post(self, request, object_type: str, object_id: str):
        obj = visible_record(request.user, object_type, object_id)
        target = safe_next(request, record_url(obj))
        try:
            # PermissionDenied (view-only users) is not caught: it is the site's 403 page.
            stored = attachment_upload(
                actor=request.user, obj=obj, files=request.FILES.getlist("files"),
                note=request.POST.get("note", "").strip(), purpose=request.POST.get("purpose", "").strip(),
            )
        except ValidationError as error:
            answer = answer_for(error)
            for problems in answer.fields.values():
                for message in problems:
                    messages.error(request, message)
            return HttpResponseRedirect(target)
        messages.success(request, _("已上传 %(count)d 个附件。") % {"count": len(stored)})
        return HttpResponseRedirect(target)


class AttachmentFileView(View):
    """The stored file (or, with `thumbnail = True`, its thumbnail) of an attachment the user may view."""

    thumbnail = False

    def get(self, request, pk: int):
        attachment = Attachment.objects.restrict(request.user, VIEW).filter(pk=pk).first()
        if attachment is None:
            raise Http404(NOT_FOUND)
        return file_response(attachment, thumbnail=self.thumbnail)


class AttachmentDeleteView(View):
    """Confirm, then delete with a reason (anjian.core.attachments.attachment_delete)."""

    template_name = "generic/attachment_delete.html"

    def get_attachment(self, pk: int) -> Attachment:
        attachment = Attachment.objects.restrict(self.request.user, DELETE).filter(pk=pk).first()
        if attachment is None:
            raise Http404(NOT_FOUND)
        return attachment

    def render_confirm(self, attachment: Attachment, error: str | None = None, status: int = 200):
        owner = owner_of(attachment)
        context = {"attachment": attachment, "owner": owner, "error": error, "cancel_url": record_url(owner)}
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk: int):
        return self.render_confirm(self.get_attachment(pk))

    def post(self, request, pk: int):
        attachment = self.get_attachment(pk)
        owner = owner_of(attachment)
        reason = request.POST.get("reason", "").strip()[:500]
        if not reason:
            return self.render_confirm(attachment, _("请填写删除理由。"), status=400)
        try:
            attachment_delete(actor=request.user, attachment=attachment, reason=reason)
        except SERVICE_ERRORS as error:
            answer = answer_for(error)
            details = [message for problems in answer.fields.values() for message in problems]
            return self.render_confirm(attachment, " ".join(details) or answer.message, status=answer.status)
        messages.success(request, _("已删除附件“%(name)s”。") % {"name": attachment.original_name})
        return HttpResponseRedirect(record_url(owner))
