"""Short written summaries computed from the tables a notebook shows, and the corpus facts they adapt to.

Each notebook opens with a few sentences computed here from the data it goes on to show ("普法 takes the
largest share in 18 of 25 reports; strongest in …"), so that the page reads as a report before any figure.
:func:`corpus_design` says what kind of pile the corpus is (one report, one report per government, or the
same governments over several years), which decides whether a notebook draws per-report panels, trends along
one government's years or comparisons across governments. The notebooks read their tables from the store
that :func:`lawgov_analysis.open_corpus` opens; nothing here recomputes a stage.

Every function takes tidy tables (documented per function) and returns a table or a plain string; nothing
here draws or prints.
"""

from __future__ import annotations

import pandas as pd

from ..core.government import government_key
from ..core.levels import level_rank
from ..core.validate import check_columns

#: Up to this many reports, notebooks draw one panel (or one column) per report; beyond, summary figures.
PER_REPORT_LIMIT = 12

#: Metadata fields whose completeness notebook 01 reports (those present in the corpus).
METADATA_FIELDS = ("title", "region", "region_code", "province", "level", "year")

#: Words for the corpus designs of :func:`corpus_design`.
DESIGNS = ("empty", "single", "cross-section", "panel", "mixed")


# ------------------------------------------------------------------------------------------------ helpers
def _text(value) -> str:
    if value is None:
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _fmt(x: float) -> str:
    """A number for prose: integers plainly, others with one decimal (two below 1)."""
    if x is None or pd.isna(x):
        return "–"
    x = float(x)
    if abs(x - round(x)) < 1e-9:
        return f"{int(round(x)):,}"
    return f"{x:,.2f}" if abs(x) < 1 else f"{x:,.1f}"


def _labels(corpus: pd.DataFrame) -> pd.Series:
    from .labels import report_labels

    return report_labels(corpus)




def _list(items: list[str], limit: int = 3) -> str:
    items = [i for i in items if i]
    if len(items) <= limit:
        return "、".join(items)
    return "、".join(items[:limit]) + f" and {len(items) - limit} more"


# ------------------------------------------------------------------------------------------------- store
# ------------------------------------------------------------------------------------------------- design
def corpus_design(corpus: pd.DataFrame) -> dict:
    """What kind of pile the corpus is.

    Parameters
    ----------
    corpus : DataFrame
        The report table (``doc_id`` and the metadata columns ``region``/``region_code``, ``level``,
        ``department``, ``year``; missing ones count as unknown).

    Returns
    -------
    dict
        ``reports``; ``governments`` (distinct :func:`lawgov_analysis.core.government.government_key`, reports without a region not
        counted); ``unknown_government`` (reports without one); ``series`` (governments with reports in two or
        more years); ``years`` (sorted distinct years); ``design``: ``empty``, ``single`` (one report),
        ``cross-section`` (no government has two years: compare governments), ``panel`` (every known
        government has two or more years: trends along each government), ``mixed`` (some do);
        ``per_report``: whether per-report panels stay readable (≤ :data:`PER_REPORT_LIMIT` reports).
    """
    check_columns(corpus, ["doc_id"], what="corpus")
    n = int(corpus["doc_id"].nunique())
    years = sorted(int(y) for y in pd.to_numeric(corpus.get("year", pd.Series(dtype=float)),
                                                 errors="coerce").dropna().unique())
    keys = government_key(corpus) if n else pd.Series(dtype="string")
    year = pd.to_numeric(corpus["year"], errors="coerce") if "year" in corpus.columns else pd.Series(
        [float("nan")] * n, index=corpus.index)
    known = pd.DataFrame({"key": keys, "year": year}).dropna(subset=["key"])
    per_gov = known.dropna(subset=["year"]).groupby("key")["year"].nunique()
    governments = int(known["key"].nunique())
    series = int((per_gov >= 2).sum())
    if n == 0:
        design = "empty"
    elif n == 1:
        design = "single"
    elif series == 0:
        design = "cross-section"
    elif series == governments:
        design = "panel"
    else:
        design = "mixed"
    return {"reports": n, "governments": governments, "unknown_government": int(keys.isna().sum()),
            "series": series, "years": years, "design": design, "per_report": n <= PER_REPORT_LIMIT}


