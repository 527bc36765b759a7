/*
** test_validate.c: the figures behind `nmrc validate`.  The DM_z palindrome
** of physics-notes §3 built by hand reaches process fidelity >= 0.9999 with
** delta pulses; the paper's collective DM cycle is open (120-degree net
** rotation) and fails; Choi process fidelity against closed forms
** (depolarizing channel, T1/T2 relaxation) and against the unitary formula.
*/
#include "nmr_test_util.h"

static const double KAPPA = NMRC_PI * 215 / 2;

/* Appends a simultaneous delta pulse: 90 on channel h with phase ph, 90 on c
** with phase pc. */
static void pair_pulse(nmrc_seq *seq, int h, double ph, int c, double pc)
{
    nmrc_event ev = tu_pulse(h, NMRC_PI / 2, ph, 0);
    tu_pulse_add(&ev, c, NMRC_PI / 2, pc);
    tu_append(seq, ev);
}

/* A new sequence with a 1H channel (index in *h) and a 13C channel (*c). */
static nmrc_seq *pair_seq(const char *name, int *h, int *c)
{
    nmrc_seq *seq = nmrc_seq_create(name);
    assert_int_equal(nmrc_seq_rf_channel(seq, "1H", 0, h), NMRC_OK);
    assert_int_equal(nmrc_seq_rf_channel(seq, "13C", 0, c), NMRC_OK);
    return seq;
}

/* 1H: 90_x t 90_y 2t 90_-y t 90_-x; 13C: 90_y t 90_-x 2t 90_x t 90_-y. */
static nmrc_seq *dm_palindrome(double tau)
{
    int h, c;
    nmrc_seq *seq = pair_seq("dm", &h, &c);
    const double X = 0, Y = NMRC_PI / 2, MX = NMRC_PI, MY = 3 * NMRC_PI / 2;
    pair_pulse(seq, h, X, c, Y);
    tu_append(seq, tu_delay(tau));
    pair_pulse(seq, h, Y, c, MX);
    tu_append(seq, tu_delay(2 * tau));
    pair_pulse(seq, h, MY, c, X);
    tu_append(seq, tu_delay(tau));
    pair_pulse(seq, h, MX, c, MY);
    return seq;
}

/* The paper's cycle: collective 90s x, y, -x, -y each followed by tau. */
static nmrc_seq *paper_cycle(double tau)
{
    int h, c;
    nmrc_seq *seq = pair_seq("paper", &h, &c);
    for (int k = 0; k < 4; k++) {
        pair_pulse(seq, h, k * NMRC_PI / 2, c, k * NMRC_PI / 2);
        tu_append(seq, tu_delay(tau));
    }
    return seq;
}

/* V = exp(-i D (XY - YX) t). */
static void dm_target(nmrc_cmat *V, double D, double t)
{
    nmrc_cmat *H = nmrc_cmat_create(4, 4);
    double T[9] = {0, D, 0, -D, 0, 0, 0, 0, 0};
    nmrc_nmri_add_pair(H, 2, 0, 1, T);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    assert_int_equal(nmrc_expmh(V, H, t, ws), NMRC_OK);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat_destroy(H);
}

/* A plan with one workspace; plan_close frees both and the context. */
typedef struct {
    nmrc_ctx *ctx;
    nmrc_nmr_plan *plan;
    nmrc_nmr_ws *w;
} planned;

/* Plans seq on sys with the default options, DELTA pulses if delta and
** relaxation if relax; asserts that planning succeeds. */
static planned plan_open(const nmrc_nmr_system *sys, const nmrc_seq *seq, int delta, int relax)
{
    planned p;
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    if (delta)
        opt.pulses = NMRC_NMR_PULSES_DELTA;
    opt.relax = relax;
    p.ctx = nmrc_ctx_create();
    assert_int_equal(nmrc_nmr_plan_create(sys, seq, &opt, p.ctx, &p.plan), NMRC_OK);
    p.w = nmrc_nmr_ws_create(p.plan);
    return p;
}

