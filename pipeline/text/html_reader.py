"""Read a saved government web page (already decoded to str) into the plan's raw text lines.

Stage: 编制 input (called by `pipeline.text.read.read_document`).
Input: the HTML text of one page.
Output: the article's text, one line per block (paragraph, heading, list item, <br>-separated line),
each table framed by '' lines with one line per <tr> (cells joined by '\\t'). Site chrome (navigation,
breadcrumbs, footers, share/print links, ICP and contact lines) is left out.
"""
from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

NO_TEXT_TAGS = ("script", "style", "noscript", "iframe", "template", "object", "embed", "svg")
# Removed unless they wrap the article (ASP.NET pages put the whole page in one <form>).
DROP_TAGS = ("form", "nav", "header", "footer", "aside", "select", "button", "textarea")
CHROME_ATTR = r"nav|menu|header|footer|breadcrumb|crumb|share|sidebar|topbar|copyright"
CONTENT_ATTR = r"zoom|content|article|trs_editor|main"
BLOCK_TAGS = frozenset((
    "address", "article", "blockquote", "caption", "center", "dd", "details", "dialog", "dir", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hgroup", "hr",
    "li", "main", "menu", "ol", "p", "pre", "section", "summary", "ul", "tr", "td", "th", "body",
))
# Whitespace runs holding a newline or tab (source formatting) become one space; plain spaces stay.
SOURCE_WS = r" *[\t\n\r\f][ \t\n\r\f]*"
# Bracketed tool links such as 【打印本页】 [关闭窗口] 【字体：大 中 小】, removed before judging a line.
CHROME_TOKENS = (
    r"[【\[]\s*(打印本页|打印|关闭窗口|关闭本页|关闭|返回顶部|收藏本页|加入收藏|字体\s*[:：]?\s*大\s*中\s*小)\s*[】\]]",
    r"字体\s*[:：]\s*[【\[]?\s*大\s*中\s*小\s*[】\]]?",
)
CHROME_LINES = (
    r"^\s*(分享到|上一篇|下一篇|上一条|下一条)",
    r"ICP备|公网安备|版权所有|网站标识码|Copyright|无障碍浏览|关怀版",
    r"^\s*(主办|承办|协办)(单位)?\s*[:：]",
    r"^\s*(地址|电话|联系电话|联系方式|传真|邮编|邮政编码|技术支持|网站地图|联系我们)\s*[:：]",
    r"^\s*(当前位置|您现在的位置|您的位置|你的位置|所在位置)\s*[:：]",
    r"^\s*(发布时间|发布日期|浏览次数|阅读次数|点击数|访问次数)\s*[:：]",
)
MIN_CONTENT_CHARS = 20


def lines_from_html(text: str) -> list[str]:
    """Return the article text of an HTML page as lines, without scripts, navigation and site chrome."""
    soup = BeautifulSoup(text, "lxml")
    body = soup.body or soup
    for tag in soup.find_all(NO_TEXT_TAGS):
        tag.decompose()
    total = _text_size(body)
    for tag in [*body.find_all(DROP_TAGS), *body.find_all(_is_chrome)]:
        if not tag.decomposed and not _holds_content(tag) and _text_size(tag) <= total / 2:
            tag.decompose()
    main = _main_element(body)
    title = _outside_title(body, main)
    lines = [title] if title else []
    return [line for line in lines + _lines_of(main) if not _is_chrome_line(line)]


def _attr_text(tag: Tag) -> str:
    """The tag's id and classes as one lower-case string."""
    classes = tag.get("class") or []
    return " ".join([tag.get("id") or "", *(classes if isinstance(classes, list) else [classes])]).lower()


def _is_chrome(tag: Tag) -> bool:
    """True for a navigation/footer/share element named by its id or class (never <html>/<body>)."""
    return tag.name not in ("html", "body") and bool(re.search(CHROME_ATTR, _attr_text(tag)))


def _is_content(tag: Tag) -> bool:
    """True for an element that looks like the article body (#zoom, .TRS_Editor, <article>, ...)."""
    if tag.name in ("article", "main"):
        return True
    attrs = _attr_text(tag)
    return bool(re.search(CONTENT_ATTR, attrs)) and not re.search(CHROME_ATTR, attrs)


