import Foundation
import QueryKindTestSupport
import XCTest

/// Every committed fixture file pinned by SHA-256, so a regenerated or edited fixture shows up as a failing test
/// (and a deliberate change is made here, in review) instead of silently moving what parity is measured against.
final class FixtureHashTests: XCTestCase {
    /// Path under `Fixtures/` → SHA-256. The generator scripts (`*.py`) are code, not pinned.
    private let pinned: [String: String] = [
        "expected-shipped-shape.jsonl": "1aaf9ece7096ebd9ddd956c1df2d66abf12f43406da96f613b64c0177661a9e7",
        "expected.jsonl": "85bb151fced2217814c0ab2d60697e2cb1788cd860888ca57f8fdaba47a8bd78",
        "format-samples.bin": "424862ffceb7af7cabcbf4487b2a9113ec3e030f6cd14da438303f21384563fc",
        "labeled/keyword.tsv": "80cbe6044eff97730a33f4f57cb081c1e6035331751d009e1f9d6760419f8d4c",
        "labeled/question.tsv": "0c5e5df28848781274f451437072b244e402ac428267027cf634d83263fc4695",
        "shipped-shape-fp16/config.json": "34c2f77b43aab814ced081a3df14a731985b9cb7858cc9fb800b912f1098afce",
        "shipped-shape-fp16/model.safetensors": "6d0f83b0dae0ac2912b53ec1a89f1ed34f93346389c31ee54e2874ebf8f44e07",
        "shipped-shape-fp16/tokenizer_config.json": "e7e35606c79c519c39a1aa1dc98853c398616aa46f131c21e6e24d7e20731ee2",
        "shipped-shape-fp16/vocab.txt": "76cb252610f61dcc692e89b45e5f1033a0d62edc9b1f716e4ca1ce62b1e44ab9",
        "tiny-fp16/config.json": "26cfeaf6c34509f3644d3182f0dac631316334b88bcd96a670f5f552e51a0f7f",
        "tiny-fp16/model.safetensors": "a49c3d9f54d0b70792eb9ebd5145fc48f636b7397a399e4abca1c4c1661cbec8",
        "tiny-fp16/tokenizer_config.json": "e7e35606c79c519c39a1aa1dc98853c398616aa46f131c21e6e24d7e20731ee2",
        "tiny-fp16/vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        "tiny-safetensors/config.json": "26cfeaf6c34509f3644d3182f0dac631316334b88bcd96a670f5f552e51a0f7f",
        "tiny-safetensors/model.safetensors": "7ad338038de1a0e177fcb17930e1c122c84e91ec5c07042957d77755e5233024",
        "tiny-safetensors/tokenizer_config.json": "e7e35606c79c519c39a1aa1dc98853c398616aa46f131c21e6e24d7e20731ee2",
        "tiny-safetensors/vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
        "tiny-torch/config.json": "26cfeaf6c34509f3644d3182f0dac631316334b88bcd96a670f5f552e51a0f7f",
        "tiny-torch/pytorch_model.bin": "e774f9b6f12cf191b6db87d7992afae7be79219d2a17af9e24370f86b66179de",
        "tiny-torch/tokenizer_config.json": "e7e35606c79c519c39a1aa1dc98853c398616aa46f131c21e6e24d7e20731ee2",
        "tiny-torch/vocab.txt": "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
    ]

    func testEveryFixtureFileHasItsPinnedHash() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        XCTAssertEqual(try FixtureHashes.mismatches(under: root, pinned: pinned), [],
                       "fixture files changed, added or removed (update `pinned` only on purpose)")
    }
}
