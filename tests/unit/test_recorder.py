"""The recording logic on its own: stop conditions, levels, resampling, files, devices.

The sound card is the one thing faked (there is none in CI): ``FakeStream``
hands out blocks of a known signal the way ``sounddevice.InputStream.read``
does, and ``FakeCard`` stands in for PortAudio's device list. Everything
behind that edge (the loop, the meter, soxr, the WAV writer, the CLI) is real.
"""

from __future__ import annotations

import importlib.abc
import io
import sys
import threading
import wave
from datetime import datetime

import numpy as np
import pytest

from coach.audio import devices as dev
from coach.audio import levels as lv
from coach.audio import pcm as audio_pcm
from coach.audio import recorder as rec
from coach.cli import meter
from coach.cli import record as cli_record
from coach.cli.common import EXIT_INTERRUPTED
from coach.errors import CoachError, RecordingError
from coach.history import store
from factories.fake_card import BUILTIN, MIC, FakeCard, FakeStream, parse, tone

# -- signals and fakes -----------------------------------------------------


def noise(seconds: float, rate: int, dbfs: float, seed: int = 0) -> np.ndarray:
    """White noise with the given RMS level."""
    x = np.random.default_rng(seed).standard_normal(int(round(seconds * rate)))
    return (x / np.sqrt(np.mean(x**2)) * 10 ** (dbfs / 20)).astype(np.float32)


def at_dbfs(signal: np.ndarray, dbfs: float) -> np.ndarray:
    rms = np.sqrt(np.mean(signal.astype(np.float64) ** 2))
    return (signal / rms * 10 ** (dbfs / 20)).astype(np.float32)


def record(signal, rate, **kwargs):
    stream = FakeStream(signal, kwargs.pop("on_read", None))
    take = rec.Recorder(lambda: stream, sample_rate=rate, **kwargs).run()
    return take, stream


# -- stop conditions -------------------------------------------------------


def test_stops_at_max_length_with_exactly_that_much_audio():
    take, stream = record(tone(5.0, 48000), 48000, max_seconds=1.03)
    assert take.stop_reason == rec.STOP_MAX_LENGTH
    assert len(take.samples) == int(round(1.03 * 48000))
    assert take.duration_s == pytest.approx(1.03)
    assert stream.entered and stream.closed


def test_stops_when_enter_sets_the_stop_event():
    stop = threading.Event()

    def press_enter_after_ten_blocks(reads):
        if reads == 10:
            stop.set()

    take, _ = record(tone(5.0, 44100), 44100, max_seconds=60, stop_event=stop, on_read=press_enter_after_ten_blocks)
    assert take.stop_reason == rec.STOP_ENTER
    block = int(round(dev.BLOCK_S * 44100))
    assert len(take.samples) == 10 * block
    assert len(take.samples) < 5 * 44100


def test_watch_enter_sets_the_event_on_a_terminal_line():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stop = threading.Event()
    thread = cli_record.watch_enter(stop, Terminal("\n"))
    assert thread is not None
    thread.join(5)
    assert stop.is_set()


def test_watch_enter_ignores_end_of_input_on_a_terminal():
    class ClosedTerminal(io.StringIO):
        def isatty(self):
            return True

    stop = threading.Event()
    cli_record.watch_enter(stop, ClosedTerminal("")).join(5)
    assert not stop.is_set()


def test_watch_enter_does_nothing_when_stdin_is_not_a_terminal():
    stop = threading.Event()
    assert cli_record.watch_enter(stop, io.StringIO("\n")) is None
    assert not stop.is_set()


def speech_then_silence(rate: int, *, floor_dbfs: float = -70.0, speech_dbfs: float = -20.0):
    """1 s of room tone, 2 s of 'speech' (a tone over the room tone), 6 s of room tone."""
    lead = noise(1.0, rate, floor_dbfs, seed=1)
    speech = at_dbfs(tone(2.0, rate, freq=220.0), speech_dbfs) + noise(2.0, rate, floor_dbfs, seed=2)
    tail = noise(6.0, rate, floor_dbfs, seed=3)
    return np.concatenate([lead, speech, tail])


def test_stops_after_silence_once_speech_started():
    rate = 16000
    take, _ = record(speech_then_silence(rate), rate, max_seconds=30, stop_on_silence_s=1.5)
    assert take.stop_reason == rec.STOP_SILENCE
    assert take.speech_started
    # Speech ends at 3.0 s; the take ends 1.5 s of silence later (to within a block).
    assert take.duration_s == pytest.approx(4.5, abs=2 * dev.BLOCK_S)


