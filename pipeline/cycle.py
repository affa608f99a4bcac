"""The cycle's steps as the make targets run them: each stage, then what is rendered from its tables.

The stages (plan, monitor, adjust, evaluate) write tables and never import the renderers; this module, above
both, wires them, so the import picture runs one way: text → extract → plan → monitor/adjust/evaluate → render →
cycle → cli.
"""
from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.adjust.run import run_adjust as adjust_stage
from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.evaluate.run import EvaluationSettings
from pipeline.evaluate.run import run_evaluate as evaluate_stage
from pipeline.extract.accuracy import (
    key_scores,
    load_gold,
    match,
    match_projects,
    metadata_scores,
    predictions,
    scores,
    scores_by,
)
from pipeline.forms.review_layout import REMOVE
from pipeline.monitor.run import MonthlySettings
from pipeline.monitor.run import run_monthly as monitor_stage
from pipeline.plan.documents import load_manifest
from pipeline.plan.lead_accuracy import JUDGED, evidence_scores, judged_leads, lead_scores, threshold_scores
from pipeline.plan.lead_model import EXAMPLE_COLUMNS, PENDING
from pipeline.plan.responsibility import responsibility_inputs
from pipeline.plan.run import extract_documents, plan_files, run_extract
from pipeline.render.run import render_evaluations, render_month, render_plan_outputs, render_plan_workbooks
from pipeline.tables import ITEM_IDS, ITEM_NAMES, ITEM_TABLES, read_csv_text, write_csv

log = logging.getLogger(__name__)


def run_plan(catalog: DataCatalog, period: str | None = None, now: datetime | None = None) -> int:
    """`make plan`: every document under inputs/plans with its manifest → the plan tables, then the plan
    workbooks, the city summary and the blank forms for `period` (YYYY-MM; see `periods.default_month`)."""
    status = run_extract(plan_files(catalog.path("plans")), catalog, catalog.path("manifest"))
    if status == 0:
        render_plan_outputs(catalog, period, now or datetime.now())
    return status


def run_monthly(settings: MonthlySettings, now: datetime | None = None) -> int:
    """`make monthly`: collect, check and store the month's returns, then its monitoring workbooks."""
    now = now or datetime.now()
    month = monitor_stage(settings, now)
    if month is None:
        return 1
    render_month(settings.catalog, month, now)
    return 0


def run_adjust(catalog: DataCatalog, adjustments_file: Path | None = None, store_url: str = "",
               now: datetime | None = None) -> int:
    """`make adjust`: record the approved changes as a new plan version; the plan workbooks gain their 调整记录."""
    now = now or datetime.now()
    adjustments_file = adjustments_file or catalog.path("adjustments_file")
    status = adjust_stage(catalog, adjustments_file, store_url, now)
    if adjustments_file.exists() and catalog.exists("adjustments"):
        render_plan_workbooks(catalog, now)
    return status


def run_evaluate(settings: EvaluationSettings, now: datetime | None = None) -> int:
    """`make evaluate`: evaluate each district, then render its report and workbook."""
    status, evaluations = evaluate_stage(settings, now)
    for evaluation, rendered in zip(evaluations, render_evaluations(settings.catalog, evaluations), strict=True):
        written = evaluation.written | rendered
        summary = evaluation.context["summary"]
        counts = "，".join(f"{k}{v}" for k, v in summary["counts"].items() if v)
        log.info("%s：%d 项指标（%s）；输出 %s", evaluation.base, summary["total"], counts,
                 "、".join(p.name for p in written.values()))
    return status


