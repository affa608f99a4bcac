# The plan-cycle reporting pipeline. `make` runs the whole cycle on the bundled inputs; `make test` tests it.
# Both create .venv and install the project on first use (a fresh machine needs only Python 3.11).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT := outputs

.DEFAULT_GOAL := all
.PHONY: fonts all plan adjust monthly evaluate demo-evaluate samples sample-cycle test test-postgres lint accuracy lead-examples bench clean clean-all help system-deps
SAMPLE_YEAR ?= 2025
SAMPLE_MONTHS ?= 10 11 12
comma := ,

## Run the whole cycle on the bundled inputs (编制, then 实施 on SAMPLE returns) and say where the outputs are
all: fonts plan adjust sample-cycle demo-evaluate
	@echo "完成。输出目录 $(OUT)/（README.md 逐项说明）："
	@echo "  表格 tables:      $(OUT)/tables/（documents, sections, indicators, achievements, findings, projects, tasks, responsibilities, adjustments）"
	@echo "  规划任务分解:     $(OUT)/workbooks/<code>_<district>_规划任务分解.xlsx；各区对比：$(OUT)/workbooks/*_各区规划主要指标对比.xlsx"
	@echo "  审核表:           $(OUT)/review/<code>_<district>_审核表.xlsx（填好后放入 inputs/review/，下次 make plan 生效）"
	@echo "  空白填报表:       $(OUT)/forms/<period>/<code>_<unit>.xlsx"
	@echo "  样例填报 SAMPLE:  $(OUT)/samples/monthly/$(SAMPLE_YEAR)-{$(subst $(eval) ,$(comma),$(strip $(SAMPLE_MONTHS)))}/（生成的演示数据，非真实填报）"
	@echo "  月度监测工作簿:   $(OUT)/workbooks/$(SAMPLE_YEAR)-<月>_SAMPLE/（各区月度监测、全市汇总）；监测表格：$(OUT)/monitor/$(SAMPLE_YEAR)-<月>_SAMPLE/"
	@echo "  评估报告:         $(OUT)/reports/$(SAMPLE_YEAR)_final_SAMPLE/、$(OUT)/reports/2019_final/（Word、HTML、Markdown、图表、评估工作簿）"
	@echo "  数据库 store:     $(OUT)/store/（monitor.sqlite；样例 monitor_SAMPLE.sqlite；received/ 原样存档）"
	@echo "  规范化文本与日志: $(OUT)/staging/、$(OUT)/logs/"

