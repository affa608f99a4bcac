# ruff: noqa: E501
# (the CSV rows below are copied whole from outputs/tables/ and the seeds, so they stay long)
"""Small frames for the render tests, cut from the seed documents (004 双城区 纲要, 001 道里区 2023 主要任务).

Indicator and finding rows are copied from outputs/tables/ of `make plan`; project, task and responsibility rows
use real names and lines of the seeds (专栏-3, 专栏-6, 昆仑路学校) with plausible units. One project is named
'=SUM(A1)' and other cells start with '+', '-' and '@' to prove that data never becomes a formula.
"""
from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path

import pandas as pd

from pipeline.render.styles import StyleSheet

ROOT = Path(__file__).resolve().parents[2]
GENERATED_AT = datetime(2026, 1, 1, 9, 0)
HOSTILE_NAME = "=SUM(A1)"

DOCUMENTS = """\
doc_id,district_code,district,doc_type,title,period_start,period_end,published,source_file,sha256,format,encoding,metadata_source
230102-ap-2023,230102,道里区,annual_plan,2023年经济社会发展主要任务,2023,2023,,001_b39c97ba8610aaf9.txt,276b0a1e48539e6e8e1db2891224b73451ecb9069edb837126bcc3e82da15b06,txt,utf-8,manifest
230113-fyp-2021,230113,双城区,five_year_plan,哈尔滨市双城区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要,2021,2025,2021-06,004_f77e359f427d9ef6.txt,8a6b1021b0db508090325f14ee9def3bb224a2d8e65e416493a2d6e5ad31c6fb,txt,utf-8,manifest
"""

