// Where this library was loaded from (Swift's Glibc module does not offer dladdr).
#define _GNU_SOURCE
#include <dlfcn.h>
#include "CQueryKindSQLite.h"

const char *querykind_library_path(void) {
    Dl_info info;
    if (!dladdr((void *)querykind_library_path, &info)) return 0;
    return info.dli_fname;
}
