import Foundation
import Hummingbird

/// JSON responses with an explicit content type, keys sorted as `classify --json` prints them.
enum JSONResponse {
    static func make(_ value: some Encodable) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return bytes(try encoder.encode(value))
    }

    static func bytes(_ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok,
                      contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
