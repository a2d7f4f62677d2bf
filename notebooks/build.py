"""Write the curated notebooks (stored without outputs) from the cell lists below.

Run ``python notebooks/build.py`` after editing a notebook's cells here; the three theme notebooks share one
template so that they stay identical apart from their theme. Notebooks only call package functions: anything
reusable belongs in ``lawgov_analysis``.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).resolve().parent

PARAMETERS = '''# Parameters (papermill overrides these): the corpus folder/file/manifest, where figures go, the seed.
corpus = "../data/reports"
out_dir = "../reports/figures"
seed = 0'''

LOAD = '''reports = load_corpus(corpus)
sects = sections(reports)
sents = sentences(reports, sections_table=sects)
multi_year = reports["year"].nunique() > 1
multi_region = reports["region"].nunique() > 1
print(f"{len(reports)} report(s), {len(sents)} sentences; years: {sorted(reports['year'].dropna().unique())}")'''

VERSIONS_MD = "## Environment\nThe versions and hashes this page was built with (see also the provenance block on the index)."
VERSIONS = '''show_table(provenance_table(corpus=reports, seed=seed))'''


def md(text: str):
    return new_markdown_cell(text.strip())


def code(text: str, *, parameters: bool = False):
    cell = new_code_cell(text.strip())
    if parameters:
        cell.metadata["tags"] = ["parameters"]
    return cell


def notebook(cells: list) -> nbformat.NotebookNode:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def corpus_overview():
    return notebook([
        md("""
# 01 · Corpus overview
What was loaded, from which files, with which metadata; how each report is organised (its own numbering
一、 → (一) → 1、 → 一是) and how long its parts are. Every later notebook starts from these tables."""),
        code("""
from lawgov_analysis.io.corpus import load_corpus, summarize_ingest
from lawgov_analysis.present.display import show_table
from lawgov_analysis.present.plotting import plot_term_bars, save_figure
from lawgov_analysis.present.report import provenance_table
from lawgov_analysis.text.structure import section_outline, sections, sentences"""),
        code(PARAMETERS, parameters=True),
        md("## Ingest account\nOne row per file found: loaded, skipped (with the reason) or a duplicate of another report."),
        code("""
reports, ingest = load_corpus(corpus, report=True)
print(summarize_ingest(ingest))
show_table(ingest)"""),
        md("## Reports and their metadata\nMetadata come from the manifest when there is one, else from the title line, the opening sentence and the file name."),
        code("""
sects = sections(reports)
sents = sentences(reports, sections_table=sects)
overview = reports.drop(columns=["text", "sha256"]).merge(
    sects.groupby("doc_id").size().rename("sections").reset_index(), on="doc_id").merge(
    sents.groupby("doc_id").size().rename("sentences").reset_index(), on="doc_id")
show_table(overview)"""),
        md("## Section tree\nEach report's headings as it numbers them; `chars` is the length of the section including its sub-sections."),
        code("""show_table(section_outline(sects), max_rows=200)"""),
        md("## Lengths\nCharacters per top-level part of each report (the preamble is part 0)."),
        code("""
top = section_outline(sects).query("level <= 1").rename(columns={"outline": "part"})
fig = plot_term_bars(top, term="part", value="chars", group="doc_id" if len(reports) > 1 else None,
                     title="Characters per top-level part")
save_figure(fig, "01_lengths", out_dir)
fig"""),
        md(VERSIONS_MD),
        code(VERSIONS),
    ])


def keywords():
    return notebook([
        md("""
# 02 · Keywords
Which words each report (or part of a report) uses: frequencies with the domain lexicon and stopwords, TF-IDF,
keyness of one part against the rest, keywords in context, a word cloud, and the words that occur together."""),
        code("""
from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.present.display import show_table
from lawgov_analysis.analysis.keywords import cooccurrence, keyness, kwic, term_frequencies, textrank_keywords, tfidf
from lawgov_analysis.present.plotting import plot_cooccurrence_network, plot_term_bars, plot_wordcloud, save_figure
from lawgov_analysis.present.report import provenance_table
from lawgov_analysis.text.structure import sections, sentences, with_section_level
from lawgov_analysis.text.tokens import tokenize"""),
        code(PARAMETERS, parameters=True),
        code(LOAD),
        md("## Tokens\nOne row per token with its offsets; `kind` separates words, whole 《titles》, “slogans”, numbers and punctuation; `is_stop` marks general and boilerplate stopwords."),
        code("""
