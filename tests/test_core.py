"""The domain's shared facts (core/): the level vocabulary and government identity, one definition each."""

from __future__ import annotations

import pandas as pd
import pytest

from lawgov_analysis.core.government import government_key
from lawgov_analysis.core.levels import LEVELS, is_higher_level, level_rank, normalize_level
from lawgov_analysis.io.manifest import manifest_level


@pytest.mark.parametrize(("cell", "level"), [
    ("镇", "乡镇"), ("乡", "乡镇"), ("街道办事处", "街道"), ("自治区", "省"), ("直辖市", "省"), ("自治州", "市"),
    ("旗", "县"), ("县级市", "县"), ("市辖区", "区"), ("department", "部门"), ("县", "县"), ("村", ""), ("", ""),
    (None, ""), (float("nan"), ""),
])
def test_normalize_level(cell, level):
    assert normalize_level(cell) == level


def test_the_manifest_reads_levels_with_the_same_vocabulary():
    assert [manifest_level(c) for c in ("镇", "自治区", "部门", "")] == ["乡镇", "省", "部门", ""]
    with pytest.raises(ValueError, match="'村' is not a level"):
        manifest_level("村")


def test_levels_sort_top_down_unknown_then_empty_last():
    assert sorted(["部门", "", "街道", "县", "市", "省", "村", "区"], key=level_rank) == \
        ["省", "市", "区", "县", "街道", "部门", "村", ""]
    assert LEVELS == ("省", "市", "区", "县", "乡镇", "街道", "部门")


@pytest.mark.parametrize(("a", "b", "higher"), [
    ("市", "县", True), ("省", "乡镇", True), ("县", "区", False), ("县", "乡镇", True), ("部门", "乡镇", False),
    ("区", "市", False), ("", "县", False),
])
def test_is_higher_level(a, b, higher):
    assert is_higher_level(a, b) is higher


def test_government_key_joins_code_and_name_and_keeps_unknowns_apart():
    t = pd.DataFrame({
        "doc_id": ["a20", "a21", "b21", "x", "y", "d21"],
        "region_code": ["360202", "", "", "", "", "360202"],
        "province": ["江西省", "江西省", "江西省", "", "", "江西省"],
        "city": ["景德镇市", "景德镇市", "景德镇市", "", "", "景德镇市"],
        "region": ["昌江区", "昌江区", "珠山区", "", "", "昌江区"],
        "level": ["区", "区", "区", "县", "县", "部门"],
        "department": ["", "", "", "", "", "司法局"],
    })
    keys = government_key(t).tolist()
    assert keys[0] == keys[1] == "code:360202|区|"            # an uncoded report joins its coded government
    assert keys[2] == "name:江西省/景德镇市/珠山区|区|"
    assert keys[3] is pd.NA and keys[4] is pd.NA               # no code, no name: never joined
    assert keys[5] == "code:360202|部门|司法局"                 # a department is not its government


def test_a_name_two_codes_share_stays_a_name():
    t = pd.DataFrame({"region_code": ["110105", "220104", ""], "region": ["朝阳区"] * 3,
                      "province": ["", "", ""], "city": ["", "", ""], "level": ["区"] * 3})
    assert government_key(t).tolist()[2] == "name://朝阳区|区|"
