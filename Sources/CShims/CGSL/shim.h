/* CGSL umbrella header: the GNU Scientific Library surface Kaskada uses.
 * Only the Stochastics module imports CGSL; nothing here is public Swift API. */
#ifndef KASKADA_CGSL_SHIM_H
#define KASKADA_CGSL_SHIM_H

#include <stddef.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_sort_double.h>

/* GSL's generator types are mutable C globals, which Swift 6 strict concurrency
 * rejects. Hand them out through accessors instead of @preconcurrency import. */
static inline const gsl_rng_type *kaskada_rng_mt19937(void) { return gsl_rng_mt19937; }

/* Mirror of GSL's private mt19937 state (gsl-2.x rng/mt.c: mt_state_t).
 * gsl_rng_state(r) points to this for an mt19937 generator; gsl_rng_size(r)
 * is its size. The layout is checked at compile time here and the size at run
 * time by kaskada_mt19937_state_of (gsl_rng_size is not a constant expression). */
#define KASKADA_MT19937_N 624
typedef struct {
    unsigned long mt[KASKADA_MT19937_N];
    int mti;
} kaskada_mt19937_state;

_Static_assert(offsetof(kaskada_mt19937_state, mti) == KASKADA_MT19937_N * sizeof(unsigned long),
               "kaskada_mt19937_state must mirror GSL's mt_state_t");

/* The generator's state if r is an mt19937 generator whose state size matches
 * kaskada_mt19937_state, else NULL. */
static inline kaskada_mt19937_state *kaskada_mt19937_state_of(gsl_rng *r) {
    if (r == NULL || r->type != gsl_rng_mt19937 || gsl_rng_size(r) != sizeof(kaskada_mt19937_state)) {
        return NULL;
    }
    return (kaskada_mt19937_state *)gsl_rng_state(r);
}

/* First of the KASKADA_MT19937_N state words (avoids importing a 624-tuple). */
static inline unsigned long *kaskada_mt19937_words(kaskada_mt19937_state *s) { return s->mt; }

static inline void kaskada_mt19937_set_mti(kaskada_mt19937_state *s, int mti) { s->mti = mti; }

#endif /* KASKADA_CGSL_SHIM_H */
