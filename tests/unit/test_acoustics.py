"""coach.analysis.acoustics.measure on constructed signals whose answers are known."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from coach.analysis.acoustics import CONTOUR_RATE_HZ, measure, warm_up
from coach.analysis.metrics import build_metrics
from coach.errors import NoSpeechError
from coach.report import AcousticMetrics, Word
from factories.audio_factory import rms, utterance, vowel

RATE = 16000
TIMING_TOLERANCE_S = 0.03

# 0.6 s lead-in, four "words" with pauses of 0.5, 0.2 (too short to count), 1.2 s, 0.9 s tail.
PARTS = [
    ("silence", 0.6),
    ("speech", 0.8),
    ("silence", 0.5),
    ("speech", 0.6),
    ("silence", 0.2),
    ("speech", 0.9),
    ("silence", 1.2),
    ("speech", 0.7),
    ("silence", 0.9),
]


@pytest.fixture(scope="module")
def take():
    signal, spans = utterance(PARTS, RATE, f0=120.0, level_rms=0.1)
    return signal, spans, measure(signal, RATE)


def _noise(n: int, level_rms: float, seed: int = 0) -> np.ndarray:
    noise = np.random.default_rng(seed).standard_normal(n)
    return (noise * level_rms / rms(noise)).astype(np.float32)


def _pink(n: int, seed: int = 0) -> np.ndarray:
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    k = np.arange(len(spectrum), dtype=float)
    k[0] = 1.0
    x = np.fft.irfft(spectrum / np.sqrt(k), n)
    return (0.05 * x / rms(x)).astype(np.float32)


def _hum(seconds: float, mains_hz: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    x = sum(np.sin(2 * np.pi * mains_hz * k * t) / k for k in range(1, 10))
    return (0.05 * x / rms(x)).astype(np.float32)


# --------------------------------------------------------------------------- timing


def test_speech_start_end_and_edge_silences(take):
    signal, spans, m = take
    duration = len(signal) / RATE
    assert m.duration_s == pytest.approx(duration)
    assert m.speech_start_s == pytest.approx(spans[0][0], abs=TIMING_TOLERANCE_S)
    assert m.speech_end_s == pytest.approx(spans[-1][1], abs=TIMING_TOLERANCE_S)
    assert m.leading_silence_s == pytest.approx(0.6, abs=TIMING_TOLERANCE_S)
    assert m.trailing_silence_s == pytest.approx(0.9, abs=TIMING_TOLERANCE_S)
    assert m.speech_span_s == pytest.approx(m.speech_end_s - m.speech_start_s)


def test_pauses_are_found_where_they_are(take):
    _, spans, m = take
    # The 0.2 s gap between words 2 and 3 is below min_pause_s=0.3: not a pause.
    expected = [(spans[0][1], spans[1][0]), (spans[2][1], spans[3][0])]
    assert len(m.pauses) == len(expected)
    for pause, (start, end) in zip(m.pauses, expected, strict=False):
        assert pause.start == pytest.approx(start, abs=TIMING_TOLERANCE_S)
        assert pause.end == pytest.approx(end, abs=TIMING_TOLERANCE_S)
    assert m.longest_pause_s == pytest.approx(1.2, abs=2 * TIMING_TOLERANCE_S)


def test_speaking_time_is_span_minus_pauses(take):
    _, spans, m = take
    assert m.speaking_time_s == pytest.approx(m.speech_span_s - sum(p.duration for p in m.pauses))
    # Sounding time = the words plus the 0.2 s gap that is too short to be a pause.
    words = sum(end - start for start, end in spans)
    assert m.speaking_time_s == pytest.approx(words + 0.2, abs=2 * TIMING_TOLERANCE_S)


def test_min_pause_is_a_parameter():
    signal, spans = utterance(PARTS, RATE)
    short = measure(signal, RATE, min_pause_s=0.15)
    assert len(short.pauses) == 3
    assert short.pauses[1].start == pytest.approx(spans[1][1], abs=TIMING_TOLERANCE_S)
    long_only = measure(signal, RATE, min_pause_s=1.0)
    assert [round(p.duration, 1) for p in long_only.pauses] == [1.2]


def test_stretches_keep_the_short_silences_that_are_not_pauses(take):
    _, spans, m = take
    # The 0.2 s silence is no pause (sounding closes it) but is a silence between two stretches.
    assert len(m.sounding) == 3 and len(m.stretches) == 4
    for (a, b), (s, e) in zip(m.stretches, spans, strict=True):
        assert a == pytest.approx(s, abs=TIMING_TOLERANCE_S)
        assert b == pytest.approx(e, abs=TIMING_TOLERANCE_S)
    assert all(any(a <= s and e <= b for a, b in m.sounding) for s, e in m.stretches)
    # A dip shorter than 0.1 s (a stop closure) does not split a stretch.
    word = vowel(130.0, 1.0, RATE, level_rms=0.1)
    dip = np.ones_like(word)
    dip[int(0.5 * RATE) : int(0.56 * RATE)] = 10 ** (-25 / 20)
    silence = np.zeros(int(0.5 * RATE), np.float32)
    assert len(measure(np.concatenate([silence, word * dip, silence]), RATE).stretches) == 1


def test_a_click_in_the_lead_in_is_not_speech():
    signal, spans = utterance(PARTS, RATE)
    signal = signal.copy()
    click_at = int(0.2 * RATE)
    signal[click_at : click_at + 16] = 0.8  # 1 ms click
    m = measure(signal, RATE)
    assert m.speech_start_s == pytest.approx(spans[0][0], abs=TIMING_TOLERANCE_S)


def test_quiet_consonant_dip_is_not_a_pause():
    """A 60 ms dip 25 dB down inside a word (a stop closure) keeps the word whole."""
    word = vowel(130.0, 1.0, RATE, level_rms=0.1)
    dip = np.ones_like(word)
    dip[int(0.5 * RATE) : int(0.56 * RATE)] = 10 ** (-25 / 20)
    silence = np.zeros(int(0.5 * RATE), np.float32)
    m = measure(np.concatenate([silence, word * dip, silence]), RATE, min_pause_s=0.05)
    assert m.pauses == []


def test_timing_holds_with_background_noise():
    signal, spans = utterance(PARTS, RATE, level_rms=0.1)
    noisy = signal + _noise(len(signal), 0.1 / 10 ** (15 / 20), seed=1)
    m = measure(noisy, RATE)
    assert m.speech_start_s == pytest.approx(spans[0][0], abs=TIMING_TOLERANCE_S)
    assert m.speech_end_s == pytest.approx(spans[-1][1], abs=TIMING_TOLERANCE_S)
    assert len(m.pauses) == 2
    assert m.pauses[1].start == pytest.approx(spans[2][1], abs=TIMING_TOLERANCE_S)
    assert m.pauses[1].end == pytest.approx(spans[3][0], abs=TIMING_TOLERANCE_S)


# --------------------------------------------------------------------------- level


def test_loudness_is_the_speech_rms_in_dbfs():
    signal, _ = utterance(PARTS, RATE, level_rms=0.1)
    m = measure(signal, RATE)
    # Each word has RMS 0.1 = -20 dBFS; fades at word edges pull it down slightly.
    assert m.loudness_dbfs == pytest.approx(20 * math.log10(0.1), abs=0.7)
    quieter = measure(signal * 0.5, RATE)
    assert m.loudness_dbfs - quieter.loudness_dbfs == pytest.approx(20 * math.log10(2), abs=0.1)


def test_peak(take):
    signal, _, m = take
    assert m.peak_dbfs == pytest.approx(20 * math.log10(np.max(np.abs(signal))), abs=1e-4)


def test_clean_signal_does_not_clip(take):
    assert take[2].clipping_ratio == 0.0


def test_clipping_ratio_counts_full_scale_samples():
    signal, _ = utterance(PARTS, RATE, level_rms=0.1)
    loud = signal * (1.6 / np.max(np.abs(signal)))
    clipped = np.clip(loud, -1.0, 1.0).astype(np.float32)
    m = measure(clipped, RATE)
    start, end = int(m.speech_start_s * RATE), int(m.speech_end_s * RATE)
    expected = np.count_nonzero(np.abs(loud[start:end]) >= 0.999) / (end - start)
    assert expected > 0.001
    assert m.clipping_ratio == pytest.approx(expected, rel=0.02)


@pytest.mark.parametrize("snr_db", [10.0, 20.0, 30.0])
def test_snr_with_added_noise(snr_db):
    signal, _ = utterance(PARTS, RATE, level_rms=0.1)
    noise_rms = 0.1 / 10 ** (snr_db / 20)
    m = measure(signal + _noise(len(signal), noise_rms, seed=2), RATE)
    # The speech's power over the noise's: the noise is taken out of the speech frames' power.
    assert m.snr_db == pytest.approx(snr_db, abs=2.0)
    assert m.noise_floor_dbfs == pytest.approx(20 * math.log10(noise_rms), abs=2.0)


@pytest.mark.parametrize("snr_db", [5.0, 10.0, 15.0, 25.0])
def test_snr_against_pink_noise_at_a_designed_ratio(snr_db):
    # As `make eval` makes its noisy renderings: pink noise scaled to the speech's mean power. The quietest-10 %
    # floor this replaced read 3-6 dB high (a message at 10 dB read about 15 dB and passed VM604's 15 dB).
    signal, spans = utterance(PARTS, RATE, level_rms=0.1)
    inside = np.zeros(len(signal), dtype=bool)
    for a, b in spans:
        inside[int(a * RATE) : int(b * RATE)] = True
    noise = _pink(len(signal), seed=3).astype(np.float64)
    noise *= math.sqrt(float(np.mean(signal[inside].astype(np.float64) ** 2)) / 10 ** (snr_db / 10) / np.mean(noise**2))
    m = measure((signal + noise).astype(np.float32), RATE)
    assert snr_db - 1.0 <= m.snr_db <= snr_db + 3.0, m.snr_db


def test_a_breath_in_a_pause_is_not_the_noise_floor():
    # Noise at 20 dB under the speech, and a breath-like burst 12 dB under the speech in the long pause: the floor is
    # the noise's level (the median of the frames away from speech), not raised towards the burst's.
    signal, _ = utterance(PARTS, RATE, level_rms=0.1)
    noisy = signal + _noise(len(signal), 0.01, seed=4)
    at = int(2.9 * RATE)
    noisy[at : at + int(0.2 * RATE)] += _noise(int(0.2 * RATE), 0.025, seed=5)
    m = measure(noisy, RATE)
    assert m.noise_floor_dbfs == pytest.approx(-40.0, abs=2.0)


def test_digital_silence_gives_a_high_but_finite_snr(take):
    assert 60.0 < take[2].snr_db < 130.0


# --------------------------------------------------------------------------- pitch


@pytest.mark.parametrize("f0", [85.0, 120.0, 210.0, 330.0])
def test_pitch_median_of_a_vowel(f0):
    silence = np.zeros(int(0.4 * RATE), np.float32)
    signal = np.concatenate([silence, vowel(f0, 1.5, RATE), silence])
    m = measure(signal, RATE)
    assert m.pitch_median_hz == pytest.approx(f0, rel=0.01)
    assert m.pitch_variation_st < 0.2


def test_pitch_at_telephone_rate():
    rate = 8000
    silence = np.zeros(int(0.4 * rate), np.float32)
    signal = np.concatenate([silence, vowel(180.0, 1.5, rate), silence])
    m = measure(signal, rate)
    assert m.pitch_median_hz == pytest.approx(180.0, rel=0.01)


def test_pitch_variation_of_a_glide():
    """F0 gliding geometrically over 12 semitones: uniform in semitones, SD = 12 / sqrt(12)."""
    silence = np.zeros(int(0.4 * RATE), np.float32)
    signal = np.concatenate([silence, vowel(100.0, 2.0, RATE, f0_end=200.0), silence])
    m = measure(signal, RATE)
    assert m.pitch_variation_st == pytest.approx(12 / math.sqrt(12), abs=0.3)
    assert m.pitch_median_hz == pytest.approx(100 * 2**0.5, rel=0.03)


def test_wider_glide_has_more_variation():
    silence = np.zeros(int(0.4 * RATE), np.float32)
    narrow = measure(np.concatenate([silence, vowel(150.0, 2.0, RATE, f0_end=170.0), silence]), RATE)
    wide = measure(np.concatenate([silence, vowel(110.0, 2.0, RATE, f0_end=250.0), silence]), RATE)
    assert wide.pitch_variation_st > 3 * narrow.pitch_variation_st


# --------------------------------------------------------------------------- contours


def test_contours_follow_the_signal(take):
    signal, spans, m = take
    contours = m.contours
    assert contours.frame_rate_hz == CONTOUR_RATE_HZ
    assert len(contours.energy_db) == len(contours.pitch_hz)
    assert abs(len(contours.energy_db) - len(signal) / RATE * CONTOUR_RATE_HZ) <= 1
    frame = lambda t: int(t * CONTOUR_RATE_HZ)  # noqa: E731
    middle_of_word = frame((spans[0][0] + spans[0][1]) / 2)
    lead_in = frame(0.3)
    assert contours.energy_db[middle_of_word] > contours.energy_db[lead_in] + 40
    assert contours.pitch_hz[lead_in] is None
    assert contours.pitch_hz[middle_of_word] == pytest.approx(120.0, rel=0.02)
    assert all(math.isfinite(v) for v in contours.energy_db)


# --------------------------------------------------------------------------- no speech


@pytest.mark.parametrize(
    "label, make",
    [
        ("silence", lambda: np.zeros(3 * RATE, np.float32)),
        ("dither", lambda: _noise(3 * RATE, 1e-5)),
        ("white noise", lambda: _noise(3 * RATE, 0.05)),
        ("pink noise", lambda: _pink(3 * RATE)),
        ("50 Hz hum", lambda: _hum(3.0, 50.0)),
        ("100 Hz hum", lambda: _hum(3.0, 100.0)),
        ("120 Hz hum after silence", lambda: np.concatenate([np.zeros(RATE, np.float32), _hum(2.0, 120.0)])),
        ("noise bursts", lambda: _noise(3 * RATE, 0.05) * (np.arange(3 * RATE) % RATE < RATE // 2)),
    ],
)
def test_no_speech_is_refused(label, make):
    with pytest.raises(NoSpeechError) as info:
        measure(make(), RATE, name="my_take.wav")
    message = str(info.value)
    assert "my_take.wav" in message
    assert "microphone" in message


def test_quiet_speech_is_still_speech():
    signal, spans = utterance(PARTS, RATE, level_rms=0.003)  # about -50 dBFS
    m = measure(signal, RATE)
    assert m.speech_start_s == pytest.approx(spans[0][0], abs=TIMING_TOLERANCE_S)


# --------------------------------------------------------------------------- contract


def test_input_is_not_modified(take):
    signal, _, _ = take
    before = signal.copy()
    measure(signal, RATE)
    assert np.array_equal(signal, before)


def test_the_report_keeps_every_acoustic_measurement(take):
    _, spans, m = take
    metrics = build_metrics(m, [Word("Hello", spans[0][0], spans[0][1], 0.9)])
    for f in dataclasses.fields(AcousticMetrics):
        assert getattr(metrics, f.name) == getattr(m, f.name), f.name
    assert metrics.speech_span_s == pytest.approx(m.speech_end_s - m.speech_start_s)


def test_stereo_input_is_rejected():
    with pytest.raises(ValueError):
        measure(np.zeros((RATE, 2), np.float32), RATE)


def test_warm_up_runs():
    warm_up()
