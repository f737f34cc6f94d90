"""Photos and documents carried by any record (issue 6 item 6): checked, cleaned, stored, served through the gate.

A file comes in through `process_upload`: size, extension and magic bytes (anjian.core.uploads), then, for a
photo, a full decode with Pillow. A photo is re-encoded without any metadata (a phone writes its model, serial
numbers, the owner's name and sometimes a preview of the uncropped picture into EXIF/XMP); only the moment and the
place it was taken are kept, as fields, because they are what makes a photo evidence. `attach` stores a batch of
files on one record, all or nothing, with the record's scope copied onto each row (as anjian.core.audit does), so
the people who reach the record reach its files and nobody else does. Files are never served from a public media
URL: every download reads its row through `Attachment.objects.restrict(user, "view")` (`file_response`).

Storage is Django's default storage: the data directory's `media/` by default, S3-compatible object storage when
`ANJIAN_S3_BUCKET` is set (config/settings.py), so several app servers share the files.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from io import BytesIO
from pathlib import PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps

from anjian.core import audit
from anjian.core.models import Attachment, AttachmentKind, entity_name
from anjian.core.scope import CHANGE, DELETE, VIEW, allows, scope_values
from anjian.core.uploads import ALLOWED_SIGNATURES, validate_upload
from anjian.core.workflow import ATTACHMENTS_FIELD

# The audit verbs of a direct upload and of a removal, recorded on the record the files belong to (their labels
# are in anjian.core.audit.VERB_LABELS).
ATTACH = "attach"
DETACH = "detach"

# One upload (a form, an API call, a transition) carries at most this many files: 20 photos of 20 MB is already
# 400 MB in one request.
MAX_FILES = 20
# A 50-megapixel phone photo at full resolution is 8160 × 6144; anything larger is refused before it is decoded
# (a 60 MP RGB image is 180 MB in memory, and a small PNG can claim any size: a decompression bomb). Pillow's own
# guard (Image.MAX_IMAGE_PIXELS, about 89 MP) stays as it is for the rest of the process.
MAX_PIXELS = 60_000_000
THUMBNAIL_SIZE = 320
JPEG_QUALITY = 85
THUMBNAIL_QUALITY = 80
NAME_MAX_LENGTH = 255

# Accepted files: those of anjian.core.uploads (JPEG, PNG, PDF, Word, Excel). HEIC (iPhone photos) is not accepted:
# Pillow cannot decode it without the pillow-heif plugin and libheif, and iOS Safari sends a JPEG anyway when the
# page's file input does not list HEIC. WebP is not accepted either: Pillow decodes it only when built with libwebp
# (PyPI wheels are, a distribution's Pillow may not be), and no phone camera writes it.
ALLOWED = ALLOWED_SIGNATURES
IMAGE_FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG"}
MIME_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Bootstrap Icons of the documents list.
DOCUMENT_ICONS = {
    "application/pdf": "bi-file-earmark-pdf text-danger",
    "application/msword": "bi-file-earmark-word text-primary",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "bi-file-earmark-word text-primary",
    "application/vnd.ms-excel": "bi-file-earmark-excel text-success",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "bi-file-earmark-excel text-success",
}
# The `accept` list of the upload form: extensions for desktop browsers, MIME types so that phones offer the camera.
ACCEPT = ",".join([*ALLOWED, "image/jpeg", "image/png", "application/pdf"])

# EXIF tags (EXIF 2.32; Pillow's ExifTags names them).
_DATETIME_ORIGINAL = ExifTags.Base.DateTimeOriginal
_OFFSET_TIME_ORIGINAL = ExifTags.Base.OffsetTimeOriginal
_GPS_LATITUDE_REF, _GPS_LATITUDE, _GPS_LONGITUDE_REF, _GPS_LONGITUDE = 1, 2, 3, 4
_SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class ProcessedFile:
    """One accepted file, ready to store: the bytes to store (re-encoded for a photo) and what is known of it."""

    name: str
    extension: str
    kind: str
    mime_type: str
    content: bytes
    sha256: str
    width: int | None = None
    height: int | None = None
    taken_at: dt.datetime | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    thumbnail: bytes | None = None

    @property
    def size(self) -> int:
        return len(self.content)


# ---- checking and cleaning one file ----------------------------------------------------------------------------


def clean_name(name: str) -> str:
    """The name a person gave the file, safe to show and to send back: no folders (a browser on Windows may send
    `C:\\fakepath\\x.jpg`), no control or bidirectional-override characters, at most 255 characters with the
    extension kept."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    if not base or base.startswith("."):
        # Nothing left, or a dot-file name such as ".jpg" (which has no extension for pathlib).
        base = _("附件") + base
    extension = PurePosixPath(base).suffix.lower()
    if len(base) > NAME_MAX_LENGTH:
        stem = base[: len(base) - len(extension)] if extension else base
        base = stem[: NAME_MAX_LENGTH - len(extension)] + (extension if extension else "")
    return base


