"""`README.md` of the package, generated from the schemas at every build: the data dictionary,
with loading examples that the tests run. (`pipeline.html` writes the browsing page.)"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from pipeline.extract.lexicon import rows
from pipeline.schema import categories, field_type, is_nullable, record_schema, resource_names


def row_counts(folder: Path) -> dict[str, int]:
    return {name: pq.ParquetFile(folder / f"{name}.parquet").metadata.num_rows for name in resource_names()}


MONEY_RECIPE = '''## Recipe: the money a document promises

`amounts` holds every sum of money a text prints, whatever it is. Before adding any up:

- **Roles** (`role`). `fund` is money a document sets aside (`安排资金30亿元`, `设立…资金池`); `subsidy`
  and `award` are what one beneficiary may receive (`对…给予最高不超过100万元的补助`), nearly
  always a ceiling (`qualifier` `max`) per enterprise, project or person (`per`). A `deduction`
  is money taken back; a `threshold` a condition (`投资额达到2000万元以上的`); a `target` a goal;
  a `statistic` a figure reported, past or current, including money an article or the review
  part of a work report says was granted. Only `fund` rows add up to what a document spends;
  `subsidy` and `award` rows tell what each beneficiary can get.
- **Documents.** An `article` (`documents.kind`) reports: its money is never `fund`, `subsidy`
  or `award`. A government work report promises only in its plan for the year.
- **Per unit and per period.** `per` (`enterprise`, `person`, `mu`, `吨` …) marks an amount paid
  per unit, `paired_with` one choice of a `分别` list (`三星级` 20万元, `四星级` 50万元): neither
  is a total. `period` (`one_off`, `per_year`, `per_quarter`, `per_month`, `per_day`) says how
  often a sum recurs.
- **Currencies.** `min_cny`/`max_cny` are null for another `currency` (`USD`, `HKD` …), so that a
  sum of them never mixes dollars into yuan; `min_value`/`max_value` hold every amount in its
  own currency. A range (`qualifier` `range`) runs from `min_cny` to `max_cny`.
- **Credit.** `credit` is `loan` or `guarantee` for money lent or guaranteed (a loan or
  guarantee amount, ceiling or balance), which is not money paid.

```python
from pandas import read_csv
amounts = read_csv("amounts.csv")
documents = read_csv("documents.csv")[["document_id", "title", "kind"]]
money = amounts.merge(documents, on="document_id")
granted = money[money.role.isin(["fund", "subsidy", "award"]) & (money.kind != "article")
                & money.max_cny.notna() & money.credit.isna()]
set_aside = granted[(granted.role == "fund") & granted.per.isna() & granted.paired_with.isna()]
print(set_aside.groupby("title")["max_cny"].sum())  # yuan each document sets aside
entitlements = granted[granted.role != "fund"]  # what one beneficiary may get, not a total
print(entitlements[["text", "qualifier", "per", "paired_with", "period", "max_cny"]].to_string())
```
'''


AGENCY_RECIPE = '''## Recipe: the measures an agency leads, across its renamings

`measure_agencies` has a row per body named in a clause: count distinct `measure_id`, not rows
(a body named twice in one measure leads it once). Bodies are renamed and merged
(`四川省经济和信息化委员会` became `四川省经济和信息化厅`): `agencies.successor_id` points to the
body each became, so follow it to the latest body before counting, or one body's measures are
split across its names. `role` is `lead` where the clause or the document marks who leads; a
document that marks no lead names every body `responsible`, so count that too where you want
"who is responsible". The browsing page's agency pages count this way.

```python
import duckdb
print(duckdb.sql("""
    WITH RECURSIVE chain(agency_id, body) AS (
        SELECT agency_id, agency_id FROM 'agencies.parquet'
        UNION ALL
        SELECT chain.agency_id, a.successor_id FROM chain JOIN 'agencies.parquet' a ON a.agency_id = chain.body
        WHERE a.successor_id IS NOT NULL
    ), latest AS (
        SELECT chain.agency_id, chain.body FROM chain JOIN 'agencies.parquet' a ON a.agency_id = chain.body
        WHERE a.successor_id IS NULL
    )
    SELECT a.name, count(DISTINCT m.measure_id) AS measures_led
    FROM 'measure_agencies.parquet' m JOIN latest USING (agency_id) JOIN 'agencies.parquet' a ON a.agency_id = latest.body
    WHERE m.role = 'lead' GROUP BY a.name ORDER BY measures_led DESC, a.name LIMIT 5
