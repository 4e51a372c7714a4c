/* Helpers shared by the command lines (build/dcsim and build/dcsim-mpi): option matching,
 * whole numbers, the command line as typed, and the grade table as printed. */
#ifndef DCSIM_CLI_UTIL_H
#define DCSIM_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "dcsim/mc.h"
#include "dcsim/scenario.h"

/* a is option `name`, alone or as name=value. */
bool cli_opt_is(const char *a, const char *name);
/* Digits only, fitting 64 bits. */
bool cli_parse_u64(const char *s, uint64_t *out);
/* The command line as typed, for meta.csv: arguments with spaces or quotes are quoted. */
void cli_join_args(int argc, char **argv, char *buf, size_t n);
/* The grade table of a Monte Carlo, one line per milestone. */
void cli_print_grades(const dcsim_scenario *sc, const dcsim_mc *mc, FILE *f);

#endif
