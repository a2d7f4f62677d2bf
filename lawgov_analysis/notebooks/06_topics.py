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
# # 06 · Topics
# Topics discovered from the words themselves (NMF on TF-IDF of paragraphs), with the number of topics chosen
# by NPMI coherence on the corpus and stability across seeds, a check that the topics track the reports' own
# section structure (adjusted mutual information), and how topic weight differs by year and level of report.
# The store is read one part at a time: with more than `max_docs` reports, k and the topics are fitted on a
# seeded sample of `max_docs` reports stratified by year, and every paragraph of every report then gets its
# topic shares from the fitted model (the page says so below).

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from lawgov_analysis import (describe_topics, open_corpus, plot_topic_terms, provenance_table,
                             save_figure, select_k_store, show_table, topic_tables_store)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, the most reports the topics
# are fitted on (a larger store: a sample of this many, stratified by year).
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
max_docs = 1000

# %%
db = open_corpus(store or corpus)
reports = db.reports()
# k is chosen over the seeds seed, seed + 1, seed + 2; the model is the chosen k's fit with `seed`, made while
# choosing (not fitted again); the unit × term counts are built part by part from the store
table, k, rule, model = select_k_store(db, ks=range(3, 11), method="nmf", unit="paragraph", seed=seed,
                                       max_docs=max_docs, return_model=True)
by = [c for c in ("year", "level") if c in reports.columns and reports[c].nunique() > 1]
prevalence, agreement = topic_tables_store(db, model, by=by, levels=(1, 2))

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_topics(model.labels(), k, rule)))
if model.sampled_:
    display(Markdown(
        f"**Sample.** k and the topics were fitted on {len(model.sample_):,} of {len(reports):,} reports (a seeded "
        f"sample stratified by year, `sample_docs`, seed {seed}): {model.n_units_:,} paragraphs. The prevalence "
        f"and agreement tables cover every paragraph of all {len(reports):,} reports, each given its topic "
        "shares by the fitted model."))

# %% [markdown]
# ## Topics
# Top terms of each topic (weights from the NMF components).

# %%
fig = plot_topic_terms(model.top_terms(n=10))
save_figure(fig, "06_topic_terms", out_dir)
display(fig)
show_table(pd.DataFrame({"topic": range(k), "label": model.labels()}))

# %% [markdown]
# ## Topic prevalence by year and level
# Mean topic weight of the paragraphs of each year of report and of each level (shown when the corpus has
# more than one).

# %%
for column in ("year", "level"):
    if column in prevalence:
        show_table(prevalence[column], name=f"06_prevalence_by_{column}", folder=tables,
                   caption=f"Topic prevalence by {column}")
    else:
        print(f"One {column} only: no comparison by {column}.")

# %% [markdown]
# ## Choosing k
# For each k: mean NPMI coherence of the top terms (computed on this corpus) and mean best-match similarity of
# topics fitted with different seeds.

# %%
show_table(table)

# %% [markdown]
# ## Do topics follow the reports' structure?
# Adjusted mutual information between each paragraph's dominant topic and its section (0 = unrelated,
# 1 = identical partitions).

# %%
show_table(agreement)

# %% [markdown]
# ## Reference tables
# The top 20 terms of every topic with their weights.

# %%
show_table(model.top_terms(n=20), name="06_topic_terms", folder=tables, collapsed=True,
           caption="Top terms per topic")

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
