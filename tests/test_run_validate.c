/*
** test_run_validate.c: validation through the run API: the hand-written
** DM_z palindrome's delta-pulse fidelity equals |Tr(V^+ U)|^2 / d^2 computed
** here from the physical model's propagator and the target; it passes, the
** paper's cycle fails as open and wrong; the report text and its sizes;
** the default 13CHCl3 pair for an XML input; a three-spin system refused.
*/
#include "test_run_util.h"

#define NMR NMRC_SOURCE_DIR "/tests/nmr"

static nmrc_run_validation *validate(nmrc_run_input *in, double min_fid)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_validate_opts o;
    nmrc_run_validate_opts_default(&o);
    o.min_fidelity = min_fid;
    nmrc_run_validation *v = NULL;
    if (nmrc_run_input_is_xml(in))
        assert_int_equal(nmrc_run_load_sequence(in, ctx), NMRC_OK);
    nmrc_status st = nmrc_run_validate(in, &o, ctx, &v);
    if (st != NMRC_OK)
        fail_msg("validate: %s", nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    return v;
}

/* |Tr(V^+ U)|^2 / 16 of the delta-pulse program, from the physical model's
** propagator and exp(-i H_target t), both by the lower library. */
static double direct_fidelity(const nmrc_model *m)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    assert_int_equal(nmrc_compile_cfg_apply(&cfg, &m->compile, ctx), NMRC_OK);
    cfg.finite = 0;
    nmrc_seq *seq = NULL;
    assert_int_equal(nmrc_compile_model(m, &cfg, ctx, &seq), NMRC_OK);
    nmrc_nmr_system sys;
    assert_int_equal(nmrc_nmr_system_from_model(m, ctx, &sys), NMRC_OK);
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.pulses = NMRC_NMR_PULSES_DELTA;
    nmrc_nmr_plan *plan = NULL;
    assert_int_equal(nmrc_nmr_plan_create(&sys, seq, &opt, ctx, &plan), NMRC_OK);
    nmrc_nmr_ws *w = nmrc_nmr_ws_create(plan);
    nmrc_cmat *U = nmrc_cmat_create(4, 4), *H = nmrc_cmat_create(4, 4), *V = nmrc_cmat_create(4, 4);
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(4);
    assert_int_equal(nmrc_nmr_execute_unitary(plan, w, U), NMRC_OK);
    assert_int_equal(nmrc_nmr_seq_target(seq, 2, H), NMRC_OK);
    assert_int_equal(nmrc_expmh(V, H, seq->target_time, ews), NMRC_OK);
    nmrc_cplx tr = 0;
    for (size_t i = 0; i < 4; i++)
        for (size_t k = 0; k < 4; k++)
            tr += conj(NMRC_CMAT_AT(V, k, i)) * NMRC_CMAT_AT(U, k, i);
    nmrc_eigh_ws_destroy(ews);
    nmrc_cmat_destroy(U), nmrc_cmat_destroy(H), nmrc_cmat_destroy(V);
    nmrc_nmr_ws_destroy(w);
    nmrc_nmr_plan_destroy(plan);
    nmrc_seq_destroy(seq);
    nmrc_ctx_destroy(ctx);
    return cabs(tr) * cabs(tr) / 16;
}

/* The report text (caller frees), its length queried first. */
static char *report(const nmrc_run_validation *v)
{
    size_t len = nmrc_run_validation_report(v, NULL, 0);
    char *text = malloc(len + 1);
    assert_non_null(text);
    assert_int_equal(nmrc_run_validation_report(v, text, len + 1), len);
    assert_int_equal(strlen(text), len);
    return text;
}

