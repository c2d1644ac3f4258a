"""Many recordings at once: gather them (files, folders, ZIP archives), find each one's rep, analyse them
with a pool of workers, keep the results in the history. ``coach batch`` and the app's Review tab both
call :func:`run_batch`; nothing else analyses a batch.

Gathering (:func:`gather`):

- a file is taken as given; a folder is searched recursively for audio
  files (:data:`AUDIO_SUFFIXES`); a ``.zip`` is checked whole before anything
  is extracted (:func:`extract_zip`) and then read like a folder.
- the rep of each file comes from, in order: a mapping CSV (``--reps``), a
  file-name pattern (``--rep-from "{rep}_*.wav"``), the folder layout (the
  first folder under the one given, or under the archive's top folder, is
  the rep's), then the default rep (``--rep-name``, else ``[rep] name``).
  A take with none is "unassigned", never dropped.

Analysing (:func:`analyse_many`): N worker processes (default one per core),
each loading the Whisper model once (one :class:`~coach.pipeline.Analyzer`
per process), results streamed back as they finish. ``workers=1`` analyses
in this process (the app passes its warmed-up Analyzer). With a
``scheduler`` address the files go to a Dask distributed cluster instead
(:func:`_analyse_on_dask`): each recording's bytes travel with its task (the
workers need no shared folder), a worker plugin (:class:`AnalyzerPlugin`)
loads the model once per worker, and the results come back here to be kept
by the same code as the local pool's. Each file succeeds or fails on its own
(:func:`coach.cli.analyze.analyse_file`).

Keeping (:func:`run_batch`): each recording is keyed by the SHA-256 of its
bytes. One already in the history is skipped (``force`` analyses it again and
replaces the take's machine result, keeping notes and overrides); the same
bytes twice in one batch are analysed once. Each result is committed as it
arrives, so a batch killed at any moment loses only the files in flight, and
running it again finishes the rest: nothing lost or doubled.
"""

from __future__ import annotations

import concurrent.futures as cf
import copyreg
import csv
import fnmatch
import multiprocessing
import os
import re
import shutil
import stat
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from multiprocessing.reduction import ForkingPickler
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import TYPE_CHECKING

from coach.errors import CoachError, ConfigError, FileNotFoundCoachError, HistoryError
from coach.history.migrations import file_sha256
from coach.report import RepProfile

if TYPE_CHECKING:
    from coach.cli.analyze import FileResult
    from coach.config import Config
    from coach.history.store import History
    from coach.pipeline import Analyzer

#: What a folder or archive is searched for (a file given by name is always tried).
AUDIO_SUFFIXES = frozenset({".wav", ".mp3", ".m4a", ".mp4", ".aac", ".ogg", ".oga", ".opus", ".flac", ".webm"})
#: Where a result came from: analysed now, already in the history, the same bytes earlier in this batch, or failed.
STATUSES = ("analysed", "skipped", "duplicate", "failed")


class ArchiveError(CoachError):
    """A ZIP archive the coach refuses to open (hostile or broken); nothing of it was extracted."""

    kind = "archive_error"


# -- gathering -------------------------------------------------------------------


@dataclass(frozen=True)
class BatchItem:
    """One recording of a batch: where it is, how it is named in messages, whose it is."""

    path: Path
    name: str
    rep: str | None = None


@dataclass
class Gathered:
    """What :func:`gather` found: the recordings, and the inputs it could not read (name, error)."""

    items: list[BatchItem] = field(default_factory=list)
    failures: list[tuple[str, CoachError]] = field(default_factory=list)
    #: Files in folders or archives that are not audio (by suffix), left out.
    ignored: int = 0


class RepRules:
    """Whose is a file: a mapping CSV, a file-name pattern, the folder layout, then a default."""

    def __init__(
        self, *, pattern: str | None = None, mapping: dict[str, str] | None = None, default: str | None = None
    ) -> None:
        self.pattern = pattern
        self._regex = _pattern_regex(pattern) if pattern else None
        self.mapping = {k.replace("\\", "/").casefold(): v for k, v in (mapping or {}).items()}
        self.default = (default or "").strip() or None

    def rep_for(self, relative: PurePosixPath, folder_rep: str | None) -> str | None:
        """The rep of a file at ``relative`` (to the folder or archive given); ``folder_rep`` from the layout."""
        if self.mapping:
            for key in (relative.as_posix().casefold(), relative.name.casefold()):
                if key in self.mapping:
                    return self.mapping[key] or None
        if self._regex is not None:
            target = relative.as_posix() if "/" in (self.pattern or "") else relative.name
            found = self._regex.fullmatch(target)
            if found and found.group("rep").strip():
                return found.group("rep").strip()
        return folder_rep or self.default


