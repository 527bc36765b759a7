/*
** test_run_battery.c: the battery curve of the run API against the lower
** library and independent physics: the two-spin Gibbs curve equals the
** Fourier kernel (nmrc_charge_*) called directly; the dense path (three
** spins) equals Tr(U rho0 U^+ H) with U built spin by spin, keeps the
** capacity constant and agrees with the kernel on the same two-spin state;
** the extrema; a spec without a charge block.
*/
#include "test_run_util.h"

typedef struct curve {
    size_t n;
    double *buf, *t, *e, *erg, *anti, *cap, *coh;
    nmrc_run_battery_info info;
} curve;

static void run_curve(const nmrc_model *m, curve *c)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_run_battery_size(m, ctx, &c->n), NMRC_OK);
    c->buf = calloc(6 * c->n, sizeof(double));
    assert_non_null(c->buf);
    c->t = c->buf, c->e = c->t + c->n, c->erg = c->e + c->n, c->anti = c->erg + c->n;
    c->cap = c->anti + c->n, c->coh = c->cap + c->n;
    nmrc_status st = nmrc_run_battery(m, NULL, NULL, ctx, c->t, c->e, c->erg, c->anti, c->cap,
                                      c->coh, &c->info);
    if (st != NMRC_OK)
        fail_msg("battery: %s", nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
}

