"""What every browser test shares: the querykind binary and shipped model, headless chromium, a real `serve`."""

import contextlib
import os
import re
import subprocess
import time
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service

ROOT = Path(__file__).resolve().parent.parent
QUERYKIND = os.environ.get("QUERYKIND_BIN", str(ROOT / ".build/debug/querykind"))
MODEL = str(ROOT / "Models/querykind-minilm-l3")


@pytest.fixture(scope="module")
def browser():
    options = Options()
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1800"):
        options.add_argument(argument)
    options.binary_location = "/usr/bin/chromium"
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    yield driver
    driver.quit()


@contextlib.contextmanager
def served(db, log, env=None):
    """A real `querykind serve --db DB` with the shipped model on a free port: yields the port; stops it after and
    checks it exited cleanly. Its stderr goes to `log`."""
    with log.open("w") as stderr:
        server = subprocess.Popen([QUERYKIND, "serve", "--port", "0", "--db", str(db), "--model", MODEL],
                                  stderr=stderr, env={**os.environ, **(env or {})})
    try:
        deadline, port = time.monotonic() + 120, None
        while port is None and time.monotonic() < deadline:
            assert server.poll() is None, "serve exited before listening: " + log.read_text()
            match = re.search(r"listening on http://[^ ]+:(\d+)", log.read_text())
            port = match and match.group(1)
            time.sleep(0.1)
        assert port, "serve did not listen within 120 s"
        yield port
    finally:
        server.terminate()
        try:
            status = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
        assert status == 0
