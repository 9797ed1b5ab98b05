#include <sqlite3.h>

/// Turns off SQLite's memory statistics, process-wide, before the first connection opens. Why: with them on,
/// every allocation inside SQLite takes a global mutex, a measurable share of a cache-hit row's cost; querykind
/// never reads them. (`sqlite3_config` is variadic, so Swift reaches it through this wrapper.) Returns SQLITE_OK,
/// or SQLITE_MISUSE when SQLite was already initialized.
static inline int querykind_sqlite3_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
