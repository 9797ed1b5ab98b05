import Foundation

/// The parts of HuggingFace's `tokenizer_config.json` that change how BERT tokenizes.
///
/// A missing file means the defaults (lower-casing). Options querykind does not implement
/// (`strip_accents` differing from `do_lower_case`, no CJK padding, no basic tokenization) are
/// refused with an error rather than silently tokenizing differently from HuggingFace.
struct TokenizerConfiguration {
    var lowercase = true

    private struct File: Decodable {
        var doLowerCase: Bool?
        var stripAccents: Bool?
        var tokenizeChineseChars: Bool?
        var doBasicTokenize: Bool?

        enum CodingKeys: String, CodingKey {
            case doLowerCase = "do_lower_case", stripAccents = "strip_accents"
            case tokenizeChineseChars = "tokenize_chinese_chars", doBasicTokenize = "do_basic_tokenize"
        }
    }

    init(contentsOf url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        func invalid(_ reason: String) -> TokenizerError {
            .invalidConfiguration(path: url.path, reason: reason)
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        } catch let DecodingError.typeMismatch(type, context) {
            let field = context.codingPath.last.map { "\"\($0.stringValue)\"" } ?? "the file"
            throw invalid("\(field) is not \(type == Bool.self ? "true or false" : "a JSON object")")
        } catch {
            throw invalid("not valid JSON (\(error.localizedDescription))")
        }
        lowercase = file.doLowerCase ?? true
        if let strip = file.stripAccents, strip != lowercase {
            throw invalid("\"strip_accents\": \(strip) with \"do_lower_case\": \(lowercase) is not supported")
        }
        if file.tokenizeChineseChars == false {
            throw invalid("\"tokenize_chinese_chars\": false is not supported")
        }
        if file.doBasicTokenize == false {
            throw invalid("\"do_basic_tokenize\": false is not supported")
        }
    }
}
