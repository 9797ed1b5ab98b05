"""The child processes of the Python tests (browser_tests/, package_tests/): commands that must end within a
deadline, and a real `querykind serve`, so that every test starts, waits for and stops them the same way."""

import contextlib
import re
import subprocess
import time


def run(arguments, timeout=300, **kwargs):
    """`subprocess.run` with its output captured as text and a deadline (`timeout` seconds, then the child is killed
    and `subprocess.TimeoutExpired` fails the test)."""
    return subprocess.run(arguments, capture_output=True, text=True, timeout=timeout, **kwargs)


@contextlib.contextmanager
def served(command, log, env=None, cwd=None):
    """Runs `command` (a `querykind serve ...` argument list; `--port 0` is added) and yields the port it listens
    on; afterwards stops it with SIGTERM and checks it exited 0, killing it first if it has not within 30 s. Its
    stderr goes to `log` (a Path), which the failures quote."""
    with log.open("w") as stderr:
        server = subprocess.Popen([*command, "--port", "0"], stderr=stderr, env=env, cwd=cwd)
    try:
        deadline, port = time.monotonic() + 120, None
        while port is None and time.monotonic() < deadline:
            assert server.poll() is None, "serve exited before listening: " + log.read_text()
            match = re.search(r"listening on http://[^ ]+:(\d+)", log.read_text())
            port = match and match.group(1)
            time.sleep(0.1)
        assert port, "serve did not listen within 120 s: " + log.read_text()
        yield port
    finally:
        server.terminate()
        try:
            status = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
        assert status == 0, log.read_text()