def test_silence_before_speech_does_not_stop():
    rate = 16000
    take, _ = record(noise(5.0, rate, -70.0), rate, max_seconds=4, stop_on_silence_s=1.0)
    assert take.stop_reason == rec.STOP_MAX_LENGTH
    assert not take.speech_started
    assert take.duration_s == pytest.approx(4.0)


def test_stop_on_silence_in_a_noisy_room():
    """Room tone louder than the fixed speech level is not speech; quiet is relative to it."""
    rate = 16000
    signal = speech_then_silence(rate, floor_dbfs=-38.0, speech_dbfs=-12.0)
    take, _ = record(signal[:rate], rate, max_seconds=30, stop_on_silence_s=0.5)
    assert take.stop_reason == rec.STOP_STREAM_ENDED and not take.speech_started
    take, _ = record(signal, rate, max_seconds=30, stop_on_silence_s=1.5)
    assert take.stop_reason == rec.STOP_SILENCE
    assert take.duration_s == pytest.approx(4.5, abs=2 * dev.BLOCK_S)


def test_without_stop_on_silence_a_quiet_end_keeps_recording():
    rate = 16000
    take, _ = record(speech_then_silence(rate), rate, max_seconds=8)
    assert take.stop_reason == rec.STOP_MAX_LENGTH
    assert take.duration_s == pytest.approx(8.0)


def test_ctrl_c_keeps_what_was_recorded():
    def interrupt(reads):
        if reads == 21:
            raise KeyboardInterrupt

    take, stream = record(tone(5.0, 48000), 48000, max_seconds=60, on_read=interrupt)
    assert take.stop_reason == rec.STOP_INTERRUPTED
    assert len(take.samples) == 20 * int(round(dev.BLOCK_S * 48000))
    assert np.allclose(take.samples, tone(5.0, 48000)[: len(take.samples)])
    assert stream.closed


def test_a_device_error_mid_take_keeps_the_audio_before_it():
    def unplug(reads):
        if reads == 6:
            raise RecordingError("The input device USB mic stopped delivering audio: unplugged.")

    take, _ = record(tone(5.0, 16000), 16000, on_read=unplug)
    assert take.stop_reason == rec.STOP_DEVICE_ERROR
    assert "unplugged" in take.error
    assert len(take.samples) == 5 * int(round(dev.BLOCK_S * 16000))


def test_on_block_reports_elapsed_audio_time():
    seen = []
    record(tone(1.0, 16000), 16000, max_seconds=0.5, on_block=lambda t, levels: seen.append(t))
    assert seen[0] == pytest.approx(dev.BLOCK_S)
    assert seen[-1] == pytest.approx(0.5)
    assert all(b > a for a, b in zip(seen, seen[1:], strict=False))


def test_stereo_input_is_mixed_to_mono():
    left = tone(1.0, 48000, amp=0.4)
    right = tone(1.0, 48000, freq=1000.0, amp=0.2)
    take, _ = record(np.stack([left, right], axis=1), 48000, max_seconds=1.0)
    assert take.samples.ndim == 1
    assert np.allclose(take.samples, (left + right) / 2, atol=1e-6)


def test_bad_limits_are_refused():
    with pytest.raises(RecordingError, match="more than 0"):
        rec.Recorder(lambda: FakeStream(tone(1, 16000)), sample_rate=16000, max_seconds=0)
    with pytest.raises(RecordingError, match="stop-on-silence"):
        rec.Recorder(lambda: FakeStream(tone(1, 16000)), sample_rate=16000, stop_on_silence_s=-1)


# -- levels ----------------------------------------------------------------


def test_block_levels_of_a_sine_and_of_silence():
    rms, peak = lv.block_levels(tone(0.1, 16000, amp=0.5))
    assert rms == pytest.approx(20 * np.log10(0.5 / np.sqrt(2)), abs=0.05)  # -9.03 dBFS
    assert peak == pytest.approx(20 * np.log10(0.5), abs=0.05)  # -6.02 dBFS
    assert lv.block_levels(np.zeros(800, dtype=np.float32)) == (lv.MIN_DBFS, lv.MIN_DBFS)


