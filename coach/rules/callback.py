"""VM5xx callback: the number, how often it is said, and who owns the next step.

VM505 compares each number said with the rep's own (``report.rep.number``).

A "next step" is a commitment to the rep's next attempt ("I'll try you",
"I'll follow up") plus a specific day or time anywhere in the message
("Thursday", "tomorrow", "at 10", "2 pm", "on the 14th"), or a part of the
day just after the commitment ("I'll call you ... afternoon"). Days and parts
of the day come from the settings (``rules.VM503``); clock times and dates
are recognised here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from coach.report import Finding, PhoneNumber, Report
from coach.rules.base import Context, Settings, at, finding, quote, quotes, said_at, text
from coach.text.matching import Match, TextIndex
from coach.text.phone_numbers import group_digits, same_number, shown_number

_HOUR_WORDS = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
#: "at one" alone is too often "at one of your stores" to count as a time.
_HOURS_NOT_ONE = "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_MINUTE_WORDS = "fifteen|thirty|forty five"
_SUFFIX = r"am|pm|oclock|in the morning|in the afternoon|in the evening|sharp"
_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_ORDINAL_WORDS = (
    "first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|"
    "fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty first|"
    "twenty second|twenty third|twenty fourth|twenty fifth|twenty sixth|twenty seventh|twenty eighth|"
    "twenty ninth|thirtieth|thirty first"
)

#: Clock times and dates in normalised text (see :func:`coach.text.matching.tokenize`).
TIME_PATTERNS = (
    # "at 10", "at 10 30", "around 2", "at 9 am"
    re.compile(rf"\b(?:at|around) (?:[01]?\d|2[0-3])(?: [0-5]\d)?(?: (?:{_SUFFIX}))?\b"),
    # "at ten", "at ten thirty", "around two pm"; "at one" alone is too often "at one of ..."
    re.compile(rf"\b(?:at|around) (?:{_HOURS_NOT_ONE})(?: (?:{_MINUTE_WORDS}))?(?: (?:{_SUFFIX}))?\b"),
    re.compile(rf"\b(?:at|around) one (?:{_MINUTE_WORDS}|{_SUFFIX})\b"),
    # "10 am", "2 30 pm", "ten oclock", "noon"
    re.compile(rf"\b(?:[01]?\d|{_HOUR_WORDS})(?: [0-5]\d| (?:{_MINUTE_WORDS}))? (?:am|pm|oclock)\b"),
    re.compile(r"\b(?:at|around|by) (?:noon|midday)\b"),
    # any number before am or pm is a clock time, however its hour was heard ("2 30 pm" as "to 30 pm")
    re.compile(r"\b\d{1,4} (?:am|pm)\b"),
    # "the 14th", "14th", "on the fourteenth", "March 3", "3rd of March"
    re.compile(r"\b(?:[12]?\d|3[01])(?:st|nd|rd|th)\b"),
    re.compile(rf"\bon the (?:{_ORDINAL_WORDS})\b"),
    re.compile(rf"\b(?:{_MONTHS}) (?:[12]?\d|3[01])\b"),
)


def find_times(text: TextIndex, days: Iterable[str]) -> list[Match]:
    """Specific days and times said, in order; adjacent ones join ("Thursday" + "at 10 am")."""
    found = list(text.find(days))
    for pattern in TIME_PATTERNS:
        found.extend(text.search(pattern))
    found.sort(key=lambda m: (m.first, -(m.last - m.first)))
    spans: list[list[int]] = []
    for m in found:
        if spans and m.first <= spans[-1][1] + 1:
            spans[-1][1] = max(spans[-1][1], m.last)
        else:
            spans.append([m.first, m.last])
    return [text.match(" ".join(text.tokens[a : b + 1]), a, b) for a, b in spans]


def next_step(ctx: Context) -> tuple[list[Match], list[Match]]:
    """(commitments, specific times) said, from VM503's settings.

    A part of the day ("afternoon") is a time when it comes at most
    ``part_of_day_within`` words after a commitment: "I'll call you Tuesday
    afternoon" still names when after "Tuesday" is misheard, while "good
    morning" at the start of a message names nothing.
    """
    settings = ctx.config.rule("VM503")
    commitments = ctx.text.find(settings["commitments"])
    times = find_times(ctx.text, settings["days"])
    within = settings["part_of_day_within"]
    parts = [
        p
        for p in ctx.text.find(settings["parts_of_day"])
        if any(0 < p.first - c.last <= within for c in commitments)
        and not any(t.first <= p.first <= t.last for t in times)
    ]
    return commitments, sorted(times + parts, key=lambda m: m.first)


def number_groups(numbers: list[PhoneNumber]) -> list[list[PhoneNumber]]:
    """Numbers said, grouped by :func:`coach.text.phone_numbers.same_number`, in order of first mention."""
    groups: list[list[PhoneNumber]] = []
    for number in numbers:
        for group in groups:
            if same_number(group[0].digits, number.digits):
                group.append(number)
                break
        else:
            groups.append([number])
    return groups


def main_number(report: Report) -> str | None:
    """The callback number to quote in advice: the one said most often, formatted."""
    groups = number_groups(report.metrics.phone_numbers)
    if not groups:
        return None
    best = max(groups, key=len)
    return shown_number(max(best, key=lambda n: len(n.digits)))


def your_number(report: Report) -> str | None:
    """The rep's own number from their details, grouped as it is said, or None."""
    digits = _digits(report.rep.number) if report.rep is not None else ""
    return group_digits(digits) if digits else None


