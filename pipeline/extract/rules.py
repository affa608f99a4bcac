"""The extraction rules of inputs/config/extract.yaml, loaded once into a frozen dataclass."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml


def _alternation(words: list[str]) -> str:
    """A regex alternation of literal words, longest first so that 万平方米 wins over 平方米."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _any(patterns: list[str]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


@dataclass(frozen=True)
class ExtractRules:
    """Units, qualifiers, cue words and table rules for extraction."""

    units: str
    qualifier_words: re.Pattern  # any qualifier before a number
    change_verb_tail: re.Pattern  # a growth or reduction verb just before a number (its group 1)
    name_tail: re.Pattern  # qualifiers and change verbs at the end of a name
    starting_words: re.Pattern
    baseline_words: re.Pattern  # a word just before a number that starts a change ('由'); baseline_to follows
    baseline_to: re.Pattern
    reduction_indicators: re.Pattern
    enumeration_after: re.Pattern  # the text after a count that makes it an enumeration of policies or criteria
    enumeration_before: re.Pattern
    reference_before: re.Pattern  # a description of the place before a count or length ('辖', '距省会…')
    enumeration_noun_before: re.Pattern  # '约束性指标15项': a count of indicators
    scope_after: re.Pattern  # the text after a count that makes it the scope of the next figure
    note_openings: re.Pattern
    footnote_marker: re.Pattern
    duration_units: frozenset[str]
    excluded_titles: re.Pattern
    qualifiers_before: str
    growth_verbs: str
    reduction_verbs: str
    reduction_verb: re.Pattern  # one of reduction_verbs
    fall_reached: re.Pattern  # a fall to a level at the end of a clause ('下降到0')
    target_cues: re.Pattern
    strong_target_cues: re.Pattern
    strong_achievement_cues: re.Pattern
    ahead_cues: re.Pattern  # a sentence with these does not take a result's role from the sentence before
    review_titles: re.Pattern
    review_openings: re.Pattern
    plan_openings: re.Pattern
    indicator_table_titles: re.Pattern
    table_note_start: tuple[str, ...]
    project_attributes: str
    named_project: re.Pattern
    catalogue_part_before: tuple[str, ...]  # words before a catalogue name that make the figure a part of it
    catalogue_additions_before: tuple[str, ...]  # words before a stock's name that make the figure its additions
    nameless_words: re.Pattern  # verbs, function words and generic nouns: a name of these alone names nothing
    place_stretch: re.Pattern  # a name ending in a word of position ('沿岸', '段'): group 1 is the place

    @classmethod
    def load(cls, path: Path | str) -> ExtractRules:
        cfg = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        return cls(
            units=_alternation(cfg["units"]),
            qualifier_words=re.compile(f"(?:{_alternation(cfg['qualifiers_before'])})"),
            change_verb_tail=re.compile(f"({_alternation(cfg['growth_verbs'])}|{_alternation(cfg['reduction_verbs'])})"
                                        "[^，；：。、]{0,3}$"),
            name_tail=re.compile(f"(?:{_alternation(cfg['qualifiers_before'])}|{_alternation(cfg['growth_verbs'])}|"
                                 f"{_alternation(cfg['reduction_verbs'])})+$"),
            starting_words=re.compile("(?:" + "|".join(cfg["starting_words"]) + ")[^，。；：到至为成]{0,16}$"),
            baseline_words=re.compile("(?:" + "|".join(cfg["baseline_words"]) + ")[^，。；：到至为成]{0,16}$"),
            baseline_to=re.compile(cfg["baseline_to"]),
            reduction_indicators=re.compile(_alternation(cfg["reduction_indicators"])),
            enumeration_after=re.compile(f"^[^，。；：、\\d]{{0,6}}?(?:{_alternation(cfg['enumeration_nouns'])})"
                                         "(?=$|[，。；：、）)和及等])"),
            enumeration_before=re.compile(f"(?:{_alternation(cfg['enumeration_verbs'])})[^，。；：\\d]{{0,10}}$"),
            scope_after=re.compile(f"^[^，。；：、\\d]{{1,20}}?(?:{_alternation(cfg['scope_verbs'])})"
                                   f"[^，。；：、]{{0,8}}?\\d"),
            reference_before=re.compile("(?:" + "|".join(cfg["reference_before"]) + ")$"),
            enumeration_noun_before=re.compile(f"(?:{_alternation(cfg['enumeration_before_nouns'])})$"),
            note_openings=re.compile("^(?:" + "|".join(cfg["note_openings"]) + ")"),
            footnote_marker=re.compile(cfg["footnote_marker"]),
            duration_units=frozenset(cfg["duration_units"]),
            excluded_titles=_any(cfg["excluded_titles"]),
            qualifiers_before=_alternation(cfg["qualifiers_before"]),
            growth_verbs=_alternation(cfg["growth_verbs"]),
            reduction_verbs=_alternation(cfg["reduction_verbs"]),
            reduction_verb=re.compile(_alternation(cfg["reduction_verbs"])),
            fall_reached=re.compile(f"(?:{_alternation(cfg['reduction_verbs'])})(?:到|至)[^，。；]{{0,3}}$"),
            target_cues=_any(cfg["target_cues"]),
            strong_target_cues=_any(cfg["strong_target_cues"]),
            strong_achievement_cues=_any(cfg["strong_achievement_cues"]),
            ahead_cues=_any(cfg["ahead_cues"]),
            review_titles=_any(cfg["review_titles"]),
            review_openings=re.compile("^(?:" + "|".join(cfg["review_openings"]) + ")"),
            plan_openings=re.compile("^(?:" + "|".join(cfg["plan_openings"]) + ")"),
            indicator_table_titles=_any(cfg["indicator_table_titles"]),
            table_note_start=tuple(cfg["table_note_start"]),
            project_attributes=_alternation(cfg["project_attributes"]),
            named_project=_any(cfg["named_project"]),
            catalogue_part_before=tuple(cfg["catalogue_part_before"]),
            catalogue_additions_before=tuple(cfg["catalogue_additions_before"]),
            nameless_words=re.compile(_alternation(cfg["nameless_words"])),
            place_stretch=re.compile(f"^(.{{2,}}?)(?:{_alternation(cfg['place_position_words'])})$"),
        )
