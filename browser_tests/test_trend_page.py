"""`querykind report --by day --html FILE` in a real headless browser (Debian's chromium via chromium-driver): the
page renders from the file alone, has one SVG bar group per period, and every number in its table equals the JSON
report's. The rows are the sample queries labeled by the shipped model, asked over two weeks. The same page from a
running `serve --db` at `GET /report`."""

import json
import re
import sqlite3

import pytest
from selenium.webdriver.common.by import By

from conftest import QUERYKIND, SAMPLE_TEXTS, label, run, served


@pytest.fixture(scope="module")
def labeled(tmp_path_factory):
    """A sample database: scripts/sample_queries.txt asked over 14 days (ISO-8601 text), labeled."""
    folder = tmp_path_factory.mktemp("trends")
    db = folder / "sample.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT, asked_at TEXT)")
        connection.executemany(
            "INSERT INTO queries (id, text, asked_at) VALUES (?, ?, "
            "strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-01', '+' || (? % 14) || ' days', '+' || ? || ' minutes'))",
            [(index, text, index, index * 7) for index, text in enumerate(SAMPLE_TEXTS, start=1)])
        connection.execute("INSERT INTO queries (text, asked_at) VALUES (NULL, '2026-11-14T10:00:00Z')")
    label(db)
    return folder, db


def report(db, *flags, time_column=("--time-column", "asked_at")):
    arguments = [QUERYKIND, "report", "--db", str(db), "--by", "day", *time_column, *flags]
    return run(arguments, check=True).stdout


def test_page_renders_one_bar_group_per_period_and_the_json_numbers(labeled, browser):
    folder, db = labeled
    page = folder / "trends.html"
    document = json.loads(report(db, "--json", "--html", str(page)))
    periods = document["periods"]
    assert len(periods) == 14

    html = page.read_text()
    assert not re.search(r"<script|https?://|url\(|@import|<link|<img", html), "the page fetches nothing"

    browser.get(page.as_uri())
    assert browser.execute_script("return document.readyState") == "complete"
    chart = browser.find_element(By.ID, "kinds")
    assert chart.size["width"] > 500 and chart.size["height"] > 100, "the chart is laid out"
    groups = chart.find_elements(By.CSS_SELECTOR, "g.period")
    assert [group.get_attribute("data-start") for group in groups] == [period["start"] for period in periods]
    for group, period in zip(groups, periods):
        bars = group.find_elements(By.TAG_NAME, "rect")
        kinds = {kind for kind, count in period["kinds"].items() if count > 0}
        assert {bar.get_attribute("class") for bar in bars} == kinds
        assert all(bar.size["height"] > 0 for bar in bars), "every bar is drawn"
    for chart_id in ("drift", "hist-p_keyword", "hist-p_question"):
        assert browser.find_element(By.ID, chart_id).size["height"] > 0
    assert browser.find_element(By.CSS_SELECTOR, "#drift polyline").get_attribute("points")
    assert browser.find_elements(By.CSS_SELECTOR, "#examples tr")[1:], "the latest day's least confident labels"

    assert_numbers_table(browser, periods)


def assert_numbers_table(browser, periods):
    """The page's numbers table has a row per period, each cell shown and its data-value equal to the JSON's."""
    rows = browser.find_elements(By.CSS_SELECTOR, "#numbers tr.period")
    assert len(rows) == len(periods)
    for row, period in zip(rows, periods):
        for cell in row.find_elements(By.TAG_NAME, "td"):
            key, value = cell.get_attribute("data-key"), cell.get_attribute("data-value")
            expected = period["kinds"][key] if key in period["kinds"] else period[key]
            if expected is None:
                assert value == "", key
            elif isinstance(expected, bool):
                assert value == str(expected).lower(), key
            elif isinstance(expected, (int, float)):
                assert float(value) == expected, (period["start"], key)
            else:
                assert value == expected, key
            assert cell.is_displayed()


def test_terminal_report_draws_a_full_bar_per_period(labeled):
    _, db = labeled
    lines = [line for line in report(db).splitlines() if line.startswith("  2026-11-")]
    assert len(lines) == 14
    assert all(sum(line.count(block) for block in "█▓▒░") == 20 for line in lines)


def test_serve_shows_the_same_page_at_report(labeled, browser):
    """`serve --db` answers GET /report with the page `report --by day` (by labeled_at) writes for its database."""
    folder, db = labeled
    with served(db, folder / "serve.log") as port:
        periods = json.loads(report(db, "--json", time_column=()))["periods"]
        browser.get(f"http://127.0.0.1:{port}/report?by=day")
        groups = browser.find_elements(By.CSS_SELECTOR, "#kinds g.period")
        assert [group.get_attribute("data-start") for group in groups] == [period["start"] for period in periods]
        assert_numbers_table(browser, periods)