def test_meter_counts_silence_and_holds_clipping():
    m = lv.LevelMeter(16000)
    quiet = noise(dev.BLOCK_S, 16000, -70.0)
    for _ in range(int(round(3.0 / dev.BLOCK_S))):
        levels = m.update(quiet)
    assert levels.silent_s == pytest.approx(3.0)
    assert meter.input_warning(levels.silent_s, levels.clipping, levels.speech_started) == meter.NO_SOUND

    loud = np.clip(tone(dev.BLOCK_S, 16000, amp=1.5), -1, 1)
    levels = m.update(loud)
    assert levels.clipping and levels.silent_s == 0.0
    assert levels.peak_dbfs == pytest.approx(0.0, abs=0.01)
    normal = tone(dev.BLOCK_S, 16000, amp=0.3)
    for _ in range(int(lv.CLIP_HOLD_S / dev.BLOCK_S) - 1):
        assert m.update(normal).clipping
    for _ in range(2):
        levels = m.update(normal)
    assert not levels.clipping
    assert m.clipped_s == pytest.approx(dev.BLOCK_S)


def test_take_summary_flags_a_silent_take():
    take, _ = record(noise(2.0, 16000, -70.0), 16000, max_seconds=2)
    assert take.silent
    assert any("silent" in w for w in cli_record._take_warnings(take))
    take, _ = record(tone(2.0, 16000, amp=0.3), 16000, max_seconds=2)
    assert not take.silent
    assert cli_record._take_warnings(take) == []


def test_meter_bar_and_warnings():
    assert meter.bar(-30.0, -30.0, width=30) == "[" + "#" * 15 + "." * 15 + "]"
    assert meter.bar(-90.0, -90.0, width=10) == "[" + "." * 10 + "]"
    assert meter.bar(3.0, 3.0, width=10) == "[" + "#" * 10 + "]"
    with_peak = meter.bar(-45.0, -6.0, width=20)
    assert with_peak.count("#") == 5 and with_peak.index("|") == 18
    assert meter.input_warning(5.0, True, False) == meter.CLIPPING
    assert meter.input_warning(5.0, False, True) is None  # a pause once speech started
    assert meter.input_warning(2.0, False, False) is None
    line = meter.status_line(12.4, 60, -23.0, -10.0, warning=meter.NO_SOUND)
    assert line.startswith("REC 0:12 / 1:00  [") and line.endswith(meter.NO_SOUND)
    assert line[line.index("[") : line.index("]") + 1] == meter.bar(-23.0, -10.0, meter.BAR_WIDTH)


def test_meter_line_fits_a_narrow_terminal():
    """A wrapped line cannot be redrawn with \\r: the bar narrows, then the line is cut."""
    for columns in (100, 80, 60, 40):
        line = meter.status_line(12.4, 60, -23.0, -10.0, warning=meter.CLIPPING, columns=columns)
        assert len(line) <= columns - 1
        assert line.startswith("REC 0:12 / 1:00  [")
    assert meter.status_line(1, 60, -23.0, -10.0, warning=meter.CLIPPING, columns=100).endswith(meter.CLIPPING)
    narrow = meter.status_line(1, 60, -30.0, -30.0, columns=40)
    assert narrow[narrow.index("[") : narrow.index("]") + 1] == meter.bar(-30.0, -30.0, meter.MIN_BAR_WIDTH)


def _levels(rms=-20.0, peak=-10.0, silent_s=0.0, clipping=False, speech=True):
    return lv.Levels(rms, peak, silent_s, clipping, speech, 0.0, -60.0)


def test_live_display_on_a_pipe_prints_plain_periodic_lines():
    out = io.StringIO()
    display = meter.LiveDisplay(out, tty=False, max_s=60, plain_interval_s=5.0)
    for i in range(1, 241):  # 12 s of 50 ms blocks
        display.update(i * 0.05, _levels())
    display.update(12.05, _levels(silent_s=3.0, speech=False))
    display.finish()
    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert [line.split()[1] for line in lines] == ["0:00", "0:05", "0:10", "0:12"]
    assert lines[-1].endswith(meter.NO_SOUND)
    assert display.warnings_shown == [meter.NO_SOUND]


