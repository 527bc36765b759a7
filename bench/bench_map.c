/*
** bench_map.c: the Fig. 11 battery map (Delta = -1, eps = 0.5, T = 1, B = 0,
** D and G over -10..10 on a 201 x 201 grid, 1001 charging times over
** wt = 0..pi) through nmrc_map_execute, timed end to end (Hamiltonians,
** eigensystems, coefficients, time loops).  Runs bench/map_numpy.py on a
** slice of the same map when numpy is installed, compares the results and
** prints both rates and their ratio.  Usage: bench_map [--no-numpy] [NGRID]
*/
#define _DEFAULT_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "nmrc/battery.h"

#define AT(m, i, j) ((m)[(i) + 4 * (j)])

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The paper's Eq. 12 in Pauli units (docs/physics.md): X-shaped 4x4. */
static void paper_h(double B, double D, double G, double Dl, double eps, nmrc_cplx *H)
{
    double txx = -Dl / 3 + eps, tyy = -Dl / 3 - eps, tzz = 2 * Dl / 3;
    double txy = D + G, tyx = G - D;
    memset(H, 0, 16 * sizeof *H);
    AT(H, 0, 0) = tzz + 2 * B;
    AT(H, 3, 3) = tzz - 2 * B;
    AT(H, 1, 1) = AT(H, 2, 2) = -tzz;
    /* <00|.|11> = txx - tyy - i(txy + tyx); <01|.|10> = txx + tyy + i(txy - tyx) */
    AT(H, 0, 3) = txx - tyy - I * (txy + tyx);
    AT(H, 3, 0) = conj(AT(H, 0, 3));
    AT(H, 1, 2) = txx + tyy + I * (txy - tyx);
    AT(H, 2, 1) = conj(AT(H, 1, 2));
}

static double grid_val(int k, int n) { return n < 2 ? -10.0 : -10.0 + 20.0 * k / (n - 1); }

/* Runs the numpy reference on rows [0, rows) and reads its rate and sums. */
static int run_numpy(int n, int rows, double *rate, double *s1, double *s2)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 %s/bench/map_numpy.py "
             "%d %d 2>/dev/null", NMRC_SOURCE_DIR, n, rows);
    FILE *fp = popen(cmd, "r");
    if (!fp)
        return 1;
    char line[256];
    int got = 0;
    while (fgets(line, sizeof line, fp))
        if (sscanf(line, "numpy %lf %lf %lf", rate, s1, s2) == 3)
            got = 1;
    return (pclose(fp) != 0) || !got;
}

int main(int argc, char **argv)
{
    int n = 201, use_numpy = 1, nt = 1001;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-numpy"))
            use_numpy = 0;
        else
            n = atoi(argv[i]);
    }
    if (n < 2 || n > 4001) {
        fprintf(stderr, "usage: bench_map [--no-numpy] [NGRID]\n");
        return 2;
    }
    size_t np = (size_t)n * (size_t)n;
    nmrc_charge_point *pts = malloc(np * sizeof *pts);
    nmrc_charge_max *out = malloc(np * sizeof *out);
    nmrc_grid g = {0, NMRC_PI, (size_t)nt, {0, 0, 0, 0}};
    nmrc_map_plan *plan;
    nmrc_map_ws *ws;
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (!pts || !out || nmrc_map_plan_create(&g, 1.0, ctx, &plan) != NMRC_OK ||
        !(ws = nmrc_map_ws_create(plan))) {
        fprintf(stderr, "bench_map: setup failed\n");
        return 1;
    }
    double best = INFINITY;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                nmrc_charge_point *p = &pts[(size_t)i * n + j];
                paper_h(0.0, grid_val(i, n), grid_val(j, n), -1.0, 0.5, p->H);
                p->temperature = 1.0;
                p->strength = 1.0;
                p->phase = 0.0;
            }
        if (nmrc_map_execute(plan, ws, pts, np, NULL, NULL, ctx, out) != NMRC_OK) {
            fprintf(stderr, "bench_map: %s\n", nmrc_ctx_errmsg(ctx));
            return 1;
        }
        double dt = now() - t0;
        best = dt < best ? dt : best;
    }
    double evals = (double)np * nt, rate = evals / best;
    double emax = -INFINITY, pmin = INFINITY, qmax = -INFINITY, cmin = INFINITY, cmax = -INFINITY;
    for (size_t k = 0; k < np; k++) {
        emax = fmax(emax, out[k].ergotropy_max);
        pmin = fmin(pmin, out[k].antiergotropy_min);
        qmax = fmax(qmax, out[k].capacity);
        cmin = fmin(cmin, out[k].coherence_max);
        cmax = fmax(cmax, out[k].coherence_max);
    }
    printf("map %dx%d x %d times (Fig. 11: Delta=-1 eps=0.5 T=1 B=0, D,G in [-10,10])\n", n, n,
           nt);
    printf("nmrc : %.3f s (best of 3), %.3g state evaluations/s\n", best, rate);
    printf("       ergotropy_max <= %.4f, antiergotropy_min >= %.4f, capacity <= %.4f, "
           "coherence_max in [%.4f, %.4f]\n", emax, pmin, qmax, cmin, cmax);
    if (use_numpy) {
        int rows = 8;
        double nrate, s1, s2, m1 = 0, m2 = 0;
        if (run_numpy(n, rows, &nrate, &s1, &s2) != 0) {
            printf("numpy: not available (/usr/bin/python3 with numpy)\n");
        } else {
            for (size_t k = 0; k < (size_t)rows * n; k++) {
                m1 += out[k].ergotropy_max;
                m2 += out[k].coherence_max;
            }
            printf("numpy: %.3g state evaluations/s (%d rows of the same map)\n", nrate, rows);
            printf("ratio: %.0fx\n", rate / nrate);
            printf("check: sum ergotropy_max %.12g (nmrc) vs %.12g (numpy), "
                   "sum coherence_max %.12g vs %.12g\n", m1, s1, m2, s2);
        }
    }
    nmrc_map_ws_destroy(ws);
    nmrc_map_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    free(pts);
    free(out);
    return 0;
}
