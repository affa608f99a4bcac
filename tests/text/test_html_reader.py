"""Tests of pipeline.text.html_reader: article text of a government web page without site chrome."""
from __future__ import annotations

import html

from pipeline.text.html_reader import lines_from_html
from pipeline.text.read import read_document
from tests.text.formats import reader_lines, seed_lines, write_html

# Seed 001 is a copy of a web page: a top bar line, the title, the article, then print/ICP/contact lines.
SEED_001 = seed_lines("001_")
NON_BLANK_001 = [line for line in SEED_001 if line.strip()]
CONTENT_001 = NON_BLANK_001[1:-4]
CHROME_001 = NON_BLANK_001[:1] + NON_BLANK_001[-4:]
# Seed 004 lines 301-370: headings, paragraphs and the tab-separated 主要指标表.
SEED_004 = seed_lines("004_", 301, 370)


def test_seed_001_chrome_and_content_are_what_the_tests_assume():
    assert CHROME_001 == [
        "欢迎浏览道里区人民政府网站 | 关怀版 | 无障碍浏览 简体\xa0\xa0繁体",  # two no-break spaces
        "【打印本页】 【关闭窗口】",
        "主办单位: 道里区人民政府办公室 电话: 84541585 地址: 哈尔滨市道里区工部街66号",
        "黑ICP备14006225号-1 黑公网安备23010202010149号 网站标识码: 2301020001",
        "哈尔滨市道里区信息中心版权所有",
    ]
    assert CONTENT_001[0] == "2023年经济社会发展主要任务"


def test_gov_page_gives_title_and_every_paragraph_exactly(tmp_path):
    page = write_html(CONTENT_001[1:], tmp_path / "道里区2023年主要任务.html", title=CONTENT_001[0])
    lines = lines_from_html(page.read_text(encoding="utf-8"))
    assert lines == CONTENT_001
    text = "\n".join(lines)
    for chrome in ("首页", "政务公开", "当前位置", "发布时间", "字体", "分享到", "上一篇", "打印本页",
                   "关闭窗口", "主办单位", "ICP备", "公网安备", "网站标识码", "统计代码", "关怀版"):
        assert chrome not in text, chrome


def test_plain_page_without_content_container_drops_chrome_lines_by_pattern():
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in SEED_001 if line.strip())
    lines = lines_from_html(f"<html><head><title>道里区</title></head><body>\n{body}</body></html>")
    assert lines == CONTENT_001


def test_tables_give_one_line_per_row_with_empty_cells(tmp_path):
    page = write_html(SEED_004, tmp_path / "双城区十四五规划.html")
    lines = lines_from_html(page.read_text(encoding="utf-8"))
    assert lines == reader_lines(SEED_004)
    assert "经济发展 (6 个)\t1. 地区生产总值增长率 (%)\t\t0.2\t\t5 以上\t预期性" in lines
    assert lines[0] == "四、发展目标"


def test_gbk_page_through_read_document(tmp_path):
    page = write_html(SEED_004, tmp_path / "双城区十四五规划.htm", encoding="gbk")
    document = read_document(page)
    assert document.format == "html"
    assert document.encoding == "gb18030"
    assert document.lines == tuple(reader_lines(SEED_004))


def test_inline_markup_br_whitespace_and_lists():
    page = """<html><body><div class="main-nav"><a>首页</a></div>
    <div class="TRS_Editor">
      <p>　　到2025年，<span style="font-family:仿宋">建成区</span><strong>面积</strong>达35平方公里，
         人口达70万。</p>
      <p>简体  繁体<br/>第二行&nbsp;文字</p>
      <ul><li>一、目标</li><li>二、<a href="#">任务</a></li></ul>
      <div class="bshare-custom">分享到：微信</div>
    </div></body></html>"""
    assert lines_from_html(page) == [
        "　　到2025年，建成区面积达35平方公里， 人口达70万。",
        "简体  繁体",
        "第二行\xa0文字",
        "一、目标",
        "二、任务",
    ]


def test_rowspan_continuations_are_empty_cells_and_colspan_appears_once():
    page = """<html><body><div id="zoom"><p>六、“十四五”时期经济社会发展主要指标表</p><table>
      <tr><th>类别</th><th colspan="2">指标</th><th>属性</th></tr>
      <tr><td rowspan="2">民生福祉 (6 个)</td><td>9. 人均可支配收入增长率 (%)</td>
          <td>城镇</td><td>预期性</td></tr>
      <tr><td></td><td>农村</td><td>预期性</td></tr>
    </table><p>注：带 [ ] 为累计数据。</p></div></body></html>"""
    assert lines_from_html(page) == [
        "六、“十四五”时期经济社会发展主要指标表",
        "",
        "类别\t指标\t属性",
        "民生福祉 (6 个)\t9. 人均可支配收入增长率 (%)\t城镇\t预期性",
        "\t\t农村\t预期性",
        "",
        "注：带 [ ] 为累计数据。",
    ]
