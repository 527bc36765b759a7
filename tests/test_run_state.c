/*
** test_run_state.c: the model's states through the run API against
** independent constructions: the battery Hamiltonian (Eq. 12) from
** Kronecker products, the Gibbs state, product and Bell states, the
** charging unitary (one 2x2 rotation per spin), the state at a time and its
** figures, Lindblad dephasing of a Bell state (closed form), spin pairs.
*/
#include "test_run_util.h"

static const nmrc_cplx I2[4] = {1, 0, 0, 1}, PX[4] = {0, 1, 1, 0}, PY[4] = {0, I, -I, 0},
                       PZ[4] = {1, 0, 0, -1};

/* H += c op_a(0) op_b(1) on two spins. */
static void add2(nmrc_cplx *H, nmrc_cplx c, const nmrc_cplx *a, const nmrc_cplx *b)
{
    nmrc_cplx op[2][4], M[16];
    memcpy(op[0], a, sizeof op[0]);
    memcpy(op[1], b, sizeof op[1]);
    tr_kron(2, (const nmrc_cplx(*)[4])op, M);
    for (int k = 0; k < 16; k++)
        H[k] += c * M[k];
}

/* Eq. 12: B (Z1 + Z2) - (1/3) s1.P.s2 + D (X1 Y2 - Y1 X2) + G (X1 Y2 + Y1 X2),
** P = diag(Delta - 3 eps, Delta + 3 eps, -2 Delta). */
static void battery_h(double B, double D, double G, double Delta, double eps, nmrc_cplx *H)
{
    memset(H, 0, 16 * sizeof *H);
    add2(H, B, PZ, I2), add2(H, B, I2, PZ);
    add2(H, -(Delta - 3 * eps) / 3, PX, PX);
    add2(H, -(Delta + 3 * eps) / 3, PY, PY);
    add2(H, 2 * Delta / 3, PZ, PZ);
    add2(H, D + G, PX, PY), add2(H, G - D, PY, PX);
}

static const char *const SETS[] = {"B=0.5", "D=0.3", "G=-0.2", "T=0.7"};

