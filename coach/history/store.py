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

import dataclasses
import hashlib
import json
import os
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
from coach.history.migrations import migrate
from coach.report import Report
from coach.rules.catalogue import SEVERITIES

ENV_DATA_DIR = "COACH_DATA_DIR"
DEFAULT_DATA_DIR = "data"
DB_NAME = "history.sqlite3"
AUDIO_DIR = "audio"
SOURCES = ("upload", "record", "sample", "cli", "batch")
#: A trainer's verdict on a take; None means "by the score" (see :mod:`coach.history.review`).
VERDICTS = ("passed", "retake")
#: What an override does: mark a finding wrong, or add one the rules missed.
OVERRIDE_ACTIONS = ("dismiss", "add")

_TMP_PREFIX = ".saving-"
#: Orphan audio younger than this may belong to a save in progress elsewhere.
ORPHAN_GRACE_S = 3600.0
#: Name of a damaged history once moved aside: ``history-damaged-20250101-120000.sqlite3``.
DAMAGED_PREFIX = "history-damaged-"
#: SQLite's answers for a file that is not (or no longer) a sound database.
_DAMAGED_CODES = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}
#: Folders under the data directory that hold recordings, not databases.
_RECORDING_DIRS = {AUDIO_DIR, "recordings"}


@dataclass(frozen=True, kw_only=True)
class TakeSummary:
    """One line of the history list. ``score`` is the machine's; ``verdict`` the trainer's (None: by the score)."""

    id: int
    created_at: datetime
    source: str
    file_name: str
    score: int | None
    duration_s: float
    prospect: str | None
    #: Whose take it is: the report's rep name (None: unassigned).
    rep: str | None = None
    verdict: str | None = None
    #: SHA-256 of the recording's bytes (None for a take whose audio could not be read when migrated).
    audio_sha256: str | None = None
    #: :meth:`coach.config.Config.rules_fingerprint` of the settings that gave ``score`` (None: not recorded).
    settings_fingerprint: str | None = None


@dataclass(frozen=True)
class Note:
    """A trainer's comment on a take, pinned to a moment (``at_s``) or to the whole take (None)."""

    id: int
    take_id: int
    at_s: float | None
    text: str
    author: str
    created_at: datetime