$(INSTALLED): pyproject.toml
	@test -n "$(PYTHON)" || { echo "未找到 Python 3.11（python3.11 或 python3）"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	@touch $@

## 编制: read inputs/plans/*, write outputs/tables/, the plan workbooks and the blank entry forms (PERIOD=YYYY-MM)
plan: $(INSTALLED)
	$(BIN)/python -m pipeline plan --inputs inputs --outputs $(OUT) --templates templates $(if $(PERIOD),--period $(PERIOD))

## Run the test suite (pytest, with the doctests in pipeline/); installs the system packages it checks with
test: $(INSTALLED) system-deps
	$(BIN)/python -m pytest

## 实施: collect and check inputs/monthly/$(PERIOD)/ (PERIOD=YYYY-MM; RETURNS=folder; LOCK=1 locks; REASON="…")
monthly: $(INSTALLED)
	@test -n "$(PERIOD)" || { echo "请指定月份：make monthly PERIOD=YYYY-MM"; exit 2; }
	$(BIN)/python -m pipeline monthly --period $(PERIOD) --outputs $(OUT) $(if $(RETURNS),--returns $(RETURNS)) \
		$(if $(LOCK),--lock) $(if $(REASON),--reason "$(REASON)")

## 调整: check inputs/adjustments.csv, record the valid changes as a new plan version (errors per line)
adjust: $(INSTALLED)
	$(BIN)/python -m pipeline adjust --file inputs/adjustments.csv --outputs $(OUT)

## 评估: YEAR=YYYY KIND=annual|midterm|final [DISTRICT=code] [SAMPLE=1] → outputs/reports/<year>_<kind>/
evaluate: $(INSTALLED) fonts
	@test -n "$(YEAR)" -a -n "$(KIND)" || { echo "请指定：make evaluate YEAR=2025 KIND=final"; exit 2; }
	$(BIN)/python -m pipeline evaluate --year $(YEAR) --kind $(KIND) --outputs $(OUT) \
		$(if $(DISTRICT),--district $(DISTRICT)) $(if $(SAMPLE),--sample)

## The evaluations of the demonstration: 2025 final on the SAMPLE store; 平房区 十三五 (2019) on documents
demo-evaluate: $(INSTALLED) fonts
	$(BIN)/python -m pipeline evaluate --year $(SAMPLE_YEAR) --kind final --outputs $(OUT) --sample
	$(BIN)/python -m pipeline evaluate --year 2019 --kind final --outputs $(OUT) --district 230108

## SAMPLE monthly returns generated from the blank forms (demo data, labelled SAMPLE everywhere)
samples: $(INSTALLED)
	$(BIN)/python -m pipeline samples --year $(SAMPLE_YEAR) --months $(SAMPLE_MONTHS) --outputs $(OUT) \
		--out $(OUT)/samples/monthly

## 实施 on the SAMPLE returns, month by month, into the SAMPLE store
sample-cycle: samples
	rm -f $(OUT)/store/monitor_SAMPLE.sqlite
	for m in $(SAMPLE_MONTHS); do $(BIN)/python -m pipeline monthly --period $(SAMPLE_YEAR)-$$m --outputs $(OUT) \
		--returns $(OUT)/samples/monthly/$(SAMPLE_YEAR)-$$m --sample || exit 1; done

## The hand-checked lead units under tests/ and the office's review decisions (OUT) as the lead-unit model's examples
lead-examples: $(INSTALLED)
	$(BIN)/python -m pipeline lead-examples --inputs inputs --gold tests/gold --outputs $(OUT)

## Precision and recall of extraction against the hand-checked seeds (tests/gold)
accuracy: $(INSTALLED)
	$(BIN)/python -m pipeline accuracy --inputs inputs --gold tests/gold --outputs $(OUT)

## Benchmarks (figures, not pass/fail): speed of extraction, form reading, workbook writing, reports; accuracy
bench: plan samples
	$(BIN)/python -m pipeline bench --inputs inputs --outputs $(OUT) --templates templates
	$(BIN)/python -m pipeline accuracy --inputs inputs --gold tests/gold --outputs $(OUT)

## The store tests against a real PostgreSQL server (installs Debian's postgresql, starts and stops one)
test-postgres: $(INSTALLED)
	bash tests/support/postgres.sh

## Check the code style with ruff
lint: $(INSTALLED)
	$(BIN)/python -m ruff check pipeline tests

FONT_PACKAGES := fonts-noto-cjk fontconfig
SYSTEM_PACKAGES := $(FONT_PACKAGES) libreoffice-calc-nogui libreoffice-writer-nogui poppler-utils

# $(call apt_install,packages,what goes without them): install the Debian packages that are missing, as root
define apt_install
	@missing=""; for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then echo "系统软件包已齐全：$(1)"; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "安装系统软件包：$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1) \
	  || echo "系统软件包安装失败：$$missing（$(2)）"; \
	else echo "缺少系统软件包：$$missing（需 root 与 apt-get；$(2)）"; fi
endef

## The CJK font the evaluation charts are drawn in (Debian's fonts-noto-cjk): installed when missing
fonts:
	$(call apt_install,$(FONT_PACKAGES),评估报告将不含图表)

## System packages for PDF checks of the workbooks (LibreOffice, CJK fonts, poppler): installed when missing
system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES),PDF 检查将跳过)

## Remove everything generated (outputs/ and the virtual environment stay separate: see clean-all)
clean:
	find $(OUT) -mindepth 1 ! -name .gitkeep -delete

## Remove outputs and .venv
clean-all: clean
	rm -rf $(VENV) *.egg-info

## List the targets
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z-]+:/{if(doc){split($$0,t,":"); printf "  make %-12s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)
