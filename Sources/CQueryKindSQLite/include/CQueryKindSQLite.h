#ifndef CQUERYKIND_SQLITE_H
#define CQUERYKIND_SQLITE_H

/// The SQLite calls the extension's Swift code makes, as plain functions. Why: a loadable extension must reach SQLite
/// through the routines the host hands to its entry point (sqlite3ext.h turns every sqlite3_* call into a call
/// through that table), because the host may carry its own SQLite (Python's, datasette's) rather than the system's;
/// Swift cannot expand sqlite3ext.h's macros, so these wrappers do it in C. SQLite's types stay opaque here (Swift
/// sees them as OpaquePointer), so the Swift module never sees sqlite3.h's declarations, which would bind to the
/// system library instead.

#include <stdint.h>

struct sqlite3;
struct sqlite3_context;
struct sqlite3_value;
struct sqlite3_stmt;

/// SQLite's fundamental datatypes (SQLITE_INTEGER … SQLITE_NULL) and the result codes the Swift side tests.
#define QUERYKIND_SQL_INTEGER 1
#define QUERYKIND_SQL_FLOAT 2
#define QUERYKIND_SQL_TEXT 3
#define QUERYKIND_SQL_BLOB 4
#define QUERYKIND_SQL_NULL 5
#define QUERYKIND_SQL_OK 0
#define QUERYKIND_SQL_ROW 100
#define QUERYKIND_SQL_DONE 101

/// Arguments of a function call.
int querykind_value_type(struct sqlite3_value *value);
const unsigned char *querykind_value_text(struct sqlite3_value *value);
int querykind_value_bytes(struct sqlite3_value *value);
int64_t querykind_value_int64(struct sqlite3_value *value);

/// A function call's result (text is copied by SQLite).
void querykind_result_null(struct sqlite3_context *context);
void querykind_result_text(struct sqlite3_context *context, const char *text, int bytes);
void querykind_result_double(struct sqlite3_context *context, double value);
void querykind_result_int64(struct sqlite3_context *context, int64_t value);
void querykind_result_error(struct sqlite3_context *context, const char *message);

/// The pointer given when the function was registered (the connection's session), and the connection it runs on.
void *querykind_user_data(struct sqlite3_context *context);
struct sqlite3 *querykind_context_db(struct sqlite3_context *context);

/// Statements on the host's connection (label_cache reads and opt-in writes).
int querykind_prepare(struct sqlite3 *db, const char *sql, struct sqlite3_stmt **statement);
int querykind_bind_text(struct sqlite3_stmt *statement, int index, const char *text, int bytes);
int querykind_bind_double(struct sqlite3_stmt *statement, int index, double value);
int querykind_bind_value(struct sqlite3_stmt *statement, int index, struct sqlite3_value *value);
int querykind_step(struct sqlite3_stmt *statement);
int querykind_reset(struct sqlite3_stmt *statement);
int querykind_finalize(struct sqlite3_stmt *statement);
int querykind_column_type(struct sqlite3_stmt *statement, int column);
const unsigned char *querykind_column_text(struct sqlite3_stmt *statement, int column);
int querykind_column_bytes(struct sqlite3_stmt *statement, int column);
double querykind_column_double(struct sqlite3_stmt *statement, int column);
const char *querykind_errmsg(struct sqlite3 *db);

/// The path this library was loaded from (as the host gave it to dlopen), or NULL when unknown.
const char *querykind_library_path(void);

#endif
