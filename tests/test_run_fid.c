/*
** test_run_fid.c: FID runs of the run API against the acquisition library
** called directly: the thermal 90_y experiment equals an nmrc_fid plan on
** nmrc_fid_thermal_state, its spectrum an nmrc_spectrum plan with the phase
** reported, which makes the first point real; inversion recovery with T1
** recovery (1 - 2 exp(-tau/T1)); the read-pulse and other-nucleus rules;
** the default pair; workspaces, also two threads on one plan.
*/
#include <pthread.h>

#include "test_run_util.h"

#define CHCL3 TR_EXAMPLES "/chloroform.spin"

static nmrc_run_fid_plan *plan_of(nmrc_run_input *in, const nmrc_run_fid_opts *o)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_fid_plan *p = NULL;
    if (nmrc_run_input_is_xml(in))
        assert_int_equal(nmrc_run_load_sequence(in, ctx), NMRC_OK);
    nmrc_status st = nmrc_run_fid_plan_create(in, o, ctx, &p);
    if (st != NMRC_OK)
        fail_msg("fid plan: %s", nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    return p;
}

/* The FID of nucleus mask `nuc` after a 90_y, by nmrc_fid directly. */
static void direct_fid(const nmrc_model *m, unsigned nuc, size_t td, double sw, nmrc_cplx *fid)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *rho = nmrc_cmat_create(4, 4), *h = nmrc_cmat_create(4, 4);
    int species[2];
    double t2[2];
    assert_int_equal(nmrc_fid_thermal_state(m, nuc, NMRC_PI / 2, NMRC_PI / 2, ctx, rho), NMRC_OK);
    assert_int_equal(nmrc_fid_hamiltonian(m, ctx, h), NMRC_OK);
    nmrc_fid_species(m, species, t2);
    nmrc_fid_system sys = {2, h, t2, species};
    nmrc_acq acq = {nuc, td, sw, 0};
    nmrc_fid_plan *plan = NULL;
    assert_int_equal(nmrc_fid_plan_create(&sys, &acq, ctx, &plan), NMRC_OK);
    nmrc_fid_ws *ws = nmrc_fid_ws_create(plan);
    assert_int_equal(nmrc_fid_execute(plan, ws, rho, fid), NMRC_OK);
    nmrc_fid_ws_destroy(ws);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(rho), nmrc_cmat_destroy(h);
    nmrc_ctx_destroy(ctx);
}

