"""Whisper's decoder step reading half the bytes: the same products as ``whisper.decoding.PyTorchInference``.

On the CPU a decoder step is bound by the bytes it reads, not by its
arithmetic: for tiny.en the logits product alone reads the 51,864 x 384
token embedding (80 MB as float32) for every token, the four layers another
33 MB of weights. The bundled weights are float16 values (CTranslate2 stores
them so; :mod:`coach.analysis.ct2` widens them to float32), so a float16
copy of them is not a rounding: it is the same numbers in half the bytes.
fbgemm's float16 product (``quantized::linear_dynamic_fp16``, part of
PyTorch) widens each weight to float32 in registers and sums in float32, so
its results are the float32 products up to the order of the sums (at most
4e-5 in a logit of tiny.en; ``test_lean_decoder_gives_whispers_logits_step_by_step``
in tests/integration/test_fast_decoding.py).

:class:`LeanInference` is a drop-in for whisper's ``PyTorchInference`` (the
object ``DecodingTask`` asks for each step's logits):

1. **Every decoder product reads float16 weights** where they are float16
   values (:class:`_Linear`; a weight that is not, as in a user's own
   float32 checkpoint, stays a float32 product).
2. **One projection for query, key and value**, and a key/value cache
   written in place rather than grown by ``torch.cat`` in forward hooks;
   the cross-attention keys and values are computed once per window, as in
   Whisper.

The arithmetic of each layer is Whisper's (``whisper.model.ResidualAttentionBlock``
with ``scaled_dot_product_attention``). Measured on the 2-core development
machine (cProfile of the bench's 30 s take): a tiny.en step 12-15 ms with
Whisper's, about 7-8 ms with this one. ``tests/integration/test_fast_decoding.py`` checks the
words and times against stock Whisper on the samples and the real-speech clips.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import torch
import torch.nn.functional as F

_LOCK = threading.Lock()


class _Linear:
    """``x @ weight.T + bias`` over float16 weights where that loses nothing, else over a float32 copy."""

    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        weight = weight.detach().float()
        self.bias = None if bias is None else bias.detach().float()
        lossless = torch.equal(weight.half().float(), weight)
        self.packed = torch.ops.quantized.linear_prepack_fp16(weight, self.bias) if lossless else None
        self.weight_t = torch.empty(0) if lossless else weight.t().contiguous()

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        if self.packed is not None:
            return torch.ops.quantized.linear_dynamic_fp16(x, self.packed)
        out = x @ self.weight_t
        return out if self.bias is None else out + self.bias


class LeanDecoder:
    """The weights of ``model``'s text decoder laid out for :class:`LeanInference` (built once per model)."""

    def __init__(self, model) -> None:
        decoder = model.decoder
        self.n_head = model.dims.n_text_head
        self.n_state = model.dims.n_text_state
        self.n_ctx = model.dims.n_text_ctx

        def ln(norm) -> tuple[torch.Tensor, torch.Tensor]:
            return norm.weight.detach(), norm.bias.detach()

        def linear(module) -> _Linear:
            return _Linear(module.weight, module.bias)

        self.layers = []
        for block in decoder.blocks:
            attn, cross = block.attn, block.cross_attn
            qkv_bias = torch.cat([attn.query.bias, torch.zeros_like(attn.query.bias), attn.value.bias])
            self.layers.append(
                {
                    "attn_ln": ln(block.attn_ln),
                    "qkv": _Linear(torch.cat([attn.query.weight, attn.key.weight, attn.value.weight]), qkv_bias),
                    "out": linear(attn.out),
                    "cross_ln": ln(block.cross_attn_ln),
                    "cross_query": linear(cross.query),
                    "cross_key": cross.key,
                    "cross_value": cross.value,
                    "cross_out": linear(cross.out),
                    "mlp_ln": ln(block.mlp_ln),
                    "mlp1": linear(block.mlp[0]),
                    "mlp2": linear(block.mlp[2]),
                }
            )
        self.ln = ln(decoder.ln)
        self.positional = decoder.positional_embedding.detach()
        self.embedding = decoder.token_embedding.weight.detach()
        self.logits = _Linear(self.embedding, None)

    def heads(self, x: torch.Tensor) -> torch.Tensor:
        batch, length, _ = x.shape
        return x.view(batch, length, self.n_head, -1).permute(0, 2, 1, 3)

    def hidden(self, tokens: torch.Tensor, state: _State) -> torch.Tensor:
        """The final hidden state (after ``ln``) of ``tokens`` following the ``state.offset`` tokens before them."""
        batch, length = tokens.shape
        n, at = self.n_state, state.offset
        x = self.embedding[tokens] + self.positional[at : at + length]

        def project(linear: _Linear, h: torch.Tensor) -> torch.Tensor:
            return linear(h.reshape(batch * length, -1)).view(batch, length, -1)

        def merged(a: torch.Tensor) -> torch.Tensor:
            return a.permute(0, 2, 1, 3).reshape(batch, length, n)

        for layer, (keys, values), (cross_k, cross_v) in zip(self.layers, state.cache, state.cross, strict=True):
            q, k, v = project(layer["qkv"], F.layer_norm(x, (n,), *layer["attn_ln"])).split(n, dim=-1)
            keys[:, at : at + length] = k
            values[:, at : at + length] = v
            a = F.scaled_dot_product_attention(
                self.heads(q),
                self.heads(keys[:, : at + length]),
                self.heads(values[:, : at + length]),
                is_causal=length > 1,
            )
            x = x + project(layer["out"], merged(a))
            q = project(layer["cross_query"], F.layer_norm(x, (n,), *layer["cross_ln"]))
            x = x + project(layer["cross_out"], merged(F.scaled_dot_product_attention(self.heads(q), cross_k, cross_v)))
            h = F.gelu(project(layer["mlp1"], F.layer_norm(x, (n,), *layer["mlp_ln"])))
            x = x + project(layer["mlp2"], h)
        state.offset = at + length
        return F.layer_norm(x, (n,), *self.ln)


