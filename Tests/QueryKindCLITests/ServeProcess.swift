import Foundation
import XCTest

/// A `querykind serve --port 0` child and plain HTTP/1.1 requests to it over loopback sockets.
///
/// Why raw sockets: each request is exactly what a client sends (one connection, `Connection: close`), and a test
/// can also open a connection, send a request and close it before the answer, which URLSession cannot.
/// Sendable because its state is set once in `init`; requests from several threads each use their own socket.
final class ServeProcess: @unchecked Sendable {
    let child: Child
    let port: UInt16

    /// Starts the server and waits (at most `startDeadline` seconds) for its start line to name the port; a server
    /// that exits or hangs first is killed and the test fails with its stderr. `prefix` runs it under another
    /// command (`prlimit ...`), which must exec it.
    init(_ arguments: [String], in folder: URL, executable: URL? = nil, prefix: [String] = [],
         environment: [String: String?] = [:], startDeadline: TimeInterval = 120) throws {
        child = try CommandRunner.launch(["serve", "--port", "0"] + arguments, in: folder, executable: executable,
                                        prefix: prefix, environment: environment)
        let deadline = Date().addingTimeInterval(startDeadline)
        while true {
            if let port = Self.boundPort(in: child.stderr) {
                self.port = port
                return
            }
            if !child.process.isRunning || Date() > deadline {
                kill(child.process.processIdentifier, SIGKILL)
                child.process.waitUntilExit()
                throw ServeFailure("serve did not start (status \(child.process.terminationStatus)): \(child.stderr)")
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
    }

    deinit {
        if child.process.isRunning {
            kill(child.process.processIdentifier, SIGKILL)
            child.process.waitUntilExit()
        }
    }

    /// The port in `listening on http://HOST:PORT`.
    static func boundPort(in log: String) -> UInt16? {
        guard let range = log.range(of: #"listening on http://\S+:[0-9]+"#, options: .regularExpression) else {
            return nil
        }
        return UInt16(log[range].split(separator: ":").last!)
    }

    func get(_ path: String) throws -> HTTPReply {
        try HTTPReply.exchange(port: port, request: HTTPReply.request("GET", path))
    }

    func post(_ path: String, json: Any) throws -> HTTPReply {
        try post(path, body: try JSONSerialization.data(withJSONObject: json))
    }

    func post(_ path: String, body: Data) throws -> HTTPReply {
        try HTTPReply.exchange(port: port, request: HTTPReply.request("POST", path, body: body))
    }

    /// `GET /v1/classify?text=...`.
    func classify(_ text: String) throws -> HTTPReply {
        try get("/v1/classify?text=" + HTTPReply.percentEncoded(text))
    }

    /// Posts `count` new texts in the background and returns once at least half of them wait in the queue: with
    /// `--threads 1 --max-batch-tokens 16` (one text per batch) a backlog that keeps the server busy while a test
    /// acts. The texts are "backlog text number N about M things".
    func backlog(_ count: Int, file: StaticString = #filePath, line: UInt = #line) throws -> BackgroundRequest {
        let texts = (0..<count).map { "backlog text number \($0) about \($0 % 97) things" }
        let busy = BackgroundRequest { try self.post("/v1/classify", json: ["texts": texts]) }
        let deadline = Date().addingTimeInterval(60)
        while try metric("querykind_queue_depth") < Double(count / 2) {
            guard Date() < deadline else { throw ServeFailure("the backlog of \(count) texts never queued") }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return busy
    }

    /// The sum of every sample of `name` (any labels) in `/metrics`.
    func metric(_ name: String) throws -> Double {
        let text = String(decoding: try get("/metrics").body, as: UTF8.self)
        return text.split(separator: "\n").reduce(0) { sum, line in
            let parts = line.split(separator: " ")
            guard parts.count == 2, parts[0] == name || parts[0].hasPrefix(name + "{") else { return sum }
            return sum + (Double(parts[1]) ?? 0)
        }
    }

    /// Sends SIGTERM and waits (at most `seconds`) for the exit.
    func terminate(within seconds: TimeInterval = 30) throws -> CommandRunner.Output {
        child.signal(SIGTERM)
        return try child.wait(timeout: seconds)
    }
}

/// A request running on its own thread, for tests that act while it is in flight.
final class BackgroundRequest: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var result: Result<HTTPReply, any Error>?

    init(_ body: @escaping @Sendable () throws -> HTTPReply) {
        Thread {
            self.result = Result(catching: body)
            self.done.signal()
        }.start()
    }

    /// The reply; throws when it does not come within `seconds`.
    func reply(within seconds: Double = 120) throws -> HTTPReply {
        guard done.wait(timeout: .now() + seconds) == .success else {
            throw ServeFailure("the request did not finish within \(seconds) s")
        }
        return try result!.get()
    }
}

struct ServeFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One HTTP response, read to the end of a `Connection: close` exchange.
struct HTTPReply {
    var status: Int
    /// Header names lower-cased.
    var headers: [String: String]
    var body: Data

    var json: Any? { try? JSONSerialization.jsonObject(with: body) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    /// The message of an error body `{"error": {"message": ...}}`.
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }

    /// A request that asks the server to close the connection after its answer, unless `keepAlive`.
    static func request(_ method: String, _ path: String, body: Data = Data(), keepAlive: Bool = false) -> Data {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keepAlive ? "" : "Connection: close\r\n")
        if method == "POST" { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        return Data((head + "\r\n").utf8) + body
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .init(charactersIn:
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"))!
    }

    /// Sends `request` on a new connection and reads the whole answer (at most `timeout` seconds).
    static func exchange(port: UInt16, request: Data, timeout: TimeInterval = 60) throws -> HTTPReply {
        let socket = try LoopbackSocket(port: port, timeout: timeout)
        try socket.send(request)
        return try parse(socket.receiveAll())
    }

    static func parse(_ raw: Data) throws -> HTTPReply {
        guard let split = raw.range(of: Data("\r\n\r\n".utf8)) else {
            throw ServeFailure("no HTTP head in \(raw.count) bytes: \(String(decoding: raw, as: UTF8.self))")
        }
        let lines = String(decoding: raw[..<split.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPReply(status: status, headers: headers, body: Data(raw[split.upperBound...]))
    }
}

/// A blocking TCP connection to 127.0.0.1 with a receive timeout.
final class LoopbackSocket {
    let descriptor: Int32

    init(port: UInt16, timeout: TimeInterval) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw ServeFailure("cannot connect to 127.0.0.1:\(port): errno \(errno)")
        }
    }

    deinit { close(descriptor) }

    func send(_ data: Data) throws {
        var sent = 0
        while sent < data.count {
            let count = data.withUnsafeBytes { write(descriptor, $0.baseAddress! + sent, data.count - sent) }
            guard count > 0 else { throw ServeFailure("send failed: errno \(errno)") }
            sent += count
        }
    }

    /// Reads one answer, as long as its `Content-Length` says, and leaves the connection open.
    func receiveReply() throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let split = data.range(of: Data("\r\n\r\n".utf8)) {
                let head = String(decoding: data[..<split.lowerBound], as: UTF8.self).lowercased()
                let field = head.components(separatedBy: "\r\n").first { $0.hasPrefix("content-length:") }
                if let length = field.flatMap({ Int($0.dropFirst(15).trimmingCharacters(in: .whitespaces)) }),
                   data.count >= split.upperBound + length {
                    return data
                }
            }
            let count = read(descriptor, &buffer, buffer.count)
            guard count > 0 else { throw ServeFailure("no whole answer before the deadline (errno \(errno))") }
            data.append(contentsOf: buffer[0..<count])
        }
    }

    /// Reads until the server closes the connection; throws when the receive timeout passes first.
    func receiveAll() throws -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &buffer, buffer.count)
            if count == 0 { return data }
            guard count > 0 else { throw ServeFailure("no answer within the deadline (errno \(errno))") }
            data.append(contentsOf: buffer[0..<count])
        }
    }
}