def test_live_display_on_a_terminal_redraws_one_line():
    out = io.StringIO()
    display = meter.LiveDisplay(out, tty=True, max_s=60, hint="Enter stops", columns=100)
    display.update(0.05, _levels(clipping=True))
    display.update(0.20, _levels())
    display.finish()
    text = out.getvalue()
    assert text.startswith("\r") and text.endswith("\n") and text.count("\n") == 1
    first, second = text.strip("\n").split("\r")[1:]
    assert first.endswith(meter.CLIPPING) and second.rstrip().endswith("Enter stops")
    assert len(second) == len(first)  # padded over the longer line before it


# -- resampling and files --------------------------------------------------


def dominant_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[np.argmax(spectrum)])


@pytest.mark.parametrize("rate", [44100, 48000])
def test_resampling_to_16k_keeps_speech_band_and_removes_what_16k_cannot_hold(rate):
    speech_band = tone(2.0, rate, freq=1000.0, amp=0.5)
    out = audio_pcm.resample(speech_band, rate, 16000)
    assert out.dtype == np.float32 and len(out) == 32000
    assert dominant_hz(out, 16000) == pytest.approx(1000.0, abs=2.0)
    assert np.sqrt(np.mean(out[1000:-1000] ** 2)) == pytest.approx(0.5 / np.sqrt(2), rel=0.01)
    above_nyquist = tone(2.0, rate, freq=11000.0, amp=0.5)  # would alias to 5 kHz if merely decimated
    assert np.sqrt(np.mean(audio_pcm.resample(above_nyquist, rate, 16000)[1000:-1000] ** 2)) < 0.005


def test_resampling_at_16k_is_a_copy():
    x = tone(0.5, 16000)
    y = audio_pcm.resample(x, 16000, 16000)
    assert np.array_equal(x, y) and y is not x


def test_take_is_written_as_16_bit_16k_mono_wav_of_the_right_length(tmp_path):
    take, _ = record(tone(5.0, 48000, amp=0.5), 48000, max_seconds=2.5)
    path = audio_pcm.write_wav(tmp_path / "sub" / "take.wav", take.samples_16k())
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) == (1, 2, 16000)
        assert wav.getnframes() == 40000
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    assert np.abs(pcm).max() == pytest.approx(0.5 * 32767, rel=0.01)
    assert dominant_hz(pcm[2000:-2000].astype(np.float64), 16000) == pytest.approx(440.0, abs=2.0)
    assert not list(tmp_path.rglob(".*.part"))


def test_wav_writer_clips_out_of_range_samples(tmp_path):
    path = audio_pcm.write_wav(tmp_path / "loud.wav", np.array([1.7, -2.0, 0.5, 0.0], dtype=np.float32))
    with wave.open(str(path)) as wav:
        pcm = np.frombuffer(wav.readframes(4), dtype="<i2")
    assert pcm.tolist() == [32767, -32767, 16384, 0]


def test_default_take_path_is_timestamped_under_the_data_dir(tmp_path):
    when = datetime(2024, 1, 2, 3, 4, 5)
    first = store.default_take_path(tmp_path, when)
    assert first == tmp_path / "recordings" / "take-20240102-030405.wav"
    first.parent.mkdir(parents=True)
    first.write_bytes(b"")
    assert store.default_take_path(tmp_path, when).name == "take-20240102-030405-2.wav"


def test_default_take_path_follows_coach_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "elsewhere"))
    assert store.default_take_path().parent == tmp_path / "elsewhere" / "recordings"


# -- devices and settings --------------------------------------------------


def test_find_device_by_default_index_and_name():
    devices = [BUILTIN, MIC]
    assert dev.find_device(devices, None, default_index=3) == MIC
    assert dev.find_device(devices, None, default_index=None) == BUILTIN
    assert dev.find_device(devices, "0") == BUILTIN
    assert dev.find_device(devices, "usb") == MIC
    assert dev.find_device(devices, "Built-in Microphone") == BUILTIN


@pytest.mark.parametrize(
    "spec, message",
    [("7", "no input device 7"), ("speaker", "No input device is named like 'speaker'"), ("mic", "matches several")],
)
def test_find_device_errors_name_the_choices(spec, message):
    with pytest.raises(RecordingError, match=message) as info:
        dev.find_device([BUILTIN, MIC], spec)
    assert "USB Headset Mic" in str(info.value)


def test_no_input_device_at_all():
    with pytest.raises(RecordingError, match="No microphone found"):
        dev.find_device([], None)


