"""Tables of the registry. Phone numbers are masked unless the viewer's role needs them (`sees_phone`)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from anjian.core.privacy import mask_phone
from anjian.core.tables import BaseTable
from anjian.enterprises.choices import EXPIRY_COLOURS, FLAG_FIELDS, ExpiryState, OperatingStatus, SupervisionDomain
from anjian.enterprises.models import ArchiveDocument, Enterprise, LiabilityInsurance, Licence
from anjian.enterprises.selectors import sees_phone

# Short badge texts for the flags (the full label is the badge's title).
FLAG_SHORT = {
    "key_process": _("重点工艺"),
    "key_chemical": _("重点危化品"),
    "major_hazard": _("重大危险源"),
    "dust_explosion": _("粉尘涉爆"),
    "ammonia_refrigeration": _("涉氨制冷"),
    "confined_space": _("有限空间"),
    "small_venue": _("三小场所"),
    "above_scale": _("规上"),
}
FLAG_COLOURS = {"major_hazard": "danger", "key_process": "danger", "key_chemical": "warning",
                "dust_explosion": "warning", "ammonia_refrigeration": "warning"}
STATUS_COLOURS = {"operating": "success", "suspended": "secondary", "closed": "dark", "banned": "danger"}


def flag_labels() -> list[tuple[str, str, str, str]]:
    """(field, short label, full label, colour) of every flag, translated once (not once per row and flag)."""
    return [
        (field, str(FLAG_SHORT[field]), str(label), FLAG_COLOURS.get(field, "secondary"))
        for field, label in FLAG_FIELDS.items()
    ]


def flag_badges(record: Enterprise, labels: list[tuple[str, str, str, str]] | None = None):
    return format_html_join(
        " ", '<span class="badge text-bg-{}" title="{}">{}</span>',
        ((colour, label, short) for field, short, label, colour in labels or flag_labels() if getattr(record, field)),
    )


def wide_only(from_size: str = "lg", td_class: str = "") -> dict:
    """Column attrs that hide a column on phones (a grid worker reads the list on a 390 px screen)."""
    css = f"d-none d-{from_size}-table-cell"
    return {"th": {"class": css}, "td": {"class": f"{css} {td_class}".strip()}}


class EnterpriseTable(BaseTable):
    name = tables.Column(verbose_name=_("单位名称"), linkify=True, order_by=("name", "id"))
    uscc = tables.Column(verbose_name=_("统一社会信用代码"), attrs=wide_only("xl"))
    # Sorted by village id (villages are loaded in code order): the (region, name, id) index answers it.
    region = tables.Column(verbose_name=_("镇街 / 村（社区）"), order_by=("region_id", "name", "id"),
                           accessor="region__name")
    # Choice columns read the record in render_*: with a choice-field accessor django-tables2 would call
    # get_FOO_display() first, one lazy translation per cell (a quarter of the page's time at 50 rows).
    domain = tables.Column(verbose_name=_("行业领域"), accessor="pk", order_by=("domain", "name", "id"),
                           attrs=wide_only())
    flags = tables.Column(verbose_name=_("标签"), empty_values=(), orderable=False,
                          attrs={"td": {"class": "anjian-flags"}})
    operating_status = tables.Column(verbose_name=_("经营状态"), accessor="pk",
                                     order_by=("operating_status", "name", "id"), attrs=wide_only())
    safety_principal = tables.Column(verbose_name=_("安全负责人"), orderable=False, attrs=wide_only("md"))
    safety_principal_phone = tables.Column(verbose_name=_("联系电话"), orderable=False)
    expiring = tables.Column(verbose_name=_("到期预警"), empty_values=(), orderable=False)

    class Meta(BaseTable.Meta):
        model = Enterprise
        fields = ("name", "uscc", "region", "domain", "flags", "operating_status", "safety_principal",
                  "safety_principal_phone", "expiring")
        sequence = fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Choice labels are lazy translations: resolve them once per page, not once per cell (a 50-row page
        # would otherwise translate ~1,500 labels).
        self.flag_labels = flag_labels()
        self.domain_labels = {value: str(label) for value, label in SupervisionDomain.choices}
        self.status_labels = {value: str(label) for value, label in OperatingStatus.choices}
        self.expiring_badge = format_html(
            '<span class="badge text-bg-warning" title="{}"><i class="bi bi-exclamation-triangle"></i> {}</span>',
            _("有证照、保险或档案已过期或即将到期"), _("到期预警"),
        )

    def render_region(self, record):
        town = record.region.parent.name if record.region.parent_id else ""
        return format_html('{}<br><span class="text-body-secondary small">{}</span>', town, record.region.name)

    def value_region(self, record):
        town = record.region.parent.name if record.region.parent_id else ""
        return f"{town} / {record.region.name}"

    def render_domain(self, record):
        return self.domain_labels.get(record.domain, record.domain)

    def render_flags(self, record):
        return flag_badges(record, self.flag_labels)

    def value_flags(self, record):
        return "、".join(label for field, _short, label, _colour in self.flag_labels if getattr(record, field))

    def render_operating_status(self, record):
        return format_html('<span class="badge text-bg-{}">{}</span>',
                           STATUS_COLOURS.get(record.operating_status, "secondary"),
                           self.status_labels.get(record.operating_status, record.operating_status))

    def value_operating_status(self, record):
        return self.status_labels.get(record.operating_status, record.operating_status)

    def render_safety_principal_phone(self, value, record):
        return value if sees_phone(self.user, record) else mask_phone(value)

    def render_expiring(self, record):
        return self.expiring_badge if getattr(record, "expiring", False) else ""

    def value_expiring(self, record):
        return _("是") if getattr(record, "expiring", False) else ""


def expiry_label(record, as_of) -> tuple[str, str]:
    """(label, Bootstrap colour) of a licence, insurance or archive on `as_of`."""
    from anjian.enterprises.models import expiry_state
    from anjian.enterprises.selectors import warning_days

    if record.superseded:
        return str(_("已替代")), "light"
    state = expiry_state(record.valid_to, as_of, warning_days())
    return str(ExpiryState(state).label), EXPIRY_COLOURS[state]


def expiry_badge(record, as_of) -> str:
    label, colour = expiry_label(record, as_of)
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, label)


class EnterpriseChildTable(BaseTable):
    """Licences, insurance and archives share their enterprise column and expiry badge."""

    enterprise = tables.Column(verbose_name=_("单位"), linkify=True, order_by=("enterprise__name",))
    state = tables.Column(verbose_name=_("状态"), empty_values=(), orderable=False)

    def __init__(self, *args, as_of=None, **kwargs):
        from django.utils import timezone

        self.as_of = as_of or timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_state(self, record):
        return expiry_badge(record, self.as_of)

    def value_state(self, record):
        return expiry_label(record, self.as_of)[0]


class LicenceTable(EnterpriseChildTable):
    class Meta(BaseTable.Meta):
        model = Licence
        fields = ("enterprise", "licence_type", "number", "issuer", "valid_from", "valid_to", "state")
        sequence = fields


class LiabilityInsuranceTable(EnterpriseChildTable):
    class Meta(BaseTable.Meta):
        model = LiabilityInsurance
        fields = ("enterprise", "insurer", "policy_number", "insured_persons", "valid_from", "valid_to", "state")
        sequence = fields


class ArchiveDocumentTable(EnterpriseChildTable):
    title = tables.Column(verbose_name=_("标题"), linkify=("enterprises:archive_download", {"pk": tables.A("pk")}))

    class Meta(BaseTable.Meta):
        model = ArchiveDocument
        fields = ("enterprise", "doc_type", "title", "valid_to", "state")
        sequence = fields

    def value_title(self, value):
        return value