def run_accuracy(catalog: DataCatalog, gold_dir: Path) -> dict[str, pd.DataFrame]:
    """`make accuracy`: extract the bundled documents, compare with the hand-checked gold files, write the
    labelled rows where the catalogue puts them, return the scores of figures and projects and of the catalogue keys
    given to target statements and of the lead units given to a sample of items (see `corpus_accuracy` for the
    practice texts)."""
    plans = catalog.path("plans")
    config = Config.load(catalog.path("config"))
    result = extract_documents(plan_files(plans), load_manifest(catalog.path("manifest")), config)
    predicted = predictions(result.statements, result.achievements)
    # the seeds' gold files predate baselines (their rules count the change, not its start): scored on the corpus
    labelled = match(predicted[predicted["class"] != "baseline"], load_gold(gold_dir))
    gold_projects = load_gold(gold_dir, "projects")
    # documents whose gold lists text projects are scored on all projects; the others on 专栏 items only
    text_docs = set(gold_projects.loc[gold_projects.column_no == "", "doc_id"])
    scored = result.projects[result.projects.doc_id.isin(set(gold_projects.doc_id))
                             & (result.projects.doc_id.isin(text_docs) | (result.projects.column_no != ""))]
    projects = match_projects(scored, gold_projects)
    out_dir = catalog.path("accuracy")
    write_csv(labelled.sort_values(["doc_id", "line"]), out_dir / "labelled.csv")
    write_csv(projects.sort_values(["doc_id", "line"]), out_dir / "projects_labelled.csv")
    figures = pd.concat([scores(labelled), scores(projects).assign(doc_id=lambda f: f.doc_id.where(
        f.doc_id != "全部", "项目合计"))], ignore_index=True)
    judged = seed_leads(catalog, config, gold_dir)
    return {"figures": figures, "keys": key_scores(result.statements, read_csv_text(gold_dir / "indicator_keys.csv")),
            "leads": _lead_table(judged), "leads_judged": pd.concat(judged.values(), ignore_index=True)}


SEEDS_SAMPLE, CORPUS_SAMPLE, LISTS_SAMPLE, OFFICE_SAMPLE = "种子:", "练习语料", "练习清单:", "审核表:"  # samples' names


def unseen(config: Config, *samples: str) -> Config:
    """The configuration with its lead-unit model trained without the examples of `samples` (lead_examples.csv),
    to score those samples as if never seen; the office's own examples are left out too, as they may be of the same
    items as a hand-checked sample."""
    examples = config.responsibility.examples
    office = set() if examples is None else {s for s in examples["sample"] if s.startswith(OFFICE_SAMPLE)}
    return replace(config, responsibility=config.responsibility.trained(frozenset(samples) | office))


def seed_leads(catalog: DataCatalog, config: Config, gold_dir: Path) -> dict[str, pd.DataFrame]:
    """The seeds' hand-checked lead-unit samples, each judged (`judged_leads`) on an extraction of the seeds whose
    model never saw that sample."""
    files, manifest = plan_files(catalog.path("plans")), load_manifest(catalog.path("manifest"))
    return {path.stem: judged_leads(extract_documents(files, manifest, unseen(config, SEEDS_SAMPLE + path.stem))
                                    .responsibilities, read_csv_text(path)) for path in lead_samples(gold_dir)}


