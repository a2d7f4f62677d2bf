"""Metric mentions: the gold file, the spec's inclusions and exclusions, indicators, scoring, robustness."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgov_analysis.core.resources import resource_text
from lawgov_analysis.measures.evaluate import evaluate_metrics
from lawgov_analysis.measures.indicator_model import rules_only
from lawgov_analysis.measures.indicators import indicator_labels, load_indicator_rules
from lawgov_analysis.measures.metrics import METRIC_COLUMNS, extract_metrics
from lawgov_analysis.measures.units import normalize_unit

from .conftest import GOLD_DIR, ROOT, SAMPLE_ID


def _one(text: str, doc_id: str = "doc") -> pd.DataFrame:
    """A one-report corpus."""
    return pd.DataFrame({"doc_id": pd.Series([doc_id], dtype="str"), "text": pd.Series([text], dtype="str")})


@pytest.fixture(scope="module")
def sample_metrics(sample_corpus):
    return extract_metrics(sample_corpus)


@pytest.fixture(scope="module")
def gold():
    return pd.read_csv(GOLD_DIR / "seed_metrics.csv", dtype={"doc_id": str})


@pytest.fixture(scope="module")
def gold_indicators():
    return pd.read_csv(GOLD_DIR / "seed_indicators.csv", dtype={"doc_id": str})


def rows(text: str) -> list[tuple]:
    df = extract_metrics(_one(text))
    return [(r.surface, r.value, r.unit, r.qualifier) for r in df.itertuples()]


# ------------------------------------------------------------------------------------------- the gold file


def test_gold_scores(sample_metrics, gold, gold_indicators):
    result = evaluate_metrics(sample_metrics, gold, indicators=gold_indicators)
    assert result["f1"] >= 0.99
    assert result["indicator_agreement"] >= 0.95
    assert result["gold"] == 105 and result["indicator_matched"] == result["tp"]


def test_table_shape_and_lineage(sample_metrics, sample_text):
    assert list(sample_metrics.columns) == METRIC_COLUMNS
    assert (sample_metrics["doc_id"] == SAMPLE_ID).all()
    assert all(sample_text[s:e] == surf for s, e, surf in
               zip(sample_metrics["start"], sample_metrics["end"], sample_metrics["surface"]))
    assert sample_metrics["start"].is_monotonic_increasing
    assert str(sample_metrics["sentence_id"].dtype) == "Int64" and sample_metrics["sentence_id"].notna().all()
    assert (sample_metrics["section_id"] != "").all()
    assert sample_metrics["value"].map(math.isfinite).all()


def test_no_prediction_on_gold_exclusions(sample_metrics):
    excluded = pd.read_csv(GOLD_DIR / "seed_excluded.csv")
    spans = list(zip(sample_metrics["start"], sample_metrics["end"]))
    hits = [r.surface for r in excluded.itertuples() if any(s < r.end and r.start < e for s, e in spans)]
    assert hits == []


@pytest.mark.parametrize(
    ("start", "surface", "value", "value_max", "unit", "qualifier", "indicator", "indicator_id", "section_id"),
    [
        (423, "42人(次)", 42, None, "人次", "", "法律知识考试", "pufa.exams", "一(一)1二是"),
        (1131, "34万余剂次", 340000, None, "剂次", "余", "接种新冠疫苗", "public_health.measures", "一(二)1"),
        (1152, "100%以上", 100, None, "%", "以上", "12岁以上人群任务数完成率", "public_health.measures", "一(二)1"),
        (1083, "1000-1500人", 1000, 1500, "人", "", "设置一个采样点", "public_health.measures", "一(二)1"),
        (1266, "2个工作日内", 2, None, "个", "内", "企业开办时间压缩", "other", "一(二)2"),
        (1552, "1020户", 1020, None, "户", "", "企业", "market.new_entities", "一(二)2"),
        (1671, "2.5万元", 25000, None, "元", "", "执行到位金额", "court.enforcement", "一(二)3"),
        (1867, "97.46%", 97.46, None, "%", "", "合格率", "safety.inspections", "一(二)4一是"),
        (3804, "20余(场)次", 20, None, "场次", "余", "法治宣讲", "pufa.events", "一(三)6一是"),
        (4176, "两期", 2, None, "期", "", "集中轮训", "pufa.legal_literates", "一(三)6三是"),
        (4626, "91.87%", 91.87, None, "%", "", "结案率", "court.cases", "一(四)1一是"),
        (4666, "214人", 214, None, "人", "", "审查逮捕案件", "procuratorate.cases", "一(四)1一是"),
        (4677, "174 人", 174, None, "人", "", "批捕", "procuratorate.cases", "一(四)1一是"),
        (5711, "2件", 2, None, "件", "", "办结", "review.closed", "一(四)2二是"),
        (5729, "15件", 15, None, "件", "", "审结", "litigation.closed", "一(四)2二是"),
    ],
)
def test_sample_rows(sample_metrics, start, surface, value, value_max, unit, qualifier, indicator, indicator_id,
                     section_id):
    row = sample_metrics[sample_metrics["start"] == start].iloc[0]
    assert (row.surface, row.value, row.unit, row.qualifier) == (surface, value, unit, qualifier)
    assert (math.isnan(row.value_max) if value_max is None else row.value_max == value_max)
    assert (row.indicator, row.indicator_id, row.section_id) == (indicator, indicator_id, section_id)


# ------------------------------------------------------------------------------------------- inclusions

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic numerals with a measure word, multipliers, hedges
        ("全年共办理行政处罚案件1,234件。", [("1,234件", 1234, "件", "")]),
        ("罚没款356.8万元。", [("356.8万元", 3568000, "元", "")]),
        ("涉案金额1.2亿元。", [("1.2亿元", 120000000, "元", "")]),
        ("投入资金300余万元。", [("300余万元", 3000000, "元", "余")]),
        ("受益群众3千余人。", [("3千余人", 3000, "人", "余")]),
        ("受教育群众近5000人次。", [("近5000人次", 5000, "人次", "近")]),
        ("参与群众约2万人。", [("约2万人", 20000, "人", "约")]),
        ("举办讲座20多场。", [("20多场", 20, "场", "多")]),
        ("覆盖率达50%以上。", [("50%以上", 50, "%", "以上")]),
        ("参会人员100人左右。", [("100人左右", 100, "人", "左右")]),
        ("受理申请103 件。", [("103 件", 103, "件", "")]),
        # Chinese numerals as quantities
        ("举办了两期集中轮训。", [("两期", 2, "期", "")]),
        ("分四批次完成。", [("四批次", 4, "批次", "")]),
        ("培训干部三千余人。", [("三千余人", 3000, "人", "余")]),
        ("办理案件一百二十件。", [("一百二十件", 120, "件", "")]),
        ("合格率为九十一点八七%。", [("九十一点八七%", 91.87, "%", "")]),
        ("出庭应诉率达到百分之百。", [("百分之百", 100, "%", "")]),
        ("满意度达百分之九十五以上。", [("百分之九十五以上", 95, "%", "以上")]),
        ("开展三轮督察。", [("三轮", 3, "轮", "")]),
        ("共召开两次专题会议。", [("两次", 2, "次", "")]),
        # ranges, paired counts, bracketed units
        ("按照1000-1500人设置。", [("1000-1500人", 1000, "人", "")]),
        ("开展活动20至30场。", [("20至30场", 20, "场", "")]),
        ("办理审查逮捕案件177件214人。", [("177件", 177, "件", ""), ("214人", 214, "人", "")]),
        ("审查起诉238件 318人。", [("238件", 238, "件", ""), ("318人", 318, "人", "")]),
        ("考试42人（次）。", [("42人（次）", 42, "人次", "")]),
        ("宣讲20余(场)次。", [("20余(场)次", 20, "场次", "余")]),
        # measure words beyond the sample
        ("开设法治课程5门。", [("5门", 5, "门", "")]),
        ("制作展板30幅。", [("30幅", 30, "幅", "")]),
        ("流转土地1200亩。", [("1200亩", 1200, "亩", "")]),
        ("评查案卷320卷。", [("320卷", 320, "卷", "")]),
        ("发放读本2000册。", [("2000册", 2000, "册", "")]),
        ("配备执法记录仪85台，执法车辆12辆。", [("85台", 85, "台", ""), ("12辆", 12, "辆", "")]),
        ("建成法治学校3所、法治广场2座。", [("3所", 3, "所", ""), ("2座", 2, "座", "")]),
        ("组建服务队5支，编印资料8套。", [("5支", 5, "支", ""), ("8套", 8, "套", "")]),
        ("刊发稿件36篇，拍摄微电影4部。", [("36篇", 36, "篇", ""), ("4部", 4, "部", "")]),
        ("整改隐患38处。", [("38处", 38, "处", "")]),
        ("修建道路12.5公里，拆除违建3.2万平方米。", [("12.5公里", 12.5, "公里", ""), ("3.2万平方米", 32000, "平方米", "")]),
        ("查扣假冒产品2.6吨。", [("2.6吨", 2.6, "吨", "")]),
        ("考核得分95分。", [("95分", 95, "分", "")]),
        ("检查经营户1200余家次。", [("1200余家次", 1200, "家次", "余")]),
        ("办理时限压缩至3个工作日内。", [("3个工作日内", 3, "个", "内")]),
        ("共侦办9类案件9起。", [("9类", 9, "类", ""), ("9起", 9, "起", "")]),
        ("其中企业1020户，个体8167户。", [("1020户", 1020, "户", ""), ("8167户", 8167, "户", "")]),
        ("从律所遴选15名法律顾问。", [("15名", 15, "名", "")]),
        ("全区16家牵头单位出台19项制度。", [("16家", 16, "家", ""), ("19项", 19, "项", "")]),
        ("召开专题会议一次。", [("一次", 1, "次", "")]),
        ("发放资料万余份，百余人参加。", [("万余份", 10000, "份", "余"), ("百余人", 100, "人", "余")]),
        ("投入资金5千万元。", [("5千万元", 50000000, "元", "")]),
        ("参训300人/次。", [("300人/次", 300, "人次", "")]),
        ("合格率为９７．４６％。", [("９７．４６％", 97.46, "%", "")]),
        ("同比下降1.2个百分点。", [("1.2个", 1.2, "个", "")]),
        ("增长2倍。", [("2倍", 2, "倍", "")]),
        ("全年网站访问量达50万人次。", [("50万人次", 500000, "人次", "")]),
        ("播放公益广告1.5万条次。", [("1.5万条次", 15000, "条次", "")]),
        ("出动执法人员300个次，检查船舶12艘次。", [("300个次", 300, "个次", ""), ("12艘次", 12, "艘次", "")]),
        # Chinese-numeral counts of things made or handled, and counts above the numerals names use
        ("新建三个公共法律服务工作站。", [("三个", 3, "个", "")]),
        ("完成十二个部门三定方案。", [("十二个", 12, "个", "")]),
        ("出台了两个规范性文件。", [("两个", 2, "个", "")]),
        ("推动二十个部门进驻。", [("二十个", 20, "个", "")]),
        # more measure words; 千 that is part of a unit stays in it; bracketed measure words join
        ("发放读本1000余本，开设课程12节，安装路灯120盏。",
         [("1000余本", 1000, "本", "余"), ("12节", 12, "节", ""), ("120盏", 120, "盏", "")]),
        ("建成法治长廊2.3千米，新增装机5万千瓦。", [("2.3千米", 2.3, "千米", ""), ("5万千瓦", 50000, "千瓦", "")]),
        ("查封设备15台（套），检查学校230所次。", [("15台（套）", 15, "台套", ""), ("230所次", 230, "所次", "")]),
        # a bare power hedged before it is an amount
        ("参与群众近百人，受益群众约千人。", [("近百人", 100, "人", "近"), ("约千人", 1000, "人", "约")]),
    ],
)
def test_inclusions(text, expected):
    assert rows(text) == expected


# ------------------------------------------------------------------------------------------- exclusions

@pytest.mark.parametrize(
    "text",
    [
        "2021年，我区坚持以习近平法治思想为指导。",
        "截至11月份，全区工作有序开展。",
        "二〇二一年十二月三十日",
        "获评第八批全国民主法治示范村。",
        "召开委员会第三次会议。",
        "深入学习党的十九届六中全会精神。",
        "履行第一责任人职责。",
        "全面推行行政执法“三项制度”，严格落实三项制度。",
        "推行“一次不跑、只跑一次”改革。",
        "结合“六减一增”改革进展。",
        "开展“12·4”国家宪法日宣传活动。",
        "增强“四个意识”，做到“两个维护”。",
        "刑拘九类犯罪嫌疑人。",
        "12岁以上人群接种。",
        "出台《法治昌江建设规划(2021-2025)》。",
        "查处一批违法违规行为。",
        "升级改造“一站式”诉讼服务中心。",
        "获评景德镇市十佳政法作品。",
        "参与“百万网民学法律”知识竞赛。",
        "荣立二等功。",
        "在全市考核中排名第10名，位列前3名。",
        "印发《通知》（昌府发〔2021〕5号）。",
        "联系电话：0798-8221234",
        "浏览次数：1523次",
        "一是压实责任；二是落实制度。",
        "（一）坚持高位谋划",
        "1、健全领导机构",
        "实行三级台账管理制度，建立四项推进机制。",
        "筑牢人民调解第一道防线。",
        "进一步统一行政权力清单。",
        "建立“一村一法律顾问”制度，推行“三会一课”。",
        "完成“两所一庭”建设，实施“三支一扶”计划。",
        "千家万户享受服务，十分重视，数十家单位参加。",
        "提供7×24小时自助服务，打造15分钟法律服务圈。",
        "涉案金额5000元以上的案件。",
        "PM2.5浓度下降。",
        "落实八项规定精神，增强四个自信。",
        "二期工程完工。",
        "“3·15”消费者权益日。",
        "上午10时30分，满分100分。",
        "每10万人设置一个站点。",
        "建立一个采样点，做到一次告知。",
        "推进“放管服”改革，落实两个责任。",
        "阅读量：2.3万 点击数：560次 访问人次：1200人次",
        "网站标识码：3602030001 赣ICP备05004315号",
        "每月至少开展一次，每年不少于2次。",
        "贯彻落实市委十四届三次全会精神，县十七届人大三次会议审议通过。",
        "实行一人一档、一案一卷，推行四议两公开。",
        "建立四项推进机制，修订完善五项制度，完成三个方面的任务。",
        "最近百人参加，完成千家万户走访。",
        "依法对其处2000元以上10000元以下罚款，金额在3000元以上不满5万元的。",
    ],
)
def test_exclusions(text):
    assert rows(text) == []


def test_named_count_vs_count_of_cases():
    text = "共侦办9类案件9起，刑拘九类犯罪嫌疑人13名。"
    assert [r[0] for r in rows(text)] == ["9类", "9起", "13名"]


# ------------------------------------------------------------------------------------------- comparison, indicator


@pytest.mark.parametrize(
    ("text", "surface", "value", "unit", "qualifier"),
    [
        ("受理行政复议案件５，２３６件。", "５，２３６件", 5236, "件", ""),
        ("抽检合格率１２．５％。", "１２．５％", 12.5, "%", ""),
        ("罚没款壹万贰仟元。", "壹万贰仟元", 12000, "元", ""),
        ("发放宣传资料肆佰陸拾份。", "肆佰陸拾份", 460, "份", ""),
        ("罚没款壹萬貳仟元。", "壹萬貳仟元", 12000, "元", ""),
        ("受教育群众5万4千6百人次。", "5万4千6百人次", 54600, "人次", ""),
        ("参加考试3千余人。", "3千余人", 3000, "人", "余"),
        ("执行到位1亿2千万元。", "1亿2千万元", 120000000, "元", ""),
        ("发放资料３万５千份。", "３万５千份", 35000, "份", ""),
    ],
)
def test_numerals_a_peer_suite_expects(text, surface, value, unit, qualifier):
    assert rows(text) == [(surface, value, unit, qualifier)]


def test_fullwidth_comma_between_ascii_digits_is_a_clause_break():
    # ５，２３６ is one number; 5，236 is a list (5, then 236 of something)
    assert [r[0] for r in rows("受理5，236件。")] == ["236件"]


@pytest.mark.parametrize(
    ("text", "surface", "wording", "direction", "indicator_id"),
    [
        ("罚没款合计356.8万元，同比增长12.5%。", "12.5%", "同比增长", "up", "enforcement.fines"),
        ("市场主体3.2万户，较上年增加2156户。", "2156户", "较上年增加", "up", "market.new_entities"),
        ("败诉率为3.5%，同比下降1.2个百分点。", "1.2个", "同比下降", "down", "litigation.lost"),
        ("办结率同比分别增长12%和15%。", "15%", "同比分别增长", "up", "other"),
        ("受理行政复议案件120件，较上年减少12件。", "12件", "较上年减少", "down", "review.cases"),
        ("受理行政复议案件120件，比去年多50件。", "50件", "比去年多", "up", "review.cases"),
        ("受理行政复议案件120件，同比净增12件。", "12件", "同比净增", "up", "review.cases"),
        ("合格率98%，下降3个百分点。", "3个", "下降", "down", "safety.inspections"),
        ("满意度提高到95%。", "95%", "", "", "other"),
        ("新增市场主体9187户。", "9187户", "", "", "market.new_entities"),
    ],
)
def test_comparison(text, surface, wording, direction, indicator_id):
    df = extract_metrics(_one(text)).set_index("surface")
    assert df.loc[surface, "comparison"] == ("change" if wording else "")
    assert df.loc[surface, "direction"] == direction
    assert df.loc[surface, "comparison_text"] == wording
    assert df.loc[surface, "indicator_id"] == indicator_id


def test_comparison_is_a_clean_category(sample_metrics):
    assert set(sample_metrics["comparison"]) <= {"", "change"}
    assert set(sample_metrics["direction"]) <= {"", "up", "down"}
    assert ((sample_metrics["comparison"] == "change") == (sample_metrics["direction"] != "")).all()


@pytest.mark.parametrize(
    ("text", "indicator", "indicator_id"),
    [
        ("全区共完成食品安全抽检395批。", "食品安全抽检", "safety.inspections"),
        ("全年共受理行政复议案件2件。", "行政复议案件", "review.cases"),
        ("全年办理法律援助案件586件。", "法律援助案件", "legal_aid.cases"),
        ("评查行政执法案卷320卷。", "评查行政执法案卷", "enforcement.case_reviews"),
        ("清理规范性文件48件。", "清理规范性文件", "rules.cleanup"),
        ("共梳理权责清单2678项。", "梳理权责清单", "power.list_items"),
        ("取消行政许可事项15项。", "取消行政许可事项", "power.streamlining"),
        ("一网通办事项1580项。", "一网通办事项", "services.online"),
        ("罚没款356.8万元。", "罚没款", "enforcement.fines"),
        ("新申领执法证125个。", "新申领执法证", "enforcement.training"),
        ("受理信息公开申请26件。", "信息公开申请", "openness.requests"),
        ("接听12345热线来电12.6万个。", "接听12345热线来电", "openness.complaints"),
        ("创建省级民主法治示范村5个。", "省级民主法治示范村", "creation.model_sites"),
        ("整合组建4个综合行政执法队伍。", "综合行政执法队伍", "organisation.restructuring"),
        ("开展会前学法18次。", "会前学法", "pufa.exams"),
        ("发放宣传资料一万二千余份。", "宣传资料", "pufa.materials"),
        ("破获刑事案件352起。", "破获刑事案件", "policing.criminal_cases"),
        ("冻结涉案资金560万元。", "冻结涉案资金", "policing.fraud"),
        ("检察院提起公益诉讼12件。", "公益诉讼", "procuratorate.cases"),
        ("执结案件2400件。", "执结案件", "court.enforcement"),
        ("行政机关负责人出庭应诉率达100%。", "行政机关负责人出庭应诉率", "litigation.head_appearance_rate"),
        ("调解成功率98.7%。", "调解成功率", "disputes.success_rate"),
        ("建设法治文化公园8个。", "建设法治文化公园", "other"),
    ],
)
def test_indicators(text, indicator, indicator_id):
    row = extract_metrics(_one(text)).iloc[0]
    assert (row.indicator, row.indicator_id) == (indicator, indicator_id)


@pytest.mark.parametrize(
    ("text", "surface", "indicator", "indicator_id"),
    [
        # the cut phrases: a verb (推动), a cut word (领导干), a hedge (有望突破), a cut title
        ("强化府院联动，推动98.61%的行政争议在复议阶段实质性化解。", "98.61%", "行政争议", "review.cases"),
        ("组织全县领导干部参加法律知识考试，参考1,200名县管领导干部及镇村干部。", "1,200名", "县管领导干部及镇村干部",
         "pufa.exams"),
        ("组织130名全市各乡镇街道和市直部门领导干部参加法律知识考试。", "130名", "全市各乡镇街道和市直部门领导干部",
         "pufa.exams"),
        ("预计全年新增市场主体有望突破10万户。", "10万户", "新增市场主体", "market.new_entities"),
        ("县政府党组理论学习中心组集中学习《中华人民共和国行政处罚法》等法律14次。", "14次",
         "《中华人民共和国行政处罚法》等法律", "pufa.exams"),
        # the words naming what is counted, not a subject, a time or a generic verb before them
        ("县法院全年新收各类案件9,436件。", "9,436件", "新收各类案件", "court.cases"),
        ("县应急管理局全年检查生产经营单位1,426家次，排查安全隐患3,871处。", "1,426家次", "检查生产经营单位",
         "safety.inspections"),
        ("全年办结行政复议案件45件，调撤率44.35%。", "44.35%", "调撤率", "review.closed"),
        ("全年网上立案2.9万件，在线开庭1.2万场。", "1.2万场", "在线开庭", "court.online"),
        ("通过调解、和解方式结案137件。", "137件", "调解、和解方式结案", "court.cases"),
        ("创建省级民主法治示范村（社区）186个。", "186个", "省级民主法治示范村（社区）", "creation.model_sites"),
        ("开展“宪法进万家”集中宣传活动38场。", "38场", "“宪法进万家”集中宣传活动", "pufa.events"),
        ("抽检合格率分别为97.3%和99.5%。", "99.5%", "抽检合格率", "safety.inspections"),
        # institutional reform, units reorganised (spec: organisation.restructuring); the rules alone said other
        ("区级党政机构由41个调整为35个。", "35个", "区级党政机构", "organisation.restructuring"),
        ("明确6个方面32项重点任务。", "32项", "重点任务", "organisation.tasks"),
        ("32项任务已全部完成，完成率100%。", "100%", "完成率", "organisation.tasks"),
    ],
)
def test_indicator_phrase_names_what_is_counted(text, surface, indicator, indicator_id):
    row = extract_metrics(_one(text)).set_index("surface").loc[surface]
    assert (row["indicator"], row["indicator_id"]) == (indicator, indicator_id)


def test_titles_do_not_pick_the_indicator():
    # 《…行政处罚法》 is what was studied, not penalty cases
    df = extract_metrics(_one("集中学习《中华人民共和国行政处罚法》14次。"))
    assert df["indicator_id"].tolist() == ["pufa.exams"]


def test_stage_id_carries_across_a_semicolon_but_not_a_full_stop():
    df = extract_metrics(_one("收到行政复议申请12件，受理11件；审结10件。审结案件5件。"))
    assert df["indicator_id"].tolist() == ["review.cases", "review.cases", "review.closed", "court.cases"]


def test_subtotal_named_by_a_case_type_keeps_the_total_id():
    df = extract_metrics(_one("办理法律援助案件326件，其中刑事案件98件、民事案件221件。"))
    assert df["indicator_id"].tolist() == ["legal_aid.cases"] * 3
    df = extract_metrics(_one("破获刑事案件1,125起，其中电信网络诈骗案件203起。"))
    assert df["indicator_id"].tolist() == ["policing.criminal_cases", "policing.fraud"]


@pytest.mark.parametrize(
    ("text", "surface", "indicator_id"),
    [
        ("提供法律援助86件，挽回损失320万元。", "320万元", "other"),
        ("止付涉诈资金300万元，为群众挽回损失120万元。", "120万元", "policing.fraud"),
        ("查处治安案件2,300余起。", "2,300余起", "policing.criminal_cases"),
        ("受理12345政务服务热线诉求5.6万件。", "5.6万件", "openness.complaints"),
        ("常务会议会前学法12次，法律顾问出具意见182份。", "12次", "pufa.exams"),
        ("法律顾问参与重大行政决策论证45件次。", "45件次", "decision.legal_adviser_opinions"),
        ("组织两期执法人员轮训，共培训八百余人次。", "八百余人次", "enforcement.training"),
        ("开展“双随机、一公开”抽查236次。", "236次", "enforcement.cases"),
    ],
)
def test_indicator_fixes_from_the_heldout_set(text, surface, indicator_id):
    df = extract_metrics(_one(text)).set_index("surface")
    assert df.loc[surface, "indicator_id"] == indicator_id


def test_thousands_separator_is_not_a_clause_break():
    df = extract_metrics(_one("共办理各类案件3,256件（其中刑事案件1,024件）。"))
    assert df["indicator"].tolist() == ["案件", "刑事案件"]


def test_received_then_concluded_gets_the_stage_id():
    df = extract_metrics(_one("收到依申请公开11件，已办结10件；受理行政复议案件3件，办结3件。"))
    assert df["indicator_id"].tolist() == ["openness.requests", "openness.requests_closed", "review.cases",
                                          "review.closed"]


def test_subtotal_after_qizhong_inherits_the_total():
    df = extract_metrics(_one("新增各类市场主体9187户，其中企业1020户，个体8167户。"))
    assert df["indicator_id"].tolist() == ["market.new_entities"] * 3


def test_context_from_heading():
    text = "一、持续扫黑除恶\n公安分局共侦办案件9起，刑拘犯罪嫌疑人13名。\n二、其他工作\n公安分局共侦办案件9起。"
    df = extract_metrics(_one(text))
    assert df["indicator_id"].tolist() == ["sweep.cases", "sweep.cases", "policing.criminal_cases"]


def test_user_indicator_rules_replace_the_bundled_ones(tmp_path):
    rules = {"rule": [{"id": "custom.trees", "terms": ["植树"]}]}
    text = "植树3000棵。办理案件5件。"
    assert extract_metrics(_one(text), indicators=rules)["indicator_id"].tolist() == ["custom.trees", "other"]
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\nid = "custom.cases"\nterms = ["案件"]\nunits = ["件"]\n', encoding="utf-8")
    assert extract_metrics(_one(text), indicators=path)["indicator_id"].tolist() == ["other", "custom.cases"]


def test_a_count_no_rule_names_continues_the_statement_before_it():
    # nothing names what 113个 counts: it continues the inspection counted just before it (spec: outputs and
    # units doing the work take the id of the activity); a full stop, money or a rate does not continue — the
    # rules leave the last 113个 `other`, and the learned component (round 11) reads the problems of a paragraph
    # about an inspection as its outputs (spec: 巡察反馈问题…个 is organisation.supervision)
    text = "实地督察部门24个，发现问题113个。另有整改资金50万元，问题113个。"
    with rules_only():
        assert extract_metrics(_one(text))["indicator_id"].tolist() == [
            "organisation.supervision", "organisation.supervision", "other", "other"]
    df = extract_metrics(_one(text))
    assert df["indicator_id"].tolist() == ["organisation.supervision", "organisation.supervision", "other",
                                          "organisation.supervision"]
    df = extract_metrics(_one("督察部门24个，完成率96%。"))
    assert df["indicator_id"].tolist() == ["organisation.supervision", "organisation.supervision"]


def test_same_as_previous_rule_needs_a_previous_mention():
    rules = {"rule": [{"same_as_previous": True, "terms": ["完成率"], "units": ["%"]},
                      {"id": "custom.tasks", "terms": ["任务"]}]}
    assert extract_metrics(_one("完成率96%。"), indicators=rules)["indicator_id"].tolist() == ["other"]
    df = extract_metrics(_one("完成任务32项，完成率96%。"), indicators=rules)
    assert df["indicator_id"].tolist() == ["custom.tasks", "custom.tasks"]


def test_user_rules_can_extend_the_bundled_ones():
    text = "植树3000棵，办理法律援助案件5件。"
    rules = {"extend": True, "rule": [{"id": "custom.trees", "terms": ["植树"]}]}
    assert extract_metrics(_one(text), indicators=rules)["indicator_id"].tolist() == ["custom.trees", "legal_aid.cases"]


def test_bad_rule_level_uses_the_option_wording():
    with pytest.raises(ValueError, match="levels must be one of indicator, clause, sentence, heading, got 'x'"):
        load_indicator_rules([{"id": "a", "terms": ["b"], "levels": ["x"]}])


# ------------------------------------------------------------------------------------------- the rules file


def _spec_ids() -> set[str]:
    spec = (ROOT / "docs" / "spec" / "indicators.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| ([a-z_]+(?:\.[a-z_]+)?) \|", spec, flags=re.M)) - {"indicator_id"}


def test_rules_file_header_ids_and_terms():
    text = resource_text("indicators.toml")
    assert text.startswith("# Indicator rules") and "Where from" in text
    rules = tomllib.loads(text)["rule"]
    ids = {r["id"] for r in rules if not r.get("same_as_previous")}
    assert ids <= _spec_ids()
    assert len(_spec_ids() - ids - {"other"}) == 0  # every canonical id has at least one rule
    for r in rules:
        assert ("id" in r) != bool(r.get("same_as_previous")), r
        terms = r["terms"]
        assert len(terms) == len(set(terms)), f"duplicate term in {r.get('id')}"
        for term in terms:
            compiled = re.compile(term)
            if re.escape(term) == term:  # a plain word: it must match itself
                assert compiled.search(term)
        for key in r:
            assert key in {"id", "terms", "levels", "require", "units", "not_units", "after", "unless",
                           "same_as_previous"}


def _spec_labels() -> dict[str, str]:
    spec = (ROOT / "docs" / "spec" / "indicators.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| ([a-z_]+(?:\.[a-z_]+)?) \| ([^|]+?) \|", spec, flags=re.M))


def test_every_id_has_the_same_chinese_label_in_spec_and_package():
    labels = indicator_labels()
    assert list(labels.columns) == ["indicator_id", "label_zh"]
    assert labels["indicator_id"].tolist() == sorted(labels["indicator_id"])
    assert set(labels["indicator_id"]) == _spec_ids() | {"other"}
    spec = _spec_labels()
    for i, label in zip(labels["indicator_id"], labels["label_zh"]):
        assert re.search("[\u4e00-\u9fff]", label), i
        assert spec[i] == label, i


def test_user_labels_override_like_user_rules(tmp_path):
    path = tmp_path / "rules.toml"
    path.write_text('extend = true\n[labels]\n"custom.trees" = "植树"\n"review.cases" = "复议收案"\n'
                    '[[rule]]\nid = "custom.trees"\nterms = ["植树"]\n', encoding="utf-8")
    labels = indicator_labels(path).set_index("indicator_id")["label_zh"]
    assert labels["custom.trees"] == "植树" and labels["review.cases"] == "复议收案"
    assert labels["court.cases"] == indicator_labels().set_index("indicator_id").loc["court.cases", "label_zh"]
    # without extend the user's rules replace the bundled ones: only their ids (and other) are listed;
    # an id without any label is labelled with itself
    only = indicator_labels([{"id": "custom.x", "terms": ["x"]}, {"id": "review.cases", "terms": ["复议"]}])
    assert only.values.tolist() == [["custom.x", "custom.x"], ["other", "其他"], ["review.cases", "行政复议案件受理"]]


def test_bad_labels_file_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[labels\n", encoding="utf-8")
    with pytest.raises(ValueError, match="broken.toml"):
        indicator_labels(path)


def test_rules_have_no_exact_duplicates():
    rules = load_indicator_rules()
    keys = [(r.id, tuple(r.terms), tuple(r.levels), tuple(r.units), tuple(r.after)) for r in rules]
    assert len(keys) == len(set(keys))


# ------------------------------------------------------------------------------------------- scoring


def _table(rows_):
    return pd.DataFrame(rows_, columns=["doc_id", "start", "end", "value", "unit", "optional"])


def test_evaluate_counts_optional_rows_as_neither():
    gold = _table([("d", 0, 3, 42, "人(次)", 0), ("d", 10, 12, 4, "项", 1), ("d", 20, 23, 5, "件", 0)])
    pred = _table([("d", 1, 4, 42, "人次", 0), ("d", 10, 12, 99, "个", 0), ("d", 30, 32, 1, "件", 0)])
    r = evaluate_metrics(pred, gold)
    assert (r["tp"], r["fp"], r["fn"], r["gold"], r["predicted"]) == (1, 1, 1, 2, 2)
    assert r["precision"] == 0.5 and r["recall"] == 0.5 and r["indicator_agreement"] is None


def test_evaluate_requires_value_unit_and_overlap():
    gold = _table([("d", 0, 4, 25000, "元", 0)])
    assert evaluate_metrics(_table([("d", 0, 4, 25000 * (1 + 1e-12), "元", 0)]), gold)["tp"] == 1
    assert evaluate_metrics(_table([("d", 0, 4, 2.5, "元", 0)]), gold)["tp"] == 0
    assert evaluate_metrics(_table([("d", 0, 4, 25000, "万元", 0)]), gold)["tp"] == 1
    assert evaluate_metrics(_table([("d", 4, 8, 25000, "元", 0)]), gold)["tp"] == 0
    assert evaluate_metrics(_table([("e", 0, 4, 25000, "元", 0)]), gold)["tp"] == 0


def test_evaluate_bad_option():
    with pytest.raises(ValueError, match="optional must be one of ignore, count, got 'x'"):
        evaluate_metrics(_table([]), _table([]), optional="x")


def test_normalize_unit():
    assert [normalize_unit(u) for u in ["人(次)", "(场)次", "％", "万元", "亿元", None, "件"]] == \
        ["人次", "场次", "%", "元", "元", "", "件"]
    assert [normalize_unit(u) for u in ["千米", "千克", "千瓦时", "千件"]] == ["千米", "千克", "千瓦时", "件"]


def test_cli_evaluate_prints_scores_last(capsys):
    from lawgov_analysis.cli import main

    main(["evaluate-metrics", "--gold", str(GOLD_DIR / "seed_metrics.csv"), "--indicators",
          str(GOLD_DIR / "seed_indicators.csv"), str(ROOT / "data" / "reports")])
    lines = capsys.readouterr().out.strip().splitlines()
    assert re.fullmatch(r"precision=\d\.\d{4} recall=\d\.\d{4} f1=\d\.\d{4}", lines[-1])
    assert any(line.startswith("indicator_agreement=") for line in lines)


# ------------------------------------------------------------------------------------------- robustness


def _check_rows(text: str) -> None:
    df = extract_metrics(_one(text))
    assert list(df.columns) == METRIC_COLUMNS
    for r in df.itertuples():
        assert text[r.start:r.end] == r.surface
        assert math.isfinite(r.value)
        assert math.isnan(r.value_max) or (math.isfinite(r.value_max) and r.value_max > r.value)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_any_text_never_raises(text):
    _check_rows(text)


_PIECES = ["1", "0", "9", "2021", ".", ",", "-", "至", "万", "亿", "千", "余", "多", "近", "约", "件", "人", "次",
           "(", ")", "（", "）", "%", "以上", "第", "一", "两", "三", "十", "百", "点", "是", "、", "，", "。", "“",
           "”", "《", "》", "其中", "同比增长", " ", "\n", "个", "项", "元", "类", "名"]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(_PIECES), max_size=60).map("".join))
def test_number_heavy_text_never_raises(text):
    _check_rows(text)


def test_huge_numbers_are_skipped_not_overflowing():
    text = "9" * 400 + "件，" + "九" * 50 + "亿亿亿元，" + "1" * 5000 + "人"
    _check_rows(text)


def test_empty_inputs():
    assert extract_metrics(_one("")).empty
    empty = extract_metrics(pd.DataFrame({"doc_id": pd.Series([], dtype=str), "text": pd.Series([], dtype=str)}))
    assert list(empty.columns) == METRIC_COLUMNS and empty.empty


def test_fixture_corpus(fixture_corpus):
    df = extract_metrics(fixture_corpus)
    anxian = df[df["doc_id"] == "anxian-2019"]
    assert anxian["value"].tolist()[:5] == [820, 300, 5100, 600, 4500]
    assert anxian.set_index("value").loc[93.75, "indicator_id"] == "disputes.success_rate"
    assert Path(__file__).exists()
