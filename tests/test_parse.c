/*
** test_parse.c: cmocka tests for the .spin parser and resolver: the
** paper's battery tensor (Eq. 12) checked against its closed-form spectrum
** (Eq. 13), term conventions, error recovery and diagnostics, parameter
** overrides, includes (nesting, cycles, missing files), every initial
** state and sequence construct, and input friction: byte-order marks, µs,
** unit typos, kelvin, empty and spin-less specs.
*/
#include "nmrc_test.h"


#include <lapacke.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/nmrc.h"
#include "nmrc/consts.h"
#include "spec_test_util.h"

/* Parses and resolves text; returns the model (or NULL) and the spec. */
static nmrc_model *load(const char *text, nmrc_spec **spec_out)
{
    return spec_load("t.spin", text, spec_out);
}

static const char battery[] =
    "param B = 0.3\nparam D = 0.4\nparam G = 0.25\nparam Delta = 1.3\nparam eps = 0.2\n"
    "system { spin A 1H; spin Bs 13C }\n"
    "target {\n  zeeman B\n  dipolar A Bs Delta Delta eps eps\n  dm A Bs (0, 0, D)\n"
    "  ksea A Bs (0, 0, G)\n}\n";

/* Spectrum of sum T_ab s_a s_b + b1.s (x) 1 + 1 (x) b2.s, ascending. */
static void two_spin_spectrum(const double T[9], const double b1[3], const double b2[3],
                              double w[4])
{
    const nmrc_cplx s[3][4] = {{0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}}; /* col-major */
    nmrc_cplx h[16] = {0};
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            int r1 = r >> 1, r2 = r & 1, c1 = c >> 1, c2 = c & 1;
            nmrc_cplx v = 0;
            for (int a = 0; a < 3; a++) {
                for (int b = 0; b < 3; b++)
                    v += T[3 * a + b] * s[a][r1 + 2 * c1] * s[b][r2 + 2 * c2];
                v += b1[a] * s[a][r1 + 2 * c1] * (r2 == c2);
                v += b2[a] * s[a][r2 + 2 * c2] * (r1 == c1);
            }
            h[r + 4 * c] = v;
        }
    assert_int_equal(LAPACKE_zheev(LAPACK_COL_MAJOR, 'N', 'U', 4, h, 4, w), 0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_battery_tensor(void **state)
{
    (void)state;
    nmrc_model *m = load(battery, NULL);
    assert_non_null(m);
    const double B = 0.3, D = 0.4, G = 0.25, Dl = 1.3, e = 0.2;
    double T[9], b1[3], b2[3];
    const double want[9] = {-Dl / 3 + e, D + G, 0, G - D, -Dl / 3 - e, 0, 0, 0, 2 * Dl / 3};
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 1, T), NMRC_OK);
    for (int k = 0; k < 9; k++)
        assert_close(T[k], want[k], 1e-14, 1e-15);
    assert_int_equal(nmrc_model_local_field(m, 0, b1), NMRC_OK);
    assert_int_equal(nmrc_model_local_field(m, 1, b2), NMRC_OK);
    assert_close(b1[2], B, 1e-15, 0);
    assert_close(b2[2], B, 1e-15, 0);
    /* Eq. 13: eigenvalues with kappa1 = sqrt(9D^2+Delta^2), kappa2 = sqrt(B^2+G^2+eps^2) */
    double w[4], k1 = sqrt(9 * D * D + Dl * Dl), k2 = sqrt(B * B + G * G + e * e);
    double eq13[4] = {-2 * (Dl + k1) / 3, 2 * (-Dl + k1) / 3, 2 * (Dl - 3 * k2) / 3,
                      2 * (Dl + 3 * k2) / 3};
    qsort(eq13, 4, sizeof eq13[0], cmp_double);
    two_spin_spectrum(T, b1, b2, w);
    for (int k = 0; k < 4; k++)
        assert_close(w[k], eq13[k], 1e-12, 1e-12);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 0, T), NMRC_EINVAL);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 2, T), NMRC_EINVAL);
    nmrc_model_destroy(m);
}

