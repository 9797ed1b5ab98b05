import Annotator
import Foundation
import Hummingbird

/// JSON responses with an explicit content type, written in `JSONStyle` as `classify --json` prints them.
enum JSONResponse {
    static func make(_ value: some Encodable) throws -> Response {
        bytes(try JSONStyle.encode(value))
    }

    static func bytes(_ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok,
                      contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An error answer: `{"error": {"message": ...}}`, the one error shape of the API.
    static func error(_ status: HTTPResponse.Status, message: String, headers: HTTPFields = [:]) -> Response {
        var response = bytes(errorBody(message), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The body of an error answer, also written below the router (`ConnectionGuard`).
    static func errorBody(_ message: String) -> [UInt8] {
        // Encoding a struct of one string cannot fail.
        Array(try! JSONStyle.encode(ErrorBody(error: .init(message: message))))
    }

    private struct ErrorBody: Encodable {
        struct Message: Encodable { var message: String }
        var error: Message
    }
}
