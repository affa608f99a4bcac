"""The evaluation of one district's plan for a year, as the `evaluations` table and the report context.

Stage: 评估. Input: the plan tables (documents, indicators, achievements, projects, tasks, responsibilities)
and the accepted observations of the store. Output: `evaluations` rows and the context dict (version 1.2,
every key listed in templates/README.md) that the report templates render. Actual values come from the
store and from documents that report them (a later 政府工作报告 or 统计公报); the store wins where both exist;
a value missing everywhere is 无数据 and listed as a gap — never filled in. Every count of the context is taken
from the same rows the report's tables show: a target the plan states without naming its indicator is not
evaluated but listed (`left_out`), the projects outside any 专栏 are not counted as a 专栏, and a total is the
sum of the rows it totals.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pandas as pd

from pipeline.adjust.adjustments import targets_in_force
from pipeline.evaluate.progress import PeriodBands, evaluate
from pipeline.numbers import as_number
from pipeline.periods import covers, of_year
from pipeline.schema import columns
from pipeline.statuses import Statuses
from pipeline.tables import named_indicators, nameless_reason, published
from pipeline.units import Factor, Units

CONTEXT_VERSION = "1.2"
KIND_NAMES = {"annual": "年度评估", "midterm": "中期评估", "final": "总结评估"}
SHARE_KINDS = ("share", "rate")  # measured in per cent: a reached target is shown in points above it


def plan_document(documents: pd.DataFrame, district_code: str, year: int, kind: str) -> pd.Series | None:
    """The plan an evaluation judges: for a year, that year's annual plan or work report, else the five-year
    plan covering it; for a mid-term or final evaluation, the five-year plan (or a review) covering the year."""
    docs = documents[documents.district_code == district_code]
    covering = docs[covers(docs, year)]
    order = ["annual_plan", "work_report", "five_year_plan", "review"] if kind == "annual" else \
        ["five_year_plan", "review"]
    for doc_type in order:
        found = covering[covering.doc_type == doc_type]
        if len(found):
            return found.iloc[0]
    return None


def actual_values(indicators: pd.DataFrame, achievements: pd.DataFrame, observations: pd.DataFrame,
                  year: int, documents: pd.DataFrame | None = None, units: Units | None = None,
                  stated: pd.DataFrame | None = None) -> pd.DataFrame:
    """For each indicator: the actual value of `year`, where it came from, and the yearly history.

    A plan indicator's actuals are the figures of the district with its indicator key (the catalogue key, or the same
    name and unit in the district) from any document — an actual, an estimate or a dated baseline: each is a value
    of its year — and from the store, where a month's form may have asked it under another plan in force with the
    same key (`stated`: the indicators of every plan; the forms ask each key once). The store (latest accepted month
    of the year) wins for the year it holds; of documents, a reported
    actual over an estimate (预计), then the later publication over an earlier one. A figure of the same year that
    differs from the one taken is named in `actual_source` with its quote and the rule that set it aside. A figure
    in another unit is converted to the indicator's (units.yaml) and says so; one that cannot be is not used
    (4850 人 is no value of a target in 万人 without the conversion, 0.92 个百分点 none of a rate in %).
    """
    rows = []
    obs_year = _keyed(of_year(observations, year), indicators if stated is None else stated)
    reports = _ranked_reports(achievements, documents)
    by_key = {key: frame for key, frame in reports.groupby(["district_code", "indicator_key"], sort=False)}
    for ind in indicators.itertuples():
        mine = _store_figures(obs_year, ind, units)
        mine = mine[mine.cumulative_to_date.notna()]  # a month whose figure was refused keeps the one before
        theirs = _in_unit(by_key.get((ind.district_code, ind.indicator_key), reports.iloc[0:0]), ind.unit,
                          ind.indicator_key, units)
        chosen = theirs.drop_duplicates("year")  # ranked: the first of each year is the one taken
        history = [{"year": int(r.year), "value": float(r.value)} for r in chosen.itertuples()]
        value, source = None, ""
        if len(mine):
            last = mine.iloc[-1]
            value = float(last.cumulative_to_date)
            source = f"{last.period} 月度填报 {last.source_file}!{last.cell}" + _set_aside(
                theirs[theirs.year == year], value, "以月度填报为准")
        elif (chosen.year == year).any():
            rep = chosen[chosen.year == year].iloc[0]
            value, source = float(rep.value), f"“{rep.quote}”（{rep.doc_id} 第 {rep.line} 行）" + _set_aside(
                theirs[theirs.year == year].iloc[1:], value, "以实际数优先于预计数、较晚发布者优先")
        history = [h for h in history if h["year"] != year] + ([{"year": year, "value": value}] if value is not None
                                                               else [])
        rows.append({"indicator_id": ind.indicator_id, "actual": value, "actual_source": source,
                     "history": sorted(history, key=lambda h: h["year"])})
    return pd.DataFrame(rows, columns=["indicator_id", "actual", "actual_source", "history"])


def _keyed(observations: pd.DataFrame, stated: pd.DataFrame) -> pd.DataFrame:
    """The observations with the district, key and unit of the indicator each was asked as (`_district`, `_key`,
    `_unit`; empty for a project or an indicator no longer in the tables)."""
    known = stated.drop_duplicates("indicator_id").set_index("indicator_id")
    of = {c: dict(zip(known.index, known[c], strict=True)) if c in known.columns else {}
          for c in ("district_code", "indicator_key", "unit")}
    return observations.assign(_district=observations.item_id.map(of["district_code"]).fillna(""),
                               _key=observations.item_id.map(of["indicator_key"]).fillna(""),
                               _unit=observations.item_id.map(of["unit"]).fillna(""))


def _store_figures(observations: pd.DataFrame, ind, units: Units | None) -> pd.DataFrame:
    """The accepted months of one indicator, in month order: asked as this indicator, or as another plan's with the
    same key in the district, its figure converted to this indicator's unit (one that cannot be is not used)."""
    key = getattr(ind, "indicator_key", "")
    same = (observations.item_id == ind.indicator_id) | (
        (observations._key == key) & (observations._district == ind.district_code) if key else False)
    mine = observations[same].sort_values("period")
    factors = [1.0 if item == ind.indicator_id or unit == ind.unit else (
        f.factor if units and (f := units.factor(str(unit), str(ind.unit), key)) else None)
        for item, unit in zip(mine.item_id, mine._unit, strict=True)]
    kept = pd.Series([f is not None for f in factors], index=mine.index, dtype=bool)
    scaled = [v * f for v, f in zip(pd.to_numeric(mine.cumulative_to_date, errors="coerce"), factors, strict=True)
              if f is not None]
    return mine[kept].assign(cumulative_to_date=scaled)


