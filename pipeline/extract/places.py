"""Township-level places (镇, 乡, 街道, 村, 园区) named in text, against a per-district gazetteer.

Stage: 编制 (extract). Input: text and inputs/config/places.csv. Output: the gazetteer names found
(longest first, so 双城经济开发区 is not also 开发区) and candidate names the gazetteer does not know,
which are reported for a person to add or reject.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

# A 2–3 character stem ending in 街道/镇/乡, standing after a boundary (punctuation or a linking word).
_CANDIDATE = re.compile(
    r"(?:(?<=[^\u4e00-\u9fff“「《])|(?<=[和及与至由经在、于]))([\u4e00-\u9fff]{2,3}(?:街道|镇|乡))(?![村镇])")
_NOT_A_PLACE = re.compile(r"[城乡村小各全美特重有建数街区县市省返通]|[一二三四五六七八九十两几个]$")


@dataclass(frozen=True)
class Gazetteer:
    """Known place names of one district, longest first."""

    names: tuple[str, ...]

    @classmethod
    def of(cls, places: pd.DataFrame, district_code: str) -> Gazetteer:
        names = places.loc[places.district_code == district_code, "name"].tolist()
        return cls(tuple(sorted(set(names), key=len, reverse=True)))

    def find(self, text: str) -> list[str]:
        """Gazetteer names in `text`, in order of appearance, each once.

        >>> Gazetteer(("承旭街道", "万隆乡")).find("以位于杏山镇和万隆乡的风能发电项目为核心，承旭街道")
        ['万隆乡', '承旭街道']
        """
        if not self.names:
            return []
        found: dict[str, None] = {}
        for m in self._pattern.finditer(text):  # longest names first, so no name is found inside another
            found.setdefault(m.group(), None)
        return list(found)

    @functools.cached_property
    def _pattern(self) -> re.Pattern:
        return re.compile("|".join(map(re.escape, self.names)))

    def is_place(self, name: str) -> bool:
        """Whether `name` is a township-level place: one the gazetteer holds, or one shaped like it ('杏山镇').

        >>> g = Gazetteer(("公正街道",))
        >>> g.is_place("公正街道"), g.is_place("杏山镇"), g.is_place("特色小镇"), g.is_place("镇")
        (True, True, False, False)
        """
        if name in self.names:
            return True
        m = _CANDIDATE.match("，" + name, 1)
        return m is not None and m.group(1) == name and not _NOT_A_PLACE.search(re.sub(r"(?:街道|镇|乡)$", "", name))

    def unknown(self, text: str) -> list[str]:
        """Place-like names ('杏山镇') in `text` that the gazetteer does not hold.

        >>> Gazetteer(("万隆乡",)).unknown("以位于杏山镇和万隆乡的风能发电项目为核心，加大乡镇投入，民主四镇")
        ['杏山镇']
        """
        out = []
        for m in _CANDIDATE.finditer(text):
            name = m.group(1)
            stem = re.sub(r"(?:街道|镇|乡)$", "", name)
            if name not in self.names and not _NOT_A_PLACE.search(stem) and name not in out \
                    and not any(name in known or known in name for known in self.names):
                out.append(name)
        return out
