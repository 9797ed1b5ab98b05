import Annotator

/// `POST /v1/classify`'s body.
struct ClassifyRequest: Decodable {
    var texts: [String]
    /// The confidence gate for this request (`UncertainMargin`), else the server's `--uncertain`.
    var uncertain: Double?
}

/// `POST /v1/classify`'s answer: the model id once, then one record per text in input order.
struct ClassifyResponse: Encodable {
    var model: String
    var results: [PredictionRecord]
}

/// `GET /v1/classify`'s answer: the record's fields plus `model`, flat.
struct SingleClassifyResponse: Encodable {
    var model: String
    var record: PredictionRecord

    private enum CodingKeys: String, CodingKey { case model }

    func encode(to encoder: any Encoder) throws {
        try record.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(model, forKey: .model)
    }
}
