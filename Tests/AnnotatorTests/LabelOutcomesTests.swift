import Annotator
import LabelStore
import XCTest

/// The one counting rule of `label`, `lookup` and `serve`: the first input of a computed key is its inference,
/// every other labeled input a cache hit, and an unlabelable input keeps its reason.
final class LabelOutcomesTests: XCTestCase {
    func testFirstInputOfAComputedKeyIsTheInferenceAndEveryOtherAHit() {
        let question = StoredLabel(kind: "question", pKeyword: 0.1, pQuestion: 0.9)
        let keyword = StoredLabel(kind: "keyword", pKeyword: 0.9, pQuestion: 0.1)
        let keys: [Result<String, UnlabelableRow>] = [.success("new"), .success("known"), .success("new"),
                                                      .failure(.empty), .success("known")]
        let outcomes = LabelOutcomes(keys: keys, labels: ["new": question, "known": keyword], computed: ["new"])
        XCTAssertEqual(outcomes.items.map { (try? $0.get())?.fromCache }, [false, true, true, nil, true])
        XCTAssertEqual(outcomes.hits, ["new": 1, "known": 2])
        XCTAssertEqual([outcomes.labeledCount, outcomes.errorCount, outcomes.hitCount], [4, 1, 3])

        let texts = ["a", "b", "c", " ", "e"]
        XCTAssertEqual(outcomes.records(texts: texts, cached: .everyRecord).map(\.cached),
                       [false, true, true, false, true])
        XCTAssertEqual(outcomes.records(texts: texts, cached: .labeledOnly).map(\.cached),
                       [false, true, true, nil, true])
        XCTAssertEqual(outcomes.records(texts: texts, cached: .absent).map(\.cached), [nil, nil, nil, nil, nil])
        XCTAssertEqual(outcomes.records(texts: texts, cached: .absent)[3].error, UnlabelableRow.empty.rawValue)
        XCTAssertEqual(outcomes.records(texts: texts, cached: .absent)[2].label, question)
    }
}
