"""How long a script will take to say: at the rep's own measured pace, the number at a writing-down pace.

The rep's pace is words a minute over their latest takes (``[script]
recent_takes``, the app's and ``coach analyze --save``'s history; sample
voicemails are not theirs and do not count), measured outside the callback
numbers: the words said over the speech span, pauses included, less each
number's digits and the time it took. Before there is a take to measure,
``[script] default_wpm`` (150). A number's digits are counted at VM203's
limit (``max_digits_per_s``), the pace a prospect can write them down at.
The estimate is the script's timeline (:mod:`coach.script.words`) end to
end, shown against the ``[script] min_s``-``max_s`` band.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.errors import CoachError
from coach.report import Report
from coach.rules.base import num, speech_bounds
from coach.script.words import Timing

if TYPE_CHECKING:
    from coach.config import Config
    from coach.history.store import History

#: ``source`` of takes that are not the rep's own voice (the bundled sample voicemails).
NOT_THE_REP = frozenset({"sample"})
#: How many takes to read at most while looking for ``recent_takes`` usable ones.
_SCAN_FACTOR = 4

SHORT, IN_BAND, LONG = "short", "in band", "long"


@dataclass(frozen=True)
class Pace:
    """Words a minute the script is timed at, and how many takes it was measured over (0: the default)."""

    wpm: float
    takes: int = 0

    @property
    def measured(self) -> bool:
        return self.takes > 0

    def describe(self) -> str:
        """ "your pace over your last 3 takes (162 words a minute)", or the default's words."""
        if self.measured:
            takes = "take" if self.takes == 1 else f"{self.takes} takes"
            return f"your pace over your last {takes} ({num(self.wpm, 0)} words a minute)"
        return f"{num(self.wpm, 0)} words a minute (your pace once you have takes in the history)"


@dataclass(frozen=True)
class Estimate:
    """A script's estimated length against the band."""

    seconds: float
    pace: Pace
    digits_per_s: float
    min_s: float
    max_s: float

    @property
    def status(self) -> str:
        if self.seconds < self.min_s:
            return SHORT
        return LONG if self.seconds > self.max_s else IN_BAND

    def describe(self) -> str:
        """ "About 21 s at your pace over your last 3 takes (...); aim for 10-25 s." """
        band = f"{num(self.min_s, 0)}-{num(self.max_s, 0)} s"
        verdict = {SHORT: f"under the {band} band", LONG: f"over the {band} band", IN_BAND: f"inside {band}"}
        return (
            f"About {num(self.seconds, 0)} s at {self.pace.describe()}, the number at "
            f"{num(self.digits_per_s)} digits a second: {verdict[self.status]}."
        )


def timing(config: Config, pace: Pace) -> Timing:
    """Words at ``pace``, a number's digits at VM203's limit."""
    return Timing(wpm=pace.wpm, digits_per_s=float(config.rule("VM203")["max_digits_per_s"]))


def estimate(seconds: float, config: Config, pace: Pace) -> Estimate:
    band = config.script
    return Estimate(seconds, pace, timing(config, pace).digits_per_s, float(band["min_s"]), float(band["max_s"]))


def word_pace(report: Report, min_words: int) -> tuple[int, float] | None:
    """(words, seconds) a take spent outside its callback numbers, or None with under ``min_words`` words."""
    m = report.metrics
    _, _, span = speech_bounds(report)
    words = m.word_count - sum(len(n.digits) for n in m.phone_numbers)
    seconds = span - sum(max(0.0, n.end - n.start) for n in m.phone_numbers)
    if words < max(1, min_words) or seconds <= 0:
        return None
    return words, seconds


def measured_pace(reports: Iterable[Report], config: Config) -> Pace:
    """Words a minute over the first ``recent_takes`` usable reports (newest first), or the default.

    A take counts when it has at least as many words as the pace rules need
    to judge pace (VM201's ``min_words``).
    """
    wanted = int(config.script["recent_takes"])
    min_words = int(config.rule("VM201")["min_words"])
    words = 0
    seconds = 0.0
    takes = 0
    for report in reports:
        found = word_pace(report, min_words)
        if found is None:
            continue
        words += found[0]
        seconds += found[1]
        takes += 1
        if takes >= wanted:
            break
    if not takes:
        return Pace(float(config.script["default_wpm"]))
    return Pace(60.0 * words / seconds, takes)


def saved_pace(config: Config) -> Pace:
    """The rep's pace from the history in the data folder (``$COACH_DATA_DIR`` or ``./data``), without
    creating one where there is none: for the command line."""
    from coach.history.store import DB_NAME, History, resolve_data_dir

    if not (resolve_data_dir() / DB_NAME).is_file():
        return measured_pace([], config)
    try:
        history = History()
    except CoachError:
        return measured_pace([], config)
    return history_pace(history, config)


def history_pace(history: History | None, config: Config) -> Pace:
    """The rep's pace from their takes in ``history`` (the default when there is none, or it cannot be read)."""
    if history is None:
        return measured_pace([], config)
    try:
        summaries = [t for t in history.list_takes() if t.source not in NOT_THE_REP]
    except CoachError:
        return measured_pace([], config)
    limit = _SCAN_FACTOR * int(config.script["recent_takes"])

    def reports() -> Iterable[Report]:
        for summary in summaries[:limit]:
            try:
                yield history.get_take(summary.id).report
            except CoachError:
                continue

    return measured_pace(reports(), config)