def _pattern_regex(pattern: str) -> re.Pattern[str]:
    """``{rep}_*.wav`` -> a regex with a ``rep`` group; ``*`` and ``?`` as in the shell."""
    if pattern.count("{rep}") != 1:
        raise ConfigError(f'--rep-from {pattern!r} must contain {{rep}} exactly once, e.g. "{{rep}}_*.wav".')
    before, after = pattern.split("{rep}")

    def glob(part: str) -> str:
        return fnmatch.translate(part).removeprefix("(?s:").removesuffix(")\\Z")

    return re.compile(f"(?s:{glob(before)}(?P<rep>[^/]+?){glob(after)})", re.IGNORECASE)


def read_rep_mapping(path: str | Path) -> dict[str, str]:
    """A CSV with columns ``file`` and ``rep`` (header required): file name or relative path -> rep."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            fields = [f.strip().lower() for f in reader.fieldnames or []]
            if "file" not in fields or "rep" not in fields:
                raise ConfigError(
                    f"{path}: the rep mapping needs a header row with the columns file and rep "
                    f"(found: {', '.join(fields) or 'nothing'})."
                )
            mapping = {}
            for row in reader:
                clean = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
                if clean.get("file"):
                    mapping[clean["file"]] = clean.get("rep", "")
    except FileNotFoundError:
        raise ConfigError(f"{path}: rep mapping file not found.") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read the rep mapping ({exc}); give a UTF-8 CSV file.") from None
    return mapping


@dataclass(frozen=True)
class ZipLimits:
    """How much an archive may unpack to (``[batch]`` settings)."""

    max_bytes: int
    max_members: int

    @classmethod
    def from_config(cls, config: Config) -> ZipLimits:
        return cls(int(config.batch["zip_max_mb"] * 1024 * 1024), int(config.batch["zip_max_members"]))


def extract_zip(archive: Path, dest: Path, limits: ZipLimits) -> Path:
    """Check ``archive`` whole, then extract its files under ``dest`` (a temporary folder); returns ``dest``.

    Refused before anything is written (:class:`ArchiveError`): not a ZIP,
    a member path that is absolute or climbs out (``..``), a link, an
    encrypted member, more members or more uncompressed bytes than
    ``limits``. While extracting, a member that inflates past the size its
    header declares is a zip bomb too, and stops everything.
    """
    label = archive.name
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{label}: not a readable ZIP archive ({exc}). Give a .zip made by a zip tool.") from None
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        if len(infos) > limits.max_members:
            raise ArchiveError(
                f"{label}: has {len(infos)} files, more than the limit of {limits.max_members} "
                "([batch] zip_max_members). Split it into smaller archives."
            )
        total = sum(i.file_size for i in infos)
        if total > limits.max_bytes:
            raise ArchiveError(
                f"{label}: would unpack to {total / 1e6:,.0f} MB, more than the limit of "
                f"{limits.max_bytes / 1e6:,.0f} MB ([batch] zip_max_mb); it may be a zip bomb. "
                "Split it, or raise the limit if you trust it."
            )
        targets = []
        for info in infos:
            targets.append((info, _safe_member_path(label, info, dest)))
        written = 0
        for info, target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with zf.open(info) as src, open(target, "wb") as out:
                    member = 0
                    for block in iter(lambda: src.read(1 << 20), b""):
                        member += len(block)
                        written += len(block)
                        if member > info.file_size or written > limits.max_bytes:
                            raise ArchiveError(
                                f"{label}: {info.filename} unpacks to more than its header says (a zip bomb); "
                                "nothing from this archive is analysed."
                            )
                        out.write(block)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
                raise ArchiveError(
                    f"{label}: {info.filename} cannot be unpacked ({exc}); the archive is damaged. "
                    "Make it again with a zip tool."
                ) from None
            except OSError as exc:
                raise ArchiveError(
                    f"{label}: cannot unpack {info.filename} into a temporary folder ({exc.strerror or exc}); "
                    "check the free disk space."
                ) from None
    return dest


def _safe_member_path(label: str, info: zipfile.ZipInfo, dest: Path) -> Path:
    name = info.filename
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        raise ArchiveError(f"{label}: {name} is a link; archives with links are refused (they can point anywhere).")
    if info.flag_bits & 0x1:
        raise ArchiveError(f"{label}: {name} is encrypted; give an archive without a password.")
    text = name.replace("\\", "/")
    parts = PurePosixPath(text).parts
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text) or not parts:
        raise ArchiveError(f"{label}: {name} has an absolute path; archives must hold relative paths only.")
    if ".." in parts:
        raise ArchiveError(f"{label}: {name} climbs out of the archive (..); the archive is refused.")
    target = dest.joinpath(*[p for p in parts if p not in ("", ".")])
    if not target.resolve().is_relative_to(dest.resolve()):
        raise ArchiveError(f"{label}: {name} would be written outside the archive's folder; the archive is refused.")
    return target


def gather(
    inputs: Sequence[str | os.PathLike],
    rules: RepRules,
    *,
    scratch: Path,
    limits: ZipLimits,
    names: dict[str, str] | None = None,
) -> Gathered:
    """Every recording under ``inputs`` with its rep; archives are extracted under ``scratch``.

    ``names`` maps an input path to the name to show for it (the app's
    uploads are saved under safe temporary names).
    """
    found = Gathered()
    for index, given in enumerate(inputs):
        path = Path(given)
        label = (names or {}).get(str(given), str(given))
        if path.is_dir():
            _walk(path, label, rules, found)
        elif path.suffix.lower() == ".zip" and path.is_file():
            dest = scratch / f"zip-{index}"
            try:
                extract_zip(path, dest, limits)
            except ArchiveError as exc:
                shutil.rmtree(dest, ignore_errors=True)
                found.failures.append((label, exc))
                continue
            _walk(_single_top(dest), label, rules, found, in_archive=True)
        elif path.is_file():
            shown = PurePosixPath(label.replace("\\", "/")).name
            found.items.append(BatchItem(path, shown, rules.rep_for(PurePosixPath(shown), None)))
        else:
            found.failures.append((label, FileNotFoundCoachError(f"{label}: no such file or folder; check the path.")))
    return found


def _single_top(folder: Path) -> Path:
    """An archive of one folder (``team.zip`` -> ``team/alex/...``) is read from inside that folder."""
    entries = [p for p in folder.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return folder


def _walk(root: Path, label: str, rules: RepRules, found: Gathered, *, in_archive: bool = False) -> None:
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__MACOSX")
        for file in sorted(files):
            path = Path(here) / file
            if file.startswith(".") or path.is_symlink():
                continue
            if path.suffix.lower() not in AUDIO_SUFFIXES:
                found.ignored += 1
                continue
            relative = PurePosixPath(path.relative_to(root).as_posix())
            folder_rep = relative.parts[0] if len(relative.parts) > 1 else None
            shown = f"{label}:{relative}" if in_archive else str(PurePosixPath(label) / relative)
            found.items.append(BatchItem(path, shown, rules.rep_for(relative, folder_rep)))


# -- analysing ---------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One file for a worker: its index in the batch, its path, its name and the rep's profile."""

    index: int
    path: Path
    name: str
    rep: RepProfile
    prospect: str | None = None
    script: str | None = None


