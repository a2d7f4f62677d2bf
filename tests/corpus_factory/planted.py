"""The ``planted`` kind: reports with planted, edited copies, for testing and benchmarking text-reuse detection.

Every report is built from its own random sentences (characters drawn from 3,000 CJK code points, so two
reports share no passage by chance) plus passages copied from other reports: 2–4 consecutive sentences of an
earlier report (or, in the same year, of a report of a higher level), with the edits a copying office makes —
every number changed, the self-reference changed (我市 → 我县, 全市 → 全县) and one character in about a third of
the sentences replaced. The truth table gives, for every planted copy, the target and source report and the
character span in each (the offsets of the final texts).
"""

from __future__ import annotations

import random

import pandas as pd

_CJK = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
_UNIT = {"省": "省", "市": "市", "区": "区", "县": "县"}


def _sentence(rng: random.Random, unit: str) -> str:
    n = rng.randint(22, 70)
    body = "".join(rng.choice(_CJK) for _ in range(n))
    cut = rng.randint(4, n - 4)
    if rng.random() < 0.5:   # a number and a self-reference, as real sentences carry
        return f"{body[:cut]}{rng.randint(2, 999)}件,我{unit}{body[cut:]}。"
    return body + "。"


def _governments(n: int) -> list[dict]:
    govs = []
    province_code = 11
    while len(govs) < n:
        p = f"{province_code}0000"
        pname = f"省{province_code}"
        govs.append(dict(region=pname, region_code=p, province=pname, city="", level="省"))
        for c in range(1, 4):
            ccode = f"{province_code}{c:02d}00"
            cname = f"市{province_code}{c}"
            govs.append(dict(region=cname, region_code=ccode, province=pname, city=cname, level="市"))
            for k in range(1, 4):
                govs.append(dict(region=f"县{province_code}{c}{k}", region_code=f"{province_code}{c:02d}{k:02d}",
                                 province=pname, city=cname, level="县"))
        province_code += 1
    return govs[:n]


def _edit(sentence: str, rng: random.Random, source_unit: str, unit: str) -> str:
    out = []
    for i, ch in enumerate(sentence):
        if ch.isdigit():
            if i == 0 or not sentence[i - 1].isdigit():
                out.append(str(rng.randint(2, 999)))
            continue
        out.append(ch)
    text = "".join(out).replace("我" + source_unit, "我" + unit)
    if rng.random() < 0.35:
        pos = rng.randrange(len(text) - 1)
        if "\u4e00" <= text[pos] <= "\u9fff":
            text = text[:pos] + rng.choice(_CJK) + text[pos + 1:]
    return text


PLANTS = 1.5          # planted copies per report (about)
SENTENCES = 40        # own sentences per report
YEARS = (2019, 2020, 2021, 2022)


