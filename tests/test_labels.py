"""Report labels and orders: region·year labels, document order of sections, levels top down, government names."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lawgov_analysis.core.government import government_key
from lawgov_analysis.present.labels import (
    REPORT_COLUMNS,
    category_order,
    government_labels,
    join_report_columns,
    report_labels,
    report_order,
    section_sort_key,
    value_text,
)


@pytest.mark.parametrize("value, text", [(2021.0, "2021"), (np.float64(2020.0), "2020"), (2.5, "2.5"),
                                         (None, ""), (np.nan, ""), (pd.NA, ""), (" 安县 ", "安县"), (7, "7")])
def test_value_text(value, text):
    assert value_text(value) == text


def test_section_sort_key_follows_the_numbering():
    sections = ["一(三)", "一(二)", "一(十)", "二", "一(一)", "一(九)", "第三部分", "附件"]
    assert sorted(sections, key=section_sort_key) == \
        ["一(一)", "一(二)", "一(三)", "一(九)", "一(十)", "二", "第三部分", "附件"]
    assert section_sort_key("一(三)6") == (0, (1, 3, 6), "一(三)6")


def test_report_labels_region_department_year_and_duplicates():
    table = pd.DataFrame({"doc_id": ["a", "b", "c", "d", "a"],
                          "region": ["安县", "安县", "", "北区", "安县"],
                          "department": ["", "", "", "司法局", ""],
                          "year": [2020.0, 2020.0, None, 2021.0, 2020.0]})
    labels = report_labels(table)
    assert labels.index.name == "doc_id" and labels.name == "label"
    # one label per doc_id; two reports with one label get their doc_id; a report without metadata is its doc_id
    assert labels.to_dict() == {"a": "安县·2020 (a)", "b": "安县·2020 (b)", "c": "c", "d": "北区·司法局·2021"}
    with pytest.raises(ValueError, match="missing column"):
        report_labels(table.drop(columns="doc_id"))
    with pytest.raises(TypeError, match="must be a pandas DataFrame"):
        report_labels(["a"])


def test_report_order_by_province_level_region_year():
    table = pd.DataFrame({"doc_id": ["x4", "x3", "x2", "x1", "x0"],
                          "province": ["乙省", "甲省", "甲省", "甲省", "甲省"],
                          "level": ["省", "县", "市", "县", ""],
                          "region": ["乙省", "安县", "甲市", "安县", "无名"],
                          "year": [2019, 2021, 2021, 2020, 2019]})
    # provinces by their text (乙 U+4E59 before 甲 U+7532); in one province levels top down, unknown last
    assert report_order(table) == ["x4", "x2", "x1", "x3", "x0"]


def test_category_order_levels_sections_numbers():
    assert category_order(pd.Series(["县", "乡镇", "省", "区", "部门"]), "level") == ["省", "区", "县", "乡镇", "部门"]
    assert category_order(pd.Series(["一(十)", "一(二)", "二"]), "section_l2") == ["一(二)", "一(十)", "二"]
    assert category_order(pd.Series([2021, 2019, 2020, 2019]), "year") == [2019, 2020, 2021]
    assert category_order(pd.Series(["b", 1, "a"]), "kind") == [1, "a", "b"]  # mixed types: by text


def test_government_labels_name_each_government_once():
    towns = pd.DataFrame({"region": ["城关镇", "城关镇", "城关镇", "安县", ""],
                          "region_code": ["", "", "", "360101", "360102"],
                          "province": ["甘肃省"] * 3 + ["江西省"] * 2, "city": ["兰州市", "天水市", "兰州市", "", ""],
                          "level": ["乡镇", "乡镇", "乡镇", "县", "区"], "department": [""] * 5})
    key = government_key(towns)
    labels = government_labels(towns, key)
    assert len(labels) == 4
    # one name in two cities: the province and city tell them apart; a level already in the name is not repeated
    assert labels[key[0]] == "城关镇 (乡镇) · 甘肃省兰州市" and labels[key[1]] == "城关镇 (乡镇) · 甘肃省天水市"
    assert labels[key[3]] == "安县"
    assert labels[key[4]] == "360102 (区)"  # no name: the region code


def test_join_report_columns_adds_only_what_the_table_lacks():
    scores = pd.DataFrame({"doc_id": ["b", "a", "b"], "level": ["县", "区", "县"], "hits": [1, 2, 3]})
    corpus = pd.DataFrame({"doc_id": ["a", "b"], "level": ["省", "省"], "year": [2020, 2021], "text": ["…", "…"]})
    joined = join_report_columns(scores, corpus)
    assert list(joined.columns) == ["doc_id", "level", "hits", "year"]  # level kept, text is not a report column
    assert joined["year"].tolist() == [2021, 2020, 2021] and joined["level"].tolist() == ["县", "区", "县"]
    assert join_report_columns(scores, None) is scores
    assert list(join_report_columns(scores, corpus, columns=["text"]).columns)[-1] == "text"
    assert "text" not in REPORT_COLUMNS


def test_government_key_tells_apart_towns_of_one_name_in_different_cities():
    towns = pd.DataFrame({"region": ["城关镇"] * 3, "region_code": [""] * 3, "province": ["甘肃省"] * 3,
                          "city": ["兰州市", "天水市", "兰州市"], "level": ["乡镇"] * 3, "department": [""] * 3})
    key = government_key(towns).tolist()
    assert key[0] == key[2] and key[0] != key[1]
