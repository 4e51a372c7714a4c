"""The fleet of bench/fleet.yaml, failing and being repaired, written the idiomatic SimPy 3 way,
so the benchmark can compare dcsim and SimPy on one whole model (issue 8). It reads the same
YAML file, so the two cannot drift, and mirrors dcsim's discrete mode (sim/model/fleet.c):

  - a rack fails at rate (sum of the causes' rates per GPU) x (its GPUs not in repair): one
    process per rack waits for its next failure and is interrupted when GPUs come back, to
    redraw at the new rate (the process is memoryless, so redrawing is exact);
  - the cause is picked in proportion to its rate and takes 1 GPU, a node of gpus_per_node,
    the rack, or nothing, capped at the GPUs up; the repair is drawn from the cause's law;
  - a node failure with a spare free (a Container, one pool: the scenario has one site) has
    its GPUs back after swap_time and returns the spare after the repair; any other failure
    has its GPUs back after the repair. One process per repair.

Times are whole seconds as in dcsim: a time to failure rounds to the nearest second, at least
1; a repair or a swap to the nearest second.

Usage: /usr/bin/python3 bench/fleet.py [SCENARIO [SEED]]   (default: fleet.yaml beside this
file, and its seed)
Prints: simpy_fleet racks=... years=... rack_years=... seconds=... rack_years_per_s=...
        availability=... se=... failures=... gpus_taken=... events=...
availability is dcsim's summary.csv gpu_availability: 1 - integral(GPUs down dt) /
integral(GPUs lit dt). failures counts failure events (software ones too), gpus_taken the
GPUs they took (dcsim's gpus_failed), events the failures, repairs and spare returns handled.
"""
import math
import os
import random
import re
import sys
import time
from statistics import NormalDist

try:
    import simpy
    import yaml
except ImportError as e:
    sys.stderr.write("fleet.py: %s for %s (Debian: apt-get install python3-simpy3 "
                     "python3-yaml)\n" % (e, sys.executable))
    sys.exit(3)

# dcsim's duration units (sim/core/units.c): a month is 30.44 d, a year 365.25 d.
UNITS_S = {"s": 1, "min": 60, "h": 3600, "d": 86400, "w": 7 * 86400, "mo": 2630016,
           "y": 31557600}
DURATION = re.compile(r"^((?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?) ?(s|min|h|d|w|mo|y)$")
TAKES = ("nothing", "gpu", "node", "rack")


class ScenarioError(Exception):
    pass


def duration_s(value, where):
    """Seconds in a duration such as '108335h' or '2y' (a float; callers round)."""
    m = DURATION.match(str(value).strip())
    if not m:
        raise ScenarioError("%s: '%s' is not a duration (a number and one of s, min, h, d, "
                            "w, mo, y)" % (where, value))
    return float(m.group(1)) * UNITS_S[m.group(2)]


def whole_s(x):
    """A duration in whole seconds, as dcsim rounds them (model_draw_s)."""
    return int(x + 0.5)


def refuse_keys(node, allowed, where):
    extra = sorted(set(node) - set(allowed))
    if extra:
        raise ScenarioError("%s: fleet.py does not model '%s'" % (where, extra[0]))


def repair_law(node, where):
    """A sampler of repair times in whole seconds: a fixed duration, or a lognormal by
    median and p90 (dcsim_dist_lognormal_from_median_p90: mu = ln median,
    sigma = ln(p90 / median) / z_0.9)."""
    if not isinstance(node, dict):
        d = whole_s(duration_s(node, where))   # dcsim reads a fixed duration with llround
        return lambda rng: d
    refuse_keys(node, ("dist", "median", "p90"), where)
    if node.get("dist") != "lognormal" or "median" not in node or "p90" not in node:
        raise ScenarioError("%s: fleet.py knows a fixed duration or {dist: lognormal, median, "
                            "p90}" % where)
    median = duration_s(node["median"], where + ".median")
    p90 = duration_s(node["p90"], where + ".p90")
    if not 0 < median < p90:
        raise ScenarioError("%s: needs 0 < median < p90" % where)
    mu = math.log(median)
    sigma = (math.log(p90) - mu) / NormalDist().inv_cdf(0.9)
    return lambda rng: whole_s(rng.lognormvariate(mu, sigma))


