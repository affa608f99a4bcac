"""Targets and achievements stated in running text and 专栏 boxes.

Stage: 编制 (extract). Input: a normalised document, its sections and documents row. Output: indicator
rows (source 'prose') for commitments and achievement rows for results reported as reached, one per
number, each with the clause it came from quoted exactly from the raw text.

How a number is told apart: a review section (回顾, 成就 …) or a paragraph opening on the past (回首,
五年来 …) reports results; a plan section commits to targets; a sentence's own markers override both
(到2025年/力争/计划 make a target, 预计/同比 in a review make an estimated result).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pipeline.extract.naming import names_nothing
from pipeline.extract.quantity import CN_DIGITS, DIGITS, to_number
from pipeline.extract.rows import COUNT_UNITS, achievement_row, classify_kind, indicator_row
from pipeline.extract.rules import ExtractRules
from pipeline.periods import five_year_period
from pipeline.tables import tuples
from pipeline.text.normalise import NormalisedDocument
from pipeline.text.outline import sections_within
from pipeline.text.patterns import enclosing, marker

_SENTENCE = re.compile(r"[^。！？；]+[。！？；]?")
_CLAUSE_BREAK = "，；：。、"
_YEAR_AT = re.compile(r"(?:到|至|在)?((?:19|20)\d{2})年(?:底|末)?")
_TARGET_YEAR = re.compile(r"(?:到|至)((?:19|20)\d{2})年")
_CN_VERBS = ("新增", "新建", "建成", "建设", "培育", "创建", "打造", "引进", "争创", "完成", "实现", "达到", "增加",
             "开工", "改造", "新开工", "组建", "举办", "办成", "承接", "新上", "开展", "培养")
_LEADING = re.compile(r"^(?:——|(?:到|至|在)?(?:19|20)\d{2}年(?:底|末)?|“?十[一二三四五六七八九]五”?(?:期间|时期)|"
                      r"全年|今年|明年|其中|全区|全市|我区|区内|力争|确保|争取|计划|预计|累计|同时|并|共|已|将|"
                      r"五年来|一年来|过去一年|过去五年|“十三五”以来|十三五以来)+")
_TRAILING_FILLERS = ("同比", "比上年", "分别", "年均", "达", "为", "是", "至", "到", "在", "有", "超", "逾", "约", "近",
                     "共", "累计", "总数", "总计", "合计", "完成", "实现", "和", "及", "预计增加到", "增加到", "发展为",
                     "发展到", "提升至", "提高至", "跃升至", "跃升", "增至", "均", "将", "增加", "新增", "比")
# A name that is only a verb ('推进18万平方米…'): what is measured follows the number.
_BARE_VERB = re.compile(r"^(?:每年)?(?:力争)?(?:重点|加快|全力|大力|积极)?(?:推进|推动|实施|建造|建设|培育|改善|引进|"
                        r"完成|打造|新建|改造|扶持|修建|新增|发展|创建|开展|组织|举办|实现)$")
# The words in a bracket before a target that restates the clause's own ('…增长9.5%(预期目标为10%以上)').
_BRACKET_TARGET = re.compile(r"(?:年初|全年|年度)?(?:预期|计划|目标)(?:目标)?(?:值)?(?:为|是)?")
# A name that is only a level ('国家级示范区2个、省级5个示范区' → 省级): what is counted follows the number.
_LEVEL = re.compile(r"(?:国家|省|市|县|区|乡|镇|村)级")
_BARE_LEVEL = re.compile(f"^{_LEVEL.pattern}$")
_LEADING_VERBS = re.compile(r"^(?:重点|全力|加快|继续|持续|积极|大力|着力)?(?:推进|推动|实施|打造|建设|完善|助力|组织|"
                            r"开展|围绕|抓好|做好|加强|启动|落实|实现|完成)")


@dataclass(frozen=True)
class Mention:
    """One number with its unit found in a sentence; positions are in the paragraph's normalised text."""

    start: int
    end: int
    value: float
    unit: str
    qualifier: str
    verb: str
    role: str = ""  # 'baseline' for the starting figure of a stated change ('由336.2亿元增加到…')