INDICATORS = """\
indicator_id,doc_id,district_code,category,item_no,name,name_norm,unit,sub_item,baseline_year,baseline_value,baseline_text,target_year,target_value,target_text,growth_text,growth_value,qualifier,kind,attribute,cumulative,source,section_id,line,quote,canonical
ind-67f90b53dd,230102-ap-2023,230102,,,地区生产总值,地区生产总值,%,,,,,2023,6.0,6%左右,,,左右,growth,,0,prose,,7,全区地区生产总值增长6%左右,gdp_growth
ind-5b68db57c2,230102-ap-2023,230102,,,公共财政预算收入,公共财政预算收入,亿元,,,,,2023,23.9,23.9亿元,,,计划,level,,0,prose,,7,公共财政预算收入计划完成23.9亿元,general_budget_revenue
ind-35b5eb9bdb,230102-ap-2023,230102,,,培育高新技术企业,培育高新技术企业,户,,,,,2023,10.0,10户,,,力争,count,,0,prose,230102-ap-2023:ss2.l2,27,力争全年培育高新技术企业10户,hi_tech_enterprises
ind-f41921ffdd,230113-fyp-2021,230113,,,地区生产总值,地区生产总值,%,,,,,2025,5.0,5%以上,,,以上,growth,,0,prose,230113-fyp-2021:c1.s4,305,地区生产总值年均增长5%以上,gdp_growth
ind-f6c5f30bf6,230113-fyp-2021,230113,,,建成区面积,建成区面积,平方公里,,,,,2025,35.0,35平方公里,,,达,level,,0,prose,230113-fyp-2021:c1.s4,305,建成区面积达35平方公里,
ind-9b193d6757,230113-fyp-2021,230113,经济发展,1,地区生产总值增长率,地区生产总值增长率,%,,2020,0.2,0.2,2025,5.0,5 以上,5 以上,5.0,以上,growth,预期性,0,table,230113-fyp-2021:c1.s6,344,经济发展 (6 个)\t1. 地区生产总值增长率 (%)\t\t0.2\t\t5 以上\t预期性,gdp_growth
ind-c16ba2dbf2,230113-fyp-2021,230113,经济发展,2,工业增加值占 GDP 比重,工业增加值占GDP比重,%,,2020,14.0,14,2025,18.0,18 以上,,,以上,share,预期性,0,table,230113-fyp-2021:c1.s6,345,\t2. 工业增加值占 GDP 比重 (%)\t\t14\t18 以上\t\t预期性,industry_share_of_gdp
ind-3e1f09bfbf,230113-fyp-2021,230113,经济发展,3,规模以上工业增加值增长率,规模以上工业增加值增长率,%,,2020,0.4,0.4,2025,5.0,5 以上,5 以上,5.0,以上,growth,,0,table,230113-fyp-2021:c1.s6,346,\t3. 规模以上工业增加值增长率 (%)\t\t0.4\t\t5 以上\t,industrial_value_added_growth
ind-755d732c4c,230113-fyp-2021,230113,创新驱动,7,国家高新技术企业户数,国家高新技术企业户数,户,,2020,18.0,18,2025,30.0,30 左右,,,左右,count,预期性,0,table,230113-fyp-2021:c1.s6,350,创新驱动 (2 个)\t7. 国家高新技术企业户数 (户)\t\t18\t30 左右\t\t预期性,hi_tech_enterprises
ind-8b6122b6c3,230113-fyp-2021,230113,创新驱动,8,产业电商园线上线下综合交易额,产业电商园线上线下综合交易额,亿元,,2020,30.0,30,2025,150.0,[150],,,,cumulative,预期性,1,table,230113-fyp-2021:c1.s6,351,\t8. 产业电商园线上线下综合交易额 (亿元)\t\t30\t[150]\t\t预期性,
ind-5dcda8fe55,230113-fyp-2021,230113,民生福祉,9,人均可支配收入增长率,人均可支配收入增长率,%,城镇,,,,2025,,与同期 GDP 增速 基本同步,与同期 GDP 增速 基本同步,,,text,预期性,0,table,230113-fyp-2021:c1.s6,352,民生福祉 (6 个)\t9. 人均可支配收入增长率 (%)\t城镇\t\t\t与同期 GDP 增速 基本同步\t预期性,urban_disposable_income_growth
ind-f60c8cdaae,230113-fyp-2021,230113,民生福祉,9,人均可支配收入增长率,人均可支配收入增长率,%,农村,,,,2025,,,,,,text,预期性,0,table,230113-fyp-2021:c1.s6,353,\t\t农村\t\t\t\t预期性,rural_disposable_income_growth
ind-5403ce5fc8,230113-fyp-2021,230113,民生福祉,10,城镇新增就业人数,城镇新增就业人数,万人,,2020,0.27,0.27,2025,0.8,0.8,,,,count,约束性,0,table,230113-fyp-2021:c1.s6,354,\t10. 城镇新增就业人数 (万人)\t\t0.27\t0.8\t\t约束性,urban_new_jobs
"""

