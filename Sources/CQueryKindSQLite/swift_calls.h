#ifndef QUERYKIND_SWIFT_CALLS_H
#define QUERYKIND_SWIFT_CALLS_H

/// What the C side calls in Swift (Sources/QueryKindSQLite, `@_cdecl`): the connection's session and the functions'
/// bodies. Private to this target: Swift defines these, it does not import them.

#include <sqlite3ext.h>

/// A new session (model choice, cache-write switch) for one connection, with one reference; NULL when out of memory.
void *querykind_session_new(void);
/// Adds a reference (one per registered function or module) and returns `session`.
void *querykind_session_retain(void *session);
/// Drops a reference; SQLite calls it when a function or the module is dropped or the connection closes.
void querykind_session_release(void *session);

/// The scalar functions (see docs/sqlite-extension.md).
void querykind_kind_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_p_keyword_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_p_question_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_label_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_model_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_load_function(sqlite3_context *context, int count, sqlite3_value **arguments);
void querykind_cache_writes_function(sqlite3_context *context, int count, sqlite3_value **arguments);

/// `querykind_classify(texts)`: labels the JSON array `texts` and returns the batch (NULL with `*error` set, a
/// malloc'd message the caller frees); `*rows` is its row count.
void *querykind_batch_open(void *session, sqlite3 *db, sqlite3_value *texts, sqlite3_int64 *rows, char **error);
/// Sets `context`'s result to column `column` (0 idx … 6 cached) of row `row`.
void querykind_batch_column(void *batch, sqlite3_int64 row, int column, sqlite3_context *context);
void querykind_batch_free(void *batch);

#endif
