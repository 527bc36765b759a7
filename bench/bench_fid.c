/*
** bench_fid.c: FID synthesis speed.  65,536-point FIDs of N = 2, 6 and 10
** J-coupled spins with T2 (weakly coupled: every spin its own nucleus),
** observed on all spins; prints time and points/s, then runs
** bench/fid_qutip.py (QuTiP Liouvillian propagator, time stepping) on the
** same system in the same run and prints its time, the ratio and max |diff|.
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"
#include "nmrc/nmr.h"
#include "nmrc/consts.h"

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

#define TD 65536
#define SW 20000.0

static const char *const iso[10] = {"1H", "13C", "15N", "19F", "31P",
                                    "2H", "29Si", "17O", "7Li", "23Na"};
static const double gam[10] = {267.5221877e6, 67.2828e6, -27.116e6, 251.815e6, 108.394e6,
                               41.065e6, -53.19e6, -36.28e6, 103.962e6, 70.808e6};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The benchmark system: offsets spread over +-4 kHz, T2 0.05..0.5 s, J
** between every pair 5..150 Hz (deterministic).  homo: every spin a proton
** (full J I.S: strong coupling, the zgeev route), offsets over +-40 Hz. */
static void make_system(size_t n, int homo, nmrc_nmr_system *sys)
{
    memset(sys, 0, sizeof *sys);
    sys->n_spins = n;
    for (size_t i = 0; i < n; i++) {
        snprintf(sys->spins[i].isotope, sizeof sys->spins[i].isotope, "%s", iso[homo ? 0 : i]);
        sys->spins[i].gamma = gam[homo ? 0 : i];
        sys->spins[i].offset_hz = (homo ? 40.0 : 4000.0) * sin(1.0 + 2.3 * (double)i);
        sys->spins[i].t2 = 0.05 + 0.45 * (double)i / 9.0;
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            nmrc_nmr_coupling *c = &sys->couplings[sys->n_couplings++];
            c->i = (int)i;
            c->j = (int)j;
            c->j_hz = (homo ? 1.0 : 5.0) + (homo ? 12.0 : 145.0) *
                      fabs(sin(3.7 * (double)(i + 1) * (double)(j + 2)));
        }
}

/* Thermal state after a 90_y on every spin: 2^{1-N} sum (gamma_i/gamma_H) X_i. */
static void thermal(const nmrc_nmr_system *sys, nmrc_cmat *rho)
{
    size_t n = sys->n_spins, d = rho->n1;
    for (size_t k = 0; k < d * d; k++)
        rho->data[k] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t bit = (size_t)1 << (n - 1 - i);
        double c = 2.0 / (double)d * sys->spins[i].gamma / gam[0];
        for (size_t a = 0; a < d; a++)
            if (!(a & bit)) {
                NMRC_CMAT_AT(rho, a, a | bit) = c;
                NMRC_CMAT_AT(rho, a | bit, a) = c;
            }
    }
}

static int write_inputs(const nmrc_nmr_system *sys, const nmrc_cplx *fid, const char *par,
                        const char *bin)
{
    FILE *fp = fopen(par, "w");
    if (!fp)
        return 1;
    fprintf(fp, "n %zu\ntd %d\nsw %.17g\n", sys->n_spins, TD, SW);
    for (size_t i = 0; i < sys->n_spins; i++)
        fprintf(fp, "spin %.17g %.17g %.17g %s\n", sys->spins[i].gamma / gam[0],
                sys->spins[i].offset_hz, sys->spins[i].t2, sys->spins[i].isotope);
    for (size_t c = 0; c < sys->n_couplings; c++)
        fprintf(fp, "couple %d %d %.17g\n", sys->couplings[c].i, sys->couplings[c].j,
                sys->couplings[c].j_hz);
    fclose(fp);
    fp = fopen(bin, "wb");
    if (!fp)
        return 1;
    size_t w = fwrite(fid, sizeof *fid, TD, fp);
    fclose(fp);
    return w != TD;
}