static void plan_close(planned *p)
{
    nmrc_nmr_ws_destroy(p->w);
    nmrc_nmr_plan_destroy(p->plan);
    nmrc_ctx_destroy(p->ctx);
}

/* Unitary of seq (DELTA mode unless finite) on sys; returns its fidelity to V. */
static double unitary_fidelity(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                               const nmrc_cmat *V, nmrc_cmat *U)
{
    planned p = plan_open(sys, seq, 1, 0);
    assert_true(nmrc_nmr_plan_is_unitary(p.plan));
    assert_int_equal(nmrc_nmr_execute_unitary(p.plan, p.w, U), NMRC_OK);
    plan_close(&p);
    return nmrc_nmr_unitary_fidelity(U, V);
}

static void test_dm_palindrome(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    double tau = 1.7e-3;
    nmrc_seq *seq = dm_palindrome(tau);
    nmrc_cmat *V = nmrc_cmat_create(4, 4), *U = nmrc_cmat_create(4, 4);
    dm_target(V, KAPPA / 2, 4 * tau);
    double f = unitary_fidelity(&sys, seq, V, U);
    assert_true(f >= 0.9999);
    assert_close(f, 1, 0, 1e-12);                /* exact to all orders */
    dm_target(V, -KAPPA / 2, 4 * tau);           /* the opposite DM sign fails */
    assert_true(unitary_fidelity(&sys, seq, V, U) < 0.9);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(U);
    nmrc_seq_destroy(seq);
}

static void test_paper_cycle(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    double tau = 1.7e-3;
    nmrc_seq *seq = paper_cycle(tau);
    nmrc_cmat *V = nmrc_cmat_create(4, 4), *U = nmrc_cmat_create(4, 4);
    dm_target(V, KAPPA / 2, 4 * tau);
    assert_true(unitary_fidelity(&sys, seq, V, U) < 0.5);
    /* J = 0: U is the net pulse rotation R (x) R, Tr R = 2 cos(120/2 deg) */
    sys.couplings[0].j_hz = 0;
    nmrc_cmat_identity(V);
    assert_close(unitary_fidelity(&sys, seq, V, U), 1.0 / 16, 1e-12, 0);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(U);
    nmrc_seq_destroy(seq);
}

/* Choi fidelity of the process equals |Tr V^+ U|^2/d^2 for a unitary run
** (through the Liouville path with negligible relaxation). */
static void test_choi_matches_unitary(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 60;
    double tau = 1.1e-3;
    nmrc_seq *seq = dm_palindrome(tau);
    nmrc_cmat *V = nmrc_cmat_create(4, 4), *U = nmrc_cmat_create(4, 4);
    nmrc_cmat *S = nmrc_cmat_create(16, 16);
    dm_target(V, KAPPA / 2, 4 * tau);
    double fu = unitary_fidelity(&sys, seq, V, U);
    assert_true(fu < 0.9999);                   /* the offset spoils it a little */
    for (int i = 0; i < 2; i++)                 /* Liouville path, no decay */
        sys.spins[i].t1 = sys.spins[i].t2 = 1e12;
    planned p = plan_open(&sys, seq, 1, 1);
    assert_false(nmrc_nmr_plan_is_unitary(p.plan));
    assert_int_equal(nmrc_nmr_execute_unitary(p.plan, p.w, U), NMRC_ENOTSUP);
    assert_int_equal(nmrc_nmr_execute_process(p.plan, p.w, S), NMRC_OK);
    assert_close(nmrc_nmr_process_fidelity(S, V), fu, 1e-10, 0);
    plan_close(&p);
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(U);
    nmrc_cmat_destroy(S);
    nmrc_seq_destroy(seq);
}

