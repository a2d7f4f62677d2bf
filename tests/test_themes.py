"""Theme dictionaries: the bundled themes.toml, whole-token matching, scores, sentences, user themes and the audit.

Scores are computed from tables (tokens → hits; hits + sentences → scores): from a store built with
``open_corpus`` and, for comparison, from the tables made here from the corpus (``_tables``).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from lawgov_analysis import open_corpus
from lawgov_analysis.analysis import themes
from lawgov_analysis.analysis.theme_audit import theme_audit
from lawgov_analysis.analysis.themes import (
    HIT_COLUMNS,
    SCORE_COLUMNS,
    SENTENCE_COLUMNS,
    THEME_COLUMNS,
    lexicon_terms,
    load_themes,
    theme_hits,
    theme_indicators,
    theme_scores,
    theme_sentences,
    theme_terms,
)
from lawgov_analysis.analysis.validation import coding_sample
from lawgov_analysis.core.resources import resource_text
from lawgov_analysis.text.structure import sections, sentences
from lawgov_analysis.text.tokens import lexicon_problems, tokenize

ROOT = Path(__file__).resolve().parents[1]
REQUIRED = {"pufa": "普法", "saohei": "扫黑除恶", "fangguanfu": "放管服", "epidemic": "疫情防控",
            "decision": "行政决策", "enforcement": "行政执法", "openness": "政务公开", "disputes": "矛盾纠纷化解",
            "review_litigation": "行政复议与诉讼", "judicial": "司法", "leadership": "组织领导"}


@pytest.fixture(scope="module")
def bundled():
    return load_themes()


def _tables(corpus: pd.DataFrame, spec=None) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Hits, sentences and sections made here from ``corpus`` (tokens segmented with the theme terms)."""
    table = load_themes(spec)
    secs = sections(corpus)
    tokens = tokenize(corpus, lexicon=lexicon_terms(table), cache=False)
    return theme_hits(tokens, themes=table), sentences(corpus, sections_table=secs), secs


def _hits(corpus: pd.DataFrame, spec=None) -> pd.DataFrame:
    return _tables(corpus, spec)[0]


def _direct_scores(corpus: pd.DataFrame, spec=None, **options) -> pd.DataFrame:
    hits, sents, secs = _tables(corpus, spec)
    return theme_scores(hits, sents, corpus=corpus, sections=secs, themes=spec, **options)


def _scores(store, **options) -> pd.DataFrame:
    """Theme scores from a store's tables (what the CLI and the notebooks do)."""
    return theme_scores(store.table("theme_hits", categories=False), store.table("sentences", categories=False),
                        corpus=store.table("corpus", categories=False),
                        sections=store.table("sections", categories=False), themes=store.themes, **options)