tokens = with_section_level(tokenize(reports), sects, 2)
show_table(tokens.head(20))"""),
        md("## Most frequent content words\nCounts, share of content tokens and rate per 10,000 characters."),
        code("""
freq = term_frequencies(tokens, by="doc_id")
show_table(freq.groupby("doc_id").head(15))
fig = plot_term_bars(freq.groupby("doc_id").head(20), term="term", value="count",
                     group="doc_id" if len(reports) > 1 else None, title="Most frequent content words")
save_figure(fig, "02_term_bars", out_dir)
fig"""),
        md("## TF-IDF and TextRank\nTF-IDF treats each group as a document: by second-level section for one report, by year when the corpus spans years."),
        code("""
group = "year" if multi_year else "section_l2"
weights = tfidf(tokens, by=group, corpus=reports) if multi_year else tfidf(tokens, by=group)
show_table(weights.groupby(group).head(8))
show_table(textrank_keywords(reports, n=15))"""),
        md("## Keyness\nWeighted log-odds with an informative Dirichlet prior (Monroe, Colaresi & Quinn 2008) and G², for one group against the rest: the latest year when the corpus spans years, else part 一(三) (依法履职, which holds the 普法 section)."),
        code("""
if multi_year:
    target = int(reports["year"].max())
    key = keyness(tokens, target, by="year", corpus=reports)
else:
    target = "一(三)"
    key = keyness(tokens, target, by="section_l2")
show_table(key.head(20))"""),
        md("## Keywords in context\nEvery mention of 普法 with 20 characters either side (text is escaped, never executed)."),
        code("""show_table(kwic(reports, "普法", window=20), max_rows=40)"""),
        md("## Word cloud\nContent words sized by frequency (single-character words kept)."),
        code("""
all_terms = freq.groupby("term", as_index=False)["count"].sum()
fig = plot_wordcloud(all_terms, term="term", value="count", seed=seed)
save_figure(fig, "02_wordcloud", out_dir)
fig"""),
        md("## Co-occurrence\nPairs of content words in the same sentence, with counts and Ochiai association; the network shows the strongest pairs."),
        code("""
pairs = cooccurrence(tokens, unit="sentence", min_count=2)
show_table(pairs.head(20))
fig = plot_cooccurrence_network(pairs, n_edges=50, seed=seed)
save_figure(fig, "02_cooccurrence", out_dir)
fig"""),
        md(VERSIONS_MD),
        code(VERSIONS),
    ])


THEMES = {
    "03_theme_pufa": ("pufa", "普法 (legal education)",
                      "how much each report says about spreading legal knowledge — 谁执法谁普法, 法律明白人, 宪法宣传"),
    "04_theme_saohei": ("saohei", "扫黑除恶 (the organised-crime campaign)",
                        "how much each report says about the campaign against organised crime — 涉黑涉恶, 线索, 长效常治"),
    "05_theme_fangguanfu": ("fangguanfu", "放管服 (streamlining, business environment, government services)",
                            "how much each report says about 放管服 reform — 营商环境, 政务服务, 一网通办"),
}


def theme_notebook(number: str, theme_id: str, label: str, what: str):
    return notebook([
        md(f"""
# {number} · {label}
This notebook measures {what}: where the theme sits in the report(s), the sentences that carry it, the
numbers reported under it, the words used around it, and how it compares with the other themes. The theme is a
transparent dictionary (`lawgov_analysis/resources/themes.toml`); every hit is a whole token, never a
substring of a longer word."""),
        code("""
from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.present.display import show_table
from lawgov_analysis.analysis.keywords import term_frequencies
from lawgov_analysis.measures.metrics import metrics
from lawgov_analysis.present.plotting import plot_term_bars, plot_theme_heatmap, plot_theme_trend, save_figure
from lawgov_analysis.present.report import provenance_table
from lawgov_analysis.text.structure import sections, sentences
from lawgov_analysis.analysis.themes import load_themes, theme_metrics, theme_scores, theme_sentences, validation_sample
from lawgov_analysis.text.tokens import tokenize"""),
        code(PARAMETERS + f'\ntheme = "{theme_id}"', parameters=True),
        code(LOAD),
        md("## The dictionary\nThe theme's definition, terms and source."),
        code("""
themes = load_themes()
show_table(themes[themes["theme_id"] == theme].T.reset_index())"""),
        md("## Where it sits\nHits per 10,000 characters in each third-level section (1、2、…, items 一是/二是 rolled up into their section); the strongest sections first."),
        code("""
