import Annotator
import BertClassifier
import CQueryKindSQLite
import Foundation
import LabelStore

// The SQL functions' bodies, called by SQLite through the C entry point's registrations (entry_point.c). Each
// answers or sets one SQL error: nothing here may trap, since a trap would end the host's process.

/// `querykind_kind(text)`: 'keyword', 'question' or 'statement'; NULL when the text cannot be labeled.
@_cdecl("querykind_kind_function")
func querykindKindFunction(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    answerLabel(context, arguments) { label in SQLResult.text(context, label.kind) }
}

/// `querykind_p_keyword(text)`: the keyword head's probability; NULL when the text cannot be labeled.
@_cdecl("querykind_p_keyword_function")
func querykindPKeywordFunction(_ context: OpaquePointer?, _ count: Int32,
                               _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    answerLabel(context, arguments) { label in querykind_result_double(context, label.pKeyword) }
}

/// `querykind_p_question(text)`: the question head's probability; NULL when the text cannot be labeled.
@_cdecl("querykind_p_question_function")
func querykindPQuestionFunction(_ context: OpaquePointer?, _ count: Int32,
                                _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    answerLabel(context, arguments) { label in querykind_result_double(context, label.pQuestion) }
}

/// `querykind_label(text)`: the JSON object `classify --json` prints for the text, with `error` when it cannot be
/// labeled (NULL, a BLOB, empty, no tokens).
@_cdecl("querykind_label_function")
func querykindLabelFunction(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let (session, value) = call(context, arguments) else { return }
    do {
        // A value that is no text is answered without loading the model, as the other scalar functions answer it.
        let record: PredictionRecord
        if case .failure(let problem) = RowText.of(value) {
            record = PredictionRecord(text: RowText.display(value), label: nil, error: problem.rawValue)
        } else {
            record = try labelRecord(value, session: session, context: context)
        }
        SQLResult.text(context, String(decoding: try JSONStyle.encode(record), as: UTF8.self))
    } catch {
        SQLResult.error(context, error)
    }
}

/// `value`'s object through the table function's path, so it carries what classify's does (unknown_token_share too).
private func labelRecord(_ value: SourceValue, session: SQLSession, context: OpaquePointer?) throws -> PredictionRecord {
    guard let connection = querykind_context_db(context) else { throw SQLFailure("querykind: no database connection") }
    let outcomes = try session.model().label([value], in: HostDatabase(connection: connection),
                                             writingCache: session.cacheWrites)
    return outcomes.records(texts: [RowText.display(value)], cached: .absent)[0]
}

/// `querykind_model()`: the id of the model this connection labels with (loading the default one if none is yet).
@_cdecl("querykind_model_function")
func querykindModelFunction(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let session = session(context) else { return }
    do { SQLResult.text(context, try session.model().modelID) } catch { SQLResult.error(context, error) }
}

/// `querykind_load(dir [, precision])`: labels with the model in `dir` from now on in this connection; returns its id.
@_cdecl("querykind_load_function")
func querykindLoadFunction(_ context: OpaquePointer?, _ count: Int32, _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let session = session(context), let arguments else { return }
    do {
        guard case .text(let path) = SQLArgument.value(arguments[0]), !path.isEmpty else {
            throw SQLFailure("querykind_load needs a model folder: querykind_load('Models/querykind-minilm-l3')")
        }
        var precision: NumericPrecision?
        if count > 1, querykind_value_type(arguments[1]) != QUERYKIND_SQL_NULL {
            guard case .text(let name) = SQLArgument.value(arguments[1]), let chosen = NumericPrecision(rawValue: name)
            else {
                throw SQLFailure("querykind_load: the precision is one of "
                    + NumericPrecision.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", "))
            }
            precision = chosen
        }
        let model = try ModelRegistry.shared.model(at: path, precision: precision)
        session.use(model)
        SQLResult.text(context, model.modelID)
    } catch {
        SQLResult.error(context, error)
    }
}

/// `querykind_cache_writes(on)`: whether labels the model computes in this connection are added to the database's
/// `label_cache` (off by default: a reader's query should not write); returns the setting.
@_cdecl("querykind_cache_writes_function")
func querykindCacheWritesFunction(_ context: OpaquePointer?, _ count: Int32,
                                  _ arguments: UnsafeMutablePointer<OpaquePointer?>?) {
    guard let session = session(context), let arguments, let connection = querykind_context_db(context) else { return }
    let on = querykind_value_int64(arguments[0]) != 0
    do {
        if on, try !HostDatabase(connection: connection).hasLabelCache() {
            throw SQLFailure("querykind_cache_writes: this database has no label_cache table; create querykind's "
                + "tables first with `querykind migrate --db FILE`")
        }
        session.cacheWrites = on
        querykind_result_int64(context, on ? 1 : 0)
    } catch {
        SQLResult.error(context, error)
    }
}

/// Answers a numeric or kind function: NULL for a value that cannot be labeled, else `result(label)`.
private func answerLabel(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?,
                         result: (StoredLabel) -> Void) {
    guard let (session, value) = call(context, arguments) else { return }
    do {
        switch try label(value, session: session, context: context) {
        case .success(let label): result(label)
        case .failure: querykind_result_null(context)
        }
    } catch {
        SQLResult.error(context, error)
    }
}

/// A value that cannot be labeled is answered without the model (so NULL, '' and a BLOB never load one); any other
/// goes to the session's model.
private func label(_ value: SourceValue, session: SQLSession, context: OpaquePointer?) throws
    -> Result<StoredLabel, UnlabelableRow> {
    if case .failure(let problem) = RowText.of(value) { return .failure(problem) }
    guard let connection = querykind_context_db(context) else { throw SQLFailure("querykind: no database connection") }
    return try session.model().label(value, in: HostDatabase(connection: connection),
                                     writingCache: session.cacheWrites)
}

/// The session and the first argument of a one-argument call.
private func call(_ context: OpaquePointer?, _ arguments: UnsafeMutablePointer<OpaquePointer?>?)
    -> (SQLSession, SourceValue)? {
    guard let session = session(context), let arguments else { return nil }
    return (session, SQLArgument.value(arguments[0]))
}

/// The connection's session; sets an error and gives nil when SQLite passed none (which registration never does).
private func session(_ context: OpaquePointer?) -> SQLSession? {
    guard let pointer = querykind_user_data(context) else {
        querykind_result_error(context, "querykind: the function was registered without its session")
        return nil
    }
    return SQLSession.of(pointer)
}
