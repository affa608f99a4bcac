"""One section of a YAML settings file (inputs/config/status.yaml) as a frozen dataclass of thresholds."""
from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import TypeVar

import yaml

T = TypeVar("T")


class SettingsError(ValueError):
    """A settings file that cannot be used as it stands: the run stops before anything is read or written, with the
    file, the section and the setting named (the command line reports it without a traceback)."""


def load_section(cls: type[T], path: Path | str, section: str) -> T:
    """`cls` built from the `section` of the YAML file at `path`; a missing section or an unknown setting is
    a ValueError naming the file, the section and the settings there are (a typo must not pass silently); so is
    a missing setting, since the file is the settings' one source."""
    path = Path(path)
    if not path.is_file():
        raise SettingsError(f"{path}：设置文件不存在")
    values = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(section)
    if not isinstance(values, dict):
        raise SettingsError(f"{path}：缺少“{section}”一节（或它不是“名称: 数值”的列表）")
    known = [f.name for f in fields(cls)]
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise SettingsError(f"{path}：“{section}”一节中有未知的设置 {'、'.join(unknown)}；"
                            f"可用的设置：{'、'.join(known)}")
    missing = [name for name in known if name not in values]
    if missing:
        raise SettingsError(f"{path}：“{section}”一节缺少设置 {'、'.join(missing)}")
    for f in fields(cls):  # a number must be one ('30MB' would fail only when first compared, mid-run)
        value = values[f.name]
        if f.type in ("float", "int") and (isinstance(value, bool) or not isinstance(value, int | float)
                                           or not math.isfinite(value)):
            raise SettingsError(f"{path}：“{section}”一节的“{f.name}”应为数值，现为“{value}”")
    try:
        return cls(**values)
    except ValueError as exc:  # the class's own check of its values (require_positive)
        raise SettingsError(f"{path}：“{section}”一节：{exc}") from None


def require_positive(settings: object) -> None:
    """A ValueError naming every setting of `settings` that is not above zero (a limit of 0 refuses everything)."""
    bad = [f"“{f.name}”为 {getattr(settings, f.name)}" for f in fields(settings) if getattr(settings, f.name) <= 0]
    if bad:
        raise ValueError(f"{'、'.join(bad)}，须大于 0")
