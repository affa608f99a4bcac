"""The outline of the seed documents against hand-checked expectations (tests/gold/sections.csv)."""
from __future__ import annotations

import pandas as pd

from pipeline.text.patterns import marker


def _count(sections: pd.DataFrame, row) -> int:
    return int(((sections.doc_id == row.doc_id) & (sections.kind == row.kind) & (sections.number == row.number)
                & (sections.title_norm == row.title_norm)).sum())


def test_every_hand_checked_heading_appears_exactly_once(seeds, gold_sections):
    counts = {(r.doc_id, r.number, r.title_norm): _count(seeds.sections, r) for r in gold_sections.itertuples()}
    assert {k: n for k, n in counts.items() if n != 1} == {}


def test_chapters_and_columns_are_exactly_the_hand_checked_ones(seeds, gold_sections):
    for kind in ("chapter", "column"):
        found = seeds.sections[seeds.sections.kind == kind][["doc_id", "number", "title_norm"]]
        expected = gold_sections[gold_sections.kind == kind][["doc_id", "number", "title_norm"]]
        key = ["doc_id", "number"]
        assert found.sort_values(key).values.tolist() == expected.sort_values(key).values.tolist()


def test_004_chapters_follow_its_table_of_contents(seeds):
    doc = seeds.normalised["230113-fyp-2021"]
    toc_chapters = [(m.number, m.rest) for m in map(marker, (e.text for e in doc.toc)) if m and m.kind == "chapter"]
    sections = seeds.sections[seeds.sections.doc_id == "230113-fyp-2021"]
    chapters = sections[sections.kind == "chapter"]
    assert len(toc_chapters) == 10
    assert list(zip(chapters.number, chapters.title_norm, strict=True)) == toc_chapters


def test_no_table_of_contents_line_becomes_a_body_section(seeds):
    for doc_id, last_toc_line in (("230113-fyp-2021", 185), ("230104-fyp-2021", 117)):
        sections = seeds.sections[seeds.sections.doc_id == doc_id]
        toc_lines = {e.line for e in seeds.normalised[doc_id].toc}
        assert max(toc_lines) == last_toc_line
        assert sections.line_start.min() > last_toc_line


def test_000_has_eleven_chapters_and_the_ninth_takes_its_title_from_the_next_line(seeds):
    chapters = seeds.sections[(seeds.sections.doc_id == "230104-fyp-2021") & (seeds.sections.kind == "chapter")]
    assert len(chapters) == 11
    ninth = chapters[chapters.number == "第九章"].iloc[0]
    assert (ninth.title, ninth.line_start) == ("坚持绿色发展,建设美丽城区", 510)


def test_column_boxes_span_their_items_and_sit_in_their_section(seeds):
    s = seeds.sections.set_index("section_id")
    box5 = s.loc["230113-fyp-2021:c3.s2.k5"]
    assert (box5.number, box5.line_start, box5.line_end) == ("专栏-5", 529, 535)
    box1 = s.loc["230113-fyp-2021:c2.s3.k1"]
    assert s.loc[box1.parent_id].title == "高质量建设升级经济开发区"
    items = s[s.parent_id == "230113-fyp-2021:c3.s2.k6"]
    assert len(items) == 10 and items.iloc[-1].title == "胜丰育秧棚综合利用食用菌基地"
    box_000 = s.loc[s.index.str.startswith("230104-fyp-2021") & (s.number == "专栏 1")].iloc[0]
    assert (box_000.line_start, box_000.line_end) == (232, 238)


def test_titles_are_quoted_as_printed(seeds):
    s = seeds.sections
    row = s[(s.doc_id == "230113-fyp-2021") & (s.title_norm == "建设优质食品原料基地")].iloc[0]
    assert (row.number, row.kind, row.level) == ("（一）", "subsection", 3)
    raw = seeds.raw["230113-fyp-2021"].lines
    for r in s[s.doc_id == "230113-fyp-2021"].itertuples():
        assert r.title in "".join(raw[r.line_start - 1:r.line_end]), r.section_id


def test_lead_paragraphs_and_items_nest_under_their_headings(seeds):
    s = seeds.sections
    leads_001 = s[(s.doc_id == "230102-ap-2023") & (s.kind == "lead")]
    assert len(leads_001) == 15
    assert set(leads_001.parent_id) == {f"230102-ap-2023:ss{i}" for i in range(1, 5)}
    glossary = s[(s.doc_id == "230108-wr-2020") & (s.kind == "item")]
    assert len(glossary) == 14 and set(glossary.parent_id) == {"230108-wr-2020:h3"}


def test_section_ids_are_unique_and_parents_exist(seeds):
    s = seeds.sections
    assert s.section_id.is_unique
    assert set(s.parent_id[s.parent_id != ""]) <= set(s.section_id)
