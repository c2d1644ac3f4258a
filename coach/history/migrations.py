"""The history database's schema, one Alembic revision at a time (``coach/history/alembic/versions``).

A :class:`~coach.history.store.History` runs the missing revisions when it
opens a database, in one transaction, under a lock (``BEGIN IMMEDIATE`` on
SQLite, an advisory lock on PostgreSQL), so two processes opening it at once
migrate it once and a failure (or a kill) leaves it as it was. A database
made by a newer coach than this one is refused with a clear message rather
than written to.

Revisions (the schema number is the revision's):

1. ``takes``: one row per take (report JSON, context, score...).
2. The trainer's review: ``rep``, ``audio_sha256``, ``settings_fingerprint``,
   ``verdict``; tables ``notes``, ``overrides``, ``machine_scores``.
3. The team server: ``owner`` (who saved it when sign-in is on) and
   ``audio_blob`` (the recording, when the audio lives in the database).

A SQLite file made before Alembic (schema 1 or 2, numbered by SQLite's
``PRAGMA user_version``) is stamped with its revision and upgraded in place.
On SQLite ``user_version`` keeps following the schema number, so an older
coach refuses a newer file instead of writing to it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text

from coach.errors import HistoryError

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
#: The schema this code writes (the newest revision's number).
SCHEMA_VERSION = 3
_HEAD = f"{SCHEMA_VERSION:04d}"
#: An arbitrary constant: the PostgreSQL advisory lock that serialises migrations.
_PG_LOCK = 7_310_013


def migrate(engine: Engine, audio_dir: Path | None, where: str) -> int:
    """Bring the database to :data:`SCHEMA_VERSION`; returns the version it had. ``where`` names it in messages."""
    with engine.connect() as conn:
        found = _version(conn, where)
    if found == SCHEMA_VERSION:
        return found
    with engine.connect().execution_options(sqlite_immediate=True) as conn, conn.begin():
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
        found = _version(conn, where)  # again, under the lock: another process may have migrated it
        if found == SCHEMA_VERSION:
            return found
        cfg = _config(conn, audio_dir)
        if found and not _has_alembic_table(conn):
            command.stamp(cfg, f"{found:04d}")
        command.upgrade(cfg, _HEAD)
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return found


def _config(conn: Connection, audio_dir: Path | None) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(SCRIPT_LOCATION))
    cfg.attributes["connection"] = conn
    cfg.attributes["audio_dir"] = str(audio_dir or "")
    return cfg


def _has_alembic_table(conn: Connection) -> bool:
    return "alembic_version" in inspect(conn).get_table_names()


def _version(conn: Connection, where: str) -> int:
    """The schema number of the database on ``conn`` (0: empty)."""
    if _has_alembic_table(conn):
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        known = {script.revision for script in ScriptDirectory(str(SCRIPT_LOCATION)).walk_revisions()}
        if revision is None:
            return 0
        if revision not in known:
            raise _newer(where, str(revision))
        return int(revision)
    legacy = int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0) if conn.dialect.name == "sqlite" else 0
    if legacy > SCHEMA_VERSION or (legacy == SCHEMA_VERSION):
        # A schema this code writes always has Alembic's table: a number this high came from a newer coach.
        raise _newer(where, str(legacy))
    if legacy == 0 and "takes" in inspect(conn).get_table_names():
        return 1  # the very first history created its table before numbering it
    return legacy


def _newer(where: str, found: str) -> HistoryError:
    return HistoryError(
        f"The take history {where} was made by a newer version of the coach (schema {found}; this "
        f"one reads up to {SCHEMA_VERSION}). Update the coach, or choose another history with the "
        "COACH_DATA_DIR or COACH_DATABASE_URL environment variable."
    )


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


def rep_of_json(report_json: str) -> str | None:
    """The rep name of a stored report's JSON (None: unassigned or unreadable)."""
    try:
        rep = json.loads(report_json).get("rep") or {}
        name = str(rep.get("name") or "").strip()
    except (ValueError, AttributeError):
        return None
    return name or None
