import Foundation
import XCTest
@testable import BertClassifier

/// Random damage to the structural parts of a checkpoint must end in a `ModelLoadError` (or, when the damage is
/// harmless, a successful load), never in a crash: offsets and lengths read from the file are all bounds-checked.
final class CorruptionTests: XCTestCase {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    private func random(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int(state >> 33) % bound
    }

    /// Damages `regions` of `original` 300 times and loads the whole model from each copy.
    private func fuzz(_ name: String, file: String, regions: (Data) -> [Range<Int>]) throws {
        let url = Fixtures.directory(name).appendingPathComponent(file)
        let original = try Data(contentsOf: url)
        let config = try BertConfig(contentsOf: Fixtures.directory(name).appendingPathComponent("config.json"))
        let targets = regions(original)
        var failures = 0
        for _ in 0..<300 {
            var bytes = original
            for _ in 0..<(1 + random(4)) {
                let region = targets[random(targets.count)]
                bytes[region.lowerBound + random(region.count)] = UInt8(random(256))
            }
            do {
                let checkpoint = try Checkpoint(bytes: bytes, file: file, safetensors: file.hasSuffix(".safetensors"))
                _ = try MultiTaskBert(config: config, checkpoint: checkpoint)
            } catch let error as ModelLoadError {
                XCTAssertTrue(error.description.hasPrefix(file), "\(error)")
                failures += 1
            }
        }
        XCTAssertGreaterThan(failures, 0, "the damage never mattered, so this test checks nothing")
    }

    func testDamagedTorchArchiveNeverCrashes() throws {
        // The pickle and zip headers at the start, the central directory at the end.
        try fuzz("tiny-torch", file: "pytorch_model.bin") { [0..<4_900, ($0.count - 5_000)..<$0.count] }
    }

    func testDamagedSafetensorsHeaderNeverCrashes() throws {
        try fuzz("tiny-fp16", file: "model.safetensors") { data in
            let headerEnd = 8 + Int(data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
            return [0..<headerEnd]
        }
    }
}
