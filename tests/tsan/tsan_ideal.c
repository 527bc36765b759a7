/*
** tsan_ideal.c: the ideal simulator's plans shared by two threads (harness:
** tsan_util.h): the charging map (nmrc_map_*), the charge time table
** (curve and extrema), unitary evolution and Lindblad evolution with each
** integrator (EXACT, TAYLOR, CHEBYSHEV, with and without the block basis),
** through both execute and the INITIALIZE/ITERATE step API.  Every threaded
** result must equal the serial one bit for bit.
*/
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/battery.h"
#include "nmrc/consts.h"
#include "nmrc/linalg.h"
#include "nmrc/sim.h"
#include "sim/ideal/lindblad_impl.h"
#include "tsan_util.h"

/* ---- Charging map --------------------------------------------------------- */

#define MAP_POINTS 256
#define MAP_ITEMS 8

typedef struct map_fixture {
    nmrc_map_plan *plan;
    nmrc_charge_point pts[MAP_ITEMS][MAP_POINTS];
} map_fixture;

static map_fixture map_fx;

static void *map_ws_create(const void *plan) { return nmrc_map_ws_create(plan); }
static void map_ws_destroy(void *ws) { nmrc_map_ws_destroy(ws); }

static nmrc_status map_run(const void *plan, void *ws, size_t k, void *out)
{
    return nmrc_map_execute(plan, ws, map_fx.pts[k], MAP_POINTS, NULL, NULL, NULL, out);
}

/* Random two-spin Hamiltonians, temperatures and phases; one point in
** three has another strength than the plan's (the workspace's own table). */
static void map_points(void)
{
    uint64_t s = 0x9e3779b97f4a7c15u;
    for (size_t k = 0; k < MAP_ITEMS; k++)
        for (size_t j = 0; j < MAP_POINTS; j++) {
            nmrc_charge_point *p = &map_fx.pts[k][j];
            nmrc_cmat H = nmrc_cmat_view(p->H, 4, 4, 4);
            tsan_hermitian(&H, 4.0, &s);
            p->temperature = 0.3 + (tsan_rand(&s) + 0.5);
            p->strength = j % 3 == 0 ? 1.0 + 0.5 * (tsan_rand(&s) + 0.5) : 1.0;
            p->phase = tsan_rand(&s);
        }
}

static void test_map_two_threads(void **state)
{
    (void)state;
    nmrc_grid g = {0, NMRC_PI, 201, {0, 0, 0, 0}};
    map_points();
    assert_int_equal(nmrc_map_plan_create(&g, 1.0, NULL, &map_fx.plan), NMRC_OK);
    tsan_case c = {"map", map_fx.plan, MAP_ITEMS, MAP_POINTS * sizeof(nmrc_charge_max), 10,
                   map_ws_create, map_ws_destroy, map_run};
    tsan_check(&c);
    nmrc_map_plan_destroy(map_fx.plan);
}

/* ---- Charge time table ------------------------------------------------------ */

#define TAB_TIMES 301

typedef struct tab_out {
    double energy[TAB_TIMES], ergo[TAB_TIMES], anti[TAB_TIMES], coh[TAB_TIMES];
    nmrc_charge_max max;
} tab_out;

static void *tab_ws_create(const void *plan)
{
    (void)plan;
    return malloc(TAB_TIMES * sizeof(double));
}

static nmrc_status tab_run(const void *plan, void *ws, size_t k, void *out)
{
    tab_out *o = out;
    nmrc_charge_coef c;
    const nmrc_charge_point *p = &map_fx.pts[0][k];
    nmrc_status st = nmrc_charge_prepare(p->H, p->temperature, 1.0, p->phase, NULL, &c);
    if (st != NMRC_OK)
        return st;
    nmrc_charge_curve(plan, &c, o->energy, o->ergo, o->anti, o->coh);
    nmrc_charge_extrema(plan, ws, &c, &o->max);
    return nmrc_charge_curve_check(plan, &c, NULL);
}

static void test_charge_table_two_threads(void **state)
{
    (void)state;
    nmrc_grid g = {0, 2 * NMRC_PI, TAB_TIMES, {0, 0, 0, 0}};
    nmrc_charge_table *tab;
    map_points();
    assert_int_equal(nmrc_charge_table_create(&g, 1.0, NULL, &tab), NMRC_OK);
    tsan_case c = {"charge table", tab, 64, sizeof(tab_out), 10, tab_ws_create, free, tab_run};
    tsan_check(&c);
    nmrc_charge_table_destroy(tab);
}

/* ---- Unitary evolution --------------------------------------------------- */

