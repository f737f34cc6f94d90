from django import forms

from anjian.notifications.models import NotificationPreference


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email", "sms"]
