"""The English catalogue (anjian/locale/en): complete, consistent with its .mo, and used when English is chosen."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from anjian.core.testing.browser import use_plain_static

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

# One .po entry: its comment/flag lines, msgid, optional msgid_plural, and its msgstr or msgstr[n] lines.
_STRING = r'"(?:[^"\\]|\\.)*"'
_ENTRY = re.compile(
    rf"(?P<comments>(?:^#.*\n)*)"
    rf"(?:^msgctxt (?P<context>{_STRING})\n)?"
    rf"^msgid (?P<msgid>{_STRING}(?:\n{_STRING})*)\n"
    rf"(?:^msgid_plural (?P<plural>{_STRING}(?:\n{_STRING})*)\n)?"
    rf"(?P<msgstrs>(?:^msgstr(?:\[\d+\])? {_STRING}(?:\n{_STRING})*\n?)+)",
    re.MULTILINE,
)
_MSGSTR = re.compile(rf"^msgstr(?:\[(\d+)\])? ({_STRING}(?:\n{_STRING})*)", re.MULTILINE)
_PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sd]|\{\w*\}")


def _unquote(block: str) -> str:
    parts = re.findall(_STRING, block)
    return "".join(part[1:-1] for part in parts).replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _entries() -> list[dict]:
    entries = []
    for match in _ENTRY.finditer(PO_FILE.read_text(encoding="utf-8")):
        msgid = _unquote(match["msgid"])
        if not msgid:
            continue  # the header
        msgstrs = {int(index or 0): _unquote(value) for index, value in _MSGSTR.findall(match["msgstrs"])}
        entries.append(
            {
                "msgid": msgid,
                "context": _unquote(match["context"]) if match["context"] else None,
                "plural": _unquote(match["plural"]) if match["plural"] else None,
                "msgstrs": msgstrs,
                "fuzzy": bool(re.search(r"^#,.*\bfuzzy\b", match["comments"], re.MULTILINE)),
                "obsolete": match["comments"].startswith("#~"),
            }
        )
    return entries


@pytest.fixture(autouse=True)
def _plain_static(settings):
    use_plain_static(settings)


def test_catalogue_is_complete_and_not_fuzzy():
    entries = _entries()
    assert len(entries) > 300, "the .po should hold the whole UI"
    fuzzy = [entry["msgid"] for entry in entries if entry["fuzzy"]]
    empty = [entry["msgid"] for entry in entries if not all(entry["msgstrs"].values())]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    assert not empty, f"untranslated entries: {empty}"
    header = PO_FILE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in header


def test_plural_entries_have_both_forms():
    plurals = [entry for entry in _entries() if entry["plural"]]
    assert plurals
    for entry in plurals:
        assert sorted(entry["msgstrs"]) == [0, 1], entry["msgid"]


def test_placeholders_are_kept():
    for entry in _entries():
        expected = sorted(_PLACEHOLDER.findall(entry["msgid"]))
        for msgstr in entry["msgstrs"].values():
            assert sorted(_PLACEHOLDER.findall(msgstr)) == expected, entry["msgid"]


def test_compiled_catalogue_matches_the_po():
    """The .mo is committed (a checkout needs no gettext tools), so it must not lag behind the .po."""
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for entry in _entries():
        if entry["plural"]:
            assert compiled.ngettext(entry["msgid"], entry["plural"], 1) == entry["msgstrs"][0]
            assert compiled.ngettext(entry["msgid"], entry["plural"], 2) == entry["msgstrs"][1]
        elif entry["context"]:
            # pgettext_lazy("sensor status", "停用"): one Chinese word, two English ones.
            assert compiled.pgettext(entry["context"], entry["msgid"]) == entry["msgstrs"][0], entry["msgid"]
        else:
            assert compiled.gettext(entry["msgid"]) == entry["msgstrs"][0], entry["msgid"]


def _sidebar(html: str) -> str:
    match = re.search(r'<nav class="[^"]*anjian-sidebar[^"]*">(.*?)</nav>', html, re.DOTALL)
    assert match, "sidebar not found"
    return match.group(1)


@pytest.mark.django_db
def test_enterprise_list_in_english(client, personas):
    client.force_login(personas.town_a_supervisor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 200
    html = response.content.decode()
    sidebar = _sidebar(html)
    assert "Enterprise" in sidebar
    assert "Audit log" in sidebar
    assert "生产经营单位" not in sidebar
    assert '<html lang="en">' in html
    assert "Sign out" in html


@pytest.mark.django_db
def test_enterprise_list_defaults_to_chinese(client, personas):
    client.force_login(personas.town_a_supervisor)
    response = client.get(reverse("enterprises:enterprise_list"))
    assert response.status_code == 200
    html = response.content.decode()
    sidebar = _sidebar(html)
    assert "生产经营单位" in sidebar
    assert "Audit log" not in sidebar
    assert '<html lang="zh-hans">' in html


@pytest.mark.django_db
def test_login_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Sign in" in html
    assert "登录" not in html
