"""index.html in headless Chromium (Debian's package, driven by Playwright): the page loads
from file:// with no console error and no request beyond its own file, the overview shows the
package's version and row counts, search, sort and navigation work, measure and agency pages
show what they should. Screenshots of the views are written to the test's tmp dir.

No browser, no pass: a missing Chromium fails these tests (`nox -s tests` installs it)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.html import embedded_json, write_index
from pipeline.schema import resource_names

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def browser():
    chromium = CHROMIUM if CHROMIUM.exists() else Path(shutil.which("chromium") or CHROMIUM)
    if not chromium.exists():
        pytest.fail("Chromium is not installed (/usr/bin/chromium): `apt-get install chromium`, "
                    "which `nox -s tests` does when run as root")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("playwright is not installed: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab on the package's index.html that records console errors and requests."""

    def __init__(self, browser, package: Path):
        self.url = (package / "index.html").as_uri()
        self.tab = browser.new_page(viewport=VIEWPORT)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.tab.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.tab.on("pageerror", lambda e: self.errors.append(str(e)))
        self.tab.on("request", lambda r: self.requests.append(r.url))

    def open(self, fragment: str = "") -> None:
        self.tab.goto(self.url + fragment)

    def rows(self, table: str) -> list[str]:
        return self.tab.eval_on_selector_all(f'table[data-table="{table}"] tbody tr', "rs => rs.map(r => r.dataset.key)")


@pytest.fixture
def page(browser, package):
    tab = Page(browser, package)
    yield tab
    tab.tab.close()
    assert tab.errors == [], f"console errors: {tab.errors}"
    foreign = [u for u in tab.requests if not u.startswith(tab.url.split("#")[0]) and not u.startswith("data:")]
    assert foreign == [], f"the page fetched something beyond itself: {foreign}"


def test_overview_shows_version_counts_and_charts(page, package, tables, tmp_path):
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    page.open()
    tab = page.tab
    tab.wait_for_selector("#overview")
    assert tab.inner_text("#pkg-version") == descriptor["version"]
    assert descriptor["version"] in tab.inner_text("#version")
    for name in resource_names():
        shown = tab.inner_text(f'#counts a[data-resource="{name}"] .num').replace(",", "")
        assert int(shown) == len(tables[name]), name
    sources = tab.inner_text("#sources")
    for source in descriptor["sources"]:
        assert source["sha256"] in sources
    for chart in ("money-role", "money-agency", "targets-year", "policy-mix"):
        assert tab.locator(f"#chart-{chart} svg rect.bar").count() > 0, chart
    shot = tmp_path / "overview.png"
    tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000


def test_search_filters_rows(page, tables):
    agencies = tables["agencies"]
    names = dict(zip(agencies.agency_id, agencies.name, strict=True))
    term = "经济和信息化"
    expected = [
        row.agency_id for row in agencies.itertuples()
        if any(term in str(v) for v in row[1:]) or term in names.get(row.successor_id, "")
    ]
    assert 0 < len(expected) < len(agencies)
    page.open("#/table/agencies")
    assert len(page.rows("agencies")) == len(agencies)
    page.tab.fill("#search", term)
    page.tab.wait_for_function(f"document.querySelectorAll('table[data-table=agencies] tbody tr').length === {len(expected)}")
    assert page.rows("agencies") == expected
    assert page.tab.inner_text("#rowcount").startswith(f"{len(expected)} of ")
    assert "q=" in page.tab.evaluate("location.hash")  # the search is part of the link
    page.tab.fill("#search", "")
    page.tab.wait_for_function(f"document.querySelectorAll('table[data-table=agencies] tbody tr').length === {len(agencies)}")


def test_sorting_by_a_column(page, tables):
    amounts = tables["amounts"].assign(value=lambda t: t.max_cny.astype(float))
    order = list(range(len(amounts)))
    ascending = [amounts.amount_id[i] for i in sorted(order, key=lambda i: (amounts.value[i], i))]
    descending = [amounts.amount_id[i] for i in sorted(order, key=lambda i: (-amounts.value[i], i))]
    page.open("#/table/amounts")
    header = page.tab.locator('th[data-col="max_cny"]')
    header.click()
    assert page.rows("amounts") == ascending
    assert header.get_attribute("aria-sort") == "ascending"
    header.click()
    assert page.rows("amounts") == descending
    assert "sort=-max_cny" in page.tab.evaluate("location.hash")


