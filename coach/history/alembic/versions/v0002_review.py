"""Schema 2: the trainer's review.

``takes`` gains ``rep`` (back-filled from the stored reports), ``audio_sha256``
(back-filled from the stored audio), ``settings_fingerprint`` and ``verdict``;
new tables ``notes``, ``overrides`` and ``machine_scores`` (every machine
score a take has had; the stored score is its first).

Revision ID: 0002
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from coach.history.migrations import file_sha256, rep_of_json

    for name in ("rep", "audio_sha256", "settings_fingerprint", "verdict"):
        op.add_column("takes", sa.Column(name, sa.Text))
    op.create_index("takes_rep", "takes", ["rep"])
    op.create_index("takes_sha256", "takes", ["audio_sha256"])
    fk = sa.ForeignKey("takes.id", ondelete="CASCADE")
    op.create_table(
        "notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("take_id", sa.Integer, fk, nullable=False),
        sa.Column("at_s", sa.Float),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("notes_take", "notes", ["take_id"])
    op.create_table(
        "overrides",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("take_id", sa.Integer, sa.ForeignKey("takes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("action", sa.Text, nullable=False),
        sa.Column("code", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False, server_default=""),
        sa.Column("severity", sa.Text),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("overrides_take", "overrides", ["take_id"])
    op.create_table(
        "machine_scores",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("take_id", sa.Integer, sa.ForeignKey("takes.id", ondelete="CASCADE"), nullable=False),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("score", sa.Integer),
        sa.Column("fingerprint", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("machine_scores_take", "machine_scores", ["take_id"])

    audio_dir = Path(context.config.attributes["audio_dir"])
    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT id, created_at, score, audio_file, report_json FROM takes")).all()
    for take_id, created_at, score, audio_file, report_json in rows:
        bind.execute(
            sa.text("UPDATE takes SET rep = :rep, audio_sha256 = :sha WHERE id = :id"),
            {"rep": rep_of_json(report_json), "sha": file_sha256(audio_dir / audio_file), "id": take_id},
        )
        bind.execute(
            sa.text(
                "INSERT INTO machine_scores (take_id, created_at, score, fingerprint) VALUES (:id, :at, :score, NULL)"
            ),
            {"id": take_id, "at": created_at, "score": score},
        )
