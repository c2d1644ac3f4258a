"""Who is acting on the history, and what they may do: checked in the store, on every read and write of a take.

Three roles:

``owner``
    The single user of a coach without sign-in (the default): everything.
``trainer``
    Signed in and named a trainer in the configuration: sees every take of
    the team, writes notes, overrides and verdicts, re-scores, deletes.
``rep``
    Signed in, not a trainer: sees, saves and deletes only their own takes
    (those saved under their identity) and reads the trainer's notes on them;
    never another rep's take, audio, notes or scores.
"""

from __future__ import annotations

from dataclasses import dataclass

from coach.errors import HistoryError

ROLES = ("owner", "trainer", "rep")


class AccessDeniedError(HistoryError):
    """The acting user may not do this (a rep reaching for another rep's take, or for a trainer's action)."""

    kind = "access_denied"


@dataclass(frozen=True)
class Actor:
    """The user a :class:`~coach.history.store.History` acts for. ``id`` is the signed-in e-mail (or ``local``)."""

    id: str
    name: str = ""
    role: str = "owner"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise HistoryError(f"Unknown role {self.role!r}; use one of: {', '.join(ROLES)}.")
        if not self.id.strip():
            raise HistoryError("A signed-in user needs an identity (an e-mail or subject).")

    @property
    def sees_everyone(self) -> bool:
        """A trainer (or the single user) sees the team's takes; a rep only their own."""
        return self.role != "rep"

    @property
    def label(self) -> str:
        return self.name or self.id


#: The single user of a coach without sign-in.
LOCAL = Actor("local", "", "owner")


def rep(email: str, name: str = "") -> Actor:
    return Actor(email, name, "rep")


def trainer(email: str, name: str = "") -> Actor:
    return Actor(email, name, "trainer")
