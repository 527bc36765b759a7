/*
** tsan_acq.c: acquisition plans shared by two threads (harness:
** tsan_util.h): an FID plan whose strongly coupled relaxing 1H pair takes
** the Liouville route, a spectrum plan executed by both threads, and
** spectrum (FFTW) plans created, executed and destroyed by both threads at
** once, which needs the library's planner lock: FFTW's planner is not
** thread-safe.  Every threaded result must equal the serial one bit for bit.
*/
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/consts.h"
#include "nmrc/fid.h"
#include "nmrc/nmr.h"
#include "sim/acq/fid_impl.h"
#include "tsan_util.h"

#define ACQ_ITEMS 6
#define FID_TD 512
#define FID_MAX 4096

/* ---- FID ------------------------------------------------------------------ */

static nmrc_cmat *fid_rho0[ACQ_ITEMS];

static void *fid_ws_create(const void *plan) { return nmrc_fid_ws_create(plan); }
static void fid_ws_destroy(void *ws) { nmrc_fid_ws_destroy(ws); }

static nmrc_status fid_run(const void *plan, void *ws, size_t k, void *out)
{
    return nmrc_fid_execute(plan, ws, fid_rho0[k], out);
}

/* 1H-1H-13C: the 1H pair strongly coupled (60 Hz apart, J 25 Hz) with
** different T2, so T2 mixes its eigen-coherences (Liouville route). */
static void test_fid_two_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    nmrc_nmr_system_chcl3(&sys);
    sys.n_spins = 3;
    sys.spins[2] = sys.spins[1];                     /* 13C */
    sys.spins[1] = sys.spins[0];                     /* second 1H */
    sys.spins[0].offset_hz = 100;
    sys.spins[1].offset_hz = 160;
    sys.spins[2].offset_hz = -50;
    sys.n_couplings = 3;
    sys.couplings[0] = (nmrc_nmr_coupling){0, 1, 25.0, 0, 0};
    sys.couplings[1] = (nmrc_nmr_coupling){0, 2, 150.0, 0, 0};
    sys.couplings[2] = (nmrc_nmr_coupling){1, 2, 140.0, 0, 0};
    nmrc_cmat *h = nmrc_cmat_create(8, 8);
    assert_int_equal(nmrc_nmr_hamiltonian(&sys, h), NMRC_OK);
    double t2[3] = {0.05, 0.02, 0.01};
    int species[3] = {0, 0, 1};
    nmrc_fid_system fs = {3, h, t2, species};
    nmrc_acq acq = {0x3u, FID_TD, 1000.0, 0.25};
    nmrc_fid_plan *plan;
    assert_int_equal(nmrc_fid_plan_create(&fs, &acq, NULL, &plan), NMRC_OK);
    int liouville = 0;
    for (size_t q = 0; q < plan->n_pairs; q++)
        liouville |= plan->pairs[q].rinv != NULL;
    assert_true(liouville && nmrc_fid_plan_exact(plan));
    uint64_t s = 2024;
    for (size_t k = 0; k < ACQ_ITEMS; k++) {
        assert_non_null(fid_rho0[k] = nmrc_cmat_create(8, 8));
        tsan_state(fid_rho0[k], &s);
    }
    tsan_case c = {"fid", plan, ACQ_ITEMS, FID_TD * sizeof(nmrc_cplx), 20, fid_ws_create,
                   fid_ws_destroy, fid_run};
    tsan_check(&c);
    for (size_t k = 0; k < ACQ_ITEMS; k++)
        nmrc_cmat_destroy(fid_rho0[k]);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(h);
}

/* ---- Spectrum, one shared plan --------------------------------------------- */

static nmrc_cplx acq_fid[ACQ_ITEMS][FID_MAX];

/* Damped lines with item-dependent frequencies and phases. */
static void acq_fids(void)
{
    for (size_t k = 0; k < ACQ_ITEMS; k++)
        for (size_t j = 0; j < FID_MAX; j++) {
            double t = (double)j / 1000.0, f = 37.0 + 11.0 * (double)k;
            acq_fid[k][j] = exp(-t / 0.4) * cexp(I * (2 * NMRC_PI * f * t + 0.1 * (double)k)) +
                            0.3 * exp(-t / 0.1) * cexp(-I * 2 * NMRC_PI * 210.0 * t);
        }
}

static void *spec_ws_create(const void *plan) { return nmrc_spectrum_ws_create(plan); }
static void spec_ws_destroy(void *ws) { nmrc_spectrum_ws_destroy(ws); }

static nmrc_status spec_run(const void *plan, void *ws, size_t k, void *out)
{
    nmrc_spectrum_execute(plan, ws, acq_fid[k], out);
    return NMRC_OK;
}

static void test_spectrum_two_threads(void **state)
{
    (void)state;
    nmrc_proc proc = {2048, 1.0, 0.5, 0.3, 0.2, 0.5};
    nmrc_spectrum_plan *plan;
    acq_fids();
    assert_int_equal(nmrc_spectrum_plan_create(FID_TD, 1000.0, 400.0, &proc, NULL, &plan),
                     NMRC_OK);
    tsan_case c = {"spectrum", plan, ACQ_ITEMS, 2048 * sizeof(nmrc_cplx), 40, spec_ws_create,
                   spec_ws_destroy, spec_run};
    tsan_check(&c);
    nmrc_spectrum_plan_destroy(plan);
}

/* ---- Spectrum plans created and destroyed by two threads -------------------- */

/* Item k: its own td and si (powers of two and not), processing, FID. */
#define MAKE_ITEMS 8
static const size_t make_td[MAKE_ITEMS] = {100, 256, 300, 1000, 777, 1536, 2048, 4000};
static const size_t make_si[MAKE_ITEMS] = {0, 1000, 0, 3000, 1536, 0, 2187, 4096};

/* The case's "plan" is only this table; each run makes a spectrum plan and
** a workspace, executes, and destroys both. */
static nmrc_status make_run(const void *plan, void *ws, size_t k, void *out)
{
    (void)plan;
    (void)ws;
    nmrc_proc proc = {make_si[k], 0.5 * (double)k, 0, 0.1 * (double)k, 0.05, 0.5};
    nmrc_spectrum_plan *sp;
    nmrc_status st = nmrc_spectrum_plan_create(make_td[k], 1000.0, 0, &proc, NULL, &sp);
    if (st != NMRC_OK)
        return st;
    nmrc_spectrum_ws *sws = nmrc_spectrum_ws_create(sp);
    if (!sws) {
        nmrc_spectrum_plan_destroy(sp);
        return NMRC_ENOMEM;
    }
    nmrc_spectrum_execute(sp, sws, acq_fid[k % ACQ_ITEMS], out);
    nmrc_spectrum_ws_destroy(sws);
    nmrc_spectrum_plan_destroy(sp);
    return NMRC_OK;
}

static void *make_ws_create(const void *plan)
{
    (void)plan;
    return malloc(1);
}

static void test_spectrum_plans_two_threads(void **state)
{
    (void)state;
    acq_fids();
    tsan_case c = {"spectrum plan create/destroy", make_td, MAKE_ITEMS,
                   FID_MAX * sizeof(nmrc_cplx), 60, make_ws_create, free, make_run};
    tsan_check(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fid_two_threads),
        cmocka_unit_test(test_spectrum_two_threads),
        cmocka_unit_test(test_spectrum_plans_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
