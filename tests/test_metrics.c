/*
** test_metrics.c: battery metrics (ergotropy, anti-ergotropy, capacity
** against brute-force permutations and the Gibbs-charging closed forms),
** energy-basis coherence for degenerate H, entropy, purity, input
** validation and strided views.  Pair measures and distances are in
** test_metrics_pairs.c, discord in test_discord.c.
*/
#include "nmrc_test.h"
#include "metrics_test_util.h"
#include "nmrc/consts.h"

/* ---- Helpers ---------------------------------------------------------------- */

/* The paper's Eq. 12 (physics-notes Sec. 1). */
static void paper_h(double B, double D, double G, double Dl, double eps, nmrc_cmat *H)
{
    const nmrc_cplx *P[3] = {PX, PY, PZ};
    double T[9] = {-Dl / 3 + eps, D + G, 0, G - D, -Dl / 3 - eps, 0, 0, 0, 2 * Dl / 3};
    nmrc_cmat_zero(H);
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            add_kron2(H, T[3 * a + b], P[a], P[b]);
    add_kron2(H, B, PZ, P1);
    add_kron2(H, B, P1, PZ);
}

/* ---- Workspace and errors -------------------------------------------------- */

static void test_ws(void **state)
{
    nmrc_metrics_ws *ws;
    (void)state;
    assert_null(nmrc_metrics_ws_create(0));
    assert_null(nmrc_metrics_ws_create(13));
    nmrc_metrics_ws_destroy(NULL);
    assert_int_equal(nmrc_metrics_ws_dim(NULL), 0);
    ws = nmrc_metrics_ws_create(3);
    assert_non_null(ws);
    assert_int_equal(nmrc_metrics_ws_dim(ws), 8);
    nmrc_metrics_ws_destroy(ws);
}

static void test_bad_input(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *r8 = mat(8), *r2 = mat(2);
    double x, e[4] = {0, 1, 2, 3};
    nmrc_discord_result dr;
    nmrc_battery_figs f;
    (void)state;
    random_state(rho, 4);
    AT(rho, 0, 0) += 1; /* trace 2 */
    assert_int_equal(nmrc_metrics_entropy(ws, rho, &x), NMRC_EINVAL);
    AT(rho, 0, 0) -= 1;
    AT(rho, 1, 2) = NAN;
    assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x), NMRC_EINVAL);
    assert_int_equal(nmrc_metrics_discord_full(ws, rho, &dr), NMRC_EINVAL);
    random_state(rho, 4);
    assert_int_equal(nmrc_metrics_entropy(ws, r8, &x), NMRC_EBADLEN);
    assert_int_equal(nmrc_metrics_battery(ws, r8, e, rho, &f), NMRC_EBADLEN);
    assert_int_equal(nmrc_metrics_battery(ws, rho, e, r2, &f), NMRC_EBADLEN);
    assert_int_equal(nmrc_metrics_fidelity(ws, rho, r2, &x), NMRC_EBADLEN);
    assert_int_equal(nmrc_metrics_partial_trace(r8, 3, 0, r2), NMRC_EINVAL);
    assert_int_equal(nmrc_metrics_partial_trace(r8, 3, 8, r2), NMRC_EINVAL);
    assert_int_equal(nmrc_metrics_partial_trace(r8, 3, 3, r2), NMRC_EBADLEN);
    assert_int_equal(nmrc_metrics_reduce_pair(r8, 3, 1, 1, rho), NMRC_EINVAL);
    assert_int_equal(nmrc_metrics_reduce_pair(r8, 3, 0, 3, rho), NMRC_EINVAL);
    assert_int_equal(nmrc_metrics_coherence(NULL, &x), NMRC_EBADLEN);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(r8);
    nmrc_cmat_destroy(r2);
    nmrc_metrics_ws_destroy(ws);
}

/* ---- Battery ----------------------------------------------------------------- */

