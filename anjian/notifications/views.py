"""The inbox (issue 6 item 5): a person's notifications, opening one, marking read, and channel preferences.

Every view reads through `restrict()`: another person's notification answers 404, like a missing one.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from anjian.core.privacy import mask_phone
from anjian.core.views import safe_next
from anjian.notifications.channels import CHANNELS
from anjian.notifications.choices import ChannelName
from anjian.notifications.filtersets import NotificationFilterSet
from anjian.notifications.forms import PreferencesForm
from anjian.notifications.models import Notification
from anjian.notifications.selectors import inbox, unread_count
from anjian.notifications.services import mark_all_read, mark_read, preference_of, save_preferences

PER_PAGE = 20


def _mark_read(request, pk: int) -> Notification:
    try:
        return mark_read(actor=request.user, notification_id=pk)
    except Notification.DoesNotExist as error:
        raise Http404(_("通知不存在。")) from error


class InboxView(View):
    template_name = "notifications/inbox.html"

    def get(self, request):
        filterset = NotificationFilterSet(request.GET or None, queryset=inbox(user=request.user), request=request)
        queryset = filterset.qs if filterset.is_valid() else inbox(user=request.user)
        paginator = Paginator(queryset, PER_PAGE)
        page = paginator.get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, self.template_name, {
            "page": page,
            "unread_only": filterset.is_valid() and filterset.form.cleaned_data.get("unread") is True,
            "unread_total": unread_count(user=request.user),
            "query": query.urlencode(),
        })


class OpenView(View):
    """Open a notification's record: mark it read, then go to its link (a path on this site only)."""

    def get(self, request, pk: int):
        notification = _mark_read(request, pk)
        target = notification.url
        if target.startswith("/") and url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                                        request.is_secure()):
            return HttpResponseRedirect(target)
        return HttpResponseRedirect(reverse("notifications:inbox"))


class MarkReadView(View):
    def post(self, request, pk: int):
        _mark_read(request, pk)
        return HttpResponseRedirect(safe_next(request, reverse("notifications:inbox")))


class MarkAllReadView(View):
    def post(self, request):
        count = mark_all_read(actor=request.user)
        if count:
            messages.success(request, _("已将 %(count)d 条通知标为已读。") % {"count": count})
        return HttpResponseRedirect(safe_next(request, reverse("notifications:inbox")))


class PreferencesView(View):
    template_name = "notifications/preferences.html"

    def context(self, form: PreferencesForm) -> dict:
        user = self.request.user
        return {
            "form": form,
            "channels": [
                {
                    "field": form[ChannelName.EMAIL],
                    "label": ChannelName.EMAIL.label,
                    "address": user.email,
                    "enabled": CHANNELS[ChannelName.EMAIL].enabled(),
                },
                {
                    "field": form[ChannelName.SMS],
                    "label": ChannelName.SMS.label,
                    "address": mask_phone(user.phone),
                    "enabled": CHANNELS[ChannelName.SMS].enabled(),
                },
            ],
        }

    def get(self, request):
        form = PreferencesForm(instance=preference_of(request.user))
        return render(request, self.template_name, self.context(form))

    def post(self, request):
        form = PreferencesForm(request.POST, instance=preference_of(request.user))
        if not form.is_valid():
            return render(request, self.template_name, self.context(form))
        save_preferences(actor=request.user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"])
        messages.success(request, _("通知设置已保存。"))
        return HttpResponseRedirect(reverse("notifications:preferences"))
