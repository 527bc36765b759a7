/*
** test_expr.c: cmocka tests for units and constant expressions: unit
** scales, precedence, parameters, field and ppm conversions with the
** isotope table, angle defaults, and the errors: dimension mismatches,
** NaN (0/0), division by zero, overflow, nesting and length limits.
*/
#include "nmrc_test.h"


#include <stdlib.h>
#include <string.h>

#include "nmrc/nmrc.h"
#include "nmrc/consts.h"
#include "spec_test_util.h"

/* Parses and resolves text.  Every spec needs a spin: a text without a
** `system` block gets one appended on a line of its own, so that the
** positions in the text stay as written. */
static nmrc_model *load(const char *text, nmrc_spec **spec_out)
{
    if (strstr(text, "system"))
        return spec_load("e.spin", text, spec_out);
    size_t n = strlen(text);
    char *full = malloc(n + 32);
    assert_non_null(full);
    snprintf(full, n + 32, "%s\nsystem { spin Q 1H }\n", text);
    nmrc_model *m = spec_load("e.spin", full, spec_out);
    free(full);
    return m;
}

/* Value of `param x = <expr>` in the parameter's written unit. */
static double param_x(const char *expr)
{
    char text[4096];
    int k = snprintf(text, sizeof text, "param x = %s\n", expr);
    assert_true(k > 0 && (size_t)k < sizeof text);
    nmrc_model *m = load(text, NULL);
    if (!m)
        fail_msg("'%s' did not resolve", expr);
    double v = m->param_values[0];
    nmrc_model_destroy(m);
    return v;
}

/* Asserts `text` fails with exactly one diagnostic containing `want`. */
static void assert_error(const char *text, const char *want)
{
    nmrc_spec *spec;
    nmrc_model *m = load(text, &spec);
    if (m || nmrc_spec_diag_count(spec) != 1 || !strstr(nmrc_spec_diag_text(spec, 0), want)) {
        for (size_t k = 0; k < nmrc_spec_diag_count(spec); k++)
            print_message("%s", nmrc_spec_diag_text(spec, k));
        fail_msg("'%s' should fail with '%s'", text, want);
    }
    nmrc_model_destroy(m);
    nmrc_spec_destroy(spec);
}

static double omega_of(const char *q)
{
    char text[256];
    snprintf(text, sizeof text, "omega = %s\n", q);
    nmrc_model *m = load(text, NULL);
    assert_non_null(m);
    double w = m->omega;
    nmrc_model_destroy(m);
    return w;
}

static void test_arithmetic(void **state)
{
    (void)state;
    assert_close(param_x("2 + 3 * 4 - 6 / 2"), 11, 0, 0);
    assert_close(param_x("-(2 - 5) * 2"), 6, 0, 0);
    assert_close(param_x("2 * -3"), -6, 0, 0);
    assert_close(param_x("--4"), 4, 0, 0);
    assert_close(param_x("1 - 2 - 3"), -4, 0, 0); /* left associative */
    assert_close(param_x("8 / 4 / 2"), 1, 0, 0);
    assert_close(param_x("2*pi"), 2 * NMRC_PI, 1e-16, 0);
    assert_close(param_x("+.5e1"), 5, 0, 0);
    nmrc_model *m = load("param a = 3\nparam b = a * a + 1\nparam c = b / a\n", NULL);
    assert_non_null(m);
    assert_close(m->param_values[2], 10.0 / 3.0, 1e-15, 0);
    nmrc_model_destroy(m);
}

static void test_units(void **state)
{
    (void)state;
    const double tau = 2 * NMRC_PI;
    assert_close(omega_of("50 Hz"), tau * 50, 1e-15, 0);
    assert_close(omega_of("2*pi*50 rad/s"), tau * 50, 1e-15, 0);
    assert_close(omega_of("0.05 kHz"), tau * 50, 1e-15, 0);
    assert_close(omega_of("5e-5 MHz"), tau * 50, 1e-15, 0);
    assert_close(omega_of("100 rad/s"), 100, 1e-15, 0);
    assert_close(omega_of("50Hz"), tau * 50, 1e-15, 0);
    /* a parameter keeps its unit; the model reports it in that unit */
    assert_close(param_x("2*pi*50 rad/s"), 2 * NMRC_PI * 50, 1e-15, 0);
    assert_close(param_x("10 us"), 10, 1e-15, 0);
    nmrc_model *m = load("param t = 2.5 ms\nparam r = t / (1 ms)\n"
                         "system { spin H 1H T1 500 ms T2 t p90 10us }\n", NULL);
    assert_non_null(m);
    assert_close(m->param_values[1], 2.5, 1e-15, 0);
    assert_close(m->spins[0].t1, 0.5, 1e-15, 0);
    assert_close(m->spins[0].t2, 2.5e-3, 1e-15, 0);
    assert_close(m->spins[0].p90, 1e-5, 1e-15, 0);
    nmrc_model_destroy(m);
}

