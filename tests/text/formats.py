"""Test fixtures: write one plan document as .docx, .html or .pdf from a list of text lines.

Stage: tests of the `pipeline.text` format readers.
Input: text lines as in inputs/plans/*.txt: blank lines separate paragraphs, a line holding '\\t' is a
table row (consecutive rows make one table), a line starting with '# ' … '###### ' is a heading.
Output: a file at `path`; `reader_lines(lines)` is what a docx or html reader should give back.
"""
from __future__ import annotations

import html
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[2] / "inputs" / "plans"
PAGE_MARGIN = 56.0
BODY_SIZE = 11.0
HEADING_SIZE = 14.0
TABLE_SIZE = 7.5
CJK_FONT = "STSong-Light"


def seed_lines(prefix: str, first: int = 1, last: int | None = None) -> list[str]:
    """Lines `first`..`last` (1-based, inclusive) of the seed document whose name starts with `prefix`."""
    path = next(SEEDS.glob(f"{prefix}*.txt"))
    return path.read_text(encoding="utf-8").split("\n")[first - 1:last]


def heading(line: str) -> tuple[int, str] | None:
    """(level, text) when `line` is a markdown-style heading such as '## 四、发展目标', else None."""
    marks, _, text = line.partition(" ")
    if marks and set(marks) == {"#"} and len(marks) <= 6 and text.strip():
        return len(marks), text.strip()
    return None


def blocks(lines: list[str]) -> list[tuple[str, object]]:
    """Group lines into ('heading', (level, text)), ('para', text) and ('table', rows) blocks."""
    out: list[tuple[str, object]] = []
    for line in lines:
        if not line.strip():
            continue
        if "\t" in line:
            if out and out[-1][0] == "table":
                out[-1][1].append(line.split("\t"))
            else:
                out.append(("table", [line.split("\t")]))
        elif heading(line):
            out.append(("heading", heading(line)))
        else:
            out.append(("para", line))
    return out


def reader_lines(lines: list[str]) -> list[str]:
    """The lines a docx/html reader returns for the document: tables framed by '' lines."""
    out: list[str] = []
    for kind, value in blocks(lines):
        if kind == "table":
            out += ["", *("\t".join(row) for row in value), ""]
        else:
            out.append(value[1] if kind == "heading" else value)
    return out


def write_docx(lines: list[str], path: Path | str) -> Path:
    """Write the lines as a Word document with headings, paragraphs, real tables, header and footer."""
    from docx import Document

    doc = Document()
    section = doc.sections[0]
    section.header.paragraphs[0].text = "哈尔滨市人民政府文件（页眉）"
    section.footer.paragraphs[0].text = "— 1 —"
    for kind, value in blocks(lines):
        if kind == "heading":
            doc.add_heading(value[1], level=value[0])
        elif kind == "para":
            doc.add_paragraph(value)
        else:
            width = max(len(row) for row in value)
            table = doc.add_table(rows=len(value), cols=width)
            table.style = "Table Grid"
            for r, row in enumerate(value):
                for c, text in enumerate(row):
                    table.cell(r, c).text = text
    doc.save(str(path))
    return Path(path)


def write_html(lines: list[str], path: Path | str, encoding: str = "utf-8", title: str | None = None) -> Path:
    """Write the lines as a government-site article page (nav, breadcrumb, #zoom content, footer)."""
    body = []
    for kind, value in blocks(lines):
        if kind == "heading":
            level = min(value[0] + 1, 6)
            body.append(f"<h{level}>{html.escape(value[1])}</h{level}>")
        elif kind == "para":
            body.append(f'<p style="text-indent:2em;">{html.escape(value)}</p>')
        else:
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>\n" for row in value
            )
            body.append(f'<table border="1" cellspacing="0">\n<tbody>\n{rows}</tbody>\n</table>')
    head_title = html.escape(title or "规划计划")
    h1 = f"<h1>{head_title}</h1>" if title else ""
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{encoding}">
<title>{head_title}_哈尔滨市人民政府</title>
<style>.nav li {{ display:inline; }} #zoom p {{ line-height: 2; }}</style>
<script>var _hmt = _hmt || []; document.write("统计代码");</script>
</head>
<body>
<div class="topbar">欢迎浏览哈尔滨市人民政府网站 | 关怀版 | 无障碍浏览 简体&nbsp;&nbsp;繁体</div>
<div class="header"><h1 class="site-name">哈尔滨市人民政府</h1></div>
<div class="nav"><ul>
  <li><a href="/">首页</a></li> | <li><a href="/zwgk/">政务公开</a></li> |
  <li><a href="/bsfw/">办事服务</a></li> | <li><a href="/hdjl/">互动交流</a></li>
</ul></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 规划计划</div>
<div class="article">
{h1}
<div class="info">发布时间：2021-06-01 来源：区发展和改革局 【字体：<a>大</a> <a>中</a> <a>小</a>】</div>
<div id="zoom" class="TRS_Editor">
{chr(10).join(body)}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="pages">上一篇：关于印发2020年工作要点的通知<br>下一篇：无</div>
<div class="tools">【打印本页】 【关闭窗口】</div>
</div>
<div class="footer">
<p>主办单位：哈尔滨市人民政府办公室 电话：0451-84541585 地址：哈尔滨市道里区工部街66号</p>
<p>黑ICP备14006225号-1 黑公网安备23010202010149号 网站标识码：2301020001</p>
</div>
<script src="/js/stat.js"></script>
</body>
</html>
"""
    Path(path).write_bytes(page.encode(encoding))
    return Path(path)


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Cut `text` into pieces no wider than `width` points, breaking between any two characters."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    pieces, current = [], ""
    for char in text:
        if current and stringWidth(current + char, font, size) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current] if current else pieces


def write_pdf(lines: list[str], path: Path | str) -> int:
    """Write the lines as an A4 PDF with the built-in STSong-Light CID font; return the page count."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Table

    pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    page_width, page_height = A4
    width = page_width - 2 * PAGE_MARGIN
    canvas = Canvas(str(path), pagesize=A4)
    pages, y = 1, page_height - PAGE_MARGIN

    def new_page() -> float:
        nonlocal pages
        canvas.showPage()
        pages += 1
        return page_height - PAGE_MARGIN

    for kind, value in blocks(lines):
        if kind == "table":
            table = Table(value, style=[
                ("FONT", (0, 0), (-1, -1), CJK_FONT, TABLE_SIZE),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ])
            pending = [table]
            while pending:
                part = pending.pop(0)
                _, height = part.wrapOn(canvas, width, y - PAGE_MARGIN)
                if height > y - PAGE_MARGIN:
                    split = part.split(width, y - PAGE_MARGIN)
                    if split:
                        pending[:0] = split
                    else:
                        pending.insert(0, part)
                        y = new_page()
                    continue
                part.drawOn(canvas, PAGE_MARGIN, y - height)
                y -= height + BODY_SIZE
            continue
        text, size = (value[1], HEADING_SIZE) if kind == "heading" else (value, BODY_SIZE)
        for piece in _wrap(text, CJK_FONT, size, width):
            if y - size * 1.6 < PAGE_MARGIN:
                y = new_page()
            y -= size * 1.6
            canvas.setFont(CJK_FONT, size)
            canvas.drawString(PAGE_MARGIN, y, piece)
        y -= size * 0.6
    canvas.save()
    return pages
