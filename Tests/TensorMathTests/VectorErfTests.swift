import Foundation
import XCTest
@testable import TensorMath

/// The vectorizable `erf` behind GELU against libm's double-precision `erf`.
final class VectorErfTests: XCTestCase {
    func testWithinFourTenMillionthsEverywhere() {
        var worst: Double = 0
        var at: Float = 0
        for step in -120_000...120_000 {
            let z = Float(step) / 20_000  // [-6, 6], well past the ±4 clamp
            let error = abs(Double(vectorErf(z)) - erf(Double(z)))
            if error > worst { (worst, at) = (error, z) }
        }
        XCTAssertLessThan(worst, 4e-7, "worst at z = \(at)")
    }

    func testOddSaturatingAndNaNPreserving() {
        XCTAssertEqual(vectorErf(0), 0)
        XCTAssertEqual(vectorErf(-0.7), -vectorErf(0.7))
        XCTAssertEqual(vectorErf(50), vectorErf(4))
        XCTAssertEqual(vectorErf(-.infinity), -vectorErf(4))
        XCTAssertTrue(vectorErf(.nan).isNaN)
    }
}
