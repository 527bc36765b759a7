/*
** test_charge.c: the fast two-spin charging kernel (sim/charge.c) and maps
** (sim/charge_map.c) against brute force (dense 4x4 matrix exponentials per
** time, spectra from zheev), an analytic Zeeman battery, the paper's Fig. 6
** numbers and the invariants (capacity = ergotropy - anti-ergotropy, signs).
*/
#define _DEFAULT_SOURCE
#include <lapacke.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/battery.h"
#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc_test.h"

#define AT(m, i, j) ((m)[(i) + 4 * (j)])

static const nmrc_cplx PX[4] = {0, 1, 1, 0};
static const nmrc_cplx PY[4] = {0, I, -I, 0}; /* column-major: Y = [[0,-i],[i,0]] */
static const nmrc_cplx PZ[4] = {1, 0, 0, -1};
static const nmrc_cplx P1[4] = {1, 0, 0, 1};

/* out += f * (a (x) b), a and b 2x2 column-major. */
static void add_kron(nmrc_cplx *out, nmrc_cplx f, const nmrc_cplx *a, const nmrc_cplx *b)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            AT(out, i, j) += f * a[(i >> 1) + 2 * (j >> 1)] * b[(i & 1) + 2 * (j & 1)];
}

/* The paper's Eq. 12 in Pauli units (physics-notes Sec. 1). */
static void paper_h(double B, double D, double G, double Dl, double eps, nmrc_cplx *H)
{
    const nmrc_cplx *P[3] = {PX, PY, PZ};
    double T[9] = {-Dl / 3 + eps, D + G, 0, G - D, -Dl / 3 - eps, 0, 0, 0, 2 * Dl / 3};
    memset(H, 0, 16 * sizeof *H);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            add_kron(H, T[3 * a + b], P[a], P[b]);
    add_kron(H, B, PZ, P1);
    add_kron(H, B, P1, PZ);
}

static double urand(void) { return 2.0 * rand() / (double)RAND_MAX - 1.0; }

static void random_h(nmrc_cplx *H)
{
    for (int i = 0; i < 4; i++)
        for (int j = 0; j <= i; j++) {
            nmrc_cplx z = 2 * urand() + (i == j ? 0 : 2 * I * urand());
            AT(H, i, j) = z;
            AT(H, j, i) = conj(z);
        }
}

/* Brute force: rho(t) = U zeta U^+ with U and zeta from nmrc_expm. */
static void brute_state(const nmrc_cplx *H, double T, double w, double a, double t, nmrc_cplx *rho)
{
    nmrc_expm_ws *ws = nmrc_expm_ws_create(4);
    nmrc_cmat *A = nmrc_cmat_create(4, 4), *Z = nmrc_cmat_create(4, 4),
              *U = nmrc_cmat_create(4, 4), *tmp = nmrc_cmat_create(4, 4),
              *R = nmrc_cmat_create(4, 4);
    for (int k = 0; k < 16; k++)
        A->data[k] = -H[k] / T;
    assert_int_equal(nmrc_expm(Z, A, ws), NMRC_OK);
    nmrc_cmat_scale(Z, 1.0 / creal(nmrc_cmat_trace(Z)));
    nmrc_cplx N[4] = {0, cos(a) + I * sin(a), cos(a) - I * sin(a), 0};
    nmrc_cmat_zero(A);
    add_kron(A->data, -I * w * t, N, P1);
    add_kron(A->data, -I * w * t, P1, N);
    assert_int_equal(nmrc_expm(U, A, ws), NMRC_OK);
    assert_int_equal(nmrc_cmat_similarity(R, U, Z, tmp), NMRC_OK);
    memcpy(rho, R->data, 16 * sizeof *rho);
    nmrc_cmat_destroy(A), nmrc_cmat_destroy(Z), nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(tmp), nmrc_cmat_destroy(R);
    nmrc_expm_ws_destroy(ws);
}

/* Eigen-decomposition by plain zheev (independent of the kernel's path). */
static void eig4(const nmrc_cplx *M, double *e, nmrc_cplx *V)
{
    memcpy(V, M, 16 * sizeof *V);
    assert_int_equal(LAPACKE_zheev(LAPACK_COL_MAJOR, 'V', 'L', 4, V, 4, e), 0);
}