def test_measure_page_highlights_amounts_targets_and_agencies(page, tables, tmp_path):
    amounts, targets, links = tables["amounts"], tables["targets"], tables["measure_agencies"]
    with_money = amounts.groupby("measure_id").size()
    measure_id = with_money.sort_values(ascending=False, kind="stable").index[0]
    document_id = tables["measures"].set_index("measure_id").document_id[measure_id]
    # reach it as a reader would: search the measures table, click the id
    page.open("#/table/measures")
    page.tab.fill("#search", measure_id)
    page.tab.locator(f'table[data-table="measures"] td a[href="#/measure/{measure_id}"]').first.click()
    page.tab.wait_for_selector(f'#measure[data-id="{measure_id}"]')
    refs = set(" ".join(page.tab.eval_on_selector_all("mark.hl-amount", "ms => ms.map(m => m.dataset.ref)")).split())
    assert set(amounts.amount_id[amounts.measure_id == measure_id]) <= refs
    target_ids = set(targets.target_id[targets.measure_id == measure_id])
    if target_ids:
        assert page.tab.locator("mark.hl-target").count() > 0
    marked = page.tab.eval_on_selector_all("mark.hl-amount", "ms => ms.map(m => m.textContent)")
    assert all(m in page.tab.inner_text("#measure-text") for m in marked)
    assert "amounts" in page.tab.inner_text(".legend")
    shot = tmp_path / "measure.png"
    page.tab.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    # an agency mention is highlighted and links to the agency
    texts = dict(zip(tables["measures"].measure_id, tables["measures"].text, strict=True))
    named = next(r.measure_id for r in links.itertuples() if r.mention in texts[r.measure_id])
    page.open(f"#/measure/{named}")
    page.tab.wait_for_selector("mark.hl-agency")
    assert page.tab.locator("a.agency-link").count() == (links.measure_id == named).sum()
    # navigation: to the document and back
    page.open(f"#/measure/{measure_id}")
    page.tab.click("#doc-link")
    page.tab.wait_for_selector(f'#document[data-id="{document_id}"]')
    assert page.tab.locator(f'#items a[href="#/measure/{measure_id}"]').count() == 1
    page.tab.go_back()
    page.tab.wait_for_selector(f'#measure[data-id="{measure_id}"]')


def lineage(agencies: pd.DataFrame, agency_id: str) -> set[str]:
    """The body, every body it became, and every body that became it (directly or not)."""
    successor = dict(zip(agencies.agency_id, agencies.successor_id, strict=True))
    bodies, current = {agency_id}, successor[agency_id]
    while current and current not in bodies:
        bodies.add(current)
        current = successor[current]
    frontier = [agency_id]
    while frontier:
        this = frontier.pop()
        for before in agencies.agency_id[agencies.successor_id == this]:
            if before not in bodies:
                bodies.add(before)
                frontier.append(before)
    return bodies


def test_agency_page_follows_lineage_and_lists_what_it_leads(page, tables, tmp_path):
    agencies, links = tables["agencies"], tables["measure_agencies"]
    successors = set(agencies.successor_id) - {""}
    leads = links[links.role == "lead"]
    # the successor body named as lead most often: its page shows "formerly …"
    ranked = leads[leads.agency_id.isin(successors)].groupby("agency_id").size().sort_values(ascending=False, kind="stable")
    agency_id = ranked.index[0]
    bodies = lineage(agencies, agency_id)
    expected = set(leads.measure_id[leads.agency_id.isin(bodies)])
    page.open("#/table/agencies")
    page.tab.fill("#search", agency_id)
    page.tab.locator(f'table[data-table="agencies"] td a[href="#/agency/{agency_id}"]').first.click()
    page.tab.wait_for_selector(f'#agency[data-id="{agency_id}"]')
    shown = set(page.tab.eval_on_selector_all('table[data-role="lead"] tr[data-measure]', "rs => rs.map(r => r.dataset.measure)"))
    assert shown == expected
    assert set(leads.measure_id[leads.agency_id == agency_id]) <= shown
    predecessors = agencies[agencies.successor_id == agency_id]
    formerly = page.tab.inner_text("#formerly")
    assert all(name in formerly for name in predecessors.name)
    shot = tmp_path / "agency.png"
    page.tab.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000
    # and the other way: a predecessor's page says what it became, and links there
    before = predecessors.agency_id.iloc[0]
    page.tab.click(f'#formerly a[href="#/agency/{before}"]')
    page.tab.wait_for_selector(f'#agency[data-id="{before}"]')
    page.tab.click(f'#became a[href="#/agency/{agency_id}"]')
    page.tab.wait_for_selector(f'#agency[data-id="{agency_id}"]')


def test_unknown_ids_and_document_pages(page, tables):
    page.open("#/measure/no-such-measure")
    assert "Not found" in page.tab.inner_text("main")
    document = tables["documents"].iloc[-1]
    page.open(f"#/document/{document.document_id}")
    assert document.title in page.tab.inner_text("#document h1")


