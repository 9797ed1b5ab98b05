/// `GET /review`: the review queue in a browser (docs/review.md), one click or key per answer, the keys of the
/// terminal session `review --db` (k keyword, q question, s statement, space or n skip). One page compiled into the
/// binary, its CSS and script inline and nothing fetched but the review routes of the server that sent it, so it
/// works offline and on a server without a resource bundle. The page holds no data: it is open without a key, and
/// its requests carry the key a person types or passes as `#key=` (kept in `sessionStorage`, never sent in a URL).
enum ReviewPage {
    /// What the browser may do with the page: run its own inline script and style, call this server, nothing else.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        + "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static let html = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>querykind review</title>
        <style>
        body { font: 16px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
        header { display: flex; gap: 1.5rem; flex-wrap: wrap; align-items: baseline; color: #555; font-size: 0.9rem; }
        #item { border: 1px solid #ccc; border-radius: 6px; padding: 1rem 1.25rem; margin: 1.25rem 0; }
        #text { font-size: 1.4rem; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
        .meta { color: #555; font-size: 0.9rem; }
        .answers { display: flex; gap: 0.5rem; flex-wrap: wrap; }
        button { font: inherit; padding: 0.4rem 0.9rem; border: 1px solid #888; border-radius: 4px; background: #f4f4f4; cursor: pointer; }
        button:disabled { opacity: 0.5; cursor: default; }
        kbd { font-family: ui-monospace, monospace; font-weight: bold; }
        #status { min-height: 1.5rem; color: #a00; }
        input { font: inherit; padding: 0.2rem 0.4rem; }
        </style>
        </head>
        <body data-state="loading">
        <h1>Review</h1>
        <header>
        <span>model <code id="model"></code></span>
        <span>reviewed today <b id="reviewed-today"></b></span>
        <span>kind accuracy <b id="accuracy"></b> over <span id="accuracy-n"></span> reviewed texts</span>
        <span id="position"></span>
        </header>
        <section id="item" hidden>
        <p id="text"></p>
        <p class="meta">seen <span id="occurrences"></span> times · model: <b id="kind"></b> · p_keyword
        <span id="p-keyword"></span> · p_question <span id="p-question"></span></p>
        <div class="answers">
        <button data-answer="keyword"><kbd>k</kbd> keyword</button>
        <button data-answer="question"><kbd>q</kbd> question</button>
        <button data-answer="statement"><kbd>s</kbd> statement</button>
        <button data-answer="skip"><kbd>space</kbd> skip</button>
        </div>
        </section>
        <p id="empty" hidden>Nothing to review: the queue is empty.</p>
        <p id="status" role="status"></p>
        <p class="meta"><label>reviewer <input id="reviewer" size="12"></label>
        <label>API key <input id="key" type="password" size="24" autocomplete="off"></label></p>
        <script>
        "use strict";
        const keys = { k: "keyword", q: "question", s: "statement", " ": "skip", n: "skip" };
        const $ = (id) => document.getElementById(id);
        let items = [], index = 0, busy = false;
        const skipped = new Set();

        const fragment = new URLSearchParams(location.hash.slice(1)).get("key");
        if (fragment) {
          sessionStorage.setItem("querykind-key", fragment);
          history.replaceState(null, "", location.pathname + location.search);
        }
        $("key").value = sessionStorage.getItem("querykind-key") || "";
        $("reviewer").value = sessionStorage.getItem("querykind-reviewer") || "web";
        $("key").addEventListener("change", () => { sessionStorage.setItem("querykind-key", $("key").value); start(); });
        $("reviewer").addEventListener("change", () => sessionStorage.setItem("querykind-reviewer", $("reviewer").value));

        async function call(path, body) {
          const headers = { "Accept": "application/json" };
          const key = sessionStorage.getItem("querykind-key");
          if (key) headers["Authorization"] = "Bearer " + key;
          if (body) headers["Content-Type"] = "application/json";
          const reply = await fetch(path, body ? { method: "POST", headers, body: JSON.stringify(body) } : { headers });
          const answer = await reply.json().catch(() => ({}));
          if (!reply.ok) throw new Error((answer.error && answer.error.message) || answer.message || ("HTTP " + reply.status));
          return answer;
        }

        const figure = (p) => p.toFixed(3);

        async function summary() {
          const answer = await call("/v1/reviews/summary");
          $("model").textContent = answer.model;
          $("reviewed-today").textContent = answer.reviewed_today;
          $("accuracy").textContent = answer.kind_accuracy == null ? "–" : (answer.kind_accuracy * 100).toFixed(1) + " %";
          $("accuracy-n").textContent = answer.reviews;
        }

        function show() {
          const item = items[index];
          $("item").hidden = !item;
          $("empty").hidden = !!item;
          $("position").textContent = item ? (index + 1) + " of " + items.length : "";
          if (!item) return;
          $("item").dataset.key = item.normalized_text;
          $("text").textContent = item.text || item.normalized_text;
          $("occurrences").textContent = item.occurrences;
          $("kind").textContent = item.label.kind;
          $("p-keyword").textContent = figure(item.label.p_keyword);
          $("p-question").textContent = figure(item.label.p_question);
        }

        async function load() {
          const queue = await call("/v1/reviews/queue?limit=50");
          items = queue.items.filter((item) => item.reviews === 0 && !skipped.has(item.normalized_text));
          index = 0;
          show();
        }

        async function settle(work) {
          busy = true;
          document.body.dataset.state = "busy";
          for (const button of document.querySelectorAll("button")) button.disabled = true;
          try {
            await work();
            $("status").textContent = "";
          } catch (error) {
            $("status").textContent = error.message;
          } finally {
            busy = false;
            for (const button of document.querySelectorAll("button")) button.disabled = false;
            document.body.dataset.state = "ready";
          }
        }

        function answer(kind) {
          const item = items[index];
          if (busy || !item) return;
          settle(async () => {
            if (kind === "skip") {
              skipped.add(item.normalized_text);
            } else {
              await call("/v1/reviews", { text: item.normalized_text, kind, reviewer: $("reviewer").value || "web" });
              await summary();
            }
            index += 1;
            if (index >= items.length) await load(); else show();
          });
        }

        function start() { settle(async () => { await summary(); await load(); }); }

        document.addEventListener("keydown", (event) => {
          if (event.target instanceof HTMLInputElement || event.ctrlKey || event.metaKey || event.altKey) return;
          const kind = keys[event.key];
          if (!kind) return;
          event.preventDefault();
          answer(kind);
        });
        for (const button of document.querySelectorAll("button[data-answer]")) {
          button.addEventListener("click", () => answer(button.dataset.answer));
        }
        start();
        </script>
        </body>
        </html>

        """
}
