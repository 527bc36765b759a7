/*
** validate.c: validation of a pulse program on the physical NMR model
** (`nmrc validate`): the program (compiled from the spec, or the XML's) runs
** with delta pulses, with finite pulses, and with RF errors and relaxation;
** each run's process fidelity to the ideal exp(-i H_target t), state
** fidelity, trace distance and battery figures; the average-Hamiltonian
** analysis of the delta-pulse program.  The report text: validate_report.c.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "validate_impl.h"

void nmrc_run_validate_opts_default(nmrc_run_validate_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_fidelity = 0.99;
    o->rf_scale = 1;
    o->b1_nodes = 9;
    o->relax = 1;
}

/* The matrices of one validation, freed when it is done. */
typedef struct vwork {
    nmrc_run_validation *v;
    const nmrc_model *model;    /* NULL for an XML without a spec */
    nmrc_ctx *ctx;
    size_t d;
    nmrc_cmat *V, *Hb, *Eb, *rho0, *rho_id, *rho;
    double *eb;                 /* battery energies */
    nmrc_metrics_ws *mws;
} vwork;

static nmrc_status fail(vwork *w, const char *what, nmrc_status st)
{
    return nmrc_run_fail_(w->ctx, st, what);
}

/* ---- The programs and the system ------------------------------------------ */

