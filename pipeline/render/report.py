"""评估 reports: a plan evaluation report as Word (.docx), HTML and Markdown, rendered from a report context.

Stage: 评估 (render). Input: a report context — a plain dict, `context_version` "1.2", every key described in
templates/README.md — built by the evaluation stage; the templates templates/reports/<kind>.docx (docxtpl),
<kind>.html.j2 and <kind>.md.j2 (jinja2), kind = annual | midterm | final. Output: <out_dir>/<basename>.docx,
.html and .md, and the charts they show in <out_dir>/<basename>_charts/ (see `pipeline.render.charts`).

All wording lives in the templates: this module only formats numbers (the filters below), draws the charts
and renders. Templates run in a jinja2 sandbox (`ImmutableSandboxedEnvironment`, a `SandboxedEnvironment`
that also forbids changing the context) with undefined names as errors; any template error — unknown
variable, bad tag, syntax error, a refused attribute — is raised as one `TemplateProblem` naming the
template file and line.
"""
from __future__ import annotations

import copy
import io
import logging
import math
import os
import re
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import FileSystemLoader, StrictUndefined, TemplateError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from pipeline.numbers import as_number
from pipeline.statuses import Statuses

log = logging.getLogger(__name__)

CONTEXT_VERSION = "1.2"
KINDS = ("annual", "midterm", "final")
REQUIRED_KEYS = ("context_version", "kind", "kind_name", "year", "generated_at", "sample", "district", "plan",
                 "tau", "indicators", "status_order", "summary", "left_out", "tasks", "projects", "problems",
                 "adjustments", "gaps", "main_from_text", "annex", "annex_summary")
DASH = "—"
MINUS = "\u2212"
NO_TONE_FILL = "FFFFFF"  # a status cell of a word without a tone stays white
STATUS_CHART_WIDTH_MM, PATH_CHART_WIDTH_MM = 150, 140


class TemplateProblem(Exception):
    """A report template could not be rendered: which file, which line, what jinja2 said.

    `line` is the line of the template file (HTML/Markdown); for a Word template jinja2 reads the document's
    XML, one paragraph per line, so `word` is set and `excerpt` gives the text of that paragraph.
    """

    def __init__(self, template_name: str, line: int | None, message: str, *, word: bool = False,
                 excerpt: str = "", rendering: str | None = None) -> None:
        self.template_name, self.line, self.message = template_name, line, message
        self.word, self.excerpt, self.rendering = word, excerpt, rendering
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"模板 {self.template_name}"
        if self.line is not None:
            where += f" 第 {self.line} 行"
        notes = []
        if self.word:
            notes.append("Word 模板" + ("，行号指文档 XML 中的段落" if self.line is not None else ""))
        if self.rendering and self.rendering != self.template_name:
            notes.append(f"渲染 {self.rendering} 时")
        text = f"{where}{'（' + '；'.join(notes) + '）' if notes else ''}：{self.message}"
        return text + (f"；该处文字：“{self.excerpt}”" if self.excerpt else "")


class ContextProblem(ValueError):
    """The report context is not one the templates can render (wrong version, kind or missing keys)."""


# ---- filters -------------------------------------------------------------------------------------------------

def pct(value: Any, digits: int = 1) -> str:
    """A fraction as per cent; missing → '—'; text is shown as given.

    >>> pct(0.376), pct(1.0667), pct(-0.05), pct(None), pct("已开工")
    ('37.6%', '106.7%', '−5.0%', '—', '已开工')
    """
    number = _figure(value)
    if number is None:
        return DASH if _blank(value) else str(value)
    return _signed(f"{number * 100:.{digits}f}") + "%"


def num(value: Any, digits: int = 2) -> str:
    """A number with thousands separators and at most `digits` decimals, trailing zeros dropped.

    >>> num(1234.5), num(43.0), num(0.27), num(-40.3), num(2.961, 3), num(None)
    ('1,234.5', '43', '0.27', '−40.3', '2.961', '—')
    """
    number = _figure(value)
    if number is None:
        return DASH if _blank(value) else str(value)
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return _signed("0" if text in ("-0", "") else text)


def pts(value: Any, digits: int = 1) -> str:
    """A difference of two fractions in percentage points, signed.

    >>> pts(-0.052), pts(0.03), pts(0), pts(None)
    ('−5.2 个百分点', '+3.0 个百分点', '0.0 个百分点', '—')
    """
    number = _figure(value)
    if number is None:
        return DASH if _blank(value) else str(value)
    text = f"{abs(number) * 100:.{digits}f}"
    sign = "" if float(text) == 0 else ("+" if number > 0 else MINUS)
    return f"{sign}{text} 个百分点"


