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
import pandas as pd
from IPython.display import Markdown, display

from lawgov_analysis.io.corpus import summarize_ingest
from lawgov_analysis.present.display import show_table
from lawgov_analysis.present.plots import plot_distribution, plot_term_bars
from lawgov_analysis.present.save import save_figure
from lawgov_analysis.report.build import provenance_table
from lawgov_analysis import open_corpus
from lawgov_analysis.present.summary import (corpus_design, describe_corpus, describe_lengths,
                                             metadata_completeness)
from lawgov_analysis.text.structure import section_outline

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed.
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0

# %%
db = open_corpus(store or corpus)
reports = db.table("corpus", categories=False)
ingest = db.ingest
sects = db.table("sections", categories=False)
design = corpus_design(reports)

# %% [markdown]
# ## Summary

# %%
display(Markdown(describe_corpus(reports, ingest) + "\n\n" + describe_lengths(reports, sects)))

# %% [markdown]
# ## Ingest account
# One row per file found: loaded, skipped (with the reason) or a duplicate of another report.

# %%
print(summarize_ingest(ingest))
show_table(ingest, max_rows=60)

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

# %%
columns = [c for c in ["doc_id", "title", "author", "region", "province", "level", "department", "year",
                       "chars"] if c in reports.columns]
overview = reports[columns].merge(
    sects.groupby("doc_id").size().rename("sections").reset_index(), on="doc_id", how="left")
show_table(overview, max_rows=60)

# %% [markdown]
# ## Composition
# Reports per level and year of report (a report without a level or year is counted under `(未填)`).

# %%
composition = (reports.assign(level=reports["level"].astype("string").fillna("").replace("", "(未填)"),
                              year=reports["year"].astype("string").fillna("(未填)"))
               .pivot_table(index="level", columns="year", values="doc_id", aggfunc="count", fill_value=0))
show_table(composition.reset_index().rename(columns=str))

# %% [markdown]
# ## Section tree
# Each report's headings as it numbers them; `chars` is the length of the section including its sub-sections.
# With many reports only the first rows are shown.

# %%
show_table(section_outline(sects), max_rows=200 if design["per_report"] else 60)

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
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed))