def load(path):
    """What the SimPy model needs from the scenario; refuses what it does not model."""
    with open(path) as f:
        sc = yaml.safe_load(f)
    for key in ("jobs", "inference", "sites", "scheduler", "storage", "milestones"):
        if sc.get(key):
            raise ScenarioError("fleet.py models a fleet alone; remove '%s'" % key)
    if (sc.get("fabric") or {}).get("switch"):
        raise ScenarioError("fleet.py does not model leaf switch failures (fabric.switch)")
    if len(sc.get("buildings") or {}) != 1:
        raise ScenarioError("fleet.py wants exactly one building")
    building = next(iter(sc["buildings"].values()))
    if duration_s(building.get("duration", "0d"), "buildings.duration") != 0:
        raise ScenarioError("the building must be ready at the start (duration: 0d)")
    racks = 0
    models = set()
    for name, d in (sc.get("deliveries") or {}).items():
        if duration_s(d.get("start", "0d"), "deliveries.%s.start" % name) != 0:
            raise ScenarioError("deliveries.%s.start: fleet.py wants racks from 0d" % name)
        racks += int(d["total"])
        models.add(d["rack"])
    if len(models) != 1:
        raise ScenarioError("fleet.py wants one rack model in all deliveries")
    model = sc["racks"][models.pop()]
    gpus = int(model["gpus"])
    per_node = int(model.get("gpus_per_node", 4 if gpus >= 4 else max(gpus, 1)))

    f = sc.get("failures") or {}
    refuse_keys(f, ("mode", "causes", "spares"), "failures")
    if f.get("mode", "discrete") != "discrete" or not f.get("causes"):
        raise ScenarioError("fleet.py wants failures.mode discrete with causes")
    causes = []
    for name, c in f["causes"].items():
        where = "failures.causes.%s" % name
        refuse_keys(c, ("mtbf", "takes", "repair"), where)
        takes = c.get("takes", "gpu")
        if takes not in TAKES:
            raise ScenarioError("%s.takes: '%s' (use %s)" % (where, takes, ", ".join(TAKES)))
        mtbf = round(duration_s(c["mtbf"], where + ".mtbf"))   # dcsim: whole seconds
        if mtbf <= 0:
            raise ScenarioError("%s.mtbf must be above 0" % where)
        k = {"nothing": 0, "gpu": 1, "node": per_node, "rack": gpus}[takes]
        if takes != "nothing" and "repair" not in c:
            raise ScenarioError("%s: a cause that takes GPUs needs a repair" % where)
        law = repair_law(c.get("repair", "0d"), where + ".repair")
        causes.append((1.0 / mtbf, k, takes == "node", law))
    spares = f.get("spares") or {}
    refuse_keys(spares, ("nodes", "swap_time"), "failures.spares")
    swap = spares.get("swap_time", "2h")
    if isinstance(swap, dict):
        raise ScenarioError("failures.spares.swap_time: fleet.py wants a fixed duration")
    return dict(racks=racks, gpus=gpus, causes=causes, spare_nodes=int(spares.get("nodes", 0)),
                swap_s=whole_s(duration_s(swap, "failures.spares.swap_time")),
                horizon_s=round(duration_s(sc["horizon"], "horizon")), seed=int(sc["seed"]))


class Rack:
    """A rack's GPUs up, its failure process, and its integral of GPUs down (GPU-seconds)."""
    __slots__ = ("up", "proc", "down_gs", "since")

    def __init__(self, gpus):
        self.up = gpus
        self.proc = None
        self.down_gs = 0.0
        self.since = 0


