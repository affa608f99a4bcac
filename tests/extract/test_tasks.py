"""Key tasks of the seeds: lead paragraphs, numbered items and titled subsections of the task parts."""
from __future__ import annotations


def test_annual_plan_tasks_are_its_blocks_and_leads_for_its_year(seeds):
    t = seeds.tasks[seeds.tasks.doc_id == "230102-ap-2023"]
    # counted by hand in 001: 5 titled blocks and 15 '——' leads (test_outline checks the 15 leads)
    assert len(t) == 20 and set(t.kind) == {"subsection", "lead"}
    assert "持续优化经济发展环境" in t.title.tolist()  # a lead, though its words hold 发展环境
    assert set(t.year) == {"2023"}
    assert "持续推进重点项目建设" in t.title.tolist()


def test_work_report_tasks_are_the_2020_arrangements_not_the_review(seeds):
    t = seeds.tasks[seeds.tasks.doc_id == "230108-wr-2020"]
    assert t.number.tolist() == ["第一,", "第二,", "第三,", "第四,", "第五,", "第六,", "第七,", "第八,"]
    assert t.title.iloc[0] == "聚焦工业兴区,深入实施产业振兴行动"


def test_five_year_plan_tasks_skip_review_goals_and_boxes(seeds):
    t = seeds.tasks[seeds.tasks.doc_id == "230113-fyp-2021"]
    sections = seeds.sections.set_index("section_id")
    chapters = {sid.split(":")[1].split(".")[0] for sid in t.section_id}
    assert "c1" not in chapters and "c2" in chapters
    assert not t.section_id.str.contains(r"\.k\d").any()
    assert (sections.loc[t.section_id, "kind"] != "chapter").all()
    deadline = t[t.text.str.contains("到2025年")]
    assert len(deadline) and set(deadline.year) == {"2025"}
