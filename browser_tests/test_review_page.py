"""`serve --db`'s review page (`GET /review`) in a real headless browser (Debian's chromium via chromium-driver): on
a server that requires an API key, the page takes the key from `#key=`, shows the queue's head, and records one
review per key press (k keyword, q question, s statement; space skips) in the database's query_reviews; its
"reviewed today" and kind accuracy are the database's, the accuracy as `eval --db` scores it."""

import json
import sqlite3
import urllib.error
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import QUERYKIND, SAMPLE_TEXTS, label, run, served

KEY = "review-page-test-key"


@pytest.fixture(scope="module")
def labeled(tmp_path_factory):
    """The sample queries in a SQLite database, labeled by the shipped model."""
    folder = tmp_path_factory.mktemp("review")
    db = folder / "queries.db"
    with sqlite3.connect(db) as connection:
        connection.execute("CREATE TABLE queries (id INTEGER PRIMARY KEY, text TEXT)")
        connection.executemany("INSERT INTO queries (text) VALUES (?)", [(text,) for text in SAMPLE_TEXTS])
    label(db)
    return folder, db


def settled(browser, previous_key=None):
    """Waits (bounded) until the page is idle with an item other than `previous_key` shown; returns its key."""
    def ready(driver):
        state = driver.execute_script("return document.body.dataset.state")
        key = driver.find_element(By.ID, "item").get_attribute("data-key")
        return state == "ready" and key and key != previous_key and key
    return WebDriverWait(browser, 30).until(ready, message="the page did not settle on a next item")


def test_three_keys_record_three_reviews(labeled, browser):
    folder, db = labeled
    with served(db, folder / "serve.log", env={"QUERYKIND_API_KEY": KEY}) as port:
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/reviews/queue")
        assert refused.value.code == 401, "the review routes need the key the page sends"

        browser.get(f"http://127.0.0.1:{port}/review#key={KEY}")
        assert "#" not in browser.current_url, "the key leaves the address bar"
        body = browser.find_element(By.TAG_NAME, "body")
        answered, key = [], settled(browser)
        assert browser.find_element(By.ID, "reviewed-today").text == "0"
        for press, kind in (("k", "keyword"), (" ", None), ("q", "question"), ("s", "statement")):
            assert browser.find_element(By.ID, "text").text, "the item's text is shown"
            assert browser.find_element(By.ID, "kind").text in ("keyword", "question", "statement")
            body.send_keys(press)
            if kind:
                answered.append((key, kind))
            key = settled(browser, key)

        with sqlite3.connect(db) as connection:
            reviews = connection.execute(
                "SELECT normalized_text, kind, reviewer, model_kind IS NOT NULL FROM query_reviews ORDER BY id").fetchall()
        assert reviews == [(key, kind, "web", 1) for key, kind in answered]
        assert browser.find_element(By.ID, "reviewed-today").text == "3"

    evaluation = json.loads(run([QUERYKIND, "eval", "--db", str(db), "--json"], check=True).stdout)
    [model] = evaluation["models"]
    assert model["reviews"] == 3
    assert browser.find_element(By.ID, "accuracy").text == f"{model['kind_accuracy'] * 100:.1f} %"
    assert browser.find_element(By.ID, "accuracy-n").text == "3"
