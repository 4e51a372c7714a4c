/* The key registry of the scenario loader: every allowed-key array that scn_check_keys is
 * given, and the table of full key paths that dcsim_scenario_key_paths hands to the docs
 * test, so that what the loader accepts and what docs/scenario.md documents cannot drift.
 *
 * How the two correspond: for every entry {name, prefix, keys} of scn_key_sets, and every
 * key k of keys, the path table holds "prefix.k" (just "k" when the prefix is empty), with
 * <name> for a named entry and [] for a list item. The only other paths are named entries
 * whose value is itself a leaf ("shortage.classes.<name>", a priority). Checked twice:
 *   - here, at compile time: the path table has exactly as many entries as the arrays have
 *     keys (counted once per place they apply) plus the leaf entries (N_PATHS below), so a
 *     key added to an array without its path (or the reverse) stops the build;
 *   - in tests/test_docs.c: each key is the last segment of some path, "prefix.key" is in
 *     the table, every path comes from a set or is a leaf entry, and docs/scenario.md shows
 *     every path in backquotes.
 * Order within an array is the order of "expected one of: ..." in error messages. */
#include "scenario/keys.h"

#include <stddef.h>

#include "dcsim/scenario.h"

const char *const scn_keys_top[] = {"dcsim", "name", "description", "start", "horizon",
                                    "end", "sample", "seed", "reserve", "energize_at", "sites",
                                    "weather",
                                    "power", "equipment", "buildings", "gpus", "racks",
                                    "deliveries", "shortage", "failures", "fabric", "jobs",
                                    "inference", "scheduler", "milestones", "grading",
                                    "risks", "risk_drivers", "economics", NULL};
const char *const scn_keys_power[] = {"sources", NULL};
const char *const scn_keys_site[] = {"weather", "priority", NULL};
const char *const scn_keys_weather[] = {"model", "mean_c", "seasonal_amplitude_c",
                                        "daily_amplitude_c", "hottest_day", "hottest_hour",
                                        "trace", "column", NULL};
const char *const scn_keys_equipment[] = {"count", "ordered", "after", "lead_time", NULL};
const char *const scn_keys_source[] = {
    "type", "site", "capacity", "start", "after", "stages", "tranches", "units",
    "unit_capacity", "unit_interval", "mtbf", "mttr", "curtailment", "energy",
    "charge_efficiency", "discharge_efficiency", "initial_soc", "profile",
    "profile_column", NULL};
const char *const scn_keys_stage[] = {"duration", "after", "needs", "fail_probability", NULL};
const char *const scn_keys_tranche[] = {"capacity", "share", "delay", NULL};
const char *const scn_keys_curtailment[] = {"probability_per_day", "season", "hours",
                                            "duration", "fraction", NULL};
const char *const scn_keys_building[] = {"site", "start", "after", "duration",
                                         "it_capacity", "rack_positions", "pue", "overhead",
                                         "install_per_day", NULL};
const char *const scn_keys_rack[] = {"gpu", "gpus", "gpus_per_node", "peak", "idle",
                                     "power_curve", NULL};
const char *const scn_keys_gpu[] = {"peak_flops", "tdp", NULL};
const char *const scn_keys_failures[] = {"mode", "causes", "spares", NULL};
const char *const scn_keys_cause[] = {"mtbf", "takes", "repair", NULL};
const char *const scn_keys_spares[] = {"nodes", "swap_time", NULL};
const char *const scn_keys_fabric[] = {"domain_gpus", "domain_bandwidth",
                                       "scaleout_bandwidth", "pod_gpus", "oversubscription",
                                       "overlap", "switch", NULL};
const char *const scn_keys_switch[] = {"racks", "mtbf", "repair", NULL};
const char *const scn_keys_job[] = {"flop", "gpus", "min_gpus", "start", "start_when", "mfu",
                                    "params", "tokens_per_step", "tp", "pp", "checkpoint",
                                    "restart", "priority", "site", NULL};
const char *const scn_keys_checkpoint[] = {"interval", "write", NULL};
const char *const scn_keys_inference[] = {"start", "gpus", "annual_growth", "max_gpus",
                                          "trace", "column", "priority", NULL};
