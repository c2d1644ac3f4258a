"""Acoustic measurements of a recording: where the speech is, how loud, what pitch.

Everything is computed from the samples themselves (not from the gaps between
Whisper's words), on 10 ms analysis frames cut by :func:`librosa.util.frame`.
The speech/silence decision and the pitch tracker are written here because
librosa's versions measured worse against Praat on the real-speech clips (the
figures are in the comments above :func:`find_sounding` and :func:`yin`;
``python scripts/praat_agreement.py --compare`` measures them again), and the
frame energy because librosa.feature.rms costs more to import than it saves
(see :func:`frame_power`).

Speech vs silence (``find_sounding``)
    Frame level L = 10 log10(mean x^2) over a 25 ms window, in dBFS. The noise
    floor F is the 5th percentile of L and the speech reference S its 99th
    percentile. Two thresholds, adaptive to both (R = S - F, the spread):

        low  = max(F + min(9 dB,  0.35 R), S - 30 dB)   a frame may belong to speech
        high = max(F + min(15 dB, 0.60 R), S - 25 dB)   a region must reach this

    A sounding region is a run of frames at or above ``low`` that reaches
    ``high`` somewhere (hysteresis: soft onsets and consonants stay inside
    the word, a breath or a noise bump that never reaches ``high`` is not
    speech). Then gaps under 0.1 s are closed (stop closures), regions under
    0.1 s are dropped (clicks): these are the ``stretches``, every silence of
    0.1 s or more kept. Then gaps under ``min_pause_s`` are closed: the
    ``sounding`` regions, and the gaps that remain between the first and the
    last region are the pauses.
    ``S - 25 dB`` is Praat's silence threshold (-25 dB re peak); the floor
    terms take over on noisy audio, where the speech is less than 25 dB above
    the noise, and the shares of R keep both thresholds inside the speech's
    range when it is only 10 dB above the noise (timing still holds at 6 dB SNR).

Level
    ``loudness_dbfs`` is the mean power of the sounding frames, as plain
    20 log10(rms) (a full-scale sine is -3.01 dBFS, a full-scale square 0 dBFS).
    ``noise_floor_dbfs`` is the median power of the frames at least 0.15 s
    away from every sounding region (the leading and trailing silence and the
    pauses), or, when there is less than half a second of those, the mean
    power of the quietest 10 % of frames; floored at -100 dBFS, so digital
    silence gives a finite SNR rather than infinity. The median keeps a
    breath or a click in a pause from counting as noise. ``snr_db`` is the
    speech's own power (the sounding frames' power less the noise's, since
    those frames carry both) over the noise floor. Against pink noise added
    at a known ratio to the sample voicemails (as ``make eval`` adds it), it
    reads from 0.5 dB below to 3 dB above the designed ratio at 5-25 dB; the
    quietest-10 % estimate it replaced read 1.5-6.5 dB above, so a message
    recorded at 10 dB read as 14.4-15.8 dB and passed VM604's 15 dB.

Pitch (``yin``)
    YIN (de Cheveigne & Kawahara 2002) on the same 10 ms frames, 25 ms
    integration window, F0 range 75-500 Hz like Praat's defaults. A frame is
    voiced when it is sounding, its cumulative mean normalised difference at
    the chosen lag (the aperiodicity) is below 0.35, its level is within
    30 dB of the speech reference (Praat's silence threshold is the same idea)
    and it belongs to a run of at least 3 such frames (30 ms), which removes
    the isolated octave-jumping frames that noise and fricatives produce.
    The median is reported in Hz and the variation as the standard deviation
    of 12 log2(f0) in semitones, like Praat's ``Get standard deviation ...
    semitones``. No octave "repair" is applied: against Praat's figures on
    the real-speech clips it made the agreement worse, not better.

    The voicing decision needs YIN's aperiodicity, which :func:`librosa.yin`
    does not return. Computing it at librosa.yin's chosen lag is cheap (d' at
    one lag needs only cumulative sums; scripts/praat_agreement.py does it),
    but librosa.yin chooses the lag with a difference function that compares
    each frame with a zero-padded, shifted copy of itself: d(tau) then carries
    the energy of the frame's last tau samples, which raises d' the more the
    longer the lag (in 38 ms frames of the real-speech clips, by a median 0.13
    at the period of a 100 Hz voice, 0.05 at 210 Hz) and so favours shorter
    lags, that is higher octaves. With it the F0 SD agreement drops from 0.36
    to 0.39 st and the worst clip's F0 median goes from 7 % to 11 % off
    Praat's (the real-speech tests allow 10 %), at twice the time.
    :func:`librosa.pyin` decides voicing itself (an HMM over 100 thresholds)
    but takes some 30 times as long and agrees worse (F0 SD 0.68 st). So the
    tracker below is YIN as published, with a fixed 25 ms integration window,
    computed on the candidate frames only.

Not speech
    :class:`~coach.errors.NoSpeechError` when the recording is near-silent
    (speech reference below -60 dBFS), has under 0.2 s of voiced frames
    (noise, hiss, clicks), or is a steady sound (a hum or a test tone: the level
    of its sounding frames varies by less than 1.5 dB; on the real-speech and
    sample clips speech varies by 4.9 to 16 dB, as interquartile range / 1.35).
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from coach.audio import SAMPLE_RATE
from coach.audio.dsp import librosa
from coach.errors import NoSpeechError
from coach.report import AcousticMetrics, Contours, Pause

HOP_S = 0.01
ENERGY_WINDOW_S = 0.025
CONTOUR_RATE_HZ = 50.0

F0_MIN_HZ = 75.0
F0_MAX_HZ = 500.0
YIN_WINDOW_S = 0.025
YIN_THRESHOLD = 0.15
VOICING_APERIODICITY = 0.35
MIN_VOICED_RUN = 3
VOICING_RANGE_DB = 30.0

FLOOR_PERCENTILE = 5.0
REFERENCE_PERCENTILE = 99.0
LOW_ABOVE_FLOOR_DB = 9.0
LOW_BELOW_REFERENCE_DB = 30.0
HIGH_ABOVE_FLOOR_DB = 15.0
HIGH_BELOW_REFERENCE_DB = 25.0
LOW_SHARE = 0.35
HIGH_SHARE = 0.6
MIN_SOUNDING_S = 0.1
MIN_GAP_S = 0.1

SILENT_REFERENCE_DBFS = -60.0
MIN_VOICED_S = 0.2
MIN_LEVEL_SPREAD_DB = 1.5
NOISE_QUANTILE = 0.10
NOISE_FLOOR_DBFS = -100.0
#: Frames this far from every sounding frame are noise (s) ...
NOISE_CLEARANCE_S = 0.15
#: ... when there are this many seconds of them; else the quietest frames are (s).
MIN_NOISE_S = 0.5
MIN_VOICED_FRAMES_FOR_VARIATION = 10
CLIP_LEVEL = 0.999

_POWER_EPS = 1e-12


@dataclass(kw_only=True)
class Acoustics(AcousticMetrics):
    """The report's acoustic measurements plus what only the analysis uses (times in seconds)."""

    duration_s: float
    noise_floor_dbfs: float
    contours: Contours
    #: The sounding stretches (start, end) in seconds, pauses between them: what words must sit on.
    sounding: list[tuple[float, float]]
    #: The same with every silence of ``MIN_GAP_S`` (0.1 s) or more kept, the short ones inside a phrase too
    #: ("my number is | 415"): where a word after a short silence starts (word_support.snap_onsets).
    stretches: list[tuple[float, float]]