@dataclass(frozen=True)
class Override:
    """The trainer's judgement beside the machine's.

    ``dismiss``: the finding(s) of rule ``code`` are wrong (``reason`` says why).
    ``add``: a finding the rules missed, with ``code`` (a catalogue code, or
    ``T<id>`` for free text), ``text`` and ``severity``.
    """

    id: int
    take_id: int
    action: str
    code: str
    text: str
    severity: str | None
    reason: str
    author: str
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class Take(TakeSummary):
    """One take in full: its report, its context, where its audio is, and the trainer's notes and overrides."""

    context: dict[str, Any]
    report: Report
    audio_path: Path
    notes: tuple[Note, ...] = ()
    overrides: tuple[Override, ...] = ()

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
        try:
            with closing(sqlite3.connect(self.db_path, timeout=30.0, isolation_level=None)) as conn:
                conn.execute("PRAGMA journal_mode = WAL")
                migrate(conn, self.audio_dir, self.db_path)
        except sqlite3.DatabaseError as exc:
            raise _history_error(self.db_path, self.audio_dir, exc) from exc

    # -- connections -----------------------------------------------------

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in WAL mode; commits on success, rolls back on error."""
        try:
            with closing(sqlite3.connect(self.db_path, timeout=30.0)) as conn:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
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
        fingerprint: str | None = None,
    ) -> int:
        """Keep one take: copy its audio in, then insert its row. Returns the take id.

        The take's rep is the report's rep name; ``fingerprint`` is the
        :meth:`~coach.config.Config.rules_fingerprint` of the settings that scored it.
        """
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
        sha256 = self._place_audio(src, final)
        score = report.score.value if report.score is not None else None
        committed = False
        created = _now_iso()
        try:
            with self._connect() as conn:
                cur = conn.execute(
                    "INSERT INTO takes (created_at, source, file_name, audio_file, score,"
                    " duration_s, prospect, context_json, report_json, rep, audio_sha256, settings_fingerprint)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        created,
                        source,
                        file_name,
                        audio_name,
                        score,
                        float(report.duration_s),
                        prospect,
                        json.dumps(context, ensure_ascii=False, default=str),
                        report.to_json(),
                        rep_of(report),
                        sha256,
                        fingerprint,
                    ),
                )
                assert cur.lastrowid is not None
                take_id = int(cur.lastrowid)
                conn.execute(
                    "INSERT INTO machine_scores (take_id, created_at, score, fingerprint) VALUES (?, ?, ?, ?)",
                    (take_id, created, score, fingerprint),
                )
            committed = True
        finally:
            if not committed:
                final.unlink(missing_ok=True)
        return take_id

    def _place_audio(self, src: Path, final: Path) -> str:
        """Copy ``src`` to ``final`` so that ``final`` is either absent or complete; returns the bytes' SHA-256."""
        tmp = final.with_name(f"{_TMP_PREFIX}{final.name}")
        digest = hashlib.sha256()
        try:
            with open(src, "rb") as fin, open(tmp, "wb") as fout:
                for block in iter(lambda: fin.read(1 << 20), b""):
                    digest.update(block)
                    fout.write(block)
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
        return digest.hexdigest()

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

    # -- the trainer's review ----------------------------------------------

    def update_result(
        self, take_id: int, report: Report, *, fingerprint: str | None, conn: sqlite3.Connection | None = None
    ) -> None:
        """Record a new machine result for a take (a re-score, or a forced re-analysis).

        The report, machine score, rep and fingerprint are replaced and the
        score is appended to the take's machine scores; the take's notes,
        overrides and verdict stay attached. ``conn``: an open connection of
        this history, to update many takes in one transaction.
        """
        if conn is None:
            with self._connect() as own:
                self.update_result(take_id, report, fingerprint=fingerprint, conn=own)
            return
        score = report.score.value if report.score is not None else None
        cur = conn.execute(
            "UPDATE takes SET report_json = ?, score = ?, duration_s = ?, rep = ?, settings_fingerprint = ?"
            " WHERE id = ?",
            (report.to_json(), score, float(report.duration_s), rep_of(report), fingerprint, int(take_id)),
        )
        if cur.rowcount != 1:
            raise HistoryError(f"There is no take #{take_id} in the history.")
        conn.execute(
            "INSERT INTO machine_scores (take_id, created_at, score, fingerprint) VALUES (?, ?, ?, ?)",
            (int(take_id), _now_iso(), score, fingerprint),
        )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One connection and transaction for many :meth:`update_result` calls (all or nothing)."""
        with self._connect() as conn:
            yield conn

    def set_verdict(self, take_id: int, verdict: str | None) -> None:
        """The trainer's verdict: ``passed``, ``retake`` (needs another take), or None (by the score)."""
        if verdict is not None and verdict not in VERDICTS:
            raise HistoryError(f"Unknown verdict {verdict!r}; use one of: {', '.join(VERDICTS)} (or none).")
        self._update_one("UPDATE takes SET verdict = ? WHERE id = ?", (verdict, int(take_id)), take_id)

    def set_rep(self, take_id: int, rep: str | None) -> None:
        """Assign a take to a rep (None or "": unassigned); the stored report's rep name follows."""
        take = self.get_take(take_id)
        name = (rep or "").strip()
        from coach.report import RepProfile

        base = take.report.rep or RepProfile()
        updated = dataclasses.replace(base, name=name)
        take.report.rep = None if updated.is_empty else updated
        self._update_one(
            "UPDATE takes SET rep = ?, report_json = ? WHERE id = ?",
            (name or None, take.report.to_json(), int(take_id)),
            take_id,
        )

    def add_note(self, take_id: int, text: str, *, at_s: float | None = None, author: str = "") -> int:
        """Pin a comment to a moment of a take (``at_s`` seconds; None: the whole take). Returns its id."""
        text = text.strip()
        if not text:
            raise HistoryError("A note needs some text.")
        if at_s is not None and not (at_s >= 0):
            raise HistoryError(f"A note's time must be 0 s or later, got {at_s}.")
        return self._insert(
            take_id,
            "INSERT INTO notes (take_id, at_s, text, author, created_at) VALUES (?, ?, ?, ?, ?)",
            (int(take_id), at_s, text, author.strip(), _now_iso()),
        )

    def delete_note(self, note_id: int) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM notes WHERE id = ?", (int(note_id),))

    def dismiss_finding(self, take_id: int, code: str, reason: str, *, author: str = "") -> int:
        """Mark the machine's finding(s) of rule ``code`` on this take wrong, saying why. Returns the override id."""
        reason = reason.strip()
        if not reason:
            raise HistoryError("Say why the finding is wrong: the rep reads the reason.")
        return self._insert(
            take_id,
            "INSERT INTO overrides (take_id, action, code, reason, author, created_at) VALUES (?, 'dismiss', ?, ?, ?, ?)",
            (int(take_id), code.strip(), reason, author.strip(), _now_iso()),
        )

    def add_finding(
        self, take_id: int, text: str, severity: str, *, code: str | None = None, reason: str = "", author: str = ""
    ) -> int:
        """Add a finding the rules missed: a catalogue ``code`` or free ``text`` (code ``T<id>``). Returns its id."""
        text = text.strip()
        if severity not in SEVERITIES:
            raise HistoryError(f"Unknown severity {severity!r}; use one of: {', '.join(SEVERITIES)}.")
        if not text and not code:
            raise HistoryError("Say what the rules missed (a rule code or some text).")
        with self._connect() as conn:
            self._require(conn, take_id)
            cur = conn.execute(
                "INSERT INTO overrides (take_id, action, code, text, severity, reason, author, created_at)"
                " VALUES (?, 'add', ?, ?, ?, ?, ?, ?)",
                (int(take_id), (code or "").strip(), text, severity, reason.strip(), author.strip(), _now_iso()),
            )
            assert cur.lastrowid is not None
            new_id = int(cur.lastrowid)
            if not code:
                conn.execute("UPDATE overrides SET code = ? WHERE id = ?", (f"T{new_id}", new_id))
        return new_id

    def delete_override(self, override_id: int) -> None:
        with self._connect() as conn:
            conn.execute("DELETE FROM overrides WHERE id = ?", (int(override_id),))

    def _update_one(self, sql: str, params: tuple, take_id: int) -> None:
        with self._connect() as conn:
            if conn.execute(sql, params).rowcount != 1:
                raise HistoryError(f"There is no take #{take_id} in the history.")

    def _insert(self, take_id: int, sql: str, params: tuple) -> int:
        with self._connect() as conn:
            self._require(conn, take_id)
            cur = conn.execute(sql, params)
            assert cur.lastrowid is not None
            return int(cur.lastrowid)

    @staticmethod
    def _require(conn: sqlite3.Connection, take_id: int) -> None:
        if conn.execute("SELECT 1 FROM takes WHERE id = ?", (int(take_id),)).fetchone() is None:
            raise HistoryError(f"There is no take #{take_id} in the history.")

    # -- reading ---------------------------------------------------------

    def list_takes(self, *, rep: str | None = None) -> list[TakeSummary]:
        """All takes (or one rep's), newest first."""
        where, params = ("WHERE rep IS ?", (rep or None,)) if rep is not None else ("", ())
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT {_SUMMARY_COLUMNS} FROM takes {where} ORDER BY created_at DESC, id DESC", params
            ).fetchall()
        return [TakeSummary(**_summary_fields(r)) for r in rows]

    def get_take(self, take_id: int) -> Take:
        """One take with its report, the path of its audio, its notes and overrides."""
        found = self.load_takes([take_id])
        if not found:
            raise HistoryError(f"There is no take #{take_id} in the history.")
        return found[0]

    def load_takes(self, ids: list[int] | None = None) -> list[Take]:
        """Takes in full (all when ``ids`` is None), newest first, with notes and overrides."""
        if ids is not None and not ids:
            return []
        where = f"WHERE id IN ({','.join('?' * len(ids))})" if ids is not None else ""
        args: tuple = tuple(int(i) for i in ids) if ids is not None else ()
        with self._connect() as conn:
            rows = conn.execute(f"SELECT * FROM takes {where} ORDER BY created_at DESC, id DESC", args).fetchall()
            take_where = where.replace("id IN", "take_id IN")
            notes = conn.execute(f"SELECT * FROM notes {take_where} ORDER BY at_s IS NULL, at_s, id", args).fetchall()
            overrides = conn.execute(f"SELECT * FROM overrides {take_where} ORDER BY id", args).fetchall()
        notes_of: dict[int, list[Note]] = {}
        for n in notes:
            notes_of.setdefault(n["take_id"], []).append(
                Note(n["id"], n["take_id"], n["at_s"], n["text"], n["author"], _parse_time(n["created_at"]))
            )
        overrides_of: dict[int, list[Override]] = {}
        for o in overrides:
            overrides_of.setdefault(o["take_id"], []).append(
                Override(
                    o["id"],
                    o["take_id"],
                    o["action"],
                    o["code"],
                    o["text"],
                    o["severity"],
                    o["reason"],
                    o["author"],
                    _parse_time(o["created_at"]),
                )
            )
        takes = []
        for r in rows:
            try:
                report = Report.from_dict(json.loads(r["report_json"]))
                context = json.loads(r["context_json"])
            except (ValueError, TypeError, KeyError) as exc:
                raise HistoryError(
                    f"Take #{r['id']} in {self.db_path} has an unreadable report ({exc}); delete that take."
                ) from exc
            takes.append(
                Take(
                    **_summary_fields(r),
                    context=context,
                    report=report,
                    audio_path=self.audio_dir / r["audio_file"],
                    notes=tuple(notes_of.get(r["id"], ())),
                    overrides=tuple(overrides_of.get(r["id"], ())),
                )
            )
        return takes

    def find_by_sha256(self, sha256: str) -> int | None:
        """The newest take whose recording has these bytes, or None."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT id FROM takes WHERE audio_sha256 = ? ORDER BY created_at DESC, id DESC LIMIT 1", (sha256,)
            ).fetchone()
        return None if row is None else int(row["id"])

    def reps(self) -> list[str]:
        """Every rep with a take, alphabetically (unassigned takes are not a rep)."""
        with self._connect() as conn:
            rows = conn.execute("SELECT DISTINCT rep FROM takes WHERE rep IS NOT NULL ORDER BY rep COLLATE NOCASE")
            return [r["rep"] for r in rows]

    def last_rep_name(self, sources: tuple[str, ...] = ("record", "upload", "sample")) -> str | None:
        """The rep name of the newest take from ``sources`` that has one (default: the Practice page's own
        takes, not a trainer's batch import): the Practice page offers it again."""
        marks = ",".join("?" * len(sources))
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT rep FROM takes WHERE rep IS NOT NULL AND source IN ({marks})"
                " ORDER BY created_at DESC, id DESC LIMIT 1",
                sources,
            ).fetchone()
        return None if row is None else str(row["rep"])

    def machine_scores(self, take_id: int) -> list[tuple[datetime, int | None, str | None]]:
        """Every machine score the take has had, oldest first: (when, score, settings fingerprint)."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT created_at, score, fingerprint FROM machine_scores WHERE take_id = ? ORDER BY id", (take_id,)
            ).fetchall()
        return [(_parse_time(r["created_at"]), r["score"], r["fingerprint"]) for r in rows]

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


def rep_of(report: Report) -> str | None:
    """The take's rep: the report's rep name, None when it has none (unassigned)."""
    name = report.rep.name.strip() if report.rep is not None else ""
    return name or None


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


_SUMMARY_COLUMNS = (
    "id, created_at, source, file_name, score, duration_s, prospect, rep, verdict, audio_sha256, settings_fingerprint"
)


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
        "rep": row["rep"],
        "verdict": row["verdict"],
        "audio_sha256": row["audio_sha256"],
        "settings_fingerprint": row["settings_fingerprint"],
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
