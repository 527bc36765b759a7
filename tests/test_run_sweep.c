/*
** test_run_sweep.c: the sweeps of the run API: the thermal sweep of a spin
** pair in a field against closed forms (product Gibbs state: no discord or
** concurrence, energy -2 b tanh(b/T), binary entropies) and a parameter
** sweep against the simulator called directly; dephasing of a Bell state
** against exp(-2 g t); the battery map against nmrc_charge_extrema point by
** point; the errors.
*/
#include "test_run_util.h"

static double h2(double p) /* binary entropy, bits */
{
    return p <= 0 || p >= 1 ? 0 : -(p * log2(p) + (1 - p) * log2(1 - p));
}

static void test_thermal_closed_form(void **state)
{
    (void)state;
    const char *text = "system {\n  spin a 1H\n  spin b 13C\n}\ntarget { zeeman 0.5 }\n"
                       "temperature 2\n";
    nmrc_run_input *in = tr_load(tr_write("run_thermal.spin", text), NULL, 0,
                                 NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_run_sweep sw = {"T", 0.25, 3, 5};
    double x[5], coh[5], disc[5], conc[5], e[5], s[5];
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_run_thermal(in, &sw, "b,a", NULL, NULL, ctx, x, coh, disc, conc, e, s),
                     NMRC_OK);
    for (size_t k = 0; k < 5; k++) {
        double T = 0.25 + (3 - 0.25) * (double)k / 4, th = tanh(0.5 / T);
        assert_close(x[k], T, 1e-15, 0);
        assert_close(coh[k], 0, 0, 1e-14);
        assert_close(disc[k], 0, 0, 1e-9);
        assert_close(conc[k], 0, 0, 1e-14);
        assert_close(e[k], -2 * 0.5 * th, 1e-13, 0);
        assert_close(s[k], 2 * h2((1 + th) / 2), 1e-12, 1e-14);
    }
    /* no parameter X, and X is not the temperature */
    nmrc_run_sweep bad = {"X", 0, 1, 2};
    assert_int_equal(nmrc_run_thermal(in, &bad, NULL, NULL, NULL, ctx, x, coh, disc, conc, e, s),
                     NMRC_ENOTFOUND);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "defines no parameter 'X'"));
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

/* The model of examples/battery.spin with the overrides and its Hamiltonian
** into H (4 x 4), by the spec front end and the simulator directly. */
static nmrc_model *direct_model(const char *const *sets, size_t n, nmrc_cmat *H)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spec *spec = NULL;
    nmrc_model *m = NULL;
    assert_int_equal(nmrc_spec_parse_file(TR_EXAMPLES "/battery.spin", ctx, &spec), NMRC_OK);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(nmrc_spec_set_arg(spec, sets[k], ctx), NMRC_OK);
    assert_int_equal(nmrc_spec_resolve(spec, ctx, &m), NMRC_OK);
    assert_int_equal(nmrc_sim_hamiltonian(m, ctx, H), NMRC_OK);
    nmrc_spec_destroy(spec);
    nmrc_ctx_destroy(ctx);
    return m;
}

/* The Gibbs state's discord and entropy at B = b, by the lower library. */
static void direct_point(double b, double *disc, double *ent)
{
    char set[64];
    const char *sets[1] = {set};
    snprintf(set, sizeof set, "B=%.17g", b);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *rho = nmrc_cmat_create(4, 4);
    nmrc_model *m = direct_model(sets, 1, H);
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    assert_int_equal(nmrc_sim_gibbs(H, m->temperature, ctx, rho), NMRC_OK);
    assert_int_equal(nmrc_metrics_discord(ws, rho, disc), NMRC_OK);
    assert_int_equal(nmrc_metrics_entropy(ws, rho, ent), NMRC_OK);
    *ent /= log(2.0);
    nmrc_metrics_ws_destroy(ws);
    nmrc_cmat_destroy(H), nmrc_cmat_destroy(rho);
    nmrc_model_destroy(m);
    nmrc_ctx_destroy(ctx);
}

