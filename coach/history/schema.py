"""The history's tables, as SQLAlchemy Core sees them (the newest schema; :mod:`coach.history.alembic` builds it).

The same tables on SQLite (the single-user default) and PostgreSQL (a team's
shared history). Times are ISO 8601 text in UTC, so they sort as text on both.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, LargeBinary, MetaData, Table, Text

metadata = MetaData()

takes = Table(
    "takes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("created_at", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("file_name", Text, nullable=False),
    #: The recording's stored name (``<uuid>.<ext>``): a file in the audio folder, or the name of ``audio_blob``.
    Column("audio_file", Text, nullable=False, unique=True),
    Column("score", Integer),
    Column("duration_s", Float, nullable=False),
    Column("prospect", Text),
    Column("context_json", Text, nullable=False),
    Column("report_json", Text, nullable=False),
    Column("rep", Text),
    Column("audio_sha256", Text),
    Column("settings_fingerprint", Text),
    Column("verdict", Text),
    #: Who saved it when sign-in is on (their e-mail); NULL: saved without sign-in (or by a batch).
    Column("owner", Text),
    #: The recording itself when the audio lives in the database (FLAC for PCM WAV, else the bytes as given).
    Column("audio_blob", LargeBinary),
    sqlite_autoincrement=True,
)

notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("take_id", Integer, ForeignKey("takes.id", ondelete="CASCADE"), nullable=False),
    Column("at_s", Float),
    Column("text", Text, nullable=False),
    Column("author", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    sqlite_autoincrement=True,
)

overrides = Table(
    "overrides",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("take_id", Integer, ForeignKey("takes.id", ondelete="CASCADE"), nullable=False),
    Column("action", Text, nullable=False),
    Column("code", Text, nullable=False),
    Column("text", Text, nullable=False, server_default=""),
    Column("severity", Text),
    Column("reason", Text, nullable=False, server_default=""),
    Column("author", Text, nullable=False, server_default=""),
    Column("created_at", Text, nullable=False),
    sqlite_autoincrement=True,
)

machine_scores = Table(
    "machine_scores",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("take_id", Integer, ForeignKey("takes.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", Text, nullable=False),
    Column("score", Integer),
    Column("fingerprint", Text),
    sqlite_autoincrement=True,
)
