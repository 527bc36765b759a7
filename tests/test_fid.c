/*
** test_fid.c: acquisition physics.  Single-spin FID frequency, phase and
** decay against the closed form; the 1H-13C doublet FID; a strongly coupled
** pair against brute-force propagation exp(-iHt) rho exp(iHt); weak
** coupling with T2 against the exponential of the full Liouvillian; CYCLOPS
** removing a receiver DC offset; bad input.
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"
#include "nmrc/linalg.h"
#include "nmrc/consts.h"

#define G1H nmrc_isotope_gamma("1H")

static nmrc_coupling couplings[8];

/* A model with n spins of the given isotopes, offsets (Hz) and T2 (s). */
static void make_model(nmrc_model *m, size_t n, const char *const *iso, const double *off,
                       const double *t2)
{
    memset(m, 0, sizeof *m);
    m->n_spins = n;
    m->proton_mhz = 400.0;
    for (size_t i = 0; i < n; i++) {
        snprintf(m->spins[i].label, sizeof m->spins[i].label, "S%d", (int)i);
        snprintf(m->spins[i].isotope, sizeof m->spins[i].isotope, "%s", iso[i]);
        m->spins[i].gamma = nmrc_isotope_gamma(iso[i]);
        m->spins[i].offset_hz = off[i];
        m->spins[i].t2 = t2 ? t2[i] : 0;
    }
    m->couplings = couplings;
}

static void add_j(nmrc_model *m, int i, int j, double jhz, double dip)
{
    couplings[m->n_couplings++] = (nmrc_coupling){.i = i, .j = j, .j_hz = jhz, .dipolar_hz = dip};
}

/* Plans and runs the FID of rho for model m. */
static void run_fid(const nmrc_model *m, const nmrc_cmat *rho, const nmrc_acq *acq,
                    nmrc_cplx *fid, int *exact)
{
    size_t d = (size_t)1 << m->n_spins;
    nmrc_cmat *h = nmrc_cmat_create(d, d);
    int species[NMRC_MAX_SPINS];
    double t2[NMRC_MAX_SPINS];
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_hamiltonian(m, ctx, h), NMRC_OK);
    nmrc_fid_species(m, species, t2);
    nmrc_fid_system sys = {m->n_spins, h, t2, species};
    nmrc_fid_plan *plan = NULL;
    assert_int_equal(nmrc_fid_plan_create(&sys, acq, ctx, &plan), NMRC_OK);
    nmrc_fid_ws *ws = nmrc_fid_ws_create(plan);
    assert_non_null(ws);
    assert_int_equal(nmrc_fid_execute(plan, ws, rho, fid), NMRC_OK);
    if (exact)
        *exact = nmrc_fid_plan_exact(plan);
    nmrc_fid_ws_destroy(ws);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(h);
    nmrc_ctx_destroy(ctx);
}

