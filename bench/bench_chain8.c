/*
** bench_chain8.c: the Lindblad benchmark of the issue: bench/chain8.spin
** (N = 8 chain with dipolar, DM, KSEA couplings, Zeeman field and Pauli-X
** dephasing on every spin; Gibbs state at T = 1; 201 output times over
** t = 0..10) evolved with nmrc's Lindblad plan (defaults, plan included in
** the time) twice into the same output buffers: the first run is cold (its
** output pages are touched for the first time), the second warm.  Both are
** checked against a tight reference (TAYLOR at rtol 1e-13, cross-checked
** with CHEBYSHEV at 1e-13), then QuTiP's mesolve runs twice likewise
** (bench/chain8_qutip.py, rtol 1e-8, atol 1e-10) when installed, and its
** states are checked against the same reference.  Prints wall and CPU
** (user + system, all threads) times, the ratios and max |rho - reference|.
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

/* A library call that must succeed here: on failure the program stops with
** the status (a benchmark or generator has nothing sensible to go on with). */
#define NMRC_BENCH_OK(call)                                                        \
    do {                                                                           \
        nmrc_status st_ = (call);                                                  \
        if (st_ != NMRC_OK) {                                                      \
            fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, nmrc_strerror(st_)); \
            exit(1);                                                               \
        }                                                                          \
    } while (0)

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

typedef struct timing {
    double wall[2], cpu[2];   /* cold, warm */
} timing;

/* The output times of the spec's evolve range. */
static double *output_times(const nmrc_model *m)
{
    size_t n = m->evolve.n;
    double *t = malloc(n * sizeof *t);
    for (size_t k = 0; t && k < n; k++)
        t[k] = m->evolve.start + (m->evolve.stop - m->evolve.start) * (double)k / (double)(n - 1);
    return t;
}

/* Plans (opts NULL: defaults) and evolves rho0 through the n output times
** into out[], timed (wall, CPU) into *wall, *cpu.  Returns the status. */
static nmrc_status run_once(const nmrc_model *m, const nmrc_lindblad_opts *opts,
                            const nmrc_cmat *rho0, const double *t, nmrc_cmat *out,
                            double *wall, double *cpu, nmrc_ctx *ctx)
{
    nmrc_lindblad_plan *plan = NULL;
    nmrc_lindblad_ws *ws = NULL;
    double t0 = now(), c0 = cpu_now();
    nmrc_status st = nmrc_lindblad_plan_from_model(m, opts, ctx, &plan);
    if (st == NMRC_OK)
        st = (ws = nmrc_lindblad_ws_create(plan)) ? NMRC_OK : NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_lindblad_execute(plan, ws, rho0, t, m->evolve.n, ctx, out);
    *wall = now() - t0;
    *cpu = cpu_now() - c0;
    nmrc_lindblad_ws_destroy(ws);
    nmrc_lindblad_plan_destroy(plan);
    return st;
}

/* max |a[k] - b[k]| over n states. */
static double max_diff(const nmrc_cmat *a, const nmrc_cmat *b, size_t n)
{
    double mx = 0;
    for (size_t k = 0; k < n; k++) {
        double e = nmrc_cmat_max_diff(&a[k], &b[k]);
        mx = e > mx ? e : mx;
    }
    return mx;
}

/* n views of d x d states in one zeroed block (*blk, caller frees both). */
static nmrc_cmat *states(size_t n, size_t d, nmrc_cplx **blk)
{
    nmrc_cmat *v = calloc(n, sizeof *v);
    *blk = calloc(n * d * d, sizeof **blk);
    if (!v || !*blk) {
        free(v);
        return NULL;
    }
    for (size_t k = 0; k < n; k++)
        v[k] = nmrc_cmat_view(*blk + k * d * d, d, d, d);
    return v;
}

