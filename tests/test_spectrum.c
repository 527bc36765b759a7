/*
** test_spectrum.c: FFTW spectra.  The DFT of a damped exponential against
** its closed form; the thermal 1H-13C spectrum: doublet splitting = J,
** relative intensities gamma_C/gamma_H, Lorentzian width 1/(pi T2) (plus lb
** with exponential apodization), Gaussian broadening width; phase
** corrections; axes; one plan reused across many FIDs.
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc_test.h"
#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"
#include "nmrc/consts.h"

#define G1H nmrc_isotope_gamma("1H")
#define G13C nmrc_isotope_gamma("13C")

/* Plans and runs one spectrum; caller frees the result. */
static nmrc_cplx *spectrum(const nmrc_cplx *fid, size_t td, double sw, double sfo1,
                           const nmrc_proc *proc, size_t *si)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spectrum_plan *plan = NULL;
    assert_int_equal(nmrc_spectrum_plan_create(td, sw, sfo1, proc, ctx, &plan), NMRC_OK);
    nmrc_spectrum_ws *ws = nmrc_spectrum_ws_create(plan);
    assert_non_null(ws);
    *si = nmrc_spectrum_size(plan);
    nmrc_cplx *spec = malloc(*si * sizeof *spec);
    nmrc_spectrum_execute(plan, ws, fid, spec);
    nmrc_spectrum_ws_destroy(ws);
    nmrc_spectrum_plan_destroy(plan);
    nmrc_ctx_destroy(ctx);
    return spec;
}

/* The real parts of spec[0..n) in a new array; the caller frees it. */
static double *real_parts(const nmrc_cplx *spec, size_t n)
{
    double *re = calloc(n, sizeof *re);
    for (size_t k = 0; k < n; k++)
        re[k] = creal(spec[k]);
    return re;
}

/* S_k = sum_n A z^n e^{-2 pi i f_k n / sw} = A (1 - (z q)^N) / (1 - z q). */
static void test_closed_form(void **state)
{
    (void)state;
    size_t td = 1000, si = 0;
    double sw = 800, nu = 123.0, t2 = 0.02;
    nmrc_cplx A = 0.7 - 0.4 * I, z = cexp((2 * NMRC_PI * I * nu - 1 / t2) / sw);
    nmrc_cplx *fid = malloc(td * sizeof *fid);
    for (size_t k = 0; k < td; k++)
        fid[k] = A * cpow(z, (double)k);
    nmrc_proc proc = {1024, 0, 0, 0, 0, 1.0};
    nmrc_cplx *spec = spectrum(fid, td, sw, 0, &proc, &si);
    assert_int_equal(si, 1024);
    for (size_t k = 0; k < si; k += 17) {
        double f = ((double)k - 512.0) * sw / 1024.0;
        nmrc_cplx q = cexp(-2 * NMRC_PI * I * f / sw);
        nmrc_cplx want = A * (1 - cpow(z * q, (double)td)) / (1 - z * q);
        assert_close(spec[k], want, 1e-10, 1e-12);
    }
    free(spec);
    /* Zero- and first-order phase multiply by e^{i(phc0 + phc1 f/sw)}. */
    nmrc_proc ph = {1024, 0, 0, 0.7, -1.3, 1.0};
    nmrc_cplx *s2 = spectrum(fid, td, sw, 0, &ph, &si);
    spec = spectrum(fid, td, sw, 0, &proc, &si);
    for (size_t k = 0; k < si; k += 31) {
        double f = ((double)k - 512.0) * sw / 1024.0;
        assert_close(s2[k], spec[k] * cexp(I * (0.7 - 1.3 * f / sw)), 1e-12, 1e-13);
    }
    free(s2);
    free(spec);
    free(fid);
}

/* Half-height width (Hz) of the peak of re[] around index k0. */
static double fwhm(const double *re, size_t n, size_t k0, double df)
{
    double half = re[k0] / 2;
    size_t a = k0, b = k0;
    while (a > 0 && re[a] > half)
        a--;
    while (b + 1 < n && re[b] > half)
        b++;
    double xa = (double)a + (half - re[a]) / (re[a + 1] - re[a]);
    double xb = (double)(b - 1) + (re[b - 1] - half) / (re[b - 1] - re[b]);
    return (xb - xa) * df;
}

