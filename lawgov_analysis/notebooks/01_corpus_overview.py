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
# # 01 · Corpus overview
# What was loaded, from which files, with which metadata; what kind of pile the corpus is (one report, one
# report per government, or the same governments over several years); how each report is organised (its own
# numbering 一、 → (一) → 1、 → 一是) and how long its parts are. Every later notebook reads the same store.

# %%
from pathlib import Path

from IPython.display import Markdown, display

from lawgov_analysis import (corpus_design, describe_corpus, describe_lengths, describe_sample, join_metadata,
                             metadata_completeness, open_corpus, plot_distribution, plot_term_bars,
                             provenance_table, publication_timeliness, sample_docs, save_figure,
                             section_outline, show_table, summarize_ingest, timeliness_summary)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, and the most reports whose
# section trees the reference table lists (beyond, a seeded sample of that many reports stratified by year).
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
max_docs = 1000

# %%
db = open_corpus(store or corpus)
reports = db.reports()
ingest = db.ingest
design = corpus_design(reports)
# counted over every report by DuckDB; the section trees themselves are read for the sample only
n_sections = db.sql("select doc_id, count(*) as n from sections group by doc_id").set_index("doc_id")["n"]
top_parts = db.table("sections", columns=["doc_id", "level"], categories=False, filters=[("level", "==", 1)])
sample = sample_docs(db, max_docs, strata="year", seed=seed)
within = [("doc_id", "in", sample)] if len(sample) < len(reports) else None
sects = db.table("sections", categories=False, filters=within)

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_corpus(reports, ingest) + "\n\n" + describe_lengths(reports, top_parts) + "\n\n"
                 + describe_sample(sample, reports, what="the section tree under Reference tables", seed=seed)))

# %% [markdown]
# ## Lengths
# Up to a dozen reports: characters per top-level part of each report (the preamble is part 0). Beyond: the
# distribution of report lengths by level and by year of report, with the number of reports behind each box.

# %%
if design["per_report"]:
    top = section_outline(sects).query("level <= 1").rename(columns={"outline": "part"})
    fig = plot_term_bars(top, term="part", value="chars", group="doc_id" if len(reports) > 1 else None,
                         corpus=reports, title="Characters per top-level part")
else:
    fig = plot_distribution(reports, value="chars", by="level", title="Report length (characters) by level")
save_figure(fig, "01_lengths", out_dir)
fig

# %%
if not design["per_report"]:
    fig = plot_distribution(reports, value="chars", by="year", title="Report length (characters) by year")
    save_figure(fig, "01_lengths_by_year", out_dir)
    display(fig)

# %% [markdown]
# ## Publication timeliness
# 《法治政府建设与责任落实督察工作规定》(2019) 第二十四条: each year's report is published before 1 April of the
# next year — its last day is 31 March. `days_after_deadline` is the publication date (the manifest's
# `published` column, which `lawgov-analysis fetch` fills from the page) minus that day: negative = early.

# %%
timely = publication_timeliness(reports)
dated = timely.dropna(subset=["days_after_deadline"])
if len(dated):
    fig = plot_distribution(dated.astype({"days_after_deadline": "float64"}), value="days_after_deadline",
                            by="year", title="Days from the publication deadline (31 March) by year of report")
    fig.axes[0].axvline(0, color="black", linewidth=0.8, linestyle="--")
    save_figure(fig, "01_publication_timeliness", out_dir)
    display(fig)
    show_table(timeliness_summary(timely), caption="Reports published by the deadline, per year of report")
else:
    print(f"No publication date for any of the {len(reports)} reports: add a `published` column to the "
          "manifest (lawgov-analysis fetch writes it) to see how early or late each report went online.")

# %% [markdown]
# ## Composition
# Reports per level and year of report (a report without a level or year is counted under `(未填)`).

# %%
composition = (reports.assign(level=reports["level"].astype("string").fillna("").replace("", "(未填)"),
                              year=reports["year"].astype("string").fillna("(未填)"))
               .pivot_table(index="level", columns="year", values="doc_id", aggfunc="count", fill_value=0))
show_table(composition.reset_index().rename(columns=str))

# %% [markdown]
# ## Metadata completeness
# How many reports lack each field. Missing years, regions or levels keep a report out of trends and
# comparisons by that field (it is shown apart, never guessed). To fill them in, `lawgov-analysis manifest PATH`
# writes `PATH/manifest.csv` pre-filled with what was inferred and its source; correct its rows and rebuild.

# %%
show_table(metadata_completeness(reports))

# %% [markdown]
# ## Reports and their metadata
# Metadata come from the manifest when there is one, else from the title, the opening sentence, the file name.
# Search, sort and filter the table; the full table is linked under it.

# %%
columns = [c for c in ["doc_id", "title", "author", "region", "province", "level", "department", "year",
                       "chars"] if c in reports.columns]
overview = join_metadata(reports[columns].assign(sections=reports["doc_id"].map(n_sections)),
                         timely, ["published", "days_after_deadline"])
show_table(overview, name="01_reports", folder=tables)

# %% [markdown]
# ## Reference tables
# The ingest account (one row per file found: loaded, skipped with the reason, or a duplicate of another
# report) and each report's headings as it numbers them (`chars` is the length of the section including its
# sub-sections). Open a block to search it.

# %%
print(summarize_ingest(ingest))
show_table(ingest, name="01_ingest", folder=tables, collapsed=True, caption="Ingest account")
show_table(section_outline(sects), name="01_sections", folder=tables, collapsed=True, caption="Section tree"
           + (f" (the {len(sample):,} reports of the sample)" if within else ""))

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
