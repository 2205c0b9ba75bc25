// Allocator policy for memory-bound runs (glibc). Swift's Glibc module does not export malloc.h.
#ifndef KASKADA_ALLOCATOR_H
#define KASKADA_ALLOCATOR_H
#include <stddef.h>

/// Serves allocations of at least `bytes` with mmap, so that freeing one gives its pages back to
/// the system. glibc otherwise raises its mmap threshold after the first large free and keeps
/// later large temporaries (file segments, graph build arrays) in its heap. Returns 1 when
/// applied, 0 when not (another C library).
int kaskada_mmap_large_allocations(size_t bytes);

#endif