def _mention_pattern(rules: ExtractRules) -> re.Pattern:
    number = rf"{DIGITS}|[{CN_DIGITS}]+?"
    return re.compile(
        rf"(?P<lb>\[)?(?P<num>{number})(?:[-~至到](?P<high>{DIGITS}))?(?P<rb>\])?(?P<approx>余|多)?"
        rf"(?P<unit>{rules.units})(?P<after>(?:及)?(?:以上|左右|以内|以下|之内))?")


_DOUBLING = re.compile(r"翻(?P<num>一|两|二|三)番")
_THRESHOLD_NEXT = re.compile(r"(?![和及与或并])[\u4e00-\u9fff]")


_QUOTED = re.compile(r"“[^”]{0,30}”|《[^》]{0,60}》|「[^」]{0,30}」")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside “…”, 《…》 and 「…」: names and slogans, never quantities."""
    if "“" not in text and "《" not in text and "「" not in text:
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


def _is_amount(text: str, m: re.Match, rules: ExtractRules, quoted: list[tuple[int, int]]) -> bool:
    """False for a date, ordinal, part of a name or slogan, a figure of what already exists, a reference (an
    enumeration of policies or criteria, the scope of the figure that follows) or a threshold that only says
    which things are meant ('35蒸吨以下燃煤锅炉', '5岁以下儿童')."""
    start, num, unit = m.start(), m.group("num"), m.group("unit")
    before, after = text[max(0, start - 16):start], text[m.end():m.end() + 1]
    if unit in rules.duration_units:
        return False
    if any(a <= start < b for a, b in quoted) or before.endswith(("第", "PM", "Ⅱ")) or re.search(r"[A-Za-z.]$", before):
        return False
    if rules.starting_words.search(before) or rules.named_project.search(before[-8:]):
        return False
    if _starting(text, m, rules) == "agent":
        return False  # '由…' that starts no stated change: an agent or a source, not a figure
    if unit in COUNT_UNITS and _is_reference(text, m, before, rules):
        return False
    if rules.reference_before.search(before):
        return False
    if num[0] in CN_DIGITS:
        single = num in ("一", "百", "千", "万") and not (num in ("百", "千") and before.endswith(("超", "近", "逾")))
        if single or unit in ("次", "种", "类") or not before.endswith(_CN_VERBS + ("超", "近", "逾")):
            return False
    if unit in ("万", "亿") and after and _THRESHOLD_NEXT.match(after) and not m.group("after"):
        return False
    if m.group("after") and unit not in COUNT_UNITS | {"%", "‰"} and after and _THRESHOLD_NEXT.match(after):
        return False
    return not text.startswith("范围", m.end())


def _is_reference(text: str, m: re.Match, before: str, rules: ExtractRules) -> bool:
    """A count that enumerates policies or criteria ('出台稳就业20条', '8个一级指标') or names the scope of the figure
    after it ('1000个省级重点产业项目完成投资2000亿元')."""
    after = text[m.end():m.end() + 40]
    if m.group("after"):
        return False
    articles = m.group("unit") == "条" and rules.enumeration_before.search(before)
    indicators = m.group("unit") == "项" and rules.enumeration_noun_before.search(before)
    return bool(rules.enumeration_after.match(after) or articles or indicators
                or (rules.scope_after.match(after) and not before.endswith(tuple("，；：。、")) and
                    not rules.change_verb_tail.search(before)))


def _starting(text: str, m: re.Match, rules: ExtractRules) -> str:
    """'baseline' for the start of a stated change ('由336.2亿元增加到…'), 'agent' for a 由/从 that starts none
    ('由区财政安排…'), '' for a number no such word leads to."""
    if not rules.baseline_words.search(text[max(0, m.start() - 16):m.start()]):
        return ""
    return "baseline" if rules.baseline_to.match(text, m.end()) else "agent"


def find_mentions(text: str, rules: ExtractRules, pattern: re.Pattern | None = None) -> list[Mention]:
    """Every quantity in `text` that is a measurable amount (not a date, ordinal, name or slogan)."""
    pattern = pattern or _mention_pattern(rules)
    quoted = _quoted_spans(text)
    mentions = []
    for m in pattern.finditer(text):
        value = to_number(m.group("num"))
        if value is None or not _is_amount(text, m, rules, quoted):
            continue
        if re.search(r"(?<![\dA-Za-z%‰])-$", text[max(0, m.start() - 2):m.start()]):  # not '6%-7%', a range
            value = -value  # a minus as printed: '自然增长率为-0.86‰'
        before = text[max(0, m.start() - 8):m.start()]
        clause = text[max(text.rfind(c, 0, m.start()) for c in "，；：。") + 1:m.start()]
        qualifiers = rules.qualifier_words.findall(clause)
        qualifiers += [q for q in (m.group("approx"), m.group("after")) if q]
        if m.group("high"):
            qualifiers.insert(0, f"范围{m.group('num')}-{m.group('high')}")
        if m.group("lb") and m.group("rb"):
            qualifiers.append("累计")
        verb = rules.change_verb_tail.search(before)
        verb = verb.group(1) if verb else ""
        if not verb and mentions and re.fullmatch(r"[、和及与]", text[mentions[-1].end:m.start()]):
            verb = mentions[-1].verb  # '同比下降74.8%和53.8%': the list shares its verb
        role = "baseline" if _starting(text, m, rules) == "baseline" else ""
        mentions.append(Mention(m.start(), m.end(), value, m.group("unit"), "|".join(dict.fromkeys(qualifiers)),
                                verb, role))
    for m in _DOUBLING.finditer(text):
        mentions.append(Mention(m.start(), m.end(), 2.0 ** (to_number(m.group("num")) or 1), "倍", "翻番", ""))
    return sorted(mentions, key=lambda x: x.start)


def _name(text: str, mention: Mention, previous: Mention | None, previous_name: str, rules: ExtractRules) -> str:
    """What is measured: the clause before the number without time phrases, subject and verbs; the
    previous number's name when only connectives stand between them ('由30308元增加到39931元'); the noun
    after the unit when the clause before is a list ('…、群力实验小学等7个校舍项目' → 校舍项目)."""
    head = text[:mention.start]
    restated = _restated_subject(head, rules)
    if restated:
        return restated
    cut = max(head.rfind(c) for c in _CLAUSE_BREAK)
    if head.rfind("(") < cut < head.rfind(")"):  # a comma inside brackets: '(以大圆捆为主，小方捆为辅)'
        opening = head.rfind("(", 0, cut)
        cut = max(head.rfind(c, 0, opening) for c in _CLAUSE_BREAK)
    listed = previous is not None and previous.end == cut and head[cut] == "、"  # '由30308元、14472元'
    if previous is not None and (previous.end > cut or listed):
        gap = _strip_name(head[previous.end:], rules)
        if len(gap) < 2:
            return previous_name
        cut = cut if listed else previous.end - 1  # a listed name starts after its 顿号: '90%、农膜回收率80%'
    name = _strip_name(head[cut + 1:], rules)
    if len(name) < 2 and cut >= 0 and head[cut] == "：":  # '全区畜禽规模化养殖场：总数发展到137个'
        before = head[:cut]
        name = _strip_name(before[max(before.rfind(c) for c in _CLAUSE_BREAK) + 1:], rules)
    level = _LEVEL.search(previous_name) if _BARE_LEVEL.match(name) else None
    if level:  # '国家级农业龙头企业2家、省级2家': the same thing at another level
        return previous_name[:level.start()] + name + previous_name[level.end():]
    counted = _counted(text[mention.end:], rules) if (mention.unit in COUNT_UNITS or mention.unit == "%") \
        and len(name) >= 2 and names_nothing(name, rules) else ""
    if counted:
        return counted
    if len(name) < 2 or head.endswith("等") or "、" in name or _BARE_VERB.match(name) or _BARE_LEVEL.match(name):
        tail = re.match(rf"[^{_CLAUSE_BREAK}\d并]{{2,24}}", text[mention.end:])
        if tail and not tail.group().startswith(("以上", "左右", "以内")):
            return _strip_name(tail.group().lstrip("的"), rules) or name
    return name[-24:] if len(name) >= 2 else previous_name


def _counted(after: str, rules: ExtractRules) -> str:
    """What a count or share is of when the words before it name nothing: the words after it to the clause's end,
    from its last 的, up to the next item of a list ('新建至少1个万头标准化奶牛养殖场' → 万头标准化奶牛养殖场,
    '推出2-3个体现民族特色、反映时代精神的艺术精品' → 艺术精品, '为全区90%以上居民建立电子健康档案' →
    居民建立电子健康档案, '新建至少2个综合体、改造老旧小区' → 综合体, but '23个街(镇)、社区(村)综治中心' whole);
    '' if they name nothing either."""
    words = re.match(r"[^，；：。\d]{2,30}", after)
    if words is None:
        return ""
    counted = re.split(r"(?<!目)的", words.group())[-1]  # a particle 的, not the one of 目的地
    verbs = "|".join(_CN_VERBS + ("推进", "实施", "提升"))
    counted = re.split(rf"并|(?<=..)[、和及与](?={verbs})", counted)[0]  # the next item of a list is not part of it
    name = _strip_name(counted.rstrip("、和及与"), rules)
    return name if len(name) >= 2 and not names_nothing(name, rules) else ""


def _named_to(sentence: str, end: int, name: str) -> int:
    """Where the quote of a figure ends: after the words that name it when they follow it in its clause ('新建至少1个
    万头标准化奶牛养殖场'), else at the figure."""
    found = sentence.find(name, end) if name else -1
    between = sentence[end:found]
    clause = sentence[enclosing(sentence, end, end, "，；：。")[0]:end]
    if found < 0 or re.search(r"[，；：。\d]", between) or name in clause:
        return end  # the name was found before the figure ('建设幼儿园5所、改扩建幼儿园3所'), or in another item
    return found + len(name)


def _restated_subject(head: str, rules: ExtractRules) -> str:
    """The subject of a clause whose target a bracket restates ('规模工业增加值增长9.5%,高于全市1.2个百分点,排名全市
    第1位(预期目标为10%以上)' → 规模工业增加值), or '' when the number is not in such a bracket."""
    opening = max(head.rfind("("), head.rfind("（"))
    if opening < 0 or opening < max(head.rfind(")"), head.rfind("）")) or not _BRACKET_TARGET.fullmatch(
            head[opening + 1:]):
        return ""
    start = max(head.rfind(c, 0, opening) for c in "；;。") + 1
    first = re.search(r"\d", head[start:opening])  # the clause's own figure: its subject stands just before it
    if first is None:
        return ""
    before = head[start:start + first.start()]
    name = _strip_name(before[max(before.rfind(c) for c in "，,、") + 1:], rules)
    return name if len(name) >= 2 else ""


def _strip_name(text: str, rules: ExtractRules) -> str:
    """A clause without time phrases, subject, qualifiers and the verbs that lead to the number."""
    name = rules.footnote_marker.sub("", text)
    name = re.split(r"(?:分别)?(?:由|从)(?=[^，；]*\d|(?:“[^”]{1,8}”)?(?:期末|年末|末)?的?$)", name)[0]
    parts = re.split(r"(?:19|20)\d{2}年(?:底|末)?", name)  # '到2025年，…' leads; '…比2010年' trails
    name = next((p for p in reversed(parts) if len(p) >= 2), parts[-1])
    for _ in range(3):
        before = name
        name = _LEADING.sub("", name)
        name = rules.name_tail.sub("", name)
        name = re.sub(r"(?:比(?:“十[一二三]五”(?:末|期末|时期)|(?:19|20)\d{2}年|上年)(?:底|末)?)$", "", name)
        for filler in _TRAILING_FILLERS if name.endswith(_TRAILING_FILLERS) else ():
            name = name.removesuffix(filler)
        name = _LEADING_VERBS.sub("", name) if len(_LEADING_VERBS.sub("", name)) >= 2 else name
        if name == before:  # a pass that changes nothing: the next ones would not either
            break
    return name


def _is_project_attribute(text: str, name: str, end: int, rules: ExtractRules) -> bool:
    """A named project's area, floor space or investment ('总占地面积为46706平方米'); an amount of work that
    qualifies a programme ('实施总建筑面积280万平方米的老旧小区改造项目') stays a target."""
    if not re.search(rf"(?:{rules.project_attributes})$", name):
        return False
    return bool(rules.named_project.search(text)) or not text.startswith("的", end)


def extract_prose_quantities(doc: NormalisedDocument, sections: pd.DataFrame, document: dict,
                             section_at: Callable[[int], str], rules: ExtractRules,
                             known: Callable[[str], bool] = lambda name: False,
                             reports_actuals: bool = False,
                             actuals_year: int | None = None) -> tuple[list[dict], list[dict]]:
    """Indicator rows (targets) and achievement rows from every paragraph of running text; `known` tells
    whether a name is a catalogue indicator, which may then have a target in words (与GDP增长同步).
    `reports_actuals`: the document's genre reports results (统计公报, 年鉴, 新闻: doc_types.yaml role actual), so a
    figure is an actual of the document's year unless its own sentence commits to a later year or a plan opening
    ('今后', '到2025年') introduces it. `actuals_year`: the year a result with no year of its own is of, after the
    document's first planned year (doc_types.yaml actuals_year: 0 for a bulletin, −1 for a work report)."""
    review = sections_within(sections, lambda r: bool(rules.review_titles.search(r.title_norm)))
    # project lists (专栏 … 重点项目) hold project attributes, glossaries hold definitions: neither is counted
    skipped = sections_within(sections, lambda r: (r.kind == "column" and "项目" in r.title_norm)
                         or bool(rules.excluded_titles.search(r.title_norm)))
    pattern = _mention_pattern(rules)
    section_years = _section_years(sections)
    start_year = int(document["period_start"]) if str(document.get("period_start", "")).isdecimal() else None
    end_year = int(document["period_end"]) if str(document.get("period_end", "")).isdecimal() else None
    targets, achievements = [], []
    mode_hint, hint_section = "", None
    for index, para in enumerate(doc.paragraphs):
        text = para.text
        if "\t" in text or rules.note_openings.match(text):
            continue
        section_id = section_at(para.first_line)
        if section_id in skipped:
            continue
        if section_id != hint_section:  # an opening like '回首过去五年' speaks for the rest of its section
            mode_hint, hint_section = "", section_id
        if rules.review_openings.search(text):
            mode_hint = "review"
        elif rules.plan_openings.search(text):
            mode_hint = "plan"
        in_review = section_id in review or mode_hint == "review" or (reports_actuals and mode_hint != "plan")
        section_year = section_years.get(section_id)
        head = marker(text)
        body_start = head.rest_start if head else 0
        said = ""  # the role the paragraph's last sentence with markers of its own stated
        for sentence in _SENTENCE.finditer(text, body_start):
            s_text = sentence.group()
            own = _sentence_role(s_text, start_year, actuals_year, rules)
            # a sentence that looks ahead (将, 今年 …) does not take the result of the one before it
            said = own or ("" if said == "actual" and rules.ahead_cues.search(s_text) else said)
            section_role = "actual" if in_review and mode_hint != "plan" else ""
            genre_role = "actual" if in_review else "target"
            sentence_is_target = (own or section_role or said or genre_role) == "target"
            mentions = find_mentions(s_text, rules, pattern)
            words = sentence_is_target and ("同步" in s_text or "下达" in s_text)  # a target stated in words
            if not (mentions or words):
                continue
            year = _year(s_text, sentence_is_target, document, section_year, start_year, end_year, actuals_year)
            asides = [(b.start(), b.end(), _sentence_role(b.group(), start_year, actuals_year, rules))
                      for b in _ASIDE.finditer(s_text)]
            previous, name, baseline = None, "", None
            for m in mentions:
                # a figure in brackets with markers of its own ('(预期目标为8.5%以上)') takes their role
                aside = next((role for a, b, role in asides if a <= m.start < b and role), "")
                is_target = aside == "target" if aside else sentence_is_target
                name = _name(s_text, m, previous, name, rules)
                previous = m
                if _is_project_attribute(s_text, name, m.end, rules):
                    continue
                a, b = sentence.start() + m.start, sentence.start() + m.end
                clause_start = sentence.start() + max(s_text.rfind(c, 0, m.start) for c in "，；：。") + 1
                quote = doc.quote(index, clause_start, sentence.start() + _named_to(s_text, m.end, name))
                line = doc.line_of(para.raw_offset(a))
                kind = classify_kind(name, m.unit, m.value, "累计" in m.qualifier or "期间" in s_text[:m.start],
                                     m.verb)
                if m.role == "baseline":
                    baseline = (m.value, doc.printed(index, a, b), _baseline_year(s_text[:m.start]))
                    achievements.append(achievement_row(
                        document, section_id, line, quote, name=name, value=m.value, unit=m.unit,
                        qualifier=m.qualifier, year=baseline[2], kind=kind, role="baseline"))
                elif is_target:
                    base_value, base_text, base_year = baseline or ("", "", "")
                    targets.append(indicator_row(
                        document, section_id, line, quote, source="prose", name=name, unit=m.unit,
                        baseline_year=base_year, baseline_value=base_value, baseline_text=base_text,
                        target_year=year, target_value=m.value, target_text=doc.printed(index, a, b),
                        qualifier=m.qualifier, kind=kind, cumulative=int("累计" in m.qualifier)))
                    baseline = None
                else:
                    value, kind = _signed(m, s_text[clause_start - sentence.start():m.start], name, kind, rules)
                    achievements.append(achievement_row(
                        document, section_id, line, quote, name=name, value=value, unit=m.unit,
                        qualifier=m.qualifier, year=year, kind=kind,
                        role="estimate" if "预计" in m.qualifier else "actual"))
                    baseline = None
            if words:
                targets += _text_targets(doc, index, sentence, document, section_id, year, known)
    return targets, achievements


_TEXT_TARGET = re.compile(
    r"(?P<name>[^，；：。]{2,30}?)(?:年均)?(?:增长|增速|增幅|降幅)?"
    r"(?P<target>(?:与|和)(?:同期)?[^，；：。]{1,14}?(?:增长|增速|增幅)?(?:保持|基本)?同步(?:增长)?"
    r"|完成(?:市|省|上级)下达(?:的)?(?:指标|目标|任务))")


def _text_targets(doc: NormalisedDocument, index: int, sentence: re.Match, document: dict, section_id: str,
                  year, known: Callable[[str], bool]) -> list[dict]:
    """Targets stated in words for known indicators: '城乡居民人均可支配收入与地区生产总值增幅同步',
    '单位GDP能源消耗、单位GDP二氧化碳排放降幅完成市下达指标' (one row per indicator named); the caller passes only
    sentences with 同步 or 下达."""
    rows = []
    para = doc.paragraphs[index]
    for clause in re.finditer(r"[^，；：。]+", sentence.group()):
        m = _TEXT_TARGET.fullmatch(clause.group().rstrip("。"))
        if not m:
            continue
        start = sentence.start() + clause.start()
        a, b = start + m.start("target"), start + m.end("target")
        line = doc.line_of(para.raw_offset(start))
        for part in m.group("name").split("、"):
            name = _LEADING.sub("", part)
            if not known(name):
                continue
            rows.append(indicator_row(
                document, section_id, line, doc.quote(index, start, start + len(clause.group())), source="prose",
                name=name, target_year=year, target_value=None, target_text=doc.printed(index, a, b),
                qualifier="同步" if "同步" in m.group("target") else "", kind="text", cumulative=0))
    return rows


_ASIDE = re.compile(r"[（(][^（()）]{2,60}[）)]")


def _sentence_role(sentence: str, start_year: int | None, actuals_year: int | None, rules: ExtractRules) -> str:
    """'target', 'actual' or '' from a sentence's own markers: a target year after the year the document reports
    on (到2025年), words that commit (力争, 预期目标), the years it names against that year (a 2024 work report
    reports on 2023: '2023年，全区实现…' is a result, '2024年地区生产总值增长6%' a target), words that report (同比,
    比上年, 创历史新高) when nothing in it looks ahead (年均, 将)."""
    sentence = _ASIDE.sub("", sentence) if _ASIDE.fullmatch(sentence) is None else sentence[1:-1]  # asides apart
    reported = start_year + (actuals_year if actuals_year is not None else -1) if start_year else None
    target_year = _TARGET_YEAR.search(sentence)  # 到2025年: a target, unless it is the year reported on
    if target_year and (reported is None or int(target_year.group(1)) > reported):
        return "target"
    if rules.strong_target_cues.search(sentence):
        return "target"
    years = _years_named(sentence)
    if years and reported is not None:
        return "actual" if max(years) <= reported else "target"
    past = five_year_period(sentence)
    if past and start_year and past[1] < start_year:
        return "actual"
    if rules.strong_achievement_cues.search(sentence) and not rules.target_cues.search(sentence):
        return "actual"
    return ""


_NOT_ITS_YEAR = re.compile(r"《[^》]*》|“[^”]*”|(?:19|20)\d{2}[-—－–至](?:19|20)\d{2}年"
                           r"|(?:比|较|与|同|由|从)(?:19|20)\d{2}年(?:底|末)?(?:的)?")


def _years_named(sentence: str) -> list[int]:
    """The years a sentence is about, in order: not a title's, a span's ('2021-2035年'), a comparison base
    ('较2019年', '比2010年翻一番') or a starting point ('由2020年的30308元')."""
    return [int(y) for y in _YEAR_AT.findall(_NOT_ITS_YEAR.sub("", sentence))]


def _signed(m: Mention, clause: str, name: str, kind: str, rules: ExtractRules) -> tuple[float, str]:
    """(value, kind) of a reported result: a change stated as a fall ('比上年下降0.8%', '减少479亩', '产量106551吨，
    下降2.2%': a result's fall is against an earlier period) is a negative growth; the fall of a reduction indicator
    (单位GDP能耗下降3%) or a cumulative fall stays a positive reduction, and '下降到0' is a level."""
    falls = bool(m.verb) and rules.reduction_verb.fullmatch(m.verb) is not None
    reached = rules.fall_reached.search(clause)  # '下降到0': a level
    if not falls or reached or "累计" in m.qualifier or rules.reduction_indicators.search(name) or m.value < 0:
        return m.value, kind
    return -m.value, "growth"


def _baseline_year(before: str) -> int | str:
    """The year printed with a starting figure ('由2015年的336.2亿元'), or ''."""
    m = re.search(r"(?:由|从)((?:19|20)\d{2})年(?:底|末)?(?:的)?$", before)
    return int(m.group(1)) if m else ""


def _section_years(sections: pd.DataFrame) -> dict[str, int | None]:
    """section_id → the year its title (or an enclosing section's) is about ('2019年工作简要回顾' → 2019)."""
    years: dict[str, int | None] = {}
    for row in tuples(sections):  # outline order: a parent comes before its children
        m = _YEAR_AT.search(row.title_norm or "")
        years[row.section_id] = int(m.group(1)) if m else years.get(row.parent_id)
    return years


def _year(sentence: str, is_target: bool, document: dict, section_year: int | None, start_year: int | None,
          end_year: int | None, actuals_year: int | None = None) -> int | str:
    """The year a number is for: printed in the sentence, else the section's, else the document's own: a target
    is for the plan's year (a five-year plan's, its last); a result is of the year the genre reports
    (`actuals_year` after the first planned year: 0 for a bulletin, −1 for a work report's review)."""
    m = _TARGET_YEAR.search(sentence)
    years = [int(m.group(1))] if m else _years_named(sentence)
    if years:
        return years[0]
    if section_year:
        return section_year
    if is_target:
        return end_year if document.get("doc_type") == "five_year_plan" else (start_year or "")
    return start_year + actuals_year if start_year and actuals_year is not None else ""