const char *const scn_keys_grading[] = {"confidence", "A", "B", "C", "D", NULL};
const char *const scn_keys_scheduler[] = {"policy", "release_delay", "stuck_probability",
                                          "stuck_time", NULL};
const char *const scn_keys_shortage[] = {"policy", "then", "min_cap", "performance",
                                         "classes", NULL};
const char *const scn_keys_delivery[] = {"rack", "building", "buildings", "allocation",
                                         "class", "start", "per_month", "total", "slip",
                                         "commissioning", NULL};
const char *const scn_keys_milestone[] = {"planned", "when", NULL};
const char *const scn_keys_risk[] = {"probability", "per_day", "window", "hits", "delay",
                                     "cancel", "capacity_lost", "delivery_cut", "driver",
                                     "mitigation", "mitigated", NULL};
const char *const scn_keys_risk_share[] = {"share", "for", NULL};
const char *const scn_keys_mitigation[] = {"cost", "probability", "per_day", "delay", "share",
                                           NULL};
const char *const scn_keys_risk_driver[] = {"correlation", NULL};
const char *const scn_keys_economics[] = {
    "rack_capex", "building_capex_per_mw", "building_payment", "source_capex",
    "cost_of_capital", "rack_life", "building_life",
    "electricity_price", "ppa_price", "fuel_price", "heat_rate", "generation_variable_om",
    "battery_cycling_cost",
    "gpu_hour_value", "job_value_per_day", NULL};
const char *const scn_keys_price[] = {"trace", "column", NULL};

const scn_key_set scn_key_sets[] = {
    {"scn_keys_top", "", scn_keys_top},
    {"scn_keys_power", "power", scn_keys_power},
    {"scn_keys_site", "sites.<name>", scn_keys_site},
    {"scn_keys_weather", "weather", scn_keys_weather},
    {"scn_keys_weather", "sites.<name>.weather", scn_keys_weather},
    {"scn_keys_equipment", "equipment.<name>", scn_keys_equipment},
    {"scn_keys_source", "power.sources.<name>", scn_keys_source},
    {"scn_keys_stage", "power.sources.<name>.stages.<name>", scn_keys_stage},
    {"scn_keys_tranche", "power.sources.<name>.tranches[]", scn_keys_tranche},
    {"scn_keys_curtailment", "power.sources.<name>.curtailment", scn_keys_curtailment},
    {"scn_keys_building", "buildings.<name>", scn_keys_building},
    {"scn_keys_rack", "racks.<name>", scn_keys_rack},
    {"scn_keys_shortage", "shortage", scn_keys_shortage},
    {"scn_keys_delivery", "deliveries.<name>", scn_keys_delivery},
    {"scn_keys_milestone", "milestones.<name>", scn_keys_milestone},
    {"scn_keys_gpu", "gpus.<name>", scn_keys_gpu},
    {"scn_keys_failures", "failures", scn_keys_failures},
    {"scn_keys_cause", "failures.causes.<name>", scn_keys_cause},
    {"scn_keys_spares", "failures.spares", scn_keys_spares},
    {"scn_keys_fabric", "fabric", scn_keys_fabric},
    {"scn_keys_switch", "fabric.switch", scn_keys_switch},
    {"scn_keys_job", "jobs.<name>", scn_keys_job},
    {"scn_keys_checkpoint", "jobs.<name>.checkpoint", scn_keys_checkpoint},
    {"scn_keys_inference", "inference", scn_keys_inference},
    {"scn_keys_scheduler", "scheduler", scn_keys_scheduler},
    {"scn_keys_grading", "grading", scn_keys_grading},
    {"scn_keys_risk", "risks.<name>", scn_keys_risk},
    {"scn_keys_mitigation", "risks.<name>.mitigation", scn_keys_mitigation},
    {"scn_keys_risk_driver", "risk_drivers.<name>", scn_keys_risk_driver},
    {"scn_keys_risk_share", "risks.<name>.capacity_lost", scn_keys_risk_share},
    {"scn_keys_risk_share", "risks.<name>.delivery_cut", scn_keys_risk_share},
    {"scn_keys_economics", "economics", scn_keys_economics},
    {"scn_keys_price", "economics.electricity_price", scn_keys_price},
    {NULL, NULL, NULL},
};

