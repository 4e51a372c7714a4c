/* The wire format of a cluster Monte Carlo: one process's share of the replications (their
 * milestone times, cause chains, totals, job finishes and band values) packed into one byte
 * buffer, and added into the process that finishes. Kept apart from the transport (MPI, in
 * main_mpi.c) so that it can be tested without one. */
#ifndef DCSIM_MC_PACK_H
#define DCSIM_MC_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "dcsim/mc.h"

/* Pack replications first .. first + count - 1, which must have been run in mc
 * (dcsim_mc_run_range), and, when the bands are histograms, every count and sum mc holds.
 * *buf is malloc'd, *len bytes; the caller frees it. Values travel in the machine's own
 * byte order and floating-point format: the processes of one run share an architecture
 * (the header says which, and dcsim_mc_unpack refuses another). */
dcsim_status dcsim_mc_pack(const dcsim_mc *mc, uint64_t first, uint64_t count, void **buf,
                           size_t *len, dcsim_diag *d);

/* Put the replications of a buffer from dcsim_mc_pack into their slots of mc and add its
 * histogram counts and sums to mc's. mc must be of the same scenario, seed and run count;
 * a replication may arrive once only. After an error mc cannot be finished (free it). */
dcsim_status dcsim_mc_unpack(dcsim_mc *mc, const void *buf, size_t len, dcsim_diag *d);

#endif
