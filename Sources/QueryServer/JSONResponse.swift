import Annotator
import Foundation
import Hummingbird

/// JSON responses with an explicit content type, written in `JSONStyle` as `classify --json` prints them.
enum JSONResponse {
    static func make(_ value: some Encodable) throws -> Response {
        bytes(try JSONStyle.encoder().encode(value))
    }

    static func bytes(_ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok,
                      contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
