"""The printable 安全风险告知卡 of one risk unit (issue 9 item 4), as enterprises post them at the unit: name, location,
the colour band of its level, hazard factors, possible accident types, control measures by kind with their level and
who answers for them, emergency measures and phone, warning signs, and the assessment that set the colour (date,
method, score, the mapping or scheme). One A4 page (more if the text is long); drawn with anjian.core.pdf."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from anjian.core.pdf import FONT, new_document
from anjian.risk.models import RiskUnit
from anjian.risk.selectors import measures_by_kind

# The band's fill (RGB) and text colour per level; grey for a unit not yet assessed.
BANDS = {
    "red": ((217, 54, 62), (255, 255, 255)),
    "orange": ((240, 140, 0), (255, 255, 255)),
    "yellow": ((245, 196, 0), (33, 37, 41)),
    "blue": ((28, 126, 214), (255, 255, 255)),
    "": ((173, 181, 189), (33, 37, 41)),
}
LABEL_WIDTH = 42
LINE = 7
PAD = 1.5


def _row(pdf, label: str, text: str) -> None:
    """One bordered row: the label on the left, the text wrapped on the right; a row never splits across pages."""
    width = pdf.epw - LABEL_WIDTH
    text = text.strip() or "—"
    lines = len(pdf.multi_cell(width - 2 * PAD, LINE, text, dry_run=True, output="LINES"))
    label_lines = len(pdf.multi_cell(LABEL_WIDTH - 2 * PAD, LINE, label, dry_run=True, output="LINES"))
    height = max(1, lines, label_lines) * LINE + 2 * PAD
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    x, y = pdf.l_margin, pdf.get_y()
    pdf.set_fill_color(241, 243, 245)
    pdf.rect(x, y, LABEL_WIDTH, height, style="DF")
    pdf.rect(x + LABEL_WIDTH, y, width, height)
    pdf.set_xy(x + PAD, y + PAD)
    pdf.multi_cell(LABEL_WIDTH - 2 * PAD, LINE, label)
    pdf.set_xy(x + LABEL_WIDTH + PAD, y + PAD)
    pdf.multi_cell(width - 2 * PAD, LINE, text)
    pdf.set_xy(x, y + height)


def _measures_text(unit: RiskUnit) -> str:
    groups = []
    for label, measures in measures_by_kind(unit):
        lines = [f"【{label}】"]
        for number, measure in enumerate(measures, start=1):
            who = "，".join(part for part in (measure.get_level_display(), measure.responsible) if part)
            lines.append(f"{number}. {' '.join(measure.description.split())}（{who}）")
        groups.append("\n".join(lines))
    return "\n".join(groups)


def risk_card_pdf(unit: RiskUnit) -> bytes:
    """The card of `unit` (read through the gate by the caller) as PDF bytes."""
    assessment = unit.assessments.order_by("-assessed_on", "-id").first()
    pdf = new_document(title=_("安全风险告知卡") + f" {unit.name}")
    pdf.set_auto_page_break(True, margin=15)
    pdf.set_margins(15, 15, 15)
    pdf.add_page()

    pdf.set_font(FONT, size=24)
    pdf.cell(0, 14, _("安全风险告知卡"), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=11)
    pdf.cell(0, 7, unit.enterprise.name, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)

    fill, ink = BANDS.get(unit.colour, BANDS[""])
    pdf.set_fill_color(*fill)
    pdf.set_text_color(*ink)
    pdf.set_font(FONT, size=20)
    band = unit.get_colour_display() if unit.colour else _("未评估")
    pdf.cell(0, 16, band, align="C", fill=True, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=11)
    pdf.ln(3)

    if assessment is not None:
        score = format(assessment.score.normalize(), "f")
        assessed = _("%(date)s，%(method)s，风险值 %(score)s（分级方案 %(scheme)s，方法版本 %(version)s）") % {
            "date": assessment.assessed_on.isoformat(), "method": assessment.method, "score": score,
            "scheme": assessment.scheme, "version": assessment.method_version}
    else:
        assessed = ""
    responsible = "，".join(part for part in (unit.get_control_level_display(), unit.responsible_person) if part)
    for label, text in (
        (_("风险点名称"), unit.name),
        (_("风险点类型"), unit.get_kind_display()),
        (_("位置"), unit.location),
        (_("危险有害因素"), unit.hazard_factors),
        (_("可能导致的事故类型"), unit.accident_types),
        (_("管控措施"), _measures_text(unit)),
        (_("管控层级及责任人"), responsible),
        (_("应急处置措施"), unit.emergency_measures),
        (_("应急电话"), unit.emergency_phone),
        (_("警示标志"), unit.warning_signs),
        (_("风险评估"), assessed),
    ):
        _row(pdf, label, text)

    pdf.ln(4)
    pdf.set_font(FONT, size=9)
    pdf.set_text_color(90, 90, 90)
    pdf.multi_cell(0, 5, _("本卡依据风险评估结果制作。风险等级：红色为重大风险、橙色为较大风险、黄色为一般风险、"
                           "蓝色为低风险。"), new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 5, _("打印日期：%(date)s") % {"date": timezone.localdate().isoformat()})
    return bytes(pdf.output())