static NMRC_NODISCARD nmrc_status load_programs(vwork *w, const nmrc_run_input *in)
{
    nmrc_run_validation *v = w->v;
    nmrc_status st;
    if (!nmrc_run_input_is_xml(in)) {
        if (!w->model)
            return nmrc_ctx_error(w->ctx, NMRC_EINVAL, "%s: the spec is not resolved", v->input);
        if ((st = nmrc_run_compile_(w->model, 0, w->ctx, &v->seq)) != NMRC_OK ||
            (st = nmrc_run_compile_(w->model, 1, w->ctx, &v->seq_delta)) != NMRC_OK)
            return fail(w, "compiling the spec", st);
        return NMRC_OK;
    }
    if (!nmrc_run_input_seq(in))
        return nmrc_ctx_error(w->ctx, NMRC_EINVAL, "%s: the program was not loaded "
                              "(nmrc_run_load_sequence)", v->input);
    if (!(v->seq = nmrc_seq_clone(nmrc_run_input_seq(in))) ||
        !(v->seq_delta = nmrc_seq_clone(v->seq)))
        return fail(w, "copying the sequence", NMRC_ENOMEM);
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status setup_system(vwork *w)
{
    nmrc_run_validation *v = w->v;
    nmrc_status st = NMRC_OK;
    if (w->model)
        st = nmrc_nmr_system_from_model(w->model, w->ctx, &v->sys);
    else
        nmrc_nmr_system_chcl3(&v->sys);
    if (st != NMRC_OK)
        return fail(w, "spin system", st);
    if (v->sys.n_spins != 2)
        return nmrc_ctx_error(w->ctx, NMRC_ENOTSUP, "validation compares two-spin targets; the "
                              "system has %zu spins", v->sys.n_spins);
    size_t d = w->d = nmrc_nmr_dim(&v->sys);
    w->V = nmrc_cmat_create(d, d);
    w->Hb = nmrc_cmat_create(d, d);
    w->Eb = nmrc_cmat_create(d, d);
    w->rho0 = nmrc_cmat_create(d, d);
    w->rho_id = nmrc_cmat_create(d, d);
    w->rho = nmrc_cmat_create(d, d);
    w->eb = malloc(d * sizeof *w->eb);
    w->mws = nmrc_metrics_ws_create(v->sys.n_spins);
    if (!w->V || !w->Hb || !w->Eb || !w->rho0 || !w->rho_id || !w->rho || !w->eb || !w->mws)
        return fail(w, "setup", NMRC_ENOMEM);
    return NMRC_OK;
}

/* ---- Target, battery Hamiltonian, initial state -------------------------- */

/* V = exp(-i H_target t) of the sequence's target; without a spec the
** target is the battery Hamiltonian too (rad/s). */
static NMRC_NODISCARD nmrc_status setup_target(vwork *w)
{
    nmrc_run_validation *v = w->v;
    nmrc_cmat *H = nmrc_cmat_create(w->d, w->d);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(w->d);
    nmrc_status st = H && ws ? NMRC_OK : NMRC_ENOMEM;
    if (!st && v->seq->has_target) {
        st = nmrc_nmr_seq_target(v->seq, v->sys.n_spins, H);
        v->t_target = v->seq->target_time;
    } else if (!st && !strcmp(v->seq->target_op, "identity")) {
        v->t_target = 0;
    } else if (!st) {
        nmrc_ctx_error(w->ctx, st = NMRC_EINVAL, "the sequence records no target "
                       "(nmrc:target) to validate against");
    }
    if (!st)
        st = nmrc_expmh(w->V, H, v->t_target, ws);
    if (!st && !w->model) {
        st = nmrc_cmat_copy(w->Hb, H);
        v->units = "rad/s";
    }
    nmrc_cmat_destroy(H);
    nmrc_eigh_ws_destroy(ws);
    return st ? fail(w, "target", st) : NMRC_OK;
}

/* The initial state (the spec's, else |01>), the battery's energy basis and
** the ideal final state's figures. */
static NMRC_NODISCARD nmrc_status setup_state(vwork *w)
{
    nmrc_run_validation *v = w->v;
    nmrc_status st;
    if (w->model) {
        nmrc_cmat *H = nmrc_run_hamiltonian_new_(w->model, w->ctx);
        if (!H)
            return nmrc_ctx_status(w->ctx);
        st = nmrc_cmat_copy(w->Hb, H);
        nmrc_cmat_destroy(H);
        if (st != NMRC_OK)
            return fail(w, "Hamiltonian", st);
        v->units = "omega";
        if ((st = nmrc_run_initial_state_(w->model, w->Hb, w->ctx, w->rho0)) != NMRC_OK)
            return st;
    } else {
        nmrc_cmat_zero(w->rho0);
        NMRC_CMAT_AT(w->rho0, 1, 1) = 1;         /* |01> */
    }
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(w->d);
    st = ws ? nmrc_cmat_copy(w->Eb, w->Hb) : NMRC_ENOMEM;
    if (!st)
        st = nmrc_eigh(w->Eb, w->eb, ws);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat *tmp = nmrc_cmat_create(w->d, w->d);
    if (!st && !tmp)
        st = NMRC_ENOMEM;
    if (!st)
        st = nmrc_cmat_similarity(w->rho_id, w->V, w->rho0, tmp);
    nmrc_cmat_destroy(tmp);
    if (!st)
        st = nmrc_metrics_battery(w->mws, w->rho_id, w->eb, w->Eb, &v->figs_id);
    return st ? fail(w, "ideal state", st) : NMRC_OK;
}

/* ---- Runs -------------------------------------------------------------------- */

/* State figures of w->rho against the ideal state. */
static NMRC_NODISCARD nmrc_status state_figs(vwork *w, nmrc_run_vrun *r)
{
    nmrc_cmat_hermitize(w->rho);
    nmrc_status st = nmrc_metrics_fidelity(w->mws, w->rho_id, w->rho, &r->f_state);
    if (!st)
        st = nmrc_metrics_trace_distance(w->mws, w->rho_id, w->rho, &r->trace_distance);
    if (!st)
        st = nmrc_metrics_battery(w->mws, w->rho, w->eb, w->Eb, &r->battery);
    return st;
}

/* Plans seq with opt, then fills r: unitary fidelity for a unitary plan,
** else the Choi process fidelity of the averaged process. */
static NMRC_NODISCARD nmrc_status run_one(vwork *w, const nmrc_seq *seq,
                                          const nmrc_nmr_options *opt, nmrc_run_vrun *r)
{
    nmrc_nmr_plan *plan = NULL;
    nmrc_nmr_ws *wk = NULL;
    size_t d = w->d;
    nmrc_cmat *M = NULL;
    nmrc_status st = nmrc_nmr_plan_create(&w->v->sys, seq, opt, w->ctx, &plan);
    if (!st && !(wk = nmrc_nmr_ws_create(plan)))
        st = NMRC_ENOMEM;
    int unitary = !st && nmrc_nmr_plan_is_unitary(plan);
    if (!st && !(M = unitary ? nmrc_cmat_create(d, d) : nmrc_cmat_create(d * d, d * d)))
        st = NMRC_ENOMEM;
    if (!st && unitary) {
        st = nmrc_nmr_execute_unitary(plan, wk, M);
        r->f_process = nmrc_nmr_unitary_fidelity(M, w->V);
    } else if (!st) {
        st = nmrc_nmr_execute_process(plan, wk, M);
        r->f_process = nmrc_nmr_process_fidelity(M, w->V);
    }
    if (!st)
        st = nmrc_nmr_execute(plan, wk, w->rho0, w->rho);
    if (!st)
        st = state_figs(w, r);
    r->f_average = nmrc_nmr_average_fidelity(r->f_process, d);
    nmrc_cmat_destroy(M);
    nmrc_nmr_ws_destroy(wk);
    nmrc_nmr_plan_destroy(plan);
    return st ? fail(w, r->name, st) : NMRC_OK;
}

/* 90-degree pulse length for a nucleus: the spec's p90 of a spin with that
** isotope, else that of the default 13CHCl3 pair (10 us 1H, 15 us 13C), else 0. */
static double default_rf90(const vwork *w, const char *nucleus)
{
    if (w->model) {
        for (size_t i = 0; i < w->model->n_spins; i++)
            if (!strcmp(w->model->spins[i].isotope, nucleus) && w->model->spins[i].p90 > 0)
                return w->model->spins[i].p90;
        return 0;
    }
    return !strcmp(nucleus, "1H") ? 10e-6 : !strcmp(nucleus, "13C") ? 15e-6 : 0;
}

/* The finite-pulse run: the program as written when it has finite pulses;
** else every pulse gets its channel's 90-degree length (the channel's rf90,
** else the spec's p90 or the default pair's), filled into v->seq. */
static void finite_options(vwork *w, nmrc_nmr_options *o)
{
    nmrc_seq *seq = w->v->seq;
    nmrc_nmr_options_default(o);
    for (size_t e = 0; e < seq->n_events; e++)
        if ((seq->events[e].kind == NMRC_EV_PULSE || seq->events[e].kind == NMRC_EV_SHAPED) &&
            seq->events[e].duration > 0)
            return;
    int all = 1;
    for (size_t c = 0; c < seq->n_channels; c++) {
        nmrc_channel *ch = &seq->channels[c];
        if (ch->kind == NMRC_CHAN_RF && !(ch->rf90 > 0))
            ch->rf90 = default_rf90(w, ch->nucleus);
        all &= ch->kind != NMRC_CHAN_RF || ch->rf90 > 0;
    }
    if (all)
        o->pulses = NMRC_NMR_PULSES_FINITE;
    else
        snprintf(w->v->runs[1].name, sizeof w->v->runs[1].name, "finite (no p90)");
}

static NMRC_NODISCARD nmrc_status run_all(vwork *w)
{
    nmrc_run_validation *v = w->v;
    nmrc_nmr_options o;
    nmrc_nmr_options_default(&o);
    o.pulses = NMRC_NMR_PULSES_DELTA;
    snprintf(v->runs[0].name, sizeof v->runs[0].name, "delta pulses");
    snprintf(v->runs[1].name, sizeof v->runs[1].name, "finite pulses");
    snprintf(v->runs[2].name, sizeof v->runs[2].name, "+ RF errors, T1/T2");
    nmrc_status st = run_one(w, v->seq_delta, &o, &v->runs[0]);
    if (st)
        return st;
    finite_options(w, &o);      /* may rename run 1 */
    if ((st = run_one(w, v->seq, &o, &v->runs[1])))
        return st;
    o.relax = v->opt.relax;
    for (size_t c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        o.rf_scale[c] = v->opt.rf_scale;
    if (v->opt.b1_sigma > 0 &&
        (st = nmrc_nmr_b1_gauss_hermite(v->opt.b1_sigma, v->opt.b1_nodes, w->ctx, &o.b1)))
        return fail(w, "B1 distribution", st);
    return run_one(w, v->seq, &o, &v->runs[2]);
}

/* The natural pair of a two-spin system in Pauli units: kappa Z(x)Z from the
** first coupling (pi J / 2 + pi b), offsets pi * offset_hz. */
static void natural_pair(const nmrc_nmr_system *sys, nmrc_pair *pair)
{
    memset(pair, 0, sizeof *pair);
    const nmrc_nmr_coupling *c = &sys->couplings[0];
    pair->kappa = sys->n_couplings ? NMRC_PI * c->j_hz / 2 + NMRC_PI * c->dipolar_hz : 0;
    for (int s = 0; s < 2; s++) {
        pair->offset[s] = NMRC_PI * sys->spins[s].offset_hz;
        snprintf(pair->nucleus[s], sizeof pair->nucleus[s], "%s", sys->spins[s].isotope);
        pair->spin[s] = s;
    }
}

/* Average-Hamiltonian analysis of the delta-pulse program with the
** sequence's natural pair, else the system's. */
static void analyze(vwork *w)
{
    nmrc_run_validation *v = w->v;
    nmrc_pair pair;
    int own = !(v->seq_delta->nat_kappa != 0);
    if (own)
        natural_pair(&v->sys, &pair);
    if (nmrc_analyze(v->seq_delta, own ? &pair : NULL, w->ctx, &v->an) != NMRC_OK) {
        v->an = NULL;
        v->an_error = strdup(nmrc_ctx_errmsg(w->ctx));
        nmrc_ctx_clear(w->ctx);
    }
}

static void vwork_free(vwork *w)
{
    nmrc_metrics_ws_destroy(w->mws);
    nmrc_cmat_destroy(w->V), nmrc_cmat_destroy(w->Hb), nmrc_cmat_destroy(w->Eb);
    nmrc_cmat_destroy(w->rho0), nmrc_cmat_destroy(w->rho_id), nmrc_cmat_destroy(w->rho);
    free(w->eb);
}

nmrc_status nmrc_run_validate(const nmrc_run_input *in, const nmrc_run_validate_opts *opt,
                              nmrc_ctx *ctx, nmrc_run_validation **out)
{
    *out = NULL;
    nmrc_ctx_clear(ctx);
    if (!(opt->min_fidelity >= 0 && opt->min_fidelity <= 1) || !(opt->rf_scale > 0) ||
        !(opt->b1_sigma >= 0) || opt->b1_nodes < 1 || opt->b1_nodes > NMRC_NMR_MAX_B1_NODES)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "validate: need 0 <= F <= 1, S > 0, sigma >= 0, "
                              "1..%d nodes", NMRC_NMR_MAX_B1_NODES);
    nmrc_run_validation *v = calloc(1, sizeof *v);
    vwork w = {.v = v, .model = nmrc_run_input_model(in), .ctx = ctx};
    if (!v || !(v->input = strdup(nmrc_run_input_path(in)))) {
        free(v);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "validate: out of memory");
    }
    v->opt = *opt;
    v->from_spec = w.model != NULL;
    nmrc_status st = load_programs(&w, in);
    if (st == NMRC_OK)
        st = setup_system(&w);
    if (st == NMRC_OK)
        st = setup_target(&w);
    if (st == NMRC_OK)
        st = setup_state(&w);
    if (st == NMRC_OK)
        st = run_all(&w);
    if (st == NMRC_OK)
        analyze(&w);
    vwork_free(&w);
    if (st != NMRC_OK) {
        nmrc_run_validation_destroy(v);
        return st;
    }
    *out = v;
    return NMRC_OK;
}

