"""The take history: every practice take, in SQLite (one user) or PostgreSQL (a team), through SQLAlchemy.

The single-user default, under the data directory (default ``data/`` in the
working directory, or ``$COACH_DATA_DIR``, or the ``data_dir`` argument)::

    history.sqlite3         one row per take (report JSON, context, score...)
    audio/<uuid>.<ext>      the take's recording, exactly as it was given

A team sets ``$COACH_DATABASE_URL`` (``postgresql://user:pass@host/db``): the
rows live there and so do the recordings (in the row: FLAC for PCM WAV, the
bytes as given otherwise), unless ``$COACH_AUDIO_DIR`` names a shared folder
for them. Each server keeps a cache of the recordings it has played in
``<data dir>/audio-cache``. The schema is migrated by Alembic when a history
is opened (:mod:`coach.history.migrations`).

Who may do what is checked here, on every read and write of a take: each
``History`` acts for an :class:`~coach.history.access.Actor` (a rep sees only
their own takes, a trainer the team's; without sign-in, the single user sees
everything).

Crash safety: with the audio in the row, the row and its audio commit in one
transaction. With the audio in a folder, a take is saved in two steps: the
audio is first copied to a hidden temporary file, flushed to disk and renamed
into place (``os.replace`` is atomic), and only then is the row inserted, in
one transaction (SQLite in WAL mode). A process killed at any moment
therefore leaves either no row at all (perhaps an orphan audio file, which is
harmless) or a complete row whose audio exists. Earlier takes are never
touched by a save.

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

Every method runs its own short-lived transaction (SQLite: a new connection each
time; PostgreSQL: one pool per process), so one ``History`` can be shared
between Streamlit's script threads and several processes (the app, ``coach
record``, batch workers) can write to the same history.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Row,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    nulls_last,
    select,
    true,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, OperationalError
from sqlalchemy.pool import NullPool

from coach.errors import DamagedHistoryError, FileNotFoundCoachError, HistoryError
from coach.history.access import LOCAL, AccessDeniedError, Actor
from coach.history.migrations import migrate
from coach.history.schema import machine_scores, notes, overrides, takes
from coach.report import Report
from coach.rules.catalogue import SEVERITIES

ENV_DATA_DIR = "COACH_DATA_DIR"
#: A SQLAlchemy URL of a shared history (PostgreSQL); unset: the SQLite file in the data directory.
ENV_DATABASE_URL = "COACH_DATABASE_URL"
#: A folder for the recordings of a shared history (unset: in the database).
ENV_AUDIO_DIR = "COACH_AUDIO_DIR"
#: Under the data directory: this server's copies of recordings kept in the database.
AUDIO_CACHE_DIR = "audio-cache"
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
_RECORDING_DIRS = {AUDIO_DIR, "recordings", AUDIO_CACHE_DIR}


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


def resolve_database_url(url: str | None = None, data_dir: str | os.PathLike | None = None) -> str:
    """The argument if given, else ``$COACH_DATABASE_URL``, else the SQLite file in the data directory.

    ``postgresql://`` and ``postgres://`` mean the psycopg (3) driver.
    """
    found = (url or os.environ.get(ENV_DATABASE_URL, "")).strip()
    if not found:
        return f"sqlite:///{resolve_data_dir(data_dir).resolve() / DB_NAME}"
    for plain in ("postgresql://", "postgres://"):
        if found.startswith(plain):
            return "postgresql+psycopg://" + found[len(plain) :]
    return found


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
    """The take history (created on first use), as seen by one acting user (:mod:`coach.history.access`).

    ``data_dir``: the local folder (SQLite file, audio, caches). ``url``: a
    SQLAlchemy database URL (default ``$COACH_DATABASE_URL``, else the SQLite
    file in ``data_dir``). ``audio_dir``: where recordings are kept (default
    ``$COACH_AUDIO_DIR``; else ``<data_dir>/audio`` for the SQLite default and
    in the database itself for any other URL). ``actor``: who is acting
    (default: the single user of a coach without sign-in, who may do
    everything).
    """

    def __init__(
        self,
        data_dir: str | os.PathLike | None = None,
        *,
        url: str | None = None,
        audio_dir: str | os.PathLike | None = None,
        actor: Actor = LOCAL,
    ) -> None:
        self.data_dir = resolve_data_dir(data_dir).resolve()
        self.db_path = self.data_dir / DB_NAME
        self.actor = actor
        self.url = resolve_database_url(url, self.data_dir)
        self.is_default_sqlite = url is None and not os.environ.get(ENV_DATABASE_URL, "").strip()
        self.where = str(self.db_path) if self.is_default_sqlite else _redacted(self.url)
        folder = audio_dir if audio_dir is not None else os.environ.get(ENV_AUDIO_DIR, "").strip() or None
        if folder is None and self.is_default_sqlite:
            folder = self.data_dir / AUDIO_DIR
        #: Where the recordings are kept; None: in the database, with their rows.
        self.audio_store: Path | None = Path(folder).expanduser().resolve() if folder is not None else None
        #: Where a recording is found on disk: the audio folder, or a cache of the rows' audio.
        self.audio_dir = self.audio_store if self.audio_store is not None else self.data_dir / AUDIO_CACHE_DIR
        try:
            self.audio_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryError(
                f"Cannot create the history folder {self.audio_dir.parent}: {exc.strerror or exc}. "
                f"Choose a writable folder with the {ENV_DATA_DIR} environment variable."
            ) from exc
        self._engine = _engine(self.url)
        with self._errors():
            migrate(self._engine, self.audio_store, self.where)

    def as_actor(self, actor: Actor) -> History:
        """The same history, acting for ``actor`` (nothing is reopened or migrated)."""
        other = object.__new__(History)
        other.__dict__.update(self.__dict__)
        other.actor = actor
        return other

    # -- connections and access --------------------------------------------

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            raise _history_error(self.where, self.audio_dir, exc) from exc
        except OperationalError as exc:
            raise _history_error(self.where, self.audio_dir, exc) from exc

    @contextmanager
    def _connect(self, *, write: bool = False) -> Iterator[Connection]:
        """One transaction: commits on success, rolls back on error (``write``: takes SQLite's write lock first)."""
        with self._errors():
            conn = self._engine.connect()
            if write:
                conn = conn.execution_options(sqlite_immediate=True)
            with conn, conn.begin():
                yield conn

    def _need_trainer(self, what: str) -> None:
        if not self.actor.sees_everyone:
            raise AccessDeniedError(f"Only a trainer can {what}. Ask your trainer.")

    def _visible(self) -> ColumnElement[bool]:
        """The takes the acting user may see: all of them, or a rep's own."""
        return true() if self.actor.sees_everyone else takes.c.owner == self.actor.id

    def _check_take(self, conn: Connection, take_id: int) -> Row:
        """The take's row if it exists and the acting user may see it; else the same refusal either way."""
        row = conn.execute(
            select(takes.c.id, takes.c.owner, takes.c.audio_file).where(takes.c.id == int(take_id))
        ).first()
        if not self.actor.sees_everyone and (row is None or row.owner != self.actor.id):
            # The same answer whether it exists or not: a guessed id tells a rep nothing.
            raise AccessDeniedError(f"There is no take #{take_id} among your takes: you can open only your own.")
        if row is None:
            raise HistoryError(f"There is no take #{take_id} in the history.")
        return row

    def check(self) -> None:
        """Read every page of a SQLite database (its quick check); DamagedHistoryError when one is bad."""
        with self._connect() as conn:
            if conn.dialect.name != "sqlite":
                conn.execute(select(func.count()).select_from(takes))
                return
            problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise _damaged(self.where, self.audio_dir, "; ".join(problems))

    # -- writing ---------------------------------------------------------

    def save_take(
        self,
        audio_path: str | os.PathLike,
        report: Report,
        *,
        source: str = "upload",
        context: dict[str, Any] | None = None,
        fingerprint: str | None = None,
        owner: str | None = None,
    ) -> int:
        """Keep one take: its audio and its row, together or not at all. Returns the take id.

        The take's rep is the report's rep name; ``fingerprint`` is the
        :meth:`~coach.config.Config.rules_fingerprint` of the settings that scored it.
        ``owner``: whose take it is (a rep's e-mail); a rep's own takes are always theirs,
        a trainer may file a take under a rep.
        """
        src = Path(audio_path)
        if not src.is_file():
            raise FileNotFoundCoachError(f"Cannot save the take: the recording {src} does not exist any more.")
        if source not in SOURCES:
            raise HistoryError(f"Unknown take source {source!r}; use one of: {', '.join(SOURCES)}.")
        if self.actor.sees_everyone:
            owner = owner or (None if self.actor.role == "owner" else self.actor.id)
        elif owner not in (None, self.actor.id):
            raise AccessDeniedError("A rep can save takes only as themselves.")
        else:
            owner = self.actor.id
        context = dict(context or {})
        context.setdefault("source", source)
        if report.prospect and "prospect" not in context:
            context["prospect"] = report.prospect
        if report.script and "script" not in context:
            context["script"] = report.script
        file_name = str(context.get("file_name") or Path(report.file).name or src.name)
        prospect = context.get("prospect") or None

        score = report.score.value if report.score is not None else None
        created = _now_iso()
        row: dict[str, Any] = {
            "created_at": created,
            "source": source,
            "file_name": file_name,
            "score": score,
            "duration_s": float(report.duration_s),
            "prospect": prospect,
            "context_json": json.dumps(context, ensure_ascii=False, default=str),
            "report_json": report.to_json(),
            "rep": rep_of(report),
            "settings_fingerprint": fingerprint,
            "owner": owner,
        }
        final: Path | None = None
        if self.audio_store is not None:
            final = self.audio_store / f"{uuid.uuid4().hex}{_safe_extension(src)}"
            row["audio_file"] = final.name
            row["audio_sha256"] = self._place_audio(src, final)
        else:
            blob, ext, row["audio_sha256"] = _audio_blob(src, self.where)
            row["audio_file"] = f"{uuid.uuid4().hex}{ext}"
            row["audio_blob"] = blob
        committed = False
        try:
            with self._connect(write=True) as conn:
                take_id = int(conn.execute(insert(takes).values(**row).returning(takes.c.id)).scalar_one())
                conn.execute(
                    insert(machine_scores).values(
                        take_id=take_id, created_at=created, score=score, fingerprint=fingerprint
                    )
                )
            committed = True
        finally:
            if not committed and final is not None:
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
                f"Cannot store the recording in {final.parent}: {exc.strerror or exc}. "
                "Check that the folder is writable and the disk is not full."
            ) from exc
        return digest.hexdigest()

    def delete_take(self, take_id: int) -> None:
        """Remove a take's row (and its audio with it, or its audio file after). A rep deletes only their own."""
        with self._connect(write=True) as conn:
            row = self._check_take(conn, take_id)
            conn.execute(delete(takes).where(takes.c.id == int(take_id)))
        if self.audio_store is not None:
            (self.audio_store / row.audio_file).unlink(missing_ok=True)
        _cache_path(self.audio_dir, row.audio_file).unlink(missing_ok=True)

    def clean_orphans(self, *, grace_s: float = ORPHAN_GRACE_S, dry_run: bool = False) -> list[Path]:
        """Delete audio files that no database names (left by a crash mid-save); only ``coach history clean`` calls it.

        A file is kept when the current database names it, or when any other
        file in the data directory does (a history moved aside, damaged or
        not, is searched byte for byte), or when it is younger than
        ``grace_s`` (it may belong to a save another process is making now).
        Audio kept in the database leaves no orphans: nothing to do.
        """
        self._need_trainer("clean up the recordings")
        if self.audio_store is None:
            return []
        with self._connect() as conn:
            known = set(conn.execute(select(takes.c.audio_file)).scalars())
        cutoff = time.time() - grace_s
        candidates = []
        for path in self.audio_store.iterdir():
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
        self, take_id: int, report: Report, *, fingerprint: str | None, conn: Connection | None = None
    ) -> None:
        """Record a new machine result for a take (a re-score, or a forced re-analysis); a trainer's action.

        The report, machine score, rep and fingerprint are replaced and the
        score is appended to the take's machine scores; the take's notes,
        overrides and verdict stay attached. ``conn``: from :meth:`transaction`,
        to update many takes in one transaction.
        """
        self._need_trainer("re-score takes")
        if conn is None:
            with self._connect(write=True) as own:
                self.update_result(take_id, report, fingerprint=fingerprint, conn=own)
            return
        score = report.score.value if report.score is not None else None
        with self._errors():
            result = conn.execute(
                update(takes)
                .where(takes.c.id == int(take_id))
                .values(
                    report_json=report.to_json(),
                    score=score,
                    duration_s=float(report.duration_s),
                    rep=rep_of(report),
                    settings_fingerprint=fingerprint,
                )
            )
            if result.rowcount != 1:
                raise HistoryError(f"There is no take #{take_id} in the history.")
            conn.execute(
                insert(machine_scores).values(
                    take_id=int(take_id), created_at=_now_iso(), score=score, fingerprint=fingerprint
                )
            )

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One connection and transaction for many :meth:`update_result` calls (all or nothing); a trainer's."""
        self._need_trainer("re-score takes")
        with self._connect(write=True) as conn:
            yield conn

    def set_verdict(self, take_id: int, verdict: str | None) -> None:
        """The trainer's verdict: ``passed``, ``retake`` (needs another take), or None (by the score)."""
        self._need_trainer("give a verdict")
        if verdict is not None and verdict not in VERDICTS:
            raise HistoryError(f"Unknown verdict {verdict!r}; use one of: {', '.join(VERDICTS)} (or none).")
        self._update_one(take_id, verdict=verdict)

    def set_rep(self, take_id: int, rep: str | None) -> None:
        """Assign a take to a rep (None or "": unassigned); the stored report's rep name follows."""
        self._need_trainer("move a take to another rep")
        take = self.get_take(take_id)
        name = (rep or "").strip()
        from coach.report import RepProfile

        base = take.report.rep or RepProfile()
        updated = dataclasses.replace(base, name=name)
        take.report.rep = None if updated.is_empty else updated
        self._update_one(take_id, rep=name or None, report_json=take.report.to_json())

    def add_note(self, take_id: int, text: str, *, at_s: float | None = None, author: str = "") -> int:
        """Pin a comment to a moment of a take (``at_s`` seconds; None: the whole take). Returns its id."""
        self._need_trainer("write notes")
        text = text.strip()
        if not text:
            raise HistoryError("A note needs some text.")
        if at_s is not None and not (at_s >= 0):
            raise HistoryError(f"A note's time must be 0 s or later, got {at_s}.")
        return self._insert(
            take_id, notes, at_s=at_s, text=text, author=author.strip() or self._author(), created_at=_now_iso()
        )

    def delete_note(self, note_id: int) -> None:
        self._need_trainer("delete notes")
        with self._connect(write=True) as conn:
            conn.execute(delete(notes).where(notes.c.id == int(note_id)))

    def dismiss_finding(self, take_id: int, code: str, reason: str, *, author: str = "") -> int:
        """Mark the machine's finding(s) of rule ``code`` on this take wrong, saying why. Returns the override id."""
        self._need_trainer("overrule the machine")
        reason = reason.strip()
        if not reason:
            raise HistoryError("Say why the finding is wrong: the rep reads the reason.")
        return self._insert(
            take_id,
            overrides,
            action="dismiss",
            code=code.strip(),
            reason=reason,
            author=author.strip() or self._author(),
            created_at=_now_iso(),
        )

    def add_finding(
        self, take_id: int, text: str, severity: str, *, code: str | None = None, reason: str = "", author: str = ""
    ) -> int:
        """Add a finding the rules missed: a catalogue ``code`` or free ``text`` (code ``T<id>``). Returns its id."""
        self._need_trainer("add findings")
        text = text.strip()
        if severity not in SEVERITIES:
            raise HistoryError(f"Unknown severity {severity!r}; use one of: {', '.join(SEVERITIES)}.")
        if not text and not code:
            raise HistoryError("Say what the rules missed (a rule code or some text).")
        with self._connect(write=True) as conn:
            self._check_take(conn, take_id)
            new_id = int(
                conn.execute(
                    insert(overrides)
                    .values(
                        take_id=int(take_id),
                        action="add",
                        code=(code or "").strip(),
                        text=text,
                        severity=severity,
                        reason=reason.strip(),
                        author=author.strip() or self._author(),
                        created_at=_now_iso(),
                    )
                    .returning(overrides.c.id)
                ).scalar_one()
            )
            if not code:
                conn.execute(update(overrides).where(overrides.c.id == new_id).values(code=f"T{new_id}"))
        return new_id

    def delete_override(self, override_id: int) -> None:
        self._need_trainer("delete overrides")
        with self._connect(write=True) as conn:
            conn.execute(delete(overrides).where(overrides.c.id == int(override_id)))

    def _author(self) -> str:
        return "" if self.actor.role == "owner" else self.actor.label

    def _update_one(self, take_id: int, **values: Any) -> None:
        with self._connect(write=True) as conn:
            self._check_take(conn, take_id)
            conn.execute(update(takes).where(takes.c.id == int(take_id)).values(**values))

    def _insert(self, take_id: int, table: Table, **values: Any) -> int:
        with self._connect(write=True) as conn:
            self._check_take(conn, take_id)
            return int(
                conn.execute(insert(table).values(take_id=int(take_id), **values).returning(table.c.id)).scalar_one()
            )

    # -- reading ---------------------------------------------------------

    def list_takes(self, *, rep: str | None = None) -> list[TakeSummary]:
        """The takes the acting user may see (or one rep's of them), newest first."""
        query = select(*_summary_columns()).where(self._visible())
        if rep is not None:
            query = query.where(takes.c.rep.is_(None) if not rep else takes.c.rep == rep)
        with self._connect() as conn:
            rows = conn.execute(query.order_by(takes.c.created_at.desc(), takes.c.id.desc())).all()
        return [TakeSummary(**_summary_fields(r)) for r in rows]

    def get_take(self, take_id: int) -> Take:
        """One take with its report, the path of its audio, its notes and overrides (a rep: only their own)."""
        with self._connect() as conn:
            self._check_take(conn, take_id)
        found = self.load_takes([take_id])
        if not found:
            raise HistoryError(f"There is no take #{take_id} in the history.")
        return found[0]

    def load_takes(self, ids: list[int] | None = None) -> list[Take]:
        """Takes in full (all the acting user may see when ``ids`` is None), newest first, with notes and overrides.

        A rep gets only their own of ``ids``; the others are left out.
        """
        if ids is not None and not ids:
            return []
        wanted = [int(i) for i in ids] if ids is not None else None
        columns = [c for c in takes.c if c.name != "audio_blob"]
        query = select(*columns).where(self._visible())
        if wanted is not None:
            query = query.where(takes.c.id.in_(wanted))
        with self._connect() as conn:
            rows = conn.execute(query.order_by(takes.c.created_at.desc(), takes.c.id.desc())).all()
            found = [r.id for r in rows]
            note_rows = conn.execute(
                select(notes).where(notes.c.take_id.in_(found)).order_by(nulls_last(notes.c.at_s.asc()), notes.c.id)
            ).all()
            override_rows = conn.execute(
                select(overrides).where(overrides.c.take_id.in_(found)).order_by(overrides.c.id)
            ).all()
            if self.audio_store is None:
                self._cache_audio(conn, rows)
        notes_of: dict[int, list[Note]] = {}
        for n in note_rows:
            notes_of.setdefault(n.take_id, []).append(
                Note(n.id, n.take_id, n.at_s, n.text, n.author, _parse_time(n.created_at))
            )
        overrides_of: dict[int, list[Override]] = {}
        for o in override_rows:
            overrides_of.setdefault(o.take_id, []).append(
                Override(
                    o.id, o.take_id, o.action, o.code, o.text, o.severity, o.reason, o.author, _parse_time(o.created_at)
                )
            )
        result = []
        for r in rows:
            try:
                report = Report.from_dict(json.loads(r.report_json))
                context = json.loads(r.context_json)
            except (ValueError, TypeError, KeyError) as exc:
                raise HistoryError(
                    f"Take #{r.id} in {self.where} has an unreadable report ({exc}); delete that take."
                ) from exc
            result.append(
                Take(
                    **_summary_fields(r),
                    context=context,
                    report=report,
                    audio_path=_cache_path(self.audio_dir, r.audio_file)
                    if self.audio_store is None
                    else self.audio_dir / r.audio_file,
                    notes=tuple(notes_of.get(r.id, ())),
                    overrides=tuple(overrides_of.get(r.id, ())),
                )
            )
        return result

    def _cache_audio(self, conn: Connection, rows: Sequence[Row]) -> None:
        """Write the recordings kept in the database that this server has not cached yet to its audio cache."""
        missing = [r.audio_file for r in rows if not _cache_path(self.audio_dir, r.audio_file).is_file()]
        for start in range(0, len(missing), 50):
            chunk = missing[start : start + 50]
            for name, blob in conn.execute(
                select(takes.c.audio_file, takes.c.audio_blob).where(takes.c.audio_file.in_(chunk))
            ).all():
                if blob is None:
                    continue
                path = _cache_path(self.audio_dir, name)
                tmp = path.with_name(f"{_TMP_PREFIX}{uuid.uuid4().hex}-{path.name}")
                try:
                    tmp.write_bytes(blob)
                    os.replace(tmp, path)
                except OSError:
                    tmp.unlink(missing_ok=True)

    def audio_bytes(self, take_id: int) -> bytes:
        """The recording of a take as it is stored (a rep: only their own)."""
        return self.get_take(take_id).audio_path.read_bytes()

    def find_by_sha256(self, sha256: str) -> int | None:
        """The newest take (of those the acting user sees) whose recording has these bytes, or None."""
        with self._connect() as conn:
            found = conn.execute(
                select(takes.c.id)
                .where(self._visible(), takes.c.audio_sha256 == sha256)
                .order_by(takes.c.created_at.desc(), takes.c.id.desc())
                .limit(1)
            ).scalar()
        return None if found is None else int(found)

    def reps(self) -> list[str]:
        """Every rep with a take the acting user sees, alphabetically (unassigned takes are not a rep)."""
        with self._connect() as conn:
            names = conn.execute(
                select(takes.c.rep).where(self._visible(), takes.c.rep.is_not(None)).distinct()
            ).scalars()
            return sorted(names, key=lambda n: (n.casefold(), n))

    def last_rep_name(self, sources: tuple[str, ...] = ("record", "upload", "sample")) -> str | None:
        """The rep name of the newest take from ``sources`` that has one (default: the Practice page's own
        takes, not a trainer's batch import): the Practice page offers it again."""
        with self._connect() as conn:
            found = conn.execute(
                select(takes.c.rep)
                .where(self._visible(), takes.c.rep.is_not(None), takes.c.source.in_(sources))
                .order_by(takes.c.created_at.desc(), takes.c.id.desc())
                .limit(1)
            ).scalar()
        return None if found is None else str(found)

    def machine_scores(self, take_id: int) -> list[tuple[datetime, int | None, str | None]]:
        """Every machine score the take has had, oldest first: (when, score, settings fingerprint)."""
        with self._connect() as conn:
            self._check_take(conn, take_id)
            rows = conn.execute(
                select(machine_scores.c.created_at, machine_scores.c.score, machine_scores.c.fingerprint)
                .where(machine_scores.c.take_id == int(take_id))
                .order_by(machine_scores.c.id)
            ).all()
        return [(_parse_time(r.created_at), r.score, r.fingerprint) for r in rows]

    def score_series(self) -> list[ScorePoint]:
        """Scored takes the acting user sees, oldest first: the data for a score-over-time chart."""
        with self._connect() as conn:
            rows = conn.execute(
                select(takes.c.id, takes.c.created_at, takes.c.score)
                .where(self._visible(), takes.c.score.is_not(None))
                .order_by(takes.c.created_at.asc(), takes.c.id.asc())
            ).all()
        return [ScorePoint(r.id, _parse_time(r.created_at), r.score) for r in rows]

    def __len__(self) -> int:
        with self._connect() as conn:
            return int(conn.execute(select(func.count()).select_from(takes).where(self._visible())).scalar_one())


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


