from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassValidator:
    """Passwords mix letters and digits (等保 2.0 asks for complexity; length is checked by Django's validator)."""

    def validate(self, password: str, user=None) -> None:
        if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
            raise ValidationError(_("密码必须同时包含字母和数字。"), code="password_no_mix")

    def get_help_text(self) -> str:
        return _("密码必须同时包含字母和数字。")