_WORKER: Analyzer | None = None
_WORKER_ERROR: CoachError | None = None


def _read_only(data: dict) -> MappingProxyType:
    return MappingProxyType(data)


def _reduce_mapping(proxy: MappingProxyType) -> tuple:
    return _read_only, (dict(proxy),)


# The settings (read-only tables) travel to the worker processes by pickle (the pool's and Dask's).
ForkingPickler.register(MappingProxyType, _reduce_mapping)
copyreg.pickle(MappingProxyType, _reduce_mapping)


def _init_worker(model: str | None, config: Config, threads: int) -> None:
    """In each worker process: one Analyzer, its model loaded once, torch limited to its share of the cores."""
    global _WORKER
    import torch

    from coach.analysis import windows
    from coach.pipeline import Analyzer

    global _WORKER_ERROR
    torch.set_num_threads(max(1, threads))
    _WORKER = Analyzer(model, config)
    try:
        _ = _WORKER.model
        windows.warm_whisper_dtw()  # a worker aligns many takes: numba's 2 ms pass, set up once
    except CoachError as exc:  # a model that cannot be loaded: every file says so, the pool stays up
        _WORKER_ERROR = exc


def _run_job(job: Job, analyzer: Analyzer | None = None) -> tuple[int, FileResult]:
    from coach.cli.analyze import FileResult, analyse_file

    if analyzer is None and _WORKER_ERROR is not None:
        return job.index, FileResult(job.name, error=_WORKER_ERROR)
    chosen = analyzer if analyzer is not None else _WORKER
    assert chosen is not None, "worker not initialised"
    return job.index, analyse_file(
        chosen, job.path, rep=job.rep, display_name=job.name, prospect=job.prospect, script=job.script
    )