def _read(upload: Any) -> bytes:
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read()
    return data if isinstance(data, bytes) else bytes(data)


def process_upload(upload: Any) -> ProcessedFile:
    """Check one uploaded file and prepare it for storage; raise ValidationError (in Chinese) if it is refused.

    Documents are stored as they came. A photo must decode completely; it is turned upright (EXIF orientation),
    its EXIF time and GPS position are read, and it is re-encoded (JPEG quality 85, or PNG) without metadata,
    with a JPEG thumbnail of at most 320 px on the long side.
    """
    validate_upload(upload, allowed=ALLOWED)
    name = clean_name(getattr(upload, "name", "") or "")
    extension = PurePosixPath(str(getattr(upload, "name", "") or "")).suffix.lower()
    data = _read(upload)
    image_format = IMAGE_FORMATS.get(extension)
    if image_format is None:
        return ProcessedFile(
            name=name, extension=extension, kind=AttachmentKind.DOCUMENT, mime_type=MIME_TYPES[extension],
            content=data, sha256=hashlib.sha256(data).hexdigest(),
        )
    return _process_image(data, name=name, image_format=image_format)


def _bad_image() -> ValidationError:
    return ValidationError(_("图片无法识别或已损坏，请重新拍摄或选择其他图片。"), code="bad_image")


