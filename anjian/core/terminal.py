"""A text progress bar for the command line (issue 7 item 1): the `progress=` callback of bulk paths, on a terminal.

`TerminalProgress(stream)` draws `校验 [########------------] 1,500/5,000  30%  1,234 行/秒  剩余 0:03` in place (a
carriage return before each redraw) when `stream` is a terminal, and nothing at all otherwise, so a command's output
piped to a file or read by a script stays clean. No dependency: a line of text is all it takes.
"""

from __future__ import annotations

import sys
import time
import unicodedata
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24
# Redraws at most this often (seconds); the last report of a phase is always drawn.
REDRAW_INTERVAL = 0.1


def _columns(text: str) -> int:
    """Terminal columns of `text` (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def clock_text(seconds: float) -> str:
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def render(done: int, total: int | None, phase: str, elapsed: float, *, width: int = BAR_WIDTH) -> str:
    """One line of the bar (without the carriage return)."""
    parts = [phase] if phase else []
    if total:
        filled = min(width, int(width * done / total))
        parts.append("[" + "#" * filled + "-" * (width - filled) + "]")
        parts.append(f"{done:,}/{total:,}")
        parts.append(f"{min(100, int(done * 100 / total)):3d}%")
    else:
        parts.append(f"{done:,}")
    if done and elapsed > 0:
        rate = done / elapsed
        parts.append(f"{rate:,.0f} 行/秒")
        if total:
            parts.append(f"剩余 {clock_text(max(total - done, 0) / rate)}")
    return "  ".join(parts)


class TerminalProgress:
    """A progress callback that draws on `stream` (default stderr) when it is a terminal; call `close()` at the end.

    Rate and time left are per phase (validation and writing each count the rows from 0).
    """

    def __init__(self, stream: TextIO | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream if stream is not None else sys.stderr
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.clock = clock
        self.phase: str | None = None
        self.phase_started = clock()
        self.drawn_at = 0.0
        self.width = 0

    def __call__(self, done: int, total: int | None, phase: str = "") -> None:
        if not self.enabled:
            return
        phase = str(phase)
        now = self.clock()
        if phase != self.phase:
            if self.phase is not None:
                self.stream.write("\n")
                self.width = 0
            self.phase, self.phase_started, self.drawn_at = phase, now, 0.0
        last = total is not None and done >= total
        if not last and now - self.drawn_at < REDRAW_INTERVAL:
            return
        line = render(done, total, phase, now - self.phase_started)
        # Pad with spaces so a shorter line wipes the end of the previous one.
        self.stream.write("\r" + line + " " * max(self.width - _columns(line), 0))
        self.stream.flush()
        self.width, self.drawn_at = _columns(line), now

    def close(self) -> None:
        """End the bar's line, so what the command prints next starts on a line of its own."""
        if self.enabled and self.phase is not None:
            self.stream.write("\n")
            self.stream.flush()
            self.phase = None


__all__ = ["TerminalProgress", "render"]