#: One analysis at a time per Dask worker process, whatever its thread count (the Analyzer is not shared).
_REMOTE_LOCK = threading.Lock()


def _init_remote(model: str | None, config: Config) -> None:
    """The Dask worker plugin's set-up: this worker's Analyzer, with torch using the worker's cores."""
    import torch

    _init_worker(model, config, max(1, torch.get_num_threads()))


def _run_remote(job: Job, data: bytes) -> tuple[int, FileResult]:
    """On a Dask worker: the recording's bytes to a private temporary file, analysed, removed."""
    with tempfile.TemporaryDirectory(prefix="coach-dask-") as folder:
        # Never the sender's name as a path: a fixed name with the (checked) extension the decoder needs.
        suffix = job.path.suffix.lower() if job.path.suffix.lower() in AUDIO_SUFFIXES else ".audio"
        local = Path(folder) / f"recording{suffix}"
        local.write_bytes(data)
        with _REMOTE_LOCK:
            return _run_job(replace(job, path=local))


def _analyse_on_dask(
    jobs: Sequence[Job], scheduler: str, model: str | None, config: Config
) -> Iterator[tuple[int, FileResult]]:
    """Send ``jobs`` to the Dask cluster at ``scheduler``; yield results as they finish, a few files in flight
    per worker thread (the bytes of a whole batch are never in memory at once)."""
    from coach.cli.analyze import FileResult
    from coach.errors import InternalError

    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ConfigError(
            "--scheduler needs Dask's distributed package: pip install 'voicemail-coach[team]'."
        ) from None
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise ConfigError(
            f"Cannot reach the Dask scheduler at {scheduler} ({exc}). Check the address (tcp://HOST:8786) "
            "and that the scheduler is running, or leave out --scheduler to analyse on this machine."
        ) from None
    with client:
        client.register_plugin(AnalyzerPlugin(model, config), name=AnalyzerPlugin.name)
        slots = max(2, 2 * sum(client.nthreads().values()))
        queue = list(jobs)
        running = as_completed()
        owner: dict[object, Job] = {}

        def submit_next() -> bool:
            while queue:
                job = queue.pop(0)
                try:
                    data = job.path.read_bytes()
                except OSError as exc:
                    raise _Unreadable(job, exc) from exc
                future = client.submit(_run_remote, job, data, pure=False, key=f"coach-{job.index}-{uuid_hex()}")
                owner[future.key] = job
                running.add(future)
                return True
            return False

        pending: list[tuple[int, FileResult]] = []
        for _ in range(slots):
            try:
                if not submit_next():
                    break
            except _Unreadable as bad:
                pending.append((bad.job.index, FileResult(bad.job.name, error=bad.error())))
        yield from pending
        for future in running:
            job = owner.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # the worker died or the task was lost: that file alone fails
                yield (
                    job.index,
                    FileResult(
                        job.name,
                        error=InternalError(
                            f"{job.name}: the Dask worker analysing it stopped ({type(exc).__name__}: {exc}). "
                            "Run the batch again to retry it."
                        ),
                    ),
                )
            while True:
                try:
                    submit_next()
                    break
                except _Unreadable as bad:
                    yield bad.job.index, FileResult(bad.job.name, error=bad.error())


class _Unreadable(Exception):
    def __init__(self, job: Job, exc: OSError) -> None:
        self.job, self.exc = job, exc

    def error(self) -> CoachError:
        return FileNotFoundCoachError(f"{self.job.name}: cannot be read ({self.exc.strerror or self.exc}).")


def uuid_hex() -> str:
    import uuid

    return uuid.uuid4().hex[:12]