def measure(
    samples: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    min_pause_s: float = 0.3,
    name: str = "recording",
) -> Acoustics:
    """Measure timing, level and pitch of a mono recording (float samples in [-1, 1]).

    Raises NoSpeechError (naming ``name``) when there is no speech to measure.
    """
    x = np.asarray(samples, dtype=np.float32)
    if x.ndim != 1:
        raise ValueError("measure() expects mono samples (a 1-D array)")
    duration = len(x) / float(sample_rate)
    hop = int(round(HOP_S * sample_rate))
    hop_s = hop / float(sample_rate)
    power = frame_power(x, hop, int(round(ENERGY_WINDOW_S * sample_rate)))
    level = 10.0 * np.log10(power + _POWER_EPS)
    floor_db, reference_db = floor_and_reference(level)
    if reference_db < SILENT_REFERENCE_DBFS:
        raise NoSpeechError(
            f"{name} is silent or almost silent (its loudest moments are {reference_db:.0f} dBFS). "
            "Check that the right microphone is selected and not muted, speak closer to it, "
            "and record again."
        )

    fine = find_stretches(level, floor_db, reference_db, hop_s=hop_s)
    mask = _close_gaps(fine, int(round(min_pause_s / hop_s)))
    loud_enough = mask & (level >= reference_db - VOICING_RANGE_DB)
    f0, aperiodicity = yin(x, sample_rate, hop, candidates=loud_enough)
    voiced = _drop_short(
        loud_enough & (aperiodicity < VOICING_APERIODICITY) & np.isfinite(f0),
        MIN_VOICED_RUN,
    )
    voiced_s = float(voiced.sum()) * hop_s
    if voiced_s < MIN_VOICED_S or not mask.any():
        raise NoSpeechError(
            f"{name} has no speech we can hear, only noise or silence. Check that the microphone "
            "is the one you speak into, speak closer to it, and record again."
        )
    if _level_spread(level[mask]) < MIN_LEVEL_SPREAD_DB:
        raise NoSpeechError(
            f"{name} holds a steady sound (a hum or a tone) but no speech. Check the microphone "
            "and cables, move away from the source of the hum, and record again."
        )

    sounding = _seconds(runs(mask), hop_s, duration)
    start, end = sounding[0][0], sounding[-1][1]
    pauses = [Pause(start=e1, end=s2) for (_, e1), (s2, _) in zip(sounding, sounding[1:], strict=False)]
    pause_total = sum(p.duration for p in pauses)

    speech_power = float(np.mean(power[mask]))
    loudness = 10.0 * np.log10(speech_power + _POWER_EPS)
    noise_db = noise_floor_db(power, mask, hop_s)
    noise_power = 10.0 ** (noise_db / 10.0)
    a, b = int(round(start * sample_rate)), int(round(end * sample_rate))
    f0_voiced = f0[voiced]

    return Acoustics(
        duration_s=duration,
        speech_start_s=start,
        speech_end_s=end,
        speech_span_s=end - start,
        leading_silence_s=start,
        trailing_silence_s=max(0.0, duration - end),
        pauses=pauses,
        longest_pause_s=max((p.duration for p in pauses), default=0.0),
        speaking_time_s=(end - start) - pause_total,
        loudness_dbfs=loudness,
        peak_dbfs=peak_dbfs(x),
        clipping_ratio=clipping_ratio(x[a:b]),
        snr_db=snr_db(speech_power, noise_power),
        noise_floor_dbfs=noise_db,
        pitch_median_hz=float(np.median(f0_voiced)),
        pitch_variation_st=semitone_sd(f0_voiced),
        contours=contours(power, np.where(voiced, f0, np.nan), hop_s),
        sounding=sounding,
        stretches=_seconds(runs(fine), hop_s, duration),
    )