def _in_unit(reports: pd.DataFrame, unit: str, key: str, units: Units | None) -> pd.DataFrame:
    """The reports whose unit converts to `unit`, their values converted and their quotes saying how."""
    factors = [units.factor(str(u), str(unit), key) if units else (Factor(1.0, ()) if u == unit else None)
               for u in reports.unit]
    kept = [f for f in factors if f is not None]
    converted = reports[pd.Series([f is not None for f in factors], index=reports.index, dtype=bool)]
    values = [float(v) * f.factor for v, f in zip(converted.value, kept, strict=True)]
    return converted.assign(value=values, quote=[q + (f"（按{f.sources}换算为{v:g}{unit}）" if f.steps else "")
                                                 for q, f, v in zip(converted.quote, kept, values, strict=True)])


def _ranked_reports(achievements: pd.DataFrame, documents: pd.DataFrame | None) -> pd.DataFrame:
    """The dated figures of documents, each year's best first: an actual before an estimate or a baseline, then the
    later publication (its date, else the year it plans for), then the first printed (a change stated after a
    level comes later)."""
    dated = achievements[pd.to_numeric(achievements.year, errors="coerce").notna()]
    dated = dated.assign(year=pd.to_numeric(dated.year).astype(int))
    if "indicator_key" not in dated.columns:
        dated = dated.assign(indicator_key=dated.canonical)
    dated = dated[dated.indicator_key.astype(str) != ""]
    published = {}
    if documents is not None and len(documents):
        published = {d: str(p or s) for d, p, s in zip(documents.doc_id, documents.published,
                                                        documents.period_start, strict=True)}
    order = dated.assign(_actual=dated.get("role", "actual") != "actual",
                         _published=[published.get(d, "") for d in dated.doc_id],
                         _line=pd.to_numeric(dated.line, errors="coerce"))
    order = order.sort_values(["year", "_actual", "_published", "_line"], ascending=[True, True, False, True],
                              kind="stable")
    return order.drop(columns=["_actual", "_published", "_line"])


