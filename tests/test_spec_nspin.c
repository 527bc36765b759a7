/*
** test_spec_nspin.c: cmocka tests for the N-spin constructs of the .spin
** language: pair sets (chain, ring, star, all, '*') in their order and
** orientation, chemical shifts and carriers, weak/strong coupling forms
** (also in the physical model), and the natural-network rule.
*/
#include "nmrc_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "nmrc/nmrc.h"
#include "nmrc/consts.h"
#include "spec_test_util.h"

static nmrc_model *load(const char *text, nmrc_spec **spec_out)
{
    return spec_load("t.spin", text, spec_out);
}

/* Pair sets expand in the documented order and orientation: chain (1,2),
** (2,3)...; ring adds (n,1); star (centre, k); all (a,b), a before b; "*"
** is every spin not named elsewhere.  A DM term is antisymmetric, so the
** orientation shows in the summed tensor. */
static void test_pair_sets(void **state)
{
    (void)state;
    nmrc_model *m = load("system { spin A 1H; spin B 1H; spin C 1H; spin D 1H }\n"
                         "target {\n  dm ring(*) (0, 0, 1)\n  ksea star(C, *) (0, 0, 2)\n"
                         "  dipolar all(D, A, B) Delta 3\n  tensor chain(B, D) [(1,0,0),(0,0,0),(0,0,0)]\n}\n",
                         NULL);
    assert_non_null(m);
    static const int want[][2] = {{0, 1}, {1, 2}, {2, 3}, {3, 0},    /* ring(*) */
                                  {2, 0}, {2, 1}, {2, 3},            /* star(C, *) */
                                  {3, 0}, {3, 1}, {0, 1},            /* all(D, A, B) */
                                  {1, 3}};                           /* chain(B, D) */
    assert_int_equal(m->n_terms, 11);
    for (size_t k = 0; k < 11; k++) {
        assert_int_equal(m->terms[k].i, want[k][0]);
        assert_int_equal(m->terms[k].j, want[k][1]);
        assert_int_equal(m->terms[k].span.line, k < 4 ? 3 : k < 7 ? 4 : k < 10 ? 5 : 6);
    }
    /* T(A,D) = transpose of the ring's (D,A) DM (T_xy = -1) + the dipolar (D,A) */
    double T[9];
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 3, T), NMRC_OK);
    assert_close(T[1], -1.0, 0, 0);
    assert_close(T[3], 1.0, 0, 0);
    assert_close(T[8], 2.0, 1e-15, 0);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 1, T), NMRC_OK); /* ring DM + dipolar */
    assert_close(T[1], 1.0, 0, 0);
    assert_close(T[0], -1.0, 1e-15, 0);
    assert_int_equal(nmrc_model_pair_tensor(m, 0, 2, T), NMRC_OK); /* star KSEA only */
    assert_close(T[1], 2.0, 0, 0);
    assert_close(T[3], 2.0, 0, 0);
    char buf[4096];
    nmrc_model_summary(m, buf, sizeof buf);
    assert_non_null(strstr(buf, "  dm      A-B B-C C-D D-A (0, 0, 1)\n"));
    assert_non_null(strstr(buf, "  ksea    C-A C-B C-D (0, 0, 2)\n"));
    nmrc_model_destroy(m);
}

