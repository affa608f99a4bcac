# The plan-cycle reporting pipeline. `make` runs the whole cycle on the bundled inputs; `make test` tests it.
# Both create .venv and install the project on first use (a fresh machine needs only Python 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT := outputs

.DEFAULT_GOAL := all
.PHONY: all plan test lint accuracy bench clean clean-all help system-deps

## Run the whole cycle on the bundled inputs (now: 编制) and say where the outputs are
all: plan
	@echo "输出目录 outputs:"
	@echo "  表格 tables:    $(OUT)/tables/  (documents, sections, indicators, achievements, findings .csv)"
	@echo "  规范化文本:      $(OUT)/staging/ (<doc_id>.txt, .raw.txt, .toc.csv)"
	@echo "  日志 logs:      $(OUT)/logs/plan.log"

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "未找到 Python 3.11（python3.11 或 python3）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

## 编制: read inputs/plans/*, write outputs/tables/ (documents, sections, indicators, achievements, findings)
plan: $(INSTALLED)
	$(BIN)/python -m pipeline plan --inputs inputs --outputs $(OUT)

## Run the test suite (pytest, with the doctests in pipeline/)
test: $(INSTALLED)
	$(BIN)/python -m pytest

## Precision and recall of extraction against the hand-checked seeds (tests/gold)
accuracy: $(INSTALLED)
	$(BIN)/python -m pipeline accuracy --inputs inputs --gold tests/gold --outputs $(OUT)

## Benchmarks (figures, not pass/fail): for now the extraction accuracy
bench: accuracy

## Check the code style with ruff
lint: $(INSTALLED)
	$(BIN)/python -m ruff check pipeline tests

## System packages the cycle needs (none yet; CJK fonts and LibreOffice join with the reports)
system-deps:
	@echo "暂无需要安装的系统软件包"

## Remove everything generated (outputs/ and the virtual environment stay separate: see clean-all)
clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

## Remove outputs and .venv
clean-all: clean
	rm -rf $(VENV) *.egg-info

## List the targets
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z-]+:/{if(doc){split($$0,t,":"); printf "  make %-12s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)
