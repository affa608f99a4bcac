"""编制 runner: read every plan document, normalise and outline it, write the tables.

Inputs: document files (inputs/plans/ and the manifest documents.csv there, or any files given).
Outputs: outputs/tables/documents.csv and sections.csv; outputs/staging/<doc_id>.txt (normalised
paragraphs, each prefixed with its raw line numbers), <doc_id>.raw.txt (the raw text the quotes and
line numbers refer to) and <doc_id>.toc.csv (the table of contents that was set aside).
"""
from __future__ import annotations

import contextlib
import functools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.extract.catalogue import attach_canonical, known_indicator
from pipeline.extract.identity import indicator_keys, plan_indicators
from pipeline.extract.naming import name_issue
from pipeline.extract.places import Gazetteer
from pipeline.extract.projects import extract_box_projects, extract_text_projects, listed_projects
from pipeline.extract.prose import extract_prose_quantities
from pipeline.extract.rows import distinct_ids, finding, reported_columns, stated_columns
from pipeline.extract.table import extract_table_indicators
from pipeline.extract.tasks import extract_tasks
from pipeline.plan.confidence import indicator_confidence, project_confidence, task_confidence
from pipeline.plan.documents import infer_metadata, load_manifest, make_doc_id
from pipeline.plan.regions import Divisions
from pipeline.plan.responsibility import UNASSIGNED, assign_all, hold_pending
from pipeline.plan.review import review_stage
from pipeline.schema import columns
from pipeline.schema import empty as schema_empty
from pipeline.tables import machine_review, write_csv
from pipeline.text.normalise import NormalisedDocument, normalise
from pipeline.text.outline import outline, section_finder, sections_within
from pipeline.text.read import DocumentError, RawDocument, read_document

log = logging.getLogger(__name__)
SKIPPED_NAMES = {"documents.csv", "readme.md", "readme.txt"}


@dataclass
class Extraction:
    """What extraction produced: the tables, each document's normalised text, and the failures."""

    documents: pd.DataFrame
    sections: pd.DataFrame
    indicators: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("indicators")))
    statements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("statements")))
    achievements: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("achievements")))
    findings: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("findings")))
    projects: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("projects")))
    tasks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("tasks")))
    responsibilities: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=columns("responsibilities")))
    normalised: dict[str, NormalisedDocument] = field(default_factory=dict)
    raw: dict[str, RawDocument] = field(default_factory=dict)
    errors: list[DocumentError] = field(default_factory=list)


def plan_files(plans_dir: Path) -> list[Path]:
    """The documents in a plans folder: every file but the manifest, read-me and hidden files."""
    return sorted(p for p in plans_dir.iterdir()
                  if p.is_file() and not p.name.startswith(".") and p.name.lower() not in SKIPPED_NAMES)


@dataclass
class DocumentExtraction:
    """What one document gave: its tables (items with their catalogue keys and who answers for them), and what
    to tell the log."""

    sections: pd.DataFrame
    indicators: pd.DataFrame
    statements: pd.DataFrame
    achievements: pd.DataFrame
    findings: pd.DataFrame
    projects: pd.DataFrame
    tasks: pd.DataFrame
    responsibilities: pd.DataFrame
    messages: list[tuple[int, str]]  # (logging level, message): logged by the parent, in document order


