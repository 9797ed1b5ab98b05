import Foundation
import Logging

/// The keys `serve` accepts in `Authorization: Bearer <key>`: one given in `$QUERYKIND_API_KEY`, or those of a
/// key file (one per line; blank lines and lines starting with `#` are ignored) that SIGHUP reads again.
///
/// Why a reloadable file: keys are rotated by adding the new key, reloading, moving clients over and removing the
/// old one, without a restart that would drop the warm model and the memory cache. Keys are never logged: only
/// their count is.
public final class APIKeys: @unchecked Sendable {
    /// The key file, nil for a key given in the environment (nothing to reload).
    public let file: String?
    private let lock = NSLock()
    // Guarded by `lock`; never empty.
    private var keys: [[UInt8]]

    /// The keys of `file`; throws `KeyFileProblem` when it cannot be read or holds no key.
    public init(file: String) throws {
        self.file = file
        keys = try Self.read(file)
    }

    /// One key, from the environment; nil when it is empty.
    public init?(key: String) {
        let key = key.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { return nil }
        file = nil
        keys = [Array(key.utf8)]
    }

    /// How many keys are accepted now.
    public var count: Int { lock.withLock { keys.count } }

    /// Reads the key file again. A file that cannot be read or holds no key keeps the keys in force (and throws):
    /// a botched edit must neither lock every client out nor open the server.
    @discardableResult
    public func reload() throws -> Int {
        guard let file else { return count }
        let fresh = try Self.read(file)
        lock.withLock { keys = fresh }
        return fresh.count
    }

    /// Whether `presented` is one of the keys. Every key is compared, each in time that depends only on the
    /// lengths, so the answer's timing does not tell an attacker how much of a guess was right.
    func accepts(_ presented: some Collection<UInt8>) -> Bool {
        let presented = Array(presented)
        let keys = lock.withLock { self.keys }
        var matched = false
        for key in keys {
            var difference: UInt8 = key.count == presented.count ? 0 : 1
            for index in 0..<max(key.count, presented.count) {
                let left = index < key.count ? key[index] : 0
                let right = index < presented.count ? presented[index] : 0
                difference |= left ^ right
            }
            matched = matched || difference == 0
        }
        return matched
    }

    /// A reload that failed, or a key file that cannot be used at start: one line naming the file.
    public struct KeyFileProblem: Error, CustomStringConvertible {
        public let description: String
    }

    private static func read(_ file: String) throws -> [[UInt8]] {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw KeyFileProblem(description: "cannot read the API key file \(file): "
                + "\((error as NSError).localizedFailureReason ?? "it is missing, unreadable or not UTF-8")")
        }
        let keys = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard !keys.isEmpty else {
            throw KeyFileProblem(description: "the API key file \(file) holds no key; put one key per line "
                + "(blank lines and lines starting with # are ignored)")
        }
        return keys.map { Array($0.utf8) }
    }

    /// Reloads the key file on every SIGHUP, logging the outcome (the number of keys, never a key); keep the
    /// returned source alive while reloads should work. Nil without a key file.
    func reloadingOnHangUp(logger: Logger) -> (any DispatchSourceSignal)? {
        guard let file else { return nil }
        signal(SIGHUP, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        source.setEventHandler { [self] in
            do {
                let count = try reload()
                logger.info("reloaded the API key file", metadata: ["file": "\(file)", "keys": "\(count)"])
            } catch {
                logger.error("kept the previous API keys", metadata: ["reason": "\(error)"])
            }
        }
        source.resume()
        return source
    }
}
