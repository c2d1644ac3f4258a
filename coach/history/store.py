"""The take history: every practice take, kept in SQLite under a data directory.

Layout under the data directory (default ``data/`` in the working directory,
or ``$COACH_DATA_DIR``, or the ``data_dir`` argument)::

    history.sqlite3         one row per take (report JSON, context, score...)
    audio/<uuid>.<ext>      the take's recording, exactly as it was given

Crash safety: a take is saved in two steps. The audio is first copied to a
hidden temporary file, flushed to disk and renamed into place (``os.replace``
is atomic), and only then is the row inserted, in one transaction, with the
database in WAL mode. A process killed at any moment therefore leaves either
no row at all (perhaps an orphan audio file, which is harmless) or a complete
row whose audio exists. Earlier takes are never touched by a save.

Recordings are never deleted behind the user's back. Only
:meth:`History.delete_take` deletes one (the user asked to). Nothing cleans up
automatically: :meth:`History.clean_orphans` (``coach history clean``) is an explicit clean-up
and even then keeps every file that any database in the data directory names
(the current one, or one moved aside, damaged or not) and every file younger
than a grace period.

A damaged database (:class:`~coach.errors.DamagedHistoryError`) is moved aside
by :func:`move_aside` (renamed, with its WAL files, to
``history-damaged-<time>.sqlite3`` in the same folder); the next ``History``
starts a new one and the recordings stay in ``audio/``.

Every method opens its own short-lived connection, so one ``History`` can be
shared between Streamlit's script threads and several processes (the app and
``coach record``) can write to the same directory.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from coach.errors import DamagedHistoryError, FileNotFoundCoachError, HistoryError
from coach.report import Report

ENV_DATA_DIR = "COACH_DATA_DIR"
DEFAULT_DATA_DIR = "data"
DB_NAME = "history.sqlite3"
AUDIO_DIR = "audio"
SOURCES = ("upload", "record", "sample", "cli")

_SCHEMA_VERSION = 1
_TMP_PREFIX = ".saving-"
#: Orphan audio younger than this may belong to a save in progress elsewhere.
ORPHAN_GRACE_S = 3600.0
#: Name of a damaged history once moved aside: ``history-damaged-20250101-120000.sqlite3``.
DAMAGED_PREFIX = "history-damaged-"
#: SQLite's answers for a file that is not (or no longer) a sound database.
_DAMAGED_CODES = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}
#: Folders under the data directory that hold recordings, not databases.
_RECORDING_DIRS = {AUDIO_DIR, "recordings"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS takes (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at   TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    file_name    TEXT    NOT NULL,
    audio_file   TEXT    NOT NULL UNIQUE,
    score        INTEGER,
    duration_s   REAL    NOT NULL,
    prospect     TEXT,
    context_json TEXT    NOT NULL,
    report_json  TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS takes_created ON takes (created_at);
"""


@dataclass(frozen=True)
class TakeSummary:
    """One line of the history list."""

    id: int
    created_at: datetime
    source: str
    file_name: str
    score: int | None
    duration_s: float
    prospect: str | None


@dataclass(frozen=True)
class Take(TakeSummary):
    """One take in full: its report, its context and where its audio is."""

    context: dict[str, Any]
    report: Report
    audio_path: Path

    @property
    def summary(self) -> TakeSummary:
        return TakeSummary(**{f.name: getattr(self, f.name) for f in fields(TakeSummary)})


@dataclass(frozen=True)
class ScorePoint:
    """A take's score at the time it was made, for the progress chart."""

    id: int
    created_at: datetime
    score: int


def resolve_data_dir(data_dir: str | os.PathLike | None = None) -> Path:
    """The argument if given, else ``$COACH_DATA_DIR``, else ``./data``."""
    if data_dir is not None and str(data_dir) != "":
        return Path(data_dir).expanduser()
    env = os.environ.get(ENV_DATA_DIR, "").strip()
    if env:
        return Path(env).expanduser()
    return Path.cwd() / DEFAULT_DATA_DIR


