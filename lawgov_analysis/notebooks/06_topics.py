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

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from lawgov_analysis import (corpus_design, describe_topics, open_corpus, plot_topic_terms, provenance_table,
                             save_figure, select_k, show_table, topic_prevalence, topic_section_agreement)

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
sects = db.table("sections", categories=False)
tokens = db.table("tokens").astype({"doc_id": str})
design = corpus_design(reports)
# k is chosen over the seeds seed, seed + 1, seed + 2; the model is the chosen k's fit with `seed`, made while
# choosing (not fitted again)
table, k, rule, model = select_k(tokens, ks=range(3, 11), method="nmf", unit="paragraph", seed=seed,
                                 corpus=reports, return_model=True)

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_topics(model.labels(), k, rule)))

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
    if column in reports.columns and reports[column].nunique() > 1:
        show_table(topic_prevalence(model, reports, by=column), name=f"06_prevalence_by_{column}", folder=tables,
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
show_table(pd.DataFrame([{"level": level, "ami": topic_section_agreement(model, sects, level=level)}
                         for level in (1, 2)]))

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