def metadata_completeness(corpus: pd.DataFrame, fields=METADATA_FIELDS) -> pd.DataFrame:
    """How many reports lack each metadata field.

    Returns one row per field present in the corpus: ``field``, ``missing`` (reports with an empty value),
    ``reports``, ``share_missing`` (0–1) and ``examples`` (up to three ``doc_id`` lacking it, joined by
    ``、``).
    """
    check_columns(corpus, ["doc_id"], what="corpus")
    rows = []
    for name in fields:
        if name not in corpus.columns:
            continue
        empty = corpus[name].astype(object).map(_text) == ""
        docs = corpus.loc[empty, "doc_id"].astype(str).tolist()
        rows.append({"field": name, "missing": int(empty.sum()), "reports": len(corpus),
                     "share_missing": float(empty.mean()) if len(corpus) else 0.0, "examples": "、".join(docs[:3])})
    return pd.DataFrame(rows, columns=["field", "missing", "reports", "share_missing", "examples"])


def describe_corpus(corpus: pd.DataFrame, ingest: pd.DataFrame | None = None) -> str:
    """A few sentences on the corpus: reports, governments, levels, provinces, years, design, gaps.

    ``ingest`` (the account of files, ``status`` column) adds how many files were skipped or duplicates.
    """
    d = corpus_design(corpus)
    if d["reports"] == 0:
        return "The corpus holds no report."
    parts = [f"{d['reports']} report{'s' if d['reports'] != 1 else ''} from {d['governments']} "
             f"identified government{'s' if d['governments'] != 1 else ''}"]
    if "level" in corpus.columns:
        levels = corpus["level"].astype(object).map(_text).replace("", "(未填)").value_counts()
        levels = levels.loc[sorted(levels.index, key=level_rank)]
        parts.append("levels " + ", ".join(f"{k} {v}" for k, v in levels.items()))
    if "province" in corpus.columns:
        provinces = corpus["province"].astype(object).map(_text)
        n_prov = provinces[provinces != ""].nunique()
        if n_prov:
            parts.append(f"{n_prov} province{'s' if n_prov != 1 else ''}")
    if d["years"]:
        parts.append(f"years {d['years'][0]}–{d['years'][-1]}" if len(d["years"]) > 1 else f"year {d['years'][0]}")
    text = "; ".join(parts) + "."
    if ingest is not None and len(ingest) and "status" in ingest.columns:
        reasons = ingest.get("reason", pd.Series([""] * len(ingest))).astype(str)
        files = ingest[~reasons.str.startswith("manifest, not a report")]
        other = files[files["status"] != "loaded"]
        if len(other):
            text += f" {len(other)} of {len(files)} files were not loaded (see the ingest account)."
    design = {
        "single": " One report: the notebooks look inside it (its parts and sections) rather than across reports.",
        "cross-section": " Each government has one report, so the notebooks compare governments (by level, "
                         "province and year of report, with the number of reports behind every point) and draw "
                         "no trend lines.",
        "panel": f" Every government has reports in several years ({d['series']} series), so trends follow each "
                 "government's own reports; a line never joins two governments.",
        "mixed": f" {d['series']} of {d['governments']} governments have reports in several years: trend lines "
                 "follow those; the other reports are compared across governments.",
    }.get(d["design"], "")
    text += design
    if not d["per_report"]:
        text += (f" With more than {PER_REPORT_LIMIT} reports, figures summarise (distributions, top terms with "
                 "the rest aggregated) instead of one panel per report.")
    gaps = metadata_completeness(corpus)
    gaps = gaps[gaps["missing"] > 0]
    if len(gaps):
        text += " Metadata gaps: " + ", ".join(f"{r.missing} lack {r.field}" for r in gaps.itertuples()) + \
            " — `lawgov-analysis manifest PATH` writes PATH/manifest.csv pre-filled with what was inferred and where it came " \
            "from; correct its rows and rebuild."
    return text