static void test_term_conventions(void **state)
{
    (void)state;
    nmrc_model *m = load("system { spin H 1H; spin C 13C; spin N 15N }\n"
                         "target {\n dm C H (1, 2, 3)\n zeeman C 2 along (3, 0, 4)\n"
                         " zeeman 0.5 along y\n dipolar H N tensor [(1,2,0),(2,3,0),(0,0,-4)]\n"
                         " tensor N C [(1,2,3)(4,5,6)(7,8,9)]\n}\n", NULL);
    assert_non_null(m);
    double T[9], b[3];
    /* written as (C, H): T(C,H) has T_yz = Dx ...; T(H,C) is its transpose */
    assert_int_equal(nmrc_model_pair_tensor(m, 1, 0, T), NMRC_OK);
    const double dm[9] = {0, 3, -2, -3, 0, 1, 2, -1, 0};
    for (int k = 0; k < 9; k++)
        assert_close(T[k], dm[k], 0, 0);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 1, T), NMRC_OK);
    for (int a = 0; a < 3; a++)
        for (int c = 0; c < 3; c++)
            assert_close(T[3 * a + c], dm[3 * c + a], 0, 0);
    assert_int_equal(nmrc_model_local_field(m, 1, b), NMRC_OK);
    assert_close(b[0], 2 * 0.6, 1e-15, 0);
    assert_close(b[1], 0.5, 1e-15, 0);
    assert_close(b[2], 2 * 0.8, 1e-15, 0);
    assert_int_equal(nmrc_model_local_field(m, 0, b), NMRC_OK);
    assert_close(b[1], 0.5, 0, 0);
    assert_close(b[0] + b[2], 0, 0, 0);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 2, T), NMRC_OK);
    const double dip[9] = {-1.0 / 3, -2.0 / 3, 0, -2.0 / 3, -1, 0, 0, 0, 4.0 / 3};
    for (int k = 0; k < 9; k++)
        assert_close(T[k], dip[k], 1e-15, 1e-16);
    assert_int_equal(nmrc_model_pair_tensor(m, 2, 1, T), NMRC_OK);
    for (int k = 0; k < 9; k++)
        assert_close(T[k], k + 1, 0, 0);
    assert_int_equal(m->n_terms, 2 + 1 + 3 + 1);
    nmrc_model_destroy(m);
}

static void test_recovery(void **state)
{
    (void)state;
    nmrc_spec *spec;
    nmrc_model *m = load("param = 3\n"
                         "system {\n  spin H 1H offest 3 Hz\n  spni C 13C\n}\n"
                         "tempreature 1\n"
                         "target { dm H C (1, 2) }\n"
                         "temperature 0.5\n", &spec);
    assert_null(m);
    assert_diag(spec, 5, 0, "t.spin:1:7: error: expected a parameter name after 'param', found '='");
    assert_diag(spec, 5, 1, "t.spin:3:13: error: unknown spin attribute 'offest'; did you mean 'offset'?");
    assert_diag(spec, 5, 2, "t.spin:4:3: error: unknown keyword 'spni' in 'system' block; did you mean 'spin'?");
    assert_diag(spec, 5, 3, "t.spin:6:1: error: unknown keyword 'tempreature'; did you mean 'temperature'?");
    assert_diag(spec, 5, 4, "t.spin:7:22: error: expected ',' between vector components, found ')'");
    nmrc_spec_destroy(spec);
}

static void test_unclosed_and_caret(void **state)
{
    (void)state;
    nmrc_spec *spec;
    assert_null(load("# c\n\nsystem {\n  spin H 1H\ntemperature 1\n", &spec));
    assert_diag(spec, 1, 0,
                "t.spin:5:1: error: expected '}' to close 'system' block opened at 3:1\n"
                "  temperature 1\n  ^~~~~~~~~~~\n");
    nmrc_spec_destroy(spec);
    assert_null(load("target {\n\tdm A B (1, 2, 3)", &spec));
    assert_diag(spec, 1, 0, "t.spin:2:18: error: expected '}' to close 'target' block opened at 1:1\n"
                            "  \tdm A B (1, 2, 3)\n  \t                ^\n");
    nmrc_spec_destroy(spec);
    assert_null(load("frobnicate 3\n", &spec));
    assert_diag(spec, 1, 0, "unknown keyword 'frobnicate'; expected one of: param, include,");
    nmrc_spec_destroy(spec);
}

