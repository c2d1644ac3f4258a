"""``coach batch --scheduler``: a real ``distributed.LocalCluster`` (two worker processes, loopback) analyses a
batch of good and bad recordings, and the results land in a shared PostgreSQL history.

The cluster runs in the test process; ``coach batch`` runs as a separate
process that only knows the scheduler's address and the database URL, as an
overnight batch on a team server would. Every file comes back once: the good
ones analysed and kept with their reps, the duplicate recognised, the bad
ones reported by name; each worker loaded the model once, through the plugin.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coach.history.store import History
from factories.paths import ROOT, SAMPLES

distributed = pytest.importorskip("distributed")


@pytest.fixture()
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as found:
        yield found


def test_a_batch_on_a_dask_cluster_comes_back_complete_into_the_shared_history(
    tmp_path: Path, cluster, postgres_cluster
) -> None:
    team = tmp_path / "team"
    for rep, names in {"alex": ["good_voicemail"], "bo": ["rushed_number"]}.items():
        (team / rep).mkdir(parents=True)
        for name in names:
            shutil.copyfile(SAMPLES / f"{name}.wav", team / rep / f"{name}.wav")
    shutil.copyfile(SAMPLES / "good_voicemail.wav", team / "bo" / "same_bytes.wav")
    (team / "bo" / "broken.wav").write_bytes(b"this is not a recording\n" * 50)
    (team / "alex" / "empty.mp3").write_bytes(b"")
    url = postgres_cluster.new_database()

    env = dict(os.environ, COACH_DATA_DIR=str(tmp_path / "data"), COACH_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    done = subprocess.run(
        [sys.executable, "-m", "coach", "batch", str(team), "--scheduler", cluster.scheduler_address, "-q"],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
    )
    assert done.returncode == 1, done.stdout + done.stderr  # some files failed
    assert "5 recordings: 2 analysed, 1 duplicates, 2 failed" in done.stdout, done.stdout
    assert "broken.wav" in done.stderr and "empty.mp3" in done.stderr, done.stderr

    history = History(tmp_path / "elsewhere", url=url)
    takes = history.list_takes()
    assert sorted((t.file_name.rsplit("/", 1)[-1], t.rep) for t in takes) == [
        ("good_voicemail.wav", "alex"),
        ("rushed_number.wav", "bo"),
    ]
    assert all(t.source == "batch" and t.score is not None for t in takes)
    assert history.get_take(takes[0].id).audio_path.is_file()  # the audio came with the row

    # The plugin loaded one Analyzer per worker process, and it is the one the tasks used.
    def loaded() -> bool:
        import coach.batch

        return coach.batch._WORKER is not None and coach.batch._WORKER_ERROR is None

    with distributed.Client(cluster.scheduler_address) as client:
        assert set(client.run(loaded).values()) == {True} and len(client.run(loaded)) == 2
