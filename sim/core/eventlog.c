/* The event log (see include/dcsim/eventlog.h): a growable array of lines. */
#include "dcsim/eventlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void dcsim_eventlog_init(dcsim_eventlog *log)
{
    log->lines = NULL;
    log->len = log->cap = 0;
    log->out_of_memory = false;
    log->off = false;
}

void dcsim_eventlog_fini(dcsim_eventlog *log)
{
    free(log->lines);
    dcsim_eventlog_init(log);
}

void dcsim_eventlog_add(dcsim_eventlog *log, int64_t time_s, const char *event,
                        const char *element, const char *fmt, ...)
{
    if (log->off)
        return;
    if (log->len == log->cap) {
        size_t cap = log->cap ? 2 * log->cap : 64;
        dcsim_logline *l = realloc(log->lines, cap * sizeof *l);
        if (!l) {
            log->out_of_memory = true;
            return;
        }
        log->lines = l;
        log->cap = cap;
    }
    dcsim_logline *l = &log->lines[log->len++];
    l->time_s = time_s;
    l->event = event;
    l->element = element;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(l->detail, sizeof l->detail, fmt, ap);
    va_end(ap);
}