def no_callback_number(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    if report.metrics.phone_numbers:
        return []
    yours = your_number(report)
    return [finding(ctx, "VM501", {"number": yours} if yours else {})]


def number_said_once(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    found = []
    for group in number_groups(report.metrics.phone_numbers):
        if len(group) != 1:
            continue
        number = group[0]
        shown = shown_number(number)
        values = {"number": shown, "said": quote(number.text or shown), "at": at(number.start)}
        near_end = ctx.speech_end_s - number.end < 0.25 * ctx.speech_span_s
        values["where"] = text(ctx, "VM502", "at_end" if near_end else "once", **values)
        found.append(finding(ctx, "VM502", values, start_s=number.start, end_s=number.end))
    return found


def no_next_step(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    commitments, times = next_step(ctx)
    if commitments and times:
        return []
    values: dict[str, object] = {"day": times[0].said} if times else {}
    said = commitments[0] if commitments else times[0] if times else None
    if said is None:
        return [finding(ctx, "VM503", values, message="neither", evidence="evidence_neither")]
    values |= {"said": quote(said.said), "at": at(said.start_s)}
    message = "no_time" if commitments else "no_commitment"
    return [finding(ctx, "VM503", values, message=message, start_s=said.start_s, end_s=said.end_s)]


def asks_for_callback(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    asks = ctx.text.find(s["phrases"])
    if not asks:
        return []
    commitments, _ = next_step(ctx)
    if commitments:
        return []
    first = asks[0]
    values = {"asks": quotes([a.said for a in asks], 3), "asked": quote(first.said), "said": said_at(asks)}
    number = your_number(report) or main_number(report)  # the right number, when the details give it
    if number:
        values["number"] = number
    return [finding(ctx, "VM504", values, start_s=first.start_s, end_s=asks[-1].end_s)]


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def number_forms(yours: str) -> list[str]:
    """The ways one number is said: as written, without (or with) a leading country code 1,
    and without its area code (the last 7 digits of a 10-digit number)."""
    d = _digits(yours)
    forms = [d]
    if len(d) == 11 and d.startswith("1"):
        forms.append(d[1:])
    if len(d) == 10:
        forms.append("1" + d)
    if len(forms[-1]) >= 10 or len(d) == 10:
        forms.append(d[-7:])
    return forms


def is_your_number(said: str, yours: str) -> bool:
    """True when ``said`` is ``yours`` in one of its :func:`number_forms`, or one digit short or long
    of one (taken for a transcription slip, see :func:`coach.text.phone_numbers.same_number`)."""
    s = _digits(said)
    return any(s == form or same_number(s, form) for form in number_forms(yours))


def difference(said: str, yours: str) -> tuple[str, dict[str, object]]:
    """(text key, values) saying how ``said`` differs from ``yours``: the groups that differ
    ("0129" for "0192"), whether two digits are swapped, or the digit counts."""
    s = _digits(said)
    same_length = [f for f in number_forms(yours) if len(f) == len(s)]
    if not same_length:
        return "length", {"said_count": len(s), "your_count": len(_digits(yours))}
    form = same_length[0]
    said_groups, your_groups = group_digits(s).split("-"), group_digits(form).split("-")
    pairs = [(a, b) for a, b in zip(said_groups, your_groups, strict=False) if a != b]
    values: dict[str, object] = {
        "said_digits": ", ".join(f'"{a}"' for a, _ in pairs),
        "your_digits": ", ".join(f'"{b}"' for _, b in pairs),
    }
    wrong = [i for i, (a, b) in enumerate(zip(s, form, strict=True)) if a != b]
    swapped = (
        len(wrong) == 2 and wrong[1] == wrong[0] + 1 and s[wrong[0]] == form[wrong[1]] and s[wrong[1]] == form[wrong[0]]
    )
    return ("swapped" if swapped else "changed"), values


def wrong_number(report: Report, s: Settings, ctx: Context) -> list[Finding]:
    yours = report.rep.number if report.rep is not None else ""
    if not _digits(yours):
        return []
    found = []
    for group in number_groups(report.metrics.phone_numbers):
        if all(is_your_number(n.digits, yours) for n in group):
            continue
        first = next(n for n in group if not is_your_number(n.digits, yours))
        wrong = [n for n in group if not is_your_number(n.digits, yours)]
        key, values = difference(first.digits, yours)
        values |= {
            "said": shown_number(first),
            "yours": group_digits(_digits(yours)),
            "heard": quote(first.text or shown_number(first)),
            "at": at(first.start),
            "count": len(wrong),
        }
        values["difference"] = text(ctx, "VM505", key, **values)
        values["times"] = (
            "" if len(wrong) == 1 else text(ctx, "VM505", "twice" if len(wrong) == 2 else "times", **values)
        )
        found.append(finding(ctx, "VM505", values, start_s=first.start, end_s=wrong[-1].end))
    return found


CHECKS = {
    "VM501": no_callback_number,
    "VM502": number_said_once,
    "VM503": no_next_step,
    "VM504": asks_for_callback,
    "VM505": wrong_number,
}
