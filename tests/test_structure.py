"""Sections and sentences: the sample's tree, hand-made edge cases, and properties on arbitrary text."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lawgov_analysis.text.structure import (
    SECTION_COLUMNS,
    SENTENCE_COLUMNS,
    section_outline,
    sections,
    sentences,
    split_report,
    with_section_level,
)


def _one(text: str, doc_id: str = "d") -> pd.DataFrame:
    return pd.DataFrame({"doc_id": [doc_id], "text": [text]})


@pytest.fixture(scope="module")
def sample_sections(sample_corpus):
    return sections(sample_corpus)


@pytest.fixture(scope="module")
def sample_sentences(sample_corpus):
    return sentences(sample_corpus)


def test_sample_section_tree(sample_sections, sample_text):
    assert list(sample_sections.columns) == SECTION_COLUMNS
    top = sample_sections[sample_sections["level"] == 1]
    assert top["section_id"].tolist() == ["一", "二"]
    assert top["heading"].tolist() == ["全区法治政府建设推进情况", "存在问题及下步工作打算"]
    second = sample_sections[sample_sections["parent_id"] == "一"]
    assert second["section_id"].tolist() == ["一(一)", "一(二)", "一(三)", "一(四)"]
    assert second["marker"].tolist() == ["(一)", "(二)", "(三)", "(四)"]
    third = sample_sections[sample_sections["parent_id"] == "一(三)"]
    assert third["section_id"].tolist() == [f"一(三){i}" for i in range(1, 7)]
    pufa = sample_sections.set_index("section_id").loc["一(三)6"]
    assert pufa["heading"] == "扎实开展全民普法宣传"
    assert sample_text[pufa["start"]:pufa["end"]].startswith("6、扎实开展全民普法宣传。一是持续落实")
    items = sample_sections[sample_sections["parent_id"] == "一(三)6"]["section_id"].tolist()
    assert items == ["一(三)6一是", "一(三)6二是", "一(三)6三是", "一(三)6四是"]
    assert sample_sections.iloc[0][["section_id", "level", "start"]].tolist() == ["0", 0, 0]


def test_sample_sections_nest(sample_sections):
    spans = sample_sections.set_index("section_id")
    for row in sample_sections.itertuples():
        if row.parent_id:
            parent = spans.loc[row.parent_id]
            assert parent["start"] <= row.start < row.end <= parent["end"]
            assert parent["level"] < row.level


def test_sample_sentences(sample_sentences, sample_text):
    assert list(sample_sentences.columns) == SENTENCE_COLUMNS
    assert sample_sentences["sentence_id"].tolist() == list(range(len(sample_sentences)))
    for row in sample_sentences.itertuples():
        assert sample_text[row.start:row.end] == row.text
    # 《…》 keeps its punctuation inside one sentence; the heading line is its own sentence
    titles = sample_sentences[sample_sentences["text"].str.contains("法治昌江建设规划")]
    assert len(titles) == 1 and titles.iloc[0]["text"].endswith("顺利开展。")
    heading = sample_sentences[sample_sentences["text"] == "6、扎实开展全民普法宣传。"]
    assert heading["section_id"].tolist() == ["一(三)6"]
    item = sample_sentences[sample_sentences["text"].str.startswith("一是持续落实“谁执法谁普法”责任制")]
    assert item["section_id"].tolist() == ["一(三)6一是"]
    assert sample_sentences.iloc[0]["section_id"] == "0"


def test_with_section_level_rolls_up(sample_sentences, sample_sections):
    rolled = with_section_level(sample_sentences, sample_sections, level=2)
    assert set(rolled["section_l2"]) == {"0", "一", "一(一)", "一(二)", "一(三)", "一(四)", "二"}
    rolled3 = with_section_level(sample_sentences, sample_sections, level=3, column="part")
    assert "一(三)6" in set(rolled3["part"]) and not any("是" in s for s in rolled3["part"])
    assert len(rolled) == len(sample_sentences)


def test_outline(sample_sections):
    outline = section_outline(sample_sections)
    assert outline.loc[outline["section_id"] == "一(三)6", "outline"].item() == "\u3000\u30006、扎实开展全民普法宣传"


@pytest.mark.parametrize("text, ids", [
    ("一、总体情况\n（一）组织领导\n1.健全机构。一是建立制度；二是落实责任。\n2．完善考核。\n二、问题",
     ["一", "一(一)", "一(一)1", "一(一)1一是", "一(一)1二是", "一(一)2", "二"]),
    ("前言。\n1.5万人参加。\n一、正文", ["0", "一"]),               # 1.5 is a decimal, not a heading
    ("一、甲\n统一是关键。二是没有一是在前。", ["一"]),                 # 统一是 is a word; 二是 without 一是
    ("（一）只有二级\n1、三级\n（二）又一个", ["(一)", "(一)1", "(二)"]),
    ("没有任何编号的一段话。", ["0"]),
    ("一、甲\n一、甲又来", ["一", "一~2"]),                                # repeated numbering stays unique
])
def test_section_ids(text, ids):
    assert sections(_one(text))["section_id"].tolist() == ids


@pytest.mark.parametrize("text, expected", [
    ("甲。乙！丙？丁；戊", ["甲。", "乙！", "丙？", "丁；", "戊"]),
    ("印发《关于A。B的通知》。下一句", ["印发《关于A。B的通知》。", "下一句"]),
    ("他说“要依法。”然后离开。", ["他说“要依法。”", "然后离开。"]),
    ("括号（其中。一）内。外", ["括号（其中。一）内。", "外"]),
    ("未闭合《书名\n下一行。", ["未闭合《书名", "下一行。"]),
    ("  前后空白。 \n\n", ["前后空白。"]),
])
def test_sentence_splitting(text, expected):
    assert sentences(_one(text))["text"].tolist() == expected


def test_stable_across_runs(sample_corpus):
    assert sentences(sample_corpus).equals(sentences(sample_corpus))
    assert sections(sample_corpus).equals(sections(sample_corpus))


_ALPHABET = st.sampled_from(list("一二三四五是、.．()（）《》“”‘’【】[]。！？；;!?\n \t\u3000法治1203ab是的"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(_ALPHABET, max_size=200), st.text(max_size=200)))
def test_properties_on_arbitrary_text(text):
    corpus = _one(text)
    secs = sections(corpus)
    sents = sentences(corpus, sections_table=secs)
    covered = [False] * len(text)
    last_end = 0
    for row in sents.itertuples():
        assert text[row.start:row.end] == row.text
        assert row.start >= last_end and row.end > row.start  # ordered, no overlap, not empty
        assert row.text == row.text.strip()
        last_end = row.end
        for i in range(row.start, row.end):
            covered[i] = True
        assert row.section_id in set(secs["section_id"]) | {"0"}
    assert all(covered[i] for i, ch in enumerate(text) if not ch.isspace())
    for row in secs.itertuples():
        assert 0 <= row.start <= row.end <= len(text)


def test_split_report_gives_the_rows_of_the_tables(sample_corpus):
    from .corpus_factory import corpus_table

    corpus = pd.concat([sample_corpus[["doc_id", "text"]],
                        corpus_table("cross_section", size=12)[["doc_id", "text"]],
                        _one("一、总体\n文字。（一）小节：一是甲；二是乙。", "tiny"), _one("  \n ", "blank")],
                       ignore_index=True)
    secs = sections(corpus)
    sents = sentences(corpus, sections_table=secs)
    for doc_id, text in zip(corpus["doc_id"], corpus["text"]):
        got_secs, got_sents = split_report(text)
        want_secs = secs[secs["doc_id"] == doc_id].drop(columns="doc_id")
        want_sents = sents[sents["doc_id"] == doc_id]
        assert got_secs == list(want_secs.itertuples(index=False, name=None))
        assert got_sents == list(zip(want_sents["start"], want_sents["end"], want_sents["section_id"]))
        assert want_sents["sentence_id"].tolist() == list(range(len(got_sents)))
    assert split_report("  \n ") == ([], [])
    assert split_report("一、总体\n文字。")[1] == [(0, 4, "一"), (5, 8, "一")]
