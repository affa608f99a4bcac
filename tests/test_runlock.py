"""One run at a time on a store: a second holder waits, and gives up with a clear message when the first stays."""
from __future__ import annotations

import subprocess
import sys
import time

import pytest

from pipeline.runlock import exclusive
from tests.conftest import ROOT

HOLD = """
import sys, time
from pathlib import Path
from pipeline.runlock import exclusive
with exclusive(Path(sys.argv[1]), 5):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def _holder(lock_file, seconds: float) -> subprocess.Popen:
    """Another process holding the lock for `seconds` (a run of `make monthly` in the middle of its work)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_file), str(seconds)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_run_gives_up_with_a_reason_when_the_first_holds_the_store(tmp_path):
    lock = tmp_path / "store" / ".monitor.lock"
    holder = _holder(lock, 3)
    try:
        started = time.monotonic()
        with pytest.raises(TimeoutError, match="另一次运行正在使用数据库"), exclusive(lock, 0.5, poll_s=0.05):
            pass
        assert time.monotonic() - started < 2.5  # it waited its 0.5 s, not the holder's 3 s
    finally:
        holder.wait(10)


def test_a_second_run_waits_for_the_first_and_then_takes_the_store(tmp_path):
    lock = tmp_path / "store" / ".monitor.lock"
    holder = _holder(lock, 0.8)
    try:
        started = time.monotonic()
        with exclusive(lock, 5, poll_s=0.05):
            waited = time.monotonic() - started
        assert 0.5 < waited < 4  # it waited for the first to let go, then took the store
    finally:
        holder.wait(10)
