import Benchmark
import Foundation
import QueryKindTestSupport
import XCTest

/// The SQLite loadable extension (`libquerykind-sqlite.so`, docs/sqlite-extension.md), loaded into the real
/// `sqlite3` shell and Debian's Python `sqlite3`, against the shipped model and real database files: its labels are
/// `classify --json`'s, it reads (and only on request writes) `label_cache` under the key and model id `lookup` uses,
/// it is usable in indexes, and every bad value or missing model is a NULL, an error row or one SQL error line, never
/// a crash of the host.
final class SQLiteExtensionTests: XCTestCase {
    func testShellLoadsItByFileNameAndLabelsTheIssueExamples() throws {
        let folder = try CLIFolder()
        let output = try SQLiteHost.shell(
            "SELECT querykind_kind('where is berlin?'), querykind_kind('cheap flights paris'), "
                + "querykind_kind('Berlin is in Germany.');", in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "question|keyword|statement\n")
    }

    func testPythonLoadsItAndLabelsTheIssueExamples() throws {
        let folder = try CLIFolder()
        let output = try SQLiteHost.python("""
            print('|'.join(db.execute("SELECT querykind_kind('where is berlin?'), querykind_kind('cheap flights paris'), "
                                      "querykind_kind('Berlin is in Germany.')").fetchone()))
            """, in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "question|keyword|statement\n")
    }

    /// A host with threads (datasette, a web app's pool): connections on several threads load the extension, label
    /// and close, and the threads end only after the last connection has closed; SQLite unloads an extension with the
    /// last connection that loaded it, and the threads' exits must not call into an unloaded library.
    func testThreadsOfAHostOutliveItsConnections() throws {
        let folder = try CLIFolder()
        let output = try SQLiteHost.python("""
            import threading
            db.close()
            closed = threading.Barrier(6)
            def work(n):
                connection = sqlite3.connect(':memory:', check_same_thread=False)
                connection.enable_load_extension(True)
                connection.load_extension(sys.argv[2])
                connection.execute("SELECT count(*) FROM querykind_classify(json_array('where is berlin?', ?))",
                                   (str(n),)).fetchone()
                connection.close()
                closed.wait()  # every connection is closed before any of these threads ends
            threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
            for thread in threads: thread.start()
            for thread in threads: thread.join()
            print('done')
            """, in: folder)
        XCTAssertEqual(output.status, 0, "the host survives: \(output.stderr)")
        XCTAssertEqual(output.stdout, "done\n")
    }