# ------------------------------------------------------------------------------------------------ structure
def describe_lengths(corpus: pd.DataFrame, sections: pd.DataFrame | None = None) -> str:
    """Report lengths in characters (median, range, longest and shortest) and, with ``sections``, their parts."""
    check_columns(corpus, ["doc_id"], what="corpus")
    if corpus.empty:
        return "No report to measure."
    chars = pd.to_numeric(corpus["chars"], errors="coerce") if "chars" in corpus.columns else \
        corpus["text"].str.len()
    chars.index = corpus["doc_id"].astype(str)
    labels = _labels(corpus)
    if len(chars) == 1:
        text = f"The report has {_fmt(chars.iloc[0])} characters"
    else:
        text = (f"Reports have {_fmt(chars.median())} characters at the median (from {_fmt(chars.min())}, "
                f"{labels.get(chars.idxmin(), chars.idxmin())}, to {_fmt(chars.max())}, "
                f"{labels.get(chars.idxmax(), chars.idxmax())})")
    if sections is not None and len(sections) and "level" in sections.columns:
        tops = sections[pd.to_numeric(sections["level"], errors="coerce") == 1].groupby("doc_id", observed=True)
        n_top = tops.size()
        if len(n_top):
            text += f"; {_fmt(n_top.median())} top-level parts (一、二、…) per report at the median"
    return text + "."


# ------------------------------------------------------------------------------------------------- themes
def describe_themes(scores: pd.DataFrame, corpus: pd.DataFrame, theme: str | None = None) -> str:
    """Which theme dominates where: from per-report theme scores.

    Parameters
    ----------
    scores : DataFrame
        ``theme_scores(hits, sentences, corpus=…, by="doc_id")``: ``doc_id, theme_id, label,
        hits_per_10k`` (one row per report × theme, zeros included).
    corpus : DataFrame
        The report table (labels ``region·year`` and ``level`` for the comparison).
    theme : str, optional
        Focus on this ``theme_id``: how many reports mention it, its median intensity per report, in how many
        reports it has the largest share, the strongest and weakest reports, and its median by level.
        Without it: which theme leads in how many reports.
    """
    check_columns(scores, ["doc_id", "theme_id", "hits_per_10k"], what="scores")
    if scores.empty:
        return "No theme scores (the corpus has no sentences)."
    s = scores.assign(doc_id=scores["doc_id"].astype(str), theme_id=scores["theme_id"].astype(str))
    labels = _labels(corpus)
    names = dict(zip(s["theme_id"], s["label"].astype(str))) if "label" in s.columns else {}
    wide = s.pivot_table(index="doc_id", columns="theme_id", values="hits_per_10k", aggfunc="first",
                         observed=True).fillna(0.0)
    n = len(wide)
    nonzero = wide.loc[wide.max(axis=1) > 0]
    leader = nonzero.idxmax(axis=1) if len(nonzero) else pd.Series(dtype=str)
    if n == 1:  # one report: rank the themes within it
        row = wide.iloc[0].sort_values(ascending=False, kind="mergesort")
        if theme is None:
            top = [f"{names.get(t, t)} {_fmt(v)}" for t, v in row.head(3).items() if v > 0]
            return ("Hits per 10,000 characters, strongest themes: " + ", ".join(top) + "."
                    if top else "No theme term occurs in the report.")
        if theme not in row.index:
            return f"Theme {theme} is not in the scores."
        rank = list(row.index).index(theme) + 1
        return (f"{names.get(theme, theme)}: {_fmt(row[theme])} hits per 10,000 characters in the report, "
                f"rank {rank} of {len(row)} themes.")
    if theme is None:
        counts = leader.value_counts()
        if counts.empty:
            return f"No theme term occurs in the {n} report(s)."
        top = counts.index[0]
        text = (f"{names.get(top, top)} takes the largest share in {counts.iloc[0]} of {n} report"
                f"{'s' if n != 1 else ''}")
        rest = [f"{names.get(t, t)} in {c}" for t, c in counts.iloc[1:].items()]
        return text + (f" ({', '.join(rest)})." if rest else ".")
    if theme not in wide.columns:
        return f"Theme {theme} is not in the scores."
    col = wide[theme]
    name = names.get(theme, theme)
    mentioned = int((col > 0).sum())
    text = (f"{name}: {mentioned} of {n} report{'s' if n != 1 else ''} use its terms; "
            f"{_fmt(col.median())} hits per 10,000 characters at the median per report")
    if n > 1:
        lead = int((leader == theme).sum())
        text += f"; the largest share of all themes in {lead} of {n}"
        top, low = col.idxmax(), col.idxmin()
        text += (f"; strongest in {labels.get(top, top)} ({_fmt(col.max())}), weakest in "
                 f"{labels.get(low, low)} ({_fmt(col.min())})")
        if "level" in corpus.columns:
            lv = corpus.assign(doc_id=corpus["doc_id"].astype(str)).set_index("doc_id")["level"]
            lv = lv.astype(object).map(_text)
            by = pd.DataFrame({"v": col, "level": lv.reindex(col.index).replace("", "(未填)")})
            g = by.groupby("level")["v"].agg(["median", "size"])
            g = g.loc[sorted(g.index, key=level_rank)]
            if len(g) > 1:
                text += "; by level: " + ", ".join(f"{k} {_fmt(r['median'])} (n={int(r['size'])})"
                                                   for k, r in g.iterrows())
    return text + "."


