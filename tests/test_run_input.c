/*
** test_run_input.c: loading inputs through the run API: overrides reach the
** model; a bad spec's message is its every diagnostic with the caret lines,
** exactly as nmrc_spec_diag_text gives them (also past 1 KiB, with the
** closing too-many line); override and file errors name what failed; XML
** inputs and their spin system; fresh models.
*/
#include "test_run_util.h"

#define BAD NMRC_SOURCE_DIR "/tests/specs/bad"

static double param(const nmrc_model *m, const char *name)
{
    for (size_t i = 0; i < m->n_params; i++)
        if (!strcmp(m->param_names[i], name))
            return m->param_values[i];
    fail_msg("no parameter %s", name);
    return NAN;
}

static void test_overrides(void **state)
{
    (void)state;
    const char *sets[] = {"D=0.3", "T=0.7", "J=100 Hz"};
    nmrc_run_input *in = tr_load(TR_EXAMPLES "/chloroform.spin", sets, 3, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    assert_non_null(m);
    assert_false(nmrc_run_input_is_xml(in));
    assert_null(nmrc_run_input_seq(in));
    assert_close(param(m, "D"), 0.3, 0, 0);
    assert_close(m->temperature, 0.7, 0, 0);
    assert_close(m->couplings[0].j_hz, 100.0, 1e-15, 0);
    /* a fresh model is independent of the input's */
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_model *m2 = NULL;
    assert_int_equal(nmrc_run_resolve(in, ctx, &m2), NMRC_OK);
    assert_ptr_not_equal(m2, m);
    assert_close(param(m2, "D"), 0.3, 0, 0);
    assert_int_equal(nmrc_run_model_spins(m2), 2);
    assert_int_equal(nmrc_run_model_dim(m2), 4);
    nmrc_model_destroy(m2);
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
    /* unresolved: no model until nmrc_run_resolve */
    in = tr_load(TR_EXAMPLES "/battery.spin", NULL, 0, NMRC_RUN_LOAD_UNRESOLVED);
    assert_null(nmrc_run_input_model(in));
    nmrc_run_input_destroy(in);
}

/* The expected message: the spec's diagnostics read directly. */
static char *direct_diagnostics(const char *path)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_status st = nmrc_spec_parse_file(path, ctx, &spec);
    nmrc_model *m = NULL;
    if (st == NMRC_OK) {
        assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_ESYNTAX);
    } else {
        assert_int_equal(st, NMRC_ESYNTAX);
    }
    size_t n = nmrc_spec_diag_count(spec), len = 64;
    for (size_t i = 0; i < n; i++)
        len += strlen(nmrc_spec_diag_text(spec, i));
    char *text = calloc(len, 1);
    assert_non_null(text);
    for (size_t i = 0; i < n; i++)
        strcat(text, nmrc_spec_diag_text(spec, i));
    if (n >= NMRC_MAX_DIAGS)
        strcat(text, "nmrc: too many errors; stopped after the first 20\n");
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return text;
}

static void check_diagnostics(const char *path, size_t min_len)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = (nmrc_run_input *)1;
    assert_int_equal(nmrc_run_load(path, NULL, NULL, 0, 0, ctx, &in), NMRC_ESYNTAX);
    assert_null(in);
    char *want = direct_diagnostics(path);
    assert_string_equal(nmrc_ctx_errmsg(ctx), want);
    assert_true(strlen(want) >= min_len);
    /* each diagnostic has its caret line */
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "^"));
    free(want);
    nmrc_ctx_destroy(ctx);
}

static void test_diagnostics(void **state)
{
    (void)state;
    check_diagnostics(BAD "/negative_temperature.spin", 40);   /* a semantic error */
    check_diagnostics(BAD "/many_errors.spin", 1024);          /* past the old 1 KiB cap */
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    assert_int_equal(nmrc_run_load(BAD "/many_errors.spin", NULL, NULL, 0, 0, ctx, &in),
                     NMRC_ESYNTAX);
    const char *msg = nmrc_ctx_errmsg(ctx), *tail = "stopped after the first 20\n";
    assert_string_equal(msg + strlen(msg) - strlen(tail), tail);
    nmrc_ctx_destroy(ctx);
}

static void test_errors(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    const char *bad_set[] = {"NOPE=1"};
    assert_int_equal(nmrc_run_load(TR_EXAMPLES "/battery.spin", NULL, bad_set, 1, 0, ctx, &in),
                     NMRC_ENOTFOUND);
    assert_null(in);
    assert_memory_equal(nmrc_ctx_errmsg(ctx), "--set NOPE=1: ", 14);
    assert_int_not_equal(nmrc_run_load("no_such_file.spin", NULL, NULL, 0, 0, ctx, &in),
                         NMRC_OK);
    assert_memory_equal(nmrc_ctx_errmsg(ctx), "no_such_file.spin: ", 19);
    /* a spin-system spec belongs to an XML input; overrides need a spec */
    assert_int_equal(nmrc_run_load(TR_EXAMPLES "/battery.spin", TR_EXAMPLES "/battery.spin",
                                   NULL, 0, 0, ctx, &in), NMRC_EINVAL);
    assert_int_equal(nmrc_run_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml", NULL, bad_set, 1, 0,
                                   ctx, &in), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "--set needs a spec"));
    nmrc_ctx_destroy(ctx);
}

static void test_xml(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    const char *sets[] = {"J=200 Hz"};
    assert_int_equal(nmrc_run_load(NMRC_SOURCE_DIR "/sequences/dm_z.xml",
                                   TR_EXAMPLES "/chloroform.spin", sets, 1, 0, ctx, &in),
                     NMRC_OK);
    assert_true(nmrc_run_input_is_xml(in));
    assert_null(nmrc_run_input_seq(in));
    assert_close(nmrc_run_input_model(in)->couplings[0].j_hz, 200.0, 1e-15, 0);
    assert_int_equal(nmrc_run_load_sequence(in, ctx), NMRC_OK);
    const nmrc_seq *seq = nmrc_run_input_seq(in);
    assert_non_null(seq);
    /* the same program as the XML reader gives */
    nmrc_seq *direct = NULL;
    assert_int_equal(nmrc_xml_read_file(NMRC_SOURCE_DIR "/sequences/dm_z.xml", ctx, &direct),
                     NMRC_OK);
    assert_int_equal(seq->n_events, direct->n_events);
    assert_string_equal(seq->name, direct->name);
    nmrc_seq_destroy(direct);
    nmrc_run_input_destroy(in);
    /* a .spin input has no program to read */
    in = tr_load(TR_EXAMPLES "/battery.spin", NULL, 0, 0);
    assert_int_equal(nmrc_run_load_sequence(in, ctx), NMRC_EINVAL);
    nmrc_run_input_destroy(in);
    nmrc_run_input_destroy(NULL);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_diagnostics),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
