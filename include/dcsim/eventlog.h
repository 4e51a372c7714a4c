/* The event log: what happened when (stage completions, tranches online, buildings ready,
 * milestones), kept in memory during a run and written as events.csv. Lines are rare next to
 * engine events (no per-rack lines), so appending may allocate. */
#ifndef DCSIM_EVENTLOG_H
#define DCSIM_EVENTLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct dcsim_logline {
    int64_t time_s;          /* seconds from the scenario start */
    const char *event;       /* a static string: "stage_done", "tranche_online" ... */
    const char *element;     /* a name owned by the scenario (outlives the log) */
    char detail[120];
} dcsim_logline;

/* Caller-owned: init with dcsim_eventlog_init, release with dcsim_eventlog_fini. */
typedef struct dcsim_eventlog {
    dcsim_logline *lines;
    size_t len, cap;
    bool out_of_memory;      /* a line could not be stored (sticky) */
    bool off;                /* keep nothing: a run whose events are never written */
} dcsim_eventlog;

void dcsim_eventlog_init(dcsim_eventlog *log);
void dcsim_eventlog_fini(dcsim_eventlog *log);

/* Append a line; on allocation failure the line is dropped and out_of_memory set. */
void dcsim_eventlog_add(dcsim_eventlog *log, int64_t time_s, const char *event,
                        const char *element, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