    /// 2,000 texts: the 950 distinct texts of the committed labeled rows (dev split; the test split's sources may not
    /// be redistributed, so none is committed) and 1,050 distinct generated search queries. `querykind_classify` (one batch) gives the
    /// kinds and probabilities `classify --json` prints for the same stream of texts. The scalar functions run each
    /// text alone, as `classify --json --inference-batch 1` does: `querykind_label` is that command's very line, byte
    /// for byte. (Against the default batches of 32 the scalars' kinds are the same and their probabilities differ
    /// in the seventh decimal at most, as `classify` of one text differs from `classify` of a stream: the matrix
    /// products round differently for other batch sizes.)
    func testScalarsAndTableGiveClassifyJSONLabels() throws {
        let folder = try CLIFolder()
        let texts = try Self.parityTexts()
        XCTAssertEqual(texts.count, 2000)
        try folder.createQueries(texts)
        try Data((texts.joined(separator: "\n") + "\n").utf8).write(to: folder.url.appendingPathComponent("texts.txt"))
        func classify(_ options: [String]) throws -> [String] {
            let output = try CommandRunner.run(["classify", "--json"] + options, in: folder.url,
                                               prefix: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < texts.txt"])
            XCTAssertEqual(output.status, 0, output.stderr)
            return output.stdout.split(separator: "\n").map(String.init)
        }
        let stream = try classify([]), alone = try classify(["--inference-batch", "1"])
        let expected = try stream.map { try JSONDecoder().decode(ClassifyLine.self, from: Data($0.utf8)) }
        XCTAssertEqual(expected.count, texts.count)
        XCTAssertEqual(alone.count, texts.count)

        let scalars = try SQLiteHost.python("""
            for row in db.execute("SELECT querykind_kind(text), querykind_p_keyword(text), querykind_p_question(text), "
                                  "querykind_label(text) FROM queries ORDER BY id"):
                print(json.dumps(row))
            """, in: folder)
        XCTAssertEqual(scalars.status, 0, scalars.stderr)
        let table = try SQLiteHost.python("""
            for row in db.execute("SELECT idx, kind, p_keyword, p_question, error, text FROM querykind_classify("
                                  "(SELECT json_group_array(text) FROM (SELECT text FROM queries ORDER BY id)))"):
                print(json.dumps(row))
            """, in: folder)
        XCTAssertEqual(table.status, 0, table.stderr)

        let scalarRows = try SQLiteHost.jsonRows(scalars.stdout)
        let tableRows = try SQLiteHost.jsonRows(table.stdout)
        XCTAssertEqual(scalarRows.count, texts.count)
        XCTAssertEqual(tableRows.count, texts.count)
        var tableWorst = 0.0, scalarWorst = 0.0
        for (index, record) in expected.enumerated() where index < min(scalarRows.count, tableRows.count, alone.count) {
            let scalar = scalarRows[index], row = tableRows[index]
            XCTAssertEqual(row[0] as? Double, Double(index))
            XCTAssertEqual(row[5] as? String, record.text)
            XCTAssertEqual(row[1] as? String, record.kind, record.text)
            XCTAssertEqual(scalar[0] as? String, record.kind, record.text)
            XCTAssertEqual(scalar[3] as? String, alone[index], "querykind_label is classify's JSON line")
            for (got, want) in [(row[2], record.pKeyword), (row[3], record.pQuestion)] {
                tableWorst = max(tableWorst, abs((got as? Double ?? .infinity) - (want ?? .nan)))
            }
            for (got, want) in [(scalar[1], record.pKeyword), (scalar[2], record.pQuestion)] {
                scalarWorst = max(scalarWorst, abs((got as? Double ?? .infinity) - (want ?? .nan)))
            }
        }
        XCTAssertLessThanOrEqual(tableWorst, 1e-6)
        XCTAssertLessThanOrEqual(scalarWorst, 2e-6)
    }

    /// NULL, '', BLOBs (one of 1 MB), invalid UTF-8, a text with no tokens and two 1 MB texts: NULL from the scalar
    /// functions, the database's error from `querykind_label` and the table, the label `classify` gives for the
    /// 1 MB of words and its error for the 1 MB word (one `[UNK]`: no token the model knows), and a JSON argument
    /// SQLite cannot build is an SQL error, not a crash.
    func testBadValuesGiveNullOrErrorRowsInTheShell() throws {
        let folder = try CLIFolder()
        let longWord = String(repeating: "x", count: 1_000_000)
        let longWords = String(repeating: "flight ", count: 150_000)
        try Data((longWord + "\n" + longWords + "\n").utf8).write(to: folder.url.appendingPathComponent("long.txt"))
        let classify = try CommandRunner.run(["classify", "--json"], in: folder.url,
                                             prefix: ["/bin/sh", "-c", "exec \"$0\" \"$@\" < long.txt"])
        XCTAssertEqual(classify.status, 0, classify.stderr)
        let lines = try classify.stdout.split(separator: "\n").map {
            try JSONDecoder().decode(ClassifyLine.self, from: Data($0.utf8))
        }
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines.first?.error, "text has no tokens the model knows")
        let wordsKind = try XCTUnwrap(lines.last?.kind)

        let output = try SQLiteHost.shell("""
            SELECT quote(querykind_kind(NULL)), quote(querykind_kind('')), quote(querykind_kind(x'00ff')),
                   quote(querykind_p_keyword(zeroblob(1000000))), quote(querykind_p_question(CAST(x'ff' AS TEXT))),
                   quote(querykind_kind(char(1, 7))),
                   querykind_kind(printf('%.*c', 1000000, 'x')), querykind_kind(replace(printf('%.*c', 150000, 'x'), 'x', 'flight '));
            SELECT json_extract(querykind_label(NULL), '$.error'), json_extract(querykind_label('  '), '$.error'),
                   json_extract(querykind_label(zeroblob(1000000)), '$.error'),
                   json_extract(querykind_label(CAST(x'ff' AS TEXT)), '$.error'),
                   json_extract(querykind_label(char(1)), '$.error');
            SELECT idx, quote(kind), quote(error), quote(cached) FROM querykind_classify(
                json_array(NULL, '', char(1), printf('%.*c', 1000000, 'x'), 12));
            """, in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout.split(separator: "\n").map(String.init), [
            "NULL|NULL|NULL|NULL|NULL|NULL||\(wordsKind)",
            "text is NULL|text is empty|value is a BLOB, not text|text is not valid UTF-8|text has no tokens",
            "0|NULL|'text is NULL'|NULL",
            "1|NULL|'text is empty'|NULL",
            "2|NULL|'text has no tokens'|NULL",
            "3|NULL|'text has no tokens the model knows'|NULL",
            "4|'keyword'|NULL|0",
        ])
        for (sql, message) in [("SELECT * FROM querykind_classify(json_array(x'00'));", "JSON cannot hold BLOB values"),
                               ("SELECT * FROM querykind_classify(x'00ff');", "querykind_classify: "),
                               ("SELECT * FROM querykind_classify('[1,');", "malformed JSON"),
                               ("SELECT * FROM querykind_classify(json_object('a', 'b'));", "a JSON object, not an array"),
                               ("SELECT * FROM querykind_classify;", "querykind_classify needs one argument")] {
            let failed = try SQLiteHost.shell(sql, in: folder)
            XCTAssertEqual(failed.status, 1, "an SQL error, not a crash: \(sql) \(failed.stderr)")
            XCTAssertTrue(failed.stderr.contains(message), "\(sql): \(failed.stderr)")
        }
    }

