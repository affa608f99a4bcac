"""Progress bars on a terminal; plain log lines in CI or when output is not a terminal."""
from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress(items: Iterable[T], label: str) -> Iterator[T]:
    """Iterate with a progress bar when a person is watching."""
    quiet = bool(os.environ.get("CI")) or not sys.stderr.isatty()
    return iter(tqdm(items, desc=label, disable=quiet, leave=False))
