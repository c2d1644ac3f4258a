"""The live level meter ``coach record`` shows in the terminal.

Pure rendering: levels in (dBFS), text out. :class:`LiveDisplay` writes it to
stderr, redrawing one line with ``\\r`` on a terminal and printing a plain
line every few seconds (and whenever a warning appears) when stderr is a
pipe or a CI log, where ``\\r`` would pile up into one endless line.
"""

from __future__ import annotations

import os
import shutil
from typing import Any, TextIO

from coach.clock import clock

#: The left end of the bar; quieter input shows as an empty bar.
FLOOR_DBFS = -60.0
BAR_WIDTH = 30
#: Seconds of input under the silent level before saying the mic may be off.
SILENT_WARN_S = 3.0

NO_SOUND = "NO SOUND: mic muted or wrong device? (coach devices)"
CLIPPING = "CLIPPING: too loud, move back or lower the mic gain"
#: The bar shrinks to this on a narrow terminal before the line is cut.
MIN_BAR_WIDTH = 10


def bar(rms_dbfs: float, peak_dbfs: float, width: int = BAR_WIDTH) -> str:
    """``[#######.....|....]``: ``#`` up to the RMS level, ``|`` at the peak, -60..0 dBFS."""
    width = max(2, int(width))
    fill = _position(rms_dbfs, width)
    cells = ["#"] * fill + ["."] * (width - fill)
    peak = _position(peak_dbfs, width)
    if peak > fill:
        cells[peak - 1] = "|"
    return "[" + "".join(cells) + "]"


def _position(dbfs: float, width: int) -> int:
    fraction = (dbfs - FLOOR_DBFS) / (0.0 - FLOOR_DBFS)
    return int(round(min(1.0, max(0.0, fraction)) * width))


def input_warning(silent_s: float, clipping: bool, speech_started: bool) -> str | None:
    """What is wrong with the input right now, if anything.

    Silence only warns before any speech has been heard: once the rep has
    spoken, the mic evidently works and a quiet stretch is a pause.
    """
    if clipping:
        return CLIPPING
    if silent_s >= SILENT_WARN_S and not speech_started:
        return NO_SOUND
    return None


def status_line(
    elapsed_s: float,
    max_s: float,
    rms_dbfs: float,
    peak_dbfs: float,
    warning: str | None = None,
    hint: str = "",
    columns: int | None = None,
) -> str:
    """One line: elapsed / maximum, the bar, the RMS level, then a warning or a hint.

    With ``columns`` (a terminal's width) the bar narrows, down to
    :data:`MIN_BAR_WIDTH`, and the line is cut to fit: a line that wrapped
    could not be redrawn in place with ``\\r``.
    """
    level = f"{rms_dbfs:4.0f} dBFS" if rms_dbfs > FLOOR_DBFS else "  silent "
    tail = warning or hint
    head = f"REC {clock(elapsed_s)} / {clock(max_s)}  "
    rest = f" {level}" + (f"  {tail}" if tail else "")
    width = BAR_WIDTH
    if columns is not None:
        width = max(MIN_BAR_WIDTH, min(BAR_WIDTH, columns - 1 - len(head) - len(rest) - 2))
    line = head + bar(rms_dbfs, peak_dbfs, width) + rest
    return line[: columns - 1] if columns is not None else line


class LiveDisplay:
    """Shows the meter while recording; ``update`` is called after every block."""

    def __init__(
        self,
        out: TextIO,
        *,
        tty: bool,
        max_s: float,
        hint: str = "",
        tty_interval_s: float = 0.1,
        plain_interval_s: float = 5.0,
        columns: int | None = None,
    ) -> None:
        self.out = out
        self.tty = tty
        self.max_s = max_s
        self.hint = hint
        self.interval_s = tty_interval_s if tty else plain_interval_s
        self.columns = columns
        self._last_at: float | None = None
        self._last_warning: str | None = None
        self._width = 0
        self.warnings_shown: list[str] = []

    def update(self, elapsed_s: float, levels: Any) -> None:
        warning = input_warning(levels.silent_s, levels.clipping, levels.speech_started)
        new_warning = warning is not None and warning != self._last_warning
        if warning is not None and new_warning:
            self.warnings_shown.append(warning)
        self._last_warning = warning
        due = self._last_at is None or elapsed_s - self._last_at >= self.interval_s
        if not (due or new_warning):
            return
        self._last_at = elapsed_s
        if self.tty:
            line = status_line(
                elapsed_s, self.max_s, levels.rms_dbfs, levels.peak_dbfs, warning, self.hint, self._columns()
            )
            padding = " " * max(0, self._width - len(line))
            self._width = len(line)
            self.out.write("\r" + line + padding)
        else:
            line = status_line(elapsed_s, self.max_s, levels.rms_dbfs, levels.peak_dbfs, warning)
            self.out.write(line + "\n")
        self.out.flush()

    def _columns(self) -> int:
        """The width of the terminal being drawn on (stderr's, which may differ from stdout's)."""
        if self.columns:
            return self.columns
        try:
            return os.get_terminal_size(self.out.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return shutil.get_terminal_size(fallback=(80, 24)).columns

    def finish(self) -> None:
        """End the redrawn line so what follows starts on a fresh one."""
        if self.tty and self._last_at is not None:
            self.out.write("\n")
            self.out.flush()
