"""Administration of the notification templates, and a read-only view of deliveries (e.g. the failed ones)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from anjian.notifications.choices import ChannelName
from anjian.notifications.models import Delivery, Notification, NotificationTemplate


class NotificationTemplateForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(label=_("外发渠道"), choices=ChannelName.choices, required=False,
                                         widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = NotificationTemplate
        fields = ["kind", "title", "body", "channels"]


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(admin.ModelAdmin):
    form = NotificationTemplateForm
    list_display = ("kind", "title", "channels", "customized", "updated")
    search_fields = ("kind", "title", "body")

    def save_model(self, request, obj, form, change):
        # An administrator's wording survives the next `anjian load-reference` (issue 6 item 5).
        obj.customized = True
        super().save_model(request, obj, form, change)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created", "recipient", "kind", "title", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "key", "recipient__username")
    list_select_related = ("recipient",)


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created", "channel", "address", "status", "attempts", "next_attempt_at", "sent_at", "answer")
    list_filter = ("status", "channel")
    search_fields = ("key", "address")
