"""librosa, imported with numba's compiled code cached in a per-user folder.

librosa compiles numba code as its modules load. In a fresh process, importing
:mod:`coach.analysis.acoustics`, its ``warm_up()`` and a first resample took
42 s (16 s of CPU) with an empty cache and 4.5-5 s (2.1 s of CPU) from the
cache, on the busy 2-core development machine. numba caches only where it may
write, so this module points ``NUMBA_CACHE_DIR`` at
``~/.cache/voicemail-coach/numba`` (or a per-user folder in the system's temp
folder when that cannot be written) before librosa is imported; a
``NUMBA_CACHE_DIR`` already set is kept. If numba is already loaded (Whisper
imports it), its configuration is re-read so the folder still applies.

Import librosa as ``from coach.audio.dsp import librosa``, and only where it is
needed: modules that ``coach --help`` loads must not import it.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import tempfile
from pathlib import Path

CACHE_ENV = "NUMBA_CACHE_DIR"


def numba_cache_dir() -> Path:
    """``$NUMBA_CACHE_DIR``, else ``~/.cache/voicemail-coach/numba``, else a per-user temp folder."""
    configured = os.environ.get(CACHE_ENV)
    if configured:
        return Path(configured)
    candidates = []
    with contextlib.suppress(RuntimeError):  # RuntimeError: no home folder
        candidates.append(Path.home() / ".cache" / "voicemail-coach" / "numba")
    candidates.append(Path(tempfile.gettempdir()) / f"voicemail-coach-numba-{_user()}")
    for folder in candidates:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(folder, os.W_OK):
            return folder
    return candidates[-1]


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "user"


def _use_cache_dir() -> None:
    os.environ[CACHE_ENV] = str(numba_cache_dir())
    numba_config = sys.modules.get("numba.core.config")
    if numba_config is not None:  # numba already imported (Whisper imports it): re-read the environment
        numba_config.reload_config()


_use_cache_dir()

import librosa  # noqa: E402  (after the cache folder is set)

__all__ = ["librosa", "numba_cache_dir"]
