"""Command line: `python -m pipeline <stage>`; the subcommands match the make targets."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from pipeline import cycle
from pipeline.catalog import DataCatalog
from pipeline.config import Config
from pipeline.evaluate.run import EvaluationSettings
from pipeline.monitor.run import MonthlySettings, returns_problem
from pipeline.periods import month
from pipeline.plan.run import run_extract
from pipeline.settings import SettingsError
from pipeline.tables import write_csv


def _setup_logging(catalog: DataCatalog, stage: str, verbose: bool) -> Path:
    """Log to stderr and to outputs/logs/<stage>.log (the office's record of what each run did)."""
    log_path = catalog.path("logs", stage=stage)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    console.setLevel(logging.DEBUG if verbose else logging.INFO)
    to_file = logging.FileHandler(log_path, mode="w", encoding="utf-8")
    to_file.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [console, to_file]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    return log_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pipeline",
                                     description="区级规划编制—实施—评估—调整 报表流水线")
    parser.add_argument("-v", "--verbose", action="store_true", help="more detail in the log")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    plan = sub.add_parser("plan", help="编制: read inputs/plans/*, write outputs/tables, workbooks and entry forms")
    plan.add_argument("--inputs", type=Path, default=Path("inputs"), help="inputs folder (default: inputs)")
    plan.add_argument("--outputs", type=Path, default=Path("outputs"), help="outputs folder (default: outputs)")
    plan.add_argument("--templates", type=Path, default=Path("templates"), help="templates folder")
    plan.add_argument("--period", default=None, help="month of the blank entry forms, YYYY-MM (default: this month, "
                      "or the last month the plans cover)")

    extract = sub.add_parser("extract", help="run extraction on any document files")
    extract.add_argument("files", nargs="+", type=Path, help="documents (.txt/.docx/.pdf/.html)")
    extract.add_argument("--out", type=Path, required=True, help="folder for tables/ and staging/")
    extract.add_argument("--config", type=Path, default=Path("inputs/config"), help="config folder")
    extract.add_argument("--manifest", type=Path, default=None,
                         help="a documents.csv that lists (some of) the files; others are inferred")
    monthly = sub.add_parser("monthly", help="实施: collect and check the returned forms of a month, update the store")
    monthly.add_argument("--period", required=True, help="the month, YYYY-MM")
    monthly.add_argument("--returns", type=Path, default=None, help="folder of returned forms "
                         "(default: inputs/monthly/<period>)")
    monthly.add_argument("--outputs", type=Path, default=Path("outputs"))
    monthly.add_argument("--config", type=Path, default=Path("inputs/config"))
    monthly.add_argument("--templates", type=Path, default=Path("templates"))
    monthly.add_argument("--store", default="", help="SQLAlchemy URL of the store (default: SQLite under outputs)")
    monthly.add_argument("--sample", action="store_true", help="the returns are SAMPLE data: label every output")
    monthly.add_argument("--lock", action="store_true", help="lock the month after this run (accepted by the office)")
    monthly.add_argument("--reason", default="", help="why returns change a locked month (kept with the record)")

    samples = sub.add_parser("samples", help="generate SAMPLE monthly returns from the blank forms (demo data)")
    samples.add_argument("--year", type=int, required=True)
    samples.add_argument("--months", type=int, nargs="+", required=True)
    samples.add_argument("--outputs", type=Path, default=Path("outputs"))
    samples.add_argument("--templates", type=Path, default=Path("templates"))
    samples.add_argument("--out", type=Path, default=None, help="folder of the SAMPLE returns "
                         "(default: outputs/samples/monthly)")
    samples.add_argument("--config", type=Path, default=Path("inputs/config"))

    evaluate = sub.add_parser("evaluate", help="评估: annual, mid-term or final evaluation reports")
    evaluate.add_argument("--year", type=int, required=True)
    evaluate.add_argument("--kind", choices=["annual", "midterm", "final"], required=True)
    evaluate.add_argument("--district", default="", help="division code (default: every district with a plan)")
    evaluate.add_argument("--outputs", type=Path, default=Path("outputs"))
    evaluate.add_argument("--config", type=Path, default=Path("inputs/config"))
    evaluate.add_argument("--templates", type=Path, default=Path("templates"))
    evaluate.add_argument("--store", default="", help="SQLAlchemy URL of the store")
    evaluate.add_argument("--sample", action="store_true", help="use the SAMPLE store; label every output")

    adjust = sub.add_parser("adjust", help="调整: check inputs/adjustments.csv and record a new plan version")
    adjust.add_argument("--file", type=Path, default=None, help="default: inputs/adjustments.csv")
    adjust.add_argument("--outputs", type=Path, default=Path("outputs"))
    adjust.add_argument("--store", default="", help="SQLAlchemy URL of the store")
    adjust.add_argument("--templates", type=Path, default=Path("templates"))

    bench = sub.add_parser("bench", help="speed figures (BENCH_MB, BENCH_REPEATS in the environment)")
    bench.add_argument("--inputs", type=Path, default=Path("inputs"))
    bench.add_argument("--outputs", type=Path, default=Path("outputs"))
    bench.add_argument("--templates", type=Path, default=Path("templates"))

    accuracy = sub.add_parser("accuracy", help="precision and recall of extraction against tests/gold")
    accuracy.add_argument("--inputs", type=Path, default=Path("inputs"))
    accuracy.add_argument("--gold", type=Path, default=Path("tests/gold"))
    accuracy.add_argument("--outputs", type=Path, default=Path("outputs"))
    examples = sub.add_parser("lead-examples", help="rewrite inputs/config/lead_examples.csv from the hand-checked "
                                                    "lead units under tests/")
    examples.add_argument("--inputs", type=Path, default=Path("inputs"))
    examples.add_argument("--gold", type=Path, default=Path("tests/gold"))
    examples.add_argument("--outputs", type=Path, default=Path("outputs"), help="where the last make plan wrote "
                                                                                 "the office's decisions")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return _command(args)
    except SettingsError as exc:  # a settings file that cannot be used: said plainly, nothing run
        logging.getLogger(__name__).error("设置有误，本次未运行：%s", exc)
        return 2


