"""The load and the checks of bench/soak.sh (standard library only).

`load`: for DURATION seconds, one writer inserts RATE rows/s into the source table while HTTP clients send a mix of
cache hits (texts answered before), misses (new texts) and bad requests to the server named in WORK/server ("pid
port", rewritten by soak.sh when it restarts the server); every INTERVAL seconds one line: server RSS, rows inserted
and labeled, requests by status, WAL size. Then it waits for the watch loop to label every row, and saves what it
sent in WORK/sent.json.

`check` (after the server has stopped): every inserted row labeled exactly once, label_cache entries against the
distinct keys sent, the runs. Exits 1 when anything is lost or duplicated.

Every text is lowercase ASCII words joined by single spaces, which is its own cache key (normalized text), so the
expected cache keys are the texts themselves.
"""

import collections
import http.client
import json
import os
import random
import sqlite3
import sys
import threading
import time

WORDS = ("how do magnets work cheap flights paris weather berlin tomorrow best pizza near me what is the capital "
         "of france why is the sky blue buy running shoes online learn swift programming when does the train "
         "leave recipe for pancakes translate hello into spanish symptoms of flu").split()


def connect(db):
    connection = sqlite3.connect(db, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


def wal_bytes(db):
    try:
        return os.path.getsize(db + "-wal")
    except FileNotFoundError:
        return 0


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


class Server:
    """The current server's pid and port, from the file soak.sh rewrites on restart."""

    def __init__(self, work):
        self.path = os.path.join(work, "server")

    def current(self):
        with open(self.path) as file:
            pid, port = file.read().split()
        return int(pid), int(port)


class Load:
    def __init__(self, db, work, rate):
        self.db, self.work, self.rate = db, work, rate
        self.server = Server(work)
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.statuses = collections.Counter()   # "200", "400", "413", "unreachable", ...
        self.answered = {}                       # text -> time the server first answered it (200 with a kind)
        self.answered_list = []                  # the same texts, to draw hits from
        self.served_hits = 0                     # answers with cached: true
        self.inserted = 0
        self.inserted_texts = set()
        self.random = random.Random(7)

    def new_text(self, generator):
        words = [generator.choice(WORDS) for _ in range(generator.randint(2, 6))]
        return " ".join(words) + f" {generator.randrange(10**9)}"

    def writer(self):
        connection = connect(self.db)
        generator = random.Random(11)
        recent = []
        period = 1.0 / self.rate
        next_at = time.monotonic()
        while not self.stop.is_set():
            # A third of the rows repeat an earlier row's text (the watch loop's cache hits).
            text = generator.choice(recent) if recent and generator.random() < 0.33 else self.new_text(generator)
            recent = (recent + [text])[-500:]
            connection.execute("INSERT INTO queries (text) VALUES (?)", (text,))
            with self.lock:
                self.inserted += 1
                self.inserted_texts.add(text)
            next_at += period
            delay = next_at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        connection.close()

    def request(self, method, path, body=None):
        try:
            _, port = self.server.current()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            headers = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read()
            connection.close()
            return response.status, payload
        except (OSError, http.client.HTTPException):
            return None, None

    def client(self, seed):
        generator = random.Random(seed)
        while not self.stop.is_set():
            roll = generator.random()
            with self.lock:
                known = self.answered_list
                texts = [generator.choice(known) for _ in range(generator.randint(1, 4))] if roll < 0.5 and known else []
            if texts:                                  # hits: texts answered before
                status, payload = self.request("POST", "/v1/classify", json.dumps({"texts": texts}))
            elif roll < 0.85:                          # misses: texts never sent
                texts = [self.new_text(generator) for _ in range(generator.randint(1, 4))]
                status, payload = self.request("POST", "/v1/classify", json.dumps({"texts": texts}))
            else:                                      # bad requests: nothing of them may reach the cache
                texts = []
                body = generator.choice(['{"texts": [', '{"texts": "not a list"}', '{"texts": [1, 2]}',
                                         json.dumps({"texts": ["   "]})])
                status, payload = self.request("POST", "/v1/classify", body)
            self.record(status, payload, texts)
            time.sleep(generator.uniform(0, 0.02))

    def record(self, status, payload, texts):
        with self.lock:
            self.statuses[str(status) if status is not None else "unreachable"] += 1
            if status != 200 or not texts:
                return
            now = time.time()
            for result in json.loads(payload)["results"]:
                if result.get("kind") is None:
                    continue
                if result["cached"]:
                    self.served_hits += 1
                if result["text"] not in self.answered:
                    self.answered[result["text"]] = now
                    self.answered_list.append(result["text"])

    def memory_cache_entries(self):
        """The server's `querykind_memory_cache_entries` gauge, to tell the bounded cache's growth from a leak."""
        status, payload = self.request("GET", "/metrics")
        if status != 200:
            return None
        for line in payload.decode().splitlines():
            if line.startswith("querykind_memory_cache_entries "):
                return int(float(line.split()[1]))
        return None

    def labeled(self, connection):
        return connection.execute("SELECT count(*) FROM query_labels").fetchone()[0]

    def report(self, connection, started, heading):
        pid, _ = self.server.current()
        rss = rss_kib(pid)
        with self.lock:
            inserted, statuses, hits = self.inserted, dict(sorted(self.statuses.items())), self.served_hits
        rss_text = f"{rss / 1024:.1f} MiB" if rss is not None else "-"
        entries = self.memory_cache_entries()
        print(f"{heading} t={time.monotonic() - started:6.0f}s rss={rss_text} (pid {pid}) "
              f"memory_cache={entries if entries is not None else '-'} inserted={inserted} "
              f"labeled={self.labeled(connection)} requests={statuses} cached_answers={hits} "
              f"wal={wal_bytes(self.db) / 1024:.0f} KiB", flush=True)

    def run(self, duration, interval, clients):
        connection = connect(self.db)
        threads = [threading.Thread(target=self.writer)]
        threads += [threading.Thread(target=self.client, args=(100 + n,)) for n in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        while time.monotonic() - started < duration:
            time.sleep(min(interval, max(0.0, duration - (time.monotonic() - started))))
            self.report(connection, started, "load")
        self.stop.set()
        for thread in threads:
            thread.join()
        # The watch loop catches up with the last rows (it polls every --interval).
        deadline = time.monotonic() + 120
        while self.labeled(connection) < self.inserted and time.monotonic() < deadline:
            time.sleep(0.5)
        self.report(connection, started, "end ")
        with open(os.path.join(self.work, "sent.json"), "w") as file:
            json.dump({"inserted": self.inserted, "inserted_texts": sorted(self.inserted_texts),
                       "answered": self.answered, "statuses": self.statuses}, file)


def check(db, work, killed_at):
    """Exit status 1 when a row is lost or labeled twice, or the cache lost or invented keys."""
    with open(os.path.join(work, "sent.json")) as file:
        sent = json.load(file)
    connection = connect(db)
    problems = []
    rows = connection.execute("SELECT count(*) FROM queries").fetchone()[0]
    labels, distinct_ids, unlabeled, orphans = connection.execute(
        "SELECT count(*), count(DISTINCT query_id), "
        "(SELECT count(*) FROM queries WHERE id NOT IN (SELECT query_id FROM query_labels)), "
        "(SELECT count(*) FROM query_labels WHERE query_id NOT IN (SELECT id FROM queries)) FROM query_labels"
    ).fetchone()
    # Each batch's labels and its run's counters are one transaction, so the runs' rows_labeled add up to the
    # labels exactly unless a row was labeled twice (or a batch's counters were lost).
    counted = connection.execute("SELECT coalesce(sum(rows_labeled), 0) FROM label_runs").fetchone()[0]
    print(f"rows: inserted {sent['inserted']}, in the table {rows}, labels {labels} ({distinct_ids} distinct ids), "
          f"unlabeled {unlabeled}, labels without a row {orphans}, rows_labeled summed over runs {counted}")
    if not (sent["inserted"] == rows == labels == distinct_ids == counted) or unlabeled or orphans:
        problems.append("rows lost, unlabeled or labeled more than once")

    models = [row[0] for row in connection.execute("SELECT DISTINCT model FROM label_cache")]
    cached = {row[0] for row in connection.execute("SELECT normalized_text FROM label_cache")}
    entries = connection.execute("SELECT count(*) FROM label_cache").fetchone()[0]
    inserted = set(sent["inserted_texts"])
    answered = sent["answered"]
    expected = inserted | set(answered)
    print(f"label_cache: {entries} entries ({len(models)} model id), {len(expected)} distinct keys sent "
          f"({len(inserted)} from inserted rows, {len(answered)} answered over HTTP)")
    if len(models) != 1 or entries != len(cached):
        problems.append("label_cache holds more than one model id or a duplicated key")
    if cached - expected:
        problems.append(f"{len(cached - expected)} label_cache keys were never sent")
    if inserted - cached:
        problems.append(f"{len(inserted - cached)} texts of labeled rows have no label_cache entry")
    # HTTP answers reach label_cache through a writer that commits at most every 50 ms: what was answered just
    # before the SIGKILL may be lost (a cache, not data); anything older is a loss.
    missing = set(answered) - cached
    at_kill = {text for text in missing if killed_at - 2 <= answered[text] <= killed_at + 1}
    print(f"HTTP-answered keys missing from label_cache: {len(missing)} "
          f"({len(at_kill)} answered within 2 s before the SIGKILL, allowed)")
    if missing - at_kill:
        problems.append(f"{len(missing - at_kill)} HTTP-answered keys missing from label_cache")

    print("runs:")
    for row in connection.execute("SELECT id, command, status, rows_labeled, cache_hits, inferences, retries, "
                                  "coalesce(error, '') FROM label_runs ORDER BY id"):
        print("  id={} {} {} rows_labeled={} cache_hits={} inferences={} retries={} {}".format(*row))
    statuses = [row[0] for row in connection.execute("SELECT status FROM label_runs ORDER BY id")]
    if statuses != ["interrupted", "finished"]:
        problems.append(f"runs should be one interrupted (the SIGKILL) and one finished, got {statuses}")
    print(f"requests by status: {dict(sorted(sent['statuses'].items()))}")
    if any(status.startswith("5") for status in sent["statuses"]):
        problems.append("the server answered 5xx")
    print(f"WAL after shutdown: {wal_bytes(db) / 1024:.0f} KiB")
    for problem in problems:
        print(f"FAIL: {problem}")
    print("soak: PASS" if not problems else "soak: FAIL")
    return 1 if problems else 0


if __name__ == "__main__":
    command, db, work = sys.argv[1:4]
    if command == "load":
        duration, rate, interval, clients = float(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
        Load(db, work, rate).run(duration, interval, clients)
    else:
        sys.exit(check(db, work, float(sys.argv[4])))
