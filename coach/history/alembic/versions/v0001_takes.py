"""Schema 1: ``takes``, one row per take (report JSON, context, score...), the schema of the first history.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "takes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("created_at", sa.Text, nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("file_name", sa.Text, nullable=False),
        sa.Column("audio_file", sa.Text, nullable=False, unique=True),
        sa.Column("score", sa.Integer),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("prospect", sa.Text),
        sa.Column("context_json", sa.Text, nullable=False),
        sa.Column("report_json", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("takes_created", "takes", ["created_at"])