def _set_aside(others: pd.DataFrame, taken: float, rule: str) -> str:
    """'；另有 …' naming the figures of the same year that differ from the one taken, and the rule, or ''."""
    differing = [f"“{r.quote}”（{r.doc_id} 第 {r.line} 行）记为 {float(r.value):g}" for r in others.itertuples()
                 if abs(float(r.value) - taken) > 1e-9]
    return f"；另有{'；'.join(differing)}，{rule}" if differing else ""


def evaluate_plan(tables: dict[str, pd.DataFrame], observations: pd.DataFrame, district_code: str, year: int,
                  kind: str, bands: PeriodBands, units: Units | None = None
                  ) -> tuple[pd.Series | None, pd.DataFrame, list[dict], list[dict]]:
    """(the plan document, the evaluations rows, the context indicator dicts, the targets left out for want of
    a name) for one district and year."""
    doc = plan_document(tables["documents"], district_code, year, kind)
    if doc is None:
        return None, pd.DataFrame(columns=columns("evaluations")), [], []
    indicators = targets_in_force(tables["indicators"][tables["indicators"].doc_id == doc.doc_id],
                                  tables.get("adjustments"), str(year))
    indicators, nameless = named_indicators(indicators)
    main, from_text = main_indicators(indicators)
    chapters = chapter_titles(tables.get("sections"), indicators.section_id)
    left_out = [{"indicator_id": n["indicator_id"], "quote": n["quote"], "line": _line(n),
                 "target_text": n["target_text"], "unit": n["unit"], "reason": nameless_reason(n)}
                for n in nameless.to_dict("records")]
    actuals = actual_values(indicators, tables["achievements"], observations, year,
                            tables["documents"], units, tables["indicators"]).set_index("indicator_id")
    duty = tables["responsibilities"].set_index("item_id")
    start, end = int(doc.period_start), int(doc.period_end)
    rows, context = [], []
    for ind in indicators.itertuples():
        t0 = int(as_number(ind.baseline_year) or start - 1)
        t1 = int(as_number(ind.target_year) or end)
        actual = as_number(actuals.at[ind.indicator_id, "actual"])
        result = evaluate(ind.kind, as_number(ind.baseline_value), t0, as_number(ind.target_value), t1, actual, year,
                          bands, ind.qualifier, ind.attribute == "约束性")
        if ind.adjusted_by:  # judged against the adjusted target, and saying so
            result = replace(result, method=f"按调整后目标 {ind.target_text} 判定（原目标 {ind.original_target_text}，"
                                            f"{ind.adjusted_by}）；{result.method}")
        name = ind.name + (f"（{ind.sub_item}）" if ind.sub_item else "")
        note = "" if actual is not None else "无实际值：本年度未收到报送，文件中亦无报告"
        rows.append({"district_code": district_code, "doc_id": doc.doc_id, "kind": kind,
                     "indicator_id": ind.indicator_id, "name": name, "period": year,
                     "baseline": as_number(ind.baseline_value), "target": as_number(ind.target_value), "actual": actual,
                     "actual_source": actuals.at[ind.indicator_id, "actual_source"], "method": result.method,
                     "elapsed_share": result.tau, "progress": result.progress, "progress_ratio": result.ratio,
                     "status": result.status, "note": note,
                     "listed_in": "main" if main[ind.indicator_id] else "annex",
                     "chapter": "" if main[ind.indicator_id] else chapters[ind.section_id]})
        lead = duty.lead_unit.get(ind.indicator_id, "") if ind.indicator_id in duty.index else ""
        context.append({"indicator_id": ind.indicator_id, "name": name, "unit": ind.unit, "category": ind.category,
                        "attribute": ind.attribute, "baseline_year": t0, "baseline": as_number(ind.baseline_value),
                        "target_year": t1, "target": as_number(ind.original_target_value),
                        "target_text": ind.original_target_text,
                        "actual": actual, "actual_year": year,
                        "actual_source": actuals.at[ind.indicator_id, "actual_source"],
                        "expected": result.expected, "progress": result.progress, "ratio": result.ratio,
                        "status": result.status, "method": result.method, "kind": ind.kind, "lead_unit": lead,
                        "adjusted_target": as_number(ind.target_value) if ind.adjusted_by else None,
                        "adjusted_target_text": ind.target_text if ind.adjusted_by else "",
                        "points_above_target": _points_above(ind.kind, result.progress, actual,
                                                             as_number(ind.target_value)),
                        "history": actuals.at[ind.indicator_id, "history"],
                        "main": bool(main[ind.indicator_id]), "from_text": from_text and bool(main[ind.indicator_id]),
                        "chapter": chapters[ind.section_id]})
    return doc, pd.DataFrame(rows, columns=columns("evaluations")), context, left_out