void nmrc_run_validation_destroy(nmrc_run_validation *v)
{
    if (!v)
        return;
    nmrc_analysis_destroy(v->an);
    nmrc_seq_destroy(v->seq);
    nmrc_seq_destroy(v->seq_delta);
    free(v->an_error);
    free(v->input);
    free(v);
}

const nmrc_run_vrun *nmrc_run_validation_runs(const nmrc_run_validation *v) { return v->runs; }

const nmrc_battery_figs *nmrc_run_validation_ideal(const nmrc_run_validation *v)
{
    return &v->figs_id;
}

const nmrc_analysis *nmrc_run_validation_analysis(const nmrc_run_validation *v) { return v->an; }

const nmrc_nmr_system *nmrc_run_validation_system(const nmrc_run_validation *v)
{
    return &v->sys;
}

const nmrc_seq *nmrc_run_validation_seq(const nmrc_run_validation *v) { return v->seq; }

void nmrc_run_validation_summary(const nmrc_run_validation *v, nmrc_run_vsummary *out)
{
    memset(out, 0, sizeof *out);
    out->t_target = v->t_target;
    out->has_target = v->seq->has_target;
    out->from_spec = v->from_spec;
    snprintf(out->units, sizeof out->units, "%s", v->units ? v->units : "");
    out->min_fidelity = v->opt.min_fidelity;
    nmrc_run_validation_verdict_(v, out);
}