def planted(n: int, *, seed: int = 0) -> tuple[list[dict], pd.DataFrame]:
    """``(records, truth)``: ``n`` reports (each government reporting in one of ``YEARS``) with about
    ``PLANTS × n`` planted copies.

    ``records`` are report records (``doc_id, path, title, author, department, region, region_code,
    parent_region, province, city, level, year, source, text``); ``truth`` has one row per planted copy:
    ``doc_id, start, end`` (the copy in the target report), ``source_doc_id, source_start, source_end`` (the
    copied sentences in the source) and ``relation`` (``higher``, ``own`` or ``other``), sorted by
    ``doc_id, start``. Same arguments → same records and table.
    """
    plants, sentences, years = PLANTS, SENTENCES, YEARS
    rng = random.Random(f"planted-{n}-{seed}")
    govs = _governments(max(1, n // 2) + 1)
    reports = []
    for i in range(n):
        gov = govs[i % len(govs)]
        year = years[(i // len(govs) + rng.randrange(len(years))) % len(years)]
        if any(r["gov"] is gov and r["year"] == year for r in reports):
            year = next((y for y in years if not any(r["gov"] is gov and r["year"] == y for r in reports)), year)
        unit = _UNIT[gov["level"]]
        reports.append(dict(doc_id=f"r{i:05d}", gov=gov, year=year, unit=unit,
                            own=[_sentence(rng, unit) for _ in range(sentences)], inserts={}))
    tier = {"省": 0, "市": 1, "县": 2}
    planted, used = [], set()
    for _ in range(int(plants * n)):
        t = rng.choice(reports)
        sources = [r for r in reports if r is not t and (r["year"] < t["year"] or (
            r["year"] == t["year"] and tier[r["gov"]["level"]] < tier[t["gov"]["level"]]))]
        if not sources:
            continue
        s = rng.choice(sources)
        length = rng.randint(2, 4)
        first = rng.randrange(0, sentences - length)
        at = rng.randrange(0, sentences + 1)
        taken = {(s["doc_id"], k) for k in range(first, first + length)}
        if at in t["inserts"] or taken & used:   # each source sentence copied once: the truth is complete
            continue
        used |= taken
        copy = [_edit(x, rng, s["unit"], t["unit"]) for x in s["own"][first:first + length]]
        t["inserts"][at] = (s["doc_id"], first, length, copy)
        planted.append((t["doc_id"], at, s["doc_id"], first, length))
    texts, spans = {}, {}
    for r in reports:
        parts, pos, own_pos, ins_pos = [], 0, {}, {}
        title = f"{r['gov']['region']}{r['year']}年法治政府建设工作情况报告\n"
        parts.append(title)
        pos += len(title)
        for k in range(sentences + 1):
            if k in r["inserts"]:
                copy = r["inserts"][k][3]
                block = "".join(copy)
                ins_pos[k] = (pos, pos + len(block))
                parts.append(block + "\n")
                pos += len(block) + 1
            if k < sentences:
                own_pos[k] = (pos, pos + len(r["own"][k]))
                parts.append(r["own"][k] + ("\n" if k % 4 == 3 else ""))
                pos += len(r["own"][k]) + (1 if k % 4 == 3 else 0)
        texts[r["doc_id"]] = "".join(parts)
        spans[r["doc_id"]] = (own_pos, ins_pos)
    by_id = {r["doc_id"]: r for r in reports}
    truth = []
    for doc_id, at, src, first, length in planted:
        start, end = spans[doc_id][1][at]
        s_start = spans[src][0][first][0]
        s_end = spans[src][0][first + length - 1][1]
        t, s = by_id[doc_id], by_id[src]
        relation = "higher" if tier[s["gov"]["level"]] < tier[t["gov"]["level"]] else (
            "own" if s["gov"] is t["gov"] else "other")
        truth.append(dict(doc_id=doc_id, start=start, end=end, source_doc_id=src, source_start=s_start,
                          source_end=s_end, relation=relation))
    records = []
    for r in reports:
        g = r["gov"]
        records.append(dict(doc_id=r["doc_id"], path=f"{r['doc_id']}.txt", title=texts[r["doc_id"]].split("\n")[0],
                            author=g["region"] + "人民政府", department="", region=g["region"],
                            region_code=g["region_code"], parent_region=g["city"] if g["city"] != g["region"]
                            else (g["province"] if g["province"] != g["region"] else ""), province=g["province"],
                            city=g["city"], level=g["level"], year=r["year"], source="generated planted",
                            text=texts[r["doc_id"]]))
    return records, pd.DataFrame(truth).sort_values(["doc_id", "start"]).reset_index(drop=True)


def match_rates(found: pd.DataFrame, truth: pd.DataFrame, *, overlap: float = 0.5) -> tuple[float, float]:
    """Passage-level ``(recall, precision)`` of ``found`` (pairs of ``find_reuse``) against ``truth``.

    A planted copy is recalled when a found pair with its target and source report covers at least
    ``overlap`` of its target span and overlaps its source span. A found pair is correct when it overlaps a
    planted copy of the same target and source report in both reports.
    """
    def hits(a: pd.DataFrame, b: pd.DataFrame, need: float) -> pd.Series:
        m = a.reset_index().merge(b, on=["doc_id", "source_doc_id"], suffixes=("", "_b"))
        inter = (m[["end", "end_b"]].min(axis=1) - m[["start", "start_b"]].max(axis=1)).clip(lower=0)
        s_inter = (m[["source_end", "source_end_b"]].min(axis=1)
                   - m[["source_start", "source_start_b"]].max(axis=1)).clip(lower=0)
        ok = (inter >= need * (m["end"] - m["start"])) & (inter > 0) & (s_inter > 0)
        return m.loc[ok, "index"].drop_duplicates()

    cols = ["doc_id", "start", "end", "source_doc_id", "source_start", "source_end"]
    recall = len(hits(truth[cols], found[cols], overlap)) / max(len(truth), 1)
    precision = len(hits(found[cols], truth[cols], 0.0)) / max(len(found), 1)
    return recall, precision