/* Prefixes, so each path reads as its section's prefix plus the key. */
#define SITE "sites.<name>."
#define SRC "power.sources.<name>."
#define STAGE SRC "stages.<name>."
#define TRANCHE SRC "tranches[]."
#define CURT SRC "curtailment."
#define BLD "buildings.<name>."
#define RACK "racks.<name>."
#define DLV "deliveries.<name>."
#define MS "milestones.<name>."
#define EQ "equipment.<name>."
#define RISK "risks.<name>."

/* In the order of docs/scenario.md. */
static const char *const paths[] = {
    /* top level */
    "dcsim", "name", "description", "start", "horizon", "end", "sample", "seed", "reserve",
    "energize_at",
    "sites", "weather", "power", "equipment", "buildings", "gpus", "racks", "deliveries",
    "shortage", "failures", "fabric", "jobs", "inference", "scheduler", "milestones",
    "grading", "grading.confidence", "grading.A", "grading.B", "grading.C", "grading.D",
    "risks", "risk_drivers",
    /* sites and weather */
    SITE "weather", SITE "priority",
    "weather.model", "weather.mean_c", "weather.seasonal_amplitude_c",
    "weather.daily_amplitude_c", "weather.hottest_day", "weather.hottest_hour",
    "weather.trace", "weather.column",
    SITE "weather.model", SITE "weather.mean_c", SITE "weather.seasonal_amplitude_c",
    SITE "weather.daily_amplitude_c", SITE "weather.hottest_day", SITE "weather.hottest_hour",
    SITE "weather.trace", SITE "weather.column",
    /* power sources */
    "power.sources",
    SRC "type", SRC "site", SRC "capacity", SRC "start", SRC "after", SRC "stages",
    SRC "tranches", SRC "units", SRC "unit_capacity", SRC "unit_interval", SRC "mtbf",
    SRC "mttr", SRC "curtailment", SRC "energy", SRC "charge_efficiency",
    SRC "discharge_efficiency", SRC "initial_soc", SRC "profile", SRC "profile_column",
    STAGE "duration", STAGE "after", STAGE "needs", STAGE "fail_probability",
    TRANCHE "capacity", TRANCHE "share", TRANCHE "delay",
    CURT "probability_per_day", CURT "season", CURT "hours", CURT "duration", CURT "fraction",
    /* equipment */
    EQ "count", EQ "ordered", EQ "after", EQ "lead_time",
    /* buildings */
    BLD "site", BLD "start", BLD "after", BLD "duration", BLD "it_capacity",
    BLD "rack_positions", BLD "pue", BLD "overhead", BLD "install_per_day",
    /* racks */
    RACK "gpu", RACK "gpus", RACK "gpus_per_node", RACK "peak", RACK "idle",
    RACK "power_curve",
    /* GPU models */
    "gpus.<name>.peak_flops", "gpus.<name>.tdp",
    /* failures */
    "failures.mode", "failures.causes", "failures.spares",
    "failures.causes.<name>.mtbf", "failures.causes.<name>.takes",
    "failures.causes.<name>.repair", "failures.spares.nodes", "failures.spares.swap_time",
    /* fabric */
    "fabric.domain_gpus", "fabric.domain_bandwidth", "fabric.scaleout_bandwidth",
    "fabric.pod_gpus", "fabric.oversubscription", "fabric.overlap", "fabric.switch",
    "fabric.switch.racks", "fabric.switch.mtbf", "fabric.switch.repair",
    /* jobs */
    "jobs.<name>.flop", "jobs.<name>.gpus", "jobs.<name>.min_gpus", "jobs.<name>.start",
    "jobs.<name>.start_when", "jobs.<name>.mfu", "jobs.<name>.params",
    "jobs.<name>.tokens_per_step", "jobs.<name>.tp", "jobs.<name>.pp",
    "jobs.<name>.checkpoint", "jobs.<name>.restart", "jobs.<name>.priority",
    "jobs.<name>.site", "jobs.<name>.checkpoint.interval", "jobs.<name>.checkpoint.write",
    /* inference and the scheduler */
    "inference.start", "inference.gpus", "inference.annual_growth", "inference.max_gpus",
    "inference.trace", "inference.column", "inference.priority",
    "scheduler.policy", "scheduler.release_delay", "scheduler.stuck_probability",
    "scheduler.stuck_time",
    /* deliveries */
    DLV "rack", DLV "building", DLV "buildings", DLV "allocation", DLV "class", DLV "start",
    DLV "per_month", DLV "total", DLV "slip", DLV "commissioning",
    /* shortage */
    "shortage.policy", "shortage.then", "shortage.min_cap", "shortage.performance",
    "shortage.classes", "shortage.classes.<name>",
    /* milestones */
    MS "planned", MS "when",
    /* risks */
    RISK "probability", RISK "per_day", RISK "window", RISK "hits", RISK "delay",
    RISK "cancel", RISK "capacity_lost", RISK "delivery_cut", RISK "driver",
    RISK "mitigation", RISK "mitigated",
    RISK "capacity_lost.share", RISK "capacity_lost.for", RISK "delivery_cut.share",
    RISK "delivery_cut.for",
    RISK "mitigation.cost", RISK "mitigation.probability", RISK "mitigation.per_day",
    RISK "mitigation.delay", RISK "mitigation.share",
    "risk_drivers.<name>.correlation",
    /* economics */
    "economics", "economics.rack_capex", "economics.building_capex_per_mw",
    "economics.building_payment", "economics.source_capex",
    "economics.source_capex.<name>",
    "economics.cost_of_capital", "economics.rack_life", "economics.building_life",
    "economics.electricity_price", "economics.ppa_price", "economics.fuel_price",
    "economics.heat_rate", "economics.generation_variable_om",
    "economics.battery_cycling_cost", "economics.gpu_hour_value",
    "economics.job_value_per_day", "economics.electricity_price.trace",
    "economics.electricity_price.column", "economics.rack_capex.<name>",
    "economics.job_value_per_day.<name>",
    NULL,
};

