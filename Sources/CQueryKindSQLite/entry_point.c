// The extension's entry point: keeps the host's routine table and registers querykind's SQL functions and the
// `querykind_classify` table-valued function on the connection, each holding a reference to one session.
#include <sqlite3ext.h>
SQLITE_EXTENSION_INIT1
#include <stddef.h>
#include "swift_calls.h"
#include "classify_table.h"

// Pure: the same model and text give the same answer (so the functions may index expressions and generated
// columns), and harmless in a schema or trigger. Setting: changes the session, so only from top-level SQL.
#define PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)
#define SETTING (SQLITE_UTF8 | SQLITE_DIRECTONLY)

static const struct {
    const char *name;
    int arguments;
    int flags;
    void (*call)(sqlite3_context *, int, sqlite3_value **);
} functions[] = {
    {"querykind_kind", 1, PURE, querykind_kind_function},
    {"querykind_p_keyword", 1, PURE, querykind_p_keyword_function},
    {"querykind_p_question", 1, PURE, querykind_p_question_function},
    {"querykind_label", 1, PURE, querykind_label_function},
    {"querykind_model", 0, SQLITE_UTF8, querykind_model_function},
    {"querykind_load", 1, SETTING, querykind_load_function},
    {"querykind_load", 2, SETTING, querykind_load_function},
    {"querykind_cache_writes", 1, SETTING, querykind_cache_writes_function},
};

// SQLite derives this name from the file name (libquerykind-sqlite.so: "querykindsqlite"), so `.load
// ./libquerykind-sqlite` needs no entry point argument.
#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_querykindsqlite_init(sqlite3 *db, char **error, const sqlite3_api_routines *routines) {
    SQLITE_EXTENSION_INIT2(routines);
    void *session = querykind_session_new();
    if (!session) return SQLITE_NOMEM;
    int status = SQLITE_OK;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0] && status == SQLITE_OK; i++) {
        // On failure SQLite calls the destructor itself, so the reference is never leaked.
        status = sqlite3_create_function_v2(db, functions[i].name, functions[i].arguments, functions[i].flags,
                                            querykind_session_retain(session), functions[i].call, 0, 0,
                                            querykind_session_release);
    }
    if (status == SQLITE_OK) {
        status = sqlite3_create_module_v2(db, "querykind_classify", &querykind_classify_module,
                                          querykind_session_retain(session), querykind_session_release);
    }
    querykind_session_release(session);
    if (status != SQLITE_OK) {
        *error = sqlite3_mprintf("querykind: cannot register its SQL functions: %s", sqlite3_errmsg(db));
    }
    return status;
}