try:  # the team extra; without it, --scheduler says what to install
    from distributed.diagnostics.plugin import WorkerPlugin as _WorkerPluginBase
except ImportError:  # pragma: no cover
    _WorkerPluginBase = object  # type: ignore[misc,assignment]


class AnalyzerPlugin(_WorkerPluginBase):
    """A Dask worker plugin: loads this batch's Analyzer (its Whisper model) once on each worker."""

    name = "coach-analyzer"

    def __init__(self, model: str | None, config: Config) -> None:
        self.model = model
        self.config = config

    def setup(self, worker) -> None:
        _init_remote(self.model, self.config)


def default_workers() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def analyse_many(
    jobs: Sequence[Job],
    *,
    workers: int | None = None,
    model: str | None = None,
    config: Config,
    analyzer: Analyzer | None = None,
    mode: str = "process",
    scheduler: str | None = None,
) -> Iterator[tuple[int, FileResult]]:
    """Analyse ``jobs``, yielding ``(job.index, FileResult)`` as each finishes (in any order).

    ``workers`` processes (default one per core; ``mode="thread"`` for
    threads sharing one Analyzer, which the benchmark compares), each with
    its own Analyzer. One worker runs in this process, with ``analyzer`` when
    given (the app's warmed-up one). ``scheduler``: a Dask scheduler's address
    (``tcp://HOST:8786``); its workers analyse instead.
    """
    if scheduler:
        if jobs:
            yield from _analyse_on_dask(jobs, scheduler, model, config)
        return
    workers = min(workers or default_workers(), max(1, len(jobs)))
    if workers <= 1 or mode == "serial":
        own = analyzer if analyzer is not None else _analyzer_for(model, config)
        for job in jobs:
            yield _run_job(job, own)
        return
    if mode == "thread":
        shared = analyzer if analyzer is not None else _analyzer_for(model, config)
        _ = shared.model  # loaded once, before the threads share it
        with cf.ThreadPoolExecutor(max_workers=workers) as threads:
            futures = [threads.submit(_run_job, job, shared) for job in jobs]
            for future in cf.as_completed(futures):
                yield future.result()
        return
    if mode != "process":
        raise ValueError(f"unknown mode {mode!r}")
    threads_each = max(1, default_workers() // workers)
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_init_worker, initargs=(model, config, threads_each)
    ) as pool:
        pending = {pool.submit(_run_job, job): job for job in jobs}
        try:
            for future in cf.as_completed(pending):
                job = pending[future]
                try:
                    yield future.result()
                except Exception as exc:  # the worker died (killed, out of memory): that file alone fails
                    from coach.cli.analyze import FileResult
                    from coach.errors import InternalError

                    yield (
                        job.index,
                        FileResult(
                            job.name,
                            error=InternalError(
                                f"{job.name}: the worker analysing it stopped ({type(exc).__name__}: {exc}). "
                                "Run the batch again to retry it."
                            ),
                        ),
                    )
        finally:
            for future in pending:
                future.cancel()


def _analyzer_for(model: str | None, config: Config) -> Analyzer:
    from coach.pipeline import Analyzer

    return Analyzer(model, config)


# -- the batch ---------------------------------------------------------------------


@dataclass
class ItemResult:
    """What became of one recording of the batch."""

    item: BatchItem
    status: str
    take_id: int | None = None
    score: int | None = None
    error: CoachError | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass
class BatchOutcome:
    """Every recording's result, the inputs that could not be read, and the time it took."""

    results: list[ItemResult] = field(default_factory=list)
    failures: list[tuple[str, CoachError]] = field(default_factory=list)
    ignored: int = 0
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.results)

    @property
    def failed(self) -> list[tuple[str, CoachError]]:
        """Every failure, unreadable inputs first, as (name, error)."""
        return self.failures + [(r.item.name, r.error) for r in self.results if r.failed and r.error is not None]

    @property
    def take_ids(self) -> list[int]:
        """The takes this batch's recordings are in the history as (analysed now or before)."""
        return list(dict.fromkeys(r.take_id for r in self.results if r.take_id is not None))


def _too_large(item: BatchItem, config: Config) -> CoachError | None:
    """The ``[analysis] max_file_mb`` refusal for ``item``, from its size alone (None: within the limit)."""
    from coach.audio.decode import check_file_size

    try:
        size = item.path.stat().st_size
    except OSError:
        return None  # the hash below says it cannot be read
    try:
        check_file_size(item.name, size, config.analysis.max_file_mb)
    except CoachError as exc:
        return exc
    return None