/* Passive / active energies by brute force over all 24 assignments of the
** state's eigenvalues lam to the levels e. */
static void brute_passive(const double *lam, const double *e, double *emin, double *emax)
{
    int p[4] = {0, 1, 2, 3};
    *emin = INFINITY;
    *emax = -INFINITY;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 4; b++)
            for (int c = 0; c < 4; c++) {
                int d = 6 - a - b - c;
                double s;
                if (a == b || a == c || b == c || d < 0 || d > 3 || d == a || d == b || d == c)
                    continue;
                p[0] = a, p[1] = b, p[2] = c, p[3] = d;
                s = 0;
                for (int k = 0; k < 4; k++)
                    s += lam[p[k]] * e[k];
                *emin = fmin(*emin, s);
                *emax = fmax(*emax, s);
            }
}

/* General states: the passive/active energies are the extremes over all
** permutations of populations (rearrangement inequality, checked by brute
** force), and energy = Tr[rho H] computed directly. */
static void test_battery_random(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *H = mat(4), *V = mat(4), *rho = mat(4), *tmp = mat(4);
    double e[4], lam[4], emin, emax, energy;
    (void)state;
    for (int trial = 0; trial < 50; trial++) {
        nmrc_battery_figs f;
        random_herm(H);
        random_state(rho, 1 + trial % 4);
        eig(H, V, e);
        eig(rho, tmp, lam);
        brute_passive(lam, e, &emin, &emax);
        assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f), NMRC_OK);
        assert_int_equal(nmrc_metrics_expect(rho, H, &energy), NMRC_OK);
        assert_close(f.energy, energy, 1e-12, 1e-13);
        assert_close(f.e_passive, emin, 1e-12, 1e-13);
        assert_close(f.e_active, emax, 1e-12, 1e-13);
        assert_true(f.ergotropy >= 0);
        assert_true(f.antiergotropy <= 0);
        assert_close(f.capacity, f.ergotropy - f.antiergotropy, 1e-12, 1e-13);
        assert_close(f.ergotropy, energy - emin, 1e-12, 1e-12);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(tmp);
    nmrc_metrics_ws_destroy(ws);
}

/* U = R_x(2 w t) (x) R_x(2 w t) = exp(-i w t (X1 + X2)). */
static void charge_u(double th, nmrc_cmat *U)
{
    nmrc_cplx r[4] = {cos(th), -I * sin(th), -I * sin(th), cos(th)};
    nmrc_cmat_zero(U);
    add_kron2(U, 1.0, r, r);
}

/* The charging experiment on the paper's H: its levels e and eigenvectors
** V, the Gibbs state Z with its normalized populations pop (by level), the
** charged state rho, and scratch. */
typedef struct {
    nmrc_metrics_ws *ws;
    nmrc_cmat *H, *V, *Z, *U, *rho, *tmp;
    double e[4], pop[4];
} charging;

static void charging_create(charging *c)
{
    c->ws = nmrc_metrics_ws_create(2);
    c->H = mat(4), c->V = mat(4), c->Z = mat(4), c->U = mat(4), c->rho = mat(4), c->tmp = mat(4);
}

static void charging_destroy(charging *c)
{
    nmrc_cmat_destroy(c->H);
    nmrc_cmat_destroy(c->V);
    nmrc_cmat_destroy(c->Z);
    nmrc_cmat_destroy(c->U);
    nmrc_cmat_destroy(c->rho);
    nmrc_cmat_destroy(c->tmp);
    nmrc_metrics_ws_destroy(c->ws);
}

/* H = paper_h(B, D, G, Dl, eps), its eigenpairs, and the Gibbs state at
** temperature T built from them: Z = sum_k p_k v_k v_k^+. */
static void charging_gibbs(charging *c, double B, double D, double G, double Dl, double eps,
                           double T)
{
    double zsum = 0;
    paper_h(B, D, G, Dl, eps, c->H);
    eig(c->H, c->V, c->e);
    for (int k = 0; k < 4; k++)
        zsum += c->pop[k] = exp(-(c->e[k] - c->e[0]) / T);
    nmrc_cmat_zero(c->Z);
    for (int k = 0; k < 4; k++) {
        c->pop[k] /= zsum;
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                AT(c->Z, i, j) += c->pop[k] * AT(c->V, i, k) * conj(AT(c->V, j, k));
    }
}

