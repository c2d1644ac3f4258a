"""Schema 3: the team server. ``takes`` gains ``owner`` (who saved it when sign-in is on) and ``audio_blob``
(the recording, when the audio lives in the database rather than in a folder).

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("takes", sa.Column("owner", sa.Text))
    op.add_column("takes", sa.Column("audio_blob", sa.LargeBinary))
    op.create_index("takes_owner", "takes", ["owner"])
