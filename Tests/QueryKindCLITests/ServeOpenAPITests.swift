import Foundation
import XCTest

/// Real responses of every status `serve` documents, checked against the OpenAPI document it serves (which must be
/// the one kept in the repository).
final class ServeOpenAPITests: XCTestCase {
    func testResponsesMatchTheOpenAPIDocument() throws {
        let folder = try CLIFolder()
        let server = try ServeProcess(["--model", CommandRunner.tinyModel, "--threads", "1", "--max-batch-tokens", "16",
                                       "--max-texts", "1000", "--max-queue", "1000"], in: folder.url)
        let served = try server.get("/openapi.json")
        let repository = try Data(contentsOf: CommandRunner.repositoryRoot
            .appendingPathComponent("Sources/QueryServer/openapi.json"))
        XCTAssertEqual(served.body, repository, "the served document is the repository's")
        let document = try XCTUnwrap(served.json as? [String: Any])
        let checker = SchemaChecker(document: document)

        let tooMany = (0...1000).map { "text \($0)" }
        // A full request of new texts does not fit while another one holds the queue: 429.
        let busy = try server.backlog(1000)
        let full = try server.post("/v1/classify", json: ["texts": (0..<1000).map { "new text \($0)" }])
        let exchanges: [(String, String, HTTPReply)] = [
            ("/v1/classify", "post", full),
            ("/v1/classify", "post", try busy.reply()),
            ("/v1/classify", "post", try server.post("/v1/classify", json: ["texts": ["where is berlin?", " "]])),
            ("/v1/classify", "get", try server.classify("cheap flights")),
            ("/v1/classify", "post", try server.post("/v1/classify", json: ["texts": [1]])),
            ("/v1/classify", "post", try server.post("/v1/classify", json: ["texts": tooMany])),
            ("/v1/classify", "get", try server.get("/v1/classify")),
            ("/healthz", "get", try server.get("/healthz")),
            ("/readyz", "get", try server.get("/readyz")),
            ("/metrics", "get", try server.get("/metrics")),
        ]
        XCTAssertEqual(Set(exchanges.map { $0.2.status }), [200, 400, 413, 429])
        for (path, method, reply) in exchanges {
            let problems = checker.problems(path: path, method: method, reply: reply)
            XCTAssertEqual(problems, [], "\(method) \(path) \(reply.status): \(String(decoding: reply.body, as: UTF8.self))")
        }
        // The checker itself rejects what the document forbids.
        let response = ["$ref": "#/components/schemas/ClassifyResponse"]
        let valid: [String: Any] = ["model": "m@0123456789ab", "results": [["text": "t", "cached": true,
            "kind": NSNull(), "p_keyword": NSNull(), "p_question": NSNull(), "error": "text is empty"]]]
        XCTAssertEqual(checker.problems(value: valid, schema: response), [])
        XCTAssertFalse(checker.problems(value: ["model": "m@0123456789ab", "results": [["text": "t", "cached": true]]],
                                        schema: response).isEmpty)
        XCTAssertFalse(checker.problems(value: ["model": "m@0123456789ab", "results": [["text": "t", "cached": true,
                                        "kind": NSNull(), "p_keyword": NSNull(), "p_question": NSNull(),
                                        "error": "text is empty", "extra": 1]]], schema: response).isEmpty)
        XCTAssertFalse(checker.problems(value: ["model": "m@0123456789ab", "results": [["text": "t", "cached": true,
                                        "kind": "keyword", "p_keyword": NSNull(), "p_question": 0.5]]],
                                        schema: response).isEmpty, "a kind needs both probabilities")
    }
}

/// The part of JSON Schema (2020-12) the document uses: type, enum, required, properties, additionalProperties,
/// unevaluatedProperties (over allOf), items, minimum, maximum, pattern, $ref, allOf, anyOf, oneOf, not.
struct SchemaChecker {
    let document: [String: Any]