/* Brute-force battery figures of rho for H (no use of passivity of Gibbs). */
static void brute_figs(const nmrc_cplx *H, const nmrc_cplx *rho, double f[4])
{
    double E[4], lam[4];
    nmrc_cplx V[16], W[16];
    eig4(H, E, V);
    eig4(rho, lam, W); /* ascending */
    double en = 0, ep = 0, ea = 0, coh = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            en += creal(AT(rho, i, j) * AT(H, j, i));
    for (int k = 0; k < 4; k++) {
        ep += lam[3 - k] * E[k];
        ea += lam[k] * E[k];
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            if (i == j)
                continue;
            nmrc_cplx s = 0;
            for (int k = 0; k < 4; k++)
                for (int l = 0; l < 4; l++)
                    s += conj(AT(V, k, i)) * AT(rho, k, l) * AT(V, l, j);
            coh += cabs(s);
        }
    f[0] = en, f[1] = en - ep, f[2] = en - ea, f[3] = coh;
}

static void check_point(const nmrc_cplx *H, double T, double w, double a, double tmax)
{
    nmrc_charge_coef c;
    nmrc_charge_table *tab;
    nmrc_grid g = {0, tmax, 41, {0, 0, 0, 0}};
    assert_int_equal(nmrc_charge_prepare(H, T, w, a, NULL, &c), NMRC_OK);
    assert_int_equal(nmrc_charge_table_create(&g, w, NULL, &tab), NMRC_OK);
    double en[41], er[41], an[41], co[41];
    nmrc_charge_curve(tab, &c, en, er, an, co);
    for (size_t k = 0; k < 41; k++) {
        nmrc_cplx rho[16], rk[16];
        double f[4], t = nmrc_charge_table_time(tab, k);
        brute_state(H, T, w, a, t, rho);
        brute_figs(H, rho, f);
        assert_close(en[k], f[0], 1e-12, 1e-12);
        assert_close(er[k], f[1], 1e-12, 1e-12);
        assert_close(an[k], f[2], 1e-12, 1e-12);
        assert_close(co[k], f[3], 1e-12, 1e-12);
        assert_close(er[k] - an[k], c.capacity, 1e-12, 1e-12);
        assert_true(er[k] >= -1e-12 && an[k] <= 1e-12);
        nmrc_charge_state(&c, t, rk);
        for (int q = 0; q < 16; q++)
            assert_close(rk[q], rho[q], 1e-12, 1e-12);
    }
    nmrc_charge_table_destroy(tab);
}

static void test_random_vs_brute(void **state)
{
    (void)state;
    srand(12345);
    for (int r = 0; r < 12; r++) {
        nmrc_cplx H[16];
        random_h(H);
        check_point(H, 0.3 + 2.0 * (urand() + 1), 0.5 + urand() * 0.4, 3 * urand(), 3.0);
    }
}

static void test_paper_vs_brute(void **state)
{
    (void)state;
    nmrc_cplx H[16];
    paper_h(0.7, 0.4, -0.3, 1.2, 0.5, H);
    check_point(H, 0.8, 1.0, 0.0, NMRC_PI);
    paper_h(2.0, 0.0, 0.0, 1.0, 0.1, H);
    check_point(H, 0.5, 1.0, 0.0, NMRC_PI);
}