def simulate(p, seed):
    env = simpy.Environment()
    rng = random.Random(seed)
    gpus, horizon = p["gpus"], p["horizon_s"]
    causes, swap_s = p["causes"], p["swap_s"]
    rate_per_gpu = sum(c[0] for c in causes)
    # One pool of spare nodes: the scenario has one site. A spare is taken (get) at the
    # failure and returned (put) when the failed node, repaired, becomes the spare.
    spares = simpy.Container(env, capacity=max(p["spare_nodes"], 1), init=p["spare_nodes"])
    count = {"failures": 0, "gpus": 0, "repairs": 0, "spares_back": 0}

    def note(rack):
        """Integrate the rack's GPUs down up to now (before they change)."""
        rack.down_gs += (env.now - rack.since) * (gpus - rack.up)
        rack.since = env.now

    def gpus_back(rack, k):
        note(rack)
        rack.up += k
        count["repairs"] += 1
        rack.proc.interrupt()      # more GPUs running: a higher failure rate

    def repair(rack, k, repair_s):
        yield env.timeout(repair_s)
        gpus_back(rack, k)

    def swap_in(rack, k, swap_s, repair_s):
        # The spare went in at the failure: the node's GPUs run again after the swap; the
        # failed node, once repaired, becomes the spare (even if that comes first).
        if swap_s <= repair_s:
            yield env.timeout(swap_s)
            gpus_back(rack, k)
            yield env.timeout(repair_s - swap_s)
            yield spares.put(1)
        else:
            yield env.timeout(repair_s)
            yield spares.put(1)
            yield env.timeout(swap_s - repair_s)
            gpus_back(rack, k)
        count["spares_back"] += 1

    def fail(rack):
        count["failures"] += 1
        u = rng.random() * rate_per_gpu
        acc = 0.0
        for cause in causes:       # the cause, in proportion to its rate (the last by default)
            acc += cause[0]
            if u < acc:
                break
        _, k, node, law = cause
        k = min(k, rack.up)
        repair_s = law(rng)
        if k == 0:
            return                 # a software fault: jobs restart, no GPU is lost
        note(rack)
        rack.up -= k
        count["gpus"] += k
        if node and spares.level > 0:
            spares.get(1)          # a Container get with stock succeeds at once
            env.process(swap_in(rack, k, swap_s, repair_s))
        else:
            env.process(repair(rack, k, repair_s))

    def life(rack):
        while True:
            try:
                if rack.up > 0:
                    yield env.timeout(max(1, whole_s(rng.expovariate(rate_per_gpu * rack.up))))
                else:
                    yield env.event()   # every GPU in repair: wait for one to come back
            except simpy.Interrupt:
                continue           # GPUs came back: redraw at the new rate (memoryless)
            fail(rack)

    racks = [Rack(gpus) for _ in range(p["racks"])]
    for rack in racks:
        rack.proc = env.process(life(rack))

    t0 = time.perf_counter()
    env.run(until=horizon)
    seconds = time.perf_counter() - t0

    assert env.now == horizon
    for rack in racks:
        note(rack)          # the GPUs still down at the horizon
    return racks, count, seconds


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "fleet.yaml")
    try:
        p = load(path)
    except (OSError, yaml.YAMLError, ScenarioError, KeyError, TypeError, ValueError) as e:
        sys.stderr.write("fleet.py: %s: %s\n" % (path, e if not isinstance(e, KeyError)
                                                  else "missing key %s" % e))
        sys.exit(2)
    try:
        seed = int(sys.argv[2]) if len(sys.argv) > 2 else p["seed"]
    except ValueError:
        sys.exit("usage: fleet.py [SCENARIO [SEED]]   (SEED a whole number)")
    racks, count, seconds = simulate(p, seed)

    n, gpus, horizon = p["racks"], p["gpus"], p["horizon_s"]
    lit_gs = float(n) * gpus * horizon        # every rack lit from t = 0 to the horizon
    down = [r.down_gs for r in racks]
    availability = 1.0 - sum(down) / lit_gs
    # Standard error: the racks are independent and alike (the spare pool couples them only
    # when it runs dry, which for fleet.yaml has probability ~4e-8), so their GPU-seconds
    # down are i.i.d. with finite variance (lognormal repairs have every moment) and the
    # total's variance is n times their sample variance; with n in the thousands the
    # estimate is close to normal. It needs no repair law, and it matches the
    # compound-Poisson figure worked out in fleet.yaml (~2.8e-6, from the sum over failures
    # of (GPUs taken x time down)^2); over 39 seeds the availability scattered by 2.6e-6.
    # Two runs of this size (dcsim's and this one) differ by sqrt(2) x se.
    mean = sum(down) / n
    var = sum((d - mean) ** 2 for d in down) / (n - 1) if n > 1 else 0.0
    se = math.sqrt(n * var) / lit_gs
    years = horizon / UNITS_S["y"]
    events = count["failures"] + count["repairs"] + count["spares_back"]
    print("simpy_fleet racks=%d years=%g rack_years=%g seconds=%.3f rack_years_per_s=%.1f "
          "availability=%.6f se=%.2g failures=%d gpus_taken=%d events=%d"
          % (n, years, n * years, seconds, n * years / seconds, availability, se,
             count["failures"], count["gpus"], events))


if __name__ == "__main__":
    main()