def default_take_path(data_dir: str | os.PathLike | None = None, now: datetime | None = None) -> Path:
    """``<data dir>/recordings/take-YYYYmmdd-HHMMSS.wav``, with ``-2``, ``-3``... if taken."""
    folder = resolve_data_dir(data_dir) / "recordings"
    stem = f"take-{(now or datetime.now()):%Y%m%d-%H%M%S}"
    path = folder / f"{stem}.wav"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}.wav"
        n += 1
    return path


class History:
    """The take history under one data directory (created on first use)."""

    def __init__(self, data_dir: str | os.PathLike | None = None) -> None:
        self.data_dir = resolve_data_dir(data_dir).resolve()
        self.db_path = self.data_dir / DB_NAME
        self.audio_dir = self.data_dir / AUDIO_DIR
        try:
            self.audio_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                f"Cannot create the history folder {self.data_dir}: {exc.strerror or exc}. "
                f"Choose a writable folder with the {ENV_DATA_DIR} environment variable."
            ) from exc
        with self._connect() as conn:
            conn.executescript(_SCHEMA)
            conn.execute(f"PRAGMA user_version = {_SCHEMA_VERSION}")

    # -- connections -----------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in WAL mode; commits on success, rolls back on error."""
        try:
            with closing(sqlite3.connect(self.db_path, timeout=30.0)) as conn:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.row_factory = sqlite3.Row
                with conn:
                    yield conn
        except sqlite3.DatabaseError as exc:
            raise _history_error(self.db_path, self.audio_dir, exc) from exc

    def check(self) -> None:
        """Read every page of the database (SQLite's quick check); DamagedHistoryError when one is bad."""
        with self._connect() as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise _damaged(self.db_path, self.audio_dir, "; ".join(problems))

    # -- writing ---------------------------------------------------------

    def save_take(
        self,
        audio_path: str | os.PathLike,
        report: Report,
        *,
        source: str = "upload",
        context: dict[str, Any] | None = None,
    ) -> int:
        """Keep one take: copy its audio in, then insert its row. Returns the take id."""
        src = Path(audio_path)
        if not src.is_file():
            raise FileNotFoundCoachError(f"Cannot save the take: the recording {src} does not exist any more.")
        if source not in SOURCES:
            raise HistoryError(f"Unknown take source {source!r}; use one of: {', '.join(SOURCES)}.")
        context = dict(context or {})
        context.setdefault("source", source)
        if report.prospect and "prospect" not in context:
            context["prospect"] = report.prospect
        if report.script and "script" not in context:
            context["script"] = report.script
        file_name = str(context.get("file_name") or Path(report.file).name or src.name)
        prospect = context.get("prospect") or None

        ext = _safe_extension(src)
        audio_name = f"{uuid.uuid4().hex}{ext}"
        final = self.audio_dir / audio_name
        self._place_audio(src, final)
        committed = False
        try:
            with self._connect() as conn:
                cur = conn.execute(
                    "INSERT INTO takes (created_at, source, file_name, audio_file, score,"
                    " duration_s, prospect, context_json, report_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        _now_iso(),
                        source,
                        file_name,
                        audio_name,
                        report.score.value if report.score is not None else None,
                        float(report.duration_s),
                        prospect,
                        json.dumps(context, ensure_ascii=False, default=str),
                        report.to_json(),
                    ),
                )
                assert cur.lastrowid is not None
                take_id = int(cur.lastrowid)
            committed = True
        finally:
            if not committed:
                final.unlink(missing_ok=True)
        return take_id

    def _place_audio(self, src: Path, final: Path) -> None:
        """Copy ``src`` to ``final`` so that ``final`` is either absent or complete."""
        tmp = final.with_name(f"{_TMP_PREFIX}{final.name}")
        try:
            with open(src, "rb") as fin, open(tmp, "wb") as fout:
                shutil.copyfileobj(fin, fout, 1 << 20)
                fout.flush()
                os.fsync(fout.fileno())
            os.replace(tmp, final)
            _fsync_dir(final.parent)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise HistoryError(
                f"Cannot store the recording in {self.audio_dir}: {exc.strerror or exc}. "
                "Check that the folder is writable and the disk is not full."
            ) from exc

    def delete_take(self, take_id: int) -> None:
        """Remove a take's row, then its audio file."""
        with self._connect() as conn:
            row = conn.execute("SELECT audio_file FROM takes WHERE id = ?", (int(take_id),)).fetchone()
            if row is None:
                raise HistoryError(f"There is no take #{take_id} in the history.")
            conn.execute("DELETE FROM takes WHERE id = ?", (int(take_id),))
        (self.audio_dir / row["audio_file"]).unlink(missing_ok=True)

    def clean_orphans(self, *, grace_s: float = ORPHAN_GRACE_S, dry_run: bool = False) -> list[Path]:
        """Delete audio files that no database names (left by a crash mid-save); only ``coach history clean`` calls it.

        A file is kept when the current database names it, or when any other
        file in the data directory does (a history moved aside, damaged or
        not, is searched byte for byte), or when it is younger than
        ``grace_s`` (it may belong to a save another process is making now).
        """
        with self._connect() as conn:
            known = {r["audio_file"] for r in conn.execute("SELECT audio_file FROM takes")}
        cutoff = time.time() - grace_s
        candidates = []
        for path in self.audio_dir.iterdir():
            try:
                if path.name not in known and path.is_file() and path.stat().st_mtime < cutoff:
                    candidates.append(path)
            except FileNotFoundError:
                continue
        named = _named_elsewhere([p.name for p in candidates], self.data_dir, skip=self.db_path)
        removed = []
        for path in candidates:
            if path.name in named:
                continue
            if dry_run:
                removed.append(path)
                continue
            try:
                path.unlink()
                removed.append(path)
            except FileNotFoundError:
                continue
        return removed

    # -- reading ---------------------------------------------------------

    def list_takes(self) -> list[TakeSummary]:
        """All takes, newest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, source, file_name, score, duration_s, prospect"
                " FROM takes ORDER BY created_at DESC, id DESC"
            ).fetchall()
        return [TakeSummary(**_summary_fields(r)) for r in rows]

    def get_take(self, take_id: int) -> Take:
        """One take with its report and the path of its audio."""
        with self._connect() as conn:
            r = conn.execute("SELECT * FROM takes WHERE id = ?", (int(take_id),)).fetchone()
        if r is None:
            raise HistoryError(f"There is no take #{take_id} in the history.")
        try:
            report = Report.from_dict(json.loads(r["report_json"]))
            context = json.loads(r["context_json"])
        except (ValueError, TypeError, KeyError) as exc:
            raise HistoryError(
                f"Take #{take_id} in {self.db_path} has an unreadable report ({exc}); delete that take."
            ) from exc
        return Take(
            **_summary_fields(r),
            context=context,
            report=report,
            audio_path=self.audio_dir / r["audio_file"],
        )

    def score_series(self) -> list[ScorePoint]:
        """Scored takes, oldest first: the data for a score-over-time chart."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT id, created_at, score FROM takes WHERE score IS NOT NULL ORDER BY created_at ASC, id ASC"
            ).fetchall()
        return [ScorePoint(r["id"], _parse_time(r["created_at"]), r["score"]) for r in rows]

    def __len__(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM takes").fetchone()[0])


def move_aside(data_dir: str | os.PathLike | None = None) -> Path:
    """Rename a damaged ``history.sqlite3`` (and its WAL files) to ``history-damaged-<time>.sqlite3``.

    In the same folder, so the recordings it names stay protected from any
    clean-up; the recordings themselves are not touched. The next
    :class:`History` starts a new, empty database. Returns the new path.
    """
    folder = resolve_data_dir(data_dir).resolve()
    db_path = folder / DB_NAME
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = folder / f"{DAMAGED_PREFIX}{stamp}.sqlite3"
    n = 2
    while aside.exists():
        aside = folder / f"{DAMAGED_PREFIX}{stamp}-{n}.sqlite3"
        n += 1
    try:
        # The WAL files first: a new database must never pick up the old one's log.
        for suffix in ("-wal", "-shm"):
            part = db_path.with_name(DB_NAME + suffix)
            if part.exists():
                os.replace(part, aside.with_name(aside.name + suffix))
        if db_path.exists():
            os.replace(db_path, aside)
        _fsync_dir(folder)
    except OSError as exc:
        raise HistoryError(
            f"Cannot move the damaged history {db_path} aside: {exc.strerror or exc}. "
            f"Rename it by hand to {aside.name} in the same folder."
        ) from exc
    return aside


def recording_count(data_dir: str | os.PathLike | None = None) -> int:
    """How many recordings the data directory's ``audio/`` folder holds (whatever the database says)."""
    folder = resolve_data_dir(data_dir).resolve() / AUDIO_DIR
    try:
        return sum(1 for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        return 0


def _history_error(db_path: Path, audio_dir: Path, exc: sqlite3.DatabaseError) -> HistoryError:
    if getattr(exc, "sqlite_errorname", "") in _DAMAGED_CODES:
        return _damaged(db_path, audio_dir, str(exc))
    return HistoryError(
        f"The take history {db_path} cannot be read or written ({exc}). Check that the folder is "
        f"writable and the disk is not full, or choose another folder with the {ENV_DATA_DIR} "
        "environment variable."
    )


def _damaged(db_path: Path, audio_dir: Path, detail: str) -> DamagedHistoryError:
    return DamagedHistoryError(
        f"The take history {db_path} is damaged ({detail}). Your recordings are safe in {audio_dir}. "
        f'Start a new history: in the app, press "Start a new history"; elsewhere, rename {DB_NAME} '
        f"to {DAMAGED_PREFIX}1.sqlite3 in the same folder. The coach never deletes a recording "
        "that a history, old or new, names."
    )


def _named_elsewhere(names: list[str], data_dir: Path, *, skip: Path) -> set[str]:
    """Which of ``names`` appear in any file of ``data_dir`` other than ``skip`` and the recordings.

    A moved-aside history may be damaged beyond SQLite's reach, so its bytes
    are searched: an audio file name is stored as plain text in its row.
    """
    if not names:
        return set()
    wanted = {name: name.encode() for name in names}
    found: set[str] = set()
    for root, dirs, files in os.walk(data_dir):
        if Path(root) == data_dir:
            dirs[:] = [d for d in dirs if d not in _RECORDING_DIRS]
        for file in files:
            path = Path(root) / file
            if path == skip:
                continue
            try:
                blob = path.read_bytes()
            except OSError:
                continue
            found.update(name for name, raw in wanted.items() if name not in found and raw in blob)
            if len(found) == len(wanted):
                return found
    return found


def _summary_fields(row: sqlite3.Row) -> dict[str, Any]:
    """The :class:`TakeSummary` fields of a ``takes`` row."""
    return {
        "id": row["id"],
        "created_at": _parse_time(row["created_at"]),
        "source": row["source"],
        "file_name": row["file_name"],
        "score": row["score"],
        "duration_s": row["duration_s"],
        "prospect": row["prospect"],
    }


def _safe_extension(path: Path) -> str:
    """The file's extension if it is short and plain, else ``.audio``."""
    ext = path.suffix.lower()
    if 1 < len(ext) <= 6 and ext[1:].isalnum():
        return ext
    return ".audio"


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
