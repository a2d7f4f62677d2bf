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
# # 03 · One theme: 普法, 扫黑除恶 or 放管服
# This notebook measures one theme of the dictionary — the `theme` parameter; `lawgov-analysis report` builds it
# once per theme, as the pages 03 普法, 04 扫黑除恶 and 05 放管服: how much each report says about it, where it
# sits in the reports, how
# governments compare (and, where the same government reported in several years, how it changed), the sentences
# that carry it, the numbers reported under it and the words used around it. The theme is a transparent
# dictionary (`lawgov_analysis/resources/themes.toml`); every hit is a whole token, never a substring of a
# longer word. Intensity is hits per 10,000 characters of each report, averaged over reports (never pooled
# over their characters, so one long report does not dominate).

# %%
import pandas as pd
from pathlib import Path

from IPython.display import Markdown, display

from lawgov_analysis import (
    coding_sample,
    corpus_design,
    describe_sample,
    describe_themes,
    join_metadata,
    open_corpus,
    plot_distribution,
    plot_term_bars,
    plot_theme_heatmap,
    plot_theme_trend,
    provenance_table,
    sample_docs,
    save_figure,
    show_table,
    term_frequencies,
    theme_metrics_store,
    theme_scores,
    theme_scores_store,
    theme_sentences,
)

# %% tags=["parameters"]
# Parameters (papermill overrides these): the corpus (folder, file, manifest, `ingest --out` table), the store
# built from it (empty: build one in the cache folder), where figures go, the seed, the theme (an id of
# themes.toml: pufa, saohei, fangguanfu, …), and the most reports whose sentences and tokens are read (the
# theme's words, sections and sentences, the validation sample): beyond, a seeded sample of that many reports
# stratified by year.
corpus = "../data/reports"
store = ""
out_dir = "../reports/figures"
seed = 0
theme = "pufa"
max_docs = 1000

# %%
db = open_corpus(store or corpus)
reports = db.reports()
themes = db.themes  # the dictionary the store was built with (bundled, plus a user theme file if given)
design = corpus_design(reports)
# every report × theme, one DuckDB query over the store's files
scores = theme_scores_store(db, by="doc_id")
scores = join_metadata(scores, reports, [c for c in ["region", "region_code", "province", "level", "department",
                                                     "year"] if c in reports.columns])
mine = scores[scores["theme_id"] == theme]
# the sentences, hits and sections of the sample (every report when the store has at most max_docs)
sample = sample_docs(db, max_docs, strata="year", seed=seed)
within = [("doc_id", "in", sample)] if len(sample) < len(reports) else None
sects = db.table("sections", categories=False, filters=within)
sents = db.table("sentences", categories=False, filters=within)
hits = db.table("theme_hits", categories=False, filters=within)
of = f" (the {len(sample):,} reports of the sample)" if within else ""

# %% [markdown]
# ## Summary

# %%
tables = Path(out_dir).parent / "tables"  # full tables beside the pages: tables/<name>.csv and .parquet
display(Markdown(describe_themes(scores, reports, theme) + "\n\n" + describe_themes(scores, reports) + "\n\n"
                 + describe_sample(sample, reports, what="the theme's words, its sections, its sentences and "
                                   "the validation sample", seed=seed)))

# %% [markdown]
# ## Compared with the other themes
# The attention profile: every theme in each report (columns labelled region·year) — or, with one report, in
# each of its second-level parts; beyond a dozen reports, the distribution of per-report intensity per theme.

# %%
if design["reports"] == 1:
    profile = theme_scores(hits, sents, corpus=reports, sections=sects, themes=themes, by="section_id",
                           section_level=2)
    fig = plot_theme_heatmap(profile, by="section_id", title="Theme hits per 10,000 characters, by part")
elif design["per_report"]:
    fig = plot_theme_heatmap(scores, by="doc_id", corpus=reports, title="Theme hits per 10,000 characters")
else:
    fig = plot_distribution(scores, value="hits_per_10k", by="label",
                            title="Theme hits per 10,000 characters, per report")
save_figure(fig, f"{theme}_heatmap", out_dir)
fig

# %% [markdown]
# ## Across governments and years
# Where the same government reported in several years, one line per government (never joining two
# governments); otherwise, or when more governments than lines anyone can read (`MAX_SERIES`, 200) reported,
# one box of per-report values per year of report, and by level, with the number of reports behind each. The
# table gives the same numbers.