def extract_documents(paths: list[Path], manifest: pd.DataFrame, config: Config) -> Extraction:
    """Read, normalise and outline each file and extract its tables, in parallel where there are several
    (text.yaml reading). Each file is read and extracted in one go under the id it would have alone; ids are then
    settled in file order, and a file whose id clashes with an earlier one (it then gets the file's hash) is
    extracted again under its own. A file that cannot be read is logged and skipped, in a pool as in one process."""
    listed = {row["source_file"]: row for row in manifest.to_dict("records")}
    taken = set(manifest["doc_id"])
    result = Extraction(pd.DataFrame(), pd.DataFrame())
    jobs = [(path, listed.get(path.name)) for path in paths]
    done, clashes = [], []
    with _pool(config, len(paths)) as pool:
        for (path, listed_row), outcome in zip(jobs, pool(_process_one, jobs, config), strict=True):
            if isinstance(outcome, DocumentError):
                log.error("无法读取 %s", outcome)
                result.errors.append(outcome)
                continue
            raw, doc, row, notes, extracted = outcome
            if listed_row is None:
                settled = make_doc_id(row, raw.sha256, taken, config.doc_types.abbr)
                if settled != row["doc_id"]:
                    row["doc_id"] = settled
                    clashes.append(len(done))
                log.info("%s 未列入 documents.csv，已推断：%s；doc_id=%s", path.name, "；".join(notes), row["doc_id"])
                if not row["district_code"]:
                    log.warning("%s", unknown_district(path.name, row, config.divisions))
            taken.add(row["doc_id"])
            done.append((raw, doc, row, extracted))
        again = pool(_extract_one, [done[i][:3] for i in clashes], config)
    for i, extracted in zip(clashes, again, strict=True):
        done[i] = (*done[i][:3], extracted)
    for raw, doc, row, extracted in done:
        for level, message in extracted.messages:
            log.log(level, "%s", message)
        result.normalised[row["doc_id"]] = doc
        result.raw[row["doc_id"]] = raw
    for source_file in sorted(set(listed) - {p.name for p in paths}):
        log.warning("documents.csv 列出的 %s 不在输入文件中", source_file)
    result.documents = pd.DataFrame([row for _, _, row, _ in done], columns=columns("documents"))
    for table in ("sections", "indicators", "statements", "achievements", "findings", "projects", "tasks",
                  "responsibilities"):
        frames = [getattr(extracted, table) for *_, extracted in done]
        setattr(result, table, pd.concat(frames, ignore_index=True) if frames else schema_empty(table))
    unassigned = (result.responsibilities.rule_id == UNASSIGNED).sum()
    if unassigned:
        log.warning("%d 个条目未能分配牵头单位，已列入未分配清单（规划任务分解表“缺口与疑点”）", unassigned)
    return result


