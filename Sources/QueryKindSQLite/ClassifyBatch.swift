import Annotator
import CQueryKindSQLite
import Foundation
import LabelStore

/// One scan of `querykind_classify(texts)`: every text's record, in array order, computed when the scan starts.
///
/// Why all at once: the texts are labeled as one job (distinct keys once, cached ones from memory or `label_cache`,
/// the rest through the model in length-bucketed batches on every worker thread), which is what makes the table
/// form the fast way to label many texts; the scalar functions are called row by row and cannot batch.
final class ClassifyBatch {
    let values: [SourceValue]
    let records: [PredictionRecord]

    init(values: [SourceValue], records: [PredictionRecord]) {
        self.values = values
        self.records = records
    }

    /// Sets `context` to column `column` of row `row`: idx, text, kind, p_keyword, p_question, error, cached.
    func column(_ column: Int32, row: Int, context: OpaquePointer?) {
        guard records.indices.contains(row) else { return querykind_result_null(context) }
        let record = records[row]
        switch column {
        case 0: querykind_result_int64(context, Int64(row))
        case 1 where values[row] != .null: SQLResult.text(context, record.text)
        case 2: record.label.map { SQLResult.text(context, $0.kind) } ?? querykind_result_null(context)
        case 3: record.label.map { querykind_result_double(context, $0.pKeyword) } ?? querykind_result_null(context)
        case 4: record.label.map { querykind_result_double(context, $0.pQuestion) } ?? querykind_result_null(context)
        case 5: record.error.map { SQLResult.text(context, $0) } ?? querykind_result_null(context)
        case 6: record.cached.map { querykind_result_int64(context, $0 ? 1 : 0) } ?? querykind_result_null(context)
        default: querykind_result_null(context)
        }
    }
}

@_cdecl("querykind_batch_open")
func querykindBatchOpen(_ session: UnsafeMutableRawPointer?, _ connection: OpaquePointer?, _ texts: OpaquePointer?,
                        _ rows: UnsafeMutablePointer<Int64>?, _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?)
    -> UnsafeMutableRawPointer? {
    do {
        guard let session, let connection else { throw SQLFailure("querykind_classify: no session or connection") }
        let host = HostDatabase(connection: connection)
        let values = querykind_value_type(texts) == QUERYKIND_SQL_NULL ? [] : try host.arrayElements(texts)
        let records: [PredictionRecord]
        if values.isEmpty {
            records = []
        } else {
            let session = SQLSession.of(session)
            records = try session.model().label(values, in: host, writingCache: session.cacheWrites)
                .records(texts: values.map(RowText.display), cached: .labeledOnly)
        }
        rows?.pointee = Int64(records.count)
        return Unmanaged.passRetained(ClassifyBatch(values: values, records: records)).toOpaque()
    } catch let failure {
        error?.pointee = strdup("\(failure)")
        return nil
    }
}

@_cdecl("querykind_batch_column")
func querykindBatchColumn(_ batch: UnsafeMutableRawPointer?, _ row: Int64, _ column: Int32, _ context: OpaquePointer?) {
    guard let batch else { return querykind_result_null(context) }
    Unmanaged<ClassifyBatch>.fromOpaque(batch).takeUnretainedValue().column(column, row: Int(row), context: context)
}

@_cdecl("querykind_batch_free")
func querykindBatchFree(_ batch: UnsafeMutableRawPointer?) {
    guard let batch else { return }
    Unmanaged<ClassifyBatch>.fromOpaque(batch).release()
}
