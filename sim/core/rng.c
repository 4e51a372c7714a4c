/* Random streams: xoshiro256** (Blackman and Vigna) wrapped as a gsl_rng_type, so every GSL
 * distribution can draw from it, plus the seeding that gives each element of a scenario its
 * own stream from (scenario seed, replication, element name). 32 bytes of state per stream,
 * against 5 KB for mt19937, so one stream per rack is affordable. */
#include "dcsim/rng.h"

#include <string.h>

#include "dcsim/diag.h"

/* gsl_rng_set passes the seed as unsigned long; the contract is a full 64-bit seed, which
 * holds on LP64 (Linux, macOS) and would silently lose half the seed elsewhere. */
_Static_assert(sizeof(unsigned long) >= sizeof(uint64_t),
               "dcsim_rng_xoshiro needs a 64-bit unsigned long to take a 64-bit seed");

typedef struct xoshiro_state {
    uint64_t s[4];
} xoshiro_state;

_Static_assert(sizeof(dcsim_stream_state) == sizeof(xoshiro_state),
               "dcsim_stream_state must hold exactly an xoshiro256** state");

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* The splitmix64 output function: a bijection of 64-bit words whose every output bit depends
 * on every input bit, used both to fill the state and to mix seeds. */
static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

#define GOLDEN_GAMMA 0x9e3779b97f4a7c15ULL  /* splitmix64's increment, 2^64 / phi */

static uint64_t xoshiro_next(xoshiro_state *st)
{
    uint64_t *s = st->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Seeding as the xoshiro authors recommend: four successive splitmix64 outputs. splitmix64
 * outputs are a bijection of a counter, so four of them are never all zero (the one state
 * xoshiro must avoid), and every seed, 0 included, is usable as given. */
static void xoshiro_set(void *vstate, unsigned long seed)
{
    xoshiro_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++) {
        x += GOLDEN_GAMMA;
        st->s[i] = mix64(x);
    }
}

/* GSL's integer interface is 32 bits wide here (max 0xffffffff). The upper bits are the
 * better ones for xoshiro256**, so those are kept. */
static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(xoshiro_next(vstate) >> 32);
}

/* 53 random bits scaled into [0, 1): every double of the form k * 2^-53, with no rounding up
 * to 1.0. GSL's uniform draws come through here, not through get(). */
static double xoshiro_get_double(void *vstate)
{
    return (double)(xoshiro_next(vstate) >> 11) * 0x1.0p-53;
}

static const gsl_rng_type xoshiro_type = {
    "dcsim-xoshiro256ss",   /* name */
    0xffffffffUL,           /* RAND_MAX */
    0,                      /* RAND_MIN */
    sizeof(xoshiro_state),
    &xoshiro_set,
    &xoshiro_get,
    &xoshiro_get_double,
};

/* A pointer to a constant table, as GSL's own gsl_rng_taus2 is; nothing here can change it. */
const gsl_rng_type *dcsim_rng_xoshiro = &xoshiro_type;

uint64_t dcsim_hash64(const void *data, size_t n, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;      /* the 64-bit FNV prime */
    }
    return h;
}

/* Each input is absorbed through mix64 after an XOR with the running value. For fixed other
 * inputs the result is a bijection of each one, so two streams that differ in only one input
 * never share a seed (names up to a 64-bit FNV collision), and mix64's avalanche makes seeds 1 and 2 (or replications 7 and 8)
 * unrelated. The distinct offsets keep (seed a, replication b) apart from (b, a). */
uint64_t dcsim_stream_seed(uint64_t seed, uint64_t replication, const char *name)
{
    DCSIM_ASSERT(name != NULL);
    uint64_t name_h = dcsim_hash64(name, strlen(name), DCSIM_HASH_INIT);
    uint64_t h = mix64(seed + GOLDEN_GAMMA);
    h = mix64(h ^ mix64(replication + 2 * GOLDEN_GAMMA));
    h = mix64(h ^ mix64(name_h + 3 * GOLDEN_GAMMA));
    return h;
}

gsl_rng *dcsim_stream_alloc(uint64_t seed, uint64_t replication, const char *name)
{
    gsl_rng *r = gsl_rng_alloc(dcsim_rng_xoshiro);
    if (!r)
        return NULL;
    gsl_rng_set(r, (unsigned long)dcsim_stream_seed(seed, replication, name));
    return r;
}

void dcsim_stream_state_init(dcsim_stream_state *st, uint64_t seed, uint64_t replication,
                             const char *name)
{
    xoshiro_set(st, (unsigned long)dcsim_stream_seed(seed, replication, name));
}