def _holds_content(tag: Tag) -> bool:
    """True when `tag` has an article-body element inside it."""
    return tag.find(_is_content) is not None


def _text_size(tag: Tag) -> int:
    """Number of non-space characters of text in `tag`."""
    return len(re.sub(r"\s+", "", tag.get_text()))


def _main_element(body: Tag) -> Tag:
    """The innermost content element holding most of the article's text, else <body>."""
    total = _text_size(body)
    sized = [(_text_size(tag), tag) for tag in body.find_all(_is_content)]
    sized = [(size, tag) for size, tag in sized if size >= max(MIN_CONTENT_CHARS, 0.3 * total)]
    if not sized:
        return body
    best = max(size for size, _ in sized)
    return min((item for item in sized if item[0] >= 0.6 * best), key=lambda item: item[0])[1]


def _outside_title(body: Tag, main: Tag) -> str:
    """The page's <h1> title when the chosen content element leaves it out, else ''."""
    if main is body or main.find("h1"):
        return ""
    for h1 in body.find_all("h1"):
        if not any(parent is main for parent in h1.parents):
            return _inline_text(h1)
    return ""


def _lines_of(tag: Tag) -> list[str]:
    """The block lines of everything inside `tag`."""
    lines: list[str] = []
    buffer: list[str] = []
    _block_lines(tag, lines, buffer)
    _flush(lines, buffer)
    return lines


def _inline_text(tag: Tag) -> str:
    """A block's text on one line: source newlines/tabs become one space, inner spaces are kept."""
    return " ".join(line for line in _lines_of(tag) if line)


def _flush(lines: list[str], buffer: list[str]) -> None:
    """End the current line: append the buffered inline text (if any) and clear the buffer."""
    line = "".join(buffer).strip(" \t\n\r\f")
    if line:
        lines.append(line)
    buffer.clear()


def _block_lines(node: Tag, lines: list[str], buffer: list[str]) -> None:
    """Walk `node`, buffering inline text and ending a line at every block element and <br>."""
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, PreformattedString):
                buffer.append(re.sub(SOURCE_WS, " ", str(child)))
        elif not isinstance(child, Tag):
            continue
        elif child.name == "br":
            _flush(lines, buffer)
        elif child.name == "table":
            _flush(lines, buffer)
            lines.extend(["", *_table_rows(child), ""])
        elif child.name in BLOCK_TAGS:
            _flush(lines, buffer)
            _block_lines(child, lines, buffer)
            _flush(lines, buffer)
        else:
            _block_lines(child, lines, buffer)


def _span(cell: Tag, name: str) -> int:
    """A cell's colspan/rowspan as a positive int (1 when missing or malformed)."""
    digits = re.match(r"\s*(\d+)", str(cell.get(name) or ""))
    return min(max(int(digits.group(1)), 1), 1000) if digits else 1


def _table_rows(table: Tag) -> list[str]:
    """One line per row of `table` (not of nested tables); a rowspan continuation gives ''."""
    rows, pending = [], {}  # pending: grid column -> [rows still covered, colspan]
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells, column = [], 0
        queue = tr.find_all(("td", "th"), recursive=False)
        while queue or any(col >= column for col in pending):
            if column in pending:
                left, span = pending[column]
                cells.append("")
                pending[column][0] -= 1
                if left == 1:
                    del pending[column]
                column += span
            elif queue:
                cell = queue.pop(0)
                cells.append(_inline_text(cell).replace("\t", " "))
                span = _span(cell, "colspan")
                if _span(cell, "rowspan") > 1:
                    pending[column] = [_span(cell, "rowspan") - 1, span]
                column += span
            else:
                column += 1
        rows.append("\t".join(cells))
    return rows


def _is_chrome_line(line: str) -> bool:
    """True for site-chrome lines: tool links only, share/prev/next, ICP, copyright, contact lines."""
    if any(re.search(pattern, line, re.IGNORECASE) for pattern in CHROME_LINES):
        return True
    rest = line
    for pattern in CHROME_TOKENS:
        rest = re.sub(pattern, "", rest)
    if rest == line:
        return False
    return len(re.sub(r"[\s|｜/、:：·]+", "", rest)) <= 4
