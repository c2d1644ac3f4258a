"""The offline Whisper weights: CT2 reading, conversion to openai-whisper, loading, errors."""

from __future__ import annotations

import dataclasses
import shutil

import numpy as np
import pytest
import torch
import whisper

from coach.analysis import ct2, models
from coach.analysis.transcribe import transcribe
from coach.errors import ModelError


@pytest.fixture(scope="module")
def tiny_variables():
    files, _ = models.source_files(models.SOURCES["tiny.en"])
    return ct2.read_ct2(files)


def test_tiny_en_dimensions(tiny_variables):
    dims = ct2.whisper_dims(tiny_variables)
    assert dims == {
        "n_mels": 80,
        "n_audio_ctx": 1500,
        "n_audio_state": 384,
        "n_audio_head": 6,
        "n_audio_layer": 4,
        "n_vocab": 51864,
        "n_text_ctx": 448,
        "n_text_state": 384,
        "n_text_head": 6,
        "n_text_layer": 4,
    }


def test_state_dict_matches_whisper_layout_exactly(tiny_variables):
    dims = whisper.model.ModelDimensions(**ct2.whisper_dims(tiny_variables))
    expected = whisper.model.Whisper(dims).state_dict()
    converted = ct2.whisper_state_dict(tiny_variables)
    assert set(converted) == set(expected)
    for name, tensor in expected.items():
        assert tuple(converted[name].shape) == tuple(tensor.shape), name


def test_round_trip_refuses_to_the_original_tensors(tiny_variables):
    """Fusing q,k,v (k with a zero bias) back gives CT2's tensors bit for bit."""
    sd = ct2.whisper_state_dict(tiny_variables)
    for i in range(4):
        for side, cross in (("encoder", False), ("decoder", False), ("decoder", True)):
            if cross:
                src, dst = f"decoder/layer_{i}/attention", f"decoder.blocks.{i}.cross_attn"
                fused_w = np.concatenate([sd[f"{dst}.key.weight"], sd[f"{dst}.value.weight"]])
                fused_b = np.concatenate([np.zeros_like(sd[f"{dst}.value.bias"]), sd[f"{dst}.value.bias"]])
                original_w, original_b = (
                    tiny_variables[f"{src}/linear_1/weight"],
                    tiny_variables[f"{src}/linear_1/bias"],
                )
            else:
                src, dst = f"{side}/layer_{i}/self_attention", f"{side}.blocks.{i}.attn"
                fused_w = np.concatenate([sd[f"{dst}.{p}.weight"] for p in ("query", "key", "value")])
                fused_b = np.concatenate(
                    [sd[f"{dst}.query.bias"], np.zeros_like(sd[f"{dst}.query.bias"]), sd[f"{dst}.value.bias"]]
                )
                original_w, original_b = (
                    tiny_variables[f"{src}/linear_0/weight"],
                    tiny_variables[f"{src}/linear_0/bias"],
                )
            assert np.array_equal(fused_w, original_w)
            assert np.array_equal(fused_b, original_b)
    assert np.array_equal(sd["decoder.ln.weight"], tiny_variables["decoder/layer_norm/gamma"])


def test_loaded_model_has_config_alignment_heads_and_is_cached():
    model = models.load_model("tiny.en")
    heads = sorted(map(tuple, model.alignment_heads.to_dense().nonzero().tolist()))
    assert heads == [(1, 0), (2, 0), (2, 5), (3, 0), (3, 1), (3, 2), (3, 3), (3, 4)]
    assert models.load_model("tiny.en") is model
    assert next(model.parameters()).dtype == torch.float32


def test_converted_model_transcribes_speech(tmp_path):
    """Speech synthesised from text the model must read back (a real transcription)."""
    import soundfile as sf

    from factories.paths import SAMPLES

    audio, rate = sf.read(SAMPLES / "good_voicemail.wav", dtype="float32")
    assert rate == 16000
    text = transcribe(models.load_model("tiny.en"), audio).text.lower()
    assert "dana" in text


def test_bad_checksum_is_refused_before_converting(tmp_path, monkeypatch):
    files, config = models.source_files(models.SOURCES["tiny.en"])
    pkg = tmp_path / "fake_pkg"
    (pkg / "model").mkdir(parents=True)
    data = bytearray(files[0].read_bytes())
    data[-1] ^= 0xFF
    (pkg / "model" / "model.bin").write_bytes(bytes(data))
    shutil.copy(config, pkg / "model" / "config.json")
    (pkg / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("COACH_MODELS_DIR", str(tmp_path / "models"))
    source = dataclasses.replace(models.SOURCES["tiny.en"], package="fake_pkg")
    monkeypatch.setitem(models.SOURCES, "tiny.en", source)
    with pytest.raises(ModelError, match="checksum"):
        models.convert("tiny.en")
    assert not (tmp_path / "models" / "tiny.en.pt").exists()


def test_unknown_or_unbundled_model_names_explain_what_to_do():
    with pytest.raises(ModelError) as err:
        models.ensure_checkpoint("small")
    message = str(err.value)
    assert "not available offline" in message and "download" in message and "tiny.en" in message
    with pytest.raises(ModelError, match="No Whisper checkpoint"):
        models.load_model("/nonexistent/dir/model.pt")


def test_base_model_converts_when_installed():
    try:
        files, _ = models.source_files(models.SOURCES["base"])
    except ModelError as exc:
        pytest.skip(f"optional base weights not installed: {exc}")
    dims = ct2.whisper_dims(ct2.read_ct2(files))
    assert (dims["n_audio_layer"], dims["n_text_state"], dims["n_vocab"]) == (6, 512, 51865)


def test_a_checkpoint_loads_as_whisper_load_model_loads_it(tmp_path):
    # load_checkpoint skips the random weights whisper.load_model draws and overwrites; the model must come out the
    # same: every weight and buffer (positional embeddings, the causal mask, the default alignment heads).
    path = models.ensure_checkpoint("tiny.en")
    ours, stock = models.load_checkpoint(path), whisper.load_model(str(path), device="cpu")
    assert ours.dims == stock.dims
    ours_state, stock_state = ours.state_dict(), stock.state_dict()
    assert ours_state.keys() == stock_state.keys()
    assert all(torch.equal(ours_state[k], stock_state[k]) for k in ours_state)
    assert torch.equal(ours.decoder.mask, stock.decoder.mask)
    assert torch.equal(ours.alignment_heads.to_dense(), stock.alignment_heads.to_dense())
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    legacy = tmp_path / "legacy.pt"  # torch's old format, which cannot be memory-mapped, still loads
    torch.save(checkpoint, legacy, _use_new_zipfile_serialization=False)
    assert torch.equal(models.load_checkpoint(legacy).decoder.ln.weight, stock.decoder.ln.weight)
    del checkpoint["model_state_dict"]["decoder.ln.weight"]
    missing = tmp_path / "missing-weight.pt"
    torch.save(checkpoint, missing)
    with pytest.raises(RuntimeError, match="decoder.ln.weight"):
        models.load_checkpoint(missing)