    /// What is wrong with `reply` as the answer of `method path`: an undocumented status, a wrong content type or a
    /// body that does not match its schema.
    func problems(path: String, method: String, reply: HTTPReply) -> [String] {
        let paths = document["paths"] as? [String: Any]
        let operation = (paths?[path] as? [String: Any])?[method] as? [String: Any]
        guard var response = (operation?["responses"] as? [String: Any])?["\(reply.status)"] as? [String: Any] else {
            return ["status \(reply.status) is not documented"]
        }
        if let ref = response["$ref"] as? String { response = resolve(ref) }
        let contentType = reply.headers["content-type"]?.split(separator: ";").first.map(String.init) ?? ""
        guard let media = (response["content"] as? [String: Any])?[contentType] as? [String: Any] else {
            return ["content type \(contentType) is not documented"]
        }
        var found: [String] = []
        for (name, header) in response["headers"] as? [String: Any] ?? [:]
        where (header as? [String: Any])?["required"] as? Bool == true && reply.headers[name.lowercased()] == nil {
            found.append("missing header \(name)")
        }
        let schema = media["schema"] as? [String: Any] ?? [:]
        let body: Any = contentType == "application/json"
            ? (reply.json ?? "not JSON") : String(decoding: reply.body, as: UTF8.self)
        return found + problems(value: body, schema: schema)
    }

    func problems(value: Any, schema: [String: Any], at location: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String { return problems(value: value, schema: resolve(ref), at: location) }
        var found: [String] = []
        let types = (schema["type"] as? String).map { [$0] } ?? schema["type"] as? [String]
        if let types, !types.contains(where: { matches(value, type: $0) }) {
            return ["\(location) is not of type \(types)"]
        }
        if let options = schema["enum"] as? [Any],
           !options.contains(where: { ($0 is NSNull && value is NSNull) || ($0 as? String).map { $0 == value as? String } == true }) {
            found.append("\(location) is not one of \(options)")
        }
        if let number = value as? Double {
            if let minimum = schema["minimum"] as? Double, number < minimum { found.append("\(location) < \(minimum)") }
            if let maximum = schema["maximum"] as? Double, number > maximum { found.append("\(location) > \(maximum)") }
        }
        if let pattern = schema["pattern"] as? String, let text = value as? String,
           text.range(of: pattern, options: .regularExpression) == nil {
            found.append("\(location) does not match \(pattern)")
        }
        if let object = value as? [String: Any] {
            found += objectProblems(object, schema: schema, at: location)
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (index, item) in array.enumerated() {
                found += problems(value: item, schema: items, at: "\(location)[\(index)]")
            }
        }
        for part in schema["allOf"] as? [[String: Any]] ?? [] {
            found += problems(value: value, schema: part, at: location)
        }
        if let options = schema["anyOf"] as? [[String: Any]],
           !options.contains(where: { problems(value: value, schema: $0, at: location).isEmpty }) {
            found.append("\(location) matches none of anyOf")
        }
        if let options = schema["oneOf"] as? [[String: Any]],
           options.filter({ problems(value: value, schema: $0, at: location).isEmpty }).count != 1 {
            found.append("\(location) does not match exactly one of oneOf")
        }
        if let forbidden = schema["not"] as? [String: Any], problems(value: value, schema: forbidden).isEmpty {
            found.append("\(location) matches a schema it must not")
        }
        return found
    }

    private func objectProblems(_ object: [String: Any], schema: [String: Any], at location: String) -> [String] {
        var found: [String] = []
        for name in schema["required"] as? [String] ?? [] where object[name] == nil {
            found.append("\(location) lacks \(name)")
        }
        let properties = schema["properties"] as? [String: Any] ?? [:]
        let evaluated = evaluatedProperties(schema)
        for (name, value) in object {
            if let property = properties[name] as? [String: Any] {
                found += problems(value: value, schema: property, at: "\(location).\(name)")
            } else if schema["additionalProperties"] as? Bool == false
                        || (schema["unevaluatedProperties"] as? Bool == false && !evaluated.contains(name)) {
                found.append("\(location) has undocumented \(name)")
            }
        }
        return found
    }

    /// Property names `schema` and its `allOf` parts declare (what `unevaluatedProperties` leaves out).
    private func evaluatedProperties(_ schema: [String: Any]) -> Set<String> {
        let schema = (schema["$ref"] as? String).map(resolve) ?? schema
        let own = Set((schema["properties"] as? [String: Any] ?? [:]).keys)
        return (schema["allOf"] as? [[String: Any]] ?? []).reduce(own) { $0.union(evaluatedProperties($1)) }
    }

    private func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "object": value is [String: Any]
        case "array": value is [Any]
        case "string": value is String
        case "null": value is NSNull
        case "boolean": (value as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false
        case "number", "integer": value is NSNumber && !matches(value, type: "boolean")
        default: false
        }
    }

    private func resolve(_ reference: String) -> [String: Any] {
        reference.dropFirst(2).split(separator: "/").reduce(document as Any) { node, key in
            (node as? [String: Any])?[String(key)] as Any
        } as? [String: Any] ?? [:]
    }
}
