"""The caps on a recording before it is decoded: its size ([analysis] max_file_mb) and its stated length.

The size cap is checked on the file's size alone, before a byte of it is
read: by load_audio (``coach analyze``, the app's pipeline), by ``coach
batch`` before a file is hashed or sent to a worker, and by the app's upload
before the bytes are written anywhere. The length cap reads the header
(a WAV's data size, a FLAC's or M4A's stated duration) before decoding, with
the decoder's own stop past ``max_duration_s`` as the backstop.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from coach.audio import decode
from coach.audio.decode import check_file_size, load_audio
from coach.batch import run_batch
from coach.cli import main
from coach.cli.common import EXIT_FAILED
from coach.config import config_from_text, default_config
from coach.errors import MEGABYTE, ConfigError, TooLargeError, TooLongError
from coach.history.store import History
from factories.audio_factory import tone, write
from factories.paths import ROOT


def _wav(tmp_path: Path, seconds: float = 2.0, name: str = "take.wav") -> Path:
    return write(tmp_path / name, tone(220.0, seconds, 16000), 16000)


def _limit_mb(size_bytes: int) -> float:
    """A max_file_mb whose limit in bytes is exactly ``size_bytes``."""
    return size_bytes / MEGABYTE


def _no_decoding(monkeypatch) -> list[str]:
    """Every decoder, and the file's first read, recorded if called (the test asserts none is)."""
    called: list[str] = []
    for fn in ("_decode_wav", "_decode_pyav", "_decode_soundfile", "sniff"):

        def spy(*args, _fn=fn, **kwargs):
            called.append(_fn)
            raise AssertionError(f"{_fn} was called")

        monkeypatch.setattr(decode, fn, spy)
    return called


# -- the setting ---------------------------------------------------------------------


def test_the_size_cap_is_a_checked_setting_and_matches_streamlits_upload_limit() -> None:
    assert default_config().analysis.max_file_mb == 100.0
    streamlit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert streamlit["server"]["maxUploadSize"] == default_config().analysis.max_file_mb
    assert config_from_text("[analysis]\nmax_file_mb = 12.5\n").analysis.max_file_mb == 12.5
    for bad in ("0", "-1", '"big"', "true"):
        with pytest.raises(ConfigError, match=r"analysis\.max_file_mb must be a number of megabytes"):
            config_from_text(f"[analysis]\nmax_file_mb = {bad}\n")


# -- the size cap ----------------------------------------------------------------------


def test_a_file_one_byte_over_the_cap_is_refused_before_anything_is_read(tmp_path: Path, monkeypatch) -> None:
    path = _wav(tmp_path, name="long take.wav")
    size = path.stat().st_size
    called = _no_decoding(monkeypatch)
    with pytest.raises(TooLargeError) as info:
        load_audio(path, max_file_mb=_limit_mb(size - 1))
    assert called == []
    message = str(info.value)
    assert "long take.wav" in message and f"{size:,} bytes" in message and f"{size - 1:,} bytes" in message
    assert "max_file_mb" in message and "MP3" in message
    assert info.value.to_dict()["type"] == "too_large"


def test_a_file_exactly_at_the_cap_is_decoded(tmp_path: Path) -> None:
    path = _wav(tmp_path)
    audio = load_audio(path, max_file_mb=_limit_mb(path.stat().st_size))
    assert audio.duration_s == pytest.approx(2.0, abs=0.01)


def test_the_size_message_reads_in_megabytes_when_well_over() -> None:
    with pytest.raises(TooLargeError) as info:
        check_file_size("big.wav", 250 * MEGABYTE, 100.0)
    assert "big.wav is 250.0 MB; the largest recording the coach accepts is 100 MB." in str(info.value)
    check_file_size("ok.wav", 100 * MEGABYTE, 100.0)


