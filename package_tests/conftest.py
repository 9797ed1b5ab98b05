"""The Debian package made once per run from the debug build (scripts/package.sh --binary), and extracted into a
temporary root the way dpkg would install it, for tests that run it with no Swift toolchain in sight."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from served import served  # noqa: E402,F401  (scripts/served.py; the serve test uses it)

QUERYKIND = os.environ.get("QUERYKIND_BIN", str(ROOT / ".build/debug/querykind"))


@pytest.fixture(scope="session")
def deb(tmp_path_factory):
    """The .deb's path, built by the script users run (gzip for speed: the debug binary is large)."""
    out = tmp_path_factory.mktemp("deb")
    made = subprocess.run([str(ROOT / "scripts/package.sh"), "--binary", QUERYKIND, "--fast", "--out", str(out)],
                          capture_output=True, text=True, check=True)
    path = Path(made.stdout.strip().splitlines()[-1])
    assert path.parent == out and path.is_file(), made.stdout + made.stderr
    return path


@pytest.fixture(scope="session")
def installed(deb, tmp_path_factory):
    """A root the package is extracted into (`dpkg-deb -x`), as `apt install` would lay it out under /."""
    root = tmp_path_factory.mktemp("root")
    subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def clean_run(arguments, cwd, **kwargs):
    """Runs with an empty environment (`env -i`: no PATH, no LD_LIBRARY_PATH, no QUERYKIND_MODEL) from `cwd`, a
    folder with no Models/ in it, so the binary can only find what the package put beside it."""
    return subprocess.run(["env", "-i", *arguments], cwd=cwd, capture_output=True, text=True, **kwargs)
