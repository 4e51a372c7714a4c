/* Helpers shared by the command lines; see cli_util.h. */
#include "cli/cli_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dcsim/units.h"

bool cli_opt_is(const char *a, const char *name)
{
    size_t n = strlen(name);
    return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

bool cli_parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return false;
    for (const char *p = s; *p; p++)
        if (*p < '0' || *p > '9')
            return false;
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return false;
    *out = (uint64_t)v;
    return true;
}

void cli_join_args(int argc, char **argv, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int i = 0; i < argc && used + 1 < n; i++) {
        bool q = strpbrk(argv[i], " \t\"'") != NULL;
        int w = snprintf(buf + used, n - used, "%s%s%s%s", i ? " " : "", q ? "'" : "", argv[i],
                         q ? "'" : "");
        if (w < 0)
            break;
        used += (size_t)w < n - used ? (size_t)w : n - used - 1;
    }
}

void cli_print_grades(const dcsim_scenario *sc, const dcsim_mc *mc, FILE *f)
{
    char d1[32], d2[32];
    fprintf(f, "  %-20s %-10s %-10s %-10s %8s %7s %s\n", "milestone", "planned", "P50", "P80",
            "P80 slip", "on time", "grade");
    for (uint32_t i = 0; i < sc->n_milestones; i++) {
        const dcsim_milestone *m = &sc->milestones[i];
        dcsim_mc_grade g;
        dcsim_mc_grade_of(mc, i, &g);
        dcsim_format_date(sc->start_unix + m->planned_s, d1, sizeof d1);
        char p50[32] = "never", p80[32] = "never", slip[32] = "never";
        if (isfinite(g.p50_s))
            snprintf(p50, sizeof p50, "%.10s",
                     dcsim_format_date(sc->start_unix + (int64_t)g.p50_s, d2, sizeof d2));
        if (isfinite(g.p80_s))
            snprintf(p80, sizeof p80, "%.10s",
                     dcsim_format_date(sc->start_unix + (int64_t)g.p80_s, d2, sizeof d2));
        if (isfinite(g.slip_at_conf_days))
            snprintf(slip, sizeof slip, "%+.1f d", g.slip_at_conf_days);
        fprintf(f, "  %-20s %-10.10s %-10s %-10s %8s %6.0f%% %c\n", m->name, d1, p50, p80, slip,
                100 * g.p_on_time, g.grade);
    }
}
