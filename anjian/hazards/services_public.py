"""Public reports (举报, issue 8 item 6): what a citizen submits without an account, and the regulators' triage.

Submitting has no actor: anyone may report, so the gate has nothing to ask. What protects the site instead is in
the pages and the API that call `public_report_submit` (a rate limit per client address, and a bot challenge on
the HTML form) and here (a Dongguan town or village only, photos only, the kit's upload rules). The report is
then seen by the regulators of its place: the town supervisors are told, and they accept it (linking a hazard
that exists, or recording a new one through `hazard_report`), dismiss it with a reason, or record a reward.

The public learns the state of a report through its tracking code only (`public_report_status`): a random code
from `secrets`, the report's one capability, never its primary key. The status answer holds nothing personal.
"""

from __future__ import annotations

import datetime as dt
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anjian.accounts.roles import Role
from anjian.core import audit
from anjian.core.attachments import ATTACH, IMAGE_FORMATS, attach, attachments_of, store_attachments
from anjian.core.i18n import stored_text
from anjian.core.models import Attachment, AttachmentKind
from anjian.core.notices import Notice, send_on_commit
from anjian.core.scope import ADD, CHANGE, VIEW, allows, code_range
from anjian.core.uploads import ALLOWED_SIGNATURES, validate_upload
from anjian.core.workflow import illegal, state_of, transition
from anjian.enterprises.models import Enterprise
from anjian.hazards.choices import OPEN_STATUSES, HazardSource, HazardStatus, PublicReportStatus
from anjian.hazards.models import Hazard, PublicReport
from anjian.hazards.services import hazard_report
from anjian.regions.choices import RegionLevel
from anjian.regions.models import Region, RegionOutline
from anjian.regions.selectors import region_containing
from anjian.regions.services import city_bounds

# Tracking codes: 12 characters of an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits from `secrets`:
# nobody finds a report by guessing, and a citizen can read the code out over the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 12
# A public upload carries photos only (a citizen has no documents to send), and fewer than the kit allows a user.
MAX_PHOTOS = 6
DESCRIPTION_MAX_LENGTH = 2000
PHOTOS_FIELD = "photos"
SUBMIT = "submit"
# The purpose recorded on a hazard's photos copied from the report it came from.
PHOTOS_FROM_REPORT = "public_report"
RECEIVED = "publicreport.received"
RATE_WINDOW_SECONDS = 3600
COORDINATE_STEP = Decimal("0.000001")
# About 1 km around the city outline's extent: a phone's GPS (WGS84) and the outline (GCJ-02, regions SOURCES.md)
# differ by about 500 m, so a pin at the very edge of the city must not be refused for the datum.
PIN_MARGIN_DEGREES = Decimal("0.01")

# What the public page says of the linked hazard's progress (issue 8 item 6: words, not the hazard's record).
HAZARD_PROGRESS = {
    HazardStatus.REPORTED: gettext_lazy("已立案，待整改"),
    HazardStatus.RECTIFYING: gettext_lazy("整改中"),
    HazardStatus.RECTIFIED: gettext_lazy("已整改，待验收"),
    HazardStatus.CLOSED: gettext_lazy("已整改，已销号"),
}


# ---- tracking codes -------------------------------------------------------------------------------------------


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _index in range(CODE_LENGTH))


def normalize_tracking_code(value: Any) -> str | None:
    """The code as stored (upper case, without the spaces and hyphens a person types between groups), or None when
    it cannot be a code at all. Full-width characters (typed with a Chinese input method) count as their ASCII."""
    if not isinstance(value, str) or len(value) > 64:
        return None
    text = unicodedata.normalize("NFKC", value).upper()
    text = "".join(ch for ch in text if ch not in " -\u3000")
    if len(text) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in text):
        return None
    return text


def format_tracking_code(code: str) -> str:
    """ABCD-EFGH-JKMN: groups of four, as the confirmation page shows it (either form is accepted back)."""
    return "-".join(code[index:index + 4] for index in range(0, len(code), 4))


# ---- the rate limit per client address --------------------------------------------------------------------------


def _rate_key(client_ip: str) -> str:
    return f"anjian:publicreport:rate:{client_ip or 'unknown'}"


def rate_limit() -> int:
    return int(getattr(settings, "ANJIAN_PUBLIC_REPORT_LIMIT", 5))


def rate_wait(*, client_ip: str, now: dt.datetime | None = None) -> int | None:
    """Seconds this address must wait before its next report (None: it may report now). Reads, counts nothing."""
    moment = (now or timezone.now()).timestamp()
    recent = [stamp for stamp in cache.get(_rate_key(client_ip), []) if stamp > moment - RATE_WINDOW_SECONDS]
    if len(recent) < rate_limit():
        return None
    return max(1, int(min(recent) + RATE_WINDOW_SECONDS - moment) + 1)


