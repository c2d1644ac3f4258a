"""Who sees what, checked in the store itself: a rep only their own takes, a trainer the team's (both back ends)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from coach.config import default_config
from coach.history.access import LOCAL, AccessDeniedError, Actor, rep, trainer
from coach.history.store import History
from coach.report import RepProfile
from coach.rules.engine import apply
from factories.report_factory import clean_report

ALICE = rep("alice@example.com", "Alice Reed")
BOB = rep("bob@example.com", "Bob Stone")
PAT = trainer("pat@example.com", "Pat Lee")


@pytest.fixture()
def wav(tmp_path: Path) -> Path:
    path = tmp_path / "in.wav"
    t = np.arange(16000) / 16000
    sf.write(path, 0.3 * np.sin(2 * np.pi * 220 * t), 16000)
    return path


def scored(name: str):
    report = clean_report()
    report.rep = RepProfile(name=name)
    return apply(report, default_config())


def test_a_rep_reaches_only_their_own_takes_through_the_store(tmp_path: Path, wav: Path, history_url) -> None:
    base = History(tmp_path / "data", url=history_url)
    alice, bob, pat = base.as_actor(ALICE), base.as_actor(BOB), base.as_actor(PAT)
    a = alice.save_take(wav, scored("Alice Reed"), source="record")
    b = bob.save_take(wav, scored("Bob Stone"), source="upload")
    with pytest.raises(AccessDeniedError, match="only as themselves"):
        alice.save_take(wav, scored("Alice Reed"), source="record", owner=BOB.id)

    assert [t.id for t in alice.list_takes()] == [a] and len(alice) == 1
    assert [t.id for t in bob.list_takes()] == [b]
    assert alice.reps() == ["Alice Reed"] and [p.id for p in alice.score_series()] == [a]
    assert [t.id for t in alice.load_takes()] == [a] and [t.id for t in alice.load_takes([a, b])] == [a]
    assert alice.find_by_sha256(alice.get_take(a).audio_sha256 or "") == a  # the newest is Bob's, but not hers

    # Bob's take, however Alice asks for it, and with the same answer as a take that does not exist.
    for attempt in (
        lambda: alice.get_take(b),
        lambda: alice.audio_bytes(b),
        lambda: alice.machine_scores(b),
        lambda: alice.delete_take(b),
    ):
        with pytest.raises(AccessDeniedError) as refused:
            attempt()
        assert str(refused.value) == f"There is no take #{b} among your takes: you can open only your own."
    with pytest.raises(AccessDeniedError) as missing:
        alice.get_take(b + 100)
    assert str(missing.value) == f"There is no take #{b + 100} among your takes: you can open only your own."
    assert [t.id for t in pat.list_takes()] == [b, a]  # Bob's take is untouched

    # Only a trainer writes notes, overrides, verdicts; the rep reads them on their own take.
    for trainer_only in (
        lambda: alice.add_note(a, "I was great"),
        lambda: alice.set_verdict(a, "passed"),
        lambda: alice.dismiss_finding(a, "VM101", "no"),
        lambda: alice.add_finding(a, "x", "warning"),
        lambda: alice.set_rep(a, "Bob Stone"),
        lambda: alice.update_result(a, scored("Alice Reed"), fingerprint=None),
        lambda: alice.clean_orphans(),
    ):
        with pytest.raises(AccessDeniedError, match="Only a trainer"):
            trainer_only()
    pat.add_note(a, "Slow down on the number", at_s=4.0)
    pat.set_verdict(b, "retake")
    note = alice.get_take(a).notes[0]
    assert (note.text, note.author) == ("Slow down on the number", "Pat Lee")
    assert pat.get_take(b).verdict == "retake"

    alice.delete_take(a)
    assert alice.list_takes() == [] and [t.id for t in pat.list_takes()] == [b]
    pat.delete_take(b)
    assert len(pat) == 0


def test_the_single_user_and_a_trainer_see_everything_and_batch_takes_can_be_filed_under_a_rep(
    tmp_path: Path, wav: Path
) -> None:
    history = History(tmp_path / "data")
    assert history.actor == LOCAL
    mine = history.save_take(wav, scored("Sam"), source="upload")
    filed = history.as_actor(PAT).save_take(wav, scored("Alice Reed"), source="batch", owner=ALICE.id)
    assert [t.id for t in history.list_takes()] == [filed, mine]
    assert [t.id for t in history.as_actor(ALICE).list_takes()] == [filed]
    assert history.as_actor(BOB).list_takes() == []
    with pytest.raises(Exception, match="Unknown role"):
        Actor("x@example.com", role="admin")


def test_names_from_users_are_data_never_sql_or_paths(tmp_path: Path, wav: Path, history_url) -> None:
    history = History(tmp_path / "data", url=history_url)
    hostile = "x'); DROP TABLE takes; --"
    report = scored(hostile)
    take_id = history.save_take(
        wav, report, source="upload", context={"file_name": "../../../etc/passwd", "prospect": hostile}
    )
    take = history.get_take(take_id)
    assert take.rep == hostile and take.prospect == hostile and take.file_name == "../../../etc/passwd"
    assert history.list_takes(rep=hostile)[0].id == take_id and history.reps() == [hostile]
    # The stored recording has a name of the store's own making, inside the store's folder.
    assert take.audio_path.parent == history.audio_dir and take.audio_path.stem.isalnum()
    assert len(history) == 1