/* rho = U Z U^+ with U = charge_u(th); asserts that its battery figures
** (into f) are computed. */
static void charging_step(charging *c, double th, nmrc_battery_figs *f)
{
    charge_u(th, c->U);
    assert_int_equal(nmrc_cmat_similarity(c->rho, c->U, c->Z, c->tmp), NMRC_OK);
    assert_int_equal(nmrc_metrics_battery(c->ws, c->rho, c->e, c->V, f), NMRC_OK);
}

/* Charging the Gibbs state of the paper's H: capacity constant and equal to
** sum_k p_k (E_{3-k} - E_k); xi(0) = 0; xi(t) = Tr[rho(t) H] - Tr[zeta H]
** (the Gibbs state is the passive state of every rho(t), physics-notes 2). */
static void test_battery_charging(void **state)
{
    static const double par[][6] = {/* B, D, G, Delta, eps, T */
                                    {0, 0, 0, 1, 0.1, 1},    {1, 0.3, 0.2, 1, 0.1, 0.7},
                                    {2, 0, 0, 1, 0.1, 0.5},  {0, 1, 0.5, -1, 0.5, 1},
                                    {0.2, -2, 3, 4, -0.3, 0.05}};
    charging c;
    (void)state;
    charging_create(&c);
    for (size_t p = 0; p < sizeof par / sizeof par[0]; p++) {
        double q = 0, ez = 0;
        charging_gibbs(&c, par[p][0], par[p][1], par[p][2], par[p][3], par[p][4], par[p][5]);
        for (int k = 0; k < 4; k++) {
            ez += c.pop[k] * c.e[k];
            q += c.pop[k] * (c.e[3 - k] - c.e[k]);
        }
        for (int it = 0; it <= 40; it++) {
            nmrc_battery_figs f;
            double energy;
            charging_step(&c, NMRC_PI * it / 40, &f);
            assert_int_equal(nmrc_metrics_expect(c.rho, c.H, &energy), NMRC_OK);
            assert_close(f.energy, energy, 1e-12, 1e-12);
            assert_close(f.capacity, q, 1e-11, 1e-12);
            assert_close(f.ergotropy, energy - ez, 1e-10, 1e-11);
            assert_close(f.capacity, f.ergotropy - f.antiergotropy, 1e-12, 1e-12);
            assert_true(f.ergotropy >= 0 && f.antiergotropy <= 0);
            if (it == 0) {
                assert_true(f.ergotropy == 0.0); /* exactly: rounding is clamped */
                assert_close(f.antiergotropy, -q, 1e-11, 1e-12);
                assert_close(f.coherence, 0, 0, 1e-12);
            }
        }
    }
    charging_destroy(&c);
}

/* The paper's Fig. 6 (G = D = 0, Delta = 1, eps = 0.1, T = 0.5), as stated
** in its text and physics-notes Sec. 2: xi_max ~ 2 at wt = pi/4 for B = 0
** and ~ 8 at wt = pi/2 for B = 2 (the paper gives "~" only; the model gives
** 1.959 and 7.838). */
static void test_battery_paper_fig6(void **state)
{
    static const double Bs[2] = {0, 2}, xi_ref[2] = {2, 8}, t_ref[2] = {NMRC_PI / 4, NMRC_PI / 2};
    charging c;
    (void)state;
    charging_create(&c);
    for (int b = 0; b < 2; b++) {
        double best = -1, tbest = 0;
        charging_gibbs(&c, Bs[b], 0, 0, 1, 0.1, 0.5);
        for (int it = 0; it <= 400; it++) {
            nmrc_battery_figs f;
            charging_step(&c, NMRC_PI * it / 400, &f);
            if (f.ergotropy > best)
                best = f.ergotropy, tbest = NMRC_PI * it / 400;
        }
        assert_close(best, xi_ref[b], 0.05, 0);
        assert_close(tbest, t_ref[b], 0.02, 0);
    }
    charging_destroy(&c);
}