#define KEYS(a) (sizeof a / sizeof *a - 1)
#define N_LEAF_ENTRIES 4        /* shortage.classes.<name>, economics.rack_capex.<name>,
                                 * economics.job_value_per_day.<name>,
                                 * economics.source_capex.<name> */
#define N_PATHS                                                                            \
    (KEYS(scn_keys_top) + KEYS(scn_keys_power) + KEYS(scn_keys_site) +                      \
     2 * KEYS(scn_keys_weather) + KEYS(scn_keys_equipment) + KEYS(scn_keys_source) +        \
     KEYS(scn_keys_stage) + KEYS(scn_keys_tranche) + KEYS(scn_keys_curtailment) +           \
     KEYS(scn_keys_building) + KEYS(scn_keys_rack) + KEYS(scn_keys_shortage) +              \
     KEYS(scn_keys_delivery) + KEYS(scn_keys_milestone) + KEYS(scn_keys_gpu) +              \
     KEYS(scn_keys_failures) + KEYS(scn_keys_cause) + KEYS(scn_keys_spares) +               \
     KEYS(scn_keys_fabric) + KEYS(scn_keys_switch) + KEYS(scn_keys_job) +                   \
     KEYS(scn_keys_checkpoint) + KEYS(scn_keys_inference) + KEYS(scn_keys_scheduler) +      \
     KEYS(scn_keys_grading) + KEYS(scn_keys_risk) + KEYS(scn_keys_mitigation) +             \
     KEYS(scn_keys_risk_driver) + 2 * KEYS(scn_keys_risk_share) + KEYS(scn_keys_economics) + \
     KEYS(scn_keys_price) + N_LEAF_ENTRIES)
_Static_assert(KEYS(paths) == N_PATHS,
               "the path table and the key arrays disagree: add the path of every key");
_Static_assert(sizeof scn_key_sets / sizeof *scn_key_sets == 34,
               "a key set was added: count its keys in N_PATHS (and weather's second place)");

const char *const *dcsim_scenario_key_paths(void)
{
    return paths;
}
