"""The app's line for analyses (coach.ui.state.TurnQueue), driven by real threads.

Each take gets a ticket when submitted, waits its turn, and is told how many
takes are ahead of it each time that changes. Every wait here is bounded
(``join(timeout)``, ``Event.wait(timeout)``), so a deadlock fails the test
instead of hanging it.
"""

from __future__ import annotations

import threading

import pytest

from coach.ui.state import TurnQueue, waiting_label

BOUND_S = 20.0


class Take(threading.Thread):
    """A take in its own thread: joins the line, records each "N ahead" it is told, runs until released."""

    def __init__(self, queue: TurnQueue, name: str, ran: list[str], *, fail: bool = False) -> None:
        super().__init__(name=name, daemon=True)
        self.queue, self.ran, self.fail = queue, ran, fail
        self.told: list[int] = []
        self.running = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.queue.turn(on_wait=self.told.append):
                self.ran.append(self.name)
                self.running.set()
                assert self.release.wait(BOUND_S), "never released"
                if self.fail:
                    raise RuntimeError(f"{self.name} failed")
        except RuntimeError as exc:
            self.error = exc


def _line_up(queue: TurnQueue, names: list[str], ran: list[str], **kwargs) -> list[Take]:
    """Start the takes one after another, each in the line before the next starts."""
    takes = []
    for name in names:
        take = Take(queue, name, ran, **kwargs.get(name, {}))
        before = len(queue)
        take.start()
        _until(lambda b=before: len(queue) == b + 1)
        takes.append(take)
    return takes


def _until(condition, timeout: float = BOUND_S) -> None:
    done = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():
            return
        done.wait(0.01)
    raise AssertionError("timed out waiting for the queue")


def _finish(take: Take) -> None:
    take.release.set()
    take.join(BOUND_S)
    assert not take.is_alive(), f"{take.name} is stuck"


def test_takes_run_one_at_a_time_in_the_order_they_were_submitted_and_hear_their_place() -> None:
    queue, ran = TurnQueue(), []
    takes = _line_up(queue, ["a", "b", "c", "d"], ran)
    assert takes[0].running.wait(BOUND_S)
    _until(lambda: [t.told for t in takes] == [[], [1], [2], [3]])
    for i, take in enumerate(takes):
        assert take.running.wait(BOUND_S)
        assert ran == [t.name for t in takes[: i + 1]]  # nobody after it has started
        assert not any(t.running.is_set() for t in takes[i + 1 :])
        # Each one waiting has heard its new place before this turn ends (a busy machine may be slow to tell).
        _until(lambda i=i: all(t.told and t.told[-1] == j - i for j, t in enumerate(takes) if j > i))
        _finish(take)
    # Each was told every place it moved through, counting down: "3 ahead", "2 ahead", "1 ahead".
    assert [t.told for t in takes] == [[], [1], [2, 1], [3, 2, 1]]
    assert len(queue) == 0


def test_a_failing_take_gives_up_its_turn() -> None:
    queue, ran = TurnQueue(), []
    first, second = _line_up(queue, ["fails", "next"], ran, fails={"fail": True})
    assert first.running.wait(BOUND_S)
    _finish(first)
    assert isinstance(first.error, RuntimeError)
    assert second.running.wait(BOUND_S), "the failed take kept its turn"
    _finish(second)
    assert ran == ["fails", "next"] and len(queue) == 0


def test_a_take_that_leaves_while_waiting_lets_the_ones_behind_move_up() -> None:
    queue, ran = TurnQueue(), []
    (running,) = _line_up(queue, ["running"], ran)
    assert running.running.wait(BOUND_S)
    abandoned = queue.ticket()  # a session that joined and went away before its turn
    (behind,) = _line_up(queue, ["behind"], ran)
    _until(lambda: behind.told == [2])
    queue.leave(abandoned)
    _until(lambda: behind.told == [2, 1])
    _finish(running)
    assert behind.running.wait(BOUND_S)
    _finish(behind)
    assert ran == ["running", "behind"]


def test_many_takes_at_once_all_finish_each_alone() -> None:
    queue = TurnQueue()
    inside, most, lock = [0], [0], threading.Lock()
    finished: list[int] = []

    def take(n: int) -> None:
        with queue.turn():
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            threading.Event().wait(0.001)
            with lock:
                inside[0] -= 1
                finished.append(n)

    threads = [threading.Thread(target=take, args=(n,), daemon=True) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(BOUND_S)
    assert not any(t.is_alive() for t in threads), "deadlock"
    assert sorted(finished) == list(range(40)) and most[0] == 1 and len(queue) == 0


@pytest.mark.parametrize(("ahead", "words"), [(1, "1 take ahead of yours"), (2, "2 takes ahead of yours")])
def test_the_page_says_how_many_takes_are_ahead(ahead: int, words: str) -> None:
    assert waiting_label(ahead).startswith(words)