/* Depolarizing after a unitary: F = (1 - p) + p / d^2; average (dF+1)/(d+1). */
static void test_depolarizing(void **state)
{
    (void)state;
    size_t d = 4;
    double p = 0.3;
    nmrc_cmat *V = nmrc_cmat_create(d, d), *Vd = nmrc_cmat_create(d, d);
    nmrc_cmat *S = nmrc_cmat_create(d * d, d * d), *Id = nmrc_cmat_create(d, d);
    dm_target(V, 0.7, 1.3);
    assert_int_equal(nmrc_cmat_adjoint(Vd, V), NMRC_OK);
    nmrc_nmri_add_sandwich(S, 1 - p, V, Vd);
    for (size_t k = 0; k < d; k++)              /* rho -> p Tr(rho) I/d */
        for (size_t j = 0; j < d; j++)
            NMRC_CMAT_AT(S, j + d * j, k + d * k) += p / (double)d;
    double f = nmrc_nmr_process_fidelity(S, V);
    assert_close(f, 1 - p + p / 16, 1e-13, 0);
    assert_close(nmrc_nmr_average_fidelity(f, d), (4 * f + 1) / 5, 1e-15, 0);
    nmrc_cmat_identity(Id);
    assert_true(nmrc_nmr_process_fidelity(S, Id) < f);
    assert_true(isnan(nmrc_nmr_process_fidelity(V, V)));
    nmrc_cmat_destroy(V);
    nmrc_cmat_destroy(Vd);
    nmrc_cmat_destroy(S);
    nmrc_cmat_destroy(Id);
}

/* One spin, delay t with T1 and T2 (relaxing to I/2): process fidelity to
** the identity is (1 + exp(-t/T1) + 2 exp(-t/T2)) / 4. */
static void test_relaxation_fidelity(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    tu_single(&sys, 0);
    sys.spins[0].t1 = 0.8;
    sys.spins[0].t2 = 0.3;
    double t = 0.21;
    nmrc_seq *seq = nmrc_seq_create("wait");
    int h;
    assert_int_equal(nmrc_seq_rf_channel(seq, "1H", 0, &h), NMRC_OK);
    tu_append(seq, tu_delay(t));
    planned p = plan_open(&sys, seq, 0, 1);
    nmrc_cmat *S = nmrc_cmat_create(4, 4), *Id = nmrc_cmat_create(2, 2);
    nmrc_cmat_identity(Id);
    assert_int_equal(nmrc_nmr_execute_process(p.plan, p.w, S), NMRC_OK);
    assert_close(nmrc_nmr_process_fidelity(S, Id),
                 (1 + exp(-t / 0.8) + 2 * exp(-t / 0.3)) / 4, 1e-12, 0);
    nmrc_cmat_destroy(S);
    nmrc_cmat_destroy(Id);
    plan_close(&p);
    nmrc_seq_destroy(seq);
}

/* The target recorded in a sequence becomes the operator it names. */
static void test_seq_target(void **state)
{
    (void)state;
    nmrc_seq *seq = nmrc_seq_create("t");
    nmrc_cmat *H = nmrc_cmat_create(4, 4), *R = nmrc_cmat_create(4, 4);
    assert_int_equal(nmrc_nmr_seq_target(seq, 2, H), NMRC_EINVAL);
    seq->has_target = 1;
    seq->target_tensor[1] = 2;                   /* 2 XY */
    seq->target_field[1][2] = 0.5;               /* 0.5 Z on spin 1 */
    assert_int_equal(nmrc_nmr_seq_target(seq, 2, H), NMRC_OK);
    double T[9] = {0, 2, 0, 0, 0, 0, 0, 0, 0};
    nmrc_nmri_add_pair(R, 2, 0, 1, T);
    nmrc_nmri_add_local(R, 2, 1, 0, 0, 0.5);
    assert_true(nmrc_cmat_max_diff(H, R) < 1e-15);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(R);
    nmrc_seq_destroy(seq);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dm_palindrome),
        cmocka_unit_test(test_paper_cycle),
        cmocka_unit_test(test_choi_matches_unitary),
        cmocka_unit_test(test_depolarizing),
        cmocka_unit_test(test_relaxation_fidelity),
        cmocka_unit_test(test_seq_target),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