@pytest.fixture(scope="module")
def sample_store(sample_corpus, tmp_path_factory):
    return open_corpus(sample_corpus, store=tmp_path_factory.mktemp("sample_store"), n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def fixture_store(fixture_corpus, tmp_path_factory):
    return open_corpus(fixture_corpus, store=tmp_path_factory.mktemp("fixture_store"), n_jobs=1, progress=False)


@pytest.fixture(scope="module")
def level3(sample_store):
    return _scores(sample_store, by="section_id", section_level=3)


@pytest.fixture(scope="module")
def sample_hits(sample_store):
    return sample_store.table("theme_hits", categories=False)


@pytest.fixture(scope="module")
def sample_sentences(sample_store):
    return sample_store.table("sentences", categories=False)


# ------------------------------------------------------------------------------------------ the resource file


def test_themes_file_has_provenance_header():
    text = resource_text("themes.toml")
    header = [line for line in text.splitlines()[:25] if line.startswith("#")]
    assert len(header) >= 5
    assert any("Where from" in line for line in header)


def test_bundled_themes_are_complete(bundled):
    assert list(bundled.columns) == THEME_COLUMNS
    assert dict(zip(bundled["theme_id"], bundled["label"])) == REQUIRED
    assert bundled["theme_id"].tolist() == sorted(REQUIRED)
    for row in bundled.itertuples():
        assert len(row.terms) >= 15, row.theme_id
        assert row.definition and row.source and row.indicators, row.theme_id
        assert list(row.terms) == sorted(row.terms), f"{row.theme_id}: terms are not sorted"


def test_bundled_indicator_prefixes_exist(bundled):
    spec = (ROOT / "docs" / "spec" / "indicators.md").read_text(encoding="utf-8")
    ids = set(re.findall(r"^\| ([a-z_]+\.[a-z_]+) \|", spec, flags=re.M))
    for row in bundled.itertuples():
        for prefix in row.indicators:
            assert prefix.endswith(".") and any(i.startswith(prefix) for i in ids), (row.theme_id, prefix)
    prefixes = theme_indicators()["prefix"]
    assert not prefixes[prefixes.duplicated()].tolist()            # a prefix belongs to one theme
    covered = {i.split(".")[0] + "." for i in ids} - {"safety.", "school_safety."}
    assert set(prefixes) == covered                                # every other indicator family has a theme
    assert theme_indicators().query("theme_id == 'fangguanfu'")["prefix"].tolist() == [
        "power.", "services.", "market."]


def test_bundled_terms_have_no_duplicates_and_can_match(bundled):
    terms = theme_terms(bundled)
    exact = terms[terms["kind"] == "term"]["entry"]
    assert not exact[exact.duplicated()].tolist()          # within and across themes
    assert all(t and t == t.strip() and not any(ch.isspace() for ch in t) for t in exact)
    assert lexicon_problems(exact) == []                    # jieba can keep every term as one token
    patterns = terms[terms["kind"] == "pattern"]["entry"]
    assert not patterns[patterns.duplicated()].tolist()
    for pattern in patterns:
        rx = re.compile(pattern)
        assert not rx.fullmatch(""), pattern                # would match an empty token
    # the raw TOML too: no duplicate inside a list even before load_themes builds tuples
    raw = tomllib.loads(resource_text("themes.toml"))["themes"]
    for theme_id, spec in raw.items():
        assert len(spec["terms"]) == len(set(spec["terms"])), theme_id


# ------------------------------------------------------------------------------------------ user dictionaries


def test_load_themes_accepts_dicts_and_toml(tmp_path):
    short = load_themes({"green": ["环保", "生态"]})
    assert short.loc[0, ["theme_id", "label", "terms", "patterns"]].tolist() == ["green", "green", ("环保", "生态"), ()]
    full = load_themes({"themes": {"g": {"label": "绿色", "terms": ["环保"], "patterns": ["生态.+"]}}})
    assert full.loc[0, ["label", "patterns"]].tolist() == ["绿色", ("生态.+",)]
    path = tmp_path / "mine.toml"
    path.write_text('# mine\n[themes.g]\nlabel = "绿色"\nterms = ["环保"]\n', encoding="utf-8")
    assert load_themes(path)["label"].tolist() == ["绿色"]
    assert load_themes(str(path))["terms"].tolist() == [("环保",)]
    assert load_themes(full) is full
    lone = load_themes({"g": {"terms": "环保", "indicators": "safety."}})      # a string is one entry
    assert lone.loc[0, ["terms", "indicators"]].tolist() == [("环保",), ("safety.",)]


@pytest.mark.parametrize("spec, message", [
    ({"x": []}, "has no terms and no patterns"),
    ({"x": ["普法", ""]}, "empty or contains whitespace"),
    ({"x": ["普 法"]}, "empty or contains whitespace"),
    ({"x": {"terms": ["普法"], "patterns": ["(普法"]}}, "is not a regular expression"),
    ({}, "has no themes"),
])
def test_load_themes_rejects_terms_that_cannot_match(spec, message):
    with pytest.raises(ValueError, match=message):
        load_themes(spec)


# ------------------------------------------------------------------------------------------ matching


def test_hits_are_whole_tokens(sample_hits, sample_text):
    assert list(sample_hits.columns) == HIT_COLUMNS
    for row in sample_hits.itertuples():
        assert sample_text[row.start:row.end] == row.term
    pufa = sample_hits[sample_hits["theme_id"] == "pufa"]
    # 普法 occurs 16 times in the text, but only twice as a word of its own; the others are longer words
    # (普法宣传, 普法讲师团 …) that count once each, via their own term or the pattern .*普法.*
    assert sample_text.count("普法") == 16
    assert (pufa["term"] == "普法").sum() == 2
    assert pufa.loc[pufa["term"] == "普法讲师团", "entry"].tolist() == ["普法讲师团", "普法讲师团"]
    title = pufa[pufa["kind"] == "title"]
    assert title["term"].tolist() == ["昌江区实行国家机关“谁执法谁普法”普法责任制的实施意见"]
    assert title["entry"].tolist() == [".*普法.*"]
    # patterns match whole tokens: a quoted slogan, a title (with its 《》 put back), a bare word
    by_pattern = sample_hits[sample_hits["entry"].str.contains(r"[.\[(]", regex=True)]
    assert sorted(zip(by_pattern["term"], by_pattern["kind"]))[:3] == [
        ("区委全面依法治区委员会2021年工作要点", "title"), ("区委办公室区政府办公室关于进一步加强法律顾问团工作的通知", "title"),
        ("昌江区实行国家机关“谁执法谁普法”普法责任制的实施意见", "title")]
    assert ("调解E平台", "slogan", "disputes") in set(zip(by_pattern["term"], by_pattern["kind"], by_pattern["theme_id"]))
    assert ("检察", "word", "judicial") in set(zip(by_pattern["term"], by_pattern["kind"], by_pattern["theme_id"]))


def test_terms_never_match_inside_longer_words(sample_corpus, sample_text):
    hits = _hits(sample_corpus, {"x": ["执法"]})
    # 执法 is in the text 19 times, mostly inside 行政执法, 谁执法谁普法, 执法记录仪 …, which are other words
    assert sample_text.count("执法") == 19
    assert hits["term"].eq("执法").all()
    assert len(hits) == 2
    # a pattern is not added to the lexicon and matches whole tokens only: the one plain-jieba 执法 token
    pattern = _hits(sample_corpus, {"x": {"terms": ["不存在的词"], "patterns": ["执法"]}})
    assert pattern["term"].tolist() == ["执法"]
    assert len(pattern) == 1                               # a pattern also matches whole tokens only


def test_theme_terms_are_protected_in_segmentation(sample_corpus, sample_text):
    # not a lexicon word: plain jieba splits it, the theme dictionary makes it one token
    hits = _hits(sample_corpus, {"x": ["压缩企业开办时间"]})
    assert hits[["term", "start"]].values.tolist() == [["压缩企业开办时间", sample_text.index("压缩企业开办时间")]]


# ------------------------------------------------------------------------------------------ scores


def test_scores_by_doc(sample_store, sample_hits):
    scores = _scores(sample_store)
    assert list(scores.columns) == ["doc_id", *SCORE_COLUMNS]
    assert scores["theme_id"].tolist() == sorted(REQUIRED)
    assert scores["sentences"].eq(124).all()
    pufa = scores.set_index("theme_id").loc["pufa"]
    assert pufa[["hits", "chars", "sentences_with_theme"]].tolist() == [35, 6139, 17]
    assert pufa["hits_per_10k"] == pytest.approx(35 * 10_000 / 6139)
    assert pufa["sentence_share"] == pytest.approx(17 / 124)
    assert pufa["terms"].split("、")[:3] == ["普法宣传", "法律明白人", "以案释法"]
    assert scores.set_index("theme_id")["hits"].to_dict() == sample_hits["theme_id"].value_counts().to_dict()
    saohei = scores.set_index("theme_id").loc["saohei"]
    assert saohei["terms"] == "扫黑除恶、扫黑办、涉黑恶、涉黑涉恶、重点行业领域整治"


@pytest.mark.parametrize("theme_id, section_id", [
    ("pufa", "一(三)6"),                 # 扎实开展全民普法宣传
    ("saohei", "一(二)3"),               # 持续扫黑除恶，助力平安昌江建设
    ("fangguanfu", "一(二)2"),           # 强化法治保障，大力优化营商环境 (深化“放管服”改革)
    ("epidemic", "一(二)1"),             # 全面依法防控 (新冠肺炎疫情联防联控)
    ("decision", "一(三)1"),             # 完善重大行政决策制度
    ("enforcement", "一(三)3"),          # 全面推行行政执法“三项制度”
    ("openness", "一(三)4"),             # 主动做好政府信息公开
    ("review_litigation", "一(三)5"),    # 提升负责人出庭应诉率
    ("judicial", "一(四)1"),             # 深化司法体制改革
    ("disputes", "一(四)2"),             # 多元解纷
])
@pytest.mark.parametrize("measure", ["hits", "hits_per_10k"])
def test_theme_finds_its_own_section(level3, theme_id, section_id, measure):
    scores = level3[level3["theme_id"] == theme_id].sort_values(measure, ascending=False, kind="stable")
    assert scores["section_id"].iloc[0] == section_id
    assert scores[measure].iloc[0] > scores[measure].iloc[1]             # a clear winner, not a tie


@pytest.mark.parametrize("measure", ["hits", "hits_per_10k"])
def test_leadership_finds_its_part(sample_store, measure):
    # 组织领导 fills the whole of part 一(一) 坚持高位谋划 (its three items share it), so score at level 2
    scores = _scores(sample_store, by="section_l2").query("theme_id == 'leadership'")
    scores = scores.sort_values(measure, ascending=False, kind="stable")
    assert scores["section_l2"].tolist()[0] == "一(一)"
    assert scores[measure].iloc[0] > 3 * scores[measure].iloc[1]


def test_section_level_rolls_up_items(sample_store, level3):
    assert list(level3.columns) == ["doc_id", "section_id", *SCORE_COLUMNS]
    assert not level3["section_id"].str.contains("是").any()
    flat = _scores(sample_store, by="section_id")
    pufa_flat = flat[(flat["theme_id"] == "pufa") & flat["section_id"].str.startswith("一(三)6")]
    assert pufa_flat["section_id"].tolist() == ["一(三)6", "一(三)6一是", "一(三)6二是", "一(三)6三是", "一(三)6四是"]
    rolled = level3[(level3["theme_id"] == "pufa") & (level3["section_id"] == "一(三)6")].iloc[0]
    for col in ("hits", "chars", "sentences", "sentences_with_theme"):
        assert rolled[col] == pufa_flat[col].sum()
    assert rolled[["hits", "sentences"]].tolist() == [32, 16]
    # sections in text order, themes in dictionary order within each
    assert level3["section_id"].drop_duplicates().tolist()[:4] == ["0", "一", "一(一)", "一(一)1"]
    # every grouping accounts for all hits
    for by in ("section_id", "sentence_id", "section_l1", "section_l2"):
        assert _scores(sample_store, by=by)["hits"].sum() == level3["hits"].sum()


def test_scores_by_section_l2_equal_section_level(sample_store):
    a = _scores(sample_store, by="section_l2")
    b = _scores(sample_store, by="section_id", section_level=2)
    assert a.drop(columns="section_l2").equals(b.drop(columns="section_id"))
    assert a["section_l2"].tolist() == b["section_id"].tolist()


def test_scores_by_year_on_fixture_corpus(fixture_store):
    scores = _scores(fixture_store, by="year")
    assert list(scores.columns) == ["year", *SCORE_COLUMNS]
    assert len(scores) == 3 * len(REQUIRED)
    assert scores["year"].drop_duplicates().tolist() == [2019, 2020, 2021]
    pufa = scores[scores["theme_id"] == "pufa"]
    assert pufa["hits"].tolist() == [7, 7, 7]
    assert pufa["terms"].tolist() == ["普法宣传、法律明白人、法治讲座、谁执法谁普法"] * 3
    assert pufa["chars"].tolist() == [395, 393, 398]
    assert scores.loc[scores["theme_id"] == "epidemic", "hits"].tolist() == [0, 0, 0]
    by_region = _scores(fixture_store, by="region")
    assert by_region["region"].drop_duplicates().tolist() == ["北区", "安县"]
    assert by_region.loc[by_region["theme_id"] == "pufa", "hits"].tolist() == [7, 14]


@pytest.mark.parametrize("kwargs, message", [
    (dict(by="nope"), "by must be one of"),
    (dict(by="text"), "by must be one of"),
    (dict(by="doc_id", section_level=3), "section_level applies to by='section_id'"),
    (dict(by="section_id", section_level=7), "section_level must be one of"),
])
def test_scores_reject_bad_options(sample_store, kwargs, message):
    with pytest.raises(ValueError, match=message):
        _scores(sample_store, **kwargs)


def test_section_roll_up_needs_the_sections(sample_store, sample_hits, sample_sentences):
    with pytest.raises(ValueError, match="needs sections="):
        theme_scores(sample_hits, sample_sentences, corpus=sample_store.corpus, by="section_l2")


def test_hits_of_a_theme_the_dictionary_lacks_are_not_dropped_silently(sample_store, sample_hits,
                                                                        sample_sentences):
    only = {"saohei": list(load_themes().set_index("theme_id").loc["saohei", "terms"])}
    with pytest.raises(ValueError, match="not in the theme dictionary: decision, disputes"):
        theme_scores(sample_hits, sample_sentences, corpus=sample_store.corpus, themes=only)
    with pytest.raises(ValueError, match="themes=store.themes"):
        theme_sentences(sample_hits, sample_sentences, themes=only)
    mine = sample_hits[sample_hits["theme_id"] == "saohei"]
    scores = theme_scores(mine, sample_sentences, corpus=sample_store.corpus, themes=only)
    assert scores[["theme_id", "hits"]].values.tolist() == [["saohei", 6]]


# ------------------------------------------------------------------------------------------ sentences and samples


def test_theme_sentences(sample_store, sample_hits, sample_sentences, sample_text):
    sents = theme_sentences(sample_hits, sample_sentences, theme="saohei")
    assert list(sents.columns) == SENTENCE_COLUMNS
    assert sents["section_id"].tolist() == ["一(二)3", "一(二)3", "一(二)3", "一(二)3"]
    assert sents["hits"].tolist() == [1, 2, 1, 2]
    assert sents["terms"].tolist() == ["扫黑除恶", "扫黑办、涉黑涉恶", "涉黑恶", "扫黑除恶、重点行业领域整治"]
    for row in sents.itertuples():
        assert sample_text[row.start:row.end] == row.text
    every = theme_sentences(sample_hits, sample_sentences)
    assert set(every["theme_id"]) == set(REQUIRED)
    assert every.groupby("theme_id")["hits"].sum().to_dict() == \
        _scores(sample_store).set_index("theme_id")["hits"].to_dict()
    with pytest.raises(ValueError, match="theme must be one of"):
        theme_sentences(sample_hits, sample_sentences, theme="nope")


def test_theme_coding_sample_by_section_level(sample_store, sample_hits, sample_sentences):
    # the validation kit's sample (what notebook 03 shows) stratified by top-level part, as the old
    # themes.validation_sample was: half flagged, half unflagged, every part with flagged sentences drawn from
    args = dict(corpus=sample_store.corpus, sentences=sample_sentences, theme_hits=sample_hits,
                sections=sample_store.sections, n=20, stratify=["section_l1"], seed=0)
    sample = coding_sample("theme:pufa", **args)
    assert len(sample) == 20 and sample["predicted"].sum() == 10
    assert set(sample.loc[sample["predicted"] == 1, "section_l1"]) == {"一", "二"}
    assert sample["stratum"].str.fullmatch(r"section_l1=.+").all()
    # weights are inverse inclusion probabilities: they add up to the sentences of each kind (17 of 124 flagged)
    assert sample.loc[sample["predicted"] == 1, "weight"].sum() == pytest.approx(17, abs=1e-3)
    assert sample.loc[sample["predicted"] == 0, "weight"].sum() == pytest.approx(124 - 17, abs=1e-3)
    assert sample.equals(coding_sample("theme:pufa", **args))
    with pytest.raises(ValueError, match="needs the sections"):
        coding_sample("theme:pufa", **{**args, "sections": None})


# ------------------------------------------------------------------------------------------ audit


def test_theme_audit_ties_terms_to_tokens(sample_corpus, sample_text, sample_hits):
    audit = theme_audit(sample_corpus)
    assert list(audit.columns) == ["theme_id", "term", "occurrences", "whole", "in_longer", "in_protected",
                                   "split", "status"]
    assert len(audit) == sum(len(t) for t in load_themes()["terms"])
    for row in audit.itertuples():
        assert row.occurrences == sample_text.count(row.term)
        assert row.occurrences == row.whole + row.in_longer + row.in_protected + row.split
        assert row.whole == ((sample_hits["theme_id"] == row.theme_id) & (sample_hits["term"] == row.term)).sum()
    pufa = audit.set_index("term").loc["普法"]
    assert pufa[["occurrences", "whole", "in_longer", "in_protected", "split"]].tolist() == [16, 2, 11, 3, 0]


# ------------------------------------------------------------------------------------------ user themes


def _user_theme_file(folder: Path) -> Path:
    path = folder / "mine.toml"
    path.write_text('# my themes\n[themes.yingshang]\nlabel = "营商"\nterms = ["营商环境", "优化营商环境", "市场主体"]\n'
                    '[themes.pufa]\nlabel = "普法（只此一词）"\nterms = ["普法"]\n', encoding="utf-8")
    return path


def test_a_user_theme_file_adds_and_overrides_themes_in_the_store(sample_corpus, sample_text, tmp_path):
    path = _user_theme_file(tmp_path)
    store = open_corpus(sample_corpus, store=tmp_path / "store", themes=path, n_jobs=1, progress=False)
    assert set(store.themes["theme_id"]) == set(REQUIRED) | {"yingshang"}
    assert store.themes.set_index("theme_id").loc["pufa", "terms"] == ("普法",)
    hits = store.table("theme_hits", categories=False)
    mine = hits[hits["theme_id"] == "yingshang"]
    # 营商环境 occurs twice, once inside 优化营商环境 (the longer term wins the token); 市场主体 once
    assert sample_text.count("营商环境") == 2
    assert sorted(mine["term"]) == ["优化营商环境", "市场主体"]
    assert [sample_text[r.start:r.end] for r in mine.itertuples()] == mine["term"].tolist()
    assert set(hits.loc[hits["theme_id"] == "pufa", ["term", "entry"]].itertuples(index=False, name=None)) == {
        ("普法", "普法")}
    scores = _scores(store).set_index("theme_id")
    assert scores.loc["yingshang", ["label", "hits", "terms"]].tolist() == ["营商", 2, "优化营商环境、市场主体"]
    # the same as the tables made here with the same dictionary (bundled + the file)
    direct = _direct_scores(sample_corpus, load_themes(extra=path)).set_index("theme_id")
    assert direct.loc[scores.index, "hits"].tolist() == scores["hits"].tolist()


# ------------------------------------------------------------------------------------------ CLI


def test_cli_themes(sample_corpus, tmp_path, capsys):
    from lawgov_analysis.cli import main

    out = tmp_path / "scores.csv"
    assert main(["themes", str(ROOT / "data" / "reports"), "--by", "section_id", "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table.columns) == ["doc_id", "section_id", *SCORE_COLUMNS]
    assert len(table) == len(sections(sample_corpus)) * len(REQUIRED)
    mine = _user_theme_file(tmp_path)
    out = tmp_path / "mine.csv"
    assert main(["themes", str(ROOT / "data" / "reports"), "--themes", str(mine), "--out", str(out)]) == 0
    table = pd.read_csv(out, encoding="utf-8-sig").set_index("theme_id")
    assert set(table.index) == set(REQUIRED) | {"yingshang"}      # the bundled themes plus the user's
    assert table.loc["yingshang", ["label", "hits"]].tolist() == ["营商", 2]
    assert table.loc["pufa", "label"] == "普法（只此一词）"
    assert "adds themes to the bundled ones" in " ".join(_help(["themes", "--help"], capsys).split())


def _help(argv: list[str], capsys) -> str:
    from lawgov_analysis.cli import main

    with pytest.raises(SystemExit):
        main(argv)
    return capsys.readouterr().out


def test_module_api_is_listed():
    assert set(themes.__all__) >= {"load_themes", "theme_scores", "theme_sentences", "theme_hits", "theme_metrics"}
    for gone in ("validation_sample", "hits_from_tokens", "scores_from_hits"):
        assert not hasattr(themes, gone)


def test_scores_keep_reports_without_sentences():
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "text": ["今天天气很好。我们去公园普法。", ""]})
    scores = _direct_scores(corpus).query("theme_id == 'pufa'")
    assert scores[["doc_id", "hits", "chars", "sentences", "hits_per_10k", "terms"]].values.tolist() == [
        ["a", 1, 15, 2, pytest.approx(10_000 / 15), "普法"], ["b", 0, 0, 0, 0.0, ""]]


def test_theme_metrics_selects_the_themes_indicators():
    import pandas as pd

    from lawgov_analysis.analysis.themes import theme_metrics

    table = pd.DataFrame({"doc_id": ["d"] * 4, "surface": ["300余场", "2件", "9187户", "5个"],
                          "indicator_id": ["pufa.events", "sweep.clues", "market.new_entities", "other"]})
    assert theme_metrics(table, "pufa")["surface"].tolist() == ["300余场"]
    assert theme_metrics(table, "saohei")["surface"].tolist() == ["2件"]
    assert theme_metrics(table, "fangguanfu")["surface"].tolist() == ["9187户"]
    with pytest.raises(ValueError, match="theme must be one of"):
        theme_metrics(table, "nope")


# ------------------------------------------------------------------------------------------ lookup over tokens


def test_theme_hits_is_the_per_token_match(sample_corpus, sample_hits):
    from lawgov_analysis.analysis.themes import _Matcher

    table = load_themes()
    tokens = tokenize(sample_corpus, lexicon=lexicon_terms(table))
    matcher = _Matcher(table)
    rows = [(r.doc_id, r.section_id, r.sentence_id, r.token_id, r.start, r.end, r.token, r.kind, theme, entry)
            for r in tokens.itertuples(index=False) if r.kind in ("word", "title", "slogan")
            for theme, entry in matcher(r.token, r.kind)]
    order = {t: i for i, t in enumerate(table["theme_id"])}
    rows.sort(key=lambda x: (x[0], x[3], order[x[8]]))
    expected = pd.DataFrame(rows, columns=HIT_COLUMNS)
    got = theme_hits(tokens, themes=table)
    assert len(got) == len(sample_hits) > 100
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    pd.testing.assert_frame_equal(sample_hits, expected, check_dtype=False)      # the store's hits are the same
    cat = tokens.astype({c: "category" for c in ("doc_id", "section_id", "token", "kind")})
    pd.testing.assert_frame_equal(theme_hits(cat, themes=table), expected, check_dtype=False)
    assert theme_hits(tokens.iloc[0:0], themes=table).columns.tolist() == HIT_COLUMNS


@pytest.mark.parametrize("by", ["doc_id", "section_id", "sentence_id", "section_l2", "year"])
def test_scores_from_the_store_equal_scores_from_the_corpus_tables(sample_store, sample_corpus, by):
    pd.testing.assert_frame_equal(_scores(sample_store, by=by), _direct_scores(sample_corpus, by=by),
                                  check_dtype=False)


@pytest.mark.parametrize("by", ["doc_id", "year", "region", "section_l1"])
def test_fixture_store_scores_equal_scores_from_the_corpus_tables(fixture_store, fixture_corpus, by):
    pd.testing.assert_frame_equal(_scores(fixture_store, by=by), _direct_scores(fixture_corpus, by=by),
                                  check_dtype=False)


def test_sentences_from_categorical_tables(sample_store, sample_hits, sample_sentences):
    sents = sample_store.table("sentences")                   # categorical keys, as the store reads them
    hits = sample_store.table("theme_hits")
    assert isinstance(hits["theme_id"].dtype, pd.CategoricalDtype)
    got = theme_sentences(hits, sents, theme="pufa")
    pd.testing.assert_frame_equal(got, theme_sentences(sample_hits, sample_sentences, theme="pufa"),
                                  check_dtype=False)
    assert len(got) == 17


def test_build_and_report_take_a_user_theme_file(tmp_path, capsys, monkeypatch):
    from lawgov_analysis.cli import main
    from lawgov_analysis.report import build as report_build

    mine = _user_theme_file(tmp_path)
    assert main(["build", str(ROOT / "data" / "reports"), "--out", str(tmp_path / "store"), "--themes", str(mine),
                 "--jobs", "1"]) == 0
    store = open_corpus(tmp_path / "store")
    hits = store.table("theme_hits", categories=False)
    assert sorted(hits.loc[hits["theme_id"] == "yingshang", "term"]) == ["优化营商环境", "市场主体"]
    assert "pufa" in set(store.themes["theme_id"]) and "saohei" in set(store.themes["theme_id"])
    # report --themes: a store keeps its dictionary (one line, exit 2); reports are built with the file
    assert main(["report", "--corpus", str(tmp_path / "store"), "--out", str(tmp_path / "html"),
                 "--themes", str(mine)]) == 2
    assert "keeps the theme dictionary it was built with" in capsys.readouterr().err
    seen = {}

    def opened(source, **options):
        seen.update(options)
        raise report_build.CorpusInputError("stop after opening")

    monkeypatch.setattr(report_build, "open_corpus", opened)
    assert main(["report", "--corpus", str(ROOT / "data" / "reports"), "--out", str(tmp_path / "html"),
                 "--themes", str(mine)]) == 2
    assert seen["themes"] == str(mine)


def test_a_user_theme_gets_a_report_page(tmp_path):
    from lawgov_analysis.report.build import report_pages
    from lawgov_analysis.report.notebooks import find_notebooks

    mine = _user_theme_file(tmp_path)              # yingshang is new, pufa overrides a theme that has a page
    bundled = report_pages(find_notebooks())
    pages = report_pages(find_notebooks(), themes=mine)
    added = [p for p in pages if p not in bundled]
    assert [(stem, title, params) for _, stem, title, params in added] == [
        ("03_theme_yingshang", "03 · 营商 (your theme)", {"theme": "yingshang"})]
    stems = [stem for _, stem, _, _ in pages]
    assert stems.index("03_theme_yingshang") == stems.index("05_theme_fangguanfu") + 1


def test_sentences_with_theme_counts_each_report_s_sentences_in_a_group():
    sentences = pd.DataFrame({"doc_id": ["a", "b"], "section_id": ["", ""], "sentence_id": [0, 0],
                              "start": [0, 0], "end": [10, 10]})
    hits = pd.DataFrame({"doc_id": ["a", "b"], "section_id": ["", ""], "sentence_id": [0, 0], "token_id": [1, 1],
                         "start": [2, 2], "end": [4, 4], "term": ["普法", "普法"], "kind": ["word", "word"],
                         "theme_id": ["pufa", "pufa"], "entry": ["普法", "普法"]})
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "year": [2021, 2021]})
    got = theme_scores(hits, sentences, corpus=corpus, by="year")
    row = got[got["theme_id"] == "pufa"].iloc[0]
    assert (row["hits"], row["sentences"], row["sentences_with_theme"], row["sentence_share"]) == (2, 2, 2, 1.0)