"""))
```

## Recipe: the goals due in a year

`targets.year` is the deadline a goal states or its section hands down (`到2025年`); a goal
without one has a null year. Figures a text reports about the past are not in `targets`. Keep
`unit` in view: values of different units never add up, and `pp` (percentage points) is a
change, not a level.

```python
from pandas import read_parquet
targets = read_parquet("targets.parquet")
goals_due = targets[targets.year == targets.year.max()]
print(goals_due[["indicator", "comparator", "value", "unit", "year"]].to_string())
```
'''


LOADING = '''## Browsing and tracing a row to its source

Open `index.html` in a browser (no network needed): an overview with charts, searchable and
sortable tables, a page per measure with its amounts, targets and agencies highlighted in its
text, and a page per agency with what it leads and supports across its renamings. Every row
carries raw line numbers of its source text (`documents.source_file`): the file's own lines for
`.txt` and `.md`, the lines of the text the reader produced for a web page, a Word file or a
PDF (`documents.source_format`), and for a PDF the pages (`page_start`, `page_end`). With the
pipeline's repository at hand, `python -m pipeline explain ID` reads the file again the same way
and prints any row with those source lines and the mention marked.

## Loading the data

pandas (CSV or Parquet):

```python
import pandas as pd
measures = pd.read_parquet("measures.parquet")
amounts = pd.read_csv("amounts.csv")
money = amounts.merge(measures[["measure_id", "instrument"]], on="measure_id")
print(money.groupby(["role", "instrument"]).size())  # rows; to add money up, see the recipe
```

DuckDB: see the recipe for the measures an agency leads above.

frictionless (validates types, keys and foreign keys):

```python
from frictionless import Package
package = Package("datapackage.json")
print(package.get_resource("targets").to_pandas().head())
```

R:

```r
# base R; with the arrow package: measures <- arrow::read_parquet("measures.parquet")
measures <- read.csv("measures.csv", encoding = "UTF-8", na.strings = "")
table(measures$instrument, useNA = "ifany")
```
'''


def column_table(name: str) -> list[str]:
    lines = ["| column | type | null | meaning | allowed values |", "|---|---|---|---|---|"]
    for column, prop in record_schema(name)["properties"].items():
        allowed = ", ".join(f"`{v}`" for v in categories(prop) or []) or ""
        meaning = prop["description"].replace("|", "\\|")
        nullable = "yes" if is_nullable(prop) else "no"
        lines.append(f"| `{column}` | {field_type(prop)} | {nullable} | {meaning} | {allowed} |")
    return lines


def readme(descriptor: dict[str, Any], counts: dict[str, int]) -> str:
    licenses = ", ".join(f"[{lic['name']}]({lic['path']})" for lic in descriptor["licenses"])
    lines = [
        f"# {descriptor['title']}",
        "",
        descriptor["description"],
        "",
        f"- version: **{descriptor['version']}** (created {descriptor['created']}); see `CHANGELOG.md`",
        f"- license: {licenses}",
        "- format: Frictionless Data Package v2 (`datapackage.json`); every table as CSV (UTF-8, "
        "`\\n`, empty cell = null) and as Parquet with the same rows",
        "- files: `<table>.csv` and `<table>.parquet` here; `datapackage.json` names the same bytes by "
        "their content, `data/<table>.<hash>.csv`, so that reading through it always gives one version "
        "of every table, even while the package is being rebuilt",
        "",
        "## How to cite",
        "",
        f"> {descriptor['title']}, version {descriptor['version']} ({descriptor['created'][:4]}). "
        f"Data package `{descriptor['name']}` built from {len(descriptor['sources'])} source texts; "
        f"content sha256 `{descriptor['contentHash']}`." + (f" {descriptor['homepage']}" if descriptor.get("homepage") else ""),
        "",
        "## Sources",
        "",
        "| file | bytes | sha256 |",
        "|---|---:|---|",
        *(f"| `{s['title']}` | {s['bytes']} | `{s['sha256']}` |" for s in descriptor["sources"]),
        "",
    ]
    if descriptor.get("skippedSources"):
        lines += ["Skipped files (not read for this version):", ""]
        lines += [f"- `{s['path']}`: {s['reason']}"
                  + (f"; its rows of version {s['carriedForward']} are carried forward" if "carriedForward" in s else
                     " (not in this package)")
                  for s in descriptor["skippedSources"]]
        lines.append("")
    lines += ["## Tables", ""]
    for name in resource_names():
        schema = record_schema(name)
        keys = ", ".join(schema["primaryKey"])
        fks = "; ".join(
            f"{', '.join(fk['fields'])} → {fk['reference']['resource']}" for fk in schema["foreignKeys"]
        )
        lines += [
            f"### {name} ({counts[name]} rows)",
            "",
            schema["description"],
            "",
            f"Files: `{name}.csv`, `{name}.parquet`. Primary key: {keys}. Foreign keys: {fks or '—'}.",
            "",
            *column_table(name),
            "",
        ]
    lines += [
        "## The instrument codebook",
        "",
        "`measures.instrument` and `measures.instrument_subtype` follow Rothwell & Zegveld's "
        "supply / environment / demand instruments. One primary class per measure; items that set "
        "out no instrument (guiding ideology, significance, trends, current situation, lists of "
        "attachments) are null. `instrument_evidence` lists the cue words that decided the class.",
        "",
        "| instrument | subtype | covers |",
        "|---|---|---|",
        *(f"| {c['instrument']} | {c['subtype']} | {c['covers']} |" for c in rows("instrument_codebook")),
        "",
        MONEY_RECIPE,
        AGENCY_RECIPE,
        LOADING,
    ]
    return "\n".join(lines)


def write_readme(folder: Path, descriptor: dict[str, Any]) -> None:
    (folder / "README.md").write_text(readme(descriptor, row_counts(folder)), encoding="utf-8")
