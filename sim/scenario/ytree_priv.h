/* Private to the YAML tree (ytree.c, yset.c): the per-document arena that the tree builder and
 * the --set overrides both allocate from, and how a position becomes 1-based. */
#ifndef DCSIM_YTREE_PRIV_H
#define DCSIM_YTREE_PRIV_H

#include <stddef.h>

#include "dcsim/ytree.h"

/* size bytes from the arena, aligned for any node; NULL when out of memory. Freed only with
 * the whole document (dcsim_ydoc_free). */
void *ytree_arena_alloc(struct ydoc_arena *a, size_t size);
/* A NUL-terminated copy of the n bytes at s, in the arena; NULL when out of memory. */
char *ytree_arena_strndup(struct ydoc_arena *a, const char *s, size_t n);
/* A 0-based count (libyaml's marks) as a 1-based int position, capped at INT_MAX. */
int ytree_pos1(size_t zero_based);

#endif