/* One proton: after 90_y the FID is e^{i 2 pi nu t} e^{-t/T2}; after 90_x it
** starts at -i; a receiver phase multiplies by e^{-i phi}. */
static void test_single_spin(void **state)
{
    (void)state;
    const char *iso[] = {"1H"};
    double off[] = {123.4}, t2[] = {0.05};
    nmrc_model m;
    make_model(&m, 1, iso, off, t2);
    nmrc_cmat *rho = nmrc_cmat_create(2, 2);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_acq acq = {1u, 4096, 1000.0, 0.0};
    nmrc_cplx *fid = malloc(acq.td * sizeof *fid);
    const double phases[] = {NMRC_PI / 2, 0.0};
    const nmrc_cplx start[] = {1.0, -I};
    for (int c = 0; c < 2; c++) {
        assert_int_equal(nmrc_fid_thermal_state(&m, 1u, NMRC_PI / 2, phases[c], ctx, rho), NMRC_OK);
        for (int r = 0; r < 2; r++) {
            acq.rcv_phase = r ? 1.1 : 0.0;
            int exact = 0;
            run_fid(&m, rho, &acq, fid, &exact);
            assert_int_equal(exact, 1);
            for (size_t k = 0; k < acq.td; k++) {
                double t = (double)k / acq.sw_hz;
                nmrc_cplx want = start[c] * cexp(-I * acq.rcv_phase) *
                                 cexp(I * 2 * NMRC_PI * off[0] * t - t / t2[0]);
                assert_close(fid[k], want, 1e-10, 1e-13);
            }
        }
    }
    free(fid);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* 1H-13C, J = 215 Hz: each nucleus's FID after its own 90_y is
** (gamma/gamma_1H) cos(pi J t) e^{i Omega t - t/T2}: a doublet split by J. */
static void test_hetero_doublet(void **state)
{
    (void)state;
    const char *iso[] = {"1H", "13C"};
    double off[] = {40.0, -75.0}, t2[] = {0.3, 0.2};
    nmrc_model m;
    make_model(&m, 2, iso, off, t2);
    add_j(&m, 0, 1, 215.0, 0.0);
    nmrc_cmat *rho = nmrc_cmat_create(4, 4);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx *fid = malloc(2048 * sizeof *fid);
    for (int obs = 0; obs < 2; obs++) {
        nmrc_acq acq = {1u << obs, 2048, 2500.0, 0.0};
        assert_int_equal(nmrc_fid_thermal_state(&m, 1u << obs, NMRC_PI / 2, NMRC_PI / 2, ctx, rho), NMRC_OK);
        int exact = 0;
        run_fid(&m, rho, &acq, fid, &exact);
        assert_int_equal(exact, 1);
        double scale = m.spins[obs].gamma / G1H;
        for (size_t k = 0; k < acq.td; k += 7) {
            double t = (double)k / acq.sw_hz;
            nmrc_cplx want = scale * cos(NMRC_PI * 215.0 * t) *
                             cexp(I * 2 * NMRC_PI * off[obs] * t - t / t2[obs]);
            assert_close(fid[k], want, 1e-10, 1e-13);
        }
    }
    free(fid);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* s(t) = Tr[U rho U^+ D] by brute force, D = sum of I+ over `observe`. */
static nmrc_cplx brute_signal(const nmrc_cmat *h, const nmrc_cmat *rho, unsigned observe,
                              size_t n, double t)
{
    size_t d = h->n1;
    nmrc_cmat *U = nmrc_cmat_create(d, d), *tmp = nmrc_cmat_create(d, d);
    nmrc_cmat *r = nmrc_cmat_create(d, d);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(d);
    assert_int_equal(nmrc_expmh(U, h, t, ws), NMRC_OK);
    assert_int_equal(nmrc_cmat_similarity(r, U, rho, tmp), NMRC_OK);
    nmrc_cplx s = 0;
    for (size_t a = 0; a < d; a++)
        for (size_t i = 0; i < n; i++) {
            size_t bit = (size_t)1 << (n - 1 - i);
            if ((observe >> i & 1u) && (a & bit))
                s += NMRC_CMAT_AT(r, a, a & ~bit); /* rho_{ab} D_{ba}, b = a raised */
        }
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(tmp);
    nmrc_cmat_destroy(r);
    return s;
}

/* Three strongly coupled protons (full J I.S, dipolar) and a 13C: spins
** 0, 1, 3 are 1H, spin 2 is 13C; T2 per spin (NULL = none). */
static void strong_model(nmrc_model *m, const double *t2)
{
    static const char *const iso[] = {"1H", "1H", "13C", "1H"};
    static const double off[] = {10.0, 18.0, -30.0, -5.0};
    make_model(m, 4, iso, off, t2);
    add_j(m, 0, 1, 12.0, 3.0);
    add_j(m, 1, 3, 7.0, 0.0);
    add_j(m, 0, 2, 140.0, 0.0);
    add_j(m, 2, 3, 5.0, 1.5);
}

/* The strongly coupled system of strong_model and a random-ish initial
** state: the eigen-synthesis equals brute force. */
static void test_strong_coupling(void **state)
{
    (void)state;
    nmrc_model m;
    strong_model(&m, NULL);
    size_t d = 16;
    nmrc_cmat *rho = nmrc_cmat_create(d, d), *h = nmrc_cmat_create(d, d);
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i <= j; i++) {
            nmrc_cplx v = sin(1.0 + 3.0 * (double)i + 7.0 * (double)j) +
                          (i == j ? 0 : I * cos(2.0 * (double)i - (double)j));
            NMRC_CMAT_AT(rho, i, j) = v;
            NMRC_CMAT_AT(rho, j, i) = conj(v);
        }
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_hamiltonian(&m, ctx, h), NMRC_OK);
    unsigned observe = 0xBu; /* spins 0, 1, 3 (1H) */
    nmrc_acq acq = {observe, 512, 200.0, 0.3};
    nmrc_cplx fid[512];
    int exact = 0;
    run_fid(&m, rho, &acq, fid, &exact);
    assert_int_equal(exact, 1); /* no T2: exact */
    for (size_t k = 0; k < acq.td; k += 37) {
        nmrc_cplx want = cexp(-I * 0.3) * brute_signal(h, rho, observe, 4, (double)k / acq.sw_hz);
        assert_close(fid[k], want, 1e-9, 1e-11);
    }
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(h);
    nmrc_ctx_destroy(ctx);
}

