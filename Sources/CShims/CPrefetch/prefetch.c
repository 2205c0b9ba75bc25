// CPrefetch is header-only (see include/kaskada_prefetch.h); SwiftPM needs one source file.
#include "kaskada_prefetch.h"