by_section = theme_scores(reports, by="section_id", section_level=3)
mine = by_section[by_section["theme_id"] == theme].sort_values(["hits", "section_id"], ascending=[False, True])
show_table(mine.head(10))"""),
        md("## Compared with the other themes\nEvery theme in every report — or, with one report, in each of its second-level parts: the attention profile."),
        code("""
if len(reports) > 1:
    profile = theme_scores(reports, by="doc_id")
    fig = plot_theme_heatmap(profile, by="doc_id", title="Theme hits per 10,000 characters")
else:
    profile = theme_scores(reports, by="section_id", section_level=2)
    fig = plot_theme_heatmap(profile, by="section_id", title="Theme hits per 10,000 characters, by part")
save_figure(fig, f"{theme}_heatmap", out_dir)
fig"""),
        md("## Over time and across regions\nShown when the corpus spans several years or regions."),
        code("""
if multi_year or multi_region:
    by_year = theme_scores(reports, by="year")
    show_table(by_year[by_year["theme_id"] == theme])
    fig = plot_theme_trend(by_year, x="year", themes=[theme], title="Theme hits per 10,000 characters by year")
    save_figure(fig, f"{theme}_trend", out_dir)
    display(fig)
else:
    print("One report: no trend to draw.")"""),
        md("## Its sentences\nEvery sentence carrying the theme with the terms that fired; below, a seeded stratified sample for hand coding."),
        code("""
carrying = theme_sentences(reports, theme)
print(f"{len(carrying)} of {len(sents)} sentences carry the theme")
show_table(carrying[["doc_id", "section_id", "sentence_id", "terms", "text"]], max_rows=60)
show_table(validation_sample(reports, theme, n=10, seed=seed))"""),
        md("## Its numbers\nMetric mentions whose indicator belongs to the theme (see `docs/spec/indicators.md`)."),
        code("""
theme_numbers = theme_metrics(metrics(reports), theme)
show_table(theme_numbers[["doc_id", "section_id", "surface", "value", "unit", "qualifier", "indicator", "indicator_id"]],
           max_rows=60)"""),
        md("## Its words\nThe most frequent content words in the theme's sentences."),
        code("""
tokens = tokenize(reports)
keys = carrying[["doc_id", "sentence_id"]]
in_theme = tokens.merge(keys, on=["doc_id", "sentence_id"])
words = term_frequencies(in_theme, by="doc_id")
show_table(words.head(20))
if len(words):
    fig = plot_term_bars(words.groupby("doc_id").head(20), term="term", value="count",
                         group="doc_id" if len(reports) > 1 else None, title="Words in the theme's sentences")
    save_figure(fig, f"{theme}_words", out_dir)
    display(fig)"""),
        md(VERSIONS_MD),
        code(VERSIONS),
    ])


def topics():
    return notebook([
        md("""
# 06 · Topics
Topics discovered from the words themselves (NMF on TF-IDF of paragraphs), with the number of topics chosen by
NPMI coherence on the corpus and stability across seeds, and a check that the topics track the report's own
section structure (adjusted mutual information)."""),
        code("""
import pandas as pd

from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.present.display import show_table
from lawgov_analysis.present.plotting import plot_topic_terms, save_figure
from lawgov_analysis.present.report import provenance_table
from lawgov_analysis.text.structure import sections, sentences
from lawgov_analysis.text.tokens import tokenize
from lawgov_analysis.analysis.topics import fit_topics, select_k, topic_prevalence, topic_section_agreement"""),
        code(PARAMETERS, parameters=True),
        code(LOAD),
        md("## Choosing k\nFor each k: mean NPMI coherence of the top terms (computed on this corpus) and mean best-match similarity of topics fitted with different seeds."),
        code("""
tokens = tokenize(reports)
table, k, rule = select_k(tokens, ks=range(3, 11), method="nmf", unit="paragraph", corpus=reports)
show_table(table)
print(f"recommended k = {k} ({rule})")"""),
        md("## Topics\nTop terms of each topic (weights from the NMF components)."),
        code("""
model = fit_topics(tokens, k, method="nmf", unit="paragraph", seed=seed, corpus=reports)
show_table(pd.DataFrame({"topic": range(k), "label": model.labels()}))
fig = plot_topic_terms(model.top_terms(n=10))
save_figure(fig, "06_topic_terms", out_dir)
fig"""),
        md("## Do topics follow the report's structure?\nAdjusted mutual information between each paragraph's dominant topic and its section (0 = unrelated, 1 = identical partitions)."),
        code("""