/* Liouvillian L (column-stacked vec) of H with Z-dephasing 1/(2 T2_i). */
static void liouvillian(const nmrc_cmat *h, const double *t2, size_t n, nmrc_cmat *L)
{
    size_t d = h->n1;
    nmrc_cmat_zero(L);
    for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b < d; b++) {
            /* d rho_ab/dt = -i sum_c (H_ac rho_cb - rho_ac H_cb) + dephasing. */
            for (size_t c = 0; c < d; c++) {
                NMRC_CMAT_AT(L, a + b * d, c + b * d) += -I * NMRC_CMAT_AT(h, a, c);
                NMRC_CMAT_AT(L, a + b * d, a + c * d) += I * NMRC_CMAT_AT(h, c, b);
            }
            for (size_t i = 0; i < n; i++) {
                size_t bit = (size_t)1 << (n - 1 - i);
                if (t2[i] > 0 && ((a ^ b) & bit))
                    NMRC_CMAT_AT(L, a + b * d, a + b * d) -= 1.0 / t2[i];
            }
        }
}

/* Signal of rho after time t under the Liouvillian L (d^2 x d^2) by the
** matrix exponential. */
static nmrc_cplx liou_signal(const nmrc_cmat *L, const nmrc_cmat *rho, unsigned observe,
                             size_t n, double t)
{
    size_t d = rho->n1, D = d * d;
    nmrc_cmat *E = nmrc_cmat_create(D, D), *Lt = nmrc_cmat_create(D, D);
    nmrc_expm_ws *ews = nmrc_expm_ws_create(D);
    assert_int_equal(nmrc_cmat_copy(Lt, L), NMRC_OK);
    nmrc_cmat_scale(Lt, t);
    assert_int_equal(nmrc_expm(E, Lt, ews), NMRC_OK);
    nmrc_cplx s = 0;
    for (size_t a = 0; a < d; a++)
        for (size_t i = 0; i < n; i++) {
            size_t bit = (size_t)1 << (n - 1 - i), b = a & ~bit;
            if ((observe >> i & 1u) && (a & bit))
                for (size_t c = 0; c < D; c++)
                    s += NMRC_CMAT_AT(E, a + b * d, c) * rho->data[c];
        }
    nmrc_expm_ws_destroy(ews);
    nmrc_cmat_destroy(E);
    nmrc_cmat_destroy(Lt);
    return s;
}

