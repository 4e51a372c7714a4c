/* Tests for the fabric module: ring all-reduce time, the bandwidth a job sees across pods and
 * a training job's step efficiency. Every answer is worked by hand from the equations at the
 * top of sim/model/fabric.c; the fabrics and jobs are built here, not loaded. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>

#include "model/model.h"

/* |got - want| <= rel |want| in double (cmocka's assert_float_equal rounds to float), with
 * the numbers in the failure message. */
#define assert_rel(got, want, rel)                                                         \
    do {                                                                                   \
        double g_ = (got), w_ = (want), r_ = (rel);                                        \
        if (!(fabs(g_ - w_) <= r_ * fabs(w_)))                                             \
            fail_msg("%s = %.17g, expected %.17g within %.3g relative", #got, g_, w_, r_); \
    } while (0)

#define REL 1e-12

/* An H100 HGX fabric: 8-GPU NVLink domains at 900 GB/s, 400 Gb/s NDR (50 GB/s) per GPU on
 * the scale-out network; pods large enough that nothing below is oversubscribed. */
static dcsim_fabric h100_fabric(void)
{
    dcsim_fabric f = {0};
    f.domain_gpus = 8;
    f.domain_bw = 900e9;
    f.scaleout_bw = 50e9;
    f.pod_gpus = 1u << 20;
    f.oversubscription = 7;
    f.overlap = 0;
    return f;
}

/* Llama-3-405B-like: 405e9 parameters, 16M-token global batch, tp 8, pp 16, MFU 0.4. */
static dcsim_job big_job(void)
{
    dcsim_job j = {0};
    j.mfu = 0.4;
    j.params = 405e9;
    j.tokens_per_step = 16e6;
    j.tp = 8;
    j.pp = 16;
    return j;
}

#define H100_PEAK 989.4e12      /* dense BF16 FLOP/s */

/* ---- all-reduce ---- */

static void allreduce_cases(void **state)
{
    (void)state;
    /* n = 2, S = 1 GB, B = 50 GB/s: 2 x 1/2 x 1e9 / 50e9 = 0.02 s. */
    assert_rel(fabric_allreduce_s(2, 1e9, 50e9), 0.02, REL);
    /* n = 8, S = 10 GB, B = 900 GB/s: 2 x 7/8 x 10e9 / 900e9 = 1.75 x 1/90 = 7/360
     * = 0.019444... s. */
    assert_rel(fabric_allreduce_s(8, 10e9, 900e9), 7.0 / 360.0, REL);
    /* n = 1024, S = 4 GB, B = 50 GB/s: 2 x 1023/1024 x 4e9 / 50e9 = 1.998046875 x 0.08
     * = 0.15984375 s. */
    assert_rel(fabric_allreduce_s(1024, 4e9, 50e9), 0.15984375, REL);
    /* Large n: the time tends to 2 S / B. n = 1e6, S = 1 GB, B = 1 GB/s:
     * 2 x (1 - 1e-6) = 1.999998 s. */
    assert_rel(fabric_allreduce_s(1e6, 1e9, 1e9), 1.999998, REL);
}

static void allreduce_single(void **state)
{
    (void)state;
    /* One participant (or none) exchanges nothing. */
    assert_true(fabric_allreduce_s(1, 1e9, 50e9) == 0);
    assert_true(fabric_allreduce_s(0, 1e9, 50e9) == 0);
}

/* ---- bandwidth per job ---- */

static void job_bw_pods(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    f.pod_gpus = 3072;
    /* Inside the pod (and exactly filling it): full 50 GB/s. */
    assert_rel(fabric_job_bw(&f, 1), 50e9, REL);
    assert_rel(fabric_job_bw(&f, 3072), 50e9, REL);
    /* One GPU more spans two pods: 50e9 / 7. */
    assert_rel(fabric_job_bw(&f, 3073), 50e9 / 7, REL);
}

/* A job spanning pods: the same ring on two fabrics that differ only in pod size. Job:
 * params 8e9, tp 8, pp 1, 4096 GPUs -> mp 8, d 512, G 4096 > domain 8, so the ring is on the
 * scale-out network. Big pods (8192): B = 50 GB/s; pods of 1024: B = 50/4 GB/s with
 * oversubscription 4. S = 2 x 8e9 / 8 = 2e9 bytes.
 *   T_ar(512, 2e9, 50e9)   = 2 x 511/512 x 0.04 = 0.079843750 s
 *   T_ar(512, 2e9, 12.5e9) = 4 x that           = 0.319375 s
 * With overlap 0.25 the exposed times are 0.75 x those; compute time is equal on both, so
 * step - compute is 4 times larger on the small pods. */
static void spanning_pods_exposed(void **state)
{
    (void)state;
    dcsim_fabric big = h100_fabric(), small;
    big.pod_gpus = 8192;
    big.oversubscription = 4;
    big.overlap = 0.25;
    small = big;
    small.pod_gpus = 1024;
    dcsim_job j = big_job();
    j.params = 8e9;
    j.tp = 8;
    j.pp = 1;
    /* W = 6 x 8e9 x 16e6 = 7.68e17; t_c = 7.68e17 / (4096 x 989.4e12 x 0.4). */
    double compute = 7.68e17 / (4096 * H100_PEAK * 0.4);
    double step_big, step_small;
    double eff_big = fabric_step_efficiency(&big, &j, 4096, H100_PEAK, &step_big);
    double eff_small = fabric_step_efficiency(&small, &j, 4096, H100_PEAK, &step_small);
    assert_rel(eff_big * step_big, compute, REL);
    assert_rel(eff_small * step_small, compute, REL);
    double exp_big = step_big - compute, exp_small = step_small - compute;
    assert_rel(exp_big, 0.75 * 0.07984375, 1e-10);
    assert_rel(exp_small, 0.75 * 0.319375, 1e-10);
    assert_rel(exp_small / exp_big, small.oversubscription, 1e-10);
}

/* ---- step efficiency ---- */

/* Overlap 1 hides all communication: step = compute, efficiency 1, even across pods. */
static void full_overlap(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    f.pod_gpus = 1024;
    f.overlap = 1;
    dcsim_job j = big_job();
    double step;
    double eff = fabric_step_efficiency(&f, &j, 16384, H100_PEAK, &step);
    assert_true(eff == 1.0);
    /* 3.888e19 / (16384 x 989.4e12 x 0.4), as in the worked example. */
    assert_rel(step, 3.888e19 / (16384 * H100_PEAK * 0.4), REL);
}

/* The worked example: 405e9 parameters on 16,384 H100s, tp 8, pp 16, 50 GB/s scale-out.
 *   mp = 8 x 16 = 128; d = 16384 / 128 = 128; G = 16384
 *   W   = 6 x 405e9 x 16e6 = 3.888e19 FLOP
 *   t_c = 3.888e19 / (16384 x 989.4e12 x 0.4) = 3.888e19 / 6.48413184e18 = 5.996176660 s
 *   S   = 2 x 405e9 / 128 = 6.328125e9 bytes
 *   G = 16384 > 8 (one HGX domain), so B is the scale-out bandwidth.
 *   (a) non-blocking (pods >= 16384), overlap 0: B = 50e9
 *       T_ar = 2 x 127/128 x 6.328125e9 / 50e9 = 1.984375 x 0.1265625 = 0.2511474609375 s
 *       step = 5.996176660 + 0.251147461 = 6.247324121 s; eff = 0.959799195
 *   (b) the loader's defaults, pods of 3,072 at 7:1, overlap 0.5: B = 50e9 / 7
 *       T_ar = 7 x 0.2511474609375 = 1.7580322265625 s; exposed 0.87901611328125 s
 *       step = 6.875192773 s; eff = 0.872146696 */
static void worked_405b(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    dcsim_job j = big_job();
    double compute = 3.888e19 / 6.48413184e18;
    assert_rel(compute, 5.996176660097029, 1e-12);
    double step;
    double eff = fabric_step_efficiency(&f, &j, 16384, H100_PEAK, &step);
    assert_rel(step, compute + 0.2511474609375, REL);
    assert_rel(step, 6.247324121034529, 1e-12);
    assert_rel(eff, 0.9597991946516917, 1e-12);
    assert_rel(eff, compute / (compute + 0.2511474609375), REL);

    f.pod_gpus = 3072;
    f.oversubscription = 7;
    f.overlap = 0.5;
    eff = fabric_step_efficiency(&f, &j, 16384, H100_PEAK, &step);
    assert_rel(step, compute + 0.87901611328125, REL);
    assert_rel(step, 6.875192773378279, 1e-12);
    assert_rel(eff, 0.8721466957719461, 1e-12);
}

/* GPUs beyond whole replicas stay idle: 16,500 GPUs still run d = floor(16500/128) = 128
 * replicas on 16,384, so the answer equals the 16,384-GPU one. */
static void partial_replica_idle(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    dcsim_job j = big_job();
    double s1, s2;
    double e1 = fabric_step_efficiency(&f, &j, 16384, H100_PEAK, &s1);
    double e2 = fabric_step_efficiency(&f, &j, 16500, H100_PEAK, &s2);
    assert_true(e1 == e2);
    assert_true(s1 == s2);
}

/* A job inside one NVLink domain uses the domain bandwidth, not the scale-out network.
 * 1e9 parameters, tp 2, pp 1 on 8 GPUs: mp 2, d 4, G 8 <= 8. S = 2 x 1e9 / 2 = 1e9 bytes;
 * T_ar(4, 1e9, 900e9) = 2 x 3/4 x 1e9 / 900e9 = 1/600 s (not 2 x 3/4 x 1e9/50e9 = 0.03 s).
 * t_c = 6 x 1e9 x 16e6 / (8 x 989.4e12 x 0.4) = 9.6e16 / 3.16608e15 s; overlap 0. */
static void inside_domain(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    f.pod_gpus = 4;                 /* would divide by 7 if the scale-out path were taken */
    dcsim_job j = big_job();
    j.params = 1e9;
    j.tp = 2;
    j.pp = 1;
    double step;
    double eff = fabric_step_efficiency(&f, &j, 8, H100_PEAK, &step);
    double compute = 9.6e16 / 3.16608e15;
    assert_rel(step, compute + 1.0 / 600, REL);
    assert_rel(eff, compute / (compute + 1.0 / 600), REL);
}

/* One replica (d = 1) has no data-parallel all-reduce: efficiency 1 whatever the fabric. */
static void single_replica(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    f.pod_gpus = 1;
    dcsim_job j = big_job();
    double step;
    double eff = fabric_step_efficiency(&f, &j, 128, H100_PEAK, &step);
    assert_true(eff == 1.0);
    assert_rel(step, 3.888e19 / (128 * H100_PEAK * 0.4), REL);
}

/* Fewer GPUs than one replica (tp x pp = 128): the job cannot run. */
static void too_few_gpus(void **state)
{
    (void)state;
    dcsim_fabric f = h100_fabric();
    dcsim_job j = big_job();
    double step = -1;
    assert_true(fabric_step_efficiency(&f, &j, 127, H100_PEAK, &step) == 0);
    assert_true(step == 0);
    step = -1;
    assert_true(fabric_step_efficiency(&f, &j, 0, H100_PEAK, &step) == 0);
    assert_true(step == 0);
    /* step_s may be NULL when only the efficiency is wanted. */
    assert_true(fabric_step_efficiency(&f, &j, 127, H100_PEAK, NULL) == 0);
    assert_true(fabric_step_efficiency(&f, &j, 16384, H100_PEAK, NULL) > 0.95);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(allreduce_cases),
        cmocka_unit_test(allreduce_single),
        cmocka_unit_test(job_bw_pods),
        cmocka_unit_test(spanning_pods_exposed),
        cmocka_unit_test(full_overlap),
        cmocka_unit_test(worked_405b),
        cmocka_unit_test(partial_replica_idle),
        cmocka_unit_test(inside_domain),
        cmocka_unit_test(single_replica),
        cmocka_unit_test(too_few_gpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
