// Allocator policy for memory-bound runs (glibc). Swift's Glibc module does not export malloc.h.
#ifndef KASKADA_ALLOCATOR_H
#define KASKADA_ALLOCATOR_H
#include <stddef.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

/// Serves allocations of at least `bytes` with mmap, so that freeing one gives its pages back to
/// the system. glibc otherwise raises its mmap threshold after the first large free and keeps
/// later large temporaries (graph build arrays) in the heap. Returns 1 when applied, 0 when not
/// (another C library).
static inline int kaskada_mmap_large_allocations(size_t bytes) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, (int)bytes);
#else
    (void)bytes;
    return 0;
#endif
}

#endif