/* Position (fractional index) of the maximum near k by a parabola. */
static double peak_pos(const double *re, size_t k)
{
    double a = re[k - 1], b = re[k], c = re[k + 1];
    return (double)k + 0.5 * (a - c) / (a - 2 * b + c);
}

/* Index of the largest value of re in [lo, hi). */
static size_t argmax(const double *re, size_t lo, size_t hi)
{
    size_t best = lo;
    for (size_t k = lo; k < hi; k++)
        if (re[k] > re[best])
            best = k;
    return best;
}

/* The spectrum of one nucleus of 13CHCl3 after a 90_y from thermal
** equilibrium: peaks at offset +- J/2. */
static double *thermal_spectrum(int obs, double lb, double *df, size_t *si, double *sfo1)
{
    nmrc_model m;
    nmrc_coupling c = {.i = 0, .j = 1, .j_hz = 215.0};
    memset(&m, 0, sizeof m);
    m.n_spins = 2;
    m.proton_mhz = 400.0;
    const char *iso[] = {"1H", "13C"};
    for (int i = 0; i < 2; i++) {
        snprintf(m.spins[i].isotope, sizeof m.spins[i].isotope, "%s", iso[i]);
        m.spins[i].gamma = i ? G13C : G1H;
        m.spins[i].t2 = i ? 0.2 : 0.1;
        m.spins[i].offset_hz = i ? -300.0 : 250.0;
    }
    m.n_couplings = 1;
    m.couplings = &c;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *h = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    int species[2];
    double t2[2];
    assert_int_equal(nmrc_fid_hamiltonian(&m, ctx, h), NMRC_OK);
    nmrc_fid_species(&m, species, t2);
    assert_int_equal(nmrc_fid_thermal_state(&m, 1u << obs, NMRC_PI / 2, NMRC_PI / 2, ctx, rho), NMRC_OK);
    nmrc_acq acq = {1u << obs, 16384, 2000.0, 0.0};
    nmrc_fid_system sys = {2, h, t2, species};
    nmrc_fid_plan *plan = NULL;
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_OK);
    assert_int_equal(nmrc_fid_plan_transitions(plan), 2);
    nmrc_fid_ws *ws = nmrc_fid_ws_create(plan);
    nmrc_cplx *fid = malloc(acq.td * sizeof *fid);
    assert_int_equal(nmrc_fid_execute(plan, ws, rho, fid), NMRC_OK);
    nmrc_proc proc = {65536, lb, 0, 0, 0, 0.5};
    *sfo1 = nmrc_fid_larmor_mhz(&m, iso[obs]);
    nmrc_cplx *spec = spectrum(fid, acq.td, acq.sw_hz, *sfo1, &proc, si);
    double *re = real_parts(spec, *si);
    *df = acq.sw_hz / (double)*si;
    free(spec);
    free(fid);
    nmrc_fid_ws_destroy(ws);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(h);
    nmrc_cmat_destroy(rho);
    nmrc_ctx_destroy(ctx);
    return re;
}

