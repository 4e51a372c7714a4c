/* Random streams. Every random element of a scenario draws from its own small-state stream
 * seeded from hash(scenario seed, replication index, element name), so the same seed gives
 * the same draws whatever the thread count, and changing one element leaves the draws of every
 * other element unchanged (common random numbers). The generator is xoshiro256** wrapped as a
 * gsl_rng_type, so all GSL distributions draw from it; it is seeded with a full 64-bit value. */
#ifndef DCSIM_RNG_H
#define DCSIM_RNG_H

#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

/* The generator type: 32 bytes of state, 64-bit seeding through splitmix64. */
extern const gsl_rng_type *dcsim_rng_xoshiro;

/* 64-bit FNV-1a of n bytes, continuing from h (start with DCSIM_HASH_INIT). */
#define DCSIM_HASH_INIT 0xcbf29ce484222325ULL
uint64_t dcsim_hash64(const void *data, size_t n, uint64_t h);

/* The seed of one element's stream: a well-mixed function of all three inputs. */
uint64_t dcsim_stream_seed(uint64_t seed, uint64_t replication, const char *name);

/* Allocate a stream for an element. Returns NULL when out of memory; free with gsl_rng_free. */
gsl_rng *dcsim_stream_alloc(uint64_t seed, uint64_t replication, const char *name);

/* A stream's state, stored where the caller wants it. A gsl_rng is a pointer to a struct
 * that points at its state elsewhere: three cache lines per draw when there is one stream per
 * rack. An array of records that embed their stream's state keeps each draw, and the fields
 * used with it, in one line. The caller owns the storage; there is nothing to free. */
typedef struct dcsim_stream_state {
    uint64_t s[4];
} dcsim_stream_state;

/* Seed st as dcsim_stream_alloc seeds the stream of the same three inputs. */
void dcsim_stream_state_init(dcsim_stream_state *st, uint64_t seed, uint64_t replication,
                             const char *name);

/* A gsl_rng over st, to pass to GSL's distributions for as long as st lives: it draws what
 * dcsim_stream_alloc's stream of the same inputs draws, and advances st. */
static inline gsl_rng dcsim_stream_view(dcsim_stream_state *st)
{
    gsl_rng r = {dcsim_rng_xoshiro, st};
    return r;
}

#endif
