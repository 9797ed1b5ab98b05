import TensorMath
import XCTest
@testable import BertClassifier

/// `RuntimeSettings` decide the backend, precision and workers a classifier runs with, and nothing else.
final class RuntimeSettingsTests: XCTestCase {
    func testReferenceIsOpenBLASFloat32WithOneWorker() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"))
        XCTAssertEqual(classifier.gemmName, OpenBLASGEMM().name)
        XCTAssertEqual(classifier.precision, .float32)
        XCTAssertEqual(classifier.workers, 1)
    }

    func testAutomaticPrefersOneDNNAndThreadsBecomeWorkers() throws {
        let classifier = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"),
                                             settings: .throughput(threads: 3))
        XCTAssertEqual(classifier.gemmName, OneDNNGEMM()?.name ?? OpenBLASGEMM().name)
        XCTAssertEqual(classifier.workers, 3)
        XCTAssertEqual(OpenBLASCore.threads, 1, "workers run single-threaded products")
    }

    func testNamedBackendIsUsedOrRefused() throws {
        let openBLAS = try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"),
                                           settings: RuntimeSettings(backend: .openblas, threads: 2))
        XCTAssertEqual(openBLAS.gemmName, OpenBLASGEMM().name)
        let oneDNN = { try QueryClassifier(modelDirectory: Fixtures.directory("tiny-safetensors"),
                                           settings: RuntimeSettings(backend: .onednn)) }
        if OneDNNGEMM() == nil {
            XCTAssertThrowsError(try oneDNN()) { XCTAssertTrue("\($0)".contains("libdnnl2"), "\($0)") }
        } else {
            XCTAssertEqual(try oneDNN().gemmName, OneDNNGEMM()!.name)
        }
    }

    func testInt8CarriesItsOwnModelIDWhereItRuns() throws {
        let directory = try ModelDirectory(Fixtures.directory("tiny-safetensors"))
        let int8 = try QueryClassifier(directory, settings: RuntimeSettings(precision: .int8))
        let fp32 = try QueryClassifier(directory)
        if Int8Linear.isAvailable {
            XCTAssertEqual(int8.precision, .int8)
            XCTAssertEqual(int8.modelID, fp32.modelID + "+int8")
        } else {
            XCTAssertEqual(int8.precision, .float32, "int8 falls back to float32 where it cannot run")
            XCTAssertEqual(int8.modelID, fp32.modelID)
        }
    }
}