def main_indicators(indicators: pd.DataFrame) -> tuple[pd.Series, bool]:
    """(indicator_id → whether it is one of the plan's main indicators, whether these come from the text).

    The main indicators are the plan's own indicator table (主要指标表); a plan without one (a work report, or a
    plan whose table is missing) has as main indicators the catalogue indicators its text states, and says so.
    Every other quantified target goes to the annex.
    """
    table = indicators.source == "table"
    from_text = not table.any()
    chosen = indicators.canonical.fillna("").astype(str) != "" if from_text else table
    return pd.Series(chosen.to_numpy(dtype=bool), index=indicators.indicator_id), from_text and bool(chosen.any())


def chapter_titles(sections: pd.DataFrame | None, section_ids: pd.Series) -> dict[str, str]:
    """section_id → the title of the chapter it lies in, with its number as printed ('第五章 推进乡村振兴'); ''
    where the section is not known."""
    titles = {}
    if sections is not None and len(sections):
        titles = {s: f"{n} {t}".strip() if n and not str(n).endswith(("、", "．", ".")) else f"{n}{t}"
                  for s, n, t in zip(sections.section_id, sections.number.fillna(""), sections.title, strict=True)}
    out = {}
    for sid in set(section_ids.fillna("")):
        doc, _, path = str(sid).partition(":")
        out[sid] = titles.get(f"{doc}:{path.split('.')[0]}", "") if path else ""
    return out


def build_context(tables: dict[str, pd.DataFrame], observations: pd.DataFrame, district_code: str, district: str,
                  year: int, kind: str, bands: PeriodBands, statuses: Statuses, generated_at: datetime,
                  sample: bool = False, units: Units | None = None) -> tuple[dict, pd.DataFrame]:
    """The report context (version 1.2) and the evaluations rows of one district, year and kind; the status
    words are counted and listed in the order of `statuses` (templates/workbook_style.yaml)."""
    doc, evaluations, evaluated, left_out = evaluate_plan(tables, observations, district_code, year, kind, bands,
                                                          units)
    if doc is None:
        raise ValueError(f"{district}（{district_code}）没有覆盖 {year} 年的规划文件，无法生成{KIND_NAMES[kind]}")
    indicators = [i for i in evaluated if i["main"]]
    annex = [i for i in evaluated if not i["main"]]
    duty = tables["responsibilities"].set_index("item_id")
    context = {
        "context_version": CONTEXT_VERSION, "kind": kind, "kind_name": KIND_NAMES[kind], "year": year,
        "generated_at": f"{generated_at.year}年{generated_at.month}月{generated_at.day}日", "sample": sample,
        "district": {"code": district_code, "name": district},
        "plan": {"title": doc.title, "period_start": int(doc.period_start), "period_end": int(doc.period_end),
                 "doc_id": doc.doc_id},
        "tau": _tau(int(doc.period_start) - 1, int(doc.period_end), year),
        "indicators": indicators, "status_order": list(statuses.computed),
        "summary": summarise(indicators, statuses),
        "main_from_text": any(i["from_text"] for i in indicators),
        "annex": [{"chapter": chapter or "（未归入章节）", "items": [i for i in annex if i["chapter"] == chapter]}
                  for chapter in dict.fromkeys(i["chapter"] for i in annex)],
        "annex_summary": summarise(annex, statuses),
        "left_out": left_out,
        "tasks": _tasks(tables, doc.doc_id, duty),
        "projects": _projects(tables, doc.doc_id, observations, year, duty),
        "problems": [{"name": i["name"], "status": i["status"], "lead_unit": i["lead_unit"],
                      "gap_text": _gap_text(i)} for i in indicators if i["status"] in statuses.alerts],
        "adjustments": [{"indicator_id": i["indicator_id"], "name": i["name"],
                         "target_text": i["adjusted_target_text"] or i["target_text"],
                         "reason": _adjustment_reason(i, year)}
                        for i in indicators if i["status"] == "滞后" and i["ratio"] is not None],
        "gaps": [{"name": i["name"], "reason": "无实际值：规划期内未收到报送，文件中亦无报告"
                  if i["target"] is not None else "目标为文字表述，须人工研判"}
                 for i in indicators if i["status"] == "无数据"],
        "charts": None,  # drawn by render_reports (pipeline.render.charts) next to the report files
    }
    return context, evaluations


