"""The learned indicator component (lawgov_analysis.measures.indicator_model): features, predictions on fixed
phrases, how it combines with the rules, determinism, and that its bundled training table is up to date."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.measures import indicator_features as features
from lawgov_analysis.measures import indicator_model as im
from lawgov_analysis.measures import indicator_training

ROOT = Path(__file__).resolve().parent.parent


def _predict(text: str, surface: str, unit: str) -> tuple[str, float]:
    k = text.index(surface)
    return im.predict_mentions(text, [(k, k + len(surface), unit)])[0]


def test_features_mask_digits_and_mark_the_mention():
    text = "2022年,本院全年审结各类案件9,876件,同比上升5.1%。受理行政复议申请17件"
    k = text.index("9,876件")
    feats = im.mention_features(text, [(k, k + 6, "件")])
    # the text opens on 本院 … 审结 (a court's words, twice): reporter is court
    assert feats.iloc[0].tolist() == ["本院全年审结各类案件", "本院全年审结各类案件§", "", "0年", "0年", "", "", "court", "",
                                      "件"]
    k = text.index("17件")
    feats = im.mention_features(text, [(k, k + 3, "件")])
    # past the paragraph's first sentence: its opening is the lead
    assert feats.iloc[0].tolist() == ["受理行政复议申请", "受理行政复议申请§", "", "", "", "0年,本院全年审结各类案件", "",
                                      "court", "", "件"]
    # the opening of the sentence names who was trained (officials: pufa.exams)
    text = "组织干部职工开展法治培训10场次,覆盖500余人次。"
    k = text.index("500余人次")
    feats = im.mention_features(text, [(k, k + 6, "人次")])
    assert feats[["opening", "audience"]].iloc[0].tolist() == ["组织干部职工开展法治培训", "officials"]


def test_reporter_needs_two_words_and_audience_names_whom_the_sentence_is_about():
    # one court word in a department's report (申请法院强制执行) does not make it a court's report
    text = "我局共办理简易程序案件5560件。申请法院强制执行9件。"
    k = text.index("5560件")
    assert im.mention_features(text, [(k, k + 5, "件")])["reporter"].tolist() == [""]
    text = "全年审结各类案件9876件"
    assert im.mention_features(text, [(8, 13, "件")])["reporter"].tolist() == [""]
    text = "开展法治宣讲进校园活动12场,覆盖学生3000余人次。组织党员干部和群众观看庭审直播2次。"
    spans = [(text.index(s), text.index(s) + len(s), u) for s, u in [("12场", "场"), ("2次", "次")]]
    assert im.mention_features(text, spans)["audience"].tolist() == ["public", "officials+public"]


def test_rule_terms_are_features():
    rows = features.feature_rows("全年共收到行政复议申请17件", [(11, 14, "件")])
    tokens = im._analyze(rows[0])
    # the words before the number and the clause hold the terms of the review.cases rules
    assert "kLreview.cases" in tokens and "kCreview.cases" in tokens
    assert not [t for t in tokens if t.startswith("kP") or t.startswith("kH")]  # no lead, no heading


def test_court_procuratorate_and_police_ids_need_support():
    # a 城管局's cases: no court words near them and no court reporter, so never court.cases
    text = "2022年度,我局共办理简易程序案件55603件。其中渣土类案件669件,非现场案件40件。"
    spans = [(text.index(s), text.index(s) + len(s), "件") for s in ("669件", "40件")]
    preds = im.predict_mentions(text, spans)
    assert all({"court.cases", "procuratorate.cases", "policing.criminal_cases"} <= p.unsupported for p in preds)
    assert not {p.indicator_id for p in preds} & {"court.cases", "procuratorate.cases", "policing.criminal_cases"}
    # in a court's report the same words are supported
    text = "本院审判工作稳步推进。全院审结各类案件5530件。"
    k = text.index("5530件")
    assert "court.cases" not in im.predict_mentions(text, [(k, k + 5, "件")])[0].unsupported


def test_rules_for_legality_reviews_and_year_on_year_changes():
    from lawgov_analysis.measures.metrics import extract_metrics

    text = ("全年审查规范性文件、合同等6件。实施行政规范性文件合法性审查5件次。备案审查规范性文件12件。"
            "我局共办理简易程序案件5560件,案件数量同比增长4.7%。")
    with im.rules_only():
        got = extract_metrics(pd.DataFrame({"doc_id": ["d"], "text": [text]}))
    ids = dict(zip(got["surface"], got["indicator_id"]))
    assert ids["6件"] == ids["5件次"] == "decision.legality_reviews"
    assert ids["12件"] == "rules.normative_documents"
    # the change takes the id of the count that changed (docs/spec/indicators.md)
    assert ids["5560件"] == ids["4.7%"] == "enforcement.cases"


def test_lead_heading_and_reporter_features():
    text = ("一、强化行政复议，化解行政争议\n扎实推进行政复议体制改革。全年收到行政复议申请58件，办结51件。\n"
            "二、普法\n发放宣传资料3000份。")
    spans = [(text.index(s), text.index(s) + len(s), u) for s, u in [("58件", "件"), ("3000份", "份")]]
    feats = im.mention_features(text, spans)
    assert feats["lead"].tolist() == ["扎实推进行政复议体制改革", ""]  # 3000份 is in its paragraph's first sentence
    assert feats["heading"].tolist() == ["一、强化行政复议", "二、普法"]
    assert feats["reporter"].tolist() == ["", ""]
    text = "洪山区人民检察院工作报告\n本年批准逮捕犯罪嫌疑人1573人，检察机关提起公诉2030人。"
    k = text.index("1573人")
    assert im.mention_features(text, [(k, k + 5, "人")])["reporter"].tolist() == ["procuratorate"]


def test_no_spans_gives_empty_table_with_columns():
    feats = im.mention_features("没有数字", [])
    assert list(feats.columns) == ["left", "clause", "right", "before", "opening", "lead", "heading", "reporter",
                                   "audience", "unit"]
    assert len(feats) == 0


@pytest.mark.parametrize("text, surface, unit, expected", [
    ("本院全年受理各类案件5210件,审结4876件", "5210件", "件", "court.cases"),
    ("组织领导干部集中学法14次", "14次", "次", "pufa.exams"),
    ("发放法治宣传资料3500余份", "3500余份", "份", "pufa.materials"),
    ("全年共收到行政复议申请17件", "17件", "件", "review.cases"),
    ("全区5个集体获得省级表彰", "5个", "个", "other"),
    ("审结一审行政诉讼案件44件", "44件", "件", "litigation.closed"),
    ("开展执法人员专题培训6场次", "6场次", "场次", "enforcement.training"),
])
def test_predictions_on_fixed_phrases(text, surface, unit, expected):
    assert _predict(text, surface, unit)[0] == expected


def test_combine_keeps_rules_unless_the_model_is_confident():
    lo, hi = im.FILL_THRESHOLD - 0.1, im.OVERRIDE_THRESHOLD + 0.1
    # no rule matched: the model fills in only when confident, else the rules' fallback (other) stays
    assert im.combine("other", False, ("court.cases", hi)) == "court.cases"
    assert im.combine("other", False, ("court.cases", lo)) == "other"
    # a rule matched: its id stays unless the model is confident of another one
    assert im.combine("pufa.events", True, ("pufa.exams", im.OVERRIDE_THRESHOLD - 0.01)) == "pufa.events"
    assert im.combine("pufa.events", True, ("pufa.exams", hi)) == "pufa.exams"
    # an explicit other rule (批示, 述法) is never overridden; no prediction keeps the rules' id
    assert im.combine("other", True, ("court.cases", 5.0)) == "other"
    assert im.combine("review.cases", True, None) == "review.cases"
    # with every id's score: the model must also be sure the rule's id is wrong (margin)
    near = im.Prediction("pufa.exams", hi, {"pufa.events": hi - im.OVERRIDE_MARGIN + 0.01, "pufa.exams": hi})
    far = im.Prediction("pufa.exams", hi, {"pufa.events": hi - im.OVERRIDE_MARGIN - 0.01, "pufa.exams": hi})
    assert im.combine("pufa.events", True, near) == "pufa.events"
    assert im.combine("pufa.events", True, far) == "pufa.exams"


def test_combine_keeps_a_continued_id_unless_the_model_is_sure():
    # no rule matched, but the count continues the previous count of its sentence (the rules give its id): a
    # score that would fill an empty id does not replace a continued one (round 5)
    weak = im.CONTINUE_THRESHOLD - 0.01
    assert weak >= im.FILL_THRESHOLD
    assert im.combine("other", False, ("review.closed", weak)) == "review.closed"
    assert im.combine("policing.criminal_cases", False, ("other", weak)) == "policing.criminal_cases"
    sure = im.CONTINUE_THRESHOLD + 0.1
    near = im.Prediction("other", sure, {"policing.criminal_cases": sure - im.CONTINUE_MARGIN + 0.01, "other": sure})
    far = im.Prediction("other", sure, {"policing.criminal_cases": sure - im.CONTINUE_MARGIN - 0.01, "other": sure})
    assert im.combine("policing.criminal_cases", False, near) == "policing.criminal_cases"
    assert im.combine("policing.criminal_cases", False, far) == "other"


def test_user_rules_restrict_the_model_to_their_ids():
    rows = im.mention_features("全年共收到行政复议申请17件", [(11, 14, "件")])
    rows = list(rows.itertuples(index=False, name=None))
    model = im.default_model()
    assert model.predict_rows(rows)[0].indicator_id == "review.cases"
    # a user's rule set that the model knows nothing of: no prediction at all
    assert model.predict_rows(rows, allowed=frozenset({"custom.trees"})) == []
    # a user's rule set with some known ids: only those can win
    got = model.predict_rows(rows, allowed=frozenset({"court.cases", "pufa.events"}))[0]
    assert got.indicator_id in {"court.cases", "pufa.events"}
    assert im.predict_mentions("全年共收到行政复议申请17件", [(11, 14, "件")], allowed=frozenset({"x.y"})) is None


def test_prediction_cache_gives_the_same_answer():
    model = im.default_model()
    rows = list(im.mention_features("组织领导干部集中学法14次", [(10, 13, "次")]).itertuples(index=False, name=None))
    first = model.predict_rows(rows)[0]
    again = model.predict_rows(rows)[0]
    assert again is first  # the cached prediction
    fresh = model.predict_rows(rows, allowed=frozenset(model.classes_))[0]  # computed anew
    assert (fresh.indicator_id, round(fresh.score, 12)) == (first.indicator_id, round(first.score, 12))


def test_rules_only_switches_the_model_off():
    with im.rules_only():
        assert im.predict_mentions("受理行政复议申请17件", [(8, 11, "件")]) is None
    assert im.predict_mentions("受理行政复议申请17件", [(8, 11, "件")])[0][0] == "review.cases"


def test_fitting_is_deterministic():
    table = im.load_training_table()
    feats = im.mention_features("全年共办理法律援助案件326件", [(11, 15, "件")])
    a = im.IndicatorModel().fit(table).decision_function(feats)
    b = im.IndicatorModel().fit(table).decision_function(feats)
    assert np.array_equal(a, b)
    assert im.default_model() is im.default_model()  # fitted once per process


def test_training_table_has_every_source_and_only_known_ids():
    import tomllib
    table = im.load_training_table()
    assert set(table["source"]) == {"seed", "blind", "written"}
    assert (table["source"] == "seed").sum() == len(pd.read_csv(ROOT / "data" / "gold" / "seed_indicators.csv"))
    labels = tomllib.loads((ROOT / "lawgov_analysis" / "resources" / "indicators.toml").read_text("utf-8"))["labels"]
    assert set(table["indicator_id"]) <= set(labels) | {"other"}
    # the blind holdout paragraphs stay out of training
    blind = tomllib.loads((ROOT / "tests" / "data" / "indicators_blind.toml").read_text("utf-8"))
    n_train = sum(len(p["mentions"]) for p in blind["paragraph"] if p["split"] != "holdout")
    assert (table["source"] == "blind").sum() == n_train


def test_bad_training_table_names_the_file(tmp_path):
    bad = tmp_path / "t.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a training table"):
        im.load_training_table(bad)


def test_bundled_training_table_is_up_to_date():
    built = indicator_training.build_training_table(seed_dir=ROOT / "data", blind_file=ROOT / "tests" / "data" / "indicators_blind.toml")
    bundled = im.load_training_table()
    pd.testing.assert_frame_equal(built.reset_index(drop=True), bundled.reset_index(drop=True), check_dtype=False)