static void test_palindrome(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(NMR "/dm_palindrome.spin", NULL, 0, 0);
    nmrc_run_validation *v = validate(in, 0.98);
    const nmrc_run_vrun *r = nmrc_run_validation_runs(v);
    assert_string_equal(r[0].name, "delta pulses");
    assert_string_equal(r[1].name, "finite pulses");
    assert_true(r[0].f_process >= 0.9999);
    assert_close(r[0].f_process, direct_fidelity(nmrc_run_input_model(in)), 1e-12, 0);
    assert_close(r[0].f_average, (4 * r[0].f_process + 1) / 5, 1e-15, 0);
    for (int k = 0; k < NMRC_RUN_VALIDATE_RUNS; k++) {
        assert_true(r[k].f_state <= 1 + 1e-12 && r[k].trace_distance >= 0);
        assert_close(r[k].battery.capacity, r[k].battery.ergotropy - r[k].battery.antiergotropy,
                     1e-10, 1e-12);
    }
    /* T1/T2 in the third run cost fidelity; the first two runs have none */
    assert_true(r[2].f_process < r[1].f_process - 1e-6);
    nmrc_run_vsummary s;
    nmrc_run_validation_summary(v, &s);
    assert_true(s.pass && s.has_analysis && !s.open_cycle && !s.wrong_h0 && s.from_spec);
    assert_true(s.h0_mismatch < 1e-3);
    assert_string_equal(s.units, "omega");
    assert_non_null(nmrc_run_validation_analysis(v));
    /* the report: length first, then the text; a short buffer gets its start */
    char *text = report(v);
    size_t len = strlen(text);
    assert_memory_equal(text, "nmrc validate: " NMR "/dm_palindrome.spin\n",
                        strlen("nmrc validate: " NMR "/dm_palindrome.spin\n"));
    assert_non_null(strstr(text, "verdict: PASS"));
    char small[16];
    assert_int_equal(nmrc_run_validation_report(v, small, sizeof small), len);
    assert_int_equal(strlen(small), 15);
    assert_memory_equal(small, text, 15);
    free(text);
    nmrc_run_validation_destroy(v);
    nmrc_run_input_destroy(in);
}

static void test_paper_cycle_fails(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(NMR "/paper_dm_cycle.spin", NULL, 0, 0);
    nmrc_run_validation *v = validate(in, 0.99);
    nmrc_run_vsummary s;
    nmrc_run_validation_summary(v, &s);
    assert_true(!s.pass && s.open_cycle && s.wrong_h0);
    char *text = report(v);
    assert_non_null(strstr(text, "OPEN CYCLE"));
    assert_non_null(strstr(text, "verdict: FAIL"));
    free(text);
    nmrc_run_validation_destroy(v);
    nmrc_run_input_destroy(in);
}

static void test_xml_default_pair(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml", NULL, 0, 0);
    nmrc_run_validation *v = validate(in, 0.99);
    nmrc_run_vsummary s;
    nmrc_run_validation_summary(v, &s);
    assert_false(s.from_spec);
    assert_string_equal(s.units, "rad/s");
    assert_true(nmrc_run_validation_runs(v)[0].f_process >= 0.9999);
    nmrc_nmr_system want;
    nmrc_nmr_system_chcl3(&want);
    assert_memory_equal(nmrc_run_validation_system(v), &want, sizeof want);
    nmrc_run_validation_destroy(v);
    nmrc_run_input_destroy(in);
}

static void test_errors(void **state)
{
    (void)state;
    const char *text =
        "system {\n  spin a 1H\n  spin b 1H\n  spin c 13C\n  couple a c J 150 Hz\n}\n"
        "omega = 10 Hz\n";
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    assert_int_equal(nmrc_run_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml",
                                   tr_write("run_three.spin", text), NULL, 0, 0, ctx, &in),
                     NMRC_OK);
    assert_int_equal(nmrc_run_load_sequence(in, ctx), NMRC_OK);
    nmrc_run_validate_opts o;
    nmrc_run_validate_opts_default(&o);
    nmrc_run_validation *v = NULL;
    assert_int_equal(nmrc_run_validate(in, &o, ctx, &v), NMRC_ENOTSUP);
    assert_null(v);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "two-spin"));
    o.b1_nodes = 0;
    assert_int_equal(nmrc_run_validate(in, &o, ctx, &v), NMRC_EINVAL);
    nmrc_run_validation_destroy(NULL);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_palindrome),
        cmocka_unit_test(test_paper_cycle_fails),
        cmocka_unit_test(test_xml_default_pair),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