def cn_list(value: Any, sep: str = "、") -> str:
    """Units or places as one phrase: a list, or text joined by '|' as in the tables; empty → '—'.

    >>> cn_list("五家街道|公正街道"), cn_list(["发改局", "统计局"]), cn_list(""), cn_list(None)
    ('五家街道、公正街道', '发改局、统计局', '—', '—')
    """
    if _blank(value):
        return DASH
    items = value.split("|") if isinstance(value, str) else [str(item) for item in value]
    items = [item.strip() for item in items if item and item.strip()]
    return sep.join(items) or DASH


def md_cell(value: Any) -> str:
    """Text for a Markdown table cell: '|' escaped, line breaks as spaces.

    >>> md_cell("A|B\\nC")
    'A\\\\|B C'
    """
    return re.sub(r"\s*\n\s*", " ", str(value)).replace("|", "\\|")


FILTERS: dict[str, Callable[..., str]] = {"pct": pct, "num": num, "pts": pts, "cn_list": cn_list,
                                          "md_cell": md_cell}


def status_filters(statuses: Statuses) -> dict[str, Callable[..., str]]:
    """The filters that colour a status as the style sheet says: `status_fill`, the background colour (hex, no
    '#') of a status cell, its tone's fill (templates/workbook_style.yaml, statuses and tones)."""
    def status_fill(status: Any) -> str:
        tone = statuses.tone(str(status))
        return tone.fill.removeprefix("#") if tone else NO_TONE_FILL

    return {"status_fill": status_fill}



