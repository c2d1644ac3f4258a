"""Alembic's entry point for the history: runs on the connection :func:`coach.history.migrations.migrate` passes.

There is no ``alembic.ini``: the coach runs its migrations itself when a
:class:`~coach.history.store.History` opens a database, inside the
transaction (and lock) that ``migrate`` holds.
"""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, transactional_ddl=True)
with context.begin_transaction():
    context.run_migrations()
