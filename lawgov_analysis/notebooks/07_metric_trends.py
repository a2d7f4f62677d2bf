# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.7
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 07 · Metric trends
# Every number the reports cite, with its unit, hedge (余, 以上 …), the phrase naming what is counted and a
# canonical `indicator_id` (docs/spec/indicators.md); the indicator panel — one headline value per report ×
# indicator × unit, with the sentence it comes from — compared across governments and, where the same
# government reported in several years, along its years; and the arithmetic audit (rates against their
# numerator and denominator, totals against their parts, received against concluded, year against year).
# Counts come from the whole store (DuckDB over its Parquet files); a table that lists rows (mentions, panel,
# audit) lists every row up to `max_rows` and otherwise a seeded sample of that many, and says so.

# %%
from pathlib import Path

from IPython.display import Markdown, display

from lawgov_analysis import (corpus_design, describe_metrics, government_key, open_corpus, plot_audit_findings,
                             plot_indicator_panel, plot_term_bars, provenance_table, sample_rows, sample_table,
                             save_figure, show_table)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, the most rows a table that
# lists rows shows (more: a seeded sample of this many), the most governments drawn as lines (more: boxes by year).
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
max_rows = 20_000
max_governments = 200     # the trend plots' own switch, lawgov_analysis.present.style.MAX_SERIES

# %%
db = open_corpus(store or corpus)
reports = db.reports()
table = db.table("metrics", columns=["doc_id", "indicator_id"])     # two compact columns; rows come below
# a line per government while there are at most max_governments (then the corpus is small: the whole panel);
# above, the figure needs only these panel columns (compact categories) and the panel's rows are sampled below
governments = int(government_key(reports).nunique())
lines = governments <= max_governments
headlines = None if "panel" not in db.tables else db.table("panel", categories=False) if lines else db.table(
    "panel", columns=["doc_id", "indicator_id", "label_zh", "unit", "value", "year"])
findings = db.table("audit", categories=False)
design = corpus_design(reports)

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_metrics(table, headlines, reports, findings)))

# %% [markdown]
# ## Across governments and years
# Headline values of the indicators most reports cite: one line per government where the same government
# reported in two or more years (never joining two governments), else one box of report values per level
# with the number of reports behind each. More than `max_governments` governments give more lines than anyone can
# read: then one box of report values per year. With one report there is nothing to compare: the mentions per
# indicator are shown instead.

# %%
if headlines is not None and len(headlines) and design["reports"] > 1:
    if lines:
        fig = plot_indicator_panel(headlines, x="year", by="level")
    else:
        display(Markdown(f"{governments:,} governments: too many lines to read. One box of report values per year "
                         "for each indicator, with the number of reports behind each box."))
        fig = plot_indicator_panel(headlines, x="year", by="year", mode="distribution")
    save_figure(fig, "07_metric_trend", out_dir)
else:
    counts = (table[table["indicator_id"] != "other"].groupby("indicator_id", observed=True).size()
              .rename("mentions").reset_index())
    fig = plot_term_bars(counts.sort_values(["mentions", "indicator_id"], ascending=[False, True]),
                         term="indicator_id", value="mentions", n=25, title="Metric mentions per indicator")
    save_figure(fig, "07_indicator_mentions", out_dir)
fig

# %% [markdown]
# ## Audit
# Rates recomputed from their numerator and denominator (tolerant of the stated precision), totals against
# their parts, received against concluded (information, not error) and, for the same government in
# consecutive years, the previous value a report implies against what the earlier report stated.

# %%
fig = plot_audit_findings(findings)
save_figure(fig, "07_audit", out_dir)
display(fig)
shown = sample_rows(findings, n=max_rows, seed=seed)
if len(shown) < len(findings):
    display(Markdown(f"**Sample.** {len(shown):,} of the {len(findings):,} findings, drawn at random (seed {seed}); "
                     "the figure counts all of them. Every finding: `store.table(\"audit\")` or "
                     "`lawgov-analysis sql STORE \"select * from audit\"`."))
show_table(shown, name="07_audit" if len(shown) == len(findings) else "07_audit_sample", folder=tables,
           caption="Audit findings")

# %% [markdown]
# ## The indicator panel
# One headline value per report × indicator × unit, chosen by a documented rule (the stated total, not a
# subtotal, change or target), with its evidence (`surface` at `start`–`end` in section `section_id`). For
# statistical software: `lawgov-analysis panel PATH --wide --out panel.dta` (Stata, with Chinese variable
# labels), `panel.parquet` (R, Python) or `panel.csv` (Excel), each with a codebook beside it.

# %%
if headlines is not None:
    shown, rows = sample_table(db, "panel", n=max_rows, seed=seed)
    if len(shown) < rows:
        display(Markdown(f"**Sample.** {len(shown):,} of the {rows:,} headline values, drawn at random "
                         f"(seed {seed}); the whole panel: `lawgov-analysis panel STORE --out panel.parquet`."))
    show_table(shown[[c for c in ["doc_id", "region", "level", "year", "indicator_id", "label_zh", "unit",
                                  "value", "n_mentions", "surface", "section_id", "rule"] if c in shown.columns]],
               name="07_panel" if len(shown) == rows else "07_panel_sample", folder=tables)

# %% [markdown]
# ## Coverage
# For each canonical indicator: how many reports cite it and how many mentions there are.

# %%
coverage = db.sql("select indicator_id, count(distinct doc_id) as reports, count(*) as mentions from metrics "
                  "where indicator_id != 'other' group by indicator_id "
                  "order by reports desc, mentions desc, indicator_id")
show_table(coverage, name="07_coverage", folder=tables)

# %% [markdown]
# ## Every metric mention
# One row per number a report cites; `surface` is exactly `text[start:end]`.

# %%
shown, rows = sample_table(db, "metrics", n=max_rows, seed=seed,
                           columns=["doc_id", "section_id", "surface", "value", "value_max", "unit", "qualifier",
                                    "indicator", "indicator_id", "comparison"])
if len(shown) < rows:
    display(Markdown(f"**Sample.** {len(shown):,} of the {rows:,} mentions, drawn at random (seed {seed}); every "
                     "mention: `store.table(\"metrics\")` or `lawgov-analysis sql STORE \"select * from metrics\"`."))
show_table(shown, name="07_mentions" if len(shown) == rows else "07_mentions_sample", folder=tables,
           collapsed=True, caption="Metric mentions" if len(shown) == rows else "Metric mentions (a sample)")

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
