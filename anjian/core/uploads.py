"""Upload checks: by size, by extension AND by content (magic bytes), so a renamed executable is refused."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Extension → accepted leading bytes. Office files are ZIP containers; legacy .doc/.xls are OLE2.
ALLOWED_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF-",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    ".xls": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
}
# Executable formats refused whatever their name: PE (MZ), ELF, Mach-O, shell scripts.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"#!")


def validate_upload(upload, *, allowed: dict[str, tuple[bytes, ...]] | None = None) -> None:
    allowed = allowed or ALLOWED_SIGNATURES
    limit = settings.ANJIAN_UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("文件过大（%(size).1f MB），上限为 %(limit)d MB。"),
            code="too_large",
            params={"size": upload.size / 1048576, "limit": limit // 1048576},
        )
    extension = PurePath(upload.name).suffix.lower()
    if extension not in allowed:
        raise ValidationError(
            _("不支持的文件类型“%(ext)s”，允许：%(allowed)s。"),
            code="bad_type",
            params={"ext": extension or _("无扩展名"), "allowed": "、".join(sorted(allowed))},
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ValidationError(_("不允许上传可执行文件。"), code="executable")
    if not head.startswith(allowed[extension]):
        raise ValidationError(_("文件内容与扩展名“%(ext)s”不符。"), code="bad_content", params={"ext": extension})