def test_rate_fallback_when_the_default_rate_is_refused():
    def check(device, rate, channels):
        if rate == 44100:
            raise dev.Unsupported("Invalid sample rate")

    settings = dev.choose_settings(MIC, check)
    assert (settings.sample_rate, settings.channels) == (48000, 1)
    assert len(settings.refused) == 2  # 44100 mono and stereo


def test_stereo_only_device_is_recorded_in_stereo():
    def check(device, rate, channels):
        if channels != 2:
            raise dev.Unsupported("Invalid number of channels")

    settings = dev.choose_settings(MIC, check)
    assert (settings.sample_rate, settings.channels) == (44100, 2)


def test_device_refusing_every_rate():
    def check(device, rate, channels):
        raise dev.Unsupported("Invalid sample rate")

    with pytest.raises(RecordingError, match="accepts none of the sample rates tried .*44100, 48000"):
        dev.choose_settings(MIC, check)


class FakePortAudioError(Exception):
    pass


class FakeSounddevice:
    """The parts of the sounddevice module SoundCard uses, answering like PortAudio."""

    PortAudioError = FakePortAudioError

    class default:
        device = [1, 2]

    def __init__(self, check_error=None):
        self.check_error = check_error

    def query_devices(self):
        return [
            {"index": 0, "name": "HDMI out", "hostapi": 0, "max_input_channels": 0, "default_samplerate": 48000.0},
            {"index": 1, "name": "pulse", "hostapi": 0, "max_input_channels": 32, "default_samplerate": 44100.0},
            {"index": 2, "name": "USB mic", "hostapi": 0, "max_input_channels": 1, "default_samplerate": 48000.0},
        ]

    def query_hostapis(self):
        return ({"name": "ALSA"},)

    def check_input_settings(self, **kwargs):
        if self.check_error is not None:
            raise self.check_error


def test_sound_card_lists_only_inputs_and_marks_the_default():
    card = dev.SoundCard(FakeSounddevice())
    devices = card.input_devices()
    assert [(d.index, d.name, d.is_default, d.hostapi) for d in devices] == [
        (1, "pulse", True, "ALSA"),
        (2, "USB mic", False, "ALSA"),
    ]
    table = cli_record.describe_devices(devices)
    assert "*   1  pulse" in table and "44100 Hz" in table


def test_sound_card_tells_a_refused_rate_from_a_busy_device():
    device = dev.InputDevice(2, "USB mic", 1, 48000.0)
    card = dev.SoundCard(FakeSounddevice(FakePortAudioError("Invalid sample rate", -9997)))
    with pytest.raises(dev.Unsupported):
        card.check(device, 12345, 1)
    busy = FakePortAudioError("Device unavailable", -9985)
    with pytest.raises(RecordingError, match="busy or unavailable.*--device"):
        dev.SoundCard(FakeSounddevice(busy)).check(device, 48000, 1)


class _Refuse(importlib.abc.MetaPathFinder):
    def __init__(self, error):
        self.error = error

    def find_spec(self, name, path=None, target=None):
        if name == "sounddevice":
            raise self.error
        return None


def test_missing_portaudio_names_the_package(monkeypatch):
    monkeypatch.delitem(sys.modules, "sounddevice", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_Refuse(OSError("PortAudio library not found"))] + sys.meta_path)
    with pytest.raises(RecordingError) as info:
        dev.load_sounddevice()
    assert "sudo apt-get install libportaudio2" in str(info.value)
    assert "PortAudio library not found" in str(info.value)


def test_missing_sounddevice_package_says_pip_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "sounddevice", None)
    with pytest.raises(RecordingError, match="pip install sounddevice"):
        dev.load_sounddevice()


# -- the command, with a fake sound card -----------------------------------


def test_record_command_saves_a_16k_take_without_analysis(tmp_path, monkeypatch, capsys):
    card = FakeCard(tone(10.0, 48000, amp=0.3))
    monkeypatch.setattr(dev, "SoundCard", lambda: card)
    out = tmp_path / "take.wav"
    args = parse(["record", "--seconds", "2", "--countdown", "0", "--no-analyze", "--out", str(out)])
    assert args.func(args) == 0
    assert card.opened[0].sample_rate == 48000 and card.opened[0].device == MIC
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnframes(), wav.getsampwidth()) == (16000, 32000, 2)
    err = capsys.readouterr().err
    assert "Microphone: 3 USB Headset Mic (48000 Hz)" in err
    assert "REC 0:00 / 0:02" in err
    assert f"Saved 2.0 s to {out} (stopped: maximum length reached)" in err