def test_the_pipeline_applies_the_configured_cap(tmp_path: Path, monkeypatch) -> None:
    from coach.pipeline import Analyzer

    path = _wav(tmp_path)
    size = path.stat().st_size
    config = config_from_text(f"[analysis]\nmax_file_mb = {_limit_mb(size - 1)!r}\n")
    called = _no_decoding(monkeypatch)
    with pytest.raises(TooLargeError):
        Analyzer("tiny.en", config).measure(path)
    assert called == []


def test_coach_analyze_refuses_an_oversized_file_and_says_why(tmp_path: Path, monkeypatch, capsys) -> None:
    path = _wav(tmp_path, name="huge.wav")
    settings = tmp_path / "coach.toml"
    settings.write_text(f"[analysis]\nmax_file_mb = {_limit_mb(path.stat().st_size - 1)!r}\n")
    called = _no_decoding(monkeypatch)
    assert main(["analyze", str(path), "--config", str(settings)]) == EXIT_FAILED
    assert called == []
    out = capsys.readouterr().out
    assert "huge.wav" in out and "max_file_mb" in out and "Traceback" not in out


def test_coach_batch_refuses_an_oversized_file_before_hashing_or_analysing_it(tmp_path: Path, monkeypatch) -> None:
    import coach.batch as batch
    from coach.cli.analyze import FileResult
    from coach.errors import AudioError

    folder = tmp_path / "team"
    folder.mkdir()
    _wav(folder, seconds=3.0, name="big.wav")
    small = _wav(folder, seconds=2.0, name="small.wav")
    config = config_from_text(f"[analysis]\nmax_file_mb = {_limit_mb(small.stat().st_size)!r}\n")
    hashed: list[str] = []
    real_sha = batch.file_sha256

    def sha_spy(path):
        hashed.append(Path(path).name)
        return real_sha(path)

    sent: list[str] = []

    def analyse_spy(jobs, **kwargs):  # what would go to the workers
        for job in jobs:
            sent.append(job.path.name)
            yield job.index, FileResult(job.name, error=AudioError(f"{job.name}: stopped here by the test"))

    monkeypatch.setattr(batch, "file_sha256", sha_spy)
    monkeypatch.setattr(batch, "analyse_many", analyse_spy)
    outcome = run_batch([folder], History(tmp_path / "data"), config, workers=1)
    by_name = {Path(r.item.name).name: r for r in outcome.results}
    assert by_name["big.wav"].failed and isinstance(by_name["big.wav"].error, TooLargeError)
    assert "max_file_mb" in str(by_name["big.wav"].error)
    assert hashed == ["small.wav"] and sent == ["small.wav"]


# -- the length cap from the header -----------------------------------------------------


@pytest.mark.parametrize("ext", [".wav", ".flac", ".m4a", ".ogg"])
def test_a_file_whose_header_states_more_than_the_limit_is_refused_before_decoding(
    tmp_path: Path, monkeypatch, ext: str
) -> None:
    path = write(tmp_path / f"ramble{ext}", tone(220.0, 3.0, 16000), 16000)
    blocks: list[int] = []
    real_add = decode._Sink.add

    def add_spy(self, mono, rate):
        blocks.append(mono.size)
        return real_add(self, mono, rate)

    monkeypatch.setattr(decode._Sink, "add", add_spy)
    with pytest.raises(TooLongError) as info:
        load_audio(path, max_duration_s=2.5)
    assert blocks == []  # refused from the header: not one block decoded
    message = str(info.value)
    assert f"ramble{ext}" in message and "3 s long" in message and "max_duration_s" in message
    # Just under the limit (within the decoder's quarter-second allowance): decoded.
    assert load_audio(path, max_duration_s=2.8).duration_s == pytest.approx(3.0, abs=0.06)


def test_a_header_that_states_no_length_is_stopped_by_the_decoder_past_the_limit(tmp_path: Path) -> None:
    path = write(tmp_path / "ramble.mp3", tone(220.0, 6.0, 16000), 16000)
    with pytest.raises(TooLongError) as info:
        load_audio(path, max_duration_s=2.0)
    assert "ramble.mp3 is longer than the limit of 2 s" in str(info.value)