#define EV_ITEMS 6
#define EV_TIMES 12

/* Inputs shared by the unitary and Lindblad cases: EV_ITEMS initial states
** of dimension ev_d and the output times. */
static struct {
    size_t d;
    nmrc_cmat *rho0[EV_ITEMS];
    double t[EV_TIMES];
    unsigned parity;            /* nonzero: states keep only even-parity x ^ y */
} ev;

static void ev_inputs(size_t d, unsigned parity, uint64_t seed)
{
    ev.d = d;
    ev.parity = parity;
    for (size_t k = 0; k < EV_ITEMS; k++) {
        ev.rho0[k] = nmrc_cmat_create(d, d);
        assert_non_null(ev.rho0[k]);
        tsan_state(ev.rho0[k], &seed);
        for (size_t y = 0; parity && y < d; y++)
            for (size_t x = 0; x < d; x++)
                if (__builtin_popcountl((unsigned long)(x ^ y)) & 1)
                    NMRC_CMAT_AT(ev.rho0[k], x, y) = 0;
    }
    for (size_t j = 0; j < EV_TIMES; j++)
        ev.t[j] = 0.37 * (double)j * (double)j / EV_TIMES; /* nonuniform, t[0] = 0 */
}

static void ev_free(void)
{
    for (size_t k = 0; k < EV_ITEMS; k++)
        nmrc_cmat_destroy(ev.rho0[k]);
}

/* EV_TIMES d x d views into out. */
static void ev_views(void *out, nmrc_cmat *v)
{
    nmrc_cplx *o = out;
    for (size_t j = 0; j < EV_TIMES; j++)
        v[j] = nmrc_cmat_view(o + j * ev.d * ev.d, ev.d, ev.d, ev.d);
}

static void *unitary_ws_create(const void *plan) { return nmrc_unitary_ws_create(plan); }
static void unitary_ws_destroy(void *ws) { nmrc_unitary_ws_destroy(ws); }

/* Even items: execute; odd items: set_state, state_at and the propagator. */
static nmrc_status unitary_run(const void *plan, void *ws, size_t k, void *out)
{
    nmrc_cmat v[EV_TIMES];
    ev_views(out, v);
    if (k % 2 == 0)
        return nmrc_unitary_execute(plan, ws, ev.rho0[k], ev.t, EV_TIMES, NULL, v);
    nmrc_status st = nmrc_unitary_set_state(plan, ws, ev.rho0[k]);
    for (size_t j = 0; j + 1 < EV_TIMES && st == NMRC_OK; j++)
        st = nmrc_unitary_state_at(plan, ws, ev.t[j], &v[j]);
    return st == NMRC_OK ? nmrc_unitary_propagator(plan, ws, ev.t[EV_TIMES - 1],
                                                   &v[EV_TIMES - 1]) : st;
}

static void test_unitary_two_threads(void **state)
{
    (void)state;
    uint64_t s = 12345;
    nmrc_cmat *H = nmrc_cmat_create(16, 16);
    nmrc_unitary_plan *p;
    tsan_hermitian(H, 2.0, &s);
    assert_int_equal(nmrc_unitary_plan_create(H, NULL, &p), NMRC_OK);
    ev_inputs(16, 0, 99);
    tsan_case c = {"unitary", p, EV_ITEMS, EV_TIMES * 16 * 16 * sizeof(nmrc_cplx), 20,
                   unitary_ws_create, unitary_ws_destroy, unitary_run};
    tsan_check(&c);
    ev_free();
    nmrc_unitary_plan_destroy(p);
    nmrc_cmat_destroy(H);
}

/* ---- Lindblad evolution --------------------------------------------------- */

static void *lindblad_ws_create(const void *plan) { return nmrc_lindblad_ws_create(plan); }
static void lindblad_ws_destroy(void *ws) { nmrc_lindblad_ws_destroy(ws); }

/* Even items: execute over all times; odd items: init, then advance to
** each time. */
static nmrc_status lindblad_run(const void *plan, void *ws, size_t k, void *out)
{
    nmrc_cmat v[EV_TIMES];
    ev_views(out, v);
    if (k % 2 == 0)
        return nmrc_lindblad_execute(plan, ws, ev.rho0[k], ev.t, EV_TIMES, NULL, v);
    nmrc_status st = nmrc_lindblad_init(plan, ws, ev.rho0[k], 0.0, NULL);
    for (size_t j = 0; j < EV_TIMES && st == NMRC_OK; j++)
        st = nmrc_lindblad_advance(plan, ws, ev.t[j], NULL, &v[j]);
    return st;
}

