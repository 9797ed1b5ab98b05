// The wrappers declared in include/CQueryKindSQLite.h: each is one call through the host's routine table.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#include "CQueryKindSQLite.h"

int querykind_value_type(sqlite3_value *value) { return sqlite3_value_type(value); }
const unsigned char *querykind_value_text(sqlite3_value *value) { return sqlite3_value_text(value); }
int querykind_value_bytes(sqlite3_value *value) { return sqlite3_value_bytes(value); }
int64_t querykind_value_int64(sqlite3_value *value) { return sqlite3_value_int64(value); }

void querykind_result_null(sqlite3_context *context) { sqlite3_result_null(context); }
void querykind_result_text(sqlite3_context *context, const char *text, int bytes) {
    sqlite3_result_text(context, text, bytes, SQLITE_TRANSIENT);
}
void querykind_result_double(sqlite3_context *context, double value) { sqlite3_result_double(context, value); }
void querykind_result_int64(sqlite3_context *context, int64_t value) { sqlite3_result_int64(context, value); }
void querykind_result_error(sqlite3_context *context, const char *message) { sqlite3_result_error(context, message, -1); }

void *querykind_user_data(sqlite3_context *context) { return sqlite3_user_data(context); }
sqlite3 *querykind_context_db(sqlite3_context *context) { return sqlite3_context_db_handle(context); }

int querykind_prepare(sqlite3 *db, const char *sql, sqlite3_stmt **statement) {
    return sqlite3_prepare_v2(db, sql, -1, statement, 0);
}
int querykind_bind_text(sqlite3_stmt *statement, int index, const char *text, int bytes) {
    return sqlite3_bind_text(statement, index, text, bytes, SQLITE_TRANSIENT);
}
int querykind_bind_double(sqlite3_stmt *statement, int index, double value) {
    return sqlite3_bind_double(statement, index, value);
}
int querykind_bind_value(sqlite3_stmt *statement, int index, sqlite3_value *value) {
    return sqlite3_bind_value(statement, index, value);
}
int querykind_step(sqlite3_stmt *statement) { return sqlite3_step(statement); }
int querykind_reset(sqlite3_stmt *statement) { return sqlite3_reset(statement); }
int querykind_finalize(sqlite3_stmt *statement) { return sqlite3_finalize(statement); }
int querykind_column_type(sqlite3_stmt *statement, int column) { return sqlite3_column_type(statement, column); }
const unsigned char *querykind_column_text(sqlite3_stmt *statement, int column) {
    return sqlite3_column_text(statement, column);
}
int querykind_column_bytes(sqlite3_stmt *statement, int column) { return sqlite3_column_bytes(statement, column); }
double querykind_column_double(sqlite3_stmt *statement, int column) { return sqlite3_column_double(statement, column); }
const char *querykind_errmsg(sqlite3 *db) { return sqlite3_errmsg(db); }
