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


def _task(seeds, section_id: str):
    rows = seeds.tasks[seeds.tasks.section_id == section_id]
    assert len(rows) <= 1, section_id
    return rows.iloc[0] if len(rows) else None


def test_a_task_cut_by_a_page_break_reads_whole_and_its_quote_stays_raw(seeds):
    # seed 004 lines 671-673: '推动经济开发区创' / page break / '建专属融资平台'
    lead = _task(seeds, "230113-fyp-2021:c4.s5.l3")
    assert "推动经济开发区创建专属融资平台" in lead.text and "\n" not in lead.text
    assert "推动经济开发区创\n\n建专属融资平台" in lead.quote
    # seed 004 lines 407-411: the first sentence of '(一)打造龙江物流门户' is cut inside '总部基地'
    hub = _task(seeds, "230113-fyp-2021:c2.s2.ss1")
    assert hub.text.split("\n")[0] == "(一)打造龙江物流门户"
    assert hub.text.split("\n")[1].startswith("推进哈尔滨畅韵电子商务有限公司黑龙江快递电商总部基地等“省百大”")


def test_a_long_task_is_whole(seeds):
    # seed 002 第一，聚焦工业兴区…: one paragraph of over 1,200 characters, to its last sentence
    task = _task(seeds, "230108-wr-2020:s2.o1")
    paragraph = next(p.text for p in seeds.normalised["230108-wr-2020"].paragraphs if p.first_line == task.line)
    assert task.text == paragraph and len(task.text) > 1200
    assert task.text.endswith("启动哈经开区国有公司上市培育计划。")


def test_a_task_leaves_out_the_boxes_in_it(seeds):
    # seed 004 五、完善产业发展推进机制: three paragraphs, then 专栏-3, whose items are projects
    task = _task(seeds, "230113-fyp-2021:c2.s5")
    assert task.text.count("\n") == 3 and task.text.endswith("每条产业链规上企业年均增加1-2户。")
    assert "专栏" not in task.text and "飞鹤" not in task.text
    assert (seeds.projects.column_title == "现代产业新体系重点项目储备库").sum() >= 3


def test_items_are_tasks_and_the_task_holding_them_keeps_only_its_lead_in(seeds):
    # seed 004 (七)加快推动文化旅游品牌化发展: a lead-in paragraph, then items 1.–5.
    parent = _task(seeds, "230113-fyp-2021:c2.s2.ss7")
    assert parent.text.split("\n")[-1].endswith("推出生态旅游服务项目。") and "红色旅游" not in parent.text
    items = seeds.tasks[seeds.tasks.section_id.str.startswith("230113-fyp-2021:c2.s2.ss7.")]
    assert items.number.tolist() == ["1.", "2.", "3.", "4.", "5."]
    # seed 004 (一)大力推进医共体建设 is a title over items 1.–3.: the items are the tasks
    assert _task(seeds, "230113-fyp-2021:c8.s5.ss1") is None
    assert len(seeds.tasks[seeds.tasks.section_id.str.startswith("230113-fyp-2021:c8.s5.ss1.")]) == 3
    # seed 000 一、建设特色都市农业示范区: its lead-in is a task, its items 1、–5、 are five more
    section = _task(seeds, "230104-fyp-2021:c3.s1")
    assert section.text.split("\n")[-1].startswith("高质量落实乡村振兴战略") and "都市农业发展" not in section.text


def test_no_task_repeats_a_task_inside_it(seeds):
    for task in seeds.tasks.itertuples():
        inner = seeds.tasks[seeds.tasks.section_id.str.startswith(task.section_id + ".")]
        for first_line in (text.split("\n")[0] for text in inner.text):
            assert first_line not in task.text, (task.section_id, first_line)
