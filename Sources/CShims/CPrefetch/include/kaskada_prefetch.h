// Software prefetch for memory-bound lookups (hash tables over millions of ids).
// Swift has no prefetch intrinsic; this header is the only C in the id table's path.
#ifndef KASKADA_PREFETCH_H
#define KASKADA_PREFETCH_H

/// Asks the CPU to bring the cache line holding `p` closer (a hint: never faults, no effect on results).
static inline void kaskada_prefetch(const void *p) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(p, 0, 3);
#else
    (void)p;
#endif
}

#endif
