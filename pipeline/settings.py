"""One section of a YAML settings file (inputs/config/status.yaml) as a frozen dataclass of thresholds."""
from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import TypeVar

import yaml

T = TypeVar("T")


def load_section(cls: type[T], path: Path | str, section: str) -> T:
    """`cls` built from the `section` of the YAML file at `path`; a missing section or an unknown setting is
    a ValueError naming the file, the section and the settings there are (a typo must not pass silently); so is
    a missing setting, since the file is the settings' one source."""
    path = Path(path)
    values = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(section)
    if not isinstance(values, dict):
        raise ValueError(f"{path}：缺少“{section}”一节（或它不是“名称: 数值”的列表）")
    known = [f.name for f in fields(cls)]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise ValueError(f"{path}：“{section}”一节中有未知的设置 {'、'.join(unknown)}；可用的设置：{'、'.join(known)}")
    missing = [name for name in known if name not in values]
    if missing:
        raise ValueError(f"{path}：“{section}”一节缺少设置 {'、'.join(missing)}")
    return cls(**values)