def _figure(value: Any) -> float | None:
    """A context value that is a number (a string is never one here: text targets stay words)."""
    return None if isinstance(value, str) else as_number(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or (
        isinstance(value, float) and math.isnan(value))


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


# ---- environments ------------------------------------------------------------------------------------------

class _ReportUndefined(StrictUndefined):
    """StrictUndefined that also lists the keys the object does have ('summary' has no attribute …)."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        message = super()._undefined_message
        obj = self._undefined_obj
        if isinstance(obj, Mapping) and obj:
            message += f"（可用的键：{'、'.join(map(str, obj))}）"
        return message


def report_environment(reports_dir: Path | str | None, statuses: Statuses,
                       html: bool) -> ImmutableSandboxedEnvironment:
    """The sandboxed jinja2 environment of the HTML (`html`: every template autoescaped, _shared.j2 included,
    so macro output is escaped too) or the Markdown templates (no escaping)."""
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(reports_dir)) if reports_dir is not None else None, autoescape=html,
        undefined=_ReportUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update({**FILTERS, **status_filters(statuses)})
    return env


def docx_environment(statuses: Statuses) -> ImmutableSandboxedEnvironment:
    """The sandboxed jinja2 environment of the Word templates; autoescape, since docxtpl renders XML."""
    env = ImmutableSandboxedEnvironment(autoescape=True, undefined=_ReportUndefined)
    env.filters.update({**FILTERS, **status_filters(statuses)})
    return env


# ---- context and charts ----------------------------------------------------------------------------------

def check_context(context: Mapping[str, Any]) -> None:
    """Raise `ContextProblem` unless `context` is a version-1.2 report context with every top-level key."""
    version = context.get("context_version")
    if version != CONTEXT_VERSION:
        raise ContextProblem(f"报告上下文版本为 {version!r}，模板要求 {CONTEXT_VERSION}（见 templates/README.md）")
    if context.get("kind") not in KINDS:
        raise ContextProblem(f"报告类型 kind={context.get('kind')!r} 无效，应为 {' | '.join(KINDS)}")
    missing = [key for key in REQUIRED_KEYS if key not in context]
    if missing:
        raise ContextProblem(f"报告上下文缺少字段：{'、'.join(missing)}（见 templates/README.md）")


def charted(indicator: Mapping[str, Any], alerts: Sequence[str]) -> bool:
    """Whether an indicator gets a path chart: 约束性 or an alert (预警/滞后), with a numeric target and an actual
    value."""
    points = [p for p in indicator.get("history") or [] if _figure(p.get("value")) is not None]
    important = indicator.get("attribute") == "约束性" or indicator.get("status") in alerts
    return bool(important and points and _figure(indicator.get("target")) is not None
                and _figure(indicator.get("actual")) is not None)


def build_charts(context: Mapping[str, Any], charts_dir: Path, statuses: Statuses) -> dict[str, Any]:
    """Draw the status chart (bars in the tones of `statuses`) and the path charts into `charts_dir`; return the
    `charts` value of the context.

    Without a CJK font no chart is drawn: a warning is logged and the reports come out without figures.
    """
    from pipeline.render import charts

    try:
        status = charts.status_chart(context["summary"], context["status_order"], statuses, charts_dir / "status.png")
        drawn = [indicator for indicator in context["indicators"] if charted(indicator, statuses.alerts)]
        paths = [{"name": indicator["name"], "png": charts.path_chart(indicator, charts_dir / f"path_{n:02d}.png")}
                 for n, indicator in enumerate(drawn, start=1)]
    except charts.ChartFontMissing as exc:
        log.warning("%s；报告不含图表", exc)
        return {"status_counts": None, "paths": []}
    return {"status_counts": status, "paths": paths}


# ---- rendering -------------------------------------------------------------------------------------------

def render_reports(context: Mapping[str, Any], templates_dir: Path | str, out_dir: Path | str,
                   basename: str, statuses: Statuses) -> dict[str, Path]:
    """Render the report of `context` as <basename>.docx, .html and .md in `out_dir`; return their paths.

    Parameters
    ----------
    context : the report context (templates/README.md); not modified.
    templates_dir : the templates/ folder (the report templates are read from its reports/ sub-folder) or
        that reports/ folder itself.
    out_dir : where the reports go; charts go to <out_dir>/<basename>_charts/.
    basename : file name without extension, e.g. '230113_双城区_2023_中期评估'.
    statuses : the status words and their tones (templates/workbook_style.yaml): status cells and chart bars.

    Returns ``{"docx": …, "html": …, "md": …, "charts": <charts folder>}``. When `context["charts"]` is
    empty or None the charts are drawn here (`build_charts`); otherwise its PNG paths are used as given.
    Nothing is written unless all three templates render: a template error raises `TemplateProblem`.
    """
    check_context(context)
    reports_dir = _reports_dir(Path(templates_dir))
    out_dir = Path(out_dir)
    kind = context["kind"]
    charts_dir = out_dir / f"{basename}_charts"
    context = copy.deepcopy(dict(context))
    if not context.get("charts"):
        context["charts"] = build_charts(context, charts_dir, statuses)

    # Render all three in memory first: a broken template leaves no half-written set of reports
    linked = {**context, "charts": _linked_charts(context["charts"], out_dir)}
    html = _render_text(report_environment(reports_dir, statuses, html=True), f"{kind}.html.j2", linked, reports_dir)
    markdown = _render_text(report_environment(reports_dir, statuses, html=False), f"{kind}.md.j2", linked,
                            reports_dir)
    docx = _render_docx(reports_dir / f"{kind}.docx", context, statuses)

    # Write the files
    out_dir.mkdir(parents=True, exist_ok=True)
    written = {"docx": out_dir / f"{basename}.docx", "html": out_dir / f"{basename}.html",
               "md": out_dir / f"{basename}.md"}
    written["docx"].write_bytes(docx)
    written["html"].write_text(html, encoding="utf-8")
    written["md"].write_text(markdown, encoding="utf-8")
    written["charts"] = charts_dir
    log.info("评估报告（%s）：%s", context["kind_name"], "、".join(str(p) for p in written.values()))
    return written


def _reports_dir(templates_dir: Path) -> Path:
    return templates_dir / "reports" if (templates_dir / "reports").is_dir() else templates_dir


def _linked_charts(charts: Mapping[str, Any], out_dir: Path) -> dict[str, Any]:
    """Chart paths as URLs relative to the reports (for <img src> and ![]())."""
    def url(path: Any) -> str | None:
        return None if not path else quote(Path(os.path.relpath(Path(path), out_dir)).as_posix())

    return {"status_counts": url(charts.get("status_counts")),
            "paths": [{"name": c["name"], "png": url(c["png"])} for c in charts.get("paths") or []]}


def _render_text(env: ImmutableSandboxedEnvironment, name: str, context: Mapping[str, Any],
                 reports_dir: Path) -> str:
    if not (reports_dir / name).is_file():
        raise TemplateProblem(name, None, f"模板文件不存在：{reports_dir / name}")
    try:
        return env.get_template(name).render(context)
    except Exception as exc:
        problem = _text_problem(exc, env, name)
        if problem is None:
            raise
        raise problem from exc


def _render_docx(template: Path, context: Mapping[str, Any], statuses: Statuses) -> bytes:
    from docx.shared import Mm
    from docxtpl import DocxTemplate, InlineImage

    if not template.is_file():
        raise TemplateProblem(template.name, None, f"模板文件不存在：{template}", word=True)
    try:
        tpl = DocxTemplate(template)
        tpl.init_docx()
    except Exception as exc:  # a corrupt or non-Word file: python-docx raises several kinds
        raise TemplateProblem(template.name, None, f"不是可用的 Word 文件（{type(exc).__name__}: {exc}）",
                              word=True) from exc
    charts = context["charts"]
    images = {
        "status_counts": (InlineImage(tpl, str(charts["status_counts"]), width=Mm(STATUS_CHART_WIDTH_MM))
                          if charts.get("status_counts") else None),
        "paths": [{"name": c["name"], "png": InlineImage(tpl, str(c["png"]), width=Mm(PATH_CHART_WIDTH_MM))}
                  for c in charts.get("paths") or []],
    }
    try:
        tpl.render({**context, "charts": images}, jinja_env=docx_environment(statuses), autoescape=True)
    except Exception as exc:
        problem = _docx_problem(exc, tpl, template.name)
        if problem is None:
            raise
        raise problem from exc
    buffer = io.BytesIO()
    tpl.save(buffer)
    return buffer.getvalue()


# ---- errors ----------------------------------------------------------------------------------------------

def _text_problem(exc: Exception, env: ImmutableSandboxedEnvironment, top: str) -> TemplateProblem | None:
    """The TemplateProblem of an error raised while rendering HTML/Markdown template `top`, or None if the
    error did not come from a template."""
    if isinstance(exc, TemplateSyntaxError):
        name, line = exc.name or top, exc.lineno
    else:
        frame = _template_frame(exc, lambda filename: filename.endswith(".j2"))
        if frame is None and not isinstance(exc, TemplateError):
            return None
        name = Path(frame.filename).name if frame else getattr(exc, "name", None) or top
        line = frame.lineno if frame else None
    source_line = ""
    if line is not None:
        try:
            source_line = env.loader.get_source(env, name)[0].splitlines()[line - 1]
        except (TemplateError, IndexError, OSError):
            source_line = ""
    return TemplateProblem(name, line, _message(exc, source_line), rendering=top)


def _docx_problem(exc: Exception, tpl: Any, name: str) -> TemplateProblem | None:
    """The TemplateProblem of an error raised by docxtpl while rendering Word template `name`."""
    if isinstance(exc, TemplateSyntaxError):
        line, source = exc.lineno, exc.source
    else:
        frame = _template_frame(exc, lambda filename: filename == "<template>")
        if frame is None and not isinstance(exc, TemplateError):
            return None
        line, source = (frame.lineno if frame else None), None
    part = _docx_part(exc)
    if source is None and line is not None and part in ("正文", "页眉页脚"):
        # The XML docxtpl gave jinja2: patched, one paragraph per line (DocxTemplate.render_xml_part)
        xml = tpl.get_xml() if part == "正文" else tpl.get_part_xml(tpl.current_rendering_part)
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
    source_line = ""
    if source and line is not None and 0 < line <= len(source.splitlines()):
        source_line = source.splitlines()[line - 1]
    excerpt = _xml_text(source_line)
    message = _message(exc, excerpt)
    if part != "正文":
        message = f"{message}（位置：{part}）"
    return TemplateProblem(name, line, message, word=True, excerpt=excerpt[:80] + ("…" if len(excerpt) > 80 else ""))


def _template_frame(exc: BaseException, is_template: Callable[[str], bool]) -> traceback.FrameSummary | None:
    """The innermost traceback frame in template code (jinja2 maps those frames to template lines)."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if is_template(f.filename)]
    return frames[-1] if frames else None


def _docx_part(exc: BaseException) -> str:
    """Which part of the Word file docxtpl was rendering when `exc` was raised."""
    names = {f.name for f in traceback.extract_tb(exc.__traceback__)}
    for function, part in (("render_properties", "文档属性"), ("build_headers_footers_xml", "页眉页脚"),
                           ("render_footnotes", "脚注")):
        if function in names:
            return part
    return "正文"


def _message(exc: Exception, source_line: str) -> str:
    """jinja2's message, with the variable named when jinja2 only says 'dict object'."""
    message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    if not isinstance(exc, TemplateError):
        message = f"{type(exc).__name__}: {message}"
    found = re.match(r"'dict object' has no attribute '([^']+)'", message)
    if found and source_line:
        attribute = re.escape(found.group(1))
        owner = re.search(rf"([A-Za-z_][\w.]*(?:\[[^\]]*\])?)\.{attribute}\b", source_line)
        if owner:
            message = f"'{owner.group(1)}'" + message[len("'dict object'"):]
    return message


def _xml_text(xml: str) -> str:
    """The text of a line of document XML: tags dropped, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", xml)).strip()