_ENGINES: dict[tuple[str, int], Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(url: str) -> Engine:
    """One engine per database URL and process (a forked worker makes its own).

    SQLite: no pool (a new connection per transaction, as a moved-aside file
    must not be written through an old connection), WAL mode, full sync,
    foreign keys on, a 30 s wait for the write lock, and ``BEGIN IMMEDIATE``
    for writing transactions. PostgreSQL: a small pool whose connections are
    checked before use.
    """
    key = (url, os.getpid())
    with _ENGINES_LOCK:
        found = _ENGINES.get(key)
        if found is not None:
            return found
        try:
            parsed = make_url(url)
            if parsed.get_backend_name() == "sqlite":
                engine = create_engine(url, poolclass=NullPool, connect_args={"timeout": 30.0})
                _sqlite_events(engine)
            else:
                engine = create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)
        except (ArgumentError, NoSuchModuleError, ValueError) as exc:
            raise HistoryError(
                f"The history's database address {_redacted(url)} cannot be used ({exc}). Set "
                f"{ENV_DATABASE_URL} to an address like postgresql://user:password@host/coach, or unset it "
                "for the SQLite file in the data folder."
            ) from exc
        _ENGINES[key] = engine
        return engine


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's BEGIN below, not the driver's
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _redacted(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "(an unreadable database address)"


def _audio_blob(src: Path, where: str) -> tuple[bytes, str, str]:
    """The recording as kept in the database: (bytes, extension, SHA-256 of the original bytes).

    A PCM WAV is stored as FLAC (lossless, about half the size); anything else
    (already compressed, or float samples FLAC cannot hold) as it was given.
    """
    try:
        raw = src.read_bytes()
    except OSError as exc:
        raise HistoryError(
            f"Cannot read the recording {src.name} to keep it in {where}: {exc.strerror or exc}."
        ) from exc
    sha = hashlib.sha256(raw).hexdigest()
    try:
        import soundfile as sf

        info = sf.info(io.BytesIO(raw))
        if info.format == "WAV" and info.subtype in ("PCM_16", "PCM_24", "PCM_U8"):
            data, rate = sf.read(io.BytesIO(raw), dtype="int32", always_2d=True)
            out = io.BytesIO()
            sf.write(out, data, rate, format="FLAC", subtype="PCM_24" if info.subtype == "PCM_24" else "PCM_16")
            return out.getvalue(), ".flac", sha
    except (RuntimeError, ValueError, TypeError, OSError):
        pass
    return raw, _safe_extension(src), sha


def _cache_path(folder: Path, audio_file: str) -> Path:
    """Where this server keeps its copy of a stored recording (the stored name is ours: ``<uuid>.<ext>``)."""
    return folder / Path(audio_file).name


def _history_error(where: str, audio_dir: Path, exc: Exception) -> HistoryError:
    orig = getattr(exc, "orig", exc)
    if getattr(orig, "sqlite_errorname", "") in _DAMAGED_CODES:
        return _damaged(where, audio_dir, str(orig))
    return HistoryError(
        f"The take history {where} cannot be read or written ({orig}). Check that the folder is "
        f"writable and the disk is not full (or that the database server is up), or choose another "
        f"history with the {ENV_DATA_DIR} or {ENV_DATABASE_URL} environment variable."
    )


def _damaged(where: str, audio_dir: Path, detail: str) -> DamagedHistoryError:
    return DamagedHistoryError(
        f"The take history {where} is damaged ({detail}). Your recordings are safe in {audio_dir}. "
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


_SUMMARY_NAMES = (
    "id",
    "created_at",
    "source",
    "file_name",
    "score",
    "duration_s",
    "prospect",
    "rep",
    "verdict",
    "audio_sha256",
    "settings_fingerprint",
)


def _summary_columns() -> list:
    return [takes.c[name] for name in _SUMMARY_NAMES]


def _summary_fields(row: Row) -> dict[str, Any]:
    """The :class:`TakeSummary` fields of a ``takes`` row."""
    fields_ = {name: getattr(row, name) for name in _SUMMARY_NAMES}
    fields_["created_at"] = _parse_time(fields_["created_at"])
    return fields_


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