def test_page_is_deterministic_and_self_contained(package):
    first = (package / "index.html").read_bytes()
    descriptor = json.loads((package / "datapackage.json").read_text("utf-8"))
    write_index(package, descriptor)
    assert (package / "index.html").read_bytes() == first
    text = first.decode("utf-8")
    assert "http://" not in text.replace("http://www.w3.org/2000/svg", "")
    assert "<script src" not in text and "<link rel=\"stylesheet\"" not in text
    assert "<" not in embedded_json({"a": "</script><!--", "b": "&"})


VIEWS = ["", *(f"#/table/{name}" for name in resource_names())]


@pytest.mark.parametrize("width", [1280, 1920])
def test_no_view_scrolls_sideways_and_sorting_keeps_ids_in_view(browser, package, width, tmp_path):
    tab = browser.new_page(viewport={"width": width, "height": 900})
    url = (package / "index.html").as_uri()
    for view in VIEWS:
        tab.goto(url + view)
        tab.wait_for_selector("main section")
        assert tab.evaluate("document.documentElement.scrollWidth") <= width, f"{view or 'overview'} at {width}px"
        tab.screenshot(path=str(tmp_path / f"{width}-{view.rsplit('/', 1)[-1] or 'overview'}.png"))
        if not view:
            continue
        # sort by the right-most column, reached by scrolling the table sideways: the key and
        # text columns stay inside the table's box
        last = tab.locator("table.data thead th").last
        last.scroll_into_view_if_needed()
        last.click()
        box = tab.eval_on_selector(".scroll.tall", "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }")
        sticky = tab.eval_on_selector_all(
            "table.data thead th.stick", "ths => ths.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right]; })")
        assert sticky, view
        assert all(box[0] - 1 <= left and right <= box[1] + 1 for left, right in sticky), (view, width, sticky, box)
    tab.close()


def select_filter(page, table: str, column: str, value: str, expected: list[str]) -> None:
    page.open(f"#/table/{table}")
    page.tab.select_option(f'select[data-col="{column}"]', value)
    page.tab.wait_for_function(
        f"document.querySelectorAll('table[data-table={table}] tbody tr').length === {min(len(expected), 200)}")
    assert page.rows(table) == expected[:200]
    assert f"{column}={value}" in page.tab.evaluate("location.hash")


def test_targets_filter_by_year(page, tables):
    targets = tables["targets"]
    year = targets.year[targets.year != ""].value_counts().index[0]
    select_filter(page, "targets", "year", year, list(targets.target_id[targets.year == year]))


def test_amounts_filter_by_the_kind_of_their_document(page, tables):
    kinds = dict(zip(tables["documents"].document_id, tables["documents"].kind, strict=True))
    amounts = tables["amounts"].assign(kind=lambda t: t.document_id.map(kinds))
    for kind in sorted(set(amounts.kind)):
        select_filter(page, "amounts", "document_kind", kind, list(amounts.amount_id[amounts.kind == kind]))


def test_the_overview_adds_money_up_as_the_data_dictionary_says(page, tables):
    """The chart of money set aside follows the recipe of the package's README: fund amounts in
    yuan, not per unit nor one choice of a list, not lent, outside articles, by document."""
    kinds = dict(zip(tables["documents"].document_id, tables["documents"].kind, strict=True))
    amounts = tables["amounts"].assign(kind=lambda t: t.document_id.map(kinds))
    granted = amounts[amounts.role.isin(["fund", "subsidy", "award"]) & (amounts.kind != "article")
                      & (amounts.max_cny != "") & (amounts.credit == "")]
    set_aside = granted[(granted.role == "fund") & (granted.per == "") & (granted.paired_with == "")]
    totals = set_aside.assign(value=set_aside.max_cny.astype(float)).groupby("document_id").value.agg(["sum", "size"])
    expected = sorted(totals.itertuples(), key=lambda r: (-r.sum, r.Index))[:10]
    page.open()
    chart = page.tab.locator("#chart-money-role svg").first
    shown = chart.locator("a[href^='#/document/']").evaluate_all("as => as.map(a => a.getAttribute('href'))")
    assert list(dict.fromkeys(shown)) == [f"#/document/{r.Index}" for r in expected]
    titles = chart.locator("rect.bar title").evaluate_all("ts => ts.map(t => t.textContent)")
    assert [t.rsplit(" in ", 1)[1] for t in titles] == [f"{r.size} amounts" for r in expected]
    entitlements = page.tab.locator("#chart-money-role svg").nth(1).locator("rect.bar title").evaluate_all(
        "ts => ts.map(t => t.textContent)")
    for role in ("subsidy", "award"):
        count = int((granted.role == role).sum())
        assert f"{role}: {count} amounts one beneficiary may get" in entitlements
