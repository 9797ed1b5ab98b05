"""What every browser test shares: the querykind binary and shipped model, headless chromium, a real `serve`."""

import os
import sys
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import child_processes  # noqa: E402  (scripts/child_processes.py)
from child_processes import run  # noqa: E402

QUERYKIND = os.environ.get("QUERYKIND_BIN", str(ROOT / ".build/debug/querykind"))
MODEL = str(ROOT / "Models/querykind-minilm-l3")
SAMPLE_TEXTS = (ROOT / "scripts/sample_queries.txt").read_text().splitlines()


def label(db):
    """`querykind label --db DB` with the shipped model: the pages show what it writes."""
    run([QUERYKIND, "label", "--db", str(db), "--model", MODEL], check=True)


@pytest.fixture(scope="module")
def browser():
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1800"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    yield driver
    driver.quit()


def served(db, log, env=None):
    """A real `querykind serve --db DB` with the shipped model on a free port (scripts/child_processes.py): yields the
    port; stops it after and checks it exited cleanly. Its stderr goes to `log`."""
    return child_processes.served([QUERYKIND, "serve", "--db", str(db), "--model", MODEL], log,
                                env={**os.environ, **(env or {})})