static void test_thermal_doublets(void **state)
{
    (void)state;
    double heights[2];
    for (int obs = 0; obs < 2; obs++) {
        double df, sfo1, off = obs ? -300.0 : 250.0, t2 = obs ? 0.2 : 0.1;
        size_t si;
        double *re = thermal_spectrum(obs, 0.0, &df, &si, &sfo1);
        size_t mid = si / 2 + (size_t)(off / df);
        size_t lo = argmax(re, si / 4, mid), hi = argmax(re, mid, 3 * si / 4);
        double f_lo = (peak_pos(re, lo) - (double)(si / 2)) * df;
        double f_hi = (peak_pos(re, hi) - (double)(si / 2)) * df;
        assert_close(f_hi - f_lo, 215.0, 1e-4, 0);          /* splitting = J */
        assert_close((f_hi + f_lo) / 2, off, 0, 1e-3);      /* centred on the shift */
        assert_close(re[lo], re[hi], 1e-3, 0);              /* equal doublet lines */
        assert_close(fwhm(re, si, hi, df), 1 / (NMRC_PI * t2), 2e-3, 0); /* width 1/(pi T2) */
        /* Lorentzian height of a line of amplitude a/2: (a/2) T2 sw. */
        heights[obs] = re[hi] / (t2 * 2000.0);
        assert_close(sfo1, obs ? 400.0 * G13C / G1H : 400.0, 1e-12, 0);
        free(re);
    }
    assert_close(heights[0], 0.5, 2e-3, 0);
    assert_close(heights[1] / heights[0], G13C / G1H, 2e-3, 0);
    /* Exponential apodization adds lb to the width. */
    double df, sfo1;
    size_t si;
    double *re = thermal_spectrum(0, 2.0, &df, &si, &sfo1);
    size_t hi = argmax(re, si / 2, 3 * si / 4);
    assert_close(fwhm(re, si, hi, df), 1 / (NMRC_PI * 0.1) + 2.0, 2e-3, 0);
    free(re);
}

/* Gaussian apodization of an undamped line gives a Gaussian of FWHM gb. */
static void test_gaussian(void **state)
{
    (void)state;
    size_t td = 8192, si;
    double sw = 1000;
    nmrc_cplx *fid = malloc(td * sizeof *fid);
    for (size_t k = 0; k < td; k++)
        fid[k] = cexp(2 * NMRC_PI * I * 100.0 * (double)k / sw);
    nmrc_proc proc = {65536, 0, 5.0, 0, 0, 0.5};
    nmrc_cplx *spec = spectrum(fid, td, sw, 0, &proc, &si);
    double *re = real_parts(spec, si);
    size_t pk = argmax(re, 0, si);
    double df = sw / (double)si;
    assert_close((peak_pos(re, pk) - (double)(si / 2)) * df, 100.0, 0, 1e-3);
    assert_close(fwhm(re, si, pk, df), 5.0, 2e-3, 0);
    free(re);
    free(spec);
    free(fid);
}

/* Axes, default size, reuse of one plan for many FIDs, bad input. */
static void test_axes_and_reuse(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spectrum_plan *plan = NULL;
    assert_int_equal(nmrc_spectrum_plan_create(1000, 5000.0, 500.0, NULL, ctx, &plan), NMRC_OK);
    assert_int_equal(nmrc_spectrum_size(plan), 1024);
    assert_close(nmrc_spectrum_hz(plan, 0), -2500.0, 1e-14, 0);
    assert_close(nmrc_spectrum_hz(plan, 512), 0.0, 0, 1e-12);
    assert_close(nmrc_spectrum_ppm(plan, 1023), (511.0 * 5000.0 / 1024.0) / 500.0, 1e-14, 0);
    nmrc_spectrum_ws *ws = nmrc_spectrum_ws_create(plan);
    nmrc_cplx fid[1000], spec[1024];
    for (int r = 0; r < 3; r++) {
        for (size_t k = 0; k < 1000; k++)
            fid[k] = (k == 0) ? (double)(r + 1) : 0.0; /* impulse: flat spectrum */
        nmrc_spectrum_execute(plan, ws, fid, spec);
        for (size_t k = 0; k < 1024; k += 100)
            assert_close(spec[k], (double)(r + 1), 1e-14, 0);
    }
    nmrc_spectrum_ws_destroy(ws);
    nmrc_spectrum_plan_destroy(plan);
    nmrc_proc bad = {10, 0, 0, 0, 0, 0};
    assert_int_equal(nmrc_spectrum_plan_create(100, 5000.0, 0, &bad, ctx, &plan), NMRC_EINVAL);
    assert_null(plan);
    assert_int_equal(nmrc_spectrum_plan_create(100, -1.0, 0, NULL, ctx, &plan), NMRC_EINVAL);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_closed_form),
        cmocka_unit_test(test_thermal_doublets),
        cmocka_unit_test(test_gaussian),
        cmocka_unit_test(test_axes_and_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