def _command(args: argparse.Namespace) -> int:
    """Run the command the arguments name; its exit status."""
    if args.command == "plan":
        catalog = DataCatalog(args.inputs, args.outputs, args.templates)
        log_path = _setup_logging(catalog, "plan", args.verbose)
        status = cycle.run_plan(catalog, args.period)
    elif args.command == "monthly":
        catalog = DataCatalog(outputs=args.outputs, templates=args.templates, sample=args.sample,
                              config_dir=args.config)
        log_path = _setup_logging(catalog, f"monthly-{args.period}", args.verbose)
        try:
            month(args.period)
        except ValueError as exc:
            logging.getLogger(__name__).error("%s", exc)
            return 2
        settings = MonthlySettings(args.period, catalog, args.returns, args.store, lock=args.lock, reason=args.reason)
        if problem := returns_problem(settings):  # checked before the store is touched: not 'every unit overdue'
            logging.getLogger(__name__).error("%s", problem)
            return 2
        status = cycle.run_monthly(settings)
    elif args.command == "evaluate":
        catalog = DataCatalog(outputs=args.outputs, templates=args.templates, sample=args.sample,
                              config_dir=args.config)
        log_path = _setup_logging(catalog, f"evaluate-{args.year}-{args.kind}", args.verbose)
        status = cycle.run_evaluate(EvaluationSettings(args.year, args.kind, catalog, args.district, args.store))
    elif args.command == "adjust":
        catalog = DataCatalog(outputs=args.outputs, templates=args.templates)
        log_path = _setup_logging(catalog, "adjust", args.verbose)
        status = cycle.run_adjust(catalog, args.file, args.store)
    elif args.command == "bench":
        from pipeline.bench import run_bench

        catalog = DataCatalog(args.inputs, args.outputs, args.templates)
        log_path = _setup_logging(catalog, "bench", args.verbose)
        status = run_bench(args.inputs, args.outputs, args.templates)
    elif args.command == "samples":
        from pipeline.samples import generate_samples

        catalog = DataCatalog(outputs=args.outputs, templates=args.templates, config_dir=args.config)
        log_path = _setup_logging(catalog, "samples", args.verbose)
        files = generate_samples(catalog, args.year, args.months, args.out)
        logging.getLogger(__name__).info("样例填报表（SAMPLE）：%d 个文件，在 %s", len(files),
                                         args.out or catalog.path("sample_returns"))
        status = 0
    elif args.command == "lead-examples":
        catalog = DataCatalog(args.inputs, args.outputs)
        log_path = _setup_logging(catalog, "lead-examples", args.verbose)
        logging.getLogger().handlers[0].setLevel(logging.WARNING)
        target, examples = cycle.lead_examples(catalog, args.gold)
        write_csv(examples, target)
        print(f"{target}：{len(examples)} 个已核对条目，{examples['sample'].nunique()} 个样本")
        status = 0
    elif args.command == "accuracy":
        catalog = DataCatalog(args.inputs, args.outputs)
        log_path = _setup_logging(catalog, "accuracy", args.verbose)
        logging.getLogger().handlers[0].setLevel(logging.WARNING)
        seeds = cycle.run_accuracy(catalog, args.gold)
        print(seeds["figures"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print(f"逐条对照：{catalog.path('accuracy') / 'labelled.csv'}")
        print("目标数字的指标归属（目录键，与 tests/gold/indicator_keys.csv 手工核对）：")
        print(seeds["keys"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print("牵头单位（与 tests/gold/lead_units*.csv 手工核对；precision：给出的牵头单位中可接受的比例，"
              "coverage：给出牵头单位的比例）：")
        print(seeds["leads"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        corpus = cycle.corpus_accuracy(catalog, args.gold.parent / "corpus")
        print("练习语料（tests/corpus）的数字，按角色、按文档类型、不分角色：")
        print(corpus["figures"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print("练习语料的文档类型、区、年份、标题、层级、地区、发布日期：")
        print(corpus["metadata"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if len(corpus["leads"]):
            print("练习语料的牵头单位（与 tests/corpus/lead_units.csv 手工核对）：")
            print(corpus["leads"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        if len(corpus["lead_lists"]):
            print("实事清单、工作报告与计划的牵头单位（与 tests/corpus/leads/lead_units.csv 手工核对）：")
            print(corpus["lead_lists"].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
        print("各类依据提议的牵头单位可接受的比例（种子样本与练习清单合计，各样本由未见过它的模型判断；confidence：该类提议"
              "置信度的中位数（规则判断时为 review.yaml 所设，模型判断时为其概率），measured：实测）：")
        print(cycle.evidence_table(seeds["leads_judged"], corpus["lead_lists_judged"]).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"))
        assign_at = Config.load(catalog.path("config"), learned=False).responsibility.confidence.assign_at
        print(f"各阈值（review.yaml 的 assign_at，现为 {assign_at}）下给出的牵头单位（种子样本与练习清单合计，"
              "各样本由未见过它的模型判断；coverage_with_unit：读者给了单位的条目中给出的比例）：")
        print(cycle.threshold_table(assign_at, seeds["leads_judged"], corpus["lead_lists_judged"]).to_string(
            index=False, float_format=lambda v: f"{v:.3f}"))
        status = 0
    else:
        catalog = DataCatalog(outputs=args.out, config_dir=args.config)
        log_path = _setup_logging(catalog, "extract", args.verbose)
        status = run_extract(args.files, catalog, args.manifest)
    logging.getLogger(__name__).info("日志：%s", log_path)
    return status