/* Runs the FID of rho for m (T2 per spin t2) with acq, asserts that the
** plan says exact, and checks every step-th point against exp(L t) of the
** full Liouvillian of m's Hamiltonian. */
static void check_vs_liouvillian(const nmrc_model *m, const double *t2, const nmrc_cmat *rho,
                                 const nmrc_acq *acq, size_t step)
{
    size_t n = m->n_spins, d = rho->n1;
    nmrc_cmat *h = nmrc_cmat_create(d, d), *L = nmrc_cmat_create(d * d, d * d);
    nmrc_cplx *fid = malloc(acq->td * sizeof *fid);
    int exact = 0;
    assert_int_equal(nmrc_fid_hamiltonian(m, NULL, h), NMRC_OK);
    run_fid(m, rho, acq, fid, &exact);
    assert_int_equal(exact, 1);
    liouvillian(h, t2, n, L);
    for (size_t k = 0; k < acq->td; k += step)
        assert_close(fid[k], liou_signal(L, rho, acq->observe, n, (double)k / acq->sw_hz), 1e-9,
                     1e-12);
    free(fid);
    nmrc_cmat_destroy(h);
    nmrc_cmat_destroy(L);
}

/* Weakly coupled 1H-1H-13C... as heteronuclear-only ZZ network with T2 on
** every spin: equals exp(L t) of the full Liouvillian. */
static void test_relaxation_liouvillian(void **state)
{
    (void)state;
    const char *iso[] = {"1H", "13C", "15N"};
    double off[] = {25.0, -40.0, 13.0}, t2[] = {0.02, 0.05, 0.03};
    nmrc_model m;
    make_model(&m, 3, iso, off, t2);
    add_j(&m, 0, 1, 150.0, 0.0);
    add_j(&m, 0, 2, -90.0, 20.0);
    add_j(&m, 1, 2, 11.0, 0.0);
    nmrc_cmat *rho = nmrc_cmat_create(8, 8);
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_thermal_state(&m, 0x7u, 1.1, 0.4, ctx, rho), NMRC_OK);
    NMRC_CMAT_AT(rho, 7, 2) += 0.3 - 0.2 * I; /* a multiple-spin coherence */
    NMRC_CMAT_AT(rho, 2, 7) += 0.3 + 0.2 * I;
    nmrc_acq acq = {0x5u, 300, 400.0, 0.0};
    check_vs_liouvillian(&m, t2, rho, &acq, 61);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* Strongly coupled protons that relax: the dephasing mixes eigen-coherences,
** the pair Liouvillians are diagonalized (zgeev) and the FID equals exp(Lt)
** of the full Liouvillian; the plan says exact. */
static void test_strong_coupling_t2(void **state)
{
    (void)state;
    const double t2[] = {0.05, 0.02, 0.1, 0.03};
    nmrc_model m;
    strong_model(&m, t2);
    nmrc_cmat *rho = nmrc_cmat_create(16, 16);
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_thermal_state(&m, 0xFu, 1.3, 0.2, ctx, rho), NMRC_OK);
    NMRC_CMAT_AT(rho, 9, 1) += 0.2 - 0.1 * I; /* a two-spin coherence */
    NMRC_CMAT_AT(rho, 1, 9) += 0.2 + 0.1 * I;
    nmrc_acq acq = {0xBu, 400, 150.0, 0.0};
    check_vs_liouvillian(&m, t2, rho, &acq, 57);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* Eight strongly coupled relaxing protons: the largest pair Liouvillian is
** too big for zgeev, so the plan falls back to the secular decay and says
** so; without T2 the same system is exact. */
static void test_secular_flag(void **state)
{
    (void)state;
    const char *iso[8] = {"1H", "1H", "1H", "1H", "1H", "1H", "1H", "1H"};
    double off[8], t2[8];
    for (int i = 0; i < 8; i++) {
        off[i] = 7.0 * i;
        t2[i] = 0.1;
    }
    nmrc_model m;
    make_model(&m, 8, iso, off, t2);
    for (int i = 0; i + 1 < 8; i++)
        add_j(&m, i, i + 1, 6.0, 0.0);
    nmrc_cmat *rho = nmrc_cmat_create(256, 256);
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_thermal_state(&m, 0xFFu, NMRC_PI / 2, 0, ctx, rho), NMRC_OK);
    nmrc_acq acq = {0xFFu, 64, 200.0, 0.0};
    nmrc_cplx fid[64];
    int exact = 1;
    run_fid(&m, rho, &acq, fid, &exact);
    assert_int_equal(exact, 0);
    assert_close(fid[0], -8.0 * I, 1e-12, 0); /* t = 0 is exact anyway */
    for (int i = 0; i < 8; i++)
        m.spins[i].t2 = 0;
    run_fid(&m, rho, &acq, fid, &exact);
    assert_int_equal(exact, 1);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* CYCLOPS (pulse and receiver 0, 90, 180, 270 deg) adds the signal four