static void test_thermal_parameter(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(TR_EXAMPLES "/battery.spin", NULL, 0, NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_run_sweep sw = {"B", 0, 2, 3};
    double x[3], coh[3], disc[3], conc[3], e[3], s[3];
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_run_thermal(in, &sw, NULL, NULL, NULL, ctx, x, coh, disc, conc, e, s),
                     NMRC_OK);
    for (size_t k = 0; k < 3; k++) {
        double d, ent;
        direct_point(x[k], &d, &ent);
        assert_close(disc[k], d, 1e-14, 1e-15);
        assert_close(s[k], ent, 1e-14, 0);
    }
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

/* Eight spins (dimension 256): the evolution runs in chunks of 64 output
** states, each restarting from the last; psi+ on spins 0, 1 (the others up)
** is still an eigenstate of B sum Z, so only the Z dephasing acts. */
static void test_dephase_chunks(void **state)
{
    (void)state;
    const char *text = "system {\n  spin a 1H\n  spin b 1H\n  spin c 1H\n  spin d 1H\n"
                       "  spin e 1H\n  spin f 1H\n  spin g 1H\n  spin h 1H\n}\n"
                       "target { zeeman 0.6 }\ntemperature 1\ninitial bell psi+\n"
                       "evolve 0 : 3 : 151\nnoise { dephase Z a rate 0.15 }\n";
    nmrc_run_input *in = tr_load(tr_write("run_dephase8.spin", text), NULL, 0, 0);
    nmrc_ctx *ctx = nmrc_ctx_create();
    double t[151], coh[151], disc[151], conc[151], pur[151];
    nmrc_run_dephase_info info;
    assert_int_equal(nmrc_run_dephase(nmrc_run_input_model(in), NULL, NULL, NULL, ctx, t, coh,
                                      disc, conc, pur, &info), NMRC_OK);
    assert_false(info.exact);
    for (size_t k = 0; k < 151; k++) {
        assert_close(t[k], 0.02 * (double)k, 1e-13, 1e-15);
        assert_close(coh[k], exp(-2 * 0.15 * t[k]), 1e-6, 1e-9);
    }
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

static void test_dephase_bell(void **state)
{
    (void)state;
    const char *text = "system {\n  spin a 1H\n  spin b 1H\n}\ntarget { zeeman 0.6 }\n"
                       "temperature 1\ninitial bell psi+\nevolve 0 : 4 : 9\n"
                       "noise { dephase Z a rate 0.15 }\n";
    nmrc_run_input *in = tr_load(tr_write("run_dephase.spin", text), NULL, 0, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_ctx *ctx = nmrc_ctx_create();
    size_t n;
    assert_int_equal(nmrc_run_dephase_size(m, ctx, &n), NMRC_OK);
    assert_int_equal(n, 9);
    double t[9], coh[9], disc[9], conc[9], pur[9];
    nmrc_run_dephase_info info;
    assert_int_equal(nmrc_run_dephase(m, "1,0", NULL, NULL, ctx, t, coh, disc, conc, pur, &info),
                     NMRC_OK);
    assert_true(info.exact && info.pair_i == 1 && info.pair_j == 0 && info.n_times == 9);
    for (size_t k = 0; k < n; k++) {
        double c = exp(-2 * 0.15 * t[k]);   /* 2 |rho_01,10| */
        assert_close(t[k], 0.5 * (double)k, 1e-15, 1e-15);
        assert_close(coh[k], c, 1e-7, 1e-9);
        assert_close(conc[k], c, 1e-7, 1e-9);
        assert_close(pur[k], 0.5 + c * c / 2, 1e-7, 0);
    }
    assert_close(disc[0], 1, 1e-9, 0); /* a Bell state: one bit */
    assert_int_equal(nmrc_run_dephase(m, "0,0", NULL, NULL, ctx, t, coh, disc, conc, pur, &info),
                     NMRC_EINVAL);
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

/* One map point by the kernel directly: D = d, G = g, the rest as in the spec. */
static void direct_max(double d, double g, nmrc_charge_max *out)
{
    char sd[64], sg[64];
    const char *sets[3] = {"nt=101", sd, sg};
    snprintf(sd, sizeof sd, "D=%.17g", d);
    snprintf(sg, sizeof sg, "G=%.17g", g);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *H = nmrc_cmat_create(4, 4);
    nmrc_model *m = direct_model(sets, 3, H);
    nmrc_charge_coef coef;
    nmrc_charge_table *tab = NULL;
    assert_int_equal(nmrc_charge_prepare(H->data, m->temperature, 1, 0, ctx, &coef), NMRC_OK);
    assert_int_equal(nmrc_charge_table_create(&m->charge.time, 1, ctx, &tab), NMRC_OK);
    double work[101];
    nmrc_charge_extrema(tab, work, &coef, out);
    nmrc_charge_table_destroy(tab);
    nmrc_cmat_destroy(H);
    nmrc_model_destroy(m);
    nmrc_ctx_destroy(ctx);
}

static void test_map(void **state)
{
    (void)state;
    const char *sets[] = {"nt=101"};
    nmrc_run_input *in = tr_load(TR_EXAMPLES "/battery.spin", sets, 1, NMRC_RUN_LOAD_UNRESOLVED);
    nmrc_run_sweep x = {"D", -2, 2, 3}, y = {"G", 0.5, 1, 2};
    nmrc_charge_max out[6];
    nmrc_run_map_info info;
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_run_map(in, &x, &y, NULL, NULL, ctx, out, &info), NMRC_OK);
    assert_true(info.n_points == 6 && info.n_times == 101);
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 2; j++) {
            nmrc_charge_max want;
            direct_max(nmrc_run_sweep_value(&x, i), nmrc_run_sweep_value(&y, j), &want);
            const nmrc_charge_max *r = &out[i * 2 + j];
            assert_true(r->ergotropy_max == want.ergotropy_max);
            assert_true(r->t_ergotropy_max == want.t_ergotropy_max);
            assert_true(r->antiergotropy_min == want.antiergotropy_min);
            assert_true(r->capacity == want.capacity && r->coherence_max == want.coherence_max);
        }
    nmrc_run_sweep same = {"D", 0, 1, 2}, unknown = {"Q", 0, 1, 2};
    assert_int_equal(nmrc_run_map(in, &x, &same, NULL, NULL, ctx, out, &info), NMRC_EINVAL);
    assert_int_equal(nmrc_run_map(in, &unknown, &y, NULL, NULL, ctx, out, &info),
                     NMRC_ENOTFOUND);
    assert_memory_equal(nmrc_ctx_errmsg(ctx), "--sweep: ", 9);
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_thermal_closed_form),
        cmocka_unit_test(test_thermal_parameter),
        cmocka_unit_test(test_dephase_bell),
        cmocka_unit_test(test_dephase_chunks),
        cmocka_unit_test(test_map),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
