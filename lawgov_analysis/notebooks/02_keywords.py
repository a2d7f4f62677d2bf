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
# # 02 · Keywords
# Which words the reports (or the parts of one report) use: frequencies with the domain lexicon and stopwords,
# TF-IDF, keyness of one group against the rest, keywords in context, a word cloud, and the words that occur
# together. Single characters and measure-word fragments (人, 年, 余人次 …) are left out of the lists.

# %%
from pathlib import Path

from IPython.display import Markdown, display

from lawgov_analysis import (cooccurrence, corpus_design, describe_keywords, describe_sample, keyness,
                             keyness_counts, kwic, open_corpus, plot_cooccurrence_network, plot_term_bars,
                             plot_wordcloud, provenance_table, sample_docs, save_figure, show_table,
                             term_tables_store, textrank_keywords, tfidf,
                             tfidf_frequencies, with_section_level)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, and the most reports the
# analyses that need every token in memory (co-occurrence, keywords in context, TF-IDF by report or part,
# keyness between parts) read: beyond, a seeded sample of that many reports stratified by year.
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
max_docs = 1000

# %%
db = open_corpus(store or corpus)
reports = db.reports()
design = corpus_design(reports)
# counts over every report, one DuckDB pass over the store's files (never every token in memory): each term's
# total and reports, each report's top 20 terms (and its rows of the corpus's top 20), terms by year
counts = term_tables_store(db, by={"doc_id": 20, **({"year": None} if len(design["years"]) > 1 else {})}, top=20)
totals, freq, by_year = counts["totals"], counts["doc_id"], counts.get("year")
# the tokens of the sample (every report when the store has at most max_docs)
sample = sample_docs(db, max_docs, strata="year", seed=seed)
within = [("doc_id", "in", sample)] if len(sample) < len(reports) else None
sects = db.table("sections", categories=False, filters=within)
tokens = db.table("tokens", filters=within).astype({"doc_id": str})
if len(design["years"]) <= 1:  # TF-IDF or keyness compare second-level parts
    tokens = with_section_level(tokens, sects, level=2)
texts = db.table("corpus", columns=["doc_id", "text"], categories=False, filters=within)
of = f" (the {len(sample):,} reports of the sample)" if within else ""

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_keywords(totals, reports) + "\n\n" + describe_sample(
    sample, reports, what="co-occurrence, keywords in context and the token table (and TF-IDF or keyness "
    "when they compare reports or parts rather than years)", seed=seed)))

# %% [markdown]
# ## Most frequent content words
# Counts, share of content tokens and rate per 10,000 characters. Up to a dozen reports, one panel per report;
# beyond, the corpus-wide top words with the number of reports using each.

# %%
fig = plot_term_bars(freq, term="term", value="count",
                     group="doc_id" if len(reports) > 1 else None, corpus=reports, title="Most frequent content words")
save_figure(fig, "02_term_bars", out_dir)
fig

# %% [markdown]
# ## Word cloud
# Content words sized by their count over the whole corpus.

# %%
all_terms = totals.sort_values("term")[["term", "count"]].reset_index(drop=True)
fig = plot_wordcloud(all_terms, term="term", value="count", seed=seed)
save_figure(fig, "02_wordcloud", out_dir)
fig

# %% [markdown]
# ## Co-occurrence
# Pairs of content words in the same sentence (each unordered pair once), with counts and Ochiai association;
# the network shows the strongest pairs. On a large store, in the sentences of the sample (see the summary).

# %%
pairs = cooccurrence(tokens, unit="sentence", min_count=2)
fig = plot_cooccurrence_network(pairs, n_edges=50, seed=seed)
save_figure(fig, "02_cooccurrence", out_dir)
display(fig)
show_table(pairs, name="02_cooccurrence", folder=tables, caption="Co-occurring pairs, strongest first" + of)

# %% [markdown]
# ## The words of each report
# The 15 most frequent content words of each report (search a report or a word).

# %%
show_table(freq.groupby("doc_id").head(15), name="02_top_terms", folder=tables)

# %% [markdown]
# ## TF-IDF and TextRank
# TF-IDF treats each group as a document: second-level parts for one report, years when the corpus spans
# years, else reports. TextRank (which tags parts of speech of every text) is shown for up to a dozen reports.

# %%
if design["reports"] == 1:
    group = "section_l2"
elif len(design["years"]) > 1:
    group = "year"
else:
    group = "doc_id"
weights = tfidf_frequencies(by_year, by=group) if group == "year" else tfidf(tokens, by=group, corpus=reports)
show_table(weights.groupby(group).head(8), name="02_tfidf", folder=tables, caption=f"TF-IDF, top 8 per {group}"
           + (of if group == "doc_id" else ""))
if design["per_report"]:
    show_table(textrank_keywords(texts, n=15), name="02_textrank", folder=tables, caption="TextRank")
else:
    print(f"TextRank skipped for {design['reports']} reports (run textrank_keywords on a selection).")

# %% [markdown]
# ## Keyness
# Weighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) and G², for one group
# against the rest: the latest year of report when the corpus spans years, else the largest second-level part.

# %%
if len(design["years"]) > 1:
    target = max(design["years"])
    key = keyness_counts(by_year, group=target, by="year")
    print(f"year {target} against the other years")
else:
    target = tokens.groupby("section_l2")["token"].size().sort_values(ascending=False, kind="mergesort").index[0]
    key = keyness(tokens, group=target, by="section_l2")
    print(f"part {target} against the other parts" + (" (in the sample)" if within else ""))
show_table(key, name="02_keyness", folder=tables)

# %% [markdown]
# ## Reference tables
# Mentions of 普法 with 20 characters either side (text is escaped, never executed), and the first tokens of
# the token table (`kind` separates words, whole 《titles》, “slogans”, numbers and punctuation; `is_stop` marks
# general and boilerplate stopwords). On a large store, in the reports of the sample.

# %%
show_table(kwic(texts, "普法", window=20), name="02_kwic_pufa", folder=tables, collapsed=True,
           caption="Keywords in context: 普法" + of)
first = tokens.head(200).drop(columns=["section_l2"], errors="ignore")
show_table(with_section_level(first, sects, level=2), collapsed=True, caption="Tokens (the first 200)" + of)

# %% [markdown]
# ## Environment
# The versions and hashes this page was built with (see also the provenance block on the index).

# %%
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
