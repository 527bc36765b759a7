/*
** tsan_nmr.c: physical NMR plans shared by two threads (harness:
** tsan_util.h), one of each kind the planner builds: unitary (loops folded,
** virtual Z, finite and delta pulses; execute, execute_unitary and
** execute_member), Liouville superoperators with T1/T2, a phase cycle and
** B1 inhomogeneity (execute and execute_process), Strang-split relaxation
** above the Liouville limit, and gradient slices.  Every threaded result
** must equal the serial one bit for bit.
*/
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include "nmr_test_util.h"

#include <stdlib.h>

#include "nmrc/consts.h"
#include "tsan_util.h"

#define NMR_ITEMS 6

/* The inputs: NMR_ITEMS random states of the plan's dimension. */
static nmrc_cmat *nmr_rho0[NMR_ITEMS];

static void nmr_inputs(size_t d, uint64_t seed)
{
    for (size_t k = 0; k < NMR_ITEMS; k++) {
        assert_non_null(nmr_rho0[k] = nmrc_cmat_create(d, d));
        tsan_state(nmr_rho0[k], &seed);
    }
}

static void nmr_free(void)
{
    for (size_t k = 0; k < NMR_ITEMS; k++)
        nmrc_cmat_destroy(nmr_rho0[k]);
}

static void *nmr_ws_create(const void *plan) { return nmrc_nmr_ws_create(plan); }
static void nmr_ws_destroy(void *ws) { nmrc_nmr_ws_destroy(ws); }

/* A view of the j-th d x d matrix of out. */
static nmrc_cmat nmr_view(void *out, size_t d, size_t j)
{
    return nmrc_cmat_view((nmrc_cplx *)out + j * d * d, d, d, d);
}

/* Unitary plans: the averaged state, the propagator and member (0,0,0,0). */
static nmrc_status unitary_run(const void *plan, void *ws, size_t k, void *out)
{
    size_t d = nmrc_nmr_plan_dim(plan);
    nmrc_cmat a = nmr_view(out, d, 0), b = nmr_view(out, d, 1), c = nmr_view(out, d, 2);
    nmrc_status st = nmrc_nmr_execute(plan, ws, nmr_rho0[k], &a);
    if (st == NMRC_OK)
        st = nmrc_nmr_execute_unitary(plan, ws, &b);
    return st == NMRC_OK ? nmrc_nmr_execute_member(plan, ws, 0, 0, 0, 0, nmr_rho0[k], &c) : st;
}

/* Non-unitary plans: the averaged state. */
static nmrc_status state_run(const void *plan, void *ws, size_t k, void *out)
{
    size_t d = nmrc_nmr_plan_dim(plan);
    nmrc_cmat a = nmr_view(out, d, 0);
    return nmrc_nmr_execute(plan, ws, nmr_rho0[k], &a);
}

/* As state_run; odd items also the process superoperator (dim^2 x dim^2,
** after the state). */
static nmrc_status process_run(const void *plan, void *ws, size_t k, void *out)
{
    size_t d = nmrc_nmr_plan_dim(plan);
    nmrc_status st = state_run(plan, ws, k, out);
    if (st != NMRC_OK || k % 2 == 0)
        return st;
    nmrc_cmat S = nmrc_cmat_view((nmrc_cplx *)out + d * d, d * d, d * d, d * d);
    return nmrc_nmr_execute_process(plan, ws, &S);
}

/* Gradient plans: the averaged state and every slice of member (0,s,0,0). */
static nmrc_status slices_run(const void *plan, void *ws, size_t k, void *out)
{
    size_t d = nmrc_nmr_plan_dim(plan), ns;
    nmrc_nmr_plan_counts(plan, NULL, &ns, NULL);
    nmrc_cmat a = nmr_view(out, d, 0);
    nmrc_status st = nmrc_nmr_execute(plan, ws, nmr_rho0[k], &a);
    for (size_t s = 0; s < ns && st == NMRC_OK; s++) {
        nmrc_cmat m = nmr_view(out, d, 1 + s);
        st = nmrc_nmr_execute_member(plan, ws, 0, s, 0, 0, nmr_rho0[k], &m);
    }
    return st;
}

/* Plans seq on sys with opt, runs the case and frees everything. */
static void nmr_case(const char *name, const nmrc_nmr_system *sys, nmrc_seq *seq,
                     const nmrc_nmr_options *opt, size_t n_mats,
                     nmrc_status (*run)(const void *, void *, size_t, void *), size_t rounds,
                     void (*check)(const nmrc_nmr_plan *))
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_plan *plan;
    if (nmrc_nmr_plan_create(sys, seq, opt, ctx, &plan) != NMRC_OK)
        fail_msg("%s: %s", name, nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    check(plan);
    size_t d = nmrc_nmr_plan_dim(plan);
    nmr_inputs(d, 31 + d);
    tsan_case c = {name, plan, NMR_ITEMS, n_mats * d * d * sizeof(nmrc_cplx), rounds,
                   nmr_ws_create, nmr_ws_destroy, run};
    tsan_check(&c);
    nmr_free();
    nmrc_nmr_plan_destroy(plan);
    nmrc_seq_destroy(seq);
}