@contextlib.contextmanager
def _pool(config: Config, documents: int):
    """A function (work, jobs, config) → results in job order, run in a pool of processes when there are enough
    documents to gain by it (text.yaml reading), else in this one. Jobs go to the workers in a few chunks each, so
    that the configuration is sent a few times, not once per document."""
    processors = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    workers = min(config.text_rules.workers or processors, documents)
    forking = "fork" in multiprocessing.get_all_start_methods()  # where processes cannot fork, one process
    if workers < 2 or documents < config.text_rules.parallel_from or not forking:
        yield lambda work, jobs, config: [work(job, config) for job in jobs]
        return
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as executor:
        yield lambda work, jobs, config: list(executor.map(functools.partial(work, config=config), jobs,
                                                           chunksize=max(1, len(jobs) // (4 * workers))))


def _process_one(job: tuple[Path, dict | None], config: Config):
    """(raw, normalised, documents row, notes, extraction) of one file, or its DocumentError. A file the manifest
    does not list is extracted under the id it would have if no other file took it first."""
    path, listed = job
    outcome = _read_one(path, listed, config)
    if isinstance(outcome, DocumentError):
        return outcome
    raw, doc, row, notes = outcome
    if listed is None:
        row["doc_id"] = make_doc_id(row, raw.sha256, set(), config.doc_types.abbr)
    return raw, doc, row, notes, _extract_one((raw, doc, row), config)


def _read_one(path: Path, listed: dict | None, config: Config):
    """(raw, normalised, documents row without an id when inferred, notes) of one file, or its DocumentError."""
    try:
        raw = read_document(path, config.documents)
    except DocumentError as exc:
        return exc
    doc = normalise(raw.lines, config.text_rules)
    if listed is not None:
        row, notes = dict(listed, metadata_source="manifest"), []
        name, level, _ = config.divisions.rows.get(row["district_code"], ("", "", ""))
        row.update(region=name, level=level, region_code=row["district_code"] if name else "")
    else:
        row, notes = infer_metadata(raw, doc, config.districts, config.doc_types, config.divisions)
        row["metadata_source"] = "inferred"
    row.update(sha256=raw.sha256, format=raw.format, encoding=raw.encoding)
    return raw, doc, row, notes


def _extract_one(job: tuple[RawDocument, NormalisedDocument, dict], config: Config) -> DocumentExtraction:
    """Every indicator, reported figure, finding, project and task of one read document with its row."""
    raw, doc, row = job
    rules = config.extract_rules
    messages: list[tuple[int, str]] = []
    sections = outline(doc, row["doc_id"])
    find = section_finder(sections)
    table_rows, table_reported, table_findings = extract_table_indicators(doc, row, find, rules)
    prose_targets, prose_achievements = extract_prose_quantities(
        doc, sections, row, find, rules, known_indicator(config.catalogue),
        reports_actuals=config.doc_types.roles.get(row["doc_type"]) == "actual",
        actuals_year=config.doc_types.actuals_year.get(row["doc_type"]))
    gazetteer = Gazetteer.of(config.places, row["district_code"])
    box_projects = extract_box_projects(doc, sections, row, gazetteer)
    skip = sections_within(sections, lambda s: bool(rules.excluded_titles.search(s.title_norm)))
    listed = listed_projects(doc)
    text_projects, project_findings = extract_text_projects(doc, sections, row, gazetteer, find, skip, listed)
    listed_lines = {doc.paragraphs[i].first_line for i in listed} & {p["line"] for p in text_projects}
    tasks = [t for t in extract_tasks(doc, sections, row, rules.review_titles, rules.excluded_titles)
             if t["line"] not in listed_lines]  # a line of a list of projects is a project, not also a task
    name = raw.path.name
    for f in table_findings + project_findings:
        if f["kind"] in ("missing_table", "count_mismatch"):
            messages.append((logging.WARNING, f"{name} 第 {f['line']} 行：{f['detail']}（{f['quote']}）"))
    messages.append((logging.INFO, f"{name} → {row['doc_id']}：{len(doc.paragraphs)} 段，{len(sections)} 个章节"
                                   f"条目，目录 {len(doc.toc)} 行；表格指标 {len(table_rows)} 个，文中目标 "
                                   f"{len(prose_targets)} 个，已完成数 {len(prose_achievements)} 个"))
    stated = attach_canonical(pd.DataFrame(distinct_ids(table_rows + prose_targets, "indicator_id"),
                                           columns=stated_columns()),
                              config.catalogue)
    indicators, statements = plan_indicators(stated, config.catalogue, config.measures)
    indicators = indicators.assign(name_issue=[name_issue(n, rules, gazetteer) for n in indicators.name.fillna("")])
    indicators = _with_confidence(indicators, [indicator_confidence(*row, config.items) for row in zip(
        indicators.source, indicators.canonical.fillna(""), indicators.name.fillna(""), indicators.name_issue,
        strict=True)], config.items.publish_at).assign(printed_unit="")
    achievements = attach_canonical(pd.DataFrame(distinct_ids(table_reported + prose_achievements, "achievement_id"),
                                                 columns=reported_columns()), config.catalogue)
    achievements = achievements.assign(indicator_key=indicator_keys(achievements, "achievement_id"))
    findings = pd.DataFrame(table_findings + project_findings + _new_places(doc, row, gazetteer, find),
                            columns=columns("findings"))
    projects = pd.DataFrame(distinct_ids(box_projects + text_projects, "project_id"), columns=columns("projects"))
    projects = _with_confidence(projects, [project_confidence(str(c or ""), str(n), config.items, str(q))
                                           for c, n, q in zip(projects.column_no, projects.name, projects.quote,
                                                              strict=True)],
                                config.items.publish_at)
    tasks = pd.DataFrame(distinct_ids(tasks, "task_id"), columns=columns("tasks"))
    tasks = _with_confidence(tasks, [task_confidence(k, config.items) for k in tasks.kind], config.items.publish_at)
    duties = assign_all(indicators, projects, tasks, sections, config.responsibility, gazetteer,
                        config.responsibility.author(row.get("title", ""), row.get("doc_type", "")))
    pending = set(indicators.indicator_id[indicators.review == "pending"]) | set(
        projects.project_id[projects.review == "pending"]) | set(tasks.task_id[tasks.review == "pending"])
    duties = hold_pending(duties, pending)
    return DocumentExtraction(sections, indicators[columns("indicators")], statements[columns("statements")],
                              achievements, findings, projects, tasks, duties, messages)


def _with_confidence(items: pd.DataFrame, scored: list[tuple[float, str]], publish_at: float) -> pd.DataFrame:
    """The items with their confidence and its reason (pipeline/plan/confidence.py), and their review status before
    any decision of the office: proposed when confident enough to go out, else pending (待确认)."""
    return items.assign(confidence=[c for c, _ in scored], confidence_reason=[r for _, r in scored],
                        review=[machine_review(c, publish_at) for c, _ in scored], printed_name="")


def unknown_district(file_name: str, row: dict, divisions: Divisions) -> str:
    """What to tell the office of a document whose district is not in districts.csv: the area it is of (from
    divisions.csv) and the line to add (its rows stay in the tables, without a district)."""
    code = row.get("region_code", "")
    region = divisions.region(code) if code in divisions.rows else None
    if region is not None and region.level == "区县":
        line = f"{region.code},{region.name},{region.city},别名"
    elif region is not None:
        line = f"区划代码,（区名；文档属于{region.level}级的{region.name}）,（所属市）,别名"
    else:
        line = "区划代码,（区名）,（所属市）,别名"
    title = row.get("title") or "无"
    return (f"{file_name}：所属的区不在 inputs/config/districts.csv 中（标题：{title}）；其内容照常列入各表，"
            f"但不属于任何区。若要按区处理，请在该文件中加一行：{line}")


def _new_places(doc: NormalisedDocument, document: dict, gazetteer: Gazetteer, find) -> list[dict]:
    """A finding for each place-like name the district's gazetteer does not hold (first mention)."""
    seen: set[str] = set()
    out = []
    for para in doc.paragraphs:
        for name in gazetteer.unknown(para.text):
            if name not in seen:
                seen.add(name)
                out.append(finding(document, find(para.first_line), para.first_line, name, "new_place",
                                   f"“{name}”不在 places.csv 的{document.get('district') or '本区'}地名中，"
                                   "请核实后补入或忽略"))
    return out


PLAN_TABLES = ("documents", "sections", "indicators", "statements", "achievements", "findings", "projects",
               "tasks", "responsibilities")


def write_extraction(result: Extraction, catalog: DataCatalog) -> dict[str, Path]:
    """Write the plan tables and the staging texts where the catalogue puts them."""
    written = {name: catalog.save(name, getattr(result, name)) for name in PLAN_TABLES}
    staging = catalog.path("staging")
    staging.mkdir(parents=True, exist_ok=True)
    for doc_id, doc in result.normalised.items():
        (staging / f"{doc_id}.raw.txt").write_text(result.raw[doc_id].text, encoding="utf-8")
        (staging / f"{doc_id}.txt").write_text(
            "".join(f"{p.first_line}-{p.last_line}\t{p.text}\n" for p in doc.paragraphs), encoding="utf-8")
        toc = pd.DataFrame([(e.line, e.text, e.page) for e in doc.toc], columns=["line", "text", "page"])
        write_csv(toc, staging / f"{doc_id}.toc.csv")
    written["staging"] = staging
    return written


def run_extract(paths: list[Path], catalog: DataCatalog, manifest_path: Path | None = None) -> int:
    """Extract the given files into the catalogue's tables; exit status 1 only when no file could be read."""
    config = Config.load(catalog.path("config"))
    manifest = load_manifest(manifest_path)
    result = extract_documents(paths, manifest, config)
    if result.documents.empty:
        log.error("没有读到任何文档（%d 个文件均无法读取）", len(paths))
        return 1
    tables, decisions, refused = review_stage({name: getattr(result, name) for name in PLAN_TABLES},
                                              catalog.path("review_inputs"), config.responsibility.departments,
                                              config.items.publish_at, config.forms)
    for name in ("indicators", "projects", "tasks", "responsibilities"):
        setattr(result, name, tables[name])
    written = write_extraction(result, catalog)
    written["decisions"] = catalog.save("decisions", decisions)
    written["review_rejections"] = catalog.save("review_rejections", refused)
    for name, path in written.items():
        log.info("输出 %s：%s", name, path)
    if result.errors:
        log.warning("%d 个文件无法读取，其余 %d 个已处理", len(result.errors), len(result.documents))
    return 0
