"""Times and lengths as people read them: one home for every clock and duration format.

``clock`` is a moment or a running time (``0:07``, ``1:03.4``); ``length`` is
how long something lasts, in words (``45 s``, ``2 min 05 s``, ``1 h 05 min``).
"""

from __future__ import annotations


def clock(seconds: float | None, decimals: int = 0) -> str:
    """``m:ss`` (``m:ss.s`` with one decimal); ``-`` for None, negative times read as 0.

    Whole seconds count like a timer (7.9 s is ``0:07``); with decimals the
    last one is rounded (7.96 s is ``0:08.0``).
    """
    if seconds is None:
        return "-"
    value = max(0.0, float(seconds))
    value = round(value, decimals) if decimals else float(int(value))
    minutes = int(value // 60)
    rest = value - 60 * minutes
    width = 3 + decimals if decimals else 2
    return f"{minutes}:{rest:0{width}.{decimals}f}"


def length(seconds: float) -> str:
    """``45 s`` under a minute, ``2 min 05 s`` under an hour (to the second), else ``1 h 05 min``."""
    whole = int(round(max(0.0, seconds)))
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"
    hours, minutes = divmod(int(round(whole / 60)), 60)
    return f"{hours} h {minutes:02d} min"


def parse_clock(text: str) -> float | None:
    """The inverse of :func:`clock`: ``0:12``, ``1:05.5`` or ``12`` (seconds) -> seconds; "" -> None.

    Raises ValueError, with a message saying how to write it, for anything else.
    """
    text = text.strip()
    if not text:
        return None
    try:
        if ":" in text:
            minutes, seconds = text.split(":", 1)
            value = int(minutes) * 60 + float(seconds)
            if int(minutes) < 0 or not 0 <= float(seconds) < 60:
                raise ValueError(text)
        else:
            value = float(text)
        if not value >= 0 or value == float("inf"):
            raise ValueError(text)
    except ValueError:
        raise ValueError(
            f'"{text}" is not a time: write minutes:seconds ("0:12") or seconds ("12"), or leave it empty.'
        ) from None
    return value