/* H = B (Z1 + Z2): independent spins.  E(t) = -2B tanh(B/T) cos(2wt),
** capacity = max ergotropy = 4B tanh(B/T) at wt = pi/2, coherence
** (computational = canonical energy basis) 4c + 4c^2, c = tanh|sin 2wt|/2. */
static void test_zeeman_analytic(void **state)
{
    (void)state;
    double B = 0.8, T = 0.6, w = 1.3, th = tanh(B / T);
    nmrc_cplx H[16] = {0};
    add_kron(H, B, PZ, P1);
    add_kron(H, B, P1, PZ);
    nmrc_charge_coef c;
    assert_int_equal(nmrc_charge_prepare(H, T, w, 0.0, NULL, &c), NMRC_OK);
    assert_close(c.capacity, 4 * B * th, 1e-13, 0);
    nmrc_grid g = {0, NMRC_PI / w, 201, {0, 0, 0, 0}};
    nmrc_charge_table *tab;
    assert_int_equal(nmrc_charge_table_create(&g, w, NULL, &tab), NMRC_OK);
    double en[201], er[201], co[201];
    nmrc_charge_curve(tab, &c, en, er, NULL, co);
    for (size_t k = 0; k < 201; k++) {
        double t = nmrc_charge_table_time(tab, k), cc = th * fabs(sin(2 * w * t)) / 2;
        assert_close(en[k], -2 * B * th * cos(2 * w * t), 1e-12, 1e-13);
        assert_close(er[k], 2 * B * th * (1 - cos(2 * w * t)), 1e-12, 1e-13);
        assert_close(co[k], 4 * cc + 4 * cc * cc, 1e-12, 1e-13);
    }
    double work[201];
    nmrc_charge_max mx;
    nmrc_charge_extrema(tab, work, &c, &mx);
    assert_close(mx.ergotropy_max, 4 * B * th, 1e-12, 0);
    assert_close(mx.t_ergotropy_max, NMRC_PI / (2 * w), 1e-12, 0);
    assert_close(mx.antiergotropy_min, -4 * B * th, 1e-12, 0);
    assert_close(mx.coherence_max, 2 * th + th * th, 1e-12, 0);
    nmrc_charge_table_destroy(tab);
}

/* The paper's Fig. 6 (Delta = 1, eps = 0.1, T = 0.5, D = G = 0): B = 0 gives
** xi_max ~ 2 at wt = pi/4; B = 2 gives a larger maximum at wt = pi/2. */
static void test_paper_fig6(void **state)
{
    (void)state;
    nmrc_grid g = {0, NMRC_PI, 1001, {0, 0, 0, 0}};
    nmrc_charge_table *tab;
    assert_int_equal(nmrc_charge_table_create(&g, 1.0, NULL, &tab), NMRC_OK);
    double work[1001];
    nmrc_charge_coef c;
    nmrc_charge_max m0, m2;
    nmrc_cplx H[16];
    paper_h(0.0, 0, 0, 1.0, 0.1, H);
    assert_int_equal(nmrc_charge_prepare(H, 0.5, 1.0, 0.0, NULL, &c), NMRC_OK);
    nmrc_charge_extrema(tab, work, &c, &m0);
    paper_h(2.0, 0, 0, 1.0, 0.1, H);
    assert_int_equal(nmrc_charge_prepare(H, 0.5, 1.0, 0.0, NULL, &c), NMRC_OK);
    nmrc_charge_extrema(tab, work, &c, &m2);
    assert_close(m0.t_ergotropy_max, NMRC_PI / 4, 0, 2e-3);
    assert_close(m2.t_ergotropy_max, NMRC_PI / 2, 0, 2e-3);
    assert_true(m0.ergotropy_max > 1.5 && m0.ergotropy_max < 2.5);
    assert_true(m2.ergotropy_max > 3 * m0.ergotropy_max);
    nmrc_charge_table_destroy(tab);
}

/* T = 0 with a degenerate ground space {|00>, |11>} (H = -Z1 Z2): equal
** populations; trace of rho(t) stays 1 (harmonic diagonals sum to 1, 0). */
static void test_zero_temperature(void **state)
{
    (void)state;
    nmrc_cplx H[16] = {0};
    add_kron(H, -1.0, PZ, PZ);
    nmrc_charge_coef c;
    assert_int_equal(nmrc_charge_prepare(H, 0.0, 1.0, 0.3, NULL, &c), NMRC_OK);
    assert_close(c.pop[0], 0.5, 1e-15, 0);
    assert_close(c.pop[1], 0.5, 1e-15, 0);
    assert_close(c.pop[2], 0.0, 0, 1e-300);
    for (int h = 0; h < NMRC_CHARGE_NHARM; h++) {
        double s = 0;
        for (int i = 0; i < 4; i++)
            s += c.diag[h][i];
        assert_close(s, h == 0 ? 1.0 : 0.0, 1e-14, 1e-14);
    }
    /* Large beta does not overflow. */
    paper_h(0.3, 5, 5, 9, 3, H);
    assert_int_equal(nmrc_charge_prepare(H, 1e-3, 1.0, 0.0, NULL, &c), NMRC_OK);
    assert_close(c.pop[0], 1.0, 1e-15, 0);
}

