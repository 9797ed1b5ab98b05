"""The Debian package made once per run from the debug build (scripts/package.sh --binary), and extracted into a
temporary root the way dpkg would install it, for tests that run it with no Swift toolchain in sight."""

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from child_processes import run, served  # noqa: E402,F401  (scripts/child_processes.py)

QUERYKIND = os.environ.get("QUERYKIND_BIN", str(ROOT / ".build/debug/querykind"))


@pytest.fixture(scope="session")
def deb(tmp_path_factory):
    """The .deb's path, built by the script users run (gzip for speed: the debug binary is large)."""
    out = tmp_path_factory.mktemp("deb")
    made = run([str(ROOT / "scripts/package.sh"), "--binary", QUERYKIND, "--fast", "--out", str(out)], check=True,
               timeout=900)   # a fresh clone builds the man page generator first
    path = Path(made.stdout.strip().splitlines()[-1])
    assert path.parent == out and path.is_file(), made.stdout + made.stderr
    return path


@pytest.fixture(scope="session")
def installed(deb, tmp_path_factory):
    """A root the package is extracted into (`dpkg-deb -x`), as `apt install` would lay it out under /."""
    root = tmp_path_factory.mktemp("root")
    run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def clean_run(arguments, cwd, **kwargs):
    """Runs with an empty environment (`env -i`: no PATH, no LD_LIBRARY_PATH, no QUERYKIND_MODEL) from `cwd`, a
    folder with no Models/ in it, so the binary can only find what the package put beside it."""
    return run(["env", "-i", *arguments], cwd=cwd, **kwargs)