# ------------------------------------------------------------------------------------------------ keywords
def describe_keywords(freq: pd.DataFrame, corpus: pd.DataFrame, *, n: int = 5) -> str:
    """The most frequent content words across the corpus and how many reports use each.

    ``freq``: ``term_frequencies(tokens, by="doc_id")`` (``doc_id, term, count``), or one row per term with
    its count over the corpus and the reports using it (``term, count, reports``:
    :func:`lawgov_analysis.pipeline.store_sql.term_totals_store`), which gives the same sentence.
    """
    check_columns(freq, ["term", "count"], what="freq")
    if freq.empty:
        return "No content words counted."
    total = freq.groupby("term", observed=True)["count"].sum().sort_values(ascending=False, kind="mergesort")
    if "doc_id" in freq.columns:
        reports = freq.groupby("term", observed=True)["doc_id"].nunique()
    elif "reports" in freq.columns:
        reports = freq.groupby("term", observed=True)["reports"].sum()
    else:
        reports = None
    n_docs = int(corpus["doc_id"].nunique())
    tops = []
    for term in total.index[:n]:
        extra = f", in {int(reports[term])} of {n_docs} reports" if reports is not None and n_docs > 1 else ""
        tops.append(f"{term} ({_fmt(total[term])}{extra})")
    return "Most frequent content words: " + "; ".join(tops) + "."


# ------------------------------------------------------------------------------------------------- sample
def describe_sample(sample, corpus: pd.DataFrame, *, what: str, strata: str | None = "year",
                    seed: int = 0) -> str:
    """The sentence a page shows when some of its tables come from a sample of the reports ("" when not).

    Parameters
    ----------
    sample : sequence of str
        The ``doc_id`` values drawn (:func:`lawgov_analysis.pipeline.aggregate.sample_docs`).
    corpus : DataFrame
        The report table (``doc_id``): every report of the store.
    what : str
        Which parts of the page use the sample, e.g. ``"co-occurrence, keywords in context"``.
    strata, seed : str or None, int
        How the sample was drawn (the report column it is stratified by; its seed).
    """
    n_sample, n_all = len(set(map(str, sample))), int(corpus["doc_id"].nunique())
    if n_sample >= n_all:
        return ""
    by = f", stratified by {strata}" if strata and strata in corpus.columns else ""
    return (f"**Sample.** A seeded random sample of {n_sample:,} of the {n_all:,} reports ({n_sample / n_all:.1%}{by}, "
            f"seed {seed}; the `max_docs` parameter sets its size) is behind {what}; every other number on this "
            "page covers every report.")


# ------------------------------------------------------------------------------------------------ metrics
def _reports_per_pair(panel: pd.DataFrame) -> pd.Series:
    """Reports per ``"<indicator_id> (<unit>)"`` of the panel, most first (ties by the text), as a Series.

    Grouped on the two columns and the text written once per pair, not once per row; a row missing either is
    left out, as the text of such a row is missing. Two pairs written alike (never seen) are counted together.
    """
    per = panel.groupby(["indicator_id", "unit"], observed=True)["doc_id"].nunique()
    keys = [f"{i} ({u})" for i, u in per.index]
    if len(set(keys)) < len(keys):
        text = panel["indicator_id"].astype(str) + " (" + panel["unit"].astype(str) + ")"
        per = panel.assign(key=text).groupby("key")["doc_id"].nunique()
    else:
        per = pd.Series(per.to_numpy(), index=pd.Index(keys, name="key"), name="doc_id").sort_index()
    return per.sort_values(ascending=False, kind="mergesort")