static void test_bad_input(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx H[16] = {0};
    nmrc_charge_coef c;
    add_kron(H, 1.0, PZ, P1);
    assert_int_equal(nmrc_charge_prepare(H, -1.0, 1, 0, ctx, &c), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "temperature"));
    assert_int_equal(nmrc_charge_prepare(H, NAN, 1, 0, ctx, &c), NMRC_EINVAL);
    assert_int_equal(nmrc_charge_prepare(H, 1, NAN, 0, ctx, &c), NMRC_EINVAL);
    H[4] = 1.0; /* (0,1) without its conjugate partner */
    assert_int_equal(nmrc_charge_prepare(H, 1, 1, 0, ctx, &c), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "Hermitian"));
    nmrc_grid g = {0, 1, 0, {0, 0, 0, 0}};
    nmrc_charge_table *tab = (void *)&g;
    assert_int_equal(nmrc_charge_table_create(&g, 1.0, ctx, &tab), NMRC_EINVAL);
    assert_null(tab);
    nmrc_ctx_destroy(ctx);
}

static void count_progress(size_t done, size_t total, void *user)
{
    size_t *last = user;
    assert_true(done <= total);
    last[0] = done, last[1] = total;
}

/* A map equals the per-point extrema; points with another w use their own
** table; a bad point is reported by index and the others still filled. */
static void test_map(void **state)
{
    (void)state;
    enum { NP = 300 };
    nmrc_grid g = {0, 2.0, 257, {0, 0, 0, 0}};
    nmrc_charge_point *pts = calloc(NP, sizeof *pts);
    nmrc_charge_max out[NP];
    for (int k = 0; k < NP; k++) {
        paper_h(0.1 * (k % 7), urand(), urand(), 1 + urand(), 0.5, pts[k].H);
        pts[k].temperature = 0.5 + 0.01 * k;
        pts[k].strength = (k % 5 == 0) ? 0.7 : 1.0;
        pts[k].phase = 0.1 * (k % 3);
    }
    nmrc_map_plan *plan;
    nmrc_map_ws *ws;
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_map_plan_create(&g, 1.0, ctx, &plan), NMRC_OK);
    assert_non_null(ws = nmrc_map_ws_create(plan));
    size_t last[2] = {0, 0};
    assert_int_equal(nmrc_map_execute(plan, ws, pts, NP, count_progress, last, ctx, out), NMRC_OK);
    assert_int_equal(last[0], NP);
    assert_int_equal(last[1], NP);
    double work[257];
    for (int k = 0; k < NP; k++) {
        nmrc_charge_coef c;
        nmrc_charge_table *tab;
        nmrc_charge_max m;
        assert_int_equal(nmrc_charge_prepare(pts[k].H, pts[k].temperature, pts[k].strength,
                                             pts[k].phase, NULL, &c), NMRC_OK);
        assert_int_equal(nmrc_charge_table_create(&g, pts[k].strength, NULL, &tab), NMRC_OK);
        nmrc_charge_extrema(tab, work, &c, &m);
        assert_int_equal(nmrc_charge_curve_check(tab, &c, NULL), NMRC_OK);
        assert_close(out[k].ergotropy_max, m.ergotropy_max, 1e-14, 1e-14);
        assert_close(out[k].t_ergotropy_max, m.t_ergotropy_max, 0, 0);
        assert_close(out[k].antiergotropy_min, m.antiergotropy_min, 1e-14, 1e-14);
        assert_close(out[k].capacity, m.capacity, 1e-14, 1e-14);
        assert_close(out[k].coherence_max, m.coherence_max, 1e-14, 1e-14);
        nmrc_charge_table_destroy(tab);
    }
    {
        nmrc_charge_coef c;
        nmrc_charge_table *t07;
        assert_int_equal(nmrc_charge_prepare(pts[1].H, 1.0, 1.0, 0.0, NULL, &c), NMRC_OK);
        assert_int_equal(nmrc_charge_table_create(&g, 0.7, NULL, &t07), NMRC_OK);
        assert_int_equal(nmrc_charge_curve_check(t07, &c, ctx), NMRC_EINVAL);
        nmrc_charge_table_destroy(t07);
    }
    pts[123].temperature = -2;
    assert_int_equal(nmrc_map_execute(plan, ws, pts, NP, NULL, NULL, ctx, out), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "point 123"));
    assert_true(isnan(out[123].ergotropy_max) && isfinite(out[124].ergotropy_max));
    /* Two failing points, in different chunks of the parallel loop: the
    ** first one is reported, whichever thread saw it. */
    pts[250].temperature = -3;
    assert_int_equal(nmrc_map_execute(plan, ws, pts, NP, NULL, NULL, ctx, out), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "point 123:"));
    pts[123].temperature = 1;
    assert_int_equal(nmrc_map_execute(plan, ws, pts, NP, NULL, NULL, ctx, out), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "point 250:"));
    /* A workspace made for a plan with another time grid is refused. */
    {
        nmrc_grid g2 = {0, 1.0, 100, {0, 0, 0, 0}};
        nmrc_map_plan *p2;
        assert_int_equal(nmrc_map_plan_create(&g2, 1.0, ctx, &p2), NMRC_OK);
        assert_int_equal(nmrc_map_execute(p2, ws, pts, NP, NULL, NULL, ctx, out), NMRC_EINVAL);
        assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "workspace made for a 257-point"));
        nmrc_map_plan_destroy(p2);
    }
    nmrc_map_ws_destroy(ws);
    nmrc_map_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    free(pts);
}

