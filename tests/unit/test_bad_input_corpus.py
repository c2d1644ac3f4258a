"""Every kind of bad input in the corpus (:mod:`factories.bad_input`) through ``coach analyze``'s per-file path.

:func:`coach.cli.analyze.analyse_file` up to the acoustic measurements (no
Whisper): one JSON line naming the file, and either the expected length
(within 0.1 s, and within 0.1 s of the oracle) or the expected typed error
with a message that names the file and says what is wrong.
"""

from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from coach.audio.decode import display_name, load_audio
from coach.cli.analyze import analyse_file
from coach.config import load_config
from coach.pipeline import Analyzer
from factories.audio_factory import write
from factories.bad_input import BadInput, build_corpus, oracle_length, speech
from factories.paths import ROOT

TOLERANCE_S = 0.1


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, BadInput]:
    items = build_corpus(tmp_path_factory.mktemp("bad_input"), include_long=False)
    return {item.kind: item for item in items}


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer("tiny.en", load_config(ROOT / "coach" / "defaults.toml"))


def test_the_corpus_has_every_kind_the_issue_names(corpus: dict[str, BadInput]) -> None:
    named = {
        "MP3 without its Xing frame",
        "float WAV with one NaN sample",
        "long non-ASCII name",
        "WAV data size 0",
        "MP3 whose Xing frame count is damaged",
        "WAV 0 bits per sample",
        "symlink loop",
        "WAV data size declaring 2 s of 21.75 s",
    }
    assert named <= set(corpus)
    assert len(corpus) >= 55


def _kinds() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        return [item.kind for item in build_corpus(Path(folder), include_long=False)]


@pytest.mark.parametrize("kind", _kinds())
def test_bad_input_gives_one_line_and_the_expected_outcome(kind: str, corpus: dict[str, BadInput], analyzer) -> None:
    item = corpus[kind]
    result = analyse_file(analyzer, item.path, measure_only=True)
    line = result.json_line()
    assert "\n" not in line
    data = json.loads(line)
    name = display_name(item.path)
    assert data["file"] == name
    if item.error is not None:
        assert result.error is not None, f"{kind}: analysed ({data}), expected {item.error}"
        message = result.error.to_dict()["message"]
        assert data["error"]["type"] == item.error, message
        assert name in message
        for word in item.says:
            assert word.lower() in message.lower(), message
        for word in item.never_says:
            assert word.lower() not in message.lower(), message
    else:
        assert result.error is None, f"{kind}: {result.error}"
        assert item.length_s is not None
        assert data["duration_s"] == pytest.approx(item.length_s, abs=TOLERANCE_S)
        oracle = None if "oracle disagrees" in item.tags else oracle_length(item.path)
        if oracle is not None:
            assert data["duration_s"] == pytest.approx(oracle, abs=TOLERANCE_S)


def test_a_4_min_50_s_take_is_decoded_in_memory_bounded_by_its_16_khz_size(tmp_path: Path) -> None:
    """48 kHz stereo 16-bit (55.7 MB of samples): decoding keeps little more than the 16 kHz mono output."""
    data, rate = speech(rate=48000)
    seconds = 290
    mono = np.tile(data, int(np.ceil(seconds * rate / len(data))))[: seconds * rate]
    path = write(tmp_path / "long.wav", np.stack([mono, 0.5 * mono], axis=1), rate)
    del mono, data
    tracemalloc.start()
    audio = load_audio(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    output = audio.samples.nbytes
    assert audio.duration_s == pytest.approx(seconds, abs=0.01)
    assert output == seconds * 16000 * 4
    assert peak < 2.5 * output, f"peak {peak / 1e6:.0f} MB for {output / 1e6:.0f} MB of output"