def rate_take(*, client_ip: str, now: dt.datetime | None = None) -> int | None:
    """Count one report attempt from this address in the shared cache (settings.CACHES: every worker counts in the
    same place), unless it is over ANJIAN_PUBLIC_REPORT_LIMIT in the last hour: then the seconds to wait, and
    nothing counted. A sliding window of time stamps, as DRF's throttles keep them."""
    wait = rate_wait(client_ip=client_ip, now=now)
    if wait is not None:
        return wait
    moment = (now or timezone.now()).timestamp()
    key = _rate_key(client_ip)
    recent = [stamp for stamp in cache.get(key, []) if stamp > moment - RATE_WINDOW_SECONDS]
    cache.set(key, [*recent, moment], RATE_WINDOW_SECONDS)
    return None


def rate_message(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return _("提交过于频繁：同一网络每小时最多提交 %(limit)d 条举报，请 %(minutes)d 分钟后再试。") % {
        "limit": rate_limit(), "minutes": minutes,
    }


# ---- submitting -------------------------------------------------------------------------------------------------


def public_regions() -> QuerySet[Region]:
    """The towns and villages of Dongguan a report may name. The tree is public geography, not anyone's records
    (as regions.selectors.region_containing reads it): the public page lists it without a gate."""
    city = Region.objects.filter(level=RegionLevel.CITY).values_list("prefix", flat=True).first() or "4419"
    return Region.objects.filter(level__in=(RegionLevel.TOWN, RegionLevel.VILLAGE),
                                 code__range=code_range(city))


def _region(value: Any, *, latitude: Decimal | None = None, longitude: Decimal | None = None) -> Region:
    """The region named, else the one the pin lies in (real outlines only), else a Chinese refusal."""
    code = value.code if isinstance(value, Region) else str(value or "").strip()
    if not code and latitude is not None:
        region = region_at_pin(latitude=latitude, longitude=longitude)
        if region is None:
            raise ValidationError({"region": [_("无法根据地图标记确定所在镇街，请选择镇街（园区）。")]})
        return region
    well_formed = code.isascii() and code.isdigit() and len(code) == 12
    region = public_regions().filter(code=code).first() if well_formed else None
    if region is None:
        raise ValidationError({"region": [_("请选择东莞市的镇街或村（社区）。")]})
    return region


def pin_bounds() -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """(west, south, east, north) where a report's map pin may lie: the packaged city outline's extent (lng
    113.52–114.26, lat 22.65–23.14) widened by PIN_MARGIN_DEGREES."""
    west, south, east, north = (Decimal(str(value)).quantize(COORDINATE_STEP) for value in city_bounds())
    return west - PIN_MARGIN_DEGREES, south - PIN_MARGIN_DEGREES, east + PIN_MARGIN_DEGREES, north + PIN_MARGIN_DEGREES


def _number(value: Any) -> Decimal | None:
    try:
        number = Decimal(str(value)).quantize(COORDINATE_STEP)
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def check_pin(latitude: Any, longitude: Any) -> tuple[Decimal | None, Decimal | None]:
    """The map pin (issue 8 item 6: "place (town or village, or a map pin)") as stored, or (None, None) when there is
    none. Both coordinates or neither, and inside Dongguan (pin_bounds): a pin elsewhere is a mistake (swapped axes,
    a click beside the city) that would send a regulator nowhere."""
    missing = [value in (None, "") for value in (latitude, longitude)]
    if all(missing):
        return None, None
    if any(missing):
        raise ValidationError({"latitude": [_("经纬度须同时填写。")]})
    lat, lng = _number(latitude), _number(longitude)
    west, south, east, north = pin_bounds()
    errors = {}
    if lat is None or not south <= lat <= north:
        errors["latitude"] = [_("纬度须在东莞市范围内（%(low)s–%(high)s）。") % {"low": south, "high": north}]
    if lng is None or not west <= lng <= east:
        errors["longitude"] = [_("经度须在东莞市范围内（%(low)s–%(high)s）。") % {"low": west, "high": east}]
    if errors:
        raise ValidationError(errors)
    return lat, lng


def pins_find_regions() -> bool:
    """Whether a pin alone can place a report: only real outlines decide (the 示意 town areas are drawn, never used
    to decide, architecture "Outlines"). Without them the town must be chosen and the pin is extra information."""
    return RegionOutline.objects.filter(approximate=False).exists()


def region_at_pin(*, latitude: Decimal, longitude: Decimal) -> Region | None:
    """The village whose real outline holds the pin, else the town's, else None."""
    for level in (RegionLevel.VILLAGE, RegionLevel.TOWN):
        region = region_containing(latitude=latitude, longitude=longitude, level=level)
        if region is not None and public_regions().filter(pk=region.pk).exists():
            return region
    return None


def check_photos(photos: Sequence[Any]) -> list[Any]:
    """The cheap checks of a public upload, before anything is written: how many, photos only (by extension and
    magic bytes), the kit's size limit. Each photo is then decoded and cleaned by `store_attachments`."""
    files = [item for item in photos if item]
    if len(files) > MAX_PHOTOS:
        raise ValidationError({PHOTOS_FIELD: [
            _("最多上传 %(limit)d 张照片（本次 %(count)d 张）。") % {"limit": MAX_PHOTOS, "count": len(files)}
        ]})
    allowed = _photo_signatures()
    problems = []
    for item in files:
        name = str(getattr(item, "name", "") or "")
        try:
            validate_upload(item, allowed=allowed)
        except ValidationError as error:
            problems.extend(f"{PurePosixPath(name).name}：{message}" for message in error.messages)
    if problems:
        raise ValidationError({PHOTOS_FIELD: [*problems, _("只能上传 JPG 或 PNG 格式的照片，举报未提交。")]})
    return files


def _photo_signatures() -> dict[str, tuple[bytes, ...]]:
    return {extension: ALLOWED_SIGNATURES[extension] for extension in IMAGE_FORMATS}


def public_report_submit(
    *,
    region: Any,
    description: str,
    place: str = "",
    contact: str = "",
    latitude: Any = None,
    longitude: Any = None,
    photos: Sequence[Any] = (),
    client_ip: str = "",
    now: dt.datetime | None = None,
) -> PublicReport:
    """Record a citizen's report (issue 8 item 6) and answer it; its `tracking_code` is what the citizen keeps.

    No actor: the public has no account. `region` is a Dongguan town or village (a Region or its code); it may be
    left empty when the map pin (`latitude`, `longitude`, inside Dongguan) lies in a real outline. All or
    nothing: a refused photo or field writes no report and no file. The audit event `publicreport.submit` names
    the report only (not the contact, not the address it came from); the client address is used by the callers'
    rate limit and not stored. The town supervisors of the place are told once the report is committed.
    """
    del client_ip  # The address is the callers' (rate limit); nothing personal is kept with the report.
    description = str(description or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = [_("请描述您发现的隐患或违法行为。")]
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors["description"] = [_("举报内容不能超过 %(limit)d 个字。") % {"limit": DESCRIPTION_MAX_LENGTH}]
    try:
        latitude, longitude = check_pin(latitude, longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
        latitude = longitude = None
    try:
        region = _region(region, latitude=latitude, longitude=longitude)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        files = check_photos(photos)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    report = PublicReport(
        region=region, description=description, place=str(place or "").strip(), contact=str(contact or "").strip(),
        latitude=latitude, longitude=longitude,
        submitted_at=now or timezone.now(), status=PublicReportStatus.PENDING,
    )
    for _attempt in range(5):
        report.tracking_code = new_tracking_code()
        if not PublicReport.objects.filter(tracking_code=report.tracking_code).exists():
            break
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
            # The service decided to accept these files for the report it just wrote: no actor to ask the gate.
            stored = store_attachments(obj=report, files=files, uploaded_by=None, purpose=SUBMIT,
                                       error_field=PHOTOS_FIELD)
            audit.record(actor=None, action=audit.name(PublicReport, SUBMIT), obj=report,
                         data={"photos": len(stored), "region": region.code})
            send_on_commit(actor=None, obj=report, url=report.get_absolute_url(), notices=(
                Notice(RECEIVED, roles=(Role.TOWN_SUPERVISOR,), key=f"{RECEIVED}:{report.pk}", context={
                    "region": region.full_name, "summary": description[:60],
                }),
            ))
    except IntegrityError as error:
        # Two equal random codes at once: practically never, and nothing was kept.
        raise ValidationError(_("提交失败，请重新提交。")) from error
    return report


# ---- what the public sees ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicStatus:
    """The tracking page's answer: nothing personal (no contact, no names, not the enterprise)."""

    tracking_code: str
    status: str
    status_label: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    region: str
    public_reply: str
    hazard_progress: str
    hazard_closed_at: dt.datetime | None


def public_report_status(*, tracking_code: Any) -> PublicStatus | None:
    """The state of the report with this code, or None for an unknown or malformed code alike (no enumeration).

    The code is the capability: whoever holds it may read this much, so the report is read by its code alone,
    without the gate (which knows no anonymous persons)."""
    code = normalize_tracking_code(tracking_code)
    if code is None:
        return None
    report = (PublicReport._base_manager.select_related("region", "hazard")
              .filter(tracking_code=code).first())
    if report is None:
        return None
    hazard = report.hazard if report.status == PublicReportStatus.ACCEPTED else None
    reply = report.public_reply
    if not reply and report.status == PublicReportStatus.REJECTED:
        reply = _("经核查，该举报不予受理。")
    return PublicStatus(
        tracking_code=report.tracking_code, status=report.status, status_label=report.get_status_display(),
        submitted_at=report.submitted_at, decided_at=report.decided_at, region=report.region.full_name,
        public_reply=reply, hazard_progress=str(HAZARD_PROGRESS.get(hazard.status, "")) if hazard else "",
        hazard_closed_at=hazard.closed_at if hazard is not None else None,
    )


# ---- triage by regulators ------------------------------------------------------------------------------------------


def _town_prefix(report: PublicReport) -> str:
    region = report.region
    if region.level == RegionLevel.VILLAGE and region.parent_id:
        return region.parent.prefix
    return region.prefix


def hazards_to_link(*, actor: Any, report: PublicReport) -> QuerySet[Hazard]:
    """Hazards an accepted report may point at: open ones (already known, being handled) that the regulator may
    view, in the report's town. A report of something already closed is a new hazard, or dismissed."""
    return (Hazard.objects.restrict(actor, VIEW).select_related("enterprise")
            .filter(enterprise__region__code__range=code_range(_town_prefix(report)), status__in=OPEN_STATUSES))


def enterprises_for_new_hazard(*, actor: Any, report: PublicReport) -> QuerySet[Enterprise]:
    """Enterprises a new hazard from the report may be recorded against: in the report's town, where the regulator
    may view the enterprise (hazard_report then asks the gate whether it may add a hazard there)."""
    return (Enterprise.objects.restrict(actor, VIEW)
            .filter(region__code__range=code_range(_town_prefix(report))))


def _stamp_decision(now: dt.datetime | None):
    def stamp(row: PublicReport) -> None:
        row.decided_at = now or timezone.now()

    return stamp


def _copy_photos(*, actor: Any, report: PublicReport, hazard: Hazard) -> list[Attachment]:
    """The report's photos, stored again on the new hazard (so the enterprise rectifies, and the regulator verifies,
    against the evidence), as the regulator adds them; with the hazard's `hazard.attach` audit event."""
    files = []
    for row in attachments_of(report).filter(kind=AttachmentKind.PHOTO):
        try:
            with row.file.open("rb") as handle:
                files.append(ContentFile(handle.read(), name=row.original_name))
        except (FileNotFoundError, OSError, ValueError):
            # A stored file gone missing is not the regulator's fault: the others are still copied.
            continue
    if not files:
        return []
    stored = attach(actor=actor, obj=hazard, files=files, purpose=PHOTOS_FROM_REPORT, action=ADD)
    audit.record(actor=actor, action=audit.name(Hazard, ATTACH), obj=hazard,
                 data={"attachments": [item.pk for item in stored], "names": [item.original_name for item in stored]})
    return stored


def public_report_accept(
    *,
    actor: Any,
    report: PublicReport,
    hazard: Hazard | None = None,
    enterprise: Enterprise | None = None,
    description: str = "",
    place: str | None = None,
    copy_photos: bool = True,
    public_reply: str = "",
    reason: str = "",
    now: dt.datetime | None = None,
) -> PublicReport:
    """Accept a pending report: link `hazard` (one of `hazards_to_link`), or record a new hazard at `enterprise`
    (one of `enterprises_for_new_hazard`) through hazard_report with source 群众举报, and link that.

    The new hazard's description is the report's text unless the regulator gives another, and it carries the
    report's photos unless `copy_photos` is off (the enterprise will read and see both: a regulator may take out
    what would tell who reported). One transaction: a refusal keeps no new hazard and no copied file.
    """
    if (hazard is None) == (enterprise is None):
        raise ValidationError({"hazard": [_("请选择已有隐患，或选择企业以新建隐患（二选一）。")]})
    if not allows(actor, "accept", report):
        raise PermissionDenied(_("您无权对该记录执行“%(action)s”。") % {"action": _("受理")})
    if PublicReport.workflow.find(state_of(report), "accept") is None:
        raise illegal(report, "accept")
    copied: list[Attachment] = []
    try:
        with transaction.atomic():
            return _accept(actor=actor, report=report, hazard=hazard, enterprise=enterprise,
                           description=description, place=place, copy_photos=copy_photos, copied=copied,
                           public_reply=public_reply, reason=reason, now=now)
    except BaseException:
        # The rows rolled back; the files copied for them go too.
        for item in copied:
            item.delete_files()
        raise


def _accept(*, actor: Any, report: PublicReport, hazard: Hazard | None, enterprise: Enterprise | None,
            description: str, place: str | None, copy_photos: bool, copied: list[Attachment], public_reply: str,
            reason: str, now: dt.datetime | None) -> PublicReport:
    """public_report_accept inside its transaction; `copied` collects the files written for the new hazard."""
    if hazard is not None:
        if not hazards_to_link(actor=actor, report=report).filter(pk=hazard.pk).exists():
            raise ValidationError({"hazard": [_("该隐患不存在、不在您的管辖范围内，或不在举报所在镇街。")]})
    else:
        if not enterprises_for_new_hazard(actor=actor, report=report).filter(pk=enterprise.pk).exists():
            raise ValidationError({"enterprise": [_("该企业不存在、不在您的管辖范围内，或不在举报所在镇街。")]})
        probe = Hazard(enterprise=enterprise)
        probe.copy_place()
        if not allows(actor, ADD, probe):
            raise PermissionDenied(_("您无权为该企业登记隐患。"))
        hazard = hazard_report(
            actor=actor,
            hazard=Hazard(enterprise=enterprise, description=(description or "").strip() or report.description,
                          place=report.place if place is None else place.strip(), found_at=report.submitted_at),
            source=HazardSource.PUBLIC_REPORT,
            # Not the tracking code: the enterprise reads its hazards' audit events, and the code is the
            # citizen's key to the report.
            reason=stored_text(gettext_lazy("由群众举报登记")),
        )
        if copy_photos:
            copied.extend(_copy_photos(actor=actor, report=report, hazard=hazard))
    return transition(actor=actor, obj=report, action="accept", reason=reason,
                      data={"hazard": hazard, "public_reply": (public_reply or "").strip()},
                      apply=_stamp_decision(now))


def public_report_dismiss(*, actor: Any, report: PublicReport, reason: str, public_reply: str = "",
                          now: dt.datetime | None = None) -> PublicReport:
    """Dismiss a pending report (不予受理). The reason is required and stays in the audit log; `public_reply` is what
    the public page says (a general sentence when it is left empty)."""
    return transition(actor=actor, obj=report, action="dismiss", reason=reason,
                      data={"public_reply": (public_reply or "").strip()}, apply=_stamp_decision(now))


def public_report_reward(*, actor: Any, report: PublicReport, reward_amount: Any, reward_note: str = "",
                         reason: str = "") -> PublicReport:
    """Record the reward (奖励) of an accepted report: amount in yuan, and a note (e.g. how it was paid)."""
    return transition(actor=actor, obj=report, action="reward", reason=reason,
                      data={"reward_amount": reward_amount, "reward_note": (reward_note or "").strip()})


def public_report_transition(*, actor: Any, obj: PublicReport, action: str, reason: str = "",
                             data: dict | None = None, attachments: Sequence[Any] = ()) -> PublicReport:
    """The three triage actions in the shape the kit's action view and API mixin call (service(actor=, obj=,
    action=, reason=, data=, attachments=)). Accepting takes `hazard` or `enterprise` (+ optional `description`,
    `place`, `copy_photos`) from `data`."""
    values = dict(data or {})
    if attachments:
        raise ValidationError({"attachments": [_("该操作不接收附件。")]})
    if action == "accept":
        return public_report_accept(
            actor=actor, report=obj, hazard=values.get("hazard"), enterprise=values.get("enterprise"),
            description=values.get("description") or "", place=values.get("place"),
            copy_photos=values.get("copy_photos", True) is not False,
            public_reply=values.get("public_reply") or "", reason=reason,
        )
    if action == "dismiss":
        return public_report_dismiss(actor=actor, report=obj, reason=reason,
                                     public_reply=values.get("public_reply") or "")
    if action == "reward":
        return public_report_reward(actor=actor, report=obj, reward_amount=values.get("reward_amount"),
                                    reward_note=values.get("reward_note") or "", reason=reason)
    return transition(actor=actor, obj=obj, action=action, reason=reason, data=values)


def sees_contact(user: Any, report: PublicReport) -> bool:
    """Whether `user` reads the reporter's contact in full: only those who handle the report (may change it, i.e.
    triage it); others who may view it (a village's grid worker) read it masked (anjian.core.privacy)."""
    return allows(user, CHANGE, report)