def _lead_table(judged: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Lead-unit scores per sample, then over all samples together (the samples are disjoint)."""
    return pd.concat([*(lead_scores(frame).assign(sample=stem) for stem, frame in judged.items()),
                      lead_scores(pd.concat(judged.values(), ignore_index=True)).assign(sample="全部样本")],
                     ignore_index=True)


def lead_samples(gold_dir: Path) -> list[Path]:
    """The hand-checked lead-unit samples in the order they were made: lead_units, _heldout, _blind, _blind2 …;
    other files are not samples."""
    order = []
    for path in gold_dir.glob("lead_units*.csv"):
        m = re.fullmatch(r"lead_units(?:_(heldout)|_blind(\d*))?", path.stem)
        if m:
            order.append(((0, 0) if m.group(0) == "lead_units" else (1, 0) if m.group(1) else
                          (2, int(m.group(2) or 1)), path))
    if not order:
        raise FileNotFoundError(f"{gold_dir} 中没有手工核对的牵头单位样本（lead_units*.csv）")
    return [path for _, path in sorted(order)]


def _corpus_item_ids(result, gold: pd.DataFrame) -> pd.DataFrame:
    """The hand-checked lead units of the practice texts with the ids their items have in this run: a text read as
    an unlisted document gets an inferred id that depends on the other texts, so the gold names its items by
    file, line and name."""
    source_of = dict(zip(result.documents.doc_id, result.documents.source_file, strict=True))
    ids = {}
    for item_type, name in ITEM_TABLES.items():
        table = getattr(result, name)
        for doc_id, line, printed, item_id in zip(table.doc_id, table.line, table[ITEM_NAMES[item_type]],
                                                  table[ITEM_IDS[item_type]], strict=True):
            ids.setdefault((item_type, source_of.get(doc_id, ""), str(line), str(printed)), item_id)
    return gold.assign(item_id=[ids.get(k, "") for k in zip(gold.item_type, gold.source_file, gold.line.astype(str),
                                                                 gold.name, strict=True)])


def _practice_judged(result, gold_path: Path) -> pd.DataFrame:
    """The lead units of `result`'s items judged against a practice set's hand-checked ones (see `judged_leads`);
    empty without one."""
    if not gold_path.exists():
        return pd.DataFrame(columns=JUDGED)
    return judged_leads(result.responsibilities, _corpus_item_ids(result, read_csv_text(gold_path)))


def practice_leads(config: Config, folder: Path) -> pd.DataFrame:
    """Lead units of a practice set kept for them alone (tests/corpus/leads: texts and lead_units.csv, no figure
    gold): the texts of each of its samples read as unlisted documents by a model that never saw that sample, their
    items judged against the hand-checked units (see `judged_leads`); empty when there is no such set."""
    gold_path = folder / "lead_units.csv"
    if not gold_path.exists():
        return pd.DataFrame(columns=JUDGED)
    judged = []
    for sample, part in read_csv_text(gold_path).groupby("sample", sort=False):
        result = _listed_texts(folder, part, unseen(config, LISTS_SAMPLE + sample))
        judged.append(judged_leads(result.responsibilities, _corpus_item_ids(result, part)))
    return pd.concat(judged, ignore_index=True) if judged else pd.DataFrame(columns=JUDGED)


def _listed_texts(folder: Path, gold: pd.DataFrame, config: Config):
    """The texts of `folder` that a practice set's rows name (source_file), read as unlisted documents are."""
    return extract_documents([folder / name for name in dict.fromkeys(gold.source_file)], load_manifest(None), config)


def lead_examples(catalog: DataCatalog, gold_dir: Path) -> tuple[Path, pd.DataFrame]:
    """Every hand-checked lead unit (the seeds' samples under tests/gold, the practice texts' and lists' under
    tests/corpus, and the office's decisions of the last `make plan`: `office_examples`) as
    inputs/config/lead_examples.csv keeps them: what decides the item (its own words, text and
    sections' titles, as extraction gives them now), the units people accept and the sample it belongs to, so that
    `make accuracy` can score each sample by a model that never saw it. Returns the file review.yaml names for them
    and the examples (written by the caller)."""
    config = Config.load(catalog.path("config"), learned=False)  # the examples are rewritten, not read
    if config.responsibility.learn is None:
        raise ValueError("review.yaml 中没有 responsibility.learned，不知道已核对条目写到哪个文件")
    seeds = extract_documents(plan_files(catalog.path("plans")), load_manifest(catalog.path("manifest")), config)
    frames = [_examples(seeds, read_csv_text(path).assign(sample=SEEDS_SAMPLE + path.stem, source=lambda f: f.item_id))
              for path in lead_samples(gold_dir)]
    if catalog.exists("decisions"):
        frames.append(office_examples(seeds, catalog.load("decisions")))
    for folder, sample in ((gold_dir.parent / "corpus", CORPUS_SAMPLE), (gold_dir.parent / "corpus" / "leads", "")):
        if not (folder / "lead_units.csv").exists():
            continue
        gold = read_csv_text(folder / "lead_units.csv")
        result = _listed_texts(folder, gold, config)
        gold = _corpus_item_ids(result, gold).assign(source=lambda f: f.source_file + ":" + f.line.astype(str))
        frames.append(_examples(result, gold.assign(sample=sample or LISTS_SAMPLE + gold["sample"])))
    return catalog.config(config.responsibility.learn.examples), pd.concat(frames, ignore_index=True)


def office_examples(result, decisions: pd.DataFrame) -> pd.DataFrame:
    """The office's own checks as lead examples (sample 审核表:<workbook>, left out whenever a sample is scored): a
    lead unit it set in a review workbook, and 待确认 where it cleared the lead unit or removed the item (剔除: no
    unit reports on it); the latest decision of an item counts, and a removal outweighs a unit."""
    applied = decisions[(decisions.status == "applied") & decisions.field.isin(["lead", "adopt"])
                        & ((decisions.field == "lead") | (decisions.value == REMOVE))]
    applied = applied.assign(removed=applied.field == "adopt").sort_values(["removed", "decided_at"], kind="stable")
    latest = applied.drop_duplicates(["item_type", "item_id"], keep="last")
    gold = pd.DataFrame({"item_type": latest.item_type, "item_id": latest.item_id, "name": latest.proposed_name,
                         "acceptable_units": latest.value.where((latest.field == "lead") & (latest.value != ""),
                                                               PENDING),
                         "sample": OFFICE_SAMPLE + latest.source_file, "source": latest.key})
    return _examples(result, gold)


def _examples(result, gold: pd.DataFrame) -> pd.DataFrame:
    """The judged items of one extraction with what decides them (responsibility_inputs), as lead examples; an item
    no longer extracted is left out."""
    key = ["item_type", "item_id"]
    inputs = responsibility_inputs(result.indicators, result.projects, result.tasks, result.sections)
    merged = gold[gold.item_id != ""].merge(inputs.drop_duplicates(key, keep="last"), on=key, how="inner")
    return merged[EXAMPLE_COLUMNS]


def evidence_table(*judged: pd.DataFrame) -> pd.DataFrame:
    """How often each kind of evidence proposes an acceptable lead unit, over several judged samples together."""
    return evidence_scores(_together(judged))


def threshold_table(assign_at: float, *judged: pd.DataFrame) -> pd.DataFrame:
    """What thresholds from 0.5 to 0.95, and assign_at, would give over several judged samples together
    (`threshold_scores`); `current` marks assign_at. Empty when nothing was judged."""
    together = _together(judged)
    if together.empty:
        return pd.DataFrame()
    levels = sorted({round(0.5 + 0.05 * i, 2) for i in range(10)} | {assign_at})
    return threshold_scores(together, levels).assign(
        current=lambda f: (f.assign_at == assign_at).map({True: "←", False: ""}))


def _together(judged: tuple[pd.DataFrame, ...]) -> pd.DataFrame:
    """Judged samples as one frame (they are disjoint); an empty one of JUDGED columns when none has a row."""
    frames = [j for j in judged if len(j)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=JUDGED)


def corpus_accuracy(catalog: DataCatalog, corpus_dir: Path) -> dict[str, pd.DataFrame]:
    """The practice corpus (tests/corpus): each text read as an unlisted document is; its inferred metadata
    compared with the hand-checked documents*.csv there, its figures with gold/*.csv (role-aware and
    class-blind, per genre and per role). The labelled rows are written beside the seeds'."""
    expected = pd.concat([read_csv_text(p) for p in sorted(corpus_dir.glob("documents*.csv"))], ignore_index=True)
    files = [corpus_dir / name for name in expected.source_file]
    config = Config.load(catalog.path("config"))
    result = extract_documents(files, load_manifest(None), config)
    source_of = dict(zip(result.documents.doc_id, result.documents.source_file, strict=True))
    predicted = predictions(result.statements, result.achievements, tables=True)
    predicted["doc_id"] = predicted.doc_id.map(source_of)
    gold = pd.concat([read_csv_text(p) for p in sorted((corpus_dir / "gold").glob("*.csv"))], ignore_index=True)
    gold = gold.rename(columns={"source_file": "doc_id"})
    genre = dict(zip(expected.source_file, expected.doc_type, strict=True))
    labelled = match(predicted, gold).assign(genre=lambda f: f.doc_id.map(genre))
    blind = match(predicted.assign(**{"class": "figure"}), gold.assign(**{"class": "figure"}))
    write_csv(labelled.sort_values(["doc_id", "line"]), catalog.path("accuracy") / "corpus_labelled.csv")
    lists = practice_leads(config, corpus_dir / "leads")
    texts = extract_documents(files, load_manifest(None), unseen(config, CORPUS_SAMPLE))
    return {"leads": lead_scores(_practice_judged(texts, corpus_dir / "lead_units.csv")),
            "lead_lists": lead_scores(lists), "lead_lists_judged": lists,
            "metadata": metadata_scores(result.documents, expected),
            "figures": pd.concat([scores_by(labelled, "role").rename(columns={"role": "by"}).assign(of="角色"),
                                  scores_by(labelled, "genre").rename(columns={"genre": "by"}).assign(of="类型"),
                                  scores_by(blind.assign(by="不分角色"), "by").iloc[1:].assign(of="全部")],
                                 ignore_index=True)}