static void test_fast_equals_kernel(void **state)
{
    (void)state;
    const char *sets[] = {"D=0.3", "B=0.4", "G=-0.2", "T=0.7", "nt=101"};
    nmrc_run_input *in = tr_load(TR_EXAMPLES "/battery.spin", sets, 5, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    curve c;
    run_curve(m, &c);
    assert_int_equal(c.n, 101);
    assert_true(c.info.fourier);
    /* the kernel, directly */
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *H = nmrc_cmat_create(4, 4);
    assert_int_equal(nmrc_sim_hamiltonian(m, ctx, H), NMRC_OK);
    nmrc_charge_coef coef;
    nmrc_charge_table *tab = NULL;
    assert_int_equal(nmrc_charge_prepare(H->data, 0.7, 1, 0, ctx, &coef), NMRC_OK);
    assert_int_equal(nmrc_charge_table_create(&m->charge.time, 1, ctx, &tab), NMRC_OK);
    double e[101], erg[101], anti[101], coh[101];
    nmrc_charge_curve(tab, &coef, e, erg, anti, coh);
    for (size_t k = 0; k < c.n; k++) {
        assert_true(c.t[k] == nmrc_charge_table_time(tab, k));
        assert_true(c.e[k] == e[k] && c.erg[k] == erg[k] && c.anti[k] == anti[k]);
        assert_true(c.coh[k] == coh[k] && c.cap[k] == coef.capacity);
    }
    assert_true(c.info.capacity == coef.capacity);
    /* extrema: the largest ergotropy and its time */
    size_t b = 0;
    for (size_t k = 1; k < c.n; k++)
        if (erg[k] > erg[b] + 1e-11)
            b = k;
    assert_close(c.info.ergotropy_max, erg[b], 1e-11, 0);
    assert_true(c.info.t_ergotropy_max == c.t[b]);
    nmrc_charge_table_destroy(tab);
    nmrc_cmat_destroy(H);
    nmrc_ctx_destroy(ctx);
    free(c.buf);
    nmrc_run_input_destroy(in);
}

static const nmrc_cplx I2[4] = {1, 0, 0, 1}, PX[4] = {0, 1, 1, 0};

static void test_dense_three_spins(void **state)
{
    (void)state;
    const char *text = "param B = 0.5\nsystem {\n  spin a 1H\n  spin b 1H\n  spin c 1H\n}\n"
                       "target { zeeman B  zeeman a 0.2 along x }\n"
                       "charge { strength 0.8  axis x  time 0 : pi : 21 }\ntemperature 1\n";
    nmrc_run_input *in = tr_load(tr_write("run_battery3.spin", text), NULL, 0, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    curve c;
    run_curve(m, &c);
    assert_false(c.info.fourier);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx H[64], rho0[64], rho[64], U[64], u[3][4];
    assert_int_equal(nmrc_run_hamiltonian(m, ctx, H), NMRC_OK);
    assert_int_equal(nmrc_run_initial_state(m, ctx, rho0), NMRC_OK);
    for (size_t k = 0; k < c.n; k++) {
        double t = NMRC_PI * (double)k / 20;
        assert_close(c.t[k], t, 1e-15, 1e-15);
        for (int s = 0; s < 3; s++)
            for (int q = 0; q < 4; q++)
                u[s][q] = cos(0.8 * t) * I2[q] - I * sin(0.8 * t) * PX[q];
        tr_kron(3, (const nmrc_cplx(*)[4])u, U);
        tr_similarity(8, U, rho0, rho);
        assert_close(c.e[k], tr_trace_prod(8, rho, H), 1e-12, 1e-14);
        assert_close(c.cap[k], c.cap[0], 1e-12, 0);   /* unitary: capacity constant */
        assert_close(c.cap[k], c.erg[k] - c.anti[k], 1e-12, 1e-14);
        assert_true(c.erg[k] >= 0 && c.anti[k] <= 0);
    }
    assert_true(c.erg[0] == 0); /* the Gibbs state is passive */
    assert_true(c.info.capacity == c.cap[c.n - 1]);
    nmrc_ctx_destroy(ctx);
    free(c.buf);
    nmrc_run_input_destroy(in);
}

static void test_dense_equals_fast(void **state)
{
    (void)state;
    const char *sets[] = {"D=0.3", "B=0.4", "G=-0.2", "nt=51"};
    nmrc_run_input *fast = tr_load(TR_EXAMPLES "/battery.spin", sets, 4, 0);
    /* the same state through the general code: charged to 0 */
    FILE *fp = fopen(TR_EXAMPLES "/battery.spin", "r");
    assert_non_null(fp);
    char text[8192], edited[8300];
    size_t len = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[len] = '\0';
    char *p = strstr(text, "initial gibbs");
    assert_non_null(p);
    *p = '\0';
    snprintf(edited, sizeof edited, "%sinitial charged 0%s", text, p + strlen("initial gibbs"));
    nmrc_run_input *dense = tr_load(tr_write("run_battery_dense.spin", edited), sets, 4, 0);
    curve a, b;
    run_curve(nmrc_run_input_model(fast), &a);
    run_curve(nmrc_run_input_model(dense), &b);
    assert_true(a.info.fourier && !b.info.fourier);
    assert_int_equal(a.n, b.n);
    for (size_t k = 0; k < a.n; k++) {
        assert_close(a.e[k], b.e[k], 1e-9, 1e-12);
        assert_close(a.erg[k], b.erg[k], 1e-9, 1e-12);
        assert_close(a.anti[k], b.anti[k], 1e-9, 1e-12);
        assert_close(a.coh[k], b.coh[k], 1e-9, 1e-12);
    }
    free(a.buf), free(b.buf);
    nmrc_run_input_destroy(fast);
    nmrc_run_input_destroy(dense);
}

static void test_no_charge(void **state)
{
    (void)state;
    const char *text = "system {\n  spin a 1H\n  spin b 13C\n}\ntarget { zeeman 0.5 }\n";
    const char *path = tr_write("run_nocharge.spin", text);
    nmrc_run_input *in = tr_load(path, NULL, 0, 0);
    nmrc_ctx *ctx = nmrc_ctx_create();
    size_t n = 7;
    assert_int_equal(nmrc_run_battery_size(nmrc_run_input_model(in), ctx, &n), NMRC_EINVAL);
    assert_int_equal(n, 0);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "has no charge"));
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast_equals_kernel),
        cmocka_unit_test(test_dense_three_spins),
        cmocka_unit_test(test_dense_equals_fast),
        cmocka_unit_test(test_no_charge),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