/* Mixes the columns of V inside each degenerate level of e (levels are
** contiguous runs of equal values) by a random unitary, as another
** eigensolver might have returned them. */
static void scramble_levels(nmrc_cmat *V, const double *e)
{
    size_t d = V->n1, s = 0;
    while (s < d) {
        size_t m = 1;
        while (s + m < d && fabs(e[s + m] - e[s]) < 1e-9)
            m++;
        if (m > 1) {
            nmrc_cmat *Hm = mat(m), *W = mat(m), *Cs = nmrc_cmat_create(d, m);
            nmrc_cmat Vs = nmrc_cmat_view(V->data + s * V->ld, d, m, V->ld);
            double *w = malloc(m * sizeof *w);
            random_herm(Hm);
            eig(Hm, W, w); /* W: a random unitary */
            assert_int_equal(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &Vs, W, 0.0, Cs), NMRC_OK);
            assert_int_equal(nmrc_cmat_copy(&Vs, Cs), NMRC_OK);
            free(w);
            nmrc_cmat_destroy(Hm);
            nmrc_cmat_destroy(W);
            nmrc_cmat_destroy(Cs);
        }
        s += m;
    }
}

/* H = sum_i Z_i (levels n - 2 popcount(k), degenerate for n >= 2; |0> = up
** has Z = +1, so |0...0> is the top level).  |0...0>: xi = 2n, P = 0;
** |1...1>: xi = 0, P = -2n; |+...+>: E = 0, xi = n, P = -n, and its energy-
** basis coherence is the computational one, d - 1, whatever basis the
** eigensolver picked inside the degenerate levels. */
static void test_battery_zeeman(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 4; n++) {
        size_t d = (size_t)1 << n;
        nmrc_metrics_ws *ws = nmrc_metrics_ws_create(n);
        nmrc_cmat *V = mat(d), *rho = mat(d);
        double *e = malloc(d * sizeof *e), *es = malloc(d * sizeof *es);
        nmrc_cplx *plus = malloc(d * sizeof *plus);
        size_t *idx = malloc(d * sizeof *idx), m = 0;
        nmrc_battery_figs f;
        double nn = (double)n;
        /* eigenvectors = computational vectors, grouped by level */
        for (size_t lev = 0; lev <= n; lev++)
            for (size_t k = 0; k < d; k++)
                if ((size_t)__builtin_popcountll(k) == n - lev)
                    idx[m++] = k;
        for (size_t c = 0; c < d; c++) {
            e[c] = nn - 2.0 * __builtin_popcountll(idx[c]);
            AT(V, idx[c], c) = 1;
        }
        AT(rho, 0, 0) = 1;
        assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f), NMRC_OK);
        assert_close(f.energy, nn, 1e-15, 0);
        assert_close(f.ergotropy, 2 * nn, 1e-15, 0);
        assert_true(f.antiergotropy == 0);
        assert_close(f.capacity, 2 * nn, 1e-15, 0);
        AT(rho, 0, 0) = 0;
        AT(rho, d - 1, d - 1) = 1;
        assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f), NMRC_OK);
        assert_true(f.ergotropy == 0);
        assert_close(f.antiergotropy, -2 * nn, 1e-15, 0);
        for (size_t k = 0; k < d; k++)
            plus[k] = 1 / sqrt((double)d);
        projector(rho, plus);
        scramble_levels(V, e);
        assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f), NMRC_OK);
        assert_close(f.energy, 0, 0, 1e-14);
        assert_close(f.ergotropy, nn, 1e-14, 0);
        assert_close(f.antiergotropy, -nn, 1e-14, 0);
        assert_close(f.coherence, (double)d - 1, 1e-13, 0);
        /* the canonical basis is the computational one, levels ascending */
        assert_int_equal(nmrc_metrics_energy_basis(ws, e, V, es, V), NMRC_OK);
        for (size_t c = 0; c < d; c++)
            assert_true(es[c] == e[c]); /* e was built ascending */
        for (size_t c = 0; c < d; c++) {
            size_t hits = 0;
            for (size_t i = 0; i < d; i++)
                hits += cabs(AT(V, i, c)) > 1 - 1e-12;
            assert_int_equal(hits, 1); /* each column is a computational vector up to phase */
        }
        free(e);
        free(es);
        free(plus);
        free(idx);
        nmrc_cmat_destroy(V);
        nmrc_cmat_destroy(rho);
        nmrc_metrics_ws_destroy(ws);
    }
}