# %%
if design["reports"] > 1:
    fig = plot_theme_trend(scores, x="year", themes=[theme], corpus=reports, ncols=1,
                           title="Theme hits per 10,000 characters by year")
    save_figure(fig, f"{theme}_trend", out_dir)
    display(fig)
    if mine["level"].nunique() > 1:
        fig = plot_distribution(mine, value="hits_per_10k", by="level",
                                title="Theme hits per 10,000 characters by level")
        save_figure(fig, f"{theme}_by_level", out_dir)
        display(fig)
    groups = (mine.assign(level=mine["level"].astype("string").fillna("").replace("", "(未填)"))
              .groupby("level")["hits_per_10k"].agg(reports="size", mean="mean", median="median").reset_index())
    show_table(groups)
else:
    print("One report: no comparison across reports to draw.")

# %% [markdown]
# ## Its words
# The most frequent content words in the theme's sentences: per report up to a dozen reports, else over all.

# %%
carrying = theme_sentences(hits, sents, theme=theme, themes=themes)
tokens = db.table("tokens", filters=[("doc_id", "in", sorted(carrying["doc_id"].unique()))]) \
    if len(carrying) else db.table("tokens", filters=within)
tokens = tokens.astype({"doc_id": str})
in_theme = tokens.merge(carrying[["doc_id", "sentence_id"]], on=["doc_id", "sentence_id"])
words = term_frequencies(in_theme, by="doc_id")
if len(words):
    fig = plot_term_bars(words, term="term", value="count",
                         group="doc_id" if len(reports) > 1 else None, corpus=reports,
                         title="Words in the theme's sentences")
    save_figure(fig, f"{theme}_words", out_dir)
    display(fig)
show_table(words, name=f"{theme}_words", folder=tables, caption="Words in the theme's sentences" + of)

# %% [markdown]
# ## Per report
# Hits, characters and intensity of the theme in each report, strongest first.

# %%
show_table(mine.sort_values(["hits_per_10k", "doc_id"], ascending=[False, True])
           [[c for c in ["doc_id", "region", "level", "year", "hits", "chars", "hits_per_10k",
                         "sentences_with_theme", "terms"] if c in mine.columns]],
           name=f"{theme}_per_report", folder=tables)

# %% [markdown]
# ## Where it sits
# Hits per 10,000 characters in each third-level section (1、2、…, items 一是/二是 rolled up into their
# section); the strongest sections first.

# %%
by_section = theme_scores(hits, sents, corpus=reports, sections=sects, themes=themes, by="section_id",
                          section_level=3)
in_sections = by_section[by_section["theme_id"] == theme].sort_values(["hits", "doc_id", "section_id"],
                                                                       ascending=[False, True, True])
show_table(in_sections, name=f"{theme}_sections", folder=tables, caption=("Sections" + of) if within else None)

# %% [markdown]
# ## Its sentences and numbers
# Sentences carrying the theme with the terms that fired (most frequent first); a seeded sample for hand coding,
# stratified by level and year, half flagged and half unflagged sentences (the validation kit:
# `lawgov-analysis sample STORE --what theme:<id>` writes the full sheet, `lawgov-analysis validate` reads it
# back); the metric mentions whose indicator belongs to the theme (see `docs/spec/indicators.md`).

# %%
print(f"{mine['sentences_with_theme'].sum()} of {mine['sentences'].sum()} sentences carry the theme")
show_table(carrying[["doc_id", "section_id", "sentence_id", "terms", "text"]], name=f"{theme}_sentences",
           folder=tables, collapsed=True, caption="Sentences carrying the theme" + of)
texts = db.table("corpus", columns=["doc_id", "text"], categories=False, filters=within)
coding = coding_sample(f"theme:{theme}", corpus=reports.merge(texts, on="doc_id"), sentences=sents,
                       theme_hits=hits, themes=themes, n=10,
                       stratify=[c for c in ("level", "year") if c in reports.columns], seed=seed)
show_table(coding[["item", "doc_id", "predicted", "left", "keyword", "right", "question", "stratum", "weight"]],
           collapsed=True, caption="Validation sample for hand coding" + of)
theme_numbers = theme_metrics_store(db, theme, columns=["doc_id", "section_id", "surface", "value", "unit",
                                                         "qualifier", "indicator", "indicator_id"])
show_table(theme_numbers, name=f"{theme}_numbers", folder=tables, collapsed=True,
           caption="Numbers reported under the theme")

# %% [markdown]
# ## The dictionary and the environment
# The theme's definition, terms and source; the versions and hashes this page was built with (see also the
# provenance block on the index).

# %%
show_table(themes[themes["theme_id"] == theme].T.reset_index().rename(columns=str), collapsed=True,
           caption="The theme's dictionary entry")
show_table(provenance_table(corpus=reports, seed=seed), collapsed=True, caption="Versions and hashes")
