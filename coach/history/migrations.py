"""The history database's schema, one numbered step at a time.

SQLite's ``PRAGMA user_version`` holds the schema version of a database. A new
database starts at 0 and runs every step; a database made by an earlier
version of the coach runs the steps it lacks, in one transaction, when a
:class:`~coach.history.store.History` first opens it (``BEGIN IMMEDIATE``, so
two processes opening it at once migrate it once). A database made by a newer
coach than this one is refused with a clear message rather than written to.

Steps:

1. ``takes``: one row per take (report JSON, context, score...), the
   schema of the first history.
2. The trainer's review: ``takes`` gains ``rep`` (the report's rep name,
   back-filled from the stored reports), ``audio_sha256`` (the recording's
   content hash, back-filled from the stored audio), ``settings_fingerprint``
   (the rules settings that gave the stored score) and ``verdict`` (the
   trainer's, NULL: by the score); new tables ``notes``, ``overrides`` and
   ``machine_scores`` (every machine score a take has had, re-scores included).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

from coach.errors import HistoryError

_V1 = """
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

_V2 = """
ALTER TABLE takes ADD COLUMN rep TEXT;
ALTER TABLE takes ADD COLUMN audio_sha256 TEXT;
ALTER TABLE takes ADD COLUMN settings_fingerprint TEXT;
ALTER TABLE takes ADD COLUMN verdict TEXT CHECK (verdict IN ('passed', 'retake'));
CREATE INDEX takes_rep ON takes (rep);
CREATE INDEX takes_sha256 ON takes (audio_sha256);
CREATE TABLE notes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    take_id     INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    at_s        REAL,
    text        TEXT    NOT NULL,
    author      TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);
CREATE INDEX notes_take ON notes (take_id);
CREATE TABLE overrides (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    take_id     INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    action      TEXT    NOT NULL CHECK (action IN ('dismiss', 'add')),
    code        TEXT    NOT NULL,
    text        TEXT    NOT NULL DEFAULT '',
    severity    TEXT,
    reason      TEXT    NOT NULL DEFAULT '',
    author      TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL
);
CREATE INDEX overrides_take ON overrides (take_id);
CREATE TABLE machine_scores (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    take_id     INTEGER NOT NULL REFERENCES takes (id) ON DELETE CASCADE,
    created_at  TEXT    NOT NULL,
    score       INTEGER,
    fingerprint TEXT
);
CREATE INDEX machine_scores_take ON machine_scores (take_id);
"""


def _v1(conn: sqlite3.Connection, audio_dir: Path) -> None:
    _script(conn, _V1)


def _v2(conn: sqlite3.Connection, audio_dir: Path) -> None:
    _script(conn, _V2)
    rows = conn.execute("SELECT id, created_at, score, audio_file, report_json FROM takes").fetchall()
    for take_id, created_at, score, audio_file, report_json in rows:
        conn.execute(
            "UPDATE takes SET rep = ?, audio_sha256 = ? WHERE id = ?",
            (_rep_of(report_json), file_sha256(audio_dir / audio_file), take_id),
        )
        conn.execute(
            "INSERT INTO machine_scores (take_id, created_at, score, fingerprint) VALUES (?, ?, ?, NULL)",
            (take_id, created_at, score),
        )


#: (version, step): running ``step`` takes a database from ``version - 1`` to ``version``.
STEPS: list[tuple[int, Callable[[sqlite3.Connection, Path], None]]] = [(1, _v1), (2, _v2)]
#: The version this code writes.
SCHEMA_VERSION = STEPS[-1][0]


def migrate(conn: sqlite3.Connection, audio_dir: Path, db_path: Path) -> int:
    """Bring the database on ``conn`` (opened with ``isolation_level=None``) to :data:`SCHEMA_VERSION`.

    Returns the version it had. Every missing step runs in one transaction:
    a failure (or a kill) leaves the database as it was.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if found > SCHEMA_VERSION:
            raise HistoryError(
                f"The take history {db_path} was made by a newer version of the coach (schema {found}; this "
                f"one reads up to {SCHEMA_VERSION}). Update the coach, or choose another folder with the "
                "COACH_DATA_DIR environment variable."
            )
        for version, step in STEPS:
            if version > found:
                step(conn, audio_dir)
        if found != SCHEMA_VERSION:
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


def file_sha256(path: Path) -> str | None:
    """The SHA-256 of a file's bytes (hex), or None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _rep_of(report_json: str) -> str | None:
    try:
        rep = json.loads(report_json).get("rep") or {}
        name = str(rep.get("name") or "").strip()
    except (ValueError, AttributeError):
        return None
    return name or None


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run ``sql`` statement by statement (``executescript`` would commit the open transaction)."""
    for statement in sql.split(";"):
        if statement.strip():
            conn.execute(statement)
