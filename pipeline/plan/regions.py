"""Which administrative area a document is of, and at what level (国家, 省, 市, 区县).

Stage: 编制. Input: the title and opening of a document (simplified characters) and the division list
inputs/config/divisions.csv (code, name, level, parent_code; 国家统计局's division codes). Output: a `Region`.
A name in the title wins over names in the text, and an area wins over the areas it lies in (哈尔滨市松北区 is
松北区; '呼兰区位于哈尔滨市' is of 呼兰区); of the rest, the one named most often, then the more specific level,
then the first; where several sibling areas are named equally (a news page of 日照市 lists its four counties
once each), their parent when it is named too. Names that are also common words (城区, 郊区) are never matched.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

_LEVELS = ("区县", "市", "省")  # the more specific first
_SUFFIX = re.compile(r"(?:市|地区|盟|自治州|州)$")


@dataclass(frozen=True)
class Region:
    """An area named by a document: its division code, standard name, level and the prefecture above it."""

    code: str
    name: str
    level: str
    city: str = ""


@dataclass(frozen=True)
class Divisions:
    """The division list, indexed for lookup by the names a text prints: the full name (黎平县, 日照市) and, for
    a prefecture or province, the name without its suffix when that is two characters or more (日照, 达州, 湖北)."""

    names: dict[str, tuple[str, ...]]  # printed name → codes
    rows: dict[str, tuple[str, str, str]]  # code → (name, level, parent_code)
    starting: dict[str, tuple[tuple[str, bool], ...]]  # first two characters → (name, is_short), full names first,
    # longest first
    follower: re.Pattern  # a short name counts only where a word of the place follows it
    national: re.Pattern
    inside: tuple[str, ...] = ()  # words a name lies inside without naming the place ('示范县' holds 范县)

    @classmethod
    def of(cls, table: pd.DataFrame, national_words: list[str], common_words: list[str],
           short_name_followers: list[str], inside_words: list[str] = (), ethnic_groups: list[str] = ()) -> Divisions:
        names: dict[str, list[str]] = {}
        shorts: set[str] = set()
        autonomous = re.compile(f"^(.{{2,}}?)(?:(?:{'|'.join(ethnic_groups)})族?)+自治(?=[县旗]$)") \
            if ethnic_groups else None
        provinces = {re.sub(r"(?:省|市|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", n)
                     for n, level in zip(table.name, table.level, strict=True) if level == "省"}
        rows = {}
        for code, name, level, parent in zip(table.code, table.name, table.level, table.parent_code, strict=True):
            rows[code] = (name, level, parent)
            if name in common_words:
                continue
            keys = {name}
            plain = _unqualified(name, autonomous) if level == "区县" else name
            if plain[:2] not in provinces:  # 河南蒙古族自治县 printed 河南县 would take 河南 in '河南县乡道路'
                keys.add(plain)
            short = _SUFFIX.sub("", name) if level != "区县" else ""
            short = re.sub(r"(?:省|特别行政区|壮族自治区|回族自治区|维吾尔自治区|自治区)$", "", short) or short
            if len(short) >= 2:
                keys.add(short)
                if level != "省":  # a province's short name (湖北, 澳门) is no common word; a city's may be (长治)
                    shorts.add(short)
            for key in keys:
                names.setdefault(key, []).append(code)
        full = sorted((n for n in names if n not in shorts), key=len, reverse=True)
        short_names = sorted(shorts - set(full), key=len, reverse=True)
        starting: dict[str, list[tuple[str, bool]]] = {}
        for name, short in [(n, False) for n in full] + [(n, True) for n in short_names]:
            starting.setdefault(name[:2], []).append((name, short))
        # '日照报业', '达州林业' name the place; '长治久安', '朝阳产业', '新乡村' do not
        return cls({k: tuple(v) for k, v in names.items()}, rows, {k: tuple(v) for k, v in starting.items()},
                   re.compile("|".join(short_name_followers)), re.compile("|".join(national_words)),
                   tuple(inside_words))

    def region(self, code: str) -> Region:
        name, level, parent = self.rows[code]
        city = self.rows[parent][0] if level == "区县" and parent in self.rows else ""
        city = "" if "直辖" in city else city  # 仙桃市 lies in '省直辖县级行政区划', which is no city
        return Region(code, name, level, city)

    def find(self, title: str, text: str) -> Region | None:
        """The area `title` names, else the one `text` names (see the module's rule), or None."""
        for probe in (title, text):
            counts: dict[str, int] = {}
            first: dict[str, int] = {}
            for start, name in self._named(probe):
                for code in self.names[name]:
                    counts[code] = counts.get(code, 0) + 1
                    first.setdefault(code, start)
            if counts:
                return self.region(self._most_specific(counts, first))
        return None

    def _named(self, text: str):
        """(position, name) of each division name in `text`, left to right without overlap, the longest name
        at a position (a scan by the first two characters: a regular expression of 3,000 names is ten times slower)."""
        i = 0
        while i < len(text):
            for name, short in self.starting.get(text[i:i + 2], ()):
                if text.startswith(name, i) and (not short or self.follower.match(text, i + len(name))) \
                        and not self._inside(text, i, len(name)):
                    yield i, name
                    i += len(name)
                    break
            else:
                i += 1

    def _inside(self, text: str, at: int, length: int) -> bool:
        """Whether a two-character name at `at` lies inside a longer word that is no place ('示范县' holds 范县,
        '全会和县委' 和县); a longer name is never a piece of another word (巴彦县委员会)."""
        if length > 2:
            return False
        for word in self.inside:
            for start in range(max(0, at - len(word) + 1), at + length):
                if text.startswith(word, start) and (start < at or start + len(word) > at + length):
                    return True
        return False

    def _most_specific(self, counts: dict[str, int], first: dict[str, int]) -> str:
        """Of the areas named, those no other named area lies in; of these the most often named, then the first;
        equally named siblings give way to their parent when it is named. Of areas sharing a name (朝阳区 of 北京
        and of 长春), the one whose city or province is named too."""
        for codes in {self.names[self.rows[c][0]] for c in counts if len(self.names.get(self.rows[c][0], ())) > 1}:
            placed = [c for c in codes if self._ancestors(c) & set(counts)]
            for code in codes if placed else ():
                if code not in placed:
                    counts.pop(code, None)
        inner = [c for c in counts if not any(c in self._ancestors(d) for d in counts if d != c)]
        ranked = sorted(inner, key=lambda c: (-counts[c], _LEVELS.index(self.rows[c][1]), first[c]))
        top = [c for c in ranked if counts[c] == counts[ranked[0]]]
        parents = {self.rows[c][2] for c in top}
        if len(top) > 1 and len(parents) == 1 and (parent := parents.pop()) in counts:
            return parent
        return ranked[0]

    def _ancestors(self, code: str) -> set[str]:
        found = set()
        while (parent := self.rows.get(code, ("", "", ""))[2]) and parent not in found:
            found.add(parent)
            code = parent
        return found

    def level(self, region: Region | None, title: str) -> str:
        """The level of the area found; where none was found in title or opening, 国家 when the title names the
        state (国务院, 全国 …), else ''."""
        if region is None:
            return "国家" if self.national.search(title) else ""
        return region.level


def _unqualified(name: str, autonomous: re.Pattern | None) -> str:
    """A county's name as commonly printed, without its peoples: 漾濞彝族自治县 → 漾濞县, 鄂伦春自治旗 → 鄂伦春旗 (a
    banner named by its people keeps it); the name itself otherwise.

    >>> peoples = re.compile("^(.{2,}?)(?:(?:彝|鄂伦春|鄂温克|拉祜|佤|布朗|傣|朝鲜|白|苗|土家)族?)+自治(?=[县旗]$)")
    >>> names = ("漾濞彝族自治县", "双江拉祜族佤族布朗族傣族自治县", "鄂伦春自治旗", "鄂温克族自治旗", "松北区",
    ...          "长白朝鲜族自治县", "彭水苗族土家族自治县")
    >>> [_unqualified(n, peoples) for n in names]
    ['漾濞县', '双江县', '鄂伦春旗', '鄂温克旗', '松北区', '长白县', '彭水县']
    """
    if autonomous is None:
        return name
    m = autonomous.match(name)
    return m.group(1) + name[-1] if m else name.replace("族自治", "").replace("自治", "")
