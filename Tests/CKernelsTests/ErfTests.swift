import Foundation
import XCTest
import CKernels

/// The vectorizable `erf` behind GELU (`qk_erf`) against libm's double-precision `erf`.
final class ErfTests: XCTestCase {
    func testWithinFourTenMillionthsEverywhere() {
        var worst: Double = 0
        var at: Float = 0
        for step in -120_000...120_000 {
            let z = Float(step) / 20_000  // [-6, 6], well past the ±4 clamp
            let error = abs(Double(qk_erf(z)) - erf(Double(z)))
            if error > worst { (worst, at) = (error, z) }
        }
        XCTAssertLessThan(worst, 4e-7, "worst at z = \(at)")
    }

    func testOddSaturatingAndNaNPreserving() {
        XCTAssertEqual(qk_erf(0), 0)
        XCTAssertEqual(qk_erf(-0.7), -qk_erf(0.7))
        XCTAssertEqual(qk_erf(50), qk_erf(4))
        XCTAssertEqual(qk_erf(-.infinity), -qk_erf(4))
        XCTAssertTrue(qk_erf(.nan).isNaN)
    }
}
