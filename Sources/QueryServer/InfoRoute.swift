import Annotator
import Hummingbird

/// `GET /info`: what a client needs to know before it sends work, as text-embeddings-inference's `/info` says it:
/// the model and how it runs, what its heads mean, the request limits and whether a database backs the cache.
struct InfoRoute: Sendable {
    let labeler: CacheFirstLabeler
    let settings: ServerSettings
    let databaseAttached: Bool

    func register(on router: Router<ServeRequestContext>, in routes: RouteMethods) {
        let info = ServerInfo(labeler: labeler, settings: settings, databaseAttached: databaseAttached)
        routes.route(.get, "info", on: router) { _, _ in try JSONResponse.make(info) }
    }
}

/// `GET /info`'s answer (Decodable for the tests that read it back).
struct ServerInfo: Codable, Sendable {
    /// One classification head: its labels in the checkpoint's order and the result field with its probability.
    struct Head: Codable, Sendable, Equatable {
        var labels: [String]
        var field: String
    }

    var model: String
    var precision: String
    /// Why the requested precision could not run here (float32 ran instead); absent when it did.
    var precisionFallback: String?
    var heads: [String: Head]
    var maxTexts: Int
    var maxBodyBytes: Int
    var maxBatchTokens: Int
    var version: String
    var commit: String
    var database: Bool
    /// The confidence gate of requests that give none (0: off).
    var uncertain: Double

    init(labeler: CacheFirstLabeler, settings: ServerSettings, databaseAttached: Bool) {
        model = labeler.modelID
        precision = labeler.classifier.precision.rawValue
        precisionFallback = labeler.classifier.precisionFallback
        heads = [
            "keyword": Head(labels: ["keyword", "natural language"], field: "p_keyword"),
            "question": Head(labels: ["statement", "question"], field: "p_question"),
        ]
        maxTexts = settings.requests.maxTexts
        maxBodyBytes = settings.requests.maxBodyBytes
        maxBatchTokens = settings.inference.maxBatchTokens
        version = BuildInfo.version
        commit = BuildInfo.commit
        database = databaseAttached
        uncertain = settings.uncertainMargin.value
    }

    private enum CodingKeys: String, CodingKey {
        case model, precision, precisionFallback = "precision_fallback", heads, maxTexts = "max_texts"
        case maxBodyBytes = "max_body_bytes", maxBatchTokens = "max_batch_tokens", version, commit, database, uncertain
    }
}
