"""The form staff complete a chemical with (issue 9 item 1): hazard symbols, one per line with its source, and notes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from anjian.core.forms import ServiceModelForm
from anjian.hazchem.models import Chemical, KeyProcess
from anjian.hazchem.services import clean_hazard_symbols, symbol_codes


def symbols_as_lines(entries: list[dict[str, str]]) -> str:
    return "\n".join(f"{entry['symbol']} {entry['source']}" for entry in entries)


def symbols_from_lines(text: str) -> list[dict[str, str]]:
    """"W5.1 依据某企业SDS第2部分" per line → [{"symbol": "W5.1", "source": "依据某企业SDS第2部分"}]."""
    entries = []
    for line in text.splitlines():
        symbol, _separator, source = line.strip().partition(" ")
        if symbol:
            entries.append({"symbol": symbol, "source": source.strip()})
    return entries


class ChemicalForm(ServiceModelForm):
    hazard_symbols = forms.CharField(
        label=_("危险性类别符号"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个：符号、空格、来源，例如“W5.1 供应商安全技术说明书（2024版）第2部分”。"))

    class Meta:
        model = Chemical
        fields = ["hazard_symbols", "gb18218_exempt_source", "key_supervised_source", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"gb18218_exempt_source": _(
            "本品不在GB 18218-2018表1中、也不具有表2所列任何危险性类别（如仅有腐蚀性）时，填写核对的依据（如安全技术"
            "说明书第2部分），各单元辨识时即不计入本品；与危险性类别符号只能填其一。"),
                      "key_supervised_source": _(
            "本品列入重点监管的危险化学品名录、而系统所载名录缺少该行时（如2013年第二批），填写依据（文件名称、文号、"
            "序号），即标为重点监管；清空则恢复为所载名录的结果。")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["hazard_symbols"] = symbols_as_lines(self.instance.hazard_symbols or [])
        self.fields["hazard_symbols"].help_text = "{} {}".format(
            self.fields["hazard_symbols"].help_text, _("可用符号：%(codes)s。") % {"codes": "、".join(symbol_codes())})

    def clean_hazard_symbols(self) -> list[dict[str, str]]:
        try:
            return clean_hazard_symbols(symbols_from_lines(self.cleaned_data["hazard_symbols"]))
        except ValidationError as error:
            raise ValidationError(error.message_dict["hazard_symbols"]) from error


class KeyProcessForm(ServiceModelForm):
    """典型工艺 and 重点监控工艺参数 of a 重点监管危险化工工艺, with the document they come from (issue 9 item 1)."""

    class Meta:
        model = KeyProcess
        fields = ["typical_processes", "key_monitoring_parameters", "details_source"]
        widgets = {"typical_processes": forms.Textarea(attrs={"rows": 4}),
                   "key_monitoring_parameters": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"details_source": _("如《首批重点监管的危险化工工艺安全控制要求、重点监控参数及推荐的控制方案》"
                                          "（安监总管三〔2009〕116号）附件。")}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
