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

#endif