/* A random n-spin H with nearest-neighbour couplings and fields (parity:
** only flip-flop XX + YY couplings and Z fields, which keep the parity of
** x ^ y: the plan then works on two invariant blocks). */
static void lindblad_h(nmrc_cmat *H, size_t n, int parity, uint64_t *s)
{
    static const char ax[] = {'x', 'y', 'z'};
    nmrc_cmat_zero(H);
    for (size_t i = 0; i < n; i++) {
        for (int a = parity ? 2 : 0; a < 3; a++)
            assert_int_equal(nmrc_sim_add_pauli1(H, n, i, ax[a], tsan_rand(s)), NMRC_OK);
        if (i + 1 < n)
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    if (!parity || (a == b && a < 2))
                        assert_int_equal(nmrc_sim_add_pauli2(H, n, i, ax[a], i + 1, ax[b],
                                                             tsan_rand(s)), NMRC_OK);
    }
}

static void lindblad_case(const char *name, size_t n, nmrc_lindblad_method method, int parity,
                          size_t rounds)
{
    uint64_t s = 777 + n;
    size_t d = (size_t)1 << n;
    nmrc_cmat *H = nmrc_cmat_create(d, d), *L = nmrc_cmat_create(d, d);
    nmrc_collapse ops[4];
    size_t n_ops = 0;
    lindblad_h(H, n, parity, &s);
    ops[n_ops++] = (nmrc_collapse){NMRC_LOP_Z, 0, 0.2, NULL};
    ops[n_ops++] = (nmrc_collapse){NMRC_LOP_Z, n - 1, 0.1, NULL};
    if (!parity) {
        /* damping and a dense two-mask operator X(0) + i Z(1)/2 */
        ops[n_ops++] = (nmrc_collapse){NMRC_LOP_DECAY0, 0, 0.15, NULL};
        nmrc_cmat_zero(L);
        assert_int_equal(nmrc_sim_add_pauli1(L, n, 0, 'x', 1.0), NMRC_OK);
        assert_int_equal(nmrc_sim_add_pauli1(L, n, 1, 'z', 0.5 * I), NMRC_OK);
        ops[n_ops++] = (nmrc_collapse){NMRC_LOP_MATRIX, 0, 0.07, L};
    }
    nmrc_lindblad_opts o;
    nmrc_lindblad_opts_default(&o);
    o.method = method;
    nmrc_lindblad_plan *p;
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (nmrc_lindblad_plan_create(H, n, ops, n_ops, &o, ctx, &p) != NMRC_OK)
        fail_msg("%s: %s", name, nmrc_ctx_errmsg(ctx));
    nmrc_ctx_destroy(ctx);
    assert_int_equal(nmrc_lindblad_plan_method(p), method);
    assert_true(parity ? p->perm && p->blk == d / 2 : !p->perm); /* the block basis, or not */
    ev_inputs(d, (unsigned)parity, 4242 + n);
    tsan_case c = {name, p, EV_ITEMS, EV_TIMES * d * d * sizeof(nmrc_cplx), rounds,
                   lindblad_ws_create, lindblad_ws_destroy, lindblad_run};
    tsan_check(&c);
    ev_free();
    nmrc_lindblad_plan_destroy(p);
    nmrc_cmat_destroy(H);
    nmrc_cmat_destroy(L);
}

static void test_lindblad_exact_two_threads(void **state)
{
    (void)state;
    lindblad_case("Lindblad EXACT", 2, NMRC_LINDBLAD_EXACT, 0, 20);
}

static void test_lindblad_taylor_two_threads(void **state)
{
    (void)state;
    lindblad_case("Lindblad TAYLOR", 4, NMRC_LINDBLAD_TAYLOR, 0, 4);
    lindblad_case("Lindblad TAYLOR blocks", 4, NMRC_LINDBLAD_TAYLOR, 1, 4);
}

static void test_lindblad_chebyshev_two_threads(void **state)
{
    (void)state;
    lindblad_case("Lindblad CHEBYSHEV", 4, NMRC_LINDBLAD_CHEBYSHEV, 0, 4);
    lindblad_case("Lindblad CHEBYSHEV blocks", 4, NMRC_LINDBLAD_CHEBYSHEV, 1, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_two_threads),
        cmocka_unit_test(test_charge_table_two_threads),
        cmocka_unit_test(test_unitary_two_threads),
        cmocka_unit_test(test_lindblad_exact_two_threads),
        cmocka_unit_test(test_lindblad_taylor_two_threads),
        cmocka_unit_test(test_lindblad_chebyshev_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