static void test_error_cap(void **state)
{
    (void)state;
    char text[2000] = "";
    for (int i = 0; i < 30; i++)
        strcat(text, "bogus 1\n");
    nmrc_spec *spec;
    assert_null(load(text, &spec));
    assert_int_equal(nmrc_spec_diag_count(spec), NMRC_MAX_DIAGS);
    assert_non_null(strstr(nmrc_spec_diag_text(spec, 19), "t.spin:20:1:"));
    assert_string_equal(nmrc_spec_diag_text(spec, 20), "");
    nmrc_spec_destroy(spec);
}

static void test_semantic_errors(void **state)
{
    (void)state;
    nmrc_spec *spec;
    assert_null(load("system { spin H 1H; spin H 13C; spin X 17Q }\n"
                     "target { dm H C (0, 0, 1) }\ntemperature -2\n", &spec));
    assert_diag(spec, 4, 0, "t.spin:1:26: error: duplicate spin 'H' (first declared at 1:15)");
    assert_diag(spec, 4, 1, "t.spin:1:40: error: unknown isotope '17Q'");
    assert_diag(spec, 4, 2, "t.spin:2:15: error: unknown spin 'C' (spins: H, X)");
    assert_diag(spec, 4, 3, "t.spin:3:13: error: temperature must be >= 0 (got -2)\n"
                            "  temperature -2\n              ^~\n");
    nmrc_spec_destroy(spec);
    char text[1000] = "system {\n";
    for (int i = 0; i < 14; i++)
        sprintf(text + strlen(text), "spin S%d 1H\n", i);
    strcat(text, "}\n");
    assert_null(load(text, &spec));
    assert_diag(spec, 1, 0, "t.spin:14:6: error: too many spins: at most 12 are supported");
    nmrc_spec_destroy(spec);
}