def _seconds(regions: list[tuple[int, int]], hop_s: float, duration: float) -> list[tuple[float, float]]:
    """Runs of frames as (start, end) seconds: frame i is centred on i * hop_s and covers half a hop either side."""
    return [(max(0.0, a * hop_s - hop_s / 2), min(duration, (b - 1) * hop_s + hop_s / 2)) for a, b in regions]


def warm_up() -> None:
    """Run :func:`measure` once on a short synthetic vowel, so the first real take pays no first-call cost.

    The first call loads librosa's modules, whose numba code compiles the first
    time on a machine (16 s of CPU) and loads from the cache after that (about
    2 s of CPU; see :mod:`coach.audio.dsp`).
    """
    rate = SAMPLE_RATE
    t = np.arange(int(1.5 * rate)) / rate
    f0 = 120.0 * 2 ** (np.sin(2 * np.pi * 0.7 * t) / 12)
    phase = 2 * np.pi * np.cumsum(f0) / rate
    voice = sum(np.sin(k * phase) / k for k in range(1, 8))
    envelope = np.clip(np.sin(2 * np.pi * 2.0 * t), 0.0, None)
    signal = np.concatenate([np.zeros(rate // 4), 0.2 * voice * envelope, np.zeros(rate // 4)])
    measure(signal.astype(np.float32), rate, name="warm-up")


def is_warm() -> bool:
    """True when librosa's compiled code is loaded in this process, so :func:`measure` pays no first-call cost."""
    return "librosa.util.utils" in sys.modules


def measure_forked(
    samples: np.ndarray,
    sample_rate: int = SAMPLE_RATE,
    *,
    min_pause_s: float = 0.3,
    name: str = "recording",
) -> Callable[[], Acoustics] | None:
    """Start :func:`measure` in a forked process; returns the function that waits for its result.

    For a new process's first take: loading librosa's compiled code (about 1.3 s
    of CPU, nearly all of it holding the GIL) and loading the Whisper model (1.8-2.5 s,
    importing torch) slowed each other down in two threads of one process, to
    about the sum of both. In two processes they use both cores. The result
    (or the :class:`~coach.errors.CoachError` that :func:`measure` raised) comes
    back through a pipe; if the child dies, the waiting function measures here.

    Returns None where forking is not safe, and then the caller measures in
    this process: not on Linux, or other threads are running (a fork copies
    the locks they hold), or librosa is already warm here (nothing to gain).
    """
    if not sys.platform.startswith("linux") or threading.active_count() > 1 or is_warm():
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(
        target=_measure_and_send,
        args=(send, samples, sample_rate, min_pause_s, name),
        name="coach-acoustics",
        daemon=True,
    )
    child.start()
    send.close()

    def result() -> Acoustics:
        try:
            outcome = receive.recv()
        except (EOFError, OSError):  # the child died before it answered
            outcome = None
        finally:
            receive.close()
            child.join()
        if outcome is None:
            return measure(samples, sample_rate, min_pause_s=min_pause_s, name=name)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    return result


def _measure_and_send(send, samples: np.ndarray, sample_rate: int, min_pause_s: float, name: str) -> None:
    from coach.errors import CoachError

    try:
        outcome: Acoustics | CoachError | None = measure(samples, sample_rate, min_pause_s=min_pause_s, name=name)
    except CoachError as exc:
        outcome = exc
    except BaseException:  # a bug: the parent measures again and raises it with its traceback
        outcome = None
    try:
        send.send(outcome)
    finally:
        send.close()
        os._exit(0)  # no interpreter teardown: the parent is waiting


# --------------------------------------------------------------------------- frames


def frame_power(x: np.ndarray, hop: int, window: int) -> np.ndarray:
    """Mean square of ``window`` samples centred on every ``hop``-th sample (zero-padded): 1 + len(x) // hop frames.

    librosa.feature.rms computes the same from the same librosa.util.frame
    framing, but importing librosa.feature (and the modules it loads) costs
    another 0.8 s of CPU in every new process (a process that imports
    librosa.util: 1.2 s of CPU; librosa.feature: 2.0 s; 2-core development machine).
    """
    padded = np.pad(x, (window // 2, window - window // 2))
    frames = librosa.util.frame(padded, frame_length=window, hop_length=hop)
    return np.mean(np.square(frames, dtype=np.float64), axis=0)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open index ranges [a, b) of the True runs of a boolean array."""
    padded = np.concatenate(([False], mask.astype(bool), [False]))
    edges = np.flatnonzero(np.diff(padded.astype(np.int8)))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2], strict=False)]


# Hand-written rather than librosa.effects.split, which keeps the frames above one
# threshold. Measured with the same gap rules (python scripts/praat_agreement.py
# --compare; median absolute difference from Praat over the 20 real-speech clips):
#   hysteresis (below)                 span 0.09 s, trailing 0.08 s, F0 median 0.23 st
#   effects.split at ``low``           span 0.11 s, trailing 0.11 s, F0 median 0.23 st;
#                                      quiet sound that never reaches ``high`` stretches
#                                      3 clips' spans by 0.45-0.8 s (the tests allow 0.35 s)
#   effects.split half-way low-high    span 0.08 s, trailing 0.07 s, F0 median 0.24 st
#   effects.split at ``high``          span 0.09 s, trailing 0.06 s, F0 median 0.30 st;
#                                      quiet stretches inside words split them: 3 pauses
#                                      where Praat finds 1 (the tests allow 2)
# At each threshold either the edges or the F0 median (through the frames that count as
# speech) agree worse; the hysteresis pair keeps both.
def find_sounding(
    level_db: np.ndarray,
    floor_db: float,
    reference_db: float,
    *,
    hop_s: float = HOP_S,
    min_pause_s: float = 0.3,
) -> np.ndarray:
    """Boolean mask of the frames that belong to speech (see the module docstring)."""
    stretches = find_stretches(level_db, floor_db, reference_db, hop_s=hop_s)
    return _close_gaps(stretches, int(round(min_pause_s / hop_s)))


def floor_and_reference(level_db: np.ndarray) -> tuple[float, float]:
    """The noise floor F and the speech reference S of frame levels (dB; module doc), -120 dB for no frames."""
    if level_db.size == 0:
        return -120.0, -120.0
    return float(np.percentile(level_db, FLOOR_PERCENTILE)), float(np.percentile(level_db, REFERENCE_PERCENTILE))


def thresholds(floor_db: float, reference_db: float) -> tuple[float, float]:
    """(low, high): the levels a frame of speech must reach, and one frame of every region (module doc)."""
    spread = max(reference_db - floor_db, 0.0)
    low = floor_db + min(LOW_ABOVE_FLOOR_DB, LOW_SHARE * spread)
    low = max(low, reference_db - LOW_BELOW_REFERENCE_DB)
    high = floor_db + min(HIGH_ABOVE_FLOOR_DB, HIGH_SHARE * spread)
    return low, max(high, reference_db - HIGH_BELOW_REFERENCE_DB)


def find_stretches(level_db: np.ndarray, floor_db: float, reference_db: float, *, hop_s: float = HOP_S) -> np.ndarray:
    """:func:`find_sounding`'s mask before its pauses are closed: every silence of ``MIN_GAP_S`` or more kept."""
    low, high = thresholds(floor_db, reference_db)
    above = level_db >= low
    mask = np.zeros_like(above)
    for a, b in runs(above):
        if np.any(level_db[a:b] >= high):
            mask[a:b] = True
    mask = _close_gaps(mask, int(round(MIN_GAP_S / hop_s)))
    return _drop_short(mask, int(round(MIN_SOUNDING_S / hop_s)))


def _close_gaps(mask: np.ndarray, max_gap: int) -> np.ndarray:
    """Fill False runs shorter than ``max_gap`` frames that lie between True runs."""
    out = mask.copy()
    regions = runs(mask)
    for (_, end), (start, _) in zip(regions, regions[1:], strict=False):
        if start - end < max_gap:
            out[end:start] = True
    return out


def _drop_short(mask: np.ndarray, min_len: int) -> np.ndarray:
    out = mask.copy()
    for a, b in runs(mask):
        if b - a < min_len:
            out[a:b] = False
    return out


def _level_spread(level_db: np.ndarray) -> float:
    """Robust spread of frame levels: interquartile range / 1.349 (= SD for a normal)."""
    if level_db.size < 4:
        return 0.0
    q1, q3 = np.percentile(level_db, [25, 75])
    return float(q3 - q1) / 1.349


# --------------------------------------------------------------------------- level


def noise_floor_db(power: np.ndarray, sounding: np.ndarray | None = None, hop_s: float = 0.01) -> float:
    """The noise level in dBFS (module doc), floored at -100 dBFS.

    ``sounding`` marks the frames of speech: the median power of the frames
    :data:`NOISE_CLEARANCE_S` away from all of them, when there are
    :data:`MIN_NOISE_S` of those; else the mean power of the quietest 10 % of frames.
    """
    if power.size == 0:
        return NOISE_FLOOR_DBFS
    quiet = np.empty(0)
    if sounding is not None and sounding.any():
        reach = int(round(NOISE_CLEARANCE_S / hop_s))
        near = np.convolve(sounding.astype(np.int8), np.ones(2 * reach + 1, dtype=np.int8), mode="same") > 0
        quiet = power[~near]
    if quiet.size * hop_s >= MIN_NOISE_S:
        level = float(np.median(quiet))
    else:
        k = max(1, int(NOISE_QUANTILE * power.size))
        level = float(np.mean(np.partition(power, k - 1)[:k]))
    return max(NOISE_FLOOR_DBFS, 10.0 * np.log10(level + _POWER_EPS))


def snr_db(speech_power: float, noise_power: float) -> float:
    """The speech's power over the noise's, in dB, from the sounding frames' power (speech and noise together).

    Speech as loud as the noise or quieter than it reads 0 dB or less; the
    sum is never taken below a tenth of the noise (-10 dB).
    """
    return 10.0 * np.log10(max(speech_power - noise_power, 0.1 * noise_power) / noise_power)


def peak_dbfs(x: np.ndarray) -> float:
    peak = float(np.max(np.abs(x))) if x.size else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else -np.inf


def clipping_ratio(x: np.ndarray) -> float:
    """Share of samples at full scale (|x| >= 0.999): flat-topped, distorted waveform."""
    if x.size == 0:
        return 0.0
    return float(np.count_nonzero(np.abs(x) >= CLIP_LEVEL)) / x.size


# --------------------------------------------------------------------------- pitch


# Hand-written rather than librosa.yin / librosa.pyin (see the module docstring).
# python scripts/praat_agreement.py --compare, 20 real-speech clips, median absolute
# difference from Praat / worst clip's F0 median / measure() time for all clips
# on the busy 2-core development machine:
#   this YIN                               F0 median 0.23 st, SD 0.36 st / 1.18 st /  1.2 s
#   librosa.yin + aperiodicity at its lag  F0 median 0.23 st, SD 0.39 st / 1.86 st /  2.6 s
#   librosa.pyin (voicing from its HMM)    F0 median 0.26 st, SD 0.68 st / 1.41 st / 34 s
def yin(
    x: np.ndarray,
    sample_rate: int,
    hop: int,
    *,
    candidates: np.ndarray | None = None,
    fmin: float = F0_MIN_HZ,
    fmax: float = F0_MAX_HZ,
) -> tuple[np.ndarray, np.ndarray]:
    """YIN F0 (Hz) and aperiodicity per frame; frames not in ``candidates`` get NaN and 1.

    For each frame, with integration window W and lags tau up to 1/fmin:

        d(tau)  = sum_{j<W} (x_j - x_{j+tau})^2
                = e(0) + e(tau) - 2 r(tau)          (r by FFT, e by cumulative sums)
        d'(tau) = d(tau) * tau / sum_{k=1..tau} d(k)  (cumulative mean normalised)

    The period is the first local minimum of d' below YIN_THRESHOLD within
    [1/fmax, 1/fmin] (the global minimum when none is), refined by parabolic
    interpolation; d' there is the aperiodicity (0 = perfectly periodic).
    """
    n_frames = 1 + len(x) // hop
    f0 = np.full(n_frames, np.nan)
    aperiodicity = np.ones(n_frames)
    idx = np.arange(n_frames) if candidates is None else np.flatnonzero(candidates)
    if idx.size == 0:
        return f0, aperiodicity
    window = int(round(YIN_WINDOW_S * sample_rate))
    tau_min = max(2, int(np.floor(sample_rate / fmax)))
    tau_max = int(np.ceil(sample_rate / fmin))
    length = window + tau_max + 1
    padded = np.concatenate((np.zeros(window // 2, np.float32), x.astype(np.float32), np.zeros(length, np.float32)))
    frames = librosa.util.frame(padded, frame_length=length, hop_length=hop, axis=0)[idx]
    frames = frames - frames.mean(axis=1, keepdims=True, dtype=np.float64).astype(np.float32)

    # Single-precision FFTs (scipy keeps float32; numpy would promote to float64)
    # halve the cost; the energies below are summed in double precision.
    import scipy.fft  # here: 0.2-0.3 s to import, which a process that forks its measuring need not pay

    n_fft = 1 << int(np.ceil(np.log2(length + window)))
    spectrum = scipy.fft.rfft(frames, n_fft, axis=1)
    head = scipy.fft.rfft(frames[:, :window], n_fft, axis=1)
    r = scipy.fft.irfft(spectrum * np.conj(head), n_fft, axis=1)[:, : tau_max + 2].astype(np.float64)
    sq = np.concatenate((np.zeros((len(idx), 1)), np.cumsum(np.square(frames, dtype=np.float64), axis=1)), axis=1)
    lags = np.arange(tau_max + 2)
    e0 = sq[:, window][:, None]
    e_tau = sq[:, lags + window] - sq[:, lags]
    d = np.maximum(e0 + e_tau - 2.0 * r, 0.0)
    d[:, 0] = 0.0
    cum = np.cumsum(d[:, 1:], axis=1)
    cmnd = np.ones_like(d)
    cmnd[:, 1:] = d[:, 1:] * lags[1:] / np.maximum(cum, 1e-20)

    seg = cmnd[:, tau_min : tau_max + 1]
    left = cmnd[:, tau_min - 1 : tau_max]
    right = cmnd[:, tau_min + 1 : tau_max + 2]
    is_min = (seg < left) & (seg <= right)
    good = is_min & (seg < YIN_THRESHOLD)
    first = np.argmax(good, axis=1)
    best = np.where(good.any(axis=1), first, np.argmin(seg, axis=1))
    tau = best + tau_min
    rows = np.arange(len(idx))
    y0, y1, y2 = cmnd[rows, tau - 1], cmnd[rows, tau], cmnd[rows, tau + 1]
    denom = y0 - 2.0 * y1 + y2
    shift = np.where(np.abs(denom) > 1e-12, 0.5 * (y0 - y2) / np.where(denom == 0, 1, denom), 0.0)
    shift = np.clip(shift, -1.0, 1.0)
    period = tau + shift
    freq = sample_rate / period
    in_range = (freq >= fmin * 0.97) & (freq <= fmax * 1.03)
    f0[idx] = np.where(in_range, freq, np.nan)
    aperiodicity[idx] = np.where(in_range, y1, 1.0)
    return f0, aperiodicity


def semitone_sd(f0: np.ndarray) -> float | None:
    """Standard deviation of 12 log2(f0) (semitones); None with too few voiced frames."""
    if f0.size < MIN_VOICED_FRAMES_FOR_VARIATION:
        return None
    return float(np.std(12.0 * np.log2(f0), ddof=1))


# --------------------------------------------------------------------------- contours


def contours(power: np.ndarray, f0: np.ndarray, hop_s: float = HOP_S) -> Contours:
    """Energy (dBFS) and pitch (Hz or None) at about 50 Hz, from the 10 ms analysis frames.

    Energy is the mean power of each pair of frames; pitch is the first frame's.
    """
    step = max(1, int(round(1.0 / (CONTOUR_RATE_HZ * hop_s))))
    n = len(power) // step
    blocks = power[: n * step].reshape(n, step).mean(axis=1)
    energy = np.maximum(10.0 * np.log10(blocks + _POWER_EPS), NOISE_FLOOR_DBFS)
    pitch = f0[: n * step : step]
    return Contours(
        frame_rate_hz=1.0 / (step * hop_s),
        energy_db=[round(float(v), 2) for v in energy],
        pitch_hz=[None if not np.isfinite(v) else round(float(v), 1) for v in pitch],
    )