def _too_many_pixels(pixels: int | None = None) -> ValidationError:
    if pixels is None:
        return ValidationError(
            _("图片像素过大，上限为 %(limit)d 万像素。"), code="too_many_pixels", params={"limit": MAX_PIXELS // 10000},
        )
    return ValidationError(
        _("图片像素过大（%(pixels)d 万像素），上限为 %(limit)d 万像素，请用相机的常规模式拍摄。"),
        code="too_many_pixels", params={"pixels": pixels // 10000, "limit": MAX_PIXELS // 10000},
    )


def _open(data: bytes, image_format: str) -> Image.Image:
    # Only the format the extension and magic bytes promised: no other Pillow decoder ever sees the bytes.
    return Image.open(BytesIO(data), formats=[image_format])


def _decode(data: bytes, image_format: str) -> Image.Image:
    """The fully decoded image, or a refusal. Any exception from a decoder fed untrusted bytes means 'does not
    decode' (Pillow raises OSError, SyntaxError, ValueError, struct.error... depending on where the bytes go
    wrong), so all of them become the same Chinese message."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with _open(data, image_format) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise _too_many_pixels(width * height)
                probe.verify()
            image = _open(data, image_format)
            image.load()
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels() from error
        except Exception as error:
            raise _bad_image() from error
    if image.width < 1 or image.height < 1:
        raise _bad_image()
    return image


def _process_image(data: bytes, *, name: str, image_format: str) -> ProcessedFile:
    image = _decode(data, image_format)
    taken_at, latitude, longitude = photo_metadata(image)
    try:
        upright = ImageOps.exif_transpose(image) or image
    except Exception:
        # An orientation tag that cannot be applied: the picture is kept as the camera stored it.
        upright = image
    clean = _without_metadata(upright, image_format)
    buffer = BytesIO()
    if image_format == "JPEG":
        clean.save(buffer, "JPEG", quality=JPEG_QUALITY, optimize=True, exif=b"")
        extension, mime_type = ".jpg", "image/jpeg"
    else:
        # Default zlib level: `optimize` would try level 9 and take seconds on a large screenshot.
        clean.save(buffer, "PNG")
        extension, mime_type = ".png", "image/png"
    content = buffer.getvalue()
    return ProcessedFile(
        name=name, extension=extension, kind=AttachmentKind.PHOTO, mime_type=mime_type, content=content,
        sha256=hashlib.sha256(content).hexdigest(), width=clean.width, height=clean.height, taken_at=taken_at,
        latitude=latitude, longitude=longitude, thumbnail=make_thumbnail(clean),
    )


def _without_metadata(image: Image.Image, image_format: str) -> Image.Image:
    """A copy carrying pixels only: no EXIF, XMP, ICC profile, comments or PNG text chunks (Pillow writes some of
    them from `info` when saving)."""
    if "transparency" in image.info and image.mode in {"P", "L", "RGB"}:
        # The transparent colour is kept in `info`, which is dropped below: carry it in an alpha channel instead.
        image = image.convert("RGBA")
    elif image.mode == "P":
        image = image.convert("RGB")
    if image_format == "JPEG" and image.mode not in {"RGB", "L"}:
        # CMYK and YCCK JPEGs (Adobe) show wrongly or not at all in some browsers.
        image = image.convert("RGB")
    clean = image.copy()
    clean.info = {}
    return clean


def make_thumbnail(image: Image.Image) -> bytes:
    """A JPEG of at most THUMBNAIL_SIZE px on the long side; transparency is laid on white."""
    small = image.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode in {"RGBA", "LA"}:
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode not in {"RGB", "L"}:
        small = small.convert("RGB")
    small.info = {}
    buffer = BytesIO()
    small.save(buffer, "JPEG", quality=THUMBNAIL_QUALITY, optimize=True)
    return buffer.getvalue()


# ---- EXIF: when and where a photo was taken ---------------------------------------------------------------------


def photo_metadata(image: Image.Image) -> tuple[dt.datetime | None, Decimal | None, Decimal | None]:
    """(taken_at, latitude, longitude) from the photo's EXIF; None for whatever is missing or nonsense.

    Metadata that cannot be read leaves the photo a photo: it only loses its time or position.
    """
    try:
        exif = image.getexif()
        details = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:
        return None, None, None
    taken_at = exif_datetime(details.get(_DATETIME_ORIGINAL), details.get(_OFFSET_TIME_ORIGINAL))
    latitude = gps_coordinate(gps.get(_GPS_LATITUDE), gps.get(_GPS_LATITUDE_REF), positive="N", negative="S",
                              limit=90)
    longitude = gps_coordinate(gps.get(_GPS_LONGITUDE), gps.get(_GPS_LONGITUDE_REF), positive="E", negative="W",
                               limit=180)
    if latitude is None or longitude is None or (latitude == 0 and longitude == 0):
        # Half a position is no position; 0°, 0° is what a camera without a fix writes.
        return taken_at, None, None
    return taken_at, latitude, longitude


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("ascii", errors="ignore")
    return str(value or "").strip("\x00 ").strip()


def exif_datetime(value: Any, offset: Any = None) -> dt.datetime | None:
    """EXIF DateTimeOriginal ("2026:03:01 09:30:00") as an aware datetime.

    The tag has no time zone. When the camera wrote OffsetTimeOriginal (EXIF 2.31, e.g. "+08:00") that offset is
    used; otherwise the time is read as Asia/Shanghai (settings.TIME_ZONE), where the platform's photos are taken.
    """
    text = _text(value)[:19]
    try:
        naive = dt.datetime.strptime(text, "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    if naive.year < 1900:
        return None
    zone: dt.tzinfo = ZoneInfo(settings.TIME_ZONE)
    offset_text = _text(offset)
    if len(offset_text) == 6 and offset_text[0] in "+-" and offset_text[3] == ":":
        try:
            hours, minutes = int(offset_text[1:3]), int(offset_text[4:6])
        except ValueError:
            hours = minutes = -1
        if 0 <= hours <= 14 and 0 <= minutes < 60:
            delta = dt.timedelta(hours=hours, minutes=minutes)
            zone = dt.timezone(-delta if offset_text[0] == "-" else delta)
    return naive.replace(tzinfo=zone)


def _rational(value: Any) -> Decimal | None:
    """An EXIF RATIONAL (Pillow's IFDRational, a Fraction, an int or a float) as a Decimal; None if undefined."""
    try:
        numerator = getattr(value, "numerator", None)
        denominator = getattr(value, "denominator", None)
        if numerator is not None and denominator is not None:
            if denominator == 0:
                return None
            result = Decimal(int(numerator)) / Decimal(int(denominator))
        else:
            result = Decimal(str(float(value)))
    except (TypeError, ValueError, ArithmeticError, InvalidOperation):
        return None
    return result if result.is_finite() else None


def gps_coordinate(value: Any, ref: Any, *, positive: str, negative: str, limit: int) -> Decimal | None:
    """EXIF GPS degrees, minutes, seconds and N/S (or E/W) reference as signed decimal degrees, 6 places.

    None for a missing or unknown reference, minutes or seconds outside [0, 60), or degrees beyond `limit`.
    """
    hemisphere = _text(ref).upper()[:1]
    if hemisphere not in {positive, negative}:
        return None
    if not isinstance(value, tuple | list) or not 1 <= len(value) <= 3:
        return None
    parts = [_rational(part) for part in value]
    if any(part is None or part < 0 for part in parts):
        return None
    degrees, minutes, seconds = (*parts, Decimal(0), Decimal(0))[:3]
    if minutes >= 60 or seconds >= 60:
        return None
    result = degrees + minutes / 60 + seconds / 3600
    if result > limit:
        return None
    if hemisphere == negative:
        result = -result
    return result.quantize(_SIX_PLACES, rounding=ROUND_HALF_UP)


# ---- storing ----------------------------------------------------------------------------------------------------


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=True)


def _naming(name: str) -> str:
    return _("“%(name)s”") % {"name": name}


def _refusals(files: Sequence[Any]) -> tuple[list[ProcessedFile], list[str]]:
    processed: list[ProcessedFile] = []
    problems: list[str] = []
    for upload in files:
        try:
            processed.append(process_upload(upload))
        except ValidationError as error:
            label = _naming(clean_name(getattr(upload, "name", "") or ""))
            problems.extend(f"{label}：{message}" for message in error.messages)
    return processed, problems


def store_attachments(
    *,
    obj: models.Model,
    files: Sequence[Any],
    uploaded_by: Any = None,
    purpose: str = "",
    note: str = "",
    error_field: str = ATTACHMENTS_FIELD,
) -> list[Attachment]:
    """Store `files` on `obj` WITHOUT asking the gate: for trusted system writers (demo data, imports) only.

    People's uploads go through `attach` (or `attachment_upload`), which checks the actor first.
    """
    if len(purpose) > 64:
        raise ValidationError({"purpose": [_("用途不能超过 %(limit)d 个字符。") % {"limit": 64}]})
    if len(note) > 200:
        raise ValidationError({"note": [_("说明不能超过 %(limit)d 个字符。") % {"limit": 200}]})
    files = list(files)
    if not files:
        return []
    if len(files) > MAX_FILES:
        message = _("一次最多上传 %(limit)d 个文件（本次 %(count)d 个）。") % {"limit": MAX_FILES, "count": len(files)}
        raise ValidationError({error_field: [message]})
    processed, problems = _refusals(files)
    if problems:
        # All or nothing: one refused file and none is stored, so a person fixes the batch and sends it again.
        raise ValidationError({error_field: [*problems, _("所有文件均未保存，请去掉或更换上述文件后重新上传。")]})
    values = scope_values(obj)
    content_type = _content_type(obj)
    uploader = uploaded_by if getattr(uploaded_by, "is_authenticated", False) else None
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            for item in processed:
                row = Attachment(
                    content_type=content_type, object_id=str(obj.pk), region_code=values["region_code"] or "",
                    enterprise_id=values["enterprise"], domain=values["domain"] or "", kind=item.kind,
                    purpose=purpose, note=note, original_name=item.name, mime_type=item.mime_type, size=item.size,
                    sha256=item.sha256, width=item.width, height=item.height, taken_at=item.taken_at,
                    latitude=item.latitude, longitude=item.longitude, uploaded_by=uploader,
                )
                stored.append(row)
                row.file.save(f"file{item.extension}", ContentFile(item.content), save=False)
                if item.thumbnail is not None:
                    row.thumbnail.save("thumbnail.jpg", ContentFile(item.thumbnail), save=False)
                row.save()
    except BaseException:
        # The rows rolled back; the files already written for them go too.
        for row in stored:
            row.delete_files()
        raise
    return stored


def attach(
    *,
    actor: Any,
    obj: models.Model,
    files: Sequence[Any],
    purpose: str = "",
    note: str = "",
    action: str = CHANGE,
    error_field: str = ATTACHMENTS_FIELD,
) -> list[Attachment]:
    """Store `files` on `obj` as `actor`, all or nothing, and answer the saved rows.

    The actor must be allowed `action` on `obj`: CHANGE for a plain upload, the workflow action for files that
    come with a transition (an enterprise user rectifying a hazard has "rectify", not CHANGE). A refused file
    refuses the whole batch: ValidationError under `error_field`, naming each refused file. Called inside a
    larger transaction, the caller deletes the files (`Attachment.delete_files`) if that transaction rolls back,
    as anjian.core.workflow.transition does.
    """
    if not allows(actor, action, obj):
        raise PermissionDenied(_("您无权为该记录上传附件。"))
    return store_attachments(obj=obj, files=files, uploaded_by=actor, purpose=purpose, note=note,
                             error_field=error_field)


# What a model's app holds against a direct upload the gate allows (a hazard's finder once rectification is assigned,
# issue 8 item 3): rule(user, record) → a refusal or None, registered from the app's AppConfig.ready (like
# anjian.core.services.follow_moves), asked by the panel and by every direct upload, UI and API alike.
_UPLOAD_RULES: dict[str, Callable[[Any, models.Model], str | None]] = {}


def refuse_uploads(model_label: str, rule: Callable[[Any, models.Model], str | None]) -> None:
    """Ask `rule(user, record)` before a direct upload to a record of `model_label` ("app_label.Model")."""
    _UPLOAD_RULES[model_label] = rule


def upload_refusal(user: Any, obj: models.Model) -> str | None:
    """Why `user` may not upload files to `obj` directly now (None: they may): CHANGE, then the model's own rule."""
    if not allows(user, CHANGE, obj):
        return _("您无权为该记录上传附件。")
    rule = _UPLOAD_RULES.get(obj._meta.label)
    return rule(user, obj) if rule is not None else None


def attachment_upload(
    *,
    actor: Any,
    obj: models.Model,
    files: Sequence[Any],
    purpose: str = "",
    note: str = "",
    error_field: str = ATTACHMENTS_FIELD,
) -> list[Attachment]:
    """A direct upload (the attachments panel, the API): `attach` with CHANGE, and the AuditEvent
    `<entity>.attach` on the record naming the stored attachments. A transition does not call this: its own
    audit event lists the attachments it carried."""
    refusal = upload_refusal(actor, obj)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if not files:
        raise ValidationError({error_field: [_("请选择要上传的文件。")]})
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            stored = attach(actor=actor, obj=obj, files=files, purpose=purpose, note=note, error_field=error_field)
            audit.record(
                actor=actor, action=audit.name(type(obj), ATTACH), obj=obj,
                data={"attachments": [row.pk for row in stored], "names": [row.original_name for row in stored]},
            )
    except BaseException:
        for row in stored:
            row.delete_files()
        raise
    return stored


def owner_of(attachment: Attachment) -> models.Model | None:
    """The record an attachment belongs to, read without the gate (None if it no longer exists)."""
    model = attachment.content_type.model_class()
    if model is None:
        return None
    try:
        return model._base_manager.filter(pk=attachment.object_id).first()
    except (ValueError, TypeError, ValidationError):
        return None


def attachment_delete(*, actor: Any, attachment: Attachment, reason: str = "") -> None:
    """Delete one attachment (standard DELETE on attachments: the city administrator) and its stored files.

    The decision is recorded on the record the file belonged to (`<entity>.detach`, with the reason and the
    file's name and SHA-256), so the record's own audit trail shows that evidence was removed; on the attachment
    itself (`attachment.delete`) when that record is gone. The files are removed once the deletion commits.
    """
    if not allows(actor, DELETE, attachment):
        raise PermissionDenied(_("您无权删除该附件。"))
    with transaction.atomic():
        locked = Attachment.objects.restrict(actor, DELETE).select_for_update().filter(pk=attachment.pk).first()
        if locked is None:
            raise PermissionDenied(_("您无权删除该附件。"))
        owner = owner_of(locked)
        data = {"attachment": locked.pk, "name": locked.original_name, "sha256": locked.sha256, "size": locked.size}
        if owner is not None:
            audit.record(actor=actor, action=f"{entity_name(type(owner))}.{DETACH}", obj=owner, reason=reason,
                         data=data)
        else:
            audit.record(actor=actor, action=audit.name(Attachment, audit.DELETE), obj=locked, reason=reason,
                         data=data)
        locked.delete()
        transaction.on_commit(locked.delete_files)


def rescope_attachments(obj: models.Model) -> int:
    """Copy `obj`'s current scope onto its attachments (after the record moved to another village, enterprise or
    domain), so its files follow it. Answers the number of rows updated."""
    values = scope_values(obj)
    return attachments_of(obj).exclude(
        region_code=values["region_code"] or "", enterprise_id=values["enterprise"], domain=values["domain"] or "",
    ).update(region_code=values["region_code"] or "", enterprise_id=values["enterprise"],
             domain=values["domain"] or "")


def follow_moved_record(obj: models.Model) -> int:
    """A record moved (another village, enterprise or domain): its attachments follow it, and when it is an
    enterprise, so do the attachments of every record scoped through it (they copied its place)."""
    values = scope_values(obj)
    if type(obj).scope.enterprise == "pk":
        return Attachment.objects.filter(enterprise_id=obj.pk).update(
            region_code=values["region_code"] or "", domain=values["domain"] or ""
        )
    return rescope_attachments(obj) if getattr(type(obj), "attachable", False) else 0


def delete_attachments_of(obj: models.Model) -> int:
    """Delete every attachment of `obj` (the record itself is being deleted by its service, which has decided);
    the files go once the transaction commits. Answers the number of rows deleted."""
    return delete_rows(attachments_of(obj))


def delete_rows(queryset: QuerySet) -> int:
    """Delete these attachment rows now and their files once the deletion commits (never files of rows that stay,
    should the transaction roll back). Answers the number of rows deleted."""
    rows = list(queryset)
    if not rows:
        return 0
    Attachment.objects.filter(pk__in=[row.pk for row in rows]).delete()

    def remove_files() -> None:
        for row in rows:
            row.delete_files()

    transaction.on_commit(remove_files)
    return len(rows)


# ---- reading and serving ----------------------------------------------------------------------------------------


def attachments_of(obj: models.Model, user: Any = None) -> QuerySet:
    """The attachments of `obj`, oldest first; only those `user` may view when a user is given."""
    queryset = Attachment.objects.all() if user is None else Attachment.objects.restrict(user, VIEW)
    return queryset.filter(content_type=_content_type(obj), object_id=str(obj.pk)).order_by("uploaded_at", "id")


def object_type_of(obj: models.Model | type[models.Model]) -> str:
    """`app_label.model`, the way the URLs and the API name a kind of record (e.g. `enterprises.enterprise`)."""
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}"


def attachable_model(object_type: str) -> type[models.Model] | None:
    """The model named `app_label.model` if it carries attachments (`attachable = True`), else None."""
    from django.apps import apps

    app_label, _dot, model_name = str(object_type or "").strip().lower().partition(".")
    if not app_label or not model_name:
        return None
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        return None
    return model if getattr(model, "attachable", False) else None


def panel_context(request: Any, obj: models.Model) -> dict[str, Any]:
    """The context of the 照片与附件 panel (anjian/templates/generic/attachments.html) on `obj`'s detail page."""
    user = request.user
    rows = list(attachments_of(obj, user).select_related("uploaded_by"))
    items = []
    for row in rows:
        items.append({
            "row": row,
            "download_url": reverse("core:attachment_download", args=[row.pk]),
            "thumbnail_url": reverse("core:attachment_thumbnail", args=[row.pk]) if row.thumbnail else None,
            "delete_url": reverse("core:attachment_delete", args=[row.pk]) if allows(user, DELETE, row) else None,
            "has_location": row.latitude is not None and row.longitude is not None,
            "icon": DOCUMENT_ICONS.get(row.mime_type, "bi-file-earmark"),
        })
    can_upload = upload_refusal(user, obj) is None
    return {
        "photos": [item for item in items if item["row"].kind == AttachmentKind.PHOTO],
        "documents": [item for item in items if item["row"].kind != AttachmentKind.PHOTO],
        "count": len(items),
        "can_upload": can_upload,
        "upload_url": reverse("core:attachment_upload", args=[object_type_of(obj), obj.pk]) if can_upload else None,
        "accept": ACCEPT,
        "max_files": MAX_FILES,
        "max_megabytes": settings.ANJIAN_UPLOAD_MAX_BYTES // 1048576,
        "next": request.get_full_path() if hasattr(request, "get_full_path") else "",
    }


def file_response(attachment: Attachment, *, thumbnail: bool = False) -> FileResponse:
    """Stream a stored file (or its thumbnail) to a person who was let through the gate.

    Photos were re-encoded here, so they are shown in the browser; documents (PDF, Office) are always downloaded,
    never rendered on this site's origin.
    """
    stored = attachment.thumbnail if thumbnail else attachment.file
    if not stored:
        raise Http404(_("该附件没有缩略图。") if thumbnail else _("附件文件已丢失，请联系管理员。"))
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError, ValueError) as error:
        raise Http404(_("附件文件已丢失，请联系管理员。")) from error
    if thumbnail:
        stem = PurePosixPath(attachment.original_name).stem or _("附件")
        filename, content_type = f"{stem}-{_('缩略图')}.jpg", "image/jpeg"
    else:
        filename, content_type = attachment.original_name, attachment.mime_type
    inline = thumbnail or attachment.kind == AttachmentKind.PHOTO
    response = FileResponse(handle, as_attachment=not inline, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # An attachment's bytes never change (a new upload is a new row), but they are private to those in scope.
    response["Cache-Control"] = "private, max-age=3600"
    if not inline:
        response["Content-Security-Policy"] = "sandbox"
    return response


__all__ = [
    "ACCEPT", "ATTACH", "DETACH", "MAX_FILES", "MAX_PIXELS", "ProcessedFile", "attach", "attachable_model",
    "attachment_delete", "attachment_upload", "attachments_of", "clean_name", "delete_attachments_of",
    "exif_datetime", "file_response", "gps_coordinate", "make_thumbnail", "object_type_of", "owner_of",
    "panel_context", "photo_metadata", "process_upload", "rescope_attachments", "store_attachments",
]