show_table(pd.DataFrame([{"level": level, "ami": topic_section_agreement(model, sects, level=level)}
                         for level in (1, 2)]))"""),
        md("## Topic prevalence by year or region\nMean topic weight of the paragraphs of each year (shown when the corpus spans years)."),
        code("""
if multi_year:
    prevalence = topic_prevalence(model, reports, by="year")
    show_table(prevalence)
else:
    print("One report: no trend to draw.")"""),
        md(VERSIONS_MD),
        code(VERSIONS),
    ])


def metric_trends():
    return notebook([
        md("""
# 07 · Metric trends
Every number the reports cite, with its unit, hedge (余, 以上 …), the phrase naming what is counted and a
canonical `indicator_id` (docs/spec/indicators.md) so that reports can be compared; the coverage of indicators
per report; trends by year and region; and the arithmetic audit (rates against their numerator and
denominator, totals against their parts, received against concluded)."""),
        code("""
from lawgov_analysis.measures.audit import audit
from lawgov_analysis.io.corpus import load_corpus
from lawgov_analysis.present.display import show_table
from lawgov_analysis.measures.metrics import metrics
from lawgov_analysis.present.plotting import plot_audit_findings, plot_metric_trend, plot_term_bars, save_figure
from lawgov_analysis.present.report import provenance_table
from lawgov_analysis.text.structure import sections, sentences"""),
        code(PARAMETERS, parameters=True),
        code(LOAD),
        md("## The indicator table\nOne row per metric mention; `surface` is exactly `text[start:end]`."),
        code("""
table = metrics(reports)
print(f"{len(table)} metric mentions")
show_table(table[["doc_id", "section_id", "surface", "value", "value_max", "unit", "qualifier", "indicator",
                  "indicator_id", "comparison"]], max_rows=150)"""),
        md("## Coverage\nHow many mentions of each canonical indicator each report has."),
        code("""
coverage = (table.groupby(["indicator_id", "doc_id"]).size().unstack(fill_value=0)
            .sort_index())
show_table(coverage.reset_index(), max_rows=80)"""),
        md("## Trends by year and region\nFor each indicator and unit reported in more than one year: the largest figure each report gives for it (usually the total; stages such as received and concluded share an indicator only where the indicator list says so). With one report there is no trend; the mentions per indicator are shown instead."),
        code("""
with_meta = table.merge(reports[["doc_id", "year", "region"]], on="doc_id")
with_meta = with_meta[with_meta["indicator_id"] != "other"].assign(
    series=lambda d: d["indicator_id"] + " (" + d["unit"] + ")")
if multi_year:
    spans = with_meta.groupby("series")["year"].nunique()
    chosen = sorted(spans[spans > 1].index)[:9]
    trend = with_meta[with_meta["series"].isin(chosen)]
    show_table(trend.groupby(["series", "year", "region"])["value"].max().reset_index())
    fig = plot_metric_trend(trend.assign(indicator_id=trend["series"]), x="year", group="region", agg="max")
    save_figure(fig, "07_metric_trend", out_dir)
else:
    counts = with_meta.groupby("indicator_id").size().rename("mentions").reset_index()
    fig = plot_term_bars(counts.sort_values(["mentions", "indicator_id"], ascending=[False, True]),
                         term="indicator_id", value="mentions", n=25, title="Metric mentions per indicator")
    save_figure(fig, "07_indicator_mentions", out_dir)
fig"""),
        md("## Audit\nRates recomputed from their numerator and denominator (tolerant of the stated precision), totals against their parts, and received against concluded (information, not error)."),
        code("""
findings = audit(table, reports)
show_table(findings, max_rows=80)
fig = plot_audit_findings(findings)
save_figure(fig, "07_audit", out_dir)
fig"""),
        md(VERSIONS_MD),
        code(VERSIONS),
    ])


def main() -> None:
    books = {"01_corpus_overview": corpus_overview(), "02_keywords": keywords(), "06_topics": topics(),
             "07_metric_trends": metric_trends()}
    for name, (theme_id, label, what) in THEMES.items():
        books[name] = theme_notebook(name[:2], theme_id, label, what)
    for name, nb in sorted(books.items()):
        for i, cell in enumerate(nb.cells):
            cell["id"] = f"{name[:2]}-{i:02d}"  # stable cell ids keep the files byte-stable
        nbformat.validate(nb)
        (HERE / f"{name}.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        print(f"wrote notebooks/{name}.ipynb")


if __name__ == "__main__":
    main()