/* Degenerate Hamiltonians (XX: two 2-fold levels; Heisenberg: a triplet;
** B(Z1 + Z2): a 2-fold middle level; a randomly rotated 2-fold ground
** level, where LAPACK's basis is arbitrary): the kernel's canonical energy basis
** gives the same figures as nmrc_metrics_battery with LAPACK's basis. */
static void test_degenerate_matches_metrics(void **state)
{
    (void)state;
    nmrc_cplx Hs[4][16] = {{0}}, R[16], U[16];
    double ev[4], lev[4] = {-1.0, -1.0, 0.5, 2.0};
    srand(777);
    random_h(R);
    eig4(R, ev, U); /* a random unitary U; Hs[3] = U diag(lev) U^+ */
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            for (int k = 0; k < 4; k++)
                AT(Hs[3], i, j) += AT(U, i, k) * lev[k] * conj(AT(U, j, k));
    add_kron(Hs[0], 1.0, PX, PX);
    add_kron(Hs[1], 1.0, PX, PX);
    add_kron(Hs[1], 1.0, PY, PY);
    add_kron(Hs[1], 1.0, PZ, PZ);
    add_kron(Hs[2], 0.7, PZ, P1);
    add_kron(Hs[2], 0.7, P1, PZ);
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = nmrc_cmat_create(4, 4), *V = nmrc_cmat_create(4, 4);
    for (int h = 0; h < 4; h++) {
        nmrc_charge_coef c;
        double E[4], phase = 0.4 * h;
        assert_int_equal(nmrc_charge_prepare(Hs[h], 0.9, 1.0, phase, NULL, &c), NMRC_OK);
        eig4(Hs[h], E, V->data);
        nmrc_grid g = {0, NMRC_PI, 23, {0, 0, 0, 0}};
        nmrc_charge_table *tab;
        assert_int_equal(nmrc_charge_table_create(&g, 1.0, NULL, &tab), NMRC_OK);
        double en[23], er[23], an[23], co[23];
        nmrc_charge_curve(tab, &c, en, er, an, co);
        for (size_t k = 0; k < 23; k++) {
            nmrc_battery_figs f;
            nmrc_charge_state(&c, nmrc_charge_table_time(tab, k), rho->data);
            assert_int_equal(nmrc_metrics_battery(ws, rho, E, V, &f), NMRC_OK);
            assert_close(co[k], f.coherence, 1e-10, 1e-12);
            assert_close(er[k], f.ergotropy, 1e-10, 1e-12);
            assert_close(an[k], f.antiergotropy, 1e-10, 1e-12);
            assert_close(c.capacity, f.capacity, 1e-10, 1e-12);
        }
        nmrc_charge_table_destroy(tab);
    }
    nmrc_cmat_destroy(rho), nmrc_cmat_destroy(V);
    nmrc_metrics_ws_destroy(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_vs_brute), cmocka_unit_test(test_paper_vs_brute),
        cmocka_unit_test(test_zeeman_analytic), cmocka_unit_test(test_paper_fig6),
        cmocka_unit_test(test_zero_temperature), cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_map), cmocka_unit_test(test_degenerate_matches_metrics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
