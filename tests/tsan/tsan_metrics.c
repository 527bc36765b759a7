/*
** tsan_metrics.c: the other workspace objects shared-input style (harness:
** tsan_util.h): metrics workspaces (nmrc_metrics_ws) evaluating every
** workspace-taking figure on states and eigenvectors both threads read, and
** the linear-algebra workspaces (nmrc_eigh_ws, nmrc_expm_ws) on one shared
** matrix.  There is no plan: the shared, read-only part is the inputs.
** Every threaded result must equal the serial one bit for bit.
*/
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "tsan_util.h"

#define MET_ITEMS 6

/* ---- Metrics ---------------------------------------------------------------- */

/* Shared inputs: a 3-spin H's eigensystem and MET_ITEMS states; their
** reduced pair states for the two-qubit measures. */
static struct {
    nmrc_cmat *V;               /* eigenvectors of H, 8 x 8 */
    double e[8];
    nmrc_cmat *rho[MET_ITEMS], *pair[MET_ITEMS];
} met;

typedef struct met_out {
    nmrc_battery_figs fig;
    double coh, entropy, mi, conc, fid, td;
    double disc[7];             /* nmrc_discord_result field by field (no padding) */
    double e_sorted[8];
    nmrc_cplx basis[64];
} met_out;

static void *met_ws_create(const void *plan)
{
    return nmrc_metrics_ws_create(*(const size_t *)plan);
}
static void met_ws_destroy(void *ws) { nmrc_metrics_ws_destroy(ws); }

static nmrc_status met_run(const void *plan, void *ws, size_t k, void *out)
{
    (void)plan;
    met_out *o = out;
    const nmrc_cmat *r = met.rho[k], *p = met.pair[k], *q = met.pair[(k + 1) % MET_ITEMS];
    nmrc_cmat B = nmrc_cmat_view(o->basis, 8, 8, 8);
    nmrc_discord_result d = {0};
    nmrc_status st = nmrc_metrics_battery(ws, r, met.e, met.V, &o->fig);
    if (!st)
        st = nmrc_metrics_coherence_energy(ws, r, met.e, met.V, &o->coh);
    if (!st)
        st = nmrc_metrics_energy_basis(ws, met.e, met.V, o->e_sorted, &B);
    if (!st)
        st = nmrc_metrics_entropy(ws, r, &o->entropy);
    if (!st)
        st = nmrc_metrics_mutual_info(ws, p, &o->mi);
    if (!st)
        st = nmrc_metrics_concurrence(ws, p, &o->conc);
    if (!st)
        st = nmrc_metrics_discord_full(ws, p, &d);
    double dv[7] = {d.discord, d.mutual_info, d.classical, d.cond_entropy, d.theta, d.phi,
                    (double)d.n_evals};
    memcpy(o->disc, dv, sizeof dv);
    if (!st)
        st = nmrc_metrics_fidelity(ws, p, q, &o->fid);
    return st ? st : nmrc_metrics_trace_distance(ws, r, met.rho[(k + 2) % MET_ITEMS], &o->td);
}

static void test_metrics_two_threads(void **state)
{
    (void)state;
    uint64_t s = 555;
    size_t n_spins = 3;
    nmrc_eigh_ws *ews = nmrc_eigh_ws_create(8);
    assert_non_null(met.V = nmrc_cmat_create(8, 8));
    tsan_hermitian(met.V, 1.0, &s);
    assert_int_equal(nmrc_eigh(met.V, met.e, ews), NMRC_OK);
    nmrc_eigh_ws_destroy(ews);
    for (size_t k = 0; k < MET_ITEMS; k++) {
        assert_non_null(met.rho[k] = nmrc_cmat_create(8, 8));
        assert_non_null(met.pair[k] = nmrc_cmat_create(4, 4));
        tsan_state(met.rho[k], &s);
        assert_int_equal(nmrc_metrics_reduce_pair(met.rho[k], 3, 0, 2, met.pair[k]), NMRC_OK);
    }
    tsan_case c = {"metrics", &n_spins, MET_ITEMS, sizeof(met_out), 10, met_ws_create,
                   met_ws_destroy, met_run};
    tsan_check(&c);
    for (size_t k = 0; k < MET_ITEMS; k++) {
        nmrc_cmat_destroy(met.rho[k]);
        nmrc_cmat_destroy(met.pair[k]);
    }
    nmrc_cmat_destroy(met.V);
}

/* ---- Linear-algebra workspaces ----------------------------------------------- */

#define LA_N 16

/* Both workspaces of one thread. */
typedef struct la_ws {
    nmrc_eigh_ws *eig;
    nmrc_expm_ws *expm;
    nmrc_cmat *A;               /* the thread's scaled copy of the shared matrix */
} la_ws;

static void la_ws_destroy(void *p)
{
    la_ws *w = p;
    if (!w)
        return;
    nmrc_eigh_ws_destroy(w->eig);
    nmrc_expm_ws_destroy(w->expm);
    nmrc_cmat_destroy(w->A);
    free(w);
}

static void *la_ws_create(const void *plan)
{
    (void)plan;
    la_ws *w = calloc(1, sizeof *w);
    if (w && (!(w->eig = nmrc_eigh_ws_create(LA_N)) || !(w->expm = nmrc_expm_ws_create(LA_N)) ||
              !(w->A = nmrc_cmat_create(LA_N, LA_N)))) {
        la_ws_destroy(w);
        return NULL;
    }
    return w;
}

/* exp(-i H t_k) through the eigendecomposition and exp(-i t_k H) by Pade,
** for the shared Hermitian H (the case's plan). */
static nmrc_status la_run(const void *plan, void *ws, size_t k, void *out)
{
    const nmrc_cmat *H = plan;
    la_ws *w = ws;
    double t = 0.3 + 0.45 * (double)k;
    nmrc_cmat U = nmrc_cmat_view(out, LA_N, LA_N, LA_N);
    nmrc_cmat E = nmrc_cmat_view((nmrc_cplx *)out + LA_N * LA_N, LA_N, LA_N, LA_N);
    nmrc_status st = nmrc_expmh(&U, H, t, w->eig);
    if (st == NMRC_OK)
        st = nmrc_cmat_copy(w->A, H);
    if (st)
        return st;
    nmrc_cmat_scale(w->A, -I * t);
    return nmrc_expm(&E, w->A, w->expm);
}

static void test_linalg_two_threads(void **state)
{
    (void)state;
    uint64_t s = 8080;
    nmrc_cmat *H = nmrc_cmat_create(LA_N, LA_N);
    tsan_hermitian(H, 1.0, &s);
    tsan_case c = {"linalg workspaces", H, 8, 2 * LA_N * LA_N * sizeof(nmrc_cplx), 20,
                   la_ws_create, la_ws_destroy, la_run};
    tsan_check(&c);
    nmrc_cmat_destroy(H);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_metrics_two_threads),
        cmocka_unit_test(test_linalg_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
