import Foundation
import QueryKindTestSupport
import XCTest

/// Every committed tokenizer fixture file pinned by SHA-256, so a regenerated or edited fixture (a parity list, the
/// vocabulary, its config) shows up as a failing test and a deliberate change is made here, in review, instead of
/// silently moving what tokenizer parity is measured against.
final class TokenizerFixtureHashTests: XCTestCase {
    /// Path under `Fixtures/` → SHA-256. The generator script (`*.py`) is code, not pinned.
    private let pinned: [String: String] = [
        "tokenizer_parity.jsonl": "7434d5a9eb55ba466fe1387d551761db9e654547364a8ad79ece16c9c7a0cd19",
        "tokenizer_parity_cased.jsonl": "ec82eb941c4638a5d2c44f7f20640a86007fb8213be00ca140c1166f90bea059",
        "vocab/SOURCE.md": "717c4bdc2faf44b3d4140d52bc7f2b642e6c7f0b1bee1ea8d2caaad9f040f992",
        "vocab/tokenizer_config.json": "53a3e733dfc28621ba55bdf9a432ff682eb91fa76b6ae38f8b008f43dd8f2575",
        "vocab/vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    ]

    func testEveryFixtureFileHasItsPinnedHash() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        XCTAssertEqual(try FixtureHashes.mismatches(under: root, pinned: pinned), [],
                       "fixture files changed, added or removed (update `pinned` only on purpose)")
    }
}