PROJECTS = """\
project_id,doc_id,district_code,column_no,column_title,item_no,name,owner,location,investment_yi,investment_text,count_stated,scale_text,section_id,line,quote
prj-feihe,230113-fyp-2021,230113,3,现代产业新体系重点项目储备库,1,飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目,飞鹤（哈尔滨）乳品有限公司,双城经济开发区,20,计划总投资 20 亿元,,项目占地面积 36.2 万平方米，建筑面积 17.9 万平方米，达产后年产各种乳制品 10 万吨,230113-fyp-2021:c2.s4.k3,499,1. 飞鹤（哈尔滨）乳品有限公司乳制品智能产业园建设项目
prj-yurun,230113-fyp-2021,230113,3,现代产业新体系重点项目储备库,2,雨润集团哈尔滨肉制品研发生产及生猪养殖项目,雨润集团,,30,计划总投资 30 亿元,,项目占地面积 370 万平方米，年养殖生猪 100 万头，年产肉制品 10 万吨,230113-fyp-2021:c2.s4.k3,500,2. 雨润集团哈尔滨肉制品研发生产及生猪养殖项目
prj-yunda,230113-fyp-2021,230113,3,现代产业新体系重点项目储备库,3,哈尔滨市畅韵电子商务有限公司韵达黑龙江快递电商物流基地项目,哈尔滨市畅韵电子商务有限公司,,10,计划总投资 10 亿元,,项目占地面积 21.2 万平方米，建成后年处理快递单量 1 亿单,230113-fyp-2021:c2.s4.k3,501,3. 哈尔滨市畅韵电子商务有限公司韵达黑龙江快递电商物流基地项目
prj-hostile,230113-fyp-2021,230113,3,现代产业新体系重点项目储备库,4,=SUM(A1),+86 451 5311 0000,@承旭街道,,约8.3亿元,,-新建风力发电机组,230113-fyp-2021:c2.s4.k3,502,4. 哈尔滨新天哈电双城 100MW 风电平价上网项目
prj-hanyang,230113-fyp-2021,230113,6,双城食用菌基地建设计划,1,承旭街道汉阳食用菌加工基地,,承旭街道,,,,,230113-fyp-2021:c3.s2.k6,543,1. 承旭街道汉阳食用菌加工基地；
prj-cuiyun,230113-fyp-2021,230113,6,双城食用菌基地建设计划,2,永治街道翠韵合作社科技示范基地,,永治街道,,,,,230113-fyp-2021:c3.s2.k6,544,2. 永治街道翠韵合作社科技示范基地；
prj-caigou,230113-fyp-2021,230113,,,,雨润农副产品全球采购中心项目,,,,,,通过合作、重组等方式重启运营,230113-fyp-2021:c2.s5.ss4,403,扶持雨润农副产品全球采购中心项目通过合作、重组等方式重启运营
prj-kunlun,230102-ap-2023,230102,,,,昆仑路学校,,,,,7,校舍项目建设,230102-ap-2023:ss4.l2,47,推进昆仑路学校、龙葵路学校、融江路学校、群力经纬中学、顾新路小学、清河湾小学、群力实验小学等7个校舍项目建设
"""

TASKS = """\
task_id,doc_id,district_code,section_id,kind,number,title,text,year,line,quote
tsk-food,230113-fyp-2021,230113,230113-fyp-2021:c2.s5.ss2,section,（二）,推进食品产业龙头企业转型升级,打造农业和农产品精深加工千亿级产业集群，围绕乳制品、白酒、肉制品、饮品等十大食品产业链条，鼓励支持雀巢、老村长等骨干企业技术升级改造、增资扩产、裂变发展,2025,382,打造农业和农产品精深加工千亿级产业集群
tsk-chain,230113-fyp-2021,230113,230113-fyp-2021:c2.s5.ss3,section,（三）,狠抓食品产业项目建设,-精心谋划、不断充实项目储备库,2025,388,精心谋划、不断充实项目储备库
"""

RESPONSIBILITIES = """\
item_type,item_id,district_code,lead_unit,co_units,area,rule_id
indicator,ind-9b193d6757,230113,区统计局,区发展和改革局|区财政局,,r-stats
indicator,ind-c16ba2dbf2,230113,区工业和信息化局,区统计局,,r-industry
indicator,ind-3e1f09bfbf,230113,区工业和信息化局,区统计局,,r-industry
indicator,ind-755d732c4c,230113,区科学技术局,,,r-tech
indicator,ind-8b6122b6c3,230113,区商务局,,,r-trade
indicator,ind-5dcda8fe55,230113,区人力资源和社会保障局,区统计局,,r-income
indicator,ind-f60c8cdaae,230113,,,,
indicator,ind-5403ce5fc8,230113,区人力资源和社会保障局,,,r-jobs
indicator,ind-f41921ffdd,230113,区统计局,,,r-stats
indicator,ind-f6c5f30bf6,230113,区自然资源局,,,r-land
project,prj-feihe,230113,区工业和信息化局,区发展和改革局,双城经济开发区,r-industry
project,prj-yurun,230113,区工业和信息化局,,,r-industry
project,prj-yunda,230113,区商务局,,,r-trade
project,prj-hostile,230113,区发展和改革局,,@承旭街道,r-energy
project,prj-hanyang,230113,区农业农村局,承旭街道办事处,承旭街道,r-agri
project,prj-cuiyun,230113,,,永治街道,unassigned
task,tsk-food,230113,区工业和信息化局,区商务局,双城经济开发区,r-industry
task,tsk-chain,230113,,,,unassigned
project,prj-kunlun,230102,区教育局,,群力街道,r-edu
indicator,ind-67f90b53dd,230102,区统计局,,,r-stats
"""