** times and cancels a receiver DC offset; a constant receiver keeps it. */
static void test_cyclops(void **state)
{
    (void)state;
    const char *iso[] = {"1H"};
    double off[] = {50.0}, t2[] = {0.1};
    nmrc_model m;
    make_model(&m, 1, iso, off, t2);
    nmrc_cmat *rho = nmrc_cmat_create(2, 2);
    nmrc_ctx *ctx = nmrc_ctx_create();
    enum { TD = 256 };
    nmrc_cplx s[TD], one[TD], acc[TD] = {0}, plain[TD] = {0};
    const nmrc_cplx dc = 0.37 - 0.21 * I;
    nmrc_acq acq = {1u, TD, 1000.0, 0.0};
    for (int k = 0; k < 4; k++) {
        double ph = k * NMRC_PI / 2;
        assert_int_equal(nmrc_fid_thermal_state(&m, 1u, NMRC_PI / 2, NMRC_PI / 2 + ph, ctx, rho), NMRC_OK);
        run_fid(&m, rho, &acq, s, NULL);
        if (k == 0)
            memcpy(one, s, sizeof one);
        nmrc_fid_receive(acc, s, TD, ph, dc);
        nmrc_fid_receive(plain, s, TD, 0.0, dc);
    }
    for (size_t k = 0; k < TD; k++) {
        assert_close(acc[k], 4 * one[k], 1e-12, 1e-13);
        /* Without receiver cycling the signal cancels and 4 dc stays. */
        assert_close(plain[k], 4.0 * dc, 1e-12, 1e-13);
    }
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
}

/* nmrc_fid_pulse agrees with the closed form used by the thermal state. */
static void test_pulse(void **state)
{
    (void)state;
    const char *iso[] = {"1H", "13C", "1H"};
    double off[] = {0, 0, 0};
    nmrc_model m;
    make_model(&m, 3, iso, off, NULL);
    nmrc_cmat *a = nmrc_cmat_create(8, 8), *b = nmrc_cmat_create(8, 8);
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_fid_thermal_state(&m, 0, 0, 0, ctx, a), NMRC_OK);
    nmrc_fid_pulse(a, 3, 0x5u, 1.234, -0.7);
    assert_int_equal(nmrc_fid_thermal_state(&m, 0x5u, 1.234, -0.7, ctx, b), NMRC_OK);
    for (size_t k = 0; k < 64; k++)
        assert_close(a->data[k], b->data[k], 1e-14, 1e-15);
    nmrc_cmat_destroy(a);
    nmrc_cmat_destroy(b);
    nmrc_ctx_destroy(ctx);
}

static void test_bad_input(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *h = nmrc_cmat_create(4, 4);
    nmrc_fid_plan *plan = (nmrc_fid_plan *)1;
    nmrc_fid_system sys = {2, h, NULL, NULL};
    nmrc_acq acq = {0u, 16, 100.0, 0.0};
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_EINVAL);
    assert_null(plan);
    acq.observe = 1u;
    acq.sw_hz = NAN;
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_EINVAL);
    acq.sw_hz = 100.0;
    sys.n_spins = 3;
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_EBADLEN);
    sys.n_spins = 2;
    NMRC_CMAT_AT(h, 0, 1) = 1.0; /* not Hermitian */
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_EINVAL);
    assert_true(strlen(nmrc_ctx_errmsg(ctx)) > 0);
    nmrc_cmat_destroy(h);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_single_spin),
        cmocka_unit_test(test_hetero_doublet),
        cmocka_unit_test(test_strong_coupling),
        cmocka_unit_test(test_relaxation_liouvillian),
        cmocka_unit_test(test_strong_coupling_t2),
        cmocka_unit_test(test_secular_flag),
        cmocka_unit_test(test_cyclops),
        cmocka_unit_test(test_pulse),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
