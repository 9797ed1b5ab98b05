#ifndef QUERYKIND_CLASSIFY_TABLE_H
#define QUERYKIND_CLASSIFY_TABLE_H
#include <sqlite3ext.h>

/// `querykind_classify(texts)`: an eponymous-only virtual table (a table-valued function) whose hidden column
/// `texts` takes a JSON array; its rows are the texts' labels, in array order.
extern const sqlite3_module querykind_classify_module;

#endif