def summarise(indicators: list[dict], statuses: Statuses) -> dict:
    """The counts the report's sentences give, each taken from the indicator rows its table shows; which words
    count as on track or behind (an alert) is the style sheet's (`statuses`).

    A 约束性 indicator without data (status 无数据: no actual value, or a target in words) is neither met nor
    failed: it is counted apart (`binding_no_data`), so '未达到预期进度' names only indicators whose progress
    was measured.

    >>> from pathlib import Path
    >>> statuses = Statuses.load(Path(__file__).parents[2] / "templates" / "workbook_style.yaml")
    >>> rows = [{"name": n, "attribute": a, "status": s} for n, a, s in (("甲", "约束性", "正常"),
    ...         ("乙", "约束性", "滞后"), ("丙", "约束性", "无数据"), ("丁", "预期性", "已完成"), ("戊", "", "预警"))]
    >>> s = summarise(rows, statuses)
    >>> s["binding_met"], s["binding_failed"], s["binding_no_data"], s["expected_total"], s["unmarked_total"]
    (1, ['乙'], ['丙'], 1, 1)
    >>> s["total"], s["with_data"], s["on_track"], s["behind"]
    (5, 4, 2, 2)
    """
    counts = {s: sum(1 for i in indicators if i["status"] == s) for s in statuses.computed}
    binding = [i for i in indicators if i["attribute"] == "约束性"]
    measured = [i for i in binding if i["status"] != "无数据"]
    return {"total": len(indicators), "counts": counts,
            "on_track": sum(counts[s] for s in statuses.on_track),
            "behind": sum(counts[s] for s in statuses.alerts), "no_data": counts["无数据"],
            "with_data": len(indicators) - counts["无数据"],
            "binding_total": len(binding), "binding_with_data": len(measured),
            "binding_met": sum(i["status"] in statuses.on_track for i in measured),
            "binding_failed": [i["name"] for i in measured if i["status"] not in statuses.on_track],
            "binding_no_data": [i["name"] for i in binding if i["status"] == "无数据"],
            "expected_total": sum(i["attribute"] == "预期性" for i in indicators),
            "unmarked_total": sum(i["attribute"] not in ("约束性", "预期性") for i in indicators)}


def _line(row) -> int | None:
    line = as_number(row.get("line") if isinstance(row, dict) else getattr(row, "line", None))
    return None if line is None else int(line)


def _points_above(kind: str, progress: float | None, actual: float | None, target: float | None) -> float | None:
    """How far a share or rate (in per cent) that reached its target is above it, in percentage points: a
    巩固率 99.8 → 99.9 at 100 has P = 200%, which says nothing to a reader; '高于目标0.1个百分点' does.

    >>> _points_above("share", 2.0, 100.0, 99.9), _points_above("share", 0.5, 99.85, 99.9)
    (0.1, None)
    >>> _points_above("count", 1.2, 36.0, 30.0) is None
    True
    """
    if kind not in SHARE_KINDS or progress is None or round(progress, 6) < 1 or actual is None or target is None:
        return None
    return round(actual - target, 6)


def _minus(text: str) -> str:
    """A figure's sign as the report prints it (U+2212), so the context's sentences match its tables."""
    return text.replace("-", "\u2212")


def _adjustment_reason(indicator: dict, year: int) -> str:
    """Why a 滞后 indicator's target is brought up for adjustment, in the tense of the evaluated year: before
    the target year it is hard to reach; in or after it, the target was not reached."""
    if year >= indicator["target_year"]:
        return f"至{year}年末{_gap_text(indicator)}，{indicator['target_year']}年目标未实现"
    return _minus(f"按当前进度（R={indicator['ratio']:.2f}），到{indicator['target_year']}年难以实现目标，建议调整")