#: ``progress(done, total, result)`` after each recording; ``result`` None for the call before the first.
BatchProgress = Callable[[int, int, "ItemResult | None"], None]


def run_batch(
    inputs: Sequence[str | os.PathLike],
    history: History,
    config: Config,
    *,
    rules: RepRules | None = None,
    workers: int | None = None,
    model: str | None = None,
    force: bool = False,
    progress: BatchProgress | None = None,
    analyzer: Analyzer | None = None,
    names: dict[str, str] | None = None,
    mode: str = "process",
    prospect: str | None = None,
    script: str | None = None,
    scheduler: str | None = None,
) -> BatchOutcome:
    """Gather ``inputs``, analyse what the history lacks, keep each result as it arrives.

    ``prospect`` and ``script``: the same for every recording (a team practising one script).
    ``scheduler``: analyse on that Dask cluster (the results are kept here, in ``history``).
    """
    start = time.perf_counter()
    rules = rules or RepRules(default=config.rep.name)
    outcome = BatchOutcome()
    fingerprint = config.rules_fingerprint()
    with ExitStack() as stack:
        scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="coach-batch-")))
        found = gather(inputs, rules, scratch=scratch, limits=ZipLimits.from_config(config), names=names)
        outcome.failures, outcome.ignored = found.failures, found.ignored
        total = len(found.items)
        results: list[ItemResult | None] = [None] * total
        first_of: dict[str, int] = {}
        existing: dict[int, int] = {}
        jobs: list[Job] = []
        hashes: list[str | None] = []
        scores: dict[int, int | None] | None = None
        done = 0
        if progress is not None:
            progress(0, total, None)

        def finish(index: int, result: ItemResult) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if progress is not None:
                progress(done, total, result)

        for index, item in enumerate(found.items):
            # The size cap before the file is hashed, read into memory or sent to a worker.
            too_large = _too_large(item, config)
            if too_large is not None:
                hashes.append(None)
                finish(index, ItemResult(item, "failed", error=too_large))
                continue
            sha = file_sha256(item.path)
            hashes.append(sha)
            if sha is None:
                finish(
                    index,
                    ItemResult(
                        item, "failed", error=FileNotFoundCoachError(f"{item.name}: cannot be read; check the file.")
                    ),
                )
                continue
            if sha in first_of:
                continue  # the same bytes earlier in this batch: settled below
            first_of[sha] = index
            known = history.find_by_sha256(sha)
            if known is not None and not force:
                if scores is None:
                    scores = {t.id: t.score for t in history.list_takes()}
                finish(index, ItemResult(item, "skipped", take_id=known, score=scores.get(known)))
                continue
            if known is not None:
                existing[index] = known
            profile = replace(config.rep, name=item.rep or "")
            jobs.append(Job(index, item.path, item.name, profile, prospect or None, script or None))

        for index, analysed in analyse_many(
            jobs, workers=workers, model=model, config=config, analyzer=analyzer, mode=mode, scheduler=scheduler
        ):
            item = found.items[index]
            if analysed.report is None:
                finish(index, ItemResult(item, "failed", error=analysed.error))
                continue
            try:
                if index in existing:
                    take_id = existing[index]
                    history.update_result(take_id, analysed.report, fingerprint=fingerprint)
                else:
                    take_id = history.save_take(
                        item.path,
                        analysed.report,
                        source="batch",
                        context={"file_name": item.name, "prospect": prospect or None, "script": script or None},
                        fingerprint=fingerprint,
                    )
            except (CoachError, OSError) as exc:
                error = exc if isinstance(exc, CoachError) else HistoryError(f"{item.name}: cannot be kept: {exc}")
                finish(index, ItemResult(item, "failed", error=error))
                continue
            score = analysed.report.score.value if analysed.report.score is not None else None
            finish(index, ItemResult(item, "analysed", take_id=take_id, score=score))

        for index, item in enumerate(found.items):
            if results[index] is None:
                first = results[first_of[hashes[index] or ""]]
                assert first is not None
                status = "failed" if first.failed else "duplicate"
                finish(index, ItemResult(item, status, take_id=first.take_id, score=first.score, error=first.error))
    outcome.results = [r for r in results if r is not None]
    outcome.seconds = time.perf_counter() - start
    return outcome