    /// The same bad values bound from Python (a BLOB, None, '' and a 1 MB text as parameters), in both forms; and a
    /// line separator in a text is escaped in `querykind_label`'s JSON, as in `classify --json`'s.
    func testBadValuesGiveNullOrErrorRowsInPython() throws {
        let folder = try CLIFolder()
        let output = try SQLiteHost.python("""
            long = 'word ' * 200_000
            values = [None, '', b'\\x00\\xff', bytes(1_000_000), long]
            print(json.dumps([db.execute('SELECT querykind_kind(?)', (v,)).fetchone()[0] for v in values]))
            print(json.dumps([json.loads(db.execute('SELECT querykind_label(?)', (v,)).fetchone()[0]).get('error')
                              for v in values]))
            print(json.dumps(db.execute('SELECT idx, kind, error FROM querykind_classify(?)',
                                        (json.dumps([None, '', long]),)).fetchall()))
            print(db.execute('SELECT querykind_label(?)', ('cheap flights\\u2028paris',)).fetchone()[0])
            """, in: folder)
        XCTAssertEqual(output.status, 0, output.stderr)
        let lines = output.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 4, output.stdout)
        guard lines.count == 4 else { return }
        let longKind = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [Any])[4] as? String
        XCTAssertNotNil(longKind, "a 1 MB text is labeled")
        XCTAssertEqual(lines[0], #"[null, null, null, null, "\#(longKind ?? "")"]"#)
        XCTAssertEqual(lines[1],
                       #"["text is NULL", "text is empty", "value is a BLOB, not text", "value is a BLOB, not text", null]"#)
        XCTAssertEqual(lines[2], #"[[0, null, "text is NULL"], [1, null, "text is empty"], [2, "\#(longKind ?? "")", null]]"#)
        XCTAssertTrue(lines[3].contains(#""text":"cheap flights\u2028paris""#), "escaped as classify escapes it: \(lines[3])")
    }

    /// With querykind's `label_cache` in the database, an entry there (planted here with a label the model would
    /// not give) answers the scalar and table forms, for any text with the same key; reading writes nothing.
    func testLabelCacheIsReadBeforeTheModel() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["where is berlin?"])
        let lookup = try CommandRunner.run(["lookup", "--db", folder.db, "--json", "where is berlin?"], in: folder.url)
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        try folder.execute("UPDATE label_cache SET kind = 'statement', p_keyword = 0.25, p_question = 0.125")
        let before = try folder.rows("SELECT hits, last_seen FROM label_cache", columns: 2)

        let output = try SQLiteHost.shell("""
            SELECT querykind_kind('where is berlin?'), querykind_p_keyword('Where is  Berlin?'),
                   querykind_p_question('where is berlin ?');
            SELECT kind, p_keyword, cached FROM querykind_classify(json_array('WHERE IS BERLIN?'));
            """, in: folder, database: folder.db)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertEqual(output.stdout, "statement|0.25|0.125\nstatement|0.25|1\n")
        XCTAssertEqual(try folder.rows("SELECT hits, last_seen FROM label_cache", columns: 2), before)
    }

    /// New labels go to `label_cache` only after `querykind_cache_writes(1)`, in that connection only, under the
    /// key and model id `lookup` uses: `lookup` then finds them as cache hits.
    func testCacheWritesAreOptInAndSharedWithLookup() throws {
        let folder = try CLIFolder()
        let migrate = try CommandRunner.run(["migrate", "--db", folder.db], in: folder.url)
        XCTAssertEqual(migrate.status, 0, migrate.stderr)
        let reader = try SQLiteHost.shell("""
            SELECT querykind_kind('cheap flights paris');
            SELECT count(*) FROM querykind_classify(json_array('how do magnets work'));
            SELECT count(*) FROM label_cache;
            """, in: folder, database: folder.db)
        XCTAssertEqual(reader.status, 0, reader.stderr)
        XCTAssertEqual(reader.stdout, "keyword\n1\n0\n", "a reader's session writes nothing")

        let writer = try SQLiteHost.shell("""
            SELECT querykind_cache_writes(1);
            SELECT querykind_kind('Trains to Rome tomorrow') IS NOT NULL;
            SELECT count(*) FROM querykind_classify(json_array('where is berlin?', 'Berlin is in Germany.'));
            SELECT count(*) FROM label_cache WHERE model = querykind_model();
            """, in: folder, database: folder.db)
        XCTAssertEqual(writer.status, 0, writer.stderr)
        XCTAssertEqual(writer.stdout, "1\n1\n2\n3\n")

        let lookup = try CommandRunner.run(["lookup", "--db", folder.db, "--json", "trains to rome tomorrow",
                                            "Where is Berlin?", "Berlin is in Germany."], in: folder.url)
        XCTAssertEqual(lookup.status, 0, lookup.stderr)
        let records = try lookup.stdout.split(separator: "\n").map {
            try JSONDecoder().decode(ClassifyLine.self, from: Data($0.utf8))
        }
        XCTAssertEqual(records.map(\.cached), [true, true, true], lookup.stdout)
    }

    /// Deterministic: SQLite accepts the functions in an index on an expression and a generated column, and the
    /// planner answers `WHERE querykind_kind(text) = …` from the index.
    func testIndexOnExpressionAndGeneratedColumn() throws {
        let folder = try CLIFolder()
        try folder.createQueries(["where is berlin?", "cheap flights paris", "Berlin is in Germany.",
                                  "how do magnets work"])
        let output = try SQLiteHost.shell("""
            CREATE INDEX queries_kind ON queries(querykind_kind(text));
            CREATE TABLE labeled (text TEXT, kind TEXT AS (querykind_kind(text)) STORED);
            INSERT INTO labeled (text) SELECT text FROM queries ORDER BY id;
            EXPLAIN QUERY PLAN SELECT id FROM queries WHERE querykind_kind(text) = 'question';
            SELECT group_concat(id) FROM queries WHERE querykind_kind(text) = 'question';
            SELECT group_concat(kind) FROM labeled;
            REINDEX queries_kind;
            SELECT count(*) FROM queries INDEXED BY queries_kind WHERE querykind_kind(text) = 'keyword';
            """, in: folder, database: folder.db)
        XCTAssertEqual(output.status, 0, output.stderr)
        XCTAssertTrue(output.stdout.contains("USING INDEX queries_kind") || output.stdout.contains("USING COVERING INDEX queries_kind"),
                      output.stdout)
        XCTAssertTrue(output.stdout.hasSuffix("1,4\nquestion,keyword,statement,question\n1\n"), output.stdout)
    }

    /// A model that cannot be found or loaded is one SQL error line that says where it looked or what is wrong, and
    /// the host goes on; values that need no model still answer. `querykind_load` switches this connection's model.
    func testModelProblemsAreOneLineSQLErrors() throws {
        let folder = try CLIFolder()
        let named = try SQLiteHost.shell("""
            SELECT quote(querykind_kind(NULL));
            SELECT json_extract(querykind_label(NULL), '$.error');
            SELECT querykind_kind('x');
            """, in: folder, environment: ["QUERYKIND_MODEL": "/nonexistent/model"])
        XCTAssertEqual(named.status, 1, named.stderr)
        XCTAssertEqual(named.stdout, "NULL\ntext is NULL\n")
        XCTAssertEqual(named.stderr.split(separator: "\n").count, 1, named.stderr)
        XCTAssertTrue(named.stderr.contains("QUERYKIND_MODEL") && named.stderr.contains("/nonexistent/model/config.json"),
                      named.stderr)

        // A copy of the library far from any Models/ folder finds no default model.
        let lib = folder.url.appendingPathComponent("lib")
        try FileManager.default.createDirectory(at: lib, withIntermediateDirectories: true)
        let copy = lib.appendingPathComponent("libquerykind-sqlite.so")
        try FileManager.default.copyItem(at: try SQLiteHost.requireLibrary(), to: copy)
        let missing = try SQLiteHost.shell("SELECT querykind_model();", in: folder, library: copy)
        XCTAssertEqual(missing.status, 1, missing.stderr)
        XCTAssertEqual(missing.stderr.split(separator: "\n").count, 1, missing.stderr)
        for part in ["no model", lib.appendingPathComponent("Models").path, "QUERYKIND_MODEL", "querykind_load("] {
            XCTAssertTrue(missing.stderr.contains(part), "\(part): \(missing.stderr)")
        }

        let corrupt = try folder.makeCorruptModel()
        let broken = try SQLiteHost.shell("SELECT querykind_load('\(corrupt)');", in: folder)
        XCTAssertEqual(broken.status, 1, broken.stderr)
        XCTAssertEqual(broken.stderr.split(separator: "\n").count, 1, broken.stderr)
        XCTAssertTrue(broken.stderr.contains("cannot load model \(corrupt)") && broken.stderr.contains("config.json"),
                      broken.stderr)

        let tiny = try CommandRunner.run(["classify", "--json", "--model", CommandRunner.tinyModel, "where is berlin?"],
                                         in: folder.url)
        XCTAssertEqual(tiny.status, 0, tiny.stderr)
        let expected = try JSONDecoder().decode(ClassifyLine.self, from: Data(tiny.stdout.utf8))
        let switched = try SQLiteHost.shell("""
            SELECT querykind_load('\(CommandRunner.tinyModel)') = querykind_model(), querykind_model();
            SELECT querykind_kind('where is berlin?'), querykind_p_question('where is berlin?');
            """, in: folder)
        XCTAssertEqual(switched.status, 0, switched.stderr)
        let lines = switched.stdout.split(separator: "\n")
        XCTAssertTrue(lines.first?.hasPrefix("1|tiny-safetensors@") == true, switched.stdout)
        let label = lines.last?.split(separator: "|") ?? []
        XCTAssertEqual(label.first.map(String.init), expected.kind)
        XCTAssertEqual(Double(label.last ?? "") ?? -1, expected.pQuestion ?? -2, accuracy: 1e-6)
    }

    private static func parityTexts() throws -> [String] {
        var texts: [String] = []
        var seen: Set<String> = []
        for head in ["keyword", "question"] {
            let file = CommandRunner.fixtures.appendingPathComponent("labeled/\(head).tsv")
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n").dropFirst() {
                let text = String(line.split(separator: "\t", omittingEmptySubsequences: false)[0])
                if seen.insert(text).inserted { texts.append(text) }
            }
        }
        var workload = Workload(seed: 25)
        while texts.count < 2000, let text = workload.next() {
            if seen.insert(text).inserted { texts.append(text) }
        }
        return texts
    }
}

