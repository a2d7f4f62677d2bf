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
# # 08 · Text reuse: who copies whom
# Governments reuse text: a county repeats its prefecture's report, a district its own last year's, a
# department a template. This page finds every passage of a report that repeats (near-verbatim) a passage of
# an earlier report, or of a report of a higher level in the same year, and measures per report the share of
# its characters reused from (a) its own earlier reports, (b) another government's earlier report, (c) a
# report of a higher level. Method (`lawgov_analysis.analysis.reuse`): sentences of at least 20 characters,
# numbers and self-references (我市/我县) neutralised, compared by MinHash + LSH over character 4-grams
# (datasketch), every candidate verified by the exact Jaccard index of the two sentences' shingle sets
# (≥ `min_similarity`), runs of reused sentences joined into passages. Both spans are kept, so every pair can
# be read in the two reports. The share of reuse is a research variable in its own right (policy diffusion down
# the hierarchy; formalism, 形式主义, when a report repeats last year's).

# %%
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from lawgov_analysis import open_corpus
from lawgov_analysis.analysis.reuse import find_reuse, reuse_shares
from lawgov_analysis.core.government import government_key
from lawgov_analysis.present.display import show_table
from lawgov_analysis.present.plots import plot_cooccurrence_network, plot_distribution
from lawgov_analysis.present.save import save_figure
from lawgov_analysis.present.summary import corpus_design
from lawgov_analysis.report.build import provenance_table

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, the smallest similarity
# (Jaccard of character 4-grams) for two sentences to count as the same text, the links drawn in the network.
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
min_similarity = 0.8
n_links = 40

# %%
db = open_corpus(store or corpus)
reports = db.table("corpus", categories=False)
meta = reports.drop(columns=["text"], errors="ignore")
design = corpus_design(reports)
pairs = (db.table("reuse", categories=False) if "reuse" in db.tables and min_similarity == 0.8
         else find_reuse(db.table("sentences", categories=False), meta, min_similarity=min_similarity))
shares = reuse_shares(pairs, reports).merge(
    meta[[c for c in ["doc_id", "region", "province", "level", "department", "year"] if c in meta.columns]],
    on="doc_id", how="left")
directed = pairs[pairs["relation"] != "peer"]
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet

# %% [markdown]
# ## Summary

# %%
n_reusing = int((shares["reused_share"] > 0).sum())
top = shares.sort_values(["reused_share", "doc_id"], ascending=[False, True]).head(1)
display(Markdown(
    f"{len(shares)} reports ({design['design']}); {len(directed)} passages repeat an earlier or higher report. "
    f"{n_reusing} of {len(shares)} reports reuse some text; on average "
    f"{shares['reused_share'].mean():.1%} of a report's characters are reused "
    f"(own earlier reports {shares['own_share'].mean():.1%}, other governments' earlier reports "
    f"{shares['other_share'].mean():.1%}, a higher level {shares['higher_share'].mean():.1%}); "
    f"{shares['peer_share'].mean():.1%} is shared with reports of the same year and level (no direction). "
    + (f"Most reused: {top['doc_id'].iloc[0]} ({top['reused_share'].iloc[0]:.0%}, mainly from "
       f"{top['main_source'].iloc[0]})." if n_reusing else
       "No report repeats an earlier one: a single report, or reports without years and levels, give no "
       "direction.")))

# %% [markdown]
# ## Reuse share by level and year
# One point per report: the share of its characters reused from earlier or higher reports (a ∪ b ∪ c), by
# level, one panel per year; the tick label gives the number of reports behind each box.

# %%
if len(shares) > 1:
    long = shares.melt(id_vars=[c for c in ["doc_id", "level", "year"] if c in shares.columns],
                       value_vars=["reused_share", "own_share", "other_share", "higher_share"],
                       var_name="source", value_name="share")
    fig = plot_distribution(shares, value="reused_share", by="level",
                            facet="year" if shares["year"].nunique() > 1 else None,
                            xlabel="share of characters reused", title="Reuse share by level and year")
    save_figure(fig, "08_reuse_by_level_year", out_dir)
    fig = plot_distribution(long, value="share", by="level", facet="source", xlabel="share of characters",
                            title="Reused from own, other governments' and higher reports")
    save_figure(fig, "08_reuse_by_source", out_dir)
    table = (long.groupby(["level", "year", "source"], dropna=False)["share"].agg(["mean", "median", "size"])
             .round(3).reset_index().rename(columns={"size": "reports"}))
    show_table(table, name="08_reuse_by_level_year", folder=tables, caption="Mean and median share by level, year and source")

# %% [markdown]
# ## Who copies whom: the strongest links
# Governments as nodes; a link joins a source government and a government that reuses its text, weighted by
# the characters reused (summed over their reports). The table below gives the direction (source → reuser).

# %%
if not directed.empty:
    govs = pd.Series(government_key(meta).fillna("?" + meta["doc_id"]).to_numpy(), index=meta["doc_id"])
    names = pd.Series((meta.get("region", meta["doc_id"]).fillna("").astype(str)
                       + meta.get("department", pd.Series("", index=meta.index)).fillna("").astype(str)).to_numpy(),
                      index=meta["doc_id"])
    links = (directed.assign(source=names.reindex(directed["source_doc_id"]).to_numpy(),
                             reuser=names.reindex(directed["doc_id"]).to_numpy(),
                             source_gov=govs.reindex(directed["source_doc_id"]).to_numpy(),
                             reuser_gov=govs.reindex(directed["doc_id"]).to_numpy())
             .groupby(["source", "reuser", "relation"], as_index=False)
             .agg(chars=("chars", "sum"), passages=("chars", "size"), reports=("doc_id", "nunique"))
             .sort_values(["chars", "source", "reuser"], ascending=[False, True, True]))
    fig = plot_cooccurrence_network(links[links["source"] != links["reuser"]], source="source", target="reuser",
                                    weight="chars", n_edges=n_links, seed=seed,
                                    title=f"The {n_links} strongest reuse links between governments")
    save_figure(fig, "08_reuse_network", out_dir)
    show_table(links.head(200), name="08_reuse_links", folder=tables, caption="Source → reuser, characters reused")

# %% [markdown]
# ## Per report
# The shares and the main source of each report, most reused first.

# %%
show_table(shares.sort_values(["reused_share", "doc_id"], ascending=[False, True]), name="08_reuse_shares", folder=tables,
           caption="Share of each report reused, by source")

# %% [markdown]
# ## The passages
# Every reused passage with both spans (character offsets in the two reports) and, for reading, the two texts.

# %%
texts = reports.set_index("doc_id")["text"]
show_table(pairs.assign(
    text=[texts[d][s:e] for d, s, e in zip(pairs["doc_id"], pairs["start"], pairs["end"])],
    source_text=[texts[d][s:e] for d, s, e in zip(pairs["source_doc_id"], pairs["source_start"],
                                                   pairs["source_end"])]),
    name="08_reuse_pairs", folder=tables, collapsed=True, caption="Reused passages")

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
