#include <stdlib.h> // defines __GLIBC__ (through features.h) on glibc systems
#include "kaskada_allocator.h"
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int kaskada_mmap_large_allocations(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}
