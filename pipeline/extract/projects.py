"""Projects: every item of every 专栏 box, and the named projects listed in running text.

Stage: 编制 (extract). Input: a normalised document, its sections and documents row, the gazetteer.
Output: `projects` rows (table `projects`) — name as printed, owner (company), location (镇/乡/街道/园区),
planned investment in 亿元, the count a group states ('等7个校舍项目') — and findings where the names
listed and the count stated differ.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from pipeline.extract.places import Gazetteer
from pipeline.extract.quantity import to_number
from pipeline.extract.rows import finding, stable_id
from pipeline.schema import columns
from pipeline.tables import tuples
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.patterns import enclosing, marker, title_of

_OWNER = re.compile(r"(?:由)?([\u4e00-\u9fff（）()]{2,24}?(?:股份有限公司|有限责任公司|有限公司|集团(?![）)])))")
_INVESTMENT = re.compile(
    r"(?P<label>(?:计划)?总投资|投资|合计)(?:额)?(?:约|为|达)?(?P<num>\d+(?:\.\d+)?)(?P<unit>亿元|万元|亿)")
_OWNER_LEAD = re.compile(r"由|是|为|的|央企|市企|和|与|及|将")
_ITEM_NAME_END = re.compile(r"[：。；:;]")
_LIST_GROUP = re.compile(
    r"(?P<list>[^，。；：]+?)(?:等(?P<count>\d+|[一二三四五六七八九十两]+)?|(?<=[^\d、])(?P<count2>\d+)(?=个|家|所|处|座|条|项)|(?=(?:项目|工程)(?:建设|培育)))"
    r"(?:个|项|处|所|座|家|条)?(?P<kind>[^，。；：、于的]{0,12}?(?:项目|工程|中心|示范街|街区|基地|学校|厂房|街巷路|小区))")
# A named project ends like a facility or works ('…基地', '…二期', '…棚改'); a list of trades or hazards does not.
_FACILITY = re.compile(r"(?:基地|园区?|中心|项目|工程|学校|小学|中学|医院|院|路|大道|街|路段|馆|港|城|厂房?|站|"
                       r"枢纽|总部|"
                       r"综合体|商圈|广场|公园|小镇|段|线|桥|库|场|庄园|农庄|[一二三四五六七八九]期|棚改|码头|索道|沙滩|"
                       r"商亭|电站|网络|通道|上移|酒店|市场|大厦|楼)(?:建设|改造|扩建)?$|[A-Za-z0-9（）()]")
_VERBS = (r"推进|推动|实施|建设|启动|抓好|做好|完成|打造|围绕|新建|续建|开工|申报|争取|谋划|加快|实现|包括|提档升级|"
          r"深化|引进|落地|改造|建成|投用|开通|竣工|开展")
# Names of facilities and works, as they end; and what is too generic to be a name.
_GENERIC = re.compile(r"^(?:[一二三]级|重点|重大|各类|相关|配套|基层|社区|乡镇|村级|区级|市级|公共|标准化|新型|"
                      r"现代|特色|全口径|高附加值|深加工|公办|中小学|城镇|住宅|农村|通村|硬化|城市|智慧|虚拟|工业|"
                      r"卫生服务|文化|图书|综治|体育|经贸|展示|精品|示范|管理|老旧|总部|动漫|校园|促进|"
                      r"综合|产业|民生|基础设施|招商|储备|全部|所有|各|一批|新|续建|在建|这些|上述|该)*"
                      r"(?:消防站|项目|工程|中心|基地|园区|产业园|学校|医院|道路|公园|设施|平台|站|馆|小区|幼儿园|校园|"
                      r"街路|路)$")
# A facility's name, as it ends (lazy: the shortest that ends like a facility).
_NAME = (r"(?P<name>[^，。；：、]{2,28}?(?:基地|产业园|园区|工业园|物流园|中心|学校|小学|中学|幼儿园|医院|馆|港|"
         r"枢纽|总部|"
         r"大道|[^道思线]路|大街|桥|公园|游园|小区|家园|楼|大厦|综合体|商圈|小镇|[二三四五]期|厂房|试验台|项目|工程|首店|"
         r"街区|谷|湿地|路段|园|示范区|核心区)”?)")
# What happens to a facility that the text reports or plans ('建成通车', '试运营', '完成选址').
_DONE = (r"(?:建成|通车|载客|开工|投产|竣工|启用|完工|交付|大修|亮化|揭牌|主体完工|正式运营|正式运行|试运营|试运行|"
         r"投入使用|投用|开业|完成选址|落地|落成|加速建设|成功签约|签约|获批|创建规划)")
# Any facility word at all (a cheap test before the costly patterns).
_ANY_FACILITY = re.compile(r"基地|园|中心|学校|小学|中学|医院|馆|港|枢纽|总部|大道|路|街|桥|小区|家园|楼|大厦|"
                           r"综合体|商圈|小镇|期|厂房|试验台|项目|工程|首店|谷|湿地|示范区|核心区")
# A facility named at the start of a phrase and followed by what happens to it.
_FACILITY_MENTION = re.compile(rf"[将对把在于为]?{_NAME}{_DONE}")
# A facility named right after a verb, ending the phrase ('建设哈尔滨西部创新港', '完成智慧街区指挥中心建设').
# The facility name a phrase starts with; what follows it is the work done ('老旧小区改造', '落成').
_NAME_PREFIX = re.compile(_NAME.replace("{2,28}?", "{2,28}"))
# What is done to projects named in a list ('…等重点项目建设', '…等项目竣工投产').
_BUILT = re.compile(r"(?:建设|落地|开工|竣工|投产|启动|尽快|加快|顺利|全部|相继|陆续|先后|开展前期|培育)")
# Verbs that put facilities to work in an enumeration ('完成新疆大街276楼、三合小区…改造').
_BUILD_VERBS = re.compile(r"推进|推动|建设|新建|续建|开工|完成|实施|启动|加快|建成|投用|开通|竣工|提档升级|抓好|改造")
_LEADING_VERBS = re.compile(rf"(?:{_VERBS})")
# A numbered line that is one project's name and nothing else ('⑧岚皋县城区智慧水务建设工程;', '4.…提标扩能项目(一期
# 提标升级);'); not a task ('实施…工程', a verb first) nor a class of projects ('续建重点项目').
_LISTED_NAME = re.compile(r"\s*(?P<name>[^，,。：:；;]{4,40}?(?:项目|工程)(?:[（(][^（()）]{1,12}[)）])?)"
                          r"\s*[；;。.]?\s*")
_LISTED_KINDS = ("item", "subitem")
_PROJECT_CLASS = re.compile(r"^.{0,4}(?:重点|重大|续建|新开工|开工|储备|前期|在建|竣工|计划|民生实事)"
                            r".{0,4}(?:项目|工程)$")


def _investment(text: str) -> tuple[float | None, str]:
    """Planned investment in 亿元 and the phrase as printed ('计划总投资20亿元' → 20.0)."""
    m = _INVESTMENT.search(text)
    if not m:
        return None, ""
    value = float(m.group("num"))
    return (value / 10000 if m.group("unit") == "万元" else value), m.group()


def _owner_span(text: str, start: int = 0) -> tuple[int, int] | None:
    """Where the company that builds a project is named ('由央企中粮集团' → 中粮集团), or None."""
    m = _OWNER.search(text, start)
    if not m:
        return None
    cut = max((c.end() for c in _OWNER_LEAD.finditer(m.group(1))), default=0)
    return m.start(1) + cut, m.end(1)


def _row(document: dict, section_id: str, line: int, quote: str, **values) -> dict:
    row = dict.fromkeys(columns("projects"), "")
    row.update(values)
    row.update(doc_id=document["doc_id"], district_code=document.get("district_code", ""), section_id=section_id,
               line=line, quote=quote)
    row["project_id"] = stable_id("prj", row["doc_id"], section_id, row["column_no"], row["item_no"], row["name"], line)
    return row


def extract_box_projects(doc: NormalisedDocument, sections: pd.DataFrame, document: dict,
                         gazetteer: Gazetteer) -> list[dict]:
    """One row per item paragraph of every 专栏 box (numbered items, bullets, and 'label。text' items)."""
    rows = []
    boxes = sections[sections.kind == "column"]
    for box in tuples(boxes):
        items = [(i, p) for i, p in enumerate(doc.paragraphs)
                 if box.line_start < p.first_line and p.last_line <= box.line_end]
        for order, (index, para) in enumerate(items, start=1):
            head = marker(para.text)
            start = head.rest_start if head else 0
            end_name = _ITEM_NAME_END.search(para.text, start)
            name_end = end_name.start() if end_name else len(para.text)
            body = para.text[start:]
            investment, investment_text = _investment(body)
            # printed numbers as printed; 'label。text' items by their order; a bullet has no number
            number = head.number if head and head.kind in ("item", "subitem") else \
                ("" if head and head.kind == "bullet" else str(order))
            rows.append(_row(
                document, box.section_id, para.first_line, doc.quote(index, start, len(para.text)),
                column_no=_column_no(box.number), column_title=box.title, item_no=number.rstrip(".、"),
                name=doc.printed(index, start, name_end).strip() if name_end > start else "",
                owner=_printed_span(doc, index, _owner_span(para.text, start)), location="|".join(gazetteer.find(body)),
                investment_yi=investment,
                investment_text=investment_text,
                scale_text=doc.printed(index, name_end + 1, len(para.text)) if name_end + 1 < len(para.text) else ""))
    return rows


def _printed_span(doc: NormalisedDocument, index: int, span: tuple[int, int] | None) -> str:
    """The text of a span of paragraph `index` as printed (whole across a page break), or '' for no span."""
    return doc.printed(index, *span) if span else ""


def _column_no(number: str) -> str:
    m = re.search(r"\d+", number)
    return m.group() if m else number


def _sentence_span(text: str, start: int, end: int, longest: int = 160) -> tuple[int, int]:
    """The sentence of a paragraph that names a project (from start to end of its names), so that its quote says
    what is done with it ('打造中马路、靖宇大街等夜经济示范街'); its clause when the sentence is longer than `longest`.

    >>> text = "强化商圈功能。打造中马路、靖宇大街等夜经济示范街，繁荣夜间经济。"
    >>> a, b = _sentence_span(text, text.index("中马路"), text.index("等"))
    >>> text[a:b]
    '打造中马路、靖宇大街等夜经济示范街，繁荣夜间经济'
    """
    for stops in ("。；！？", "。；！？，"):
        a, b = enclosing(text, start, end, stops)
        if b - a <= longest:
            break
    return a, max(b, end)


def extract_text_projects(doc: NormalisedDocument, sections: pd.DataFrame, document: dict, gazetteer: Gazetteer,
                          section_at, skip_sections: set[str],
                          listed: dict[int, tuple[int, int]]) -> tuple[list[dict], list[dict]]:
    """Named projects in running text (see `find_named_projects`), with a finding when the names listed and
    the count stated ('等7个校舍项目') differ; a line of a numbered list of projects (`listed`, see `listed_projects`)
    is one project."""
    rows, findings = [], []
    seen: set[tuple[int, str]] = set()
    in_box = [(b.line_start, b.line_end) for b in tuples(sections[sections.kind == "column"])]
    for index, para in enumerate(doc.paragraphs):
        if "\t" in para.text or any(a <= para.first_line <= b for a, b in in_box):
            continue
        section_id = section_at(para.first_line)
        if section_id in skip_sections:
            continue
        if index in listed:
            a, b = listed[index]
            rows.append(_row(document, section_id, para.first_line, doc.quote(index, 0, len(para.text)),
                             name=doc.printed(index, a, b), location="|".join(gazetteer.find(para.text[a:b])),
                             investment_yi=None, group_investment_yi=None))
            continue
        head = marker(para.text)
        title = title_of(head.rest) if head else ""
        # a heading ('(一)坚持项目拉动…', '——经济运行稳中提质。') names no project; a long first sentence may
        title_end = head.rest_start + len(title) if head and len(title) <= 24 else (head.rest_start if head else 0)
        for group in [g for g in find_named_projects(para.text) if g.names[0][0] >= title_end]:
            line = doc.line_of(para.raw_offset(group.names[0][0]))
            group_investment, group_text = _investment(para.text[group.end:group.end + 40].split("。")[0]) \
                if group.count else (None, "")
            group_id = stable_id("grp", document["doc_id"], para.first_line, group.names[0][0])
            said = _sentence_span(para.text, group.names[0][0], group.end)
            for a, b in group.names:
                name = doc.printed(index, a, b)
                if (line, name) in seen:  # named twice on one line: one project
                    continue
                seen.add((line, name))
                investment, investment_text = (None, "") if len(group.names) > 1 else _investment(
                    para.text[b:b + 30].split("，")[0])
                rows.append(_row(
                    document, section_id, line, doc.quote(index, *said), name=name,
                    owner=_printed_span(doc, index, _owner_span(para.text[:b], a)),
                    location="|".join(gazetteer.find(para.text[a:b])), count_stated=group.count or "",
                    group_id=group_id if len(group.names) > 1 or group.count else "", investment_yi=investment,
                    investment_text=investment_text or group_text, group_investment_yi=group_investment,
                    scale_text=group.kind))
            if group.count and group.count != len(group.names):
                findings.append(finding(document, section_id, line, doc.quote(index, group.names[0][0], group.end),
                                        "count_mismatch",
                                        f"文中称共 {group.count} 个，列出名称 {len(group.names)} 个"))
    return rows, findings


def listed_projects(doc: NormalisedDocument, shortest_run: int = 3) -> dict[int, tuple[int, int]]:
    """Paragraphs that are items of a numbered list of projects — a run of at least `shortest_run` lines numbered
    alike (1. 2. 3. or ① ② ③), each one project's name and nothing else ('①岚皋县村级医保服务能力提升工程;'):
    index → the name's span. A heading followed by its text breaks the run, and a line naming a task ('实施…工程')
    or a class of projects ('续建重点项目') is no project's name."""
    spans: dict[int, tuple[int, int]] = {}
    run: list[tuple[int, tuple[int, int]]] = []
    kind = ""
    for index, para in enumerate([*doc.paragraphs, None]):
        head = marker(para.text) if para is not None else None
        m = _LISTED_NAME.fullmatch(para.text, head.rest_start) if head and head.kind in _LISTED_KINDS else None
        if m and (_LEADING_VERBS.match(m.group("name")) or _PROJECT_CLASS.match(m.group("name"))):
            m = None
        if m and (not run or head.kind == kind):
            run.append((index, m.span("name")))
            kind = head.kind
            continue
        if len(run) >= shortest_run:
            spans.update(run)
        run, kind = ([(index, m.span("name"))], head.kind) if m else ([], "")
    return spans