/* Times the default plan cold and warm (same buffers), checks both against
** the reference and keeps the reference's every STRIDE-th state in keep[]
** (for QuTiP's check).  Returns 0, or -1 with the error in ctx. */
static int evolve(const nmrc_model *m, const nmrc_cmat *rho0, nmrc_cmat *keep, size_t nkeep,
                  timing *tm, nmrc_ctx *ctx)
{
    size_t d = rho0->n1, n = m->evolve.n;
    nmrc_cplx *b1 = NULL, *b2 = NULL, *b3 = NULL;
    nmrc_cmat *all = states(n, d, &b1), *ref = states(n, d, &b2), *ref2 = states(n, d, &b3);
    double *t = output_times(m), w, c, err[2] = {0, 0};
    nmrc_lindblad_opts o;
    int rc = -1;

    if (!all || !ref || !ref2 || !t)
        goto out;
    /* BLAS worker threads of the setup's eigensolver spin for a while after
    ** it returns: let them go idle so that the timing is nmrc's alone. */
    nanosleep(&(struct timespec){0, 500000000L}, NULL);
    for (int r = 0; r < 2; r++) {
        if (run_once(m, NULL, rho0, t, all, &tm->wall[r], &tm->cpu[r], ctx) != NMRC_OK)
            goto out;
        if (r == 0)
            NMRC_BENCH_OK(nmrc_cmat_copy(&ref2[0], &all[n - 1])); /* cold and warm must agree */
        else
            err[1] = nmrc_cmat_max_diff(&ref2[0], &all[n - 1]);
    }
    nmrc_lindblad_opts_default(&o);
    o.rtol = 1e-13;
    o.method = NMRC_LINDBLAD_TAYLOR;
    if (run_once(m, &o, rho0, t, ref, &w, &c, ctx) != NMRC_OK)
        goto out;
    o.method = NMRC_LINDBLAD_CHEBYSHEV;
    if (run_once(m, &o, rho0, t, ref2, &w, &c, ctx) != NMRC_OK)
        goto out;
    err[0] = max_diff(all, ref, n);
    printf("nmrc : cold %.3f s wall, %.3f s CPU; warm %.3f s wall, %.3f s CPU (Taylor, rtol "
           "1e-8, %zu output times, dim %zu, plan included)\n", tm->wall[0], tm->cpu[0],
           tm->wall[1], tm->cpu[1], n, d);
    printf("nmrc : max |rho - reference| over all outputs %.2e (cold vs warm %.1e; reference "
           "TAYLOR vs CHEBYSHEV at rtol 1e-13: %.1e)\n", err[0], err[1], max_diff(ref, ref2, n));
    for (size_t k = 0; k < nkeep && k * STRIDE < n; k++)
        NMRC_BENCH_OK(nmrc_cmat_copy(&keep[k], &ref[k * STRIDE]));
    rc = 0;
out:
    free(all);
    free(ref);
    free(ref2);
    free(b1);
    free(b2);
    free(b3);
    free(t);
    return rc;
}

static void run_qutip(const timing *ours, const nmrc_cmat *keep, size_t nkeep)
{
    char path[] = "/tmp/nmrc_chain8_XXXXXX", cmd[512], line[256];
    int fd = mkstemp(path);
    FILE *fp = fd >= 0 ? fdopen(fd, "wb") : NULL;
    timing q = {{-1, -1}, {-1, -1}};
    double diff = -1;
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
    while (pp && fgets(line, sizeof line, pp))
        sscanf(line, "qutip %lf %lf %lf %lf %lf", &q.wall[0], &q.cpu[0], &q.wall[1], &q.cpu[1],
               &diff);
    if (pp)
        pclose(pp);
    unlink(path);
    if (q.wall[1] < 0) {
        printf("qutip: not available (/usr/bin/python3 with qutip)\n");
        return;
    }
    printf("qutip: cold %.3f s wall, %.3f s CPU; warm %.3f s wall, %.3f s CPU (mesolve, rtol "
           "1e-8, atol 1e-10)\n", q.wall[0], q.cpu[0], q.wall[1], q.cpu[1]);
    printf("qutip: max |rho - reference| over every %dth output %.2e\n", STRIDE, diff);
    printf("ratio: cold %.1fx wall, %.1fx CPU; warm %.1fx wall, %.1fx CPU\n",
           q.wall[0] / ours->wall[0], q.cpu[0] / ours->cpu[0], q.wall[1] / ours->wall[1],
           q.cpu[1] / ours->cpu[1]);
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
    if (!H || !rho0 || !keep || !blk || nmrc_sim_hamiltonian(m, ctx, H) != NMRC_OK ||
        nmrc_sim_gibbs(H, m->temperature, ctx, rho0) != NMRC_OK) {
        fprintf(stderr, "bench_chain8: setup: %s\n", nmrc_ctx_errmsg(ctx));
        return 1;
    }
    for (size_t k = 0; k < nkeep; k++)
        keep[k] = nmrc_cmat_view(blk + k * d * d, d, d, d);
    printf("chain: %zu spins, %zu noise channels, T = %g, t = %g..%g\n", m->n_spins, m->n_noise,
           m->temperature, m->evolve.start, m->evolve.stop);
    timing ours;
    if (evolve(m, rho0, keep, nkeep, &ours, ctx) != 0) {
        fprintf(stderr, "bench_chain8: %s\n", nmrc_ctx_errmsg(ctx));
        return 1;
    }
    if (use_qutip)
        run_qutip(&ours, keep, nkeep);
    free(blk);
    free(keep);
    nmrc_cmat_destroy(H), nmrc_cmat_destroy(rho0);
    nmrc_model_destroy(m);
    nmrc_ctx_destroy(ctx);
    return 0;
}