def _tau(t0: int, t1: int, year: int) -> float:
    return 1.0 if t1 <= t0 else min(max((year - t0) / (t1 - t0), 0.0), 1.0)


def _gap_text(indicator: dict) -> str:
    if indicator["progress"] is not None and indicator["expected"] is not None and indicator["target"]:
        return _minus(f"完成进度 {indicator['progress']:.1%}，R={indicator['ratio']:.2f}")
    if indicator["ratio"] is not None:
        return _minus(f"R={indicator['ratio']:.2f}")
    return indicator["method"]


def _tasks(tables: dict[str, pd.DataFrame], doc_id: str, duty: pd.DataFrame) -> list[dict]:
    tasks = published(tables["tasks"][tables["tasks"].doc_id == doc_id])
    out = []
    for t in tasks.itertuples():
        d = duty.loc[t.task_id] if t.task_id in duty.index else None
        out.append({"title": t.title, "lead_unit": d.lead_unit if d is not None else "",
                    "co_units": d.co_units.replace("|", "、") if d is not None else "", "year": t.year,
                    "area": d.area.replace("|", "、") if d is not None else ""})
    return out


def _projects(tables: dict[str, pd.DataFrame], doc_id: str, observations: pd.DataFrame, year: int,
              duty: pd.DataFrame) -> dict:
    """The projects by 专栏 (the projects the plan names only in its running text last, in a group of their
    own that is not a 专栏), with totals that are the sums of the rows they total."""
    projects = published(tables["projects"][tables["projects"].doc_id == doc_id])
    done = of_year(observations, year).sort_values("period")
    titles = projects.column_title.fillna("").astype(str)
    groups = []
    for (loose, title), group in projects.groupby([titles.str.strip() == "", titles], sort=False):
        items = []
        for p in group.itertuples():
            mine = done[done.item_id == p.project_id]
            items.append({"name": p.name, "investment_yi": as_number(p.investment_yi),
                          "done_yi": as_number(mine.cumulative_to_date.iloc[-1]) if len(mine) else None,
                          "progress": mine.progress.iloc[-1] if len(mine) else "",
                          "lead_unit": duty.lead_unit.get(p.project_id, "") if p.project_id in duty.index else ""})
        groups.append({"column_title": "" if loose else title, "in_column": not loose, "items": items,
                       **_investment(items)})
    groups.sort(key=lambda g: not g["in_column"])  # stable: 专栏 in document order, then the running text
    items = [p for g in groups for p in g["items"]]
    totals = _investment(items)
    return {"groups": groups, "planned_total": totals["planned_yi"], "done_total": totals["done_yi"],
            "planned_done_total": totals["planned_done_yi"],
            "count": len(items), "column_count": sum(g["in_column"] for g in groups),
            "in_columns": sum(len(g["items"]) for g in groups if g["in_column"]),
            "in_text": sum(len(g["items"]) for g in groups if not g["in_column"]),
            "planned_count": sum(p["investment_yi"] is not None for p in items),
            "done_count": sum(p["done_yi"] is not None for p in items)}


def _investment(items: list[dict]) -> dict:
    """Planned and completed investment of some projects: each the sum of the projects' own figures (None when
    none has one); `planned_done_yi`, like for like, what was done on the projects whose planned investment
    the plan states — the completion of planned investment is planned_done_yi / planned_yi.

    >>> _investment([{"investment_yi": 20.0, "done_yi": 14.5}, {"investment_yi": None, "done_yi": 3.0},
    ...              {"investment_yi": 8.3, "done_yi": None}])
    {'planned_yi': 28.3, 'done_yi': 17.5, 'planned_done_yi': 14.5}
    """
    planned = [p["investment_yi"] for p in items if p["investment_yi"] is not None]
    finished = [p["done_yi"] for p in items if p["done_yi"] is not None]
    like = [p["done_yi"] for p in items if p["done_yi"] is not None and p["investment_yi"] is not None]
    return {"planned_yi": round(sum(planned), 6) if planned else None,
            "done_yi": round(sum(finished), 6) if finished else None,
            "planned_done_yi": round(sum(like), 6) if like else None}