@dataclass(frozen=True)
class NamedGroup:
    """Project names found together: their spans, the count the text states, the kind ('校舍项目')."""

    names: tuple[tuple[int, int], ...]
    count: int | None
    kind: str
    end: int


def find_named_projects(text: str) -> list[NamedGroup]:
    """Named projects in one paragraph of normalised text.

    Three shapes: a list closed by a count and a kind ('推进A、B等7个校舍项目建设', '兆麟、斯大林、爱建3家社区卫生
    服务中心'); and names of facilities after a verb ('建设哈尔滨西部创新港', '完成智慧街区指挥中心建设').

    >>> text = ("加快推进百度人工智能基地、中央绿色厨房产业园等重大项目建设，力争项目快建成、早投产。"
    ...         "建设哈尔滨西部创新港。全力推进兆麟、斯大林、爱建3家社区卫生服务中心建设")
    >>> [[text[a:b] for a, b in g.names] for g in find_named_projects(text)]
    [['百度人工智能基地', '中央绿色厨房产业园'], ['哈尔滨西部创新港'], ['兆麟', '斯大林', '爱建']]
    """
    groups: list[NamedGroup] = []
    taken: list[tuple[int, int]] = []
    for m in _list_groups(text):
        printed = m.group("count") or m.group("count2")
        count = to_number(printed) if printed else None
        shortest = 2 if count else 3  # '兆麟、斯大林、爱建3家社区卫生服务中心'
        names = [(a, b) for a, b in _split_names(m.group("list"), m.start("list"))
                 if _looks_named(text[a:b], shortest)]
        # built: a verb of building after the list ('…等重点项目建设') or before it ('提档升级A、B等…项目')
        built = bool(_BUILT.match(text, m.end()) or _BUILD_VERBS.search(m.group("list").split("、")[0]))
        facilities = sum(bool(_FACILITY.search(text[a:b])) for a, b in names)
        # '…等重点项目建设' says these are projects; '…等项目申报' does not
        said = bool(re.search("项目|工程", m.group("kind"))) and built
        # one name is a project when '等N个' or '…等项目建设' says so; a bare number ('12个') is not enough
        single = len(names) == 1 and not m.group("count2") and (count is not None or said and facilities)
        plenty = len(names) >= 2 and (count is not None or said or built and facilities * 2 >= len(names))
        if m.group("count") == "一" or not (single or plenty):
            continue
        groups.append(NamedGroup(tuple(names), int(count) if count else None, m.group("kind"), m.end()))
        taken.append((m.start("list"), m.end()))
    for clause in re.finditer(r"[^，。；：]+", text):
        if not _ANY_FACILITY.search(clause.group()):  # most clauses name no facility: skip them cheaply
            continue
        overlapping = [b for a, b in taken if a <= clause.start() < b or clause.start() <= a < clause.end()]
        start = max([clause.start(), *overlapping])
        if start >= clause.end():
            continue
        clause_start = start
        names = _enumerated_facilities(text, clause_start, clause.end())
        if names:
            groups.append(NamedGroup(tuple(names), None, "", clause.end()))
    return sorted(groups, key=lambda g: g.names[0][0])