/* Runs the Python reference; returns its seconds per point (0 if absent). */
static double run_reference(size_t n, const char *par, const char *bin, double *diff,
                            long *points)
{
    char cmd[4096], line[512];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/bench/fid_qutip.py %s %s %s 2>&1",
             NMRC_SOURCE_DIR, par, bin, n >= 10 ? "2048" : "all");
    FILE *pp = popen(cmd, "r");
    double per_point = 0;
    *diff = NAN;
    *points = 0;
    if (!pp)
        return 0;
    while (fgets(line, sizeof line, pp)) {
        if (sscanf(line, "seconds_per_point %lf", &per_point) == 1 ||
            sscanf(line, "max_rel_diff %lf", diff) == 1 || sscanf(line, "points %ld", points) == 1)
            continue;
        printf("    reference: %s", line);
    }
    pclose(pp);
    return per_point;
}

static int bench(size_t n, int homo)
{
    nmrc_nmr_system sys;
    make_system(n, homo, &sys);
    size_t d = (size_t)1 << n;
    nmrc_cmat *h = nmrc_cmat_create(d, d), *rho = nmrc_cmat_create(d, d);
    nmrc_cplx *fid = malloc(TD * sizeof *fid);
    int species[10];
    double t2[10];
    for (size_t i = 0; i < n; i++) {
        species[i] = homo ? 0 : (int)i;
        t2[i] = sys.spins[i].t2;
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    NMRC_BENCH_OK(nmrc_nmr_hamiltonian(&sys, h));
    thermal(&sys, rho);
    nmrc_fid_system fs = {n, h, t2, species};
    nmrc_acq acq = {(1u << n) - 1, TD, SW, 0.0};
    nmrc_fid_plan *plan = NULL;
    double t0 = now();
    if (nmrc_fid_plan_create(&fs, &acq, ctx, &plan) != NMRC_OK) {
        fprintf(stderr, "bench_fid: %s\n", nmrc_ctx_errmsg(ctx));
        return 1;
    }
    double t_plan = now() - t0, t_exec = INFINITY;
    nmrc_fid_ws *ws = nmrc_fid_ws_create(plan);
    for (int rep = 0; rep < 3; rep++) {
        t0 = now();
        NMRC_BENCH_OK(nmrc_fid_execute(plan, ws, rho, fid));
        t_exec = fmin(t_exec, now() - t0);
    }
    printf("N = %2zu%s: %zu transitions (%s), plan %.4f s, FID of %d points %.4f s = %.3g points/s\n",
           n, homo ? " protons, strongly coupled" : "", nmrc_fid_plan_transitions(plan), nmrc_fid_plan_exact(plan) ? "exact" : "secular",
           t_plan, TD, t_exec, TD / t_exec);
    char par[256], bin[256];
    snprintf(par, sizeof par, "/tmp/nmrc_bench_fid_%zu_%ld.txt", n, (long)getpid());
    snprintf(bin, sizeof bin, "/tmp/nmrc_bench_fid_%zu_%ld.bin", n, (long)getpid());
    double diff;
    long points;
    double per = write_inputs(&sys, fid, par, bin) ? 0 : run_reference(n, par, bin, &diff, &points);
    if (per > 0) {
        double t_ref = per * TD, t_ours = t_plan + t_exec;
        printf("        QuTiP reference: %.3g s for %d points%s; nmrc (plan + FID) is %.1fx "
               "faster; max |diff| / max |FID| = %.2e over %ld points\n",
               t_ref, TD, points < TD ? " (extrapolated from the points run)" : "",
               t_ref / t_ours, diff, points);
    } else
        printf("        QuTiP reference not available (needs /usr/bin/python3 with qutip)\n");
    remove(par);
    remove(bin);
    nmrc_fid_ws_destroy(ws);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(h);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
    free(fid);
    return 0;
}

int main(int argc, char **argv)
{
    size_t ns[] = {2, 6, 10};
    int bad = 0;
    printf("nmrc FID benchmark: %d points, SW %g Hz, J network on every pair, T2 on every "
           "spin, all spins observed\n", TD, SW);
    for (size_t k = 0; k < 3; k++)
        if (argc < 2 || (size_t)atoi(argv[1]) == ns[k])
            bad |= bench(ns[k], 0);
    /* Strong coupling with T2: the exact Liouvillian (zgeev) route against
    ** QuTiP's general expm(L dt) propagator. */
    if (argc < 2 || !strcmp(argv[1], "strong"))
        bad |= bench(4, 1);
    return bad;
}
