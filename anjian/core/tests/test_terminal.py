"""The command line's progress bar (issue 7 item 1): drawn in place on a terminal, nothing when output is not one."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from anjian.core.terminal import TerminalProgress, render
from anjian.enterprises.models import Enterprise
from anjian.enterprises.tests.test_import import make_row, xlsx_upload


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_line_shows_done_total_percent_rate_and_time_left():
    line = render(1500, 5000, "校验", 1.5, width=10)

    assert line == "校验  [###-------]  1,500/5,000   30%  1,000 行/秒  剩余 0:04"
    assert render(0, None, "导出", 0.0) == "导出  0"
    assert render(7200, 10_800, "写入", 3600.0).endswith("2 行/秒  剩余 30:00")
    assert render(1, 10_000, "写入", 1.0).endswith("剩余 2:46:39")


def test_the_bar_redraws_in_place_on_a_terminal_and_ends_its_line():
    stream, clock = Terminal(), Clock()
    bar = TerminalProgress(stream, clock=clock)

    bar(0, 1000, "校验")
    clock.now += 0.01
    bar(500, 1000, "校验")  # too soon after the last redraw: skipped
    clock.now += 0.5
    bar(600, 1000, "校验")
    bar(1000, 1000, "校验")  # the last report of a phase is always drawn
    bar(10, 1000, "写入")  # a new phase starts on a new line
    bar.close()

    text = stream.getvalue()
    assert text.count("\r") == 4 and "500/1,000" not in text
    assert "600/1,000" in text and "1,000/1,000  100%" in text
    assert "\n\r写入" in text and text.endswith("\n")


def test_nothing_is_drawn_when_the_stream_is_not_a_terminal():
    stream = io.StringIO()
    bar = TerminalProgress(stream)

    bar(500, 1000, "校验")
    bar.close()

    assert stream.getvalue() == ""


@pytest.mark.django_db
@pytest.mark.parametrize("tty", [True, False])
def test_import_enterprises_draws_its_bar_on_stderr_only_on_a_terminal(personas, tmp_path, tty):
    rows = [make_row(personas.village_a, n) for n in range(3)]
    path = tmp_path / "企业.xlsx"
    path.write_bytes(xlsx_upload(rows).read())
    out, err = io.StringIO(), Terminal() if tty else io.StringIO()

    call_command("import_enterprises", str(path), user="town_a_supervisor", commit=True, stdout=out, stderr=err)

    assert Enterprise.objects.filter(uscc=rows[0]["统一社会信用代码"]).exists()
    assert "\r" not in out.getvalue(), "the bar never reaches stdout"
    if tty:
        assert "\r校验" in err.getvalue() and "3/3  100%" in err.getvalue()
    else:
        assert err.getvalue() == ""
