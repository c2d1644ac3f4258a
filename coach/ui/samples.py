"""The sample voicemails shipped in ``sample_audio/`` (described by its manifest.json)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_audio"


@dataclass(frozen=True)
class Sample:
    path: Path
    title: str
    description: str
    prospect: str | None
    script: str | None
    shows: tuple[str, ...]
    duration_s: float | None


def load_samples(folder: Path = SAMPLE_DIR) -> list[Sample]:
    """The samples listed in ``folder/manifest.json`` whose audio exists (none if no manifest)."""
    manifest = folder / "manifest.json"
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    samples = []
    for entry in entries if isinstance(entries, list) else []:
        path = folder / str(entry.get("file", ""))
        if not entry.get("file") or not path.is_file():
            continue
        script = None
        if entry.get("script"):
            try:
                script = (folder / entry["script"]).read_text(encoding="utf-8").strip() or None
            except OSError:
                script = None
        samples.append(
            Sample(
                path=path,
                title=path.stem.replace("_", " ").capitalize(),
                description=str(entry.get("description", "")),
                prospect=entry.get("prospect") or None,
                script=script,
                shows=tuple(entry.get("designed_to_show") or ()),
                duration_s=entry.get("duration_s"),
            )
        )
    return samples
