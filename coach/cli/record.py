"""``coach devices`` and ``coach record``: practise straight from the microphone.

``coach record`` counts down, records with a live level meter on stderr, and
stops on Enter (on a terminal), at ``--seconds``, or after
``--stop-on-silence`` seconds of quiet once speech has started. The take is
saved as a 16-bit 16 kHz WAV (``--out``, or ``recordings/take-<time>.wav``
under the data directory), then analysed: the report goes to stdout as in
``coach analyze`` and the take is stored in the history the app shows.
While the rep speaks, the Whisper model loads in a background thread and the
take is transcribed as it arrives, chunk by chunk between pauses
(:mod:`coach.analysis.streaming`), so when the rep stops only the last few
seconds are left to transcribe: the report follows the end of the take within
about a second. stderr says how long the model took to load and how long the
report took after the take ended.

Ctrl-C while recording stops the take and keeps it: the WAV is written, no
question is asked, analysis is skipped (the rep asked to quit; the command to
analyse it later is printed) and the exit status is 0. Ctrl-C before anything
was recorded exits with 130 and saves nothing; Ctrl-C during the analysis
exits with 130 and keeps the WAV.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TextIO

from coach.cli.common import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    add_analysis_options,
    analysis_config,
    read_script,
)
from coach.errors import RecordingError


def register(subparsers) -> None:
    devices = subparsers.add_parser(
        "devices",
        help="list the microphones (input devices) coach record can use",
        description="List input devices: number, name, channels, default sample rate; * marks the default.",
    )
    devices.set_defaults(func=run_devices)

    parser = subparsers.add_parser(
        "record",
        help="record a practice voicemail from the microphone and analyse it",
        description=(
            "Record a take from the microphone with a live level meter, save it as a WAV, "
            "then print the report and keep the take in the history. Stop with Enter, at --seconds, "
            "or after --stop-on-silence. Ctrl-C stops and keeps the take without analysing it."
        ),
    )
    parser.add_argument(
        "--device", default=None, metavar="ID", help="input device number or part of its name (see: coach devices)"
    )
    parser.add_argument(
        "--seconds", type=float, default=60.0, metavar="MAX", help="stop after this many seconds (default 60)"
    )
    parser.add_argument(
        "--out",
        default=None,
        metavar="FILE",
        help="where to save the WAV (default: <data dir>/recordings/take-<time>.wav)",
    )
    parser.add_argument("--no-analyze", dest="analyze", action="store_false", help="only record and save the WAV")
    parser.add_argument(
        "--stop-on-silence",
        type=float,
        default=None,
        metavar="SECONDS",
        help="stop after this much silence once you have started speaking",
    )
    add_analysis_options(parser)
    parser.add_argument(
        "--countdown",
        type=int,
        default=3,
        metavar="N",
        help="seconds of countdown before recording (default 3, 0 for none)",
    )
    parser.set_defaults(func=run)


# -- coach devices ---------------------------------------------------------


def describe_devices(devices: Iterable) -> str:
    """The device table: default marker, number, name, channels, default rate, host API."""
    devices = list(devices)
    width = max(len(d.name) for d in devices)
    lines = [f"  {'#':>3}  {'name':<{width}}  channels  default rate  host API"]
    for d in devices:
        mark = "*" if d.is_default else " "
        lines.append(f"{mark} {d.index:>3}  {d.name:<{width}}  {d.channels:>8}  {d.default_rate:>9.0f} Hz  {d.hostapi}")
    lines.append("* = default input; pick another with: coach record --device NUMBER")
    return "\n".join(lines)


def run_devices(args: argparse.Namespace) -> int:
    from coach.audio.devices import SoundCard, find_device

    devices = SoundCard().input_devices()
    find_device(devices, None)  # none at all: the same RecordingError as coach record
    print(describe_devices(devices))
    return EXIT_OK


# -- coach record ----------------------------------------------------------


def watch_enter(stop_event: threading.Event, stdin: TextIO | None = None) -> threading.Thread | None:
    """Set ``stop_event`` when Enter is pressed; only on a terminal.

    When stdin is not a TTY (a pipe, /dev/null, a CI job), nothing is watched:
    end of input there means nothing, and stopping on it would end every take
    at once. Returns the daemon thread, or None when there is no terminal.
    """
    stdin = stdin if stdin is not None else sys.stdin
    try:
        interactive = stdin is not None and stdin.isatty()
    except (ValueError, OSError):
        interactive = False
    if not interactive:
        return None

    def wait_for_enter() -> None:
        try:
            line = stdin.readline()
        except (ValueError, OSError):
            return
        if line:
            stop_event.set()

    thread = threading.Thread(target=wait_for_enter, name="coach-record-enter", daemon=True)
    thread.start()
    return thread


def _check_args(args: argparse.Namespace) -> None:
    if not args.seconds > 0:
        raise RecordingError(f"--seconds must be more than 0 (got {args.seconds:g}).")
    if args.stop_on_silence is not None and not args.stop_on_silence > 0:
        raise RecordingError(f"--stop-on-silence must be more than 0 seconds (got {args.stop_on_silence:g}).")
    if args.countdown < 0:
        raise RecordingError(f"--countdown must be 0 or more (got {args.countdown}).")
    if args.out is not None and Path(args.out).suffix.lower() != ".wav":
        raise RecordingError(f"--out {args.out}: the take is saved as a WAV file; give a name ending in .wav.")
    if args.out is not None and Path(args.out).is_dir():
        raise RecordingError(f"--out {args.out} is a folder; give a file name ending in .wav.")


def countdown(seconds: int, out: TextIO, sleep: Callable[[float], None] = time.sleep) -> None:
    """``Recording in 3... 2... 1...`` on ``out``, a second apart."""
    if seconds <= 0:
        return
    out.write("Recording in")
    for n in range(seconds, 0, -1):
        out.write(f" {n}...")
        out.flush()
        sleep(1.0)
    out.write("\n")
    out.flush()


def _load_model_in_background(analyzer) -> threading.Thread:
    """Load Whisper (and the acoustics' first-call costs) while the rep speaks.

    Only loading, not :meth:`Analyzer.warm_up`'s trial transcription, which
    can take far longer on a busy CPU: the thread is not a daemon (a daemon
    killed inside torch at exit aborts the process), so a take stopped with
    Ctrl-C waits for it before exiting, and that wait stays short.
    """

    def work() -> None:
        from coach.analysis import acoustics, windows

        try:
            acoustics.warm_up()
            _ = analyzer.model  # the property loads the model on first access
            windows.warm_whisper_dtw()
        except Exception:
            pass

    thread = threading.Thread(target=work, name="coach-load-model")
    thread.start()
    return thread


def _take_warnings(take) -> list[str]:
    from coach.audio.levels import SILENT_DBFS

    warnings = []
    if take.error:
        warnings.append(f"recording stopped early: {take.error}")
    if take.silent:
        warnings.append(
            f"the take is silent (never above {SILENT_DBFS:.0f} dBFS): check the microphone is unmuted "
            "and the right device is chosen (see: coach devices)."
        )
    if take.duration_s > 0 and take.clipped_s / take.duration_s > 0.01:
        warnings.append(
            f"{take.clipped_s:.1f} s of the take clipped (too loud): move back from the microphone "
            "or lower its input gain, then record again."
        )
    if take.overflows:
        warnings.append(
            f"the sound card dropped audio {take.overflows} time(s) because the computer was busy; "
            "the take may have small gaps."
        )
    return warnings


def _analyzer_for(args: argparse.Namespace):
    """The Analyzer to use, or None with --no-analyze; refuses a --seconds it could not analyse."""
    if not args.analyze:
        return None
    from coach.pipeline import get_analyzer

    config = analysis_config(args)
    if args.seconds > config.analysis.max_duration_s:
        raise RecordingError(
            f"--seconds {args.seconds:g} is longer than the longest take the coach analyses "
            f"({config.analysis.max_duration_s:g} s, analysis.max_duration_s); record less or use --no-analyze."
        )
    return get_analyzer(args.model, config)


def _live_transcript(args: argparse.Namespace, analyzer, settings):
    """The transcript of the take streamed while it is recorded, with the prompt its analysis will use."""
    from coach.analysis.streaming import LiveTranscript
    from coach.analysis.transcribe import initial_prompt

    prompt = initial_prompt(analyzer.config.rep, args.prospect or None)
    return LiveTranscript(lambda: analyzer.model, settings.sample_rate, prompt=prompt)


def _record(args: argparse.Namespace, card, settings, err: TextIO, live=None):
    """Record one take with the live meter; Enter (on a terminal) stops it. ``live`` gets the audio as it comes."""
    from coach.audio import recorder as rec
    from coach.cli.meter import LiveDisplay

    stop_event = threading.Event()
    on_terminal = watch_enter(stop_event) is not None
    how = "press Enter to stop" if on_terminal else f"stops after {args.seconds:g} s"
    if args.stop_on_silence:
        how += f" or after {args.stop_on_silence:g} s of silence"
    print(f"Recording: {how} (Ctrl-C stops and keeps the take).", file=err, flush=True)
    display = LiveDisplay(err, tty=err.isatty(), max_s=args.seconds, hint="Enter stops" if on_terminal else "")
    recorder = rec.Recorder(
        lambda: card.open(settings),
        sample_rate=settings.sample_rate,
        max_seconds=args.seconds,
        stop_on_silence_s=args.stop_on_silence,
        stop_event=stop_event,
        on_block=display.update,
        on_audio=live.feed if live is not None else None,
    )
    try:
        return recorder.run()
    finally:
        display.finish()


def _analyse_and_keep(
    args, analyzer, path: Path, script: str | None, take, settings, err: TextIO, live=None, stopped_at=None
) -> None:
    """Print the report of the saved take and store it in the history."""
    from coach.cli.text_report import render
    from coach.history.store import History

    try:
        report = analyzer.analyze(
            path,
            prospect=args.prospect,
            script=script,
            progress=lambda stage: print(f"{stage}...", file=err, flush=True),
            live=live,
        )
    finally:
        if live is not None:
            live.cancel()  # when the analysis failed before it took the streamed words
    print(render(report) + "\n", flush=True)
    if analyzer.model_load_s is not None:
        print(f"Whisper model {analyzer.model_name} loaded in {analyzer.model_load_s:.1f} s.", file=err)
    if stopped_at is not None:
        print(f"Report ready {time.perf_counter() - stopped_at:.1f} s after the take ended.", file=err)
    history = History()
    take_id = history.save_take(
        path,
        report,
        source="record",
        context={
            "prospect": args.prospect,
            "script": script,
            "device": settings.device.name,
            "device_rate_hz": settings.sample_rate,
            "channels": settings.channels,
            "stop_reason": take.stop_reason,
            "recording": str(path),
        },
    )
    print(f"Kept as take #{take_id} in the history ({history.data_dir}).", file=err)


def run(args: argparse.Namespace) -> int:
    from coach.audio import SAMPLE_RATE
    from coach.audio import recorder as rec
    from coach.audio.devices import SoundCard, choose_settings, find_device
    from coach.audio.pcm import write_wav
    from coach.history.store import default_take_path

    _check_args(args)
    err = sys.stderr
    script = read_script(args.script)
    analyzer = _analyzer_for(args)
    out_path = Path(args.out) if args.out else default_take_path()

    card = SoundCard()
    device = find_device(card.input_devices(), args.device, card.default_input_index())
    settings = choose_settings(device, card.check)
    mixed = ", stereo mixed to mono" if settings.channels == 2 else ""
    print(f"Microphone: {device.index} {device.name} ({settings.sample_rate} Hz{mixed})", file=err)

    loading = _load_model_in_background(analyzer) if analyzer is not None else None
    live = None
    try:
        try:
            countdown(args.countdown, err)
        except KeyboardInterrupt:
            print("\ncoach: stopped before recording started; nothing saved.", file=err)
            return EXIT_INTERRUPTED

        live = _live_transcript(args, analyzer, settings) if analyzer is not None else None
        take = _record(args, card, settings, err, live)
        stopped_at = time.perf_counter()
        if live is not None and (take.samples.size == 0 or take.stop_reason == rec.STOP_INTERRUPTED):
            live.cancel()
        if take.samples.size == 0:
            if take.error:
                raise RecordingError(take.error)
            print("coach: stopped before any sound was recorded; nothing saved.", file=err)
            return EXIT_INTERRUPTED if take.stop_reason == rec.STOP_INTERRUPTED else EXIT_FAILED

        write_wav(out_path, take.samples_16k(), SAMPLE_RATE)
        stopped = rec.STOP_LABELS.get(take.stop_reason, take.stop_reason)
        print(f"Saved {take.duration_s:.1f} s to {out_path} (stopped: {stopped}).", file=err)
        for warning in _take_warnings(take):
            print(f"Warning: {warning}", file=err)
        if take.stop_reason == rec.STOP_INTERRUPTED:
            print(f"Not analysed (Ctrl-C). To analyse it: coach analyze {out_path}", file=err)
            return EXIT_OK
        if analyzer is None:
            return EXIT_OK
        try:
            if loading is not None:
                loading.join()
                loading = None
            _analyse_and_keep(args, analyzer, out_path, script, take, settings, err, live, stopped_at)
        except KeyboardInterrupt:
            print(
                f"\ncoach: analysis interrupted; the take is kept at {out_path} (coach analyze {out_path}).", file=err
            )
            return EXIT_INTERRUPTED
        return EXIT_OK
    finally:
        # Every way out stops the streaming thread (a no-op once its words were taken) and waits for the
        # loader: a thread left importing torch breaks whatever runs next.
        if live is not None:
            live.cancel()
        if loading is not None:
            loading.join()