def test_theme_hits_arrow_equals_theme_hits(sample_corpus, fixture_corpus):
    """The build's lookup over an Arrow token table converts only matching rows: same table as theme_hits."""
    import pyarrow as pa

    corpus = pd.concat([sample_corpus[["doc_id", "text"]], fixture_corpus[["doc_id", "text"]]], ignore_index=True)
    table = load_themes(extra={"extra_theme": {"label": "额外", "definition": "测试用的主题", "terms": ["普法"],
                                               "patterns": ["《.*条例》"]}})
    tokens = tokenize(corpus, lexicon=lexicon_terms(table), cache=False)
    expected = theme_hits(tokens, themes=table)
    assert len(expected) > 100 and "extra_theme" in set(expected["theme_id"])
    arrow = pa.Table.from_pandas(tokens.astype({c: str for c in ("doc_id", "section_id", "token", "kind")}),
                                 preserve_index=False)
    pd.testing.assert_frame_equal(themes.theme_hits_arrow(arrow, themes=table), expected)
    none = themes.theme_hits_arrow(arrow.filter(pa.compute.equal(arrow["kind"], "punct")), themes=table)
    pd.testing.assert_frame_equal(none, theme_hits(tokens[tokens["kind"] == "punct"], themes=table))
    assert none.empty
    with pytest.raises(ValueError, match="missing column"):
        themes.theme_hits_arrow(arrow.drop_columns(["kind"]), themes=table)
