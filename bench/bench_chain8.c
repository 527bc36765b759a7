/*
** bench_chain8.c: the Lindblad benchmark of the issue: bench/chain8.spin
** (N = 8 chain with dipolar, DM, KSEA couplings, Zeeman field and Pauli-X
** dephasing on every spin; Gibbs state at T = 1; 201 output times over
** t = 0..10) evolved with nmrc's Lindblad plan, timed, then run with QuTiP's
** mesolve (bench/chain8_qutip.py, rtol 1e-8) when installed: prints both
** times, the ratio and max |rho_nmrc - rho_qutip| over every 10th output.
** Usage: bench_chain8 [--no-qutip] [SPEC]
*/
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "nmrc/linalg.h"
#include "nmrc/nmrc.h"
#include "nmrc/sim.h"

#define STRIDE 10

/* CPU seconds (user + system) of the process so far, all threads. */
static double cpu_now(void)
{
    struct rusage r;
    getrusage(RUSAGE_SELF, &r);
    return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) +
           1e-6 * (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static nmrc_model *load(const char *path, nmrc_ctx *ctx)
{
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    nmrc_status st = nmrc_spec_parse_file(path, ctx, &spec);
    if (st == NMRC_OK)
        st = nmrc_spec_resolve(spec, ctx, &m);
    if (st != NMRC_OK) {
        fprintf(stderr, "bench_chain8: %s: %s\n", path, nmrc_ctx_errmsg(ctx));
        for (size_t i = 0; spec && i < nmrc_spec_diag_count(spec); i++)
            fputs(nmrc_spec_diag_text(spec, i), stderr);
    }
    nmrc_spec_destroy(spec);
    return m;
}

/* Evolves through all output times with one execute call (dense output)
** and keeps every STRIDE-th state in keep[]; returns the wall seconds (-1
** on failure) and stores the CPU seconds in *cpu. */
static double evolve(const nmrc_model *m, const nmrc_cmat *rho0, nmrc_cmat *keep, size_t nkeep,
                     double *cpu, nmrc_ctx *ctx)
{
    size_t d = rho0->n1, n = m->evolve.n;
    nmrc_lindblad_plan *plan = NULL;
    nmrc_cmat *all = calloc(n, sizeof *all);
    nmrc_cplx *blk = calloc(n * d * d, sizeof *blk);
    double *t = malloc(n * sizeof *t), dt = -1;
    if (!all || !blk || !t)
        goto out;
    for (size_t k = 0; k < n; k++) {
        all[k] = nmrc_cmat_view(blk + k * d * d, d, d, d);
        t[k] = m->evolve.start + (m->evolve.stop - m->evolve.start) * (double)k / (double)(n - 1);
    }
    /* BLAS worker threads of the setup's eigensolver spin for ~0.1 s after
    ** it returns: let them go idle so that the timing is nmrc's alone. */
    nanosleep(&(struct timespec){1, 500000000L}, NULL);
    double t0 = now(), c0 = cpu_now();
    if (nmrc_lindblad_plan_from_model(m, NULL, ctx, &plan) != NMRC_OK)
        goto out;
    nmrc_lindblad_ws *ws = nmrc_lindblad_ws_create(plan);
    nmrc_status st = ws ? nmrc_lindblad_execute(plan, ws, rho0, t, n, all, ctx) : NMRC_ENOMEM;
    double el = now() - t0, cel = cpu_now() - c0;
    nmrc_lindblad_ws_destroy(ws);
    if (st != NMRC_OK)
        goto out;
    dt = el;
    *cpu = cel;
    printf("nmrc : %.3f s wall, %.3f s CPU (%s, %zu output times, dim %zu, plan included)\n",
           dt, cel, nmrc_lindblad_plan_method(plan) == NMRC_LINDBLAD_EXACT ? "exact" : "Taylor",
           n, d);
    for (size_t k = 0; k < nkeep && k * STRIDE < n; k++)
        nmrc_cmat_copy(&keep[k], &all[k * STRIDE]);
out:
    nmrc_lindblad_plan_destroy(plan);
    free(all);
    free(blk);
    free(t);
    return dt;
}

static void run_qutip(double ours, double ours_cpu, const nmrc_cmat *keep, size_t nkeep)
{
    char path[] = "/tmp/nmrc_chain8_XXXXXX", cmd[512], line[256];
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (!fp) {
        printf("qutip: cannot write a temporary file\n");
        return;
    }
    for (size_t k = 0; k < nkeep; k++)
        fwrite(keep[k].data, sizeof(nmrc_cplx), keep[k].n1 * keep[k].n2, fp);
    fclose(fp);
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/bench/chain8_qutip.py %s %d 2>/dev/null",
             NMRC_SOURCE_DIR, path, STRIDE);
    FILE *pp = popen(cmd, "r");
    double qt = -1, diff = -1, qcpu = -1;
    while (pp && fgets(line, sizeof line, pp))
        sscanf(line, "qutip %lf %lf %lf", &qt, &diff, &qcpu);
    if (pp)
        pclose(pp);
    unlink(path);
    if (qt < 0) {
        printf("qutip: not available (/usr/bin/python3 with qutip)\n");
        return;
    }
    printf("qutip: %.3f s wall, %.3f s CPU (mesolve, rtol 1e-8, atol 1e-10)\n", qt, qcpu);
    printf("ratio: %.1fx (wall), %.1fx (CPU)\n", qt / ours, qcpu / ours_cpu);
    printf("max |rho_nmrc - rho_qutip| over every %dth output: %.2e\n", STRIDE, diff);
}

int main(int argc, char **argv)
{
    const char *path = NMRC_SOURCE_DIR "/bench/chain8.spin";
    int use_qutip = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-qutip"))
            use_qutip = 0;
        else
            path = argv[i];
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_model *m = load(path, ctx);
    if (!m || !m->has_evolve || m->evolve.n < 2)
        return 1;
    size_t d = nmrc_sim_dim(m->n_spins), nkeep = (m->evolve.n - 1) / STRIDE + 1;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *rho0 = nmrc_cmat_create(d, d);
    nmrc_cmat *keep = calloc(nkeep, sizeof *keep);
    nmrc_cplx *blk = calloc(nkeep * d * d, sizeof *blk);
    if (!H || !rho0 || !keep || !blk || nmrc_sim_hamiltonian(m, H, ctx) != NMRC_OK ||
        nmrc_sim_gibbs(H, m->temperature, rho0, ctx) != NMRC_OK) {
        fprintf(stderr, "bench_chain8: setup: %s\n", nmrc_ctx_errmsg(ctx));
        return 1;
    }
    for (size_t k = 0; k < nkeep; k++)
        keep[k] = nmrc_cmat_view(blk + k * d * d, d, d, d);
    printf("chain: %zu spins, %zu noise channels, T = %g, t = %g..%g\n", m->n_spins, m->n_noise,
           m->temperature, m->evolve.start, m->evolve.stop);
    double ours_cpu = 0, ours = evolve(m, rho0, keep, nkeep, &ours_cpu, ctx);
    if (ours < 0) {
        fprintf(stderr, "bench_chain8: %s\n", nmrc_ctx_errmsg(ctx));
        return 1;
    }
    if (use_qutip)
        run_qutip(ours, ours_cpu, keep, nkeep);
    free(blk);
    free(keep);
    nmrc_cmat_destroy(H), nmrc_cmat_destroy(rho0);
    nmrc_model_destroy(m);
    nmrc_ctx_destroy(ctx);
    return 0;
}
