"""The word alignment's dynamic time warping, in numpy, for a process that has not set numba up.

``whisper.timing.find_alignment`` ends with ``dtw_cpu``, written for numba.
A process's first call of any numba function sets numba up (its typing and
code generation tables): 0.45-0.75 s on the development machine, even with
the compiled code loaded from numba's disk cache. For a new process that is
a tenth of the time to its first report, spent on a pass that takes 2 ms.

:func:`dtw` here is the same recurrence, one anti-diagonal of the cost
matrix at a time (every cell of an anti-diagonal depends only on the two
before it): 20-25 ms for a 30 s window of 80 tokens. It gives numba's paths
exactly, ties included: numba's compiled ``dtw_cpu`` keeps its costs in
float64 (``np.ones(..., float32) * np.inf`` is float64 under numba's typing,
float32 under numpy's), so these costs are float64 too; the same code with
float32 costs, which is what ``dtw_cpu``'s Python source does when run
without numba, takes a different path on 17 of 300 random matrices with
ties, and this one on none (tests/unit/test_dtw.py).

:func:`whisper_timing` has whisper's alignment use it, for as long as the
block runs, unless numba's compiled ``dtw_cpu`` is already loaded in the
process (:func:`coach.analysis.windows.warm_whisper_dtw`, which a warmed-up
server or batch worker calls): then numba's, at 2 ms, is used.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np

_LOCK = threading.Lock()
_users = 0
_replaced = None


def dtw(x: np.ndarray) -> np.ndarray:
    """The (text index, time index) path through ``x`` that ``whisper.timing.dtw_cpu`` returns, as a 2xK array."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    rows, cols = x.shape
    width = cols + 1
    # cost and trace are (rows + 1) x (cols + 1), flat: an anti-diagonal is a slice with step cols.
    cost = np.full((rows + 1) * width, np.inf)
    trace = np.full((rows + 1) * width, -1.0, dtype=np.float32)
    cost[0] = 0.0
    flat = x.ravel()
    x_step = max(cols - 1, 1)
    for diagonal in range(2, rows + cols + 1):  # i + j
        lo = max(1, diagonal - cols)
        hi = min(rows, diagonal - 1)
        start = lo * width + diagonal - lo
        end = start + (hi - lo) * cols + 1
        diag = cost[start - width - 1 : end - width - 1 : cols]  # cost[i - 1, j - 1]
        up = cost[start - width : end - width : cols]  # cost[i - 1, j]
        left = cost[start - 1 : end - 1 : cols]  # cost[i, j - 1]
        # whisper's choice, ties included: the diagonal if strictly least, else up if strictly least, else left.
        take_diag = np.less(diag, up)
        take_diag &= np.less(diag, left)
        take_up = np.less(up, diag)
        take_up &= np.less(up, left)
        chosen = left.copy()
        np.copyto(chosen, up, where=take_up)
        np.copyto(chosen, diag, where=take_diag)
        x_start = (lo - 1) * cols + diagonal - lo - 1  # x[i - 1, j - 1]
        chosen += flat[x_start : x_start + (hi - lo) * x_step + 1 : x_step]
        cost[start:end:cols] = chosen
        trace[start:end:cols] = 2.0 - 2.0 * take_diag - take_up
    return _backtrace(trace.reshape(rows + 1, width))


def _backtrace(trace: np.ndarray) -> np.ndarray:
    """``whisper.timing.backtrace``: the path from the last cell back to the first, in order."""
    trace[0, :] = 2
    trace[:, 0] = 1
    steps = trace.tolist()
    i, j = trace.shape[0] - 1, trace.shape[1] - 1
    path = []
    while i > 0 or j > 0:
        path.append((i - 1, j - 1))
        step = steps[i][j]
        if step == 0:
            i, j = i - 1, j - 1
        elif step == 1:
            i -= 1
        elif step == 2:
            j -= 1
        else:
            raise ValueError(f"unexpected trace value {step} at ({i}, {j})")
    return np.array(path)[::-1, :].T


def numba_loaded() -> bool:
    """Whether numba's compiled ``whisper.timing.dtw_cpu`` is loaded in this process (then it is the faster)."""
    import whisper.timing

    return bool(getattr(whisper.timing.dtw_cpu, "signatures", None))


@contextmanager
def whisper_timing() -> Iterator[None]:
    """While the block runs, ``whisper.timing`` aligns with :func:`dtw` unless numba's is loaded.

    Nested and concurrent blocks share one replacement; the last to leave
    puts whisper's own function back.
    """
    global _users, _replaced
    import whisper.timing

    with _LOCK:
        if _users == 0 and not numba_loaded():
            _replaced = whisper.timing.dtw_cpu
            whisper.timing.dtw_cpu = dtw
        _users += 1
    try:
        yield
    finally:
        with _LOCK:
            _users -= 1
            if _users == 0 and _replaced is not None:
                whisper.timing.dtw_cpu = _replaced
                _replaced = None
