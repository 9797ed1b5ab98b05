// The CBLAS interface of Debian's OpenBLAS (libopenblas-dev).
#include <cblas.h>
