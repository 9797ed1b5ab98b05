"""Shows that `serve`'s memory is bounded by `--memory-cache` (standard library only), not a unit test.

Starts `querykind serve` without a database, sends batches of texts it has never seen (each a miss that the memory
cache then holds) until it has sent ROUNDS times the cache's capacity, and prints, every tenth of the way, the
server's RSS beside its `querykind_memory_cache_entries` gauge. RSS grows while the cache fills and must level off
once the cache is full and turns over generations; the last line gives the growth per entry held and the growth
after the cache was first full. Exits 1 when RSS after the first full cache grew by more than SLACK_MIB.

    python bench/memory_bound.py BIN MODEL [CAPACITY=100000] [ROUNDS=3] [SLACK_MIB=16]

A small model (Tests/BertClassifierTests/Fixtures/tiny-safetensors) makes the run short: the cache's cost does not
depend on the model.
"""

import http.client
import json
import random
import re
import subprocess
import sys
import time

WORDS = ("how do magnets work cheap flights paris weather berlin tomorrow best pizza near me what is the capital "
         "of france why is the sky blue buy running shoes online learn swift programming when does the train "
         "leave recipe for pancakes translate hello into spanish symptoms of flu").split()
BATCH = 64


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def request(port, method, path, body=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{method} {path}: HTTP {response.status}: {payload[:200]!r}")
    return payload


def entries(port):
    for line in request(port, "GET", "/metrics").decode().splitlines():
        if line.startswith("querykind_memory_cache_entries "):
            return int(float(line.split()[1]))
    raise RuntimeError("no querykind_memory_cache_entries in /metrics")


def main():
    binary, model = sys.argv[1], sys.argv[2]
    capacity = int(sys.argv[3]) if len(sys.argv) > 3 else 100_000
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 3
    slack = float(sys.argv[5]) if len(sys.argv) > 5 else 16
    server = subprocess.Popen([binary, "serve", "--model", model, "--port", "0", "--memory-cache", str(capacity)],
                              stderr=subprocess.PIPE, text=True)
    try:
        port = None
        for line in server.stderr:
            found = re.search(r"listening on http://[^ ]+:(\d+)", line)
            if found:
                port = int(found.group(1))
                break
        if port is None:
            raise RuntimeError("serve exited before listening")
        generator = random.Random(7)
        total = capacity * rounds
        sent, first_full, started = 0, None, time.monotonic()
        print(f"memory_bound: {binary}, --memory-cache {capacity}, {total} distinct texts in batches of {BATCH}")
        print(f"{'texts sent':>10} {'entries':>8} {'RSS MiB':>8}")
        print(f"{sent:>10} {entries(port):>8} {rss_mib(server.pid):>8.1f}")
        warm = None                                   # (entries, RSS) at the first report, past the start-up allocations
        while sent < total:
            texts = [" ".join(generator.choice(WORDS) for _ in range(generator.randint(3, 9))) + f" n{sent + i}"
                     for i in range(BATCH)]
            request(port, "POST", "/v1/classify", json.dumps({"texts": texts}))
            sent += BATCH
            held = entries(port) if sent % (total // 10 // BATCH * BATCH or BATCH) == 0 or sent >= total else None
            if held is not None:
                rss = rss_mib(server.pid)
                print(f"{sent:>10} {held:>8} {rss:>8.1f}", flush=True)
                warm = warm or (held, rss)
                if first_full is None and sent >= capacity:
                    first_full = (held, rss)
        held, rss = entries(port), rss_mib(server.pid)
        growth = rss - first_full[1]
        print(f"memory_bound: {time.monotonic() - started:.0f} s; {(first_full[1] - warm[1]) * 1024 * 1024 / (first_full[0] - warm[0]):.0f}"
              f" bytes of RSS per entry while filling (from the first report on); after the cache was first full: {growth:+.1f} MiB "
              f"over {total - capacity} more texts (slack {slack} MiB)")
        return 0 if growth <= slack else 1
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
