"""One run at a time on a store: a second `make monthly` (or a scheduled run overlapping a manual one) waits for
the first to finish, then finds what the first recorded already recorded, instead of both writing at once.

The lock is an advisory lock (flock) on a file beside the store; the system releases it when the holding process
ends, however it ends (kill -9 included), so a crash never leaves the store locked.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.settings import load_section


@dataclass(frozen=True)
class RunLimits:
    """How long a run waits for another run on the same store (inputs/config/files.yaml, run)."""

    lock_wait_s: float

    @classmethod
    def load(cls, path: Path | str) -> RunLimits:
        return load_section(cls, path, "run")


@contextmanager
def exclusive(lock_file: Path, wait_s: float, poll_s: float = 0.2) -> Iterator[None]:
    """Hold the lock on `lock_file` for the block, waiting up to `wait_s` seconds for another holder; a
    TimeoutError saying so when it does not come free."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"另一次运行正在使用数据库（{lock_file.name}），等待 {wait_s:g} 秒后仍未结束，"
                                       "本次未处理；请待其结束后重新运行") from None
                time.sleep(poll_s)
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode())
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        os.close(handle)