static void test_overrides(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec;
    const char *text = "param J = 215 Hz\nparam kappa = pi * J / 2\nparam n = 3\nomega = kappa\n"
                       "system { spin H 1H }\n";
    assert_int_equal(nmrc_spec_parse_string("o.spin", text, strlen(text), ctx, &spec), NMRC_OK);
    assert_true(nmrc_spec_has_param(spec, "kappa"));
    assert_false(nmrc_spec_has_param(spec, "omega"));
    nmrc_model *m;
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    assert_close(m->omega, 2 * NMRC_PI * NMRC_PI * 215 / 2, 1e-14, 0);
    nmrc_model_destroy(m);
    /* a bare override is in the parameter's own unit (Hz) and propagates */
    assert_int_equal(nmrc_spec_set(spec, "J", 200, ctx), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    assert_close(m->omega, 2 * NMRC_PI * NMRC_PI * 200 / 2, 1e-14, 0);
    assert_close(m->param_values[0], 200, 0, 0);
    nmrc_model_destroy(m);
    assert_int_equal(nmrc_spec_set_arg(spec, "J=0.1 kHz", ctx), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    assert_close(m->omega, 2 * NMRC_PI * NMRC_PI * 100 / 2, 1e-14, 0);
    nmrc_model_destroy(m);
    assert_int_equal(nmrc_spec_set_arg(spec, "n=2*pi", ctx), NMRC_OK);
    assert_int_equal(nmrc_spec_set_arg(spec, "nope=1", ctx), NMRC_ENOTFOUND);
    assert_string_equal(nmrc_ctx_errmsg(ctx), "unknown parameter 'nope' (known: J, kappa, n)");
    assert_int_equal(nmrc_spec_set_arg(spec, "J=3 +", ctx), NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "bad value '3 +'"));
    assert_int_equal(nmrc_spec_set_arg(spec, "J", ctx), NMRC_EINVAL);
    assert_int_equal(nmrc_spec_set_arg(spec, "J=3 s", ctx), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_ESYNTAX);
    assert_null(m);
    assert_diag(spec, 1, 0, "--set J: value is a time but 'J' is a frequency");
    nmrc_spec_diag_clear(spec);
    assert_int_equal(nmrc_spec_diag_count(spec), 0);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
}

/* Writes text to NMRC_BINARY_DIR/tests/spec_inc/name; returns the path. */
static const char *write_file(const char *name, const char *text)
{
    static char path[1024];
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/tests/spec_inc", NMRC_BINARY_DIR);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/tests/spec_inc/%s", NMRC_BINARY_DIR, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

static void test_includes(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec;
    nmrc_model *m;
    write_file("sys.spin", "system { spin H 1H; spin C 13C }\nparam D = 0.5\n");
    const char *main_path = write_file("main.spin", "include \"sys.spin\"\n"
                                                    "target { dm H C (0, 0, D) }\n");
    assert_int_equal(nmrc_spec_parse_file(main_path, ctx, &spec), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    assert_int_equal(m->n_files, 2);
    assert_non_null(strstr(m->files[1], "spec_inc/sys.spin"));
    assert_int_equal(m->terms[0].span.file, 0);
    assert_int_equal(m->spins[1].span.file, 1);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    /* a cycle a -> b -> a */
    write_file("b.spin", "include \"a.spin\"\n");
    const char *a = write_file("a.spin", "include \"b.spin\"\n");
    assert_int_equal(nmrc_spec_parse_file(a, ctx, &spec), NMRC_ESYNTAX);
    assert_diag(spec, 1, 0, "include cycle:");
    assert_non_null(strstr(nmrc_spec_diag_text(spec, 0), "b.spin:1:9: error:"));
    nmrc_spec_destroy(spec);
    /* a chain deeper than 16 */
    char name[32], text[64];
    for (int i = 0; i < 20; i++) {
        snprintf(name, sizeof name, "d%d.spin", i);
        snprintf(text, sizeof text, "include \"d%d.spin\"\n", i + 1);
        write_file(name, text);
    }
    snprintf(text, sizeof text, "%s/tests/spec_inc/d0.spin", NMRC_BINARY_DIR);
    assert_int_equal(nmrc_spec_parse_file(text, ctx, &spec), NMRC_ESYNTAX);
    assert_diag(spec, 1, 0, "includes nested too deeply (limit 16)");
    assert_non_null(strstr(nmrc_spec_diag_text(spec, 0), "d16.spin:1:9"));
    nmrc_spec_destroy(spec);
    /* missing main file and missing include */
    assert_int_equal(nmrc_spec_parse_file("/nonexistent/x.spin", ctx, &spec), NMRC_EIO);
    assert_null(spec);
    assert_null(load("include \"/nonexistent/y.spin\"\n", &spec));
    assert_diag(spec, 1, 0, "cannot read included file '/nonexistent/y.spin'");
    nmrc_spec_destroy(spec);
    assert_null(load("include \"" NMRC_BINARY_DIR "\"\n", &spec)); /* a folder */
    assert_diag(spec, 1, 0, "not a regular file");
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
}

static void test_initial_states(void **state)
{
    (void)state;
    const char *sys = "system { spin A 1H; spin B 13C }\n";
    char text[512];
    snprintf(text, sizeof text, "%sinitial product \"01\"", sys);
    nmrc_model *m = load(text, NULL);
    assert_non_null(m);
    assert_int_equal(m->init.kind, NMRC_INIT_PRODUCT);
    assert_string_equal(m->init.bits, "01");
    nmrc_model_destroy(m);
    snprintf(text, sizeof text, "%sinitial bell psi-", sys);
    m = load(text, NULL);
    assert_int_equal(m->init.kind, NMRC_INIT_BELL);
    assert_int_equal(m->init.bell, NMRC_BELL_PSI_MINUS);
    nmrc_model_destroy(m);
    snprintf(text, sizeof text, "%scharge { time 0 : 1 : 2 }\ninitial charged pi/4", sys);
    m = load(text, NULL);
    assert_int_equal(m->init.kind, NMRC_INIT_CHARGED);
    assert_close(m->init.t, NMRC_PI / 4, 1e-15, 0);
    nmrc_model_destroy(m);
    snprintf(text, sizeof text,
             "%sinitial matrix [(0.25, 0.1 - 0.2i, 0, 0) (0.1 + 0.2i, 0.25, 0, 0),"
             " (0, 0, 0.25, i/10), (0, 0, -0.1i, 0.25)]", sys);
    m = load(text, NULL);
    assert_non_null(m);
    assert_int_equal(m->init.kind, NMRC_INIT_MATRIX);
    assert_close(m->init.rho[0 + 4 * 1], 0.1 - 0.2 * I, 1e-15, 0); /* row 0, column 1 */
    assert_close(m->init.rho[1 + 4 * 0], 0.1 + 0.2 * I, 1e-15, 0);
    assert_close(m->init.rho[2 + 4 * 3], 0.1 * I, 1e-15, 0);
    nmrc_model_destroy(m);
    nmrc_spec *spec;
    snprintf(text, sizeof text, "%sinitial matrix [(1, 1), (0, 0)]", sys);
    assert_null(load(text, &spec));
    assert_diag(spec, 1, 0, "must be 4x4");
    nmrc_spec_destroy(spec);
    snprintf(text, sizeof text, "%sinitial product \"012\"", sys);
    assert_null(load(text, &spec));
    assert_diag(spec, 1, 0, "one '0' or '1' per spin");
    nmrc_spec_destroy(spec);
    snprintf(text, sizeof text,
             "%sinitial matrix [(0.5, 0.1, 0, 0) (0.2, 0.5, 0, 0) (0,0,0,0) (0,0,0,0)]", sys);
    assert_null(load(text, &spec));
    assert_diag(spec, 1, 0, "must be Hermitian (entry 1,2)");
    nmrc_spec_destroy(spec);
}

static void test_sequence_and_compile(void **state)
{
    (void)state;
    nmrc_model *m = load("system { spin H 1H; spin C 13C }\nparam a = 45\n"
                         "sequence {\n pulse H C 90 -x\n delay 2 ms\n repeat 3 { pulse C a y; delay 0.5 }\n"
                         " pulse H pi rad 30 deg\n gradient z 1 ms 0.1 T/m\n acquire\n}\n"
                         "compile { steps 8 order plain max_error 1e-3 composite bb1 decouple udd4"
                         " offset_compensation time 2 }\n", NULL);
    assert_non_null(m);
    assert_int_equal(m->n_uevents, 9);
    const nmrc_uevent *e = m->uevents;
    assert_int_equal(e[0].kind, NMRC_UEV_PULSE);
    assert_int_equal(e[0].mask, 3);
    assert_close(e[0].angle, NMRC_PI / 2, 1e-15, 0);
    assert_close(e[0].phase, NMRC_PI, 1e-15, 0);
    assert_int_equal(e[1].kind, NMRC_UEV_DELAY);
    assert_true(e[1].time_is_seconds);
    assert_close(e[1].duration, 2e-3, 1e-15, 0);
    assert_int_equal(e[2].kind, NMRC_UEV_LOOP_BEGIN);
    assert_int_equal(e[2].count, 3);
    assert_int_equal(e[3].mask, 2);
    assert_close(e[3].angle, NMRC_PI / 4, 1e-15, 0);
    assert_close(e[3].phase, NMRC_PI / 2, 1e-15, 0);
    assert_false(e[4].time_is_seconds);
    assert_close(e[4].duration, 0.5, 0, 0);
    assert_int_equal(e[5].kind, NMRC_UEV_LOOP_END);
    assert_close(e[6].angle, NMRC_PI, 1e-15, 0);
    assert_close(e[6].phase, NMRC_PI / 6, 1e-15, 0);
    assert_int_equal(e[7].kind, NMRC_UEV_GRADIENT);
    assert_int_equal(e[7].axis, 'z');
    assert_close(e[7].amplitude, 0.1, 0, 0);
    assert_int_equal(e[8].kind, NMRC_UEV_ACQUIRE);
    assert_int_equal(m->compile.steps, 8);
    assert_int_equal(m->compile.symmetric, 0);
    assert_string_equal(m->compile.composite, "bb1");
    assert_string_equal(m->compile.decouple, "udd4");
    assert_int_equal(m->compile.offset_compensation, 1);
    assert_close(m->compile.time, 2, 0, 0);
    nmrc_model_destroy(m);
    m = load("sequence \"dm_z\"\nsystem { spin H 1H }\n", NULL);
    assert_string_equal(m->sequence_name, "dm_z");
    nmrc_model_destroy(m);
}

static void test_noise_readout_charge(void **state)
{
    (void)state;
    nmrc_model *m = load("system { spin H 1H; spin C 13C }\n"
                         "noise { dephase X H C rate 0.2; damp C rate 0.01 }\n"
                         "readout { observe C td 1024 sw 2 kHz tomography observables energy, X1Y2 }\n"
                         "charge { strength 2 axis y time 0 : pi : 11 }\nevolve 0 : 10 : 201\n"
                         "temperature 0\n", NULL);
    assert_non_null(m);
    assert_int_equal(m->n_noise, 3);
    assert_int_equal(m->noise[1].kind, NMRC_NOISE_DEPHASE_X);
    assert_int_equal(m->noise[1].spin, 1);
    assert_int_equal(m->noise[2].kind, NMRC_NOISE_DAMP);
    assert_close(m->noise[2].rate, 0.01, 0, 0);
    assert_int_equal(m->readout.observe, 2);
    assert_int_equal(m->readout.td, 1024);
    assert_close(m->readout.sw_hz, 2000, 0, 0);
    assert_int_equal(m->readout.n_observables, 2);
    assert_string_equal(m->readout.observables[1], "X1Y2");
    assert_true(m->has_charge);
    assert_close(m->charge.strength, 2, 0, 0);
    assert_close(m->charge.phase, NMRC_PI / 2, 1e-15, 0);
    assert_int_equal(m->charge.time.n, 11);
    assert_true(m->has_evolve);
    assert_int_equal(m->evolve.n, 201);
    char buf[4096];
    size_t n = nmrc_model_summary(m, buf, sizeof buf);
    assert_int_equal(n, strlen(buf));
    assert_non_null(strstr(buf, "noise: damp on C, rate 0.01"));
    assert_true(nmrc_model_summary(m, buf, 10) == n); /* truncation reports the length */
    assert_int_equal(strlen(buf), 9);
    nmrc_model_destroy(m);
}

/* zeeman NAME: a spin label only when it names a declared spin and an
** expression follows; otherwise the name is the field (a parameter). */
static void test_zeeman_label_rule(void **state)
{
    (void)state;
    nmrc_model *m = load("param B = 0.25\nsystem { spin A 1H; spin B 13C }\n"
                         "target {\n  zeeman B\n  zeeman B 0.5\n  zeeman A -0.125\n"
                         "  dm A B (0, 0, B)\n}\n", NULL);
    assert_non_null(m);
    double b[3], T[9];
    assert_int_equal(nmrc_model_local_field(m, 0, b), NMRC_OK);
    assert_close(b[2], 0.25 - 0.125, 1e-15, 0);
    assert_int_equal(nmrc_model_local_field(m, 1, b), NMRC_OK);
    assert_close(b[2], 0.25 + 0.5, 1e-15, 0);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 1, T), NMRC_OK);
    assert_close(T[1], 0.25, 0, 0);
    assert_int_equal(m->n_terms, 2 + 1 + 1 + 1);
    nmrc_model_destroy(m);
}

/* A long source line is shown as a window around the error, caret aligned. */
static void test_long_line_window(void **state)
{
    (void)state;
    char text[2048] = "param x = ";
    for (int i = 0; i < 150; i++)
        strcat(text, "1+");
    strcat(text, "0/0");
    for (int i = 0; i < 150; i++)
        strcat(text, "+1");
    strcat(text, "\nsystem { spin H 1H }\n");
    nmrc_spec *spec;
    assert_null(load(text, &spec));
    assert_diag(spec, 1, 0, "t.spin:1:311: error: value is not a number (NaN): 0/0\n  ...1+1");
    const char *d = nmrc_spec_diag_text(spec, 0);
    const char *src = strchr(d, '\n') + 1, *caret = strchr(src, '\n') + 1;
    size_t at = (size_t)(strstr(src, "0/0") - src);
    assert_true(strlen(caret) > at + 3);
    assert_memory_equal(caret + at, "^~~\n", 4);
    assert_true(strcspn(src, "\n") < 220);
    nmrc_spec_destroy(spec);
}

/* A UTF-8 byte-order mark opening a file is skipped: positions count from
** the character after it.  µs (both micro signs) are microseconds; unit
** typos are reported as units, and parsing goes on with the unit meant. */
static void test_bom_micro_and_unit_typos(void **state)
{
    (void)state;
    nmrc_spec *spec;
    nmrc_model *m = load("\xEF\xBB\xBFsystem { spin H 1H p90 8 \xC2\xB5s T2 2\xCE\xBCs }\n", &spec);
    assert_non_null(m);
    assert_int_equal(m->spins[0].span.line, 1);
    assert_int_equal(m->spins[0].span.col, 15);
    assert_close(m->spins[0].p90, 8e-6, 1e-15, 0);
    assert_close(m->spins[0].t2, 2e-6, 1e-15, 0);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    /* a BOM anywhere else is an error, pointing at its own column */
    assert_null(load("system { spin H 1H }\n  \xEF\xBB\xBFtemperature 1\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:2:3: error: unexpected character");
    assert_diag(spec, 1, 0, "(U+FEFF); a byte-order mark is allowed only at the very start");
    nmrc_spec_destroy(spec);
    /* the caret counts characters: one column for the two bytes of µ */
    assert_null(load("system { spin H 1H p90 8 \xC2\xB5s T1 3 sec }\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:1:35: error: unknown unit 'sec'; did you mean 's'?\n"
                            "  system { spin H 1H p90 8 \xC2\xB5s T1 3 sec }\n"
                            "  " "                                 ^~~\n"); /* 33 columns */
    nmrc_spec_destroy(spec);
    /* a unit-like name on the next line starts the next statement */
    assert_null(load("system { spin H 1H }\ntemperature 1\nS 3\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:3:1: error: unknown keyword 'S'");
    nmrc_spec_destroy(spec);
}

/* temperature in K is k_B T / (hbar omega) in units of omega. */
static void test_kelvin(void **state)
{
    (void)state;
    nmrc_model *m = load("system { spin H 1H }\ntemperature 300 K\nomega = 50 Hz\n", NULL);
    assert_non_null(m);
    const double kb = 1.380649e-23, hbar = 1.054571817e-34; /* CODATA 2018 */
    assert_close(m->temperature, kb * 300 / (hbar * 2 * NMRC_PI * 50), 1e-9, 0);
    nmrc_model_destroy(m);
    m = load("param T = 1.5 K\nsystem { spin H 1H }\ntemperature T\nomega = 1 MHz\n", NULL);
    assert_non_null(m);
    assert_close(m->temperature, kb * 1.5 / (hbar * 2 * NMRC_PI * 1e6), 1e-9, 0);
    nmrc_model_destroy(m);
    nmrc_spec *spec;
    assert_null(load("system { spin H 1H }\ntemperature -3 K\nomega = 1 Hz\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:2:13: error: temperature must be >= 0 (got -3 K)");
    nmrc_spec_destroy(spec);
}

/* Nothing but comments is an empty spec; statements without a spin are a
** spec without a spin system; an empty included file is fine. */
static void test_empty_specs(void **state)
{
    (void)state;
    nmrc_spec *spec;
    assert_null(load("", &spec));
    assert_diag(spec, 1, 0, "t.spin:1:1: error: empty spec: nothing but comments");
    nmrc_spec_destroy(spec);
    assert_null(load("# just a comment\n\n  ;\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:1:1: error: empty spec");
    nmrc_spec_destroy(spec);
    assert_null(load("\nomega = 5 Hz\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:2:1: error: no spin system: every spec needs at least one spin");
    nmrc_spec_destroy(spec);
    assert_null(load("param a = 1\nsystem { field 9.4 T }\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:2:1: error: the 'system' block declares no spin");
    nmrc_spec_destroy(spec);
    nmrc_ctx *ctx = nmrc_ctx_create();
    write_file("empty_inc.spin", "# nothing here\n");
    const char *main_path = write_file("uses_empty.spin", "include \"empty_inc.spin\"\n"
                                                          "system { spin H 1H }\n");
    assert_int_equal(nmrc_spec_parse_file(main_path, ctx, &spec), NMRC_OK);
    nmrc_model *m;
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_battery_tensor),     cmocka_unit_test(test_term_conventions),
        cmocka_unit_test(test_recovery),           cmocka_unit_test(test_unclosed_and_caret),
        cmocka_unit_test(test_error_cap),          cmocka_unit_test(test_semantic_errors),
        cmocka_unit_test(test_overrides),          cmocka_unit_test(test_includes),
        cmocka_unit_test(test_initial_states),     cmocka_unit_test(test_sequence_and_compile),
        cmocka_unit_test(test_noise_readout_charge), cmocka_unit_test(test_zeeman_label_rule),
        cmocka_unit_test(test_long_line_window),   cmocka_unit_test(test_bom_micro_and_unit_typos),
        cmocka_unit_test(test_kelvin),             cmocka_unit_test(test_empty_specs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
