"""Write scaled copies of a scenario for the scaling benchmark (bench/run.sh, issue 8).

    /usr/bin/python3 bench/scale.py SCENARIO OUT_DIR RACKS_FACTOR HORIZON_FACTOR [MODE]

writes OUT_DIR/<name>-r<RACKS_FACTOR>-h<HORIZON_FACTOR>.yaml and prints its path. The copy has
the same elements, dates and random distributions; only sizes change:

- racks x k: every building's IT capacity, rack positions and install rate, every delivery's
  racks per month and total, every power source's capacity (grid and PPA capacity, a
  generation unit's capacity, a battery's power and energy), the spare nodes, the inference
  demand, and the thresholds of milestones on fleet-sized metrics. Deliveries keep their
  months, so the buildout's shape is the same with k times the racks at every date: each
  rack's failures, repairs and gate decisions are the work that grows, and the fixed work
  (loading, stages, tranches, sample steps) does not.
  Jobs keep their size: a job is the job's, not the campus's. A frontier run 16 times as
  big fails 16 times as often and spends its life restarting (Abilene's at x16: goodput 2%,
  never done), which would time the model's reaction to that job, not scaling.
- horizon x h: the horizon only; the campus then runs h times as long at full size.
- MODE (optional): failures.mode for the copy, e.g. discrete.

The scenario is read and written with PyYAML's base loader and a dumper without implicit
types, so every scalar keeps its text (`5e26`, `2024-06-01`, `18mo`) and dcsim reads the copy
as it reads the original. Comments are not kept: the copy is a benchmark input, not a
scenario to read. A key this script does not know how to scale is left alone; a source type it
does not know stops it (a silently unscaled source would starve the scaled racks of power).
"""
import os
import re
import sys

try:
    import yaml
except ImportError:
    sys.stderr.write("scale.py: PyYAML is not installed for %s "
                     "(Debian: apt-get install python3-yaml)\n" % sys.executable)
    sys.exit(3)

QUANTITY = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z/]*)\s*$")
# A milestone on a metric that grows with the fleet: "racks_energized >= 5840".
FLEET_METRICS = ("it_energized_mw", "it_mw", "facility_mw", "supply_mw", "racks_",
                 "gpus_")
CONDITION = re.compile(r"^(\s*)([a-z_]+)(\s*[<>]=?\s*)([0-9.eE+-]+)(\s*)$")


def fail(msg):
    sys.stderr.write("scale.py: %s\n" % msg)
    sys.exit(2)


def number_text(x):
    """A number as dcsim reads it: integers stay integers."""
    if abs(x - round(x)) < 1e-9 and abs(x) < 1e15:
        return str(int(round(x)))
    return repr(x)


def scale_quantity(text, k, where):
    m = QUANTITY.match(str(text))
    if not m:
        fail("%s: '%s' is not a number with a unit" % (where, text))
    return number_text(float(m.group(1)) * k) + m.group(2)


def scale_condition(text, k):
    m = CONDITION.match(str(text))
    if not m or not any(m.group(2).startswith(p) for p in FLEET_METRICS):
        return text     # a date, a job's completion, a ratio: not fleet-sized
    return m.group(1) + m.group(2) + m.group(3) + scale_quantity(m.group(4), k, "") + m.group(5)


def scale_keys(node, keys, k, where):
    for key in keys:
        if key in node:
            node[key] = scale_quantity(node[key], k, "%s.%s" % (where, key))


def scale_source(name, src, k):
    kind = src.get("type")
    where = "power.sources." + name
    if kind in ("grid", "ppa"):
        scale_keys(src, ("capacity",), k, where)
    elif kind == "generation":
        scale_keys(src, ("unit_capacity",), k, where)   # same units, so the same events
    elif kind == "storage":
        scale_keys(src, ("power", "energy", "capacity"), k, where)
    else:
        fail("%s: source type '%s' is not known to scale.py" % (where, kind))


def scale_site(site, k):
    """The parts of a scenario (or of one site of a program) that hold racks and power."""
    for name, src in ((site.get("power") or {}).get("sources") or {}).items():
        scale_source(name, src, k)
    for name, b in (site.get("buildings") or {}).items():
        scale_keys(b, ("it_capacity", "rack_positions", "install_per_day"), k,
                   "buildings." + name)


def scale(doc, k, h, mode):
    if "horizon" not in doc:
        fail("the scenario has no horizon")
    doc["horizon"] = scale_quantity(doc["horizon"], h, "horizon")
    doc["name"] = "%s-r%s-h%s" % (doc.get("name", "scenario"), number_text(k), number_text(h))
    scale_site(doc, k)
    for site in (doc.get("sites") or {}).values():
        scale_site(site, k)
    for name, d in (doc.get("deliveries") or {}).items():
        scale_keys(d, ("per_month", "total"), k, "deliveries." + name)
    spares = (doc.get("failures") or {}).get("spares")
    if spares:
        scale_keys(spares, ("nodes",), k, "failures.spares")
    inf = doc.get("inference")
    if inf:
        scale_keys(inf, ("gpus", "max_gpus"), k, "inference")
    for ms in (doc.get("milestones") or {}).values():
        if "when" in ms:
            ms["when"] = scale_condition(ms["when"], k)
    if mode:
        doc.setdefault("failures", {})["mode"] = mode


class PlainDumper(yaml.emitter.Emitter, yaml.serializer.Serializer,
                  yaml.representer.SafeRepresenter, yaml.resolver.BaseResolver):
    """SafeDumper without implicit types: a string that looks like a date or a number is
    written plain, as it was in the scenario, not quoted."""

    def __init__(self, stream, **kw):
        yaml.emitter.Emitter.__init__(self, stream, width=kw.get("width"),
                                      allow_unicode=kw.get("allow_unicode"))
        yaml.serializer.Serializer.__init__(self, explicit_start=kw.get("explicit_start"))
        yaml.representer.SafeRepresenter.__init__(self, default_flow_style=False,
                                                  sort_keys=False)
        yaml.resolver.BaseResolver.__init__(self)


def main():
    if len(sys.argv) not in (5, 6):
        fail("usage: scale.py SCENARIO OUT_DIR RACKS_FACTOR HORIZON_FACTOR [MODE]")
    path, out_dir = sys.argv[1], sys.argv[2]
    try:
        k, h = float(sys.argv[3]), float(sys.argv[4])
    except ValueError:
        fail("the factors must be numbers")
    if k <= 0 or h <= 0:
        fail("the factors must be positive")
    mode = sys.argv[5] if len(sys.argv) == 6 else None
    try:
        with open(path) as f:
            doc = yaml.load(f, Loader=yaml.BaseLoader)
    except (OSError, yaml.YAMLError) as e:
        fail("%s: %s" % (path, e))
    if not isinstance(doc, dict):
        fail("%s: not a scenario (a mapping at the top)" % path)
    scale(doc, k, h, mode)
    out = os.path.join(out_dir, doc["name"] + ".yaml")
    with open(out, "w") as f:
        f.write("# Written by bench/scale.py from %s: racks x%s, horizon x%s.\n"
                % (path, number_text(k), number_text(h)))
        yaml.dump(doc, f, Dumper=PlainDumper)
    print(out)


if __name__ == "__main__":
    main()