static void test_thermal(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(CHCL3, NULL, 0, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_run_fid_opts o;
    nmrc_run_fid_opts_default(&o);
    o.thermal = 1, o.td = 512, o.lb_hz = 1;
    nmrc_run_fid_plan *p = plan_of(in, &o);
    nmrc_run_fid_summary s;
    nmrc_run_fid_plan_summary(p, &s);
    assert_true(s.n_nuclei == 2 && s.thermal && s.td == 512 && s.sw_hz == 2000);
    assert_null(nmrc_run_fid_plan_seq(p));
    nmrc_run_fid_ws *ws = nmrc_run_fid_ws_create(p);
    nmrc_ctx *ctx = nmrc_ctx_create();
    const char *iso[2] = {"1H", "13C"};
    for (size_t k = 0; k < 2; k++) {
        nmrc_run_fid_info f;
        assert_int_equal(nmrc_run_fid_plan_info(p, k, ctx, &f), NMRC_OK);
        assert_string_equal(f.nucleus, iso[k]);
        assert_true(f.acquired && !f.read_pulse && f.exact && f.spins == 1u << k);
        assert_true(f.td == 512 && f.si == 2048);
        assert_close(f.sfo1_mhz, nmrc_fid_larmor_mhz(m, iso[k]), 1e-15, 0);
        nmrc_cplx fid[512], spec[2048], want[512], wspec[2048];
        assert_int_equal(nmrc_run_fid_execute(p, ws, k, ctx, fid, spec), NMRC_OK);
        direct_fid(m, 1u << k, 512, 2000, want);
        assert_true(tr_max_diff(fid, want, 512) < 1e-12);
        /* the phase makes the first point real and positive */
        nmrc_cplx z = fid[0] * cexp(I * f.phc0);
        assert_true(creal(z) > 0 && fabs(cimag(z)) < 1e-12 * creal(z));
        /* the spectrum: an nmrc_spectrum plan on this FID with that phase */
        nmrc_proc proc = {2048, 1, 0, f.phc0, 0, 0.5};
        nmrc_spectrum_plan *sp = NULL;
        assert_int_equal(nmrc_spectrum_plan_create(512, 2000, f.sfo1_mhz, &proc, ctx, &sp),
                         NMRC_OK);
        nmrc_spectrum_ws *sws = nmrc_spectrum_ws_create(sp);
        nmrc_spectrum_execute(sp, sws, fid, wspec);
        assert_true(tr_max_diff(spec, wspec, 2048) == 0);
        double hz[2048], ppm[2048];
        assert_int_equal(nmrc_run_fid_axis(p, k, ctx, hz, ppm), NMRC_OK);
        assert_true(hz[7] == nmrc_spectrum_hz(sp, 7) && ppm[7] == nmrc_spectrum_ppm(sp, 7));
        nmrc_spectrum_ws_destroy(sws);
        nmrc_spectrum_plan_destroy(sp);
        /* a second workspace gives the same FID: execute writes nothing in the plan */
        nmrc_run_fid_ws *ws2 = nmrc_run_fid_ws_create(p);
        nmrc_cplx again[512], spec2[2048];
        assert_int_equal(nmrc_run_fid_execute(p, ws2, k, ctx, again, spec2), NMRC_OK);
        assert_memory_equal(again, fid, sizeof fid);
        nmrc_run_fid_ws_destroy(ws2);
    }
    nmrc_ctx_destroy(ctx);
    nmrc_run_fid_ws_destroy(ws);
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
}

/* 180_x - 30 s - 90_y - acquire on 1H (T1 3 s): the first point is the
** recovered magnetization 1 - 2 exp(-10) = 0.999909 with ideal pulses; the
** real pulses with T1/T2 give 0.9998954 (tests/audit, independent Liouvillian). */
static void test_inversion_recovery(void **state)
{
    (void)state;
    const char *text =
        "system {\n  spin H 1H  T1 3 s  T2 1 s  p90 10 us\n  spin C 13C  T1 5 s  T2 0.5 s  "
        "p90 15 us\n  field 400 MHz\n  couple H C J 215 Hz\n}\nomega = 26.875 Hz\n"
        "sequence {\n  pulse H 180 x\n  delay 30 s\n  pulse H 90 y\n  acquire\n}\n"
        "readout { observe H  td 256  sw 2 kHz }\n";
    nmrc_run_input *in = tr_load(tr_write("run_ir.spin", text), NULL, 0, 0);
    nmrc_run_fid_opts o;
    nmrc_run_fid_opts_default(&o);
    nmrc_run_fid_plan *p = plan_of(in, &o);
    nmrc_run_fid_summary s;
    nmrc_run_fid_plan_summary(p, &s);
    assert_true(s.n_nuclei == 1 && s.relax && !s.thermal);
    nmrc_run_fid_ws *ws = nmrc_run_fid_ws_create(p);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx fid[256], spec[1024];
    assert_int_equal(nmrc_run_fid_execute(p, ws, 0, ctx, fid, spec), NMRC_OK);
    assert_close(creal(fid[0]), 1 - 2 * exp(-10.0), 2e-5, 0);
    assert_close(creal(fid[0]), 0.9998954, 1e-6, 0);
    nmrc_ctx_destroy(ctx);
    nmrc_run_fid_ws_destroy(ws);
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
}

static void test_rules(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_fid_opts o;
    nmrc_run_fid_opts_default(&o);
    o.td = 64;
    /* the X-dephasing sandwich leaves no excitation: read out with a 90_y */
    nmrc_run_input *in = NULL;
    assert_int_equal(nmrc_run_load(NMRC_SOURCE_DIR "/sequences/x_dephasing.xml", CHCL3, NULL, 0,
                                   0, ctx, &in), NMRC_OK);
    nmrc_run_fid_plan *p = plan_of(in, &o);
    nmrc_run_fid_info f;
    assert_int_equal(nmrc_run_fid_plan_info(p, 0, ctx, &f), NMRC_OK);
    assert_true(f.read_pulse && f.acquired);
    assert_string_equal(f.nucleus, "1H");
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
    /* a program acquiring on 1H only gives 13C no FID */
    const char *text =
        "system {\n  spin H 1H T1 2 s T2 0.5 s p90 10 us\n  spin C 13C T1 4 s T2 0.3 s p90 15 us\n"
        "  field 400 MHz\n  couple H C J 150 Hz\n}\nomega = 10 Hz\n"
        "sequence {\n  pulse H 90 x\n  delay 1 ms\n  pulse C 90 y\n  acquire\n}\n"
        "readout { observe H C td 64 sw 2 kHz }\n";
    in = tr_load(tr_write("run_acq_h.spin", text), NULL, 0, 0);
    p = plan_of(in, &o);
    assert_int_equal(nmrc_run_fid_plan_info(p, 1, ctx, &f), NMRC_OK);
    assert_false(f.acquired);
    assert_string_equal(f.nucleus, "13C");
    assert_string_equal(f.acquired_on, "1H");
    assert_null(nmrc_run_fid_plan_spectrum(p, 1));
    nmrc_run_fid_ws *ws = nmrc_run_fid_ws_create(p);
    nmrc_cplx fid[64], spec[256];
    assert_int_equal(nmrc_run_fid_execute(p, ws, 1, ctx, fid, spec), NMRC_ENOTFOUND);
    assert_int_equal(nmrc_run_fid_execute(p, ws, 0, ctx, fid, spec), NMRC_OK);
    /* the 1H signal starts off-phase (J evolution during the delay): the
    ** automatic phc0 rotates its first point onto the positive real axis */
    assert_int_equal(nmrc_run_fid_plan_info(p, 0, ctx, &f), NMRC_OK);
    nmrc_cplx z = fid[0] * cexp(I * f.phc0);
    assert_true(fabs(f.phc0) > 0.1);
    assert_true(creal(z) > 0 && fabs(cimag(z)) < 1e-12 * creal(z));
    assert_int_equal(nmrc_run_fid_execute(p, ws, 2, ctx, fid, spec), NMRC_EINVAL);
    nmrc_run_fid_ws_destroy(ws);
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
}

/* Two threads, one workspace each, on one plan: every FID bit for bit the
** serial one (the plan is only read; run under ThreadSanitizer too). */
typedef struct fid_job {
    const nmrc_run_fid_plan *plan;
    nmrc_cplx fid[2][256], spec[2][1024];
    int bad;
} fid_job;

static void *fid_thread(void *arg)
{
    fid_job *j = arg;
    nmrc_run_fid_ws *ws = nmrc_run_fid_ws_create(j->plan);
    nmrc_ctx *ctx = nmrc_ctx_create();
    for (int rep = 0; rep < 20 && ws && ctx; rep++)
        for (size_t k = 0; k < 2; k++)
            j->bad |= nmrc_run_fid_execute(j->plan, ws, k, ctx, j->fid[k], j->spec[k]) != NMRC_OK;
    j->bad |= !ws || !ctx;
    nmrc_ctx_destroy(ctx);
    nmrc_run_fid_ws_destroy(ws);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    nmrc_run_input *in = NULL;
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_run_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml", CHCL3, NULL, 0, 0, ctx,
                                   &in), NMRC_OK);
    nmrc_run_fid_opts o;
    nmrc_run_fid_opts_default(&o);
    o.td = 256;
    nmrc_run_fid_plan *p = plan_of(in, &o);
    static fid_job serial, job[2];
    serial.plan = job[0].plan = job[1].plan = p;
    fid_thread(&serial);
    assert_false(serial.bad);
    pthread_t th[2];
    for (int t = 0; t < 2; t++)
        assert_int_equal(pthread_create(&th[t], NULL, fid_thread, &job[t]), 0);
    for (int t = 0; t < 2; t++) {
        assert_int_equal(pthread_join(th[t], NULL), 0);
        assert_false(job[t].bad);
        assert_memory_equal(job[t].fid, serial.fid, sizeof serial.fid);
        assert_memory_equal(job[t].spec, serial.spec, sizeof serial.spec);
    }
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
}

static void test_default_pair(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml", NULL, 0, 0);
    nmrc_run_fid_opts o;
    nmrc_run_fid_opts_default(&o);
    o.td = 64;
    nmrc_run_fid_plan *p = plan_of(in, &o);
    nmrc_run_fid_summary s;
    nmrc_run_fid_plan_summary(p, &s);
    assert_true(s.default_system && s.n_spins == 2 && s.n_nuclei == 2);
    nmrc_nmr_system want;
    nmrc_nmr_system_chcl3(&want);
    assert_memory_equal(nmrc_run_fid_plan_system(p), &want, sizeof want);
    /* 2.5 x (J/2) = 269 Hz is below 1 kHz: the sweep width is 1 kHz */
    assert_close(s.sw_hz, 1000, 0, 0);
    nmrc_run_fid_plan_destroy(p);
    nmrc_run_input_destroy(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thermal),
        cmocka_unit_test(test_inversion_recovery),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_default_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