FINDINGS = """\
doc_id,district_code,section_id,line,kind,quote,detail
230113-fyp-2021,230113,230113-fyp-2021:c1.s6,346,empty_cell,\t3. 规模以上工业增加值增长率 (%)\t\t0.4\t\t5 以上\t,指标 3“规模以上工业增加值增长率”的属性为空（原表未填或为合并单元格），未作推断
230113-fyp-2021,230113,230113-fyp-2021:c1.s6,353,empty_cell,\t\t农村\t\t\t\t预期性,指标 9“人均可支配收入增长率”（农村）的目标值为空（原表未填或为合并单元格），未作推断
230113-fyp-2021,230113,230113-fyp-2021:c1.s6,367,table_note,注：带 [ ] 为累计数据。,表注
230113-fyp-2021,230113,230113-fyp-2021:c2.s3,465,count_mismatch,引进 3-5 个投资超 20 亿元产业项目,文中称共 3 个，列出名称 1 个
230113-fyp-2021,230113,230113-fyp-2021:c3.s2.k6,544,unassigned,永治街道翠韵合作社科技示范基地,未找到牵头单位
230113-fyp-2021,230113,230113-fyp-2021:c2.s4.k2.i4,484,new_place,农丰镇,“农丰镇”不在 places.csv 的双城区地名中，请核实后补入或忽略
230102-ap-2023,230102,230102-ap-2023:ss2.l2,27,count_mismatch,温暖产业园标准化厂房、嘉立包装、东方电站等5个产业项目,文中称共 5 个，列出名称 3 个
"""

NUMERIC = ("period_start", "period_end", "item_no", "baseline_year", "baseline_value", "target_year",
           "target_value", "growth_value", "cumulative", "line", "column_no", "investment_yi", "count_stated", "year")


def _frame(text: str, as_read: bool) -> pd.DataFrame:
    """A table as `read_table` gives it (all text) or as a default CSV read gives it (numbers as float/NaN)."""
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if as_read:
        return frame
    numeric = {c: pd.to_numeric(frame[c].replace("", None), errors="coerce").astype(float)
               for c in NUMERIC if c in frame.columns}
    return frame.assign(**numeric)


def documents(as_read: bool = False) -> pd.DataFrame:
    return _frame(DOCUMENTS, as_read)


def indicators(as_read: bool = False) -> pd.DataFrame:
    return _frame(INDICATORS, as_read)


def projects(as_read: bool = False) -> pd.DataFrame:
    return _frame(PROJECTS, as_read)


def tasks(as_read: bool = False) -> pd.DataFrame:
    return _frame(TASKS, as_read)


def responsibilities(as_read: bool = False) -> pd.DataFrame:
    return _frame(RESPONSIBILITIES, as_read)


def findings(as_read: bool = False) -> pd.DataFrame:
    return _frame(FINDINGS, as_read)


def catalogue() -> pd.DataFrame:
    return pd.read_csv(ROOT / "inputs" / "config" / "indicators.csv", dtype=str, keep_default_na=False)


def styles() -> StyleSheet:
    return StyleSheet.load(ROOT / "templates" / "workbook_style.yaml")


def tables(as_read: bool = False) -> dict[str, pd.DataFrame]:
    """Every table the plan workbook takes, keyed by argument name."""
    return {"documents": documents(as_read), "indicators": indicators(as_read), "projects": projects(as_read),
            "tasks": tasks(as_read), "responsibilities": responsibilities(as_read), "findings": findings(as_read)}


def formula_cells(ws) -> list:
    """Every cell of an openpyxl sheet that holds a formula."""
    return [cell for row in ws.iter_rows() for cell in row if cell.data_type == "f"]