/* ---- Coherence in the energy basis ------------------------------------------- */

/* One qubit, H = X: the energy basis is |+>, |->; |0><0| has C = 1, |+><+|
** has C = 0; the computational coherence is the other way round. */
static void test_coherence_qubit(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(1);
    nmrc_cmat *H = mat(2), *V = mat(2), *rho = mat(2);
    double e[2], c;
    (void)state;
    AT(H, 0, 1) = AT(H, 1, 0) = 1;
    eig(H, V, e);
    AT(rho, 0, 0) = 1;
    assert_int_equal(nmrc_metrics_coherence_energy(ws, rho, e, V, &c), NMRC_OK);
    assert_close(c, 1, 1e-14, 0);
    assert_int_equal(nmrc_metrics_coherence(rho, &c), NMRC_OK);
    assert_true(c == 0);
    AT(rho, 0, 0) = AT(rho, 0, 1) = AT(rho, 1, 0) = AT(rho, 1, 1) = 0.5;
    assert_int_equal(nmrc_metrics_coherence_energy(ws, rho, e, V, &c), NMRC_OK);
    assert_close(c, 0, 0, 1e-15);
    assert_int_equal(nmrc_metrics_coherence(rho, &c), NMRC_OK);
    assert_close(c, 1, 1e-15, 0);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* Asserts that the energy-basis coherence of rho (levels e, eigenvectors V)
** equals the off-diagonal l1 norm of B^+ rho B; returns the coherence. */
static double assert_coherence_l1(const nmrc_cmat *rho, const double *e, const nmrc_cmat *V,
                                  const nmrc_cmat *B, nmrc_metrics_ws *ws)
{
    nmrc_cmat *R = mat(rho->n1), *T = mat(rho->n1);
    double c;
    assert_int_equal(nmrc_cmat_similarity_adj(R, B, rho, T), NMRC_OK);
    assert_int_equal(nmrc_metrics_coherence_energy(ws, rho, e, V, &c), NMRC_OK);
    assert_close(c, l1_offdiag(R), 1e-13, 0);
    nmrc_cmat_destroy(R);
    nmrc_cmat_destroy(T);
    return c;
}

/* Non-degenerate H: Eq. 27 is the l1 norm of V^+ rho V, unchanged by the
** order of the eigenpairs and by the phases of the eigenvectors. */
static void test_coherence_nondegenerate(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(3);
    nmrc_cmat *H = mat(8), *V = mat(8), *W = mat(8), *rho = mat(8);
    double e[8], ep[8], c, c2;
    (void)state;
    for (int trial = 0; trial < 5; trial++) {
        random_herm(H);
        random_state(rho, 3);
        eig(H, V, e);
        c = assert_coherence_l1(rho, e, V, V, ws);
        for (size_t k = 0; k < 8; k++) { /* reversed order, random phases */
            nmrc_cplx ph = cexp(I * NMRC_TWO_PI * urand());
            ep[k] = e[7 - k];
            for (size_t i = 0; i < 8; i++)
                AT(W, i, k) = ph * AT(V, i, 7 - k);
        }
        assert_int_equal(nmrc_metrics_coherence_energy(ws, rho, ep, W, &c2), NMRC_OK);
        assert_close(c2, c, 1e-13, 0);
    }
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(W);
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* Heisenberg H = XX + YY + ZZ: triplet (+1, threefold) and singlet (-3).
** The canonical triplet basis is |00>, (|01> + |10>)/sqrt2, |11> (P e_00,
** P e_01, and P e_11; P e_10 is parallel to P e_01): the coherence is the l1
** norm in {S, |00>, T0, |11>} for any eigensolver basis.  H = 0 (every level
** degenerate) gives the computational coherence. */
static void test_coherence_degenerate(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *H = mat(4), *V = mat(4), *B = mat(4), *rho = mat(4);
    double e[4], c, s2 = sqrt(0.5);
    (void)state;
    add_kron2(H, 1, PX, PX);
    add_kron2(H, 1, PY, PY);
    add_kron2(H, 1, PZ, PZ);
    AT(B, 1, 0) = s2, AT(B, 2, 0) = -s2; /* singlet */
    AT(B, 0, 1) = 1;
    AT(B, 1, 2) = s2, AT(B, 2, 2) = s2;
    AT(B, 3, 3) = 1;
    for (int trial = 0; trial < 10; trial++) {
        random_state(rho, 4);
        eig(H, V, e);
        assert_close(e[0], -3, 1e-14, 0);
        assert_close(e[3], 1, 1e-14, 0);
        scramble_levels(V, e);
        assert_coherence_l1(rho, e, V, B, ws);
    }
    for (int k = 0; k < 4; k++)
        e[k] = 0;
    eig(rho, V, e); /* any orthonormal basis, here rho's own eigenbasis */
    for (int k = 0; k < 4; k++)
        e[k] = 0;
    assert_int_equal(nmrc_metrics_coherence_energy(ws, rho, e, V, &c), NMRC_OK);
    assert_close(c, l1_offdiag(rho), 1e-13, 0);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(B);
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* ---- Entropy, purity ------------------------------------------------------------ */

static void test_entropy_purity(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(3);
    nmrc_cmat *rho = mat(8), *D = mat(8), *U = mat(8), *H = mat(8), *T = mat(8);
    nmrc_cplx v[8];
    double p[8], w[8], sum = 0, s_ref = 0, p_ref = 0, x;
    (void)state;
    for (int k = 0; k < 8; k++)
        AT(rho, k, k) = 0.125;
    assert_int_equal(nmrc_metrics_entropy(ws, rho, &x), NMRC_OK);
    assert_close(x, 3 * LN2, 1e-14, 0); /* ln 8 nats */
    assert_int_equal(nmrc_metrics_purity(rho, &x), NMRC_OK);
    assert_close(x, 0.125, 1e-15, 0);
    random_vec(v, 8);
    projector(rho, v);
    assert_int_equal(nmrc_metrics_entropy(ws, rho, &x), NMRC_OK);
    assert_close(x, 0, 0, 1e-13);
    assert_int_equal(nmrc_metrics_purity(rho, &x), NMRC_OK);
    assert_close(x, 1, 1e-14, 0);
    for (int k = 0; k < 8; k++)
        sum += p[k] = urand();
    for (int k = 0; k < 8; k++) {
        p[k] /= sum;
        s_ref -= p[k] * log(p[k]);
        p_ref += p[k] * p[k];
        AT(D, k, k) = p[k];
    }
    random_herm(H);
    eig(H, U, w); /* random unitary */
    assert_int_equal(nmrc_cmat_similarity(rho, U, D, T), NMRC_OK);
    assert_int_equal(nmrc_metrics_entropy(ws, rho, &x), NMRC_OK);
    assert_close(x, s_ref, 1e-13, 0);
    assert_int_equal(nmrc_metrics_purity(rho, &x), NMRC_OK);
    assert_close(x, p_ref, 1e-13, 0);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(D);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(T);
    nmrc_metrics_ws_destroy(ws);
}

/* Views with a leading dimension larger than the size give the same
** results as packed matrices (the library must honour ld everywhere). */
static void test_strided_views(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *sig = mat(4), *H = mat(4), *V = mat(4), *r2 = mat(2);
    nmrc_cmat *big = nmrc_cmat_create(7, 12);
    nmrc_cmat rv, sv, vv;
    nmrc_battery_figs f1, f2;
    nmrc_discord_result d1, d2;
    double e[4], x1, x2, es[4], es2[4];
    (void)state;
    random_state(rho, 3);
    random_state(sig, 4);
    random_herm(H);
    eig(H, V, e);
    for (size_t j = 0; j < 12; j++)
        for (size_t i = 0; i < 7; i++)
            AT(big, i, j) = NAN; /* padding must never be read */
    rv = nmrc_cmat_view(big->data, 4, 4, 7);
    sv = nmrc_cmat_view(big->data + 28, 4, 4, 7);
    vv = nmrc_cmat_view(big->data + 56, 4, 4, 7);
    assert_int_equal(nmrc_cmat_copy(&rv, rho), NMRC_OK);
    assert_int_equal(nmrc_cmat_copy(&sv, sig), NMRC_OK);
    assert_int_equal(nmrc_cmat_copy(&vv, V), NMRC_OK);
    assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f1), NMRC_OK);
    assert_int_equal(nmrc_metrics_battery(ws, &rv, e, &vv, &f2), NMRC_OK);
    assert_true(f1.energy == f2.energy && f1.ergotropy == f2.ergotropy);
    assert_true(f1.coherence == f2.coherence && f1.capacity == f2.capacity);
    assert_int_equal(nmrc_metrics_energy_basis(ws, e, V, es, V), NMRC_OK);
    assert_int_equal(nmrc_metrics_energy_basis(ws, e, &vv, es2, &vv), NMRC_OK);
    assert_true(nmrc_cmat_max_diff(V, &vv) == 0 && es[3] == es2[3]);
    assert_int_equal(nmrc_metrics_fidelity(ws, rho, sig, &x1), NMRC_OK);
    assert_int_equal(nmrc_metrics_fidelity(ws, &rv, &sv, &x2), NMRC_OK);
    assert_true(x1 == x2);
    assert_int_equal(nmrc_metrics_trace_distance(ws, &rv, &sv, &x2), NMRC_OK);
    assert_int_equal(nmrc_metrics_trace_distance(ws, rho, sig, &x1), NMRC_OK);
    assert_true(x1 == x2);
    assert_int_equal(nmrc_metrics_entropy(ws, &rv, &x2), NMRC_OK);
    assert_int_equal(nmrc_metrics_entropy(ws, rho, &x1), NMRC_OK);
    assert_true(x1 == x2);
    assert_int_equal(nmrc_metrics_concurrence(ws, &rv, &x2), NMRC_OK);
    assert_int_equal(nmrc_metrics_concurrence(ws, rho, &x1), NMRC_OK);
    assert_true(x1 == x2);
    assert_int_equal(nmrc_metrics_discord_full(ws, &rv, &d2), NMRC_OK);
    assert_int_equal(nmrc_metrics_discord_full(ws, rho, &d1), NMRC_OK);
    assert_true(d1.discord == d2.discord);
    assert_int_equal(nmrc_metrics_partial_trace(&rv, 2, 2u, r2), NMRC_OK);
    assert_int_equal(nmrc_metrics_partial_trace(rho, 2, 2u, sig), NMRC_EBADLEN);
    e[2] = NAN;
    assert_int_equal(nmrc_metrics_battery(ws, rho, e, V, &f1), NMRC_EINVAL);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(sig);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(r2);
    nmrc_cmat_destroy(big);
    nmrc_metrics_ws_destroy(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ws),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_battery_random),
        cmocka_unit_test(test_battery_charging),
        cmocka_unit_test(test_battery_paper_fig6),
        cmocka_unit_test(test_battery_zeeman),
        cmocka_unit_test(test_coherence_qubit),
        cmocka_unit_test(test_coherence_nondegenerate),
        cmocka_unit_test(test_coherence_degenerate),
        cmocka_unit_test(test_entropy_purity),
        cmocka_unit_test(test_strided_views),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
