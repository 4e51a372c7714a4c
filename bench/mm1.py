"""The M/M/1 queue of bench/bench_engine.c, written the idiomatic SimPy 3 way (a process per
customer, a Resource of capacity 1), so bench/run.sh can compare the two engines on one model.
Same parameters and time scale: lambda = 0.9, mu = 1.0 per unit, one unit = 10^6 ticks.

Usage: /usr/bin/python3 bench/mm1.py [customers]   (default 200000)
Prints: simpy_mm1 customers=... seconds=... customers_per_s=... mean_time_in_system=... analytic=...
"""
import random
import sys
import time

try:
    import simpy
except ImportError:
    sys.stderr.write("mm1.py: SimPy 3 is not installed for %s "
                     "(Debian: apt-get install python3-simpy3)\n" % sys.executable)
    sys.exit(3)

TICKS_PER_UNIT = 1e6
LAMBDA, MU = 0.9, 1.0
SEED = 20250630


def main():
    customers = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
    if customers < 1:
        sys.exit("usage: mm1.py [customers > 0]")
    rng = random.Random(SEED)
    arrival_rate = LAMBDA / TICKS_PER_UNIT   # per tick
    service_rate = MU / TICKS_PER_UNIT
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=1)
    total = [0.0, 0]  # sum of times in system, customers done

    def customer(env):
        arrived = env.now
        with server.request() as req:
            yield req
            yield env.timeout(rng.expovariate(service_rate))
        total[0] += env.now - arrived
        total[1] += 1

    def source(env):
        for _ in range(customers):
            yield env.timeout(rng.expovariate(arrival_rate))
            env.process(customer(env))

    env.process(source(env))
    t0 = time.perf_counter()
    env.run()  # until no event is left: every customer has been served
    dt = time.perf_counter() - t0
    assert total[1] == customers
    print("simpy_mm1 customers=%d seconds=%.3f customers_per_s=%.0f "
          "mean_time_in_system=%.0f analytic=%.0f"
          % (customers, dt, customers / dt, total[0] / customers,
             TICKS_PER_UNIT / (MU - LAMBDA)))


if __name__ == "__main__":
    main()