def _list_groups(text: str):
    """The listed groups ('A、B等7个…项目'), each starting at a clause's start: one anchored match per clause
    instead of a search from every character."""
    for clause in re.finditer(r"[^，。；：]+", text):
        pos, end = clause.start(), clause.end()
        while pos < end:
            m = _LIST_GROUP.match(text, pos, end)
            if m is None:
                break
            yield m
            pos = m.end()


def _enumerated_facilities(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Facility names enumerated in one clause, when the clause says something is done to them: a verb
    before the first ('完成新疆大街276楼、三合小区、国土局家属楼老旧小区改造') or a completion after the
    last ('区企联建的启航园、万达体育公园落成')."""
    pieces = [(start + p.start(), start + p.end()) for p in re.finditer(r"[^、]+", text[start:end])]
    first_a, first_b = pieces[0]
    verbs = [v.end() for v in _BUILD_VERBS.finditer(text, first_a, first_b) if v.end() <= first_b - 3]
    last = _FACILITY_MENTION.match(text, pieces[-1][0], pieces[-1][1]) or _FACILITY_MENTION.search(
        text, pieces[-1][0], pieces[-1][1])
    if not verbs and not last:
        return []
    names = []
    for i, (a, b) in enumerate(pieces):
        done = _FACILITY_MENTION.match(text, a, b)  # '新华工业园A区换热站建设工程完工': the verb is in the name
        if done is None and i == 0:
            a = max(verbs[-1] if verbs else a, text.rfind("的", a, b) + 1)  # '区企联建的启航园'
        m = done or _NAME_PREFIX.match(text, a, b)
        if m is None or re.search(r"编制(?:完成)?$", text[max(0, a - 4):a]):
            continue
        name_start, name_end = m.start("name"), m.end("name")
        if "等" in m.group("name"):  # '哈南九路等市政道路工程' → 哈南九路
            name_end = name_start + m.group("name").index("等")
        if _looks_named(text[name_start:name_end]):
            names.append((name_start, name_end))
    return names


def _looks_named(name: str, shortest: int = 3) -> bool:
    """A proper name rather than a description: not generic ('社区卫生服务中心'), no '的' clause, no count
    ('22条侵蚀沟治理工程'), quotes balanced.

    >>> [_looks_named(n) for n in ("万达体育公园", "设备最先进的绿色轻量化玻璃瓶生产基地", "22条侵蚀沟治理工程",
    ...                            "“雪亮工程")]
    [True, False, False, False]
    """
    quoted = name.startswith("“") and name.endswith("”")  # a campaign's name ('“雪亮工程”')
    return (shortest <= len(name) <= 30 and not _GENERIC.match(name) and "的" not in name and "等" not in name
            and not quoted
            and not re.search(r"\d+(?:个|条|所|家|处|批)", name) and name.count("“") == name.count("”"))


def _split_names(listed: str, offset0: int = 0) -> list[tuple[int, int]]:
    """Spans (from offset0) of the names in an enumeration 'A、B、C'; the words up to the last verb before the
    first name are dropped ('重点推进哈尔滨机场国际货运枢纽、…' → 哈尔滨机场国际货运枢纽)."""
    first = listed.split("、")[0]
    ends = [v.end() for v in _LEADING_VERBS.finditer(first) if v.end() <= len(first) - 2]
    offset = ends[-1] if ends else 0
    offset += len(first[offset:]) - len(first[offset:].lstrip("将把对"))
    names = []
    for m in re.finditer(r"[^、]+", listed[offset:]):
        if 2 <= len(m.group()) <= 40:
            names.append((offset0 + offset + m.start(), offset0 + offset + m.end()))
    return names
