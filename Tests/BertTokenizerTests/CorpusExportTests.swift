import BertTokenizer
import Foundation
import XCTest

/// Test-only bridge for `scripts/tokenizer_parity_at_scale.py`: when QUERYKIND_TOKENIZE_FILE names a
/// JSONL file of `{"text": ...}` lines, writes the ids of each text to `<file>.ids` (one line of
/// space-separated ids per text) and checks the cache-key properties on every text. Skipped otherwise.
final class CorpusExportTests: XCTestCase {
    func testExportIDsForParityScript() throws {
        guard let path = ProcessInfo.processInfo.environment["QUERYKIND_TOKENIZE_FILE"] else {
            throw XCTSkip("set QUERYKIND_TOKENIZE_FILE to export ids (see scripts/tokenizer_parity_at_scale.py)")
        }
        struct Line: Decodable { let text: String }
        let tokenizer = TestSupport.uncased
        let decoder = JSONDecoder()
        var output = ""
        var propertyFailures = 0
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        for line in lines {
            let text = try decoder.decode(Line.self, from: Data(line.utf8)).text
            let ids = tokenizer.encode(text)
            output += ids.map(String.init).joined(separator: " ") + "\n"
            let key = tokenizer.normalize(text)
            if tokenizer.encode(key) != ids || !tokenizer.normalize(key).utf8.elementsEqual(key.utf8) {
                propertyFailures += 1
                if propertyFailures <= 10 { XCTFail("normalize properties fail for \(text.debugDescription)") }
            }
        }
        try output.write(toFile: path + ".ids", atomically: true, encoding: .utf8)
        print("exported ids of \(lines.count) texts; normalize property failures: \(propertyFailures)")
        XCTAssertEqual(propertyFailures, 0)
    }
}