/* Shifts become offsets from the carrier, (delta - carrier) 1e-6 |gamma|
** B0 / 2 pi, the default carrier being the centre of the isotope's shifts;
** coupling forms follow the isotopes, `homonuclear` and `couple ... weak`. */
static void test_shifts_and_coupling_forms(void **state)
{
    (void)state;
    nmrc_model *m = load("system {\n  field 500 MHz\n  spin H 1H shift 4.0 ppm\n"
                         "  spin C1 13C shift 170 ppm\n  spin C2 13C shift 20 ppm T1 1 s\n"
                         "  spin C3 13C offset 100 Hz\n  spin N 15N shift 120 ppm\n"
                         "  carrier 15N 100 ppm\n  homonuclear weak\n"
                         "  couple H C1 J 140 Hz\n  couple chain(C1, C2, C3) J 50 Hz\n"
                         "  couple C1 C3 J 2 Hz strong\n}\n", NULL);
    assert_non_null(m);
    const double b0 = 2 * NMRC_PI * 500e6 / NMRC_GAMMA_1H;
    const double nu_c = nmrc_isotope_gamma("13C") * b0 / (2 * NMRC_PI);
    const double nu_n = fabs(nmrc_isotope_gamma("15N")) * b0 / (2 * NMRC_PI);
    assert_true(m->spins[1].has_shift && !m->spins[3].has_shift);
    assert_close(m->spins[0].offset_hz, 0.0, 0, 1e-9);                 /* alone: on the carrier */
    assert_close(m->spins[1].offset_hz, (170 - 95) * 1e-6 * nu_c, 1e-12, 0);
    assert_close(m->spins[2].offset_hz, (20 - 95) * 1e-6 * nu_c, 1e-12, 0);
    assert_close(m->spins[3].offset_hz, 100, 0, 0);
    assert_close(m->spins[4].offset_hz, (120 - 100) * 1e-6 * nu_n, 1e-12, 0);
    assert_int_equal(m->n_carriers, 3);
    assert_string_equal(m->carriers[0].isotope, "15N"); /* given ones first */
    assert_true(m->carriers[0].given);
    assert_string_equal(m->carriers[2].isotope, "13C");
    assert_close(m->carriers[2].ppm, 95, 0, 0);
    assert_false(m->carriers[2].given);
    assert_int_equal(m->n_couplings, 4);
    const nmrc_coupling *c = nmrc_model_find_coupling(m, 1, 0);
    assert_non_null(c);
    assert_true(c->weak); /* heteronuclear */
    c = nmrc_model_find_coupling(m, 2, 1);
    assert_true(c->weak && c->j_hz == 50); /* homonuclear weak */
    c = nmrc_model_find_coupling(m, 3, 1);
    assert_false(c->weak); /* `strong` overrides */
    assert_false(nmrc_model_coupling_is_weak(m, c));
    assert_null(nmrc_model_find_coupling(m, 0, 4));
    nmrc_model_destroy(m);
    /* default form: homonuclear strong; a hand-built heteronuclear coupling is weak */
    m = load("system { spin A 13C; spin B 13C; spin H 1H\n couple A B J 35 Hz }\n", NULL);
    assert_non_null(m);
    assert_false(m->couplings[0].weak);
    nmrc_coupling hand = {.i = 0, .j = 2, .j_hz = 140};
    assert_true(nmrc_model_coupling_is_weak(m, &hand));
    hand.j = 1;
    assert_false(nmrc_model_coupling_is_weak(m, &hand));
    nmrc_model_destroy(m);
}

/* The physical model honours the coupling form: a homonuclear J is
** (pi J/2)(XX + YY + ZZ) when strong, (pi J/2) ZZ when the spec says weak;
** <01|H|10> is the flip-flop element, pi J strong and 0 weak. */
static void test_weak_form_reaches_physical_model(void **state)
{
    (void)state;
    const char *form[] = {"", "homonuclear weak\n", " couple A B J 50 Hz weak\n"};
    for (int k = 0; k < 3; k++) {
        char text[256];
        snprintf(text, sizeof text, "system { spin A 13C offset 300 Hz; spin B 13C\n%s%s}\n",
                 form[k], k == 2 ? "" : " couple A B J 50 Hz\n");
        nmrc_model *m = load(text, NULL);
        assert_non_null(m);
        nmrc_ctx *ctx = nmrc_ctx_create();
        nmrc_nmr_system sys;
        assert_int_equal(nmrc_nmr_system_from_model(m, ctx, &sys), NMRC_OK);
        nmrc_cmat *H = nmrc_cmat_create(4, 4);
        assert_int_equal(nmrc_nmr_hamiltonian(&sys, H), NMRC_OK);
        double jj = NMRC_PI * 50 / 2;
        assert_close(NMRC_CMAT_AT(H, 1, 2), k == 0 ? 2 * jj : 0.0, 1e-12, 1e-12);
        assert_close(NMRC_CMAT_AT(H, 0, 0), NMRC_PI * 300 + jj, 1e-12, 0); /* offset + zz */
        nmrc_cmat_destroy(H);
        nmrc_ctx_destroy(ctx);
        nmrc_model_destroy(m);
    }
}

/* A target pair must be naturally coupled when the system has couplings
** (a zero coupling does not count); without any, every pair may be used. */
static void test_natural_network(void **state)
{
    (void)state;
    nmrc_spec *spec;
    nmrc_model *m = load("system { spin A 1H; spin B 13C; spin C 15N\n"
                         " couple A B J 100 Hz; couple B C J 0 Hz dipolar 3 Hz }\n"
                         "target { dm chain(*) (0, 0, 1) }\n", NULL);
    assert_non_null(m);
    nmrc_model_destroy(m);
    assert_null(load("system { spin A 1H; spin B 13C; spin C 15N\n"
                     " couple A B J 100 Hz; couple B C J 0 Hz }\n"
                     "target { dm chain(*) (0, 0, 1) }\n", &spec));
    assert_diag(spec, 1, 0, "t.spin:3:13: error: target pair B-C has no natural coupling (the system "
                            "couples A-B)");
    nmrc_spec_destroy(spec);
    m = load("system { spin A 1H; spin B 13C; spin C 15N }\ntarget { ksea all(*) (1, 0, 0) }\n",
             NULL);
    assert_non_null(m);
    assert_int_equal(m->n_terms, 3);
    nmrc_model_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pair_sets),       cmocka_unit_test(test_shifts_and_coupling_forms),
        cmocka_unit_test(test_natural_network), cmocka_unit_test(test_weak_form_reaches_physical_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
