"""PDF documents with Chinese text on a machine with only pip packages and this repository (no system fonts, no
internet): fpdf2 with the packaged Noto Sans SC subset (anjian/core/fonts, GB 2312 + ASCII; SOURCE.md there).

`new_document()` answers an fpdf2 document with the font registered as FONT; the risk card (issue 9 item 4) and,
later, the enforcement documents draw on it."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT = "notosanssc"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-Regular-GB2312.otf"


class Document(FPDF):
    """An A4 (or given format) document in millimetres with the CJK font set; no header or footer of its own."""

    def __init__(self, *, orientation: str = "portrait", format: str = "A4", title: str = "") -> None:  # noqa: A002
        super().__init__(orientation=orientation, unit="mm", format=format)
        self.add_font(FONT, fname=str(FONT_FILE))
        self.set_font(FONT, size=11)
        if title:
            self.set_title(title)
        self.set_creator("anjian")


def new_document(*, orientation: str = "portrait", format: str = "A4", title: str = "") -> Document:  # noqa: A002
    return Document(orientation=orientation, format=format, title=title)


def missing_characters(document: FPDF, text: str) -> set[str]:
    """The characters of `text` the packaged font cannot draw (outside GB 2312 + ASCII, e.g. rare name characters)."""
    font = document.fonts[FONT]
    return {char for char in text if not char.isspace() and ord(char) not in font.cmap}