def test_record_command_default_path_is_under_the_data_dir(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(dev, "SoundCard", lambda: FakeCard(tone(3.0, 48000, amp=0.3)))
    args = parse(["record", "--seconds", "1", "--countdown", "0", "--no-analyze"])
    assert args.func(args) == 0
    (saved,) = (tmp_path / "recordings").glob("take-*.wav")
    assert saved.name.startswith(f"take-{datetime.now():%Y%m%d}-")


def test_ctrl_c_saves_the_take_skips_analysis_and_exits_cleanly(tmp_path, monkeypatch, capsys):
    def interrupt(reads):
        if reads == 31:
            raise KeyboardInterrupt

    monkeypatch.setattr(dev, "SoundCard", lambda: FakeCard(tone(10.0, 48000, amp=0.3), interrupt))
    out = tmp_path / "take.wav"
    args = parse(["record", "--seconds", "60", "--countdown", "0", "--out", str(out)])
    assert args.func(args) == 0
    with wave.open(str(out)) as wav:
        assert wav.getnframes() == 30 * int(dev.BLOCK_S * 16000)
    err = capsys.readouterr().err
    assert "(stopped: Ctrl-C)" in err and f"coach analyze {out}" in err


def test_ctrl_c_before_any_audio_saves_nothing(tmp_path, monkeypatch, capsys):
    def interrupt(reads):
        raise KeyboardInterrupt

    monkeypatch.setattr(dev, "SoundCard", lambda: FakeCard(tone(1.0, 48000), interrupt))
    out = tmp_path / "take.wav"
    args = parse(["record", "--countdown", "0", "--no-analyze", "--out", str(out)])
    assert args.func(args) == EXIT_INTERRUPTED
    assert not out.exists()
    assert "nothing saved" in capsys.readouterr().err


def test_busy_device_is_a_clear_error_without_traceback(tmp_path, monkeypatch, capsys):
    from coach.cli import main

    class BusyCard(FakeCard):
        def open(self, settings, block_s=dev.BLOCK_S):
            raise RecordingError("The input device 3 (USB Headset Mic) is busy or unavailable: Device unavailable.")

    monkeypatch.setattr(dev, "SoundCard", lambda: BusyCard(tone(1.0, 48000)))
    out = tmp_path / "take.wav"
    assert main(["record", "--countdown", "0", "--no-analyze", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "coach: The input device 3 (USB Headset Mic) is busy" in err
    assert "Traceback" not in err and not out.exists()


def test_enter_before_any_audio_saves_nothing(tmp_path, monkeypatch, capsys):
    def enter_pressed_at_once(event):
        event.set()
        return threading.current_thread()

    monkeypatch.setattr(cli_record, "watch_enter", enter_pressed_at_once)
    monkeypatch.setattr(dev, "SoundCard", lambda: FakeCard(tone(1.0, 48000)))
    out = tmp_path / "take.wav"
    args = parse(["record", "--countdown", "0", "--no-analyze", "--out", str(out)])
    assert args.func(args) == 1
    assert not out.exists()
    assert "nothing saved" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--seconds", "0"], "--seconds must be more than 0"),
        (["--stop-on-silence", "0"], "--stop-on-silence must be more than 0"),
        (["--countdown", "-1"], "--countdown must be 0 or more"),
        (["--out", "take.mp3"], "ending in .wav"),
        (["--seconds", "400"], "longer than the longest take"),
        (["--script", "/nonexistent/script.txt"], "Cannot read the script file"),
    ],
)
def test_record_command_refuses_bad_options_before_recording(argv, message, monkeypatch):
    def no_card():
        raise AssertionError("the sound card must not be touched")

    monkeypatch.setattr(dev, "SoundCard", no_card)
    args = parse(["record", "--countdown", "0", *argv])
    with pytest.raises(CoachError, match=message):
        args.func(args)


def test_countdown_counts_down_a_second_apart():
    out, slept = io.StringIO(), []
    cli_record.countdown(3, out, sleep=slept.append)
    assert out.getvalue() == "Recording in 3... 2... 1...\n"
    assert slept == [1.0, 1.0, 1.0]
    out = io.StringIO()
    cli_record.countdown(0, out, sleep=slept.append)
    assert out.getvalue() == ""