static void test_hamiltonian_gibbs(void **state)
{
    (void)state;
    nmrc_run_input *in = tr_load(TR_EXAMPLES "/battery.spin", SETS, 4, 0);
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx H[16], want[16], rho[16], gibbs[16];
    assert_int_equal(nmrc_run_hamiltonian(m, ctx, H), NMRC_OK);
    battery_h(0.5, 0.3, -0.2, 1, 0.1, want);
    assert_true(tr_max_diff(H, want, 16) < 1e-15);
    /* the Gibbs state of the independent H, by the simulator */
    nmrc_cmat Hv = nmrc_cmat_view(want, 4, 4, 4), Gv = nmrc_cmat_view(gibbs, 4, 4, 4);
    assert_int_equal(nmrc_sim_gibbs(&Hv, 0.7, ctx, &Gv), NMRC_OK);
    assert_int_equal(nmrc_run_initial_state(m, ctx, rho), NMRC_OK);
    assert_true(tr_max_diff(rho, gibbs, 16) < 1e-14);
    /* and it commutes with H: [rho, H] = 0 */
    nmrc_cplx A[16], B[16];
    tr_mul(4, rho, H, A), tr_mul(4, H, rho, B);
    assert_true(tr_max_diff(A, B, 16) < 1e-14);
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

static nmrc_run_input *spec3(const char *name, const char *init)
{
    char text[1024];
    snprintf(text, sizeof text,
             "system {\n  spin a 1H\n  spin b 1H\n  spin c 13C\n}\n"
             "target { zeeman 0.4  zeeman b 0.3 along x }\n"
             "charge { strength 1.3  axis 30 deg  time 0 : 2 : 11 }\n"
             "temperature 0.8\ninitial %s\n", init);
    return tr_load(tr_write(name, text), NULL, 0, 0);
}

static void test_product_bell(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx rho[64];
    nmrc_run_input *in = spec3("run_product.spin", "product \"101\"");
    assert_int_equal(nmrc_run_initial_state(nmrc_run_input_model(in), ctx, rho), NMRC_OK);
    for (size_t k = 0; k < 64; k++) /* |101> = basis index 5 (spin 0 leftmost) */
        assert_close(rho[k], k == 5 + 5 * 8 ? 1 : 0, 0, 0);
    nmrc_run_input_destroy(in);
    in = spec3("run_bell.spin", "bell psi-");
    assert_int_equal(nmrc_run_initial_state(nmrc_run_input_model(in), ctx, rho), NMRC_OK);
    /* (|010> - |100>)/sqrt 2: indices 2 and 4 */
    nmrc_cplx v[8] = {0, 0, sqrt(0.5), 0, -sqrt(0.5), 0, 0, 0}, want[64];
    for (size_t j = 0; j < 8; j++)
        for (size_t i = 0; i < 8; i++)
            want[i + 8 * j] = v[i] * conj(v[j]);
    assert_true(tr_max_diff(rho, want, 64) < 1e-15);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
}

/* U = u (x) u (x) u with u = cos(wt) 1 - i sin(wt) (cos a X + sin a Y). */
static void charging_u(double w, double a, double t, nmrc_cplx *U)
{
    nmrc_cplx u[3][4];
    for (int s = 0; s < 3; s++)
        for (int k = 0; k < 4; k++)
            u[s][k] = cos(w * t) * I2[k] - I * sin(w * t) * (cos(a) * PX[k] + sin(a) * PY[k]);
    tr_kron(3, (const nmrc_cplx(*)[4])u, U);
}

static void test_charge(void **state)
{
    (void)state;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = spec3("run_gibbs3.spin", "gibbs");
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_cplx rho0[64], rho[64], U[64], want[64], H[64];
    assert_int_equal(nmrc_run_initial_state(m, ctx, rho0), NMRC_OK);
    assert_int_equal(nmrc_run_charge(m, rho0, 0.77, ctx, rho), NMRC_OK);
    charging_u(1.3, NMRC_PI / 6, 0.77, U);
    tr_similarity(8, U, rho0, want);
    assert_true(tr_max_diff(rho, want, 64) < 1e-13);
    /* the charged initial state is the same state */
    nmrc_run_input *in2 = spec3("run_charged3.spin", "charged 0.77");
    nmrc_cplx rho2[64];
    assert_int_equal(nmrc_run_initial_state(nmrc_run_input_model(in2), ctx, rho2), NMRC_OK);
    assert_true(tr_max_diff(rho2, want, 64) < 1e-13);
    /* nmrc_run_state at t: the same matrix and consistent figures */
    nmrc_run_state_info f;
    assert_int_equal(nmrc_run_state(m, 1, 0.77, "c,a", ctx, rho2, &f), NMRC_OK);
    assert_int_equal(f.kind, NMRC_RUN_STATE_CHARGED);
    assert_true(tr_max_diff(rho2, want, 64) < 1e-13);
    assert_int_equal(nmrc_run_hamiltonian(m, ctx, H), NMRC_OK);
    assert_close(f.trace, 1, 1e-13, 0);
    assert_close(f.purity, tr_trace_prod(8, want, want), 1e-12, 0);
    assert_close(f.battery.energy, tr_trace_prod(8, want, H), 1e-12, 1e-14);
    assert_close(f.battery.capacity, f.battery.ergotropy - f.battery.antiergotropy, 1e-12, 0);
    assert_true(f.has_pair && f.pair_i == 2 && f.pair_j == 0);
    /* unitary charging keeps the capacity of the Gibbs state */
    nmrc_run_state_info f0;
    assert_int_equal(nmrc_run_state(m, 0, 0, NULL, ctx, rho, &f0), NMRC_OK);
    assert_true(f0.initial_gibbs && f0.kind == NMRC_RUN_STATE_INITIAL);
    assert_close(f.battery.capacity, f0.battery.capacity, 1e-12, 0);
    assert_close(f0.battery.ergotropy, 0, 0, 1e-14);
    nmrc_run_input_destroy(in2);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
}

/* psi+ = (|01> + |10>)/sqrt 2 has energy 0 under B (Z1 + Z2); Z dephasing on
** spin 0 at rate g multiplies its coherence by exp(-2 g t). */
static void test_lindblad_state(void **state)
{
    (void)state;
    const char *text = "system {\n  spin a 1H\n  spin b 1H\n}\ntarget { zeeman 0.6 }\n"
                       "temperature 1\ninitial bell psi+\nnoise { dephase Z a rate 0.15 }\n";
    nmrc_run_input *in = tr_load(tr_write("run_dephase_bell.spin", text), NULL, 0, 0);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cplx rho[16];
    nmrc_run_state_info f;
    assert_int_equal(nmrc_run_state(nmrc_run_input_model(in), 1, 2.5, NULL, ctx, rho, &f),
                     NMRC_OK);
    assert_int_equal(f.kind, NMRC_RUN_STATE_LINDBLAD);
    double c = 0.5 * exp(-2 * 0.15 * 2.5);
    for (size_t j = 0; j < 4; j++)
        for (size_t i = 0; i < 4; i++) {
            double want = (i == j && (i == 1 || i == 2)) ? 0.5
                          : ((i == 1 && j == 2) || (i == 2 && j == 1)) ? c : 0;
            assert_close(rho[i + 4 * j], want, 1e-7, 1e-9);
        }
    assert_close(f.purity, 0.5 + 2 * c * c, 1e-7, 0);
    /* negative times only with a charge block */
    assert_int_equal(nmrc_run_state(nmrc_run_input_model(in), 1, -1, NULL, ctx, rho, &f),
                     NMRC_EINVAL);
    assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "t >= 0"));
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

static void test_pair(void **state)
{
    (void)state;
    nmrc_run_input *in = spec3("run_pair.spin", "gibbs");
    const nmrc_model *m = nmrc_run_input_model(in);
    nmrc_ctx *ctx = nmrc_ctx_create();
    size_t i, j;
    assert_int_equal(nmrc_run_pair(m, NULL, ctx, &i, &j), NMRC_OK);
    assert_true(i == 0 && j == 1);
    assert_int_equal(nmrc_run_pair(m, "c,b", ctx, &i, &j), NMRC_OK);
    assert_true(i == 2 && j == 1);
    assert_int_equal(nmrc_run_pair(m, "2,0", ctx, &i, &j), NMRC_OK);
    assert_true(i == 2 && j == 0);
    const char *bad[] = {"0,0", "0,3", "a", "x,y", ",1", "0,"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
        assert_int_equal(nmrc_run_pair(m, bad[k], ctx, &i, &j), NMRC_EINVAL);
        assert_non_null(strstr(nmrc_ctx_errmsg(ctx), "bad --pair"));
    }
    nmrc_ctx_destroy(ctx);
    nmrc_run_input_destroy(in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hamiltonian_gibbs),
        cmocka_unit_test(test_product_bell),
        cmocka_unit_test(test_charge),
        cmocka_unit_test(test_lindblad_state),
        cmocka_unit_test(test_pair),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
