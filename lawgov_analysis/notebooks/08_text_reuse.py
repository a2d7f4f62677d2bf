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
# the hierarchy; formalism, 形式主义, when a report repeats last year's). The pairs are the store's `reuse`
# table (found when the store was built); only the texts of the passages listed are read.

# %%
from pathlib import Path

from IPython.display import Markdown, display

from lawgov_analysis import (describe_reuse, find_reuse_store, government_key, government_labels,
                             join_metadata, open_corpus, plot_cooccurrence_network, plot_distribution,
                             provenance_table, reuse_shares, sample_rows, save_figure, show_table)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, the smallest similarity
# (Jaccard of character 4-grams) for two sentences to count as the same text (0.8: the store's `reuse` table;
# another value compares every sentence again), the links drawn in the network, the most passages listed with
# their texts (more: a seeded sample of this many).
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
min_similarity = 0.8
n_links = 40
max_passages = 2000

# %%
db = open_corpus(store or corpus)
reports = db.reports()
meta = reports
pairs = (db.table("reuse", categories=False) if "reuse" in db.tables and min_similarity == 0.8
         else find_reuse_store(db, min_similarity=min_similarity))      # the sentences read part by part
shares = join_metadata(reuse_shares(pairs, reports), meta,
                       [c for c in ["region", "province", "level", "department", "year"] if c in meta.columns])
directed = pairs[pairs["relation"] != "peer"]
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet

# %% [markdown]
# ## Summary

# %%
display(Markdown(describe_reuse(shares, pairs, reports)))

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
    display(fig)
    fig = plot_distribution(long, value="share", by="level", facet="source", xlabel="share of characters",
                            title="Reused from own, other governments' and higher reports")
    save_figure(fig, "08_reuse_by_source", out_dir)
    display(fig)
    table = (long.groupby(["level", "year", "source"], dropna=False)["share"].agg(["mean", "median", "size"])
             .round(3).reset_index().rename(columns={"size": "reports"}))
    show_table(table, name="08_reuse_by_level_year", folder=tables,
               caption="Mean and median share by level, year and source")

# %% [markdown]
# ## Who copies whom: the strongest links
# Governments as nodes; a link joins a source government and a government that reuses its text, weighted by
# the characters reused (summed over their reports). The table below gives the direction (source → reuser).

# %%
if not directed.empty:
    # one node per government (core.government_key; a report without region or code is a node of its own),
    # named by present.labels.government_labels (two governments of one name get their place added)
    govs = government_key(meta).fillna("report:" + meta["doc_id"].astype(str))
    label = dict(zip(meta["doc_id"], govs.map(government_labels(meta, govs))))
    links = (directed.assign(source=directed["source_doc_id"].map(label), reuser=directed["doc_id"].map(label))
             .groupby(["source", "reuser", "relation"], as_index=False)
             .agg(chars=("chars", "sum"), passages=("chars", "size"), reports=("doc_id", "nunique"))
             .sort_values(["chars", "source", "reuser"], ascending=[False, True, True]))
    fig = plot_cooccurrence_network(links[links["source"] != links["reuser"]], source="source", target="reuser",
                                    weight="chars", n_edges=n_links, seed=seed,
                                    title=f"The {n_links} strongest reuse links between governments")
    save_figure(fig, "08_reuse_network", out_dir)
    display(fig)
    show_table(links, name="08_reuse_links", folder=tables, caption="Source → reuser, characters reused")

# %% [markdown]
# ## Per report
# The shares and the main source of each report, most reused first.

# %%
show_table(shares.sort_values(["reused_share", "doc_id"], ascending=[False, True]), name="08_reuse_shares",
           folder=tables, caption="Share of each report reused, by source")

# %% [markdown]
# ## The passages
# Every reused passage with both spans (character offsets in the two reports) and, for reading, the two texts.

# %%
shown = sample_rows(pairs, n=max_passages, seed=seed)
sampled = len(shown) < len(pairs)
if sampled:
    display(Markdown(f"**Sample.** {len(shown):,} of the {len(pairs):,} passages, drawn at random (seed {seed}), "
                     "with their texts; every passage with its offsets, without texts, is in the table "
                     "`08_reuse_pairs` below the sample."))
docs = sorted(set(shown["doc_id"].astype(str)) | set(shown["source_doc_id"].astype(str)))
texts = (db.table("corpus", columns=["doc_id", "text"], filters=[("doc_id", "in", docs)], categories=False)
         .set_index("doc_id")["text"] if docs else {})
show_table(shown.assign(
    text=[texts[d][s:e] for d, s, e in zip(shown["doc_id"], shown["start"], shown["end"])],
    source_text=[texts[d][s:e] for d, s, e in zip(shown["source_doc_id"], shown["source_start"],
                                                   shown["source_end"])]),
    name="08_reuse_pairs_sample" if sampled else "08_reuse_pairs", folder=tables, collapsed=True,
    caption=f"Reused passages (a sample of {len(shown):,})" if sampled else "Reused passages")
if sampled:
    show_table(pairs, name="08_reuse_pairs", folder=tables, collapsed=True, max_rows=100,
               caption="Every reused passage (offsets only)")

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