def describe_metrics(metrics: pd.DataFrame, panel: pd.DataFrame | None, corpus: pd.DataFrame,
                     audit: pd.DataFrame | None = None) -> str:
    """Numbers cited, how many carry a canonical indicator, the panel's headline values and the audit."""
    check_columns(metrics, ["doc_id", "indicator_id"], what="metrics")
    n_docs = int(corpus["doc_id"].nunique())
    # counted on the column as it is (a category compares its codes), never a string per row: 9.8 M metric
    # rows at 100,000 reports; a missing id is not "other", as before
    canonical = len(metrics) - int((metrics["indicator_id"] == "other").sum())
    text = (f"{len(metrics):,} numbers cited in {n_docs} report{'s' if n_docs != 1 else ''}; "
            f"{canonical:,} carry a canonical indicator")
    if panel is not None and len(panel):
        per = _reports_per_pair(panel)
        text += (f"; the indicator panel holds {len(panel):,} headline values for {len(per)} indicator × unit "
                 f"pairs")
        if n_docs > 1:
            text += "; most widely reported: " + ", ".join(f"{k} in {v} of {n_docs}" for k, v in per.head(3).items())
    if audit is not None and len(audit) and "severity" in audit.columns:
        sev = audit["severity"].astype(str).value_counts()
        text += "; audit: " + ", ".join(f"{v} {k}" for k, v in sev.items())
    return text + "."


# ------------------------------------------------------------------------------------------------- topics
def describe_topics(labels: list[str], k: int, rule: str, prevalence: pd.DataFrame | None = None) -> str:
    """The number of topics chosen and why, and the topics' labels."""
    text = f"{k} topics ({rule}): " + "; ".join(f"{i}: {lab}" for i, lab in enumerate(labels)) + "."
    return text


# -------------------------------------------------------------------------------------------------- reuse
def describe_reuse(shares: pd.DataFrame, pairs: pd.DataFrame, corpus: pd.DataFrame) -> str:
    """How much of the reports' text repeats earlier or higher reports, from where, and the most reused report.

    ``shares``: :func:`lawgov_analysis.analysis.reuse.reuse_shares` (one row per report: ``doc_id``,
    ``reused_share``, ``own_share``, ``other_share``, ``higher_share``, ``peer_share``, ``main_source``);
    ``pairs``: :func:`lawgov_analysis.analysis.reuse.find_reuse` (``relation``); ``corpus``: the report table.
    """
    check_columns(shares, ["doc_id", "reused_share", "own_share", "other_share", "higher_share", "peer_share",
                           "main_source"], what="shares")
    check_columns(pairs, ["relation"], what="pairs")
    n = len(shares)
    if n == 0:
        return "No report to compare."
    directed = int((pairs["relation"].astype(str) != "peer").sum())
    reusing = shares[shares["reused_share"] > 0]
    text = (f"{n} report{'s' if n != 1 else ''} ({corpus_design(corpus)['design']}); {directed} passages repeat "
            f"an earlier or higher report. {len(reusing)} of {n} reports reuse some text; on average "
            f"{shares['reused_share'].mean():.1%} of a report's characters are reused (own earlier reports "
            f"{shares['own_share'].mean():.1%}, other governments' earlier reports "
            f"{shares['other_share'].mean():.1%}, a higher level {shares['higher_share'].mean():.1%}); "
            f"{shares['peer_share'].mean():.1%} is shared with reports of the same year and level (no direction). ")
    if reusing.empty:
        return text + ("No report repeats an earlier one: a single report, or reports without years and levels, "
                       "give no direction.")
    top = reusing.sort_values(["reused_share", "doc_id"], ascending=[False, True], kind="mergesort").iloc[0]
    labels = _labels(corpus)
    return text + (f"Most reused: {labels.get(top['doc_id'], top['doc_id'])} ({top['reused_share']:.0%}, mainly "
                   f"from {labels.get(top['main_source'], top['main_source'])}).")


__all__ = ["PER_REPORT_LIMIT", "corpus_design", "metadata_completeness", "describe_corpus",
           "describe_lengths", "describe_themes", "describe_keywords", "describe_sample", "describe_metrics",
           "describe_topics",
           "describe_reuse"]
