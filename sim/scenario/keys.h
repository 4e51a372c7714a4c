/* Private to the scenario loader: the registry of allowed keys. Each section's loader checks
 * a map against one of these NULL-terminated arrays (scn_check_keys); keys.c also holds the
 * table of full key paths behind dcsim_scenario_key_paths, which docs/scenario.md must list
 * (tests/test_docs.c checks both). */
#ifndef DCSIM_SCENARIO_KEYS_H
#define DCSIM_SCENARIO_KEYS_H

/* One array per kind of map, in the order the loader lists them in "expected one of". */
extern const char *const scn_keys_top[];          /* the file's top level */
extern const char *const scn_keys_power[];        /* power */
extern const char *const scn_keys_site[];         /* sites.<name> */
extern const char *const scn_keys_weather[];      /* weather, sites.<name>.weather */
extern const char *const scn_keys_equipment[];    /* equipment.<name> */
extern const char *const scn_keys_source[];       /* power.sources.<name> */
extern const char *const scn_keys_stage[];        /* power.sources.<name>.stages.<name> */
extern const char *const scn_keys_tranche[];      /* power.sources.<name>.tranches[] */
extern const char *const scn_keys_curtailment[];  /* power.sources.<name>.curtailment */
extern const char *const scn_keys_building[];     /* buildings.<name> */
extern const char *const scn_keys_rack[];         /* racks.<name> */
extern const char *const scn_keys_shortage[];     /* shortage */
extern const char *const scn_keys_delivery[];     /* deliveries.<name> */
extern const char *const scn_keys_milestone[];    /* milestones.<name> */
extern const char *const scn_keys_risk[];         /* risks.<name> */
extern const char *const scn_keys_mitigation[];   /* risks.<name>.mitigation */
extern const char *const scn_keys_risk_driver[];  /* risk_drivers.<name> */
extern const char *const scn_keys_risk_share[];   /* risks.<name>.capacity_lost, .delivery_cut */
extern const char *const scn_keys_gpu[];          /* gpus.<name> */
extern const char *const scn_keys_failures[];     /* failures */
extern const char *const scn_keys_cause[];        /* failures.causes.<name> */
extern const char *const scn_keys_spares[];       /* failures.spares */
extern const char *const scn_keys_fabric[];       /* fabric */
extern const char *const scn_keys_switch[];       /* fabric.switch */
extern const char *const scn_keys_job[];          /* jobs.<name> */
extern const char *const scn_keys_checkpoint[];   /* jobs.<name>.checkpoint */
extern const char *const scn_keys_inference[];    /* inference */
extern const char *const scn_keys_scheduler[];    /* scheduler */
extern const char *const scn_keys_grading[];      /* grading */
extern const char *const scn_keys_economics[];    /* economics */
extern const char *const scn_keys_price[];        /* economics.electricity_price */

/* Where each array applies: the path of the map it checks ("" for the top level). An array
 * used at two places (weather) appears twice. Ends with {NULL, NULL, NULL}. Every key of
 * `keys` under `prefix` is a path of dcsim_scenario_key_paths(). */
typedef struct scn_key_set {
    const char *name;              /* "scn_keys_source", for messages */
    const char *prefix;            /* "power.sources.<name>" */
    const char *const *keys;
} scn_key_set;

extern const scn_key_set scn_key_sets[];

/* Distribution keys are not here: read.c builds them from the distribution table (and the
 * lognormal median form), and they may follow any duration key; docs/scenario.md lists them
 * under Distributions. */

#endif