static void check_unitary(const nmrc_nmr_plan *p)
{
    assert_true(nmrc_nmr_plan_is_unitary(p));
    assert_true(p->n_folds > 0); /* the loop was folded into a powered propagator */
}

static void check_super(const nmrc_nmr_plan *p)
{
    assert_true(p->super && p->n_nodes == 3 && p->n_scans == 4);
}

static void check_split(const nmrc_nmr_plan *p) { assert_true(p->split && !p->super); }

static void check_slices(const nmrc_nmr_plan *p)
{
    assert_true(p->has_gradient && p->n_slices >= 8 && p->n_slices <= 64);
}

/* A 1H-13C pair with offsets: loop {delay, finite 13C pulse, delta 1H
** pulse, virtual Z} x 3, then a finite 1H pulse and a delay. */
static nmrc_seq *pair_program(int *h, int *c)
{
    nmrc_seq *seq = tu_seq("tsan", h, c);
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN);
    nmrc_event le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
    vz.channel = *c;
    vz.vz_phase = 0.37;
    lb.count = 3;
    tu_append(seq, lb);
    tu_append(seq, tu_delay(1e-4));
    tu_append(seq, tu_pulse(*c, 0.4, 0, 1e-5));
    tu_append(seq, tu_pulse(*h, 0.9, 1, 0));
    tu_append(seq, vz);
    tu_append(seq, le);
    tu_append(seq, tu_pulse(*h, NMRC_PI / 2, 0.3, 8e-6));
    tu_append(seq, tu_delay(2.5e-3));
    return seq;
}

static void test_nmr_unitary_two_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    nmrc_nmr_options opt;
    int h, c;
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 120;
    sys.spins[1].offset_hz = -40;
    nmrc_nmr_options_default(&opt);
    nmr_case("nmr unitary", &sys, pair_program(&h, &c), &opt, 3, unitary_run, 20,
             check_unitary);
}

/* T1/T2 as superoperators, a 4-step phase cycle with the receiver and a
** 3-node B1 distribution. */
static void test_nmr_liouville_two_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    nmrc_nmr_options opt;
    int h, c, l1, l31;
    double ph4[4] = {0, NMRC_PI / 2, NMRC_PI, 3 * NMRC_PI / 2};
    tu_pair(&sys, 215);
    sys.spins[0].offset_hz = 30;
    nmrc_seq *seq = pair_program(&h, &c);
    assert_int_equal(nmrc_seq_add_phase_list(seq, "ph1", ph4, 4, &l1), NMRC_OK);
    assert_int_equal(nmrc_seq_add_phase_list(seq, "ph31", ph4, 4, &l31), NMRC_OK);
    seq->receiver_list = l31;
    seq->scans = 4;
    nmrc_event p = tu_pulse(h, NMRC_PI / 2, 0, 5e-6);
    p.pulse[0].phase_list = l1;
    tu_append(seq, p);
    nmrc_nmr_options_default(&opt);
    opt.relax = 1;
    assert_int_equal(nmrc_nmr_b1_gauss_hermite(0.05, 3, NULL, &opt.b1), NMRC_OK);
    nmr_case("nmr Liouville", &sys, seq, &opt, 1 + 16, process_run, 4, check_super);
}

/* Five relaxing spins (above NMRC_NMR_LIOUVILLE_MAX_SPINS): Strang splitting. */
static void test_nmr_split_two_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    nmrc_nmr_options opt;
    int h, c;
    tu_pair(&sys, 215);
    for (size_t i = 2; i < 5; i++) {
        sys.spins[i] = sys.spins[0];
        sys.spins[i].offset_hz = 50.0 * (double)i;
        sys.couplings[sys.n_couplings++] = (nmrc_nmr_coupling){(int)i, 1, 140.0 + (double)i, 0, 0};
    }
    sys.n_spins = 5;
    nmrc_nmr_options_default(&opt);
    opt.relax = 1;
    nmr_case("nmr split", &sys, pair_program(&h, &c), &opt, 1, state_run, 2, check_split);
}

/* 90 - gradient - 180 - gradient on 1H of the pair: sample slices. */
static void test_nmr_gradient_two_threads(void **state)
{
    (void)state;
    nmrc_nmr_system sys;
    nmrc_nmr_options opt;
    int h, c, gz;
    tu_pair(&sys, 215);
    nmrc_seq *seq = tu_seq("grad", &h, &c);
    assert_int_equal(nmrc_seq_grad_channel(seq, 'z', &gz), NMRC_OK);
    nmrc_event g = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    g.channel = gz;
    g.amplitude = 2e-3;
    g.duration = 1e-3;
    tu_append(seq, tu_pulse(h, NMRC_PI / 2, 0, 0));
    tu_append(seq, g);
    tu_append(seq, tu_pulse(h, NMRC_PI, 0, 0));
    g.amplitude = 1.5e-3;
    tu_append(seq, g);
    nmrc_nmr_options_default(&opt);
    opt.sample_length = 0.02;
    opt.slices = 16;
    nmr_case("nmr gradient", &sys, seq, &opt, 1 + 16, slices_run, 10, check_slices);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nmr_unitary_two_threads),
        cmocka_unit_test(test_nmr_liouville_two_threads),
        cmocka_unit_test(test_nmr_split_two_threads),
        cmocka_unit_test(test_nmr_gradient_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