/// One line of `classify --json` (or `lookup --json`).
private struct ClassifyLine: Decodable {
    var text: String
    var kind: String?
    var pKeyword: Double?
    var pQuestion: Double?
    var error: String?
    var cached: Bool?

    enum CodingKeys: String, CodingKey {
        case text, kind, pKeyword = "p_keyword", pQuestion = "p_question", error, cached
    }
}

/// The hosts the extension is loaded into: `/usr/bin/sqlite3` and Debian's `/usr/bin/python3` (whose `sqlite3`
/// module can load extensions; a pyenv build may not), run as real processes in a test's folder.
enum SQLiteHost {
    /// The debug build's library, beside the `querykind` executable the tests run.
    static func requireLibrary() throws -> URL {
        let library = try CommandRunner.requireExecutable().deletingLastPathComponent()
            .appendingPathComponent("libquerykind-sqlite.so")
        guard FileManager.default.fileExists(atPath: library.path) else {
            throw XCTSkip("libquerykind-sqlite.so was not built next to the querykind executable")
        }
        return library
    }

    /// Runs `sql` in the sqlite3 shell on `database` (default: in memory) after `.load` of the library by its name
    /// without the `.so`, so SQLite derives the entry point from the file name. Errors stop the shell (exit 1).
    static func shell(_ sql: String, in folder: CLIFolder, database: String = ":memory:", library: URL? = nil,
                      environment: [String: String?] = [:]) throws -> CommandRunner.Output {
        let shell = URL(fileURLWithPath: "/usr/bin/sqlite3")
        guard FileManager.default.isExecutableFile(atPath: shell.path) else { throw XCTSkip("no /usr/bin/sqlite3") }
        let path = try (library ?? requireLibrary()).deletingPathExtension().path
        return try CommandRunner.run(["-bail", database], in: folder.url, executable: shell, environment: environment,
                                     stdin: ".load \(path)\n\(sql)\n")
    }

    /// Runs `body` in Debian's Python with `db`, a connection to `queries.db` in the folder with the library loaded,
    /// and `json` imported.
    static func python(_ body: String, in folder: CLIFolder) throws -> CommandRunner.Output {
        let python = URL(fileURLWithPath: "/usr/bin/python3")
        guard FileManager.default.isExecutableFile(atPath: python.path) else { throw XCTSkip("no /usr/bin/python3") }
        let script = """
            import json, sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.enable_load_extension(True)
            db.load_extension(sys.argv[2])
            db.enable_load_extension(False)

            """ + body
        return try CommandRunner.run(["-c", script, folder.db, try requireLibrary().deletingPathExtension().path],
                                     in: folder.url, executable: python)
    }

    /// One JSON array per line: numbers as Double, strings as String, null as nil.
    static func jsonRows(_ output: String) throws -> [[Any?]] {
        try output.split(separator: "\n").map { line in
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [Any] ?? []
            return row.map { value -> Any? in
                if let text = value as? String { return text }
                return (value as? NSNumber)?.doubleValue
            }
        }
    }
}
