// The `querykind_classify` table-valued function: SQLite's virtual-table plumbing. The labeling itself is one Swift
// call per scan (`querykind_batch_open`), which runs the whole array through the model in batches on every core.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT3
#include <stdlib.h>
#include <string.h>
#include "classify_table.h"
#include "swift_calls.h"

enum { COLUMN_TEXTS = 7 };

typedef struct {
    sqlite3_vtab base;
    void *session;
    sqlite3 *db;
} classify_table;

typedef struct {
    sqlite3_vtab_cursor base;
    void *batch;
    sqlite3_int64 row;
    sqlite3_int64 rows;
} classify_cursor;

static int classify_connect(sqlite3 *db, void *session, int argc, const char *const *argv, sqlite3_vtab **table,
                            char **error) {
    (void)argc, (void)argv, (void)error;
    int status = sqlite3_declare_vtab(db, "CREATE TABLE x(idx INTEGER, text TEXT, kind TEXT, p_keyword REAL, "
                                          "p_question REAL, error TEXT, cached INTEGER, texts HIDDEN)");
    if (status != SQLITE_OK) return status;
    // Like the scalar functions: harmless in views and triggers, even with trusted_schema off.
    sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
    classify_table *created = sqlite3_malloc(sizeof *created);
    if (!created) return SQLITE_NOMEM;
    memset(created, 0, sizeof *created);
    created->session = session;
    created->db = db;
    *table = &created->base;
    return SQLITE_OK;
}

static int classify_disconnect(sqlite3_vtab *table) {
    sqlite3_free(table);
    return SQLITE_OK;
}

// The plan needs `texts = ?`: the function's argument. Without it the scan fails in xFilter with a message that says
// so; an argument that is not usable yet (it names a later table of a join) asks SQLite for another join order.
static int classify_best_index(sqlite3_vtab *table, sqlite3_index_info *info) {
    (void)table;
    int argument = -1;
    for (int i = 0; i < info->nConstraint; i++) {
        const struct sqlite3_index_constraint *constraint = &info->aConstraint[i];
        if (constraint->iColumn != COLUMN_TEXTS || constraint->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
        if (!constraint->usable) return SQLITE_CONSTRAINT;
        argument = i;
    }
    if (argument < 0) {
        info->idxNum = 0;
        info->estimatedCost = 1e12;
        return SQLITE_OK;
    }
    info->aConstraintUsage[argument].argvIndex = 1;
    info->aConstraintUsage[argument].omit = 1;
    info->idxNum = 1;
    info->estimatedCost = 1000;
    info->estimatedRows = 1000;
    return SQLITE_OK;
}

static int classify_open(sqlite3_vtab *table, sqlite3_vtab_cursor **cursor) {
    (void)table;
    classify_cursor *opened = sqlite3_malloc(sizeof *opened);
    if (!opened) return SQLITE_NOMEM;
    memset(opened, 0, sizeof *opened);
    *cursor = &opened->base;
    return SQLITE_OK;
}

static int classify_close(sqlite3_vtab_cursor *cursor) {
    classify_cursor *closing = (classify_cursor *)cursor;
    querykind_batch_free(closing->batch);
    sqlite3_free(closing);
    return SQLITE_OK;
}

static int fail(sqlite3_vtab *table, const char *message) {
    sqlite3_free(table->zErrMsg);
    table->zErrMsg = sqlite3_mprintf("%s", message);
    return SQLITE_ERROR;
}

static int classify_filter(sqlite3_vtab_cursor *cursor, int plan, const char *planText, int argc,
                           sqlite3_value **argv) {
    (void)planText;
    classify_cursor *scan = (classify_cursor *)cursor;
    classify_table *table = (classify_table *)cursor->pVtab;
    querykind_batch_free(scan->batch);
    scan->batch = 0;
    scan->row = scan->rows = 0;
    if (plan != 1 || argc != 1) {
        return fail(&table->base, "querykind_classify needs one argument, a JSON array of texts: "
                                  "SELECT * FROM querykind_classify(json_array('a', 'b'))");
    }
    char *error = 0;
    scan->batch = querykind_batch_open(table->session, table->db, argv[0], &scan->rows, &error);
    if (error) {
        int status = fail(&table->base, error);
        free(error);
        return status;
    }
    return SQLITE_OK;
}

static int classify_next(sqlite3_vtab_cursor *cursor) {
    ((classify_cursor *)cursor)->row++;
    return SQLITE_OK;
}

static int classify_eof(sqlite3_vtab_cursor *cursor) {
    classify_cursor *scan = (classify_cursor *)cursor;
    return scan->row >= scan->rows;
}

static int classify_column(sqlite3_vtab_cursor *cursor, sqlite3_context *context, int column) {
    classify_cursor *scan = (classify_cursor *)cursor;
    if (column == COLUMN_TEXTS) {
        sqlite3_result_null(context);
    } else {
        querykind_batch_column(scan->batch, scan->row, column, context);
    }
    return SQLITE_OK;
}

static int classify_rowid(sqlite3_vtab_cursor *cursor, sqlite3_int64 *rowid) {
    *rowid = ((classify_cursor *)cursor)->row;
    return SQLITE_OK;
}

const sqlite3_module querykind_classify_module = {
    .iVersion = 0,
    .xCreate = 0,  // eponymous-only: used as querykind_classify(...), never CREATE VIRTUAL TABLE
    .xConnect = classify_connect,
    .xBestIndex = classify_best_index,
    .xDisconnect = classify_disconnect,
    .xDestroy = classify_disconnect,
    .xOpen = classify_open,
    .xClose = classify_close,
    .xFilter = classify_filter,
    .xNext = classify_next,
    .xEof = classify_eof,
    .xColumn = classify_column,
    .xRowid = classify_rowid,
};
