"""Shared fixtures: the bundled sample report, the gold files, and a small multi-year corpus the tests write."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "reports"
SAMPLE_FILE = SAMPLE_DIR / "changjiang-2021.txt"
GOLD_DIR = ROOT / "data" / "gold"
SAMPLE_ID = "changjiang-2021"

# A hand-countable multi-report corpus: one county in three years plus a district, each with the numbering,
# themes and numbers the real reports have. Numbers differ by year so that trends are visible.
_FIXTURE_TEMPLATE = """{title}
{year}年，我{level_char}坚持以习近平法治思想为指导，扎实推进法治政府建设。现将有关情况报告如下：
一、主要工作
（一）深化“放管服”改革
1、优化营商环境。全{level_char}政务服务事项共计{items}项，全程网办{online}项，新增市场主体{entities}户，其中企业{firms}户，个体{indiv}户。
（二）持续扫黑除恶
1、打击涉黑涉恶犯罪。共收到举报线索{clues}件，侦办涉恶案件{cases}起，抓获犯罪嫌疑人{suspects}名。
（三）扎实开展普法宣传
1、落实“谁执法谁普法”责任制。一是举办法治讲座{lectures}场，发放普法宣传资料{leaflets}份。二是培育“法律明白人”{literates}人，开展普法宣传活动{events}余场。
（四）化解矛盾纠纷
1、全年共排查矛盾纠纷{disputes}件，成功化解{resolved}件，调解成功率达到{rate}%。受理行政复议案件{reviews}件，办结{reviews}件。
二、存在问题及下步打算
一是普法宣传针对性不强；二是“放管服”改革仍需深化。下一步，我们将继续推进法治政府建设。
"""

FIXTURE_REPORTS = [
    dict(stem="anxian-2019", title="安县2019年法治政府建设工作情况报告", region="安县", level="县", level_char="县",
         year=2019, items=820, online=300, entities=5100, firms=600, indiv=4500, clues=12, cases=4, suspects=21,
         lectures=15, leaflets=8000, literates=900, events=60, disputes=640, resolved=600, rate="93.75",
         reviews=3),
    dict(stem="anxian-2020", title="安县2020年法治政府建设工作情况报告", region="安县", level="县", level_char="县",
         year=2020, items=905, online=512, entities=6200, firms=800, indiv=5400, clues=7, cases=3, suspects=11,
         lectures=22, leaflets=12000, literates=1500, events=90, disputes=700, resolved=679, rate="97",
         reviews=5),
    dict(stem="beiqu-2021", title="北区2021年法治政府建设工作情况报告", region="北区", level="区", level_char="区",
         year=2021, items=1010, online=880, entities=7300, firms=1100, indiv=6200, clues=2, cases=1, suspects=5,
         lectures=30, leaflets=20000, literates=2100, events=150, disputes=820, resolved=812, rate="99.02",
         reviews=8),
]


def write_fixture_corpus(folder: Path, *, manifest: bool = True) -> Path:
    """Write the three fixture reports (and a manifest.csv) into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for spec in FIXTURE_REPORTS:
        path = folder / f"{spec['stem']}.txt"
        path.write_text(_FIXTURE_TEMPLATE.format(**spec), encoding="utf-8")
        rows.append(dict(doc_id=spec["stem"], path=path.name, title=spec["title"], region=spec["region"],
                         parent_region="示例市", province="江西省", level=spec["level"], year=spec["year"],
                         source="test fixture"))
    if manifest:
        pd.DataFrame(rows).to_csv(folder / "manifest.csv", index=False)
    return folder


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Keep token caches of the test run out of the user's cache folder."""
    old = os.environ.get("LAWGOV_CACHE_DIR")
    os.environ["LAWGOV_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("LAWGOV_CACHE_DIR", None)
    else:
        os.environ["LAWGOV_CACHE_DIR"] = old


@pytest.fixture(scope="session")
def sample_corpus():
    from lawgov_analysis.io.corpus import load_corpus

    return load_corpus(SAMPLE_DIR)


@pytest.fixture(scope="session")
def sample_text(sample_corpus) -> str:
    return sample_corpus.set_index("doc_id").loc[SAMPLE_ID, "text"]


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory) -> Path:
    return write_fixture_corpus(tmp_path_factory.mktemp("fixture_corpus"))


@pytest.fixture(scope="session")
def fixture_corpus(fixture_dir):
    from lawgov_analysis.io.corpus import load_corpus

    return load_corpus(fixture_dir)


@contextlib.contextmanager
def log_records(name: str, level: int = logging.DEBUG):
    """Collect the records logged on logger ``name`` (and below) in a list, with a handler on that logger.

    Unlike pytest's ``caplog`` (a handler on the root logger) it does not depend on propagation, and it
    re-enables the logger while collecting (a library's ``logging.config`` setup in the same worker, such as
    import-linter's before test_layout ran it in a child process, disables the loggers that exist then).
    """
    records: list[logging.LogRecord] = []

    class _Collect(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger(name)
    handler, old, disabled = _Collect(level), logger.level, logger.disabled
    logger.addHandler(handler)
    logger.setLevel(level)
    # a library that calls logging.config.dictConfig/fileConfig in the same worker process disables every
    # logger that existed then (disable_existing_loggers defaults to True): enable this one while collecting
    logger.disabled = False
    try:
        yield records
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old)
        logger.disabled = disabled


def meta_key(text: str) -> tuple:
    """``(year, region, province, city, level, department)`` that ``infer_metadata`` reads from a written text."""
    from lawgov_analysis.io.metadata import infer_metadata

    m = infer_metadata(text, filename="x.txt")
    return m["year"], m["region"], m["province"], m["city"], m["level"], m["department"]