static void test_field_and_ppm(void **state)
{
    (void)state;
    const double gh = nmrc_isotope_gamma("1H"), gc = nmrc_isotope_gamma("13C");
    assert_close(gh, 2.6752218744e8, 1e-12, 0);
    assert_close(gc, 6.728284e7, 1e-9, 0);
    assert_close(nmrc_isotope_gamma("2H") / gh, 0.1535, 1e-3, 0); /* 2H/1H ratio */
    assert_close(nmrc_isotope_gamma("15N"), -2.71261804e7, 1e-9, 0);
    assert_close(nmrc_isotope_gamma("nope"), 0, 0, 0);
    nmrc_model *m = load("system { spin H 1H offset 2 ppm; spin C 13C offset 2 ppm;"
                         " field 400 MHz }\n", NULL);
    assert_non_null(m);
    assert_close(m->b0, 2 * NMRC_PI * 400e6 / gh, 1e-14, 0);
    assert_close(m->proton_mhz, 400, 1e-14, 0);
    assert_close(m->spins[0].offset_hz, 800, 1e-12, 0);
    assert_close(m->spins[1].offset_hz, 800 * gc / gh, 1e-12, 0);
    nmrc_model_destroy(m);
    m = load("system { field 9.4 T; spin H 1H offset -100 Hz }\n", NULL);
    assert_close(m->b0, 9.4, 0, 0);
    assert_close(m->proton_mhz, gh * 9.4 / (2 * NMRC_PI) / 1e6, 1e-14, 0);
    assert_close(m->spins[0].offset_hz, -100, 0, 0);
    nmrc_model_destroy(m);
}

static void test_angles(void **state)
{
    (void)state;
    nmrc_model *m = load("charge { axis 30 time 0:1:1 }\n", NULL);
    assert_close(m->charge.phase, NMRC_PI / 6, 1e-15, 0); /* bare = degrees */
    nmrc_model_destroy(m);
    m = load("charge { axis pi/6 rad; time 0:1:1 }\n", NULL);
    assert_close(m->charge.phase, NMRC_PI / 6, 1e-15, 0);
    nmrc_model_destroy(m);
}

static void test_dimension_errors(void **state)
{
    (void)state;
    assert_error("omega = 5 us\n", "e.spin:1:9: error: omega must be a frequency, not a time\n"
                                   "  omega = 5 us\n          ^~~~\n");
    assert_error("param f = 1 Hz\nparam t = 1 s\nparam x = f + t\n",
                 "3:11: error: cannot add a frequency and a time\n  param x = f + t\n            ^~~~~\n");
    assert_error("param f = 1 Hz\nparam t = 1 s\nparam x = 2 * f * t\n",
                 "3:11: error: cannot multiply a frequency by a time");
    assert_error("param t = 1 s\nparam x = 2 / t\n",
                 "2:11: error: cannot divide a dimensionless number by a time");
    assert_error("param x = 1 Hz + 1 s\n", "1:16: error: expected a statement keyword");
    assert_error("param J = 1 Hz\nparam z = J Hz\n",
                 "2:11: error: unit 'Hz' applied to a value that is already a frequency");
    assert_error("temperature 1 Hz\n",
                 "1:13: error: temperature must be a dimensionless number (in units of omega) or in kelvin (K), not a frequency");
    assert_error("system { spin H 1H offset 3 s }\n",
                 "1:27: error: offset must be a frequency or ppm, not a time");
    assert_error("system { spin H 1H offset 3 ppm }\n", "an offset in ppm needs the 'field' statement");
    assert_error("system { field 3 s; spin H 1H }\n", "field must be a proton frequency");
    assert_error("system { spin H 1H T1 1 s T2 3 s }\n", "T2 must not exceed 2*T1");
    assert_error("charge { time 0 : 1 Hz : 3 }\n", "grid stop must be a dimensionless number");
    assert_error("charge { time 0 : 1 : 2.5 }\n",
                 "1:23: error: the number of grid points must be an integer from 1 to 100000000 (got 2.5)");
    assert_error("charge { strength 1 }\n", "the 'charge' block needs 'time start : stop : points'");
}

static void test_nan_and_limits(void **state)
{
    (void)state;
    assert_error("param x = 0/0\n", "1:11: error: value is not a number (NaN): 0/0\n"
                                    "  param x = 0/0\n            ^~~\n");
    assert_error("param x = 1/(2-2)\n", "1:11: error: division by zero");
    assert_error("param x = 1e999\n", "1:11: error: value is infinite or too large");
    assert_error("param x = 1e300 * 1e300\n", "value is infinite or too large");
    assert_error("param x = y\n", "1:11: error: unknown parameter 'y'");
    assert_error("param x = y\nparam y = 1\n",
                 "1:11: error: parameter 'y' is used before its definition at 2:1");
    assert_error("param Delta = 1\ntemperature Detla\n",
                 "2:13: error: unknown parameter 'Detla'; did you mean 'Delta'?");
    assert_error("param x = 0/0\nparam y = x + 1\ntemperature y\n", "NaN"); /* no cascade */
    assert_error("param pi = 3\n", "'pi' is a constant");
    assert_error("param x = 1\nparam x = 2\n", "2:7: error: duplicate parameter 'x' (first defined at 1:1)");
    assert_error("temperature -0.5\n", "temperature must be >= 0 (got -0.5)");
    char text[4096] = "param x = ";
    for (int i = 0; i < 70; i++)
        strcat(text, "(");
    strcat(text, "1");
    for (int i = 0; i < 70; i++)
        strcat(text, ")");
    assert_error(text, "expression nested too deeply (limit 64)");
    strcpy(text, "param x = 1");
    for (int i = 0; i < 600; i++)
        strcat(text, "+1");
    assert_error(text, "expression too long");
    strcpy(text, "param x = 1");
    for (int i = 0; i < 500; i++)
        strcat(text, "+1");
    assert_close(param_x(text + 10), 501, 0, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arithmetic),       cmocka_unit_test(test_units),
        cmocka_unit_test(test_field_and_ppm),    cmocka_unit_test(test_angles),
        cmocka_unit_test(test_dimension_errors), cmocka_unit_test(test_nan_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