class _State:
    """One decoding's caches: the self-attention keys and values so far, the cross-attention's, the position."""

    def __init__(self, lean: LeanDecoder, features: torch.Tensor, batch: int) -> None:
        # One row per sequence (beam search decodes several over one window's features, broadcast as in Whisper).
        shape = (batch, lean.n_ctx, lean.n_state)
        self.cache = [(torch.empty(shape), torch.empty(shape)) for _ in lean.layers]
        self.cross = [  # heads first and contiguous: the attention of one token over 1500 frames reads them in order
            (
                lean.heads(layer["cross_key"](features)).contiguous(),
                lean.heads(layer["cross_value"](features)).contiguous(),
            )
            for layer in lean.layers
        ]
        self.offset = 0


def lean_decoder(model) -> LeanDecoder:
    """``model``'s :class:`LeanDecoder`, built on first use and kept on the model."""
    with _LOCK:
        lean = getattr(model, "_coach_lean", None)
        if lean is None:
            lean = LeanDecoder(model)
            model._coach_lean = lean
        return lean


class Cancelled(Exception):
    """A decoding given up because its result was no longer wanted (see :func:`cancellable`)."""


_CANCEL = threading.local()


@contextmanager
def cancellable(wanted_no_more: Callable[[], bool]) -> Iterator[None]:
    """Decodings in this thread, inside the block, stop with :class:`Cancelled` at the first step at which
    ``wanted_no_more()`` is true (the streamed take's last chunk transcribed ahead, when the rep speaks again)."""
    previous = getattr(_CANCEL, "check", None)
    _CANCEL.check = wanted_no_more
    try:
        yield
    finally:
        _CANCEL.check = previous


class LeanInference:
    """``whisper.decoding.Inference`` for one ``DecodingTask``: the logits of each step (module doc)."""

    def __init__(self, model) -> None:
        self.lean = lean_decoder(model)
        self.state: _State | None = None

    def logits(self, tokens: torch.Tensor, audio_features: torch.Tensor) -> torch.Tensor:
        check = getattr(_CANCEL, "check", None)
        if check is not None and check():
            raise Cancelled
        if self.state is None:  # the first call: the start tokens (and the prompt) at once
            self.state = _State(self.lean, audio_features.float(), tokens.shape[0])
        else:  # then the newest token alone, as PyTorchInference does
            tokens = tokens[:, -1:]
        h = self.lean.hidden(tokens, self.state)
        batch, length, n = h.shape
        return self.lean.logits(h.reshape(batch * length, n)).view(batch, length, -1)

    def rearrange_kv_cache(self, source_indices) -> None:
        if self.state is not None and source_indices != list(range(len(source_indices))):
            index = torch.tensor(source_indices)
            self.state.cache = [(k[index], v[index]) for k, v in self.state.cache]

    def cleanup_caching(self) -> None:
        self.state = None


def decode(model, features: torch.Tensor, options):
    """``model.decode(features, options)`` for one window's encoder output, with :class:`LeanInference`."""
    from whisper.decoding import DecodingTask

    with torch.no_grad():
        task = DecodingTask(model, options)
        task.inference = LeanInference(model)
        if hasattr(task.decoder, "inference"):  # beam search rearranges the caches through it
            task.decoder.inference = task.inference
        return task.run(features.unsqueeze(0))[0]
