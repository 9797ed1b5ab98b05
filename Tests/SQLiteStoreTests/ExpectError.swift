import XCTest

/// Runs `body` and returns the error it threw, failing the test when it did not throw.
func expectError<T>(_ body: () throws -> T, file: StaticString = #filePath, line: UInt = #line) -> Error? {
    do {
        _ = try body()
        XCTFail("expected an error", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
