/* The interconnect's effect on a training job: how long a step takes once the data-parallel
 * gradient all-reduce is added to compute, and what share of the step is compute. Pure
 * functions of the scenario; the workload turns the efficiency into job progress.
 *
 * Equations (for docs/model.md):
 *
 *   Ring all-reduce of a buffer of S bytes per participant over n participants, each
 *   sending and receiving at B bytes/s (reduce-scatter then all-gather, n-1 steps each of
 *   S/n bytes):
 *       T_ar(n, S, B) = 2 (n - 1) / n * S / B          (0 when n <= 1)
 *
 *   Bandwidth per GPU of a job on N GPUs on the scale-out network:
 *       B_out(N) = scaleout_bw                          if N <= pod_gpus
 *                = scaleout_bw / oversubscription       if N >  pod_gpus (spans pods)
 *
 *   Step of job j on N GPUs of peak F FLOP/s each:
 *       mp    = tp * pp                 model-parallel degree (GPUs per model replica)
 *       d     = floor(N / mp)           data-parallel degree; d = 0: the job cannot run
 *       G     = d * mp                  GPUs used (the other N - G stay idle)
 *       W     = 6 * params * tokens_per_step                     FLOP per step
 *       t_c   = W / (G * F * mfu)                                compute time
 *       S     = 2 * params / mp         bytes of bf16 gradient each GPU all-reduces
 *       B     = domain_bw      if G <= domain_gpus (the ring stays in one NVLink domain)
 *             = B_out(G)       otherwise
 *       t_x   = (1 - overlap) * T_ar(d, S, B)                    exposed communication
 *       step  = t_c + t_x
 *       eff   = t_c / step
 *
 *   Tensor-parallel traffic (and pipeline-parallel activations) is assumed to stay inside
 *   the NVLink domain and is folded into MFU; only the data-parallel all-reduce is modelled.
 */
#include "model/model.h"

double fabric_allreduce_s(double n, double bytes, double bw)
{
    if (n <= 1)
        return 0;           /* one participant has nothing to exchange */
    return 2.0 * (n - 1.0) / n * bytes / bw;
}

double fabric_job_bw(const dcsim_fabric *f, uint32_t n_gpus)
{
    /* Inside a pod the network is non-blocking; a ring that leaves the pod is paced by its
     * slowest hop, an oversubscribed uplink. */
    if (n_gpus > f->pod_gpus)
        return f->scaleout_bw / f->oversubscription;
    return f->scaleout_bw;
}

double fabric_step_efficiency(const dcsim_fabric *f, const dcsim_job *j, uint32_t n_gpus,
                              double peak_flops, double *step_s)
{
    /* 64 bits: the loader caps tp and pp at 1024 each, but the product must not wrap if
     * that cap ever moves. */
    uint64_t mp = (uint64_t)j->tp * j->pp;
    uint64_t d = mp > 0 ? n_gpus / mp : 0;
    double rate = peak_flops * j->mfu;
    if (d == 0 || !(rate > 0)) {
        /* Not one whole model replica fits (or the GPUs do no work): the job cannot run. */
        if (step_s)
            *step_s = 0;
        return 0;
    }
    uint64_t used = d * mp;             /* <= n_gpus, so it fits in uint32_t */
    double flop_step = 6.0 * j->params * j->tokens_per_step;
    double compute_s = flop_step / ((double)used * rate);
    double grad_bytes = 2.0 * j->params / (double)mp;      /* bf16: 2 bytes per parameter */
    double bw = used <= f->domain_gpus ? f->domain_bw : fabric_job_bw(f, (uint32_t)used);
    double exposed_s = (1.0 - f->overlap) * fabric_allreduce_s((double)d, grad_bytes, bw);
    double step = compute_s + exposed_s;
    if (step_s)
        *step_s = step;
    return compute_s / step;
}
