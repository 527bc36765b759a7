/*
** nmr_plan.c: planning for the physical NMR model.  Walks the pulse program
** once per (B1 node, experiment, scan) and turns each event into steps:
** cached propagators (sim/nmr_props.c), virtual-Z and gradient phases,
** loops; then the gradient slices, weights and receiver phases.
*/
#include "nmr_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double wrap_phase(double p)
{
    p = fmod(p, 2 * NMRC_PI);
    if (p < 0)
        p += 2 * NMRC_PI;
    if (p >= 2 * NMRC_PI - 1e-13)
        p = 0;
    return p;
}

/* ---- Events ---------------------------------------------------------------- */

/* Per-walk bookkeeping: loop stack and the time/gradient totals. */
typedef struct walk {
    size_t open[NMRI_MAX_DEPTH];    /* step index of each open LOOP */
    double mult[NMRI_MAX_DEPTH + 1]; /* repetitions of the current nesting level */
    size_t depth;
    double time, grad_area;         /* s and sum |area| (T s / m), loops counted */
    char axis;                      /* gradient axis seen, 0 = none */
    unsigned observed;
} walk;

/* Amplitude scale of channel c for the current B1 node. */
static double rf_scale(const nmri_planner *pl, int c)
{
    double s = pl->opt->rf_scale[c] > 0 ? pl->opt->rf_scale[c] : 1.0;
    if (pl->opt->b1.n)
        s *= pl->opt->b1.scale[pl->node];
    return s;
}

/* Phase of a pulse on channel c for the current scan and experiment. */
static double pulse_phase(const nmri_planner *pl, const nmrc_pulse *p, int c)
{
    double ph = p->phase;
    if (p->phase_list >= 0) {
        const nmrc_phase_list *l = &pl->seq->phase_lists[p->phase_list];
        if (l->n)
            ph += l->phase[pl->scan % l->n];
    }
    if (pl->seq->n_experiments)
        ph += pl->seq->experiments[pl->exp].phase_offset[c];
    return ph;
}

static NMRC_NODISCARD nmrc_status check_rf_channel(const nmri_planner *pl, int c, size_t e)
{
    if (c < 0 || (size_t)c >= pl->seq->n_channels || pl->seq->channels[c].kind != NMRC_CHAN_RF)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu uses channel %d, not an RF "
                              "channel of the sequence", e, c);
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status check_pulses(const nmri_planner *pl, const nmrc_event *ev, size_t e)
{
    unsigned seen = 0;
    if (ev->n_pulse < 0 || ev->n_pulse > NMRC_SEQ_MAX_CHANNELS)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu has %d pulses", e,
                              ev->n_pulse);
    for (int q = 0; q < ev->n_pulse; q++) {
        const nmrc_pulse *p = &ev->pulse[q];
        nmrc_status st = check_rf_channel(pl, p->channel, e);
        if (st)
            return st;
        if (seen & (1u << p->channel))
            return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu pulses channel %s twice",
                                  e, pl->seq->channels[p->channel].name);
        seen |= 1u << p->channel;
        if (p->phase_list >= (int)pl->seq->n_phase_lists)
            return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu: no phase list %d", e,
                                  p->phase_list);
        if (!isfinite(p->angle) || !isfinite(p->phase) || !isfinite(p->amplitude) ||
            p->amplitude < 0)
            return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu has a bad pulse", e);
    }
    return NMRC_OK;
}

/* Length of a duration-0 pulse in FINITE mode from the channel's rf90. */
static NMRC_NODISCARD nmrc_status finite_rf90(const nmri_planner *pl, int c, size_t e, double *rf90)
{
    *rf90 = pl->seq->channels[c].rf90 > 0 ? pl->seq->channels[c].rf90 : pl->opt->rf90_default;
    if (!(*rf90 > 0))
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu: channel %s has no 90-degree "
                              "pulse length for finite pulses", e, pl->seq->channels[c].name);
    return NMRC_OK;
}

/* Emits the ideal pulses of k (theta/ph set per channel) at the centre
** times mid[c] inside an event of length dur, with free evolution between:
** channels sharing a centre rotate together. */
static NMRC_NODISCARD nmrc_status emit_staged_delta(nmri_planner *pl, const nmri_key *k, const double *mid,
                                     double dur)
{
    size_t nc = pl->seq->n_channels;
    unsigned left = 0;
    for (size_t c = 0; c < nc; c++)
        if (k->theta[c] != 0.0)
            left |= 1u << c;
    double now = 0;
    nmrc_status st = NMRC_OK;
    while (left && !st) {
        double t = INFINITY;
        for (size_t c = 0; c < nc; c++)
            if (left & (1u << c))
                t = fmin(t, mid[c]);
        nmri_key g;
        memset(&g, 0, sizeof g);
        g.kind = NMRI_KEY_DELTA;
        for (size_t c = 0; c < nc; c++)
            if ((left & (1u << c)) && mid[c] <= t + 1e-12 * (dur + 1e-300)) {
                g.theta[c] = k->theta[c];
                g.ph[c] = k->ph[c];
                left &= ~(1u << c);
            }
        st = nmrc_nmri_emit_delay(pl, t - now);
        if (!st)
            st = nmrc_nmri_emit_prop(pl, &g);
        now = fmax(now, t);
    }
    return st ? st : nmrc_nmri_emit_delay(pl, dur - now);
}

/* Emits an ideal pulse (key k with theta/ph set) at the centre of dur. */
static NMRC_NODISCARD nmrc_status emit_centred_delta(nmri_planner *pl, nmri_key *k, double dur)
{
    double mid[NMRC_SEQ_MAX_CHANNELS];
    for (size_t c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        mid[c] = dur / 2;
    return emit_staged_delta(pl, k, mid, dur);
}

static NMRC_NODISCARD nmrc_status do_pulse(nmri_planner *pl, const nmrc_event *ev, size_t e, walk *w)
{
    nmrc_status st = check_pulses(pl, ev, e);
    if (st)
        return st;
    nmrc_nmr_pulse_mode mode = pl->opt->pulses;
    double dur = ev->duration;
    nmri_key k;
    memset(&k, 0, sizeof k);
    if (!(dur >= 0) || !isfinite(dur))
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu has a bad duration", e);
    int delta = mode == NMRC_NMR_PULSES_DELTA || (dur == 0 && mode == NMRC_NMR_PULSES_AS_WRITTEN);
    double mid[NMRC_SEQ_MAX_CHANNELS] = {0};
    for (int q = 0; q < ev->n_pulse; q++) {
        const nmrc_pulse *p = &ev->pulse[q];
        int c = p->channel;
        double ang = fabs(p->angle), nu, on;
        k.ph[c] = wrap_phase(pulse_phase(pl, p, c) + (p->angle < 0 ? NMRC_PI : 0));
        if (dur == 0 && delta) {
            nu = 0, on = 0;
        } else if (dur == 0) {                   /* FINITE mode: rf90 length */
            double rf90;
            if ((st = finite_rf90(pl, c, e, &rf90)))
                return st;
            nu = 1 / (4 * rf90);
            on = ang / (2 * NMRC_PI * nu);
        } else if (p->amplitude > 0) {
            nu = p->amplitude;
            on = ang / (2 * NMRC_PI * nu);
            if (on > dur * (1 + 1e-9) + 1e-15)
                return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu: the pulse on %s "
                                      "needs %g s at %g Hz but the event lasts %g s", e,
                                      pl->seq->channels[c].name, on, nu, dur);
            on = fmin(on, dur);
        } else {
            nu = ang / (2 * NMRC_PI * dur);
            on = dur;
        }
        if (delta) {                             /* ideal, at the real pulse's centre */
            k.theta[c] = ang * rf_scale(pl, c);
            mid[c] = on / 2;
            continue;
        }
        k.nu[c] = ang > 0 ? nu * rf_scale(pl, c) : 0;
        k.on[c] = on;
        k.t = fmax(k.t, on);
    }
    if (delta)
        return emit_staged_delta(pl, &k, mid, dur);
    if (dur > 0)
        k.t = dur;
    k.kind = NMRI_KEY_RECT;
    w->time += (k.t - dur) * w->mult[w->depth];  /* FINITE mode lengthens the program */
    return k.t > 0 ? nmrc_nmri_emit_prop(pl, &k) : NMRC_OK;
}

/* Sum of a shape's amplitudes as a fraction (percent / 100). */
static double shape_sum(const nmrc_shape *sh)
{
    double s = 0;
    for (size_t i = 0; i < sh->n; i++)
        s += sh->amp[i] / 100.0;
    return s;
}

static NMRC_NODISCARD nmrc_status do_shaped(nmri_planner *pl, const nmrc_event *ev, size_t e)
{
    int c = ev->channel;
    nmrc_status st = check_rf_channel(pl, c, e);
    if (st)
        return st;
    if (ev->shape < 0 || (size_t)ev->shape >= pl->seq->n_shapes || !pl->seq->shapes[ev->shape].n)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: shaped event %zu has no shape", e);
    if (!(ev->duration > 0) || !isfinite(ev->duration) || ev->amplitude < 0)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: shaped event %zu needs a duration > 0 "
                              "and an amplitude >= 0", e);
    const nmrc_shape *sh = &pl->seq->shapes[ev->shape];
    double dt = ev->duration / (double)sh->n, amp = ev->amplitude;
    double angle = ev->n_pulse > 0 ? ev->pulse[0].angle : 0;
    if (amp == 0 && shape_sum(sh) > 0)      /* nominal angle sets the peak amplitude */
        amp = fabs(angle) / (2 * NMRC_PI * dt * shape_sum(sh));
    nmrc_pulse base = ev->n_pulse > 0 ? ev->pulse[0] : (nmrc_pulse){c, 0, 0, -1, 0};
    if (base.phase_list >= (int)pl->seq->n_phase_lists)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu: no phase list %d", e,
                              base.phase_list);
    nmri_key k;
    memset(&k, 0, sizeof k);
    k.ph[c] = wrap_phase(pulse_phase(pl, &base, c));
    if (pl->opt->pulses == NMRC_NMR_PULSES_DELTA) {
        double nominal = angle != 0 ? fabs(angle) : 2 * NMRC_PI * amp * dt * shape_sum(sh);
        k.theta[c] = nominal * rf_scale(pl, c);
        return emit_centred_delta(pl, &k, ev->duration);
    }
    k.kind = NMRI_KEY_SHAPED;
    k.shape = ev->shape;
    k.channel = c;
    k.t = ev->duration;
    k.scale = amp * rf_scale(pl, c);
    return nmrc_nmri_emit_prop(pl, &k);
}

static NMRC_NODISCARD nmrc_status do_gradient(nmri_planner *pl, const nmrc_event *ev, size_t e, walk *w)
{
    const nmrc_seq *seq = pl->seq;
    int c = ev->channel;
    if (c < 0 || (size_t)c >= seq->n_channels || seq->channels[c].kind != NMRC_CHAN_GRAD)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: gradient event %zu has no gradient "
                              "channel", e);
    if (!(ev->duration >= 0) || !isfinite(ev->duration) || !isfinite(ev->amplitude))
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: gradient event %zu is bad", e);
    if (w->axis && w->axis != seq->channels[c].axis)
        return nmrc_ctx_error(pl->ctx, NMRC_ENOTSUP, "nmr: gradients along two axes (%c, %c) "
                              "are not supported", w->axis, seq->channels[c].axis);
    w->axis = seq->channels[c].axis;
    double area = ev->amplitude * ev->duration;
    if (ev->shape >= 0) {
        if ((size_t)ev->shape >= seq->n_shapes || !seq->shapes[ev->shape].n)
            return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: gradient %zu: bad shape", e);
        area *= shape_sum(&seq->shapes[ev->shape]) / (double)seq->shapes[ev->shape].n;
    }
    nmrc_status st = nmrc_nmri_emit_delay(pl, ev->duration);
    if (st || area == 0)
        return st;
    nmri_step s = {NMRI_STEP_GRAD, 0, 0, 0, 0};
    if ((st = nmrc_nmri_new_diag(pl->plan, &s.diag)))
        return st;
    const nmrc_nmr_system *sys = &pl->plan->sys;
    nmrc_cplx *g = pl->plan->diags + s.diag * pl->plan->dim;
    for (size_t k = 0; k < pl->plan->dim; k++) {
        double v = 0;   /* sum_i gamma_i A m_i, m_i = z_i / 2 */
        for (size_t i = 0; i < sys->n_spins; i++)
            v += sys->spins[i].gamma * area * 0.5 * nmrc_nmri_zval(k, sys->n_spins, (int)i);
        g[k] = v;
    }
    w->grad_area += fabs(area) * w->mult[w->depth];
    pl->plan->has_gradient = 1;
    nmrc_nmri_intern_diag(pl->plan, &s.diag);
    return nmrc_nmri_push_step(pl, s);
}

/* Virtual Z of angle a on channel c: exp(-i a sum_{i in c} Z_i / 2). */
static NMRC_NODISCARD nmrc_status do_vz(nmri_planner *pl, const nmrc_event *ev, size_t e)
{
    nmrc_status st = check_rf_channel(pl, ev->channel, e);
    if (st)
        return st;
    if (!isfinite(ev->vz_phase))
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu: bad virtual-Z phase", e);
    nmri_step s = {NMRI_STEP_DIAG, 0, 0, 0, 0};
    if ((st = nmrc_nmri_new_diag(pl->plan, &s.diag)))
        return st;
    const nmrc_nmr_system *sys = &pl->plan->sys;
    nmrc_cplx *d = pl->plan->diags + s.diag * pl->plan->dim;
    for (size_t k = 0; k < pl->plan->dim; k++) {
        int zsum = 0;
        for (size_t i = 0; i < sys->n_spins; i++)
            if (pl->chmask[ev->channel] & (1u << i))
                zsum += nmrc_nmri_zval(k, sys->n_spins, (int)i);
        d[k] = cexp(-I * ev->vz_phase * zsum / 2);
    }
    nmrc_nmri_intern_diag(pl->plan, &s.diag);
    return nmrc_nmri_push_step(pl, s);
}

static NMRC_NODISCARD nmrc_status do_loop(nmri_planner *pl, const nmrc_event *ev, size_t e, walk *w)
{
    nmri_prog *p = pl->prog;
    if (ev->kind == NMRC_EV_LOOP_BEGIN) {
        if (w->depth == NMRI_MAX_DEPTH)
            return nmrc_ctx_error(pl->ctx, NMRC_ELIMIT, "nmr: loops nested deeper than %d",
                                  NMRI_MAX_DEPTH);
        nmri_step s = {NMRI_STEP_LOOP, 0, 0, ev->count, 0};
        w->open[w->depth++] = p->n;
        w->mult[w->depth] = w->mult[w->depth - 1] * (double)ev->count;
        return nmrc_nmri_push_step(pl, s);
    }
    if (w->depth == 0)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu ends a loop never opened", e);
    size_t open = w->open[--w->depth];
    nmri_step s = {NMRI_STEP_END, 0, 0, 0, open};
    nmrc_status st = nmrc_nmri_push_step(pl, s);
    if (!st)
        p->steps[open].match = p->n - 1;
    return st;
}

static NMRC_NODISCARD nmrc_status do_event(nmri_planner *pl, const nmrc_event *ev, size_t e, walk *w)
{
    switch (ev->kind) {
    case NMRC_EV_PULSE:
        w->time += ev->duration * w->mult[w->depth];
        return do_pulse(pl, ev, e, w);
    case NMRC_EV_SHAPED:
        w->time += ev->duration * w->mult[w->depth];
        return do_shaped(pl, ev, e);
    case NMRC_EV_DELAY:
        if (!(ev->duration >= 0) || !isfinite(ev->duration))
            return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: delay event %zu has a bad "
                                  "duration", e);
        w->time += ev->duration * w->mult[w->depth];
        return nmrc_nmri_emit_delay(pl, ev->duration);
    case NMRC_EV_GRADIENT:
        w->time += ev->duration * w->mult[w->depth];
        return do_gradient(pl, ev, e, w);
    case NMRC_EV_VZ:
        return do_vz(pl, ev, e);
    case NMRC_EV_LOOP_BEGIN:
    case NMRC_EV_LOOP_END:
        return do_loop(pl, ev, e, w);
    default:
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: event %zu has an unknown kind", e);
    }
}

/* Walks the program for the current (node, exp, scan) into pl->prog. */
static NMRC_NODISCARD nmrc_status walk_program(nmri_planner *pl, walk *w)
{
    const nmrc_seq *seq = pl->seq;
    memset(w, 0, sizeof *w);
    w->mult[0] = 1;
    for (size_t e = 0; e < seq->n_events; e++) {
        const nmrc_event *ev = &seq->events[e];
        if (ev->kind == NMRC_EV_ACQUIRE) {
            if (ev->channel >= 0 && (size_t)ev->channel < seq->n_channels)
                w->observed = pl->chmask[ev->channel];
            break;
        }
        nmrc_status st = do_event(pl, ev, e, w);
        if (st)
            return st;
    }
    if (w->depth)
        return nmrc_ctx_error(pl->ctx, NMRC_EINVAL, "nmr: %zu loop(s) not closed before the "
                              "acquisition or the end", w->depth);
    return NMRC_OK;
}

/* ---- Plan creation ------------------------------------------------------- */

static void planner_free(nmri_planner *pl)
{
    nmrc_cmat_destroy(pl->hnat);
    nmrc_cmat_destroy(pl->h);
    nmrc_cmat_destroy(pl->u);
    nmrc_cmat_destroy(pl->ud);
    nmrc_cmat_destroy(pl->seg);
    nmrc_cmat_destroy(pl->tmp);
    nmrc_cmat_destroy(pl->lsup);
    nmrc_cmat_destroy(pl->hn);
    nmrc_eigh_ws_destroy(pl->eig);
    nmrc_expm_ws_destroy(pl->expm);
}

static NMRC_NODISCARD nmrc_status planner_init(nmri_planner *pl)
{
    nmrc_nmr_plan *plan = pl->plan;
    size_t d = plan->dim, D = plan->super ? d * d : d;
    for (size_t c = 0; c < pl->seq->n_channels; c++)
        pl->chmask[c] = nmrc_nmr_channel_spins(&plan->sys, pl->seq, (int)c);
    pl->hnat = nmrc_cmat_create(d, d);
    pl->h = nmrc_cmat_create(d, d);
    pl->u = nmrc_cmat_create(d, d);
    pl->ud = nmrc_cmat_create(d, d);
    pl->seg = nmrc_cmat_create(D, D);
    pl->tmp = nmrc_cmat_create(D, D);
    pl->eig = nmrc_eigh_ws_create(d);
    pl->hn = nmrc_cmat_create(d, d);
    if (plan->super) {
        pl->lsup = nmrc_cmat_create(D, D);
        pl->expm = nmrc_expm_ws_create(D);
    }
    if (!pl->hnat || !pl->h || !pl->u || !pl->ud || !pl->seg || !pl->tmp || !pl->eig || !pl->hn ||
        (plan->super && (!pl->lsup || !pl->expm)))
        return NMRC_ENOMEM;
    return nmrc_nmr_hamiltonian(&plan->sys, pl->hnat);
}

static int has_relaxation(const nmrc_nmr_system *sys)
{
    for (size_t i = 0; i < sys->n_spins; i++)
        if (sys->spins[i].t1 > 0 || sys->spins[i].t2 > 0)
            return 1;
    return 0;
}

/* Counts, weights and receiver phases from the sequence and options. */
static NMRC_NODISCARD nmrc_status plan_counts(nmrc_nmr_plan *plan, const nmrc_seq *seq,
                               const nmrc_nmr_options *opt, nmrc_ctx *ctx)
{
    plan->n_nodes = opt->b1.n ? opt->b1.n : 1;
    if (opt->b1.n > NMRC_NMR_MAX_B1_NODES)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: too many B1 nodes");
    for (size_t b = 0; b < plan->n_nodes; b++)
        plan->node_w[b] = opt->b1.n ? opt->b1.weight[b] : 1.0;
    plan->n_exps = seq->n_experiments ? seq->n_experiments : 1;
    plan->n_scans = (opt->first_scan_only || seq->scans == 0) ? 1 : seq->scans;
    plan->exp_w = malloc(plan->n_exps * sizeof *plan->exp_w);
    plan->rec_phase = calloc(plan->n_scans, sizeof *plan->rec_phase);
    plan->progs = calloc(plan->n_nodes * plan->n_exps * plan->n_scans, sizeof *plan->progs);
    if (!plan->exp_w || !plan->rec_phase || !plan->progs)
        return NMRC_ENOMEM;
    for (size_t e = 0; e < plan->n_exps; e++) {
        plan->exp_w[e] = seq->n_experiments ? seq->experiments[e].weight : 1.0;
        if (seq->n_experiments && seq->experiments[e].prepend >= 0)
            return nmrc_ctx_error(ctx, NMRC_ENOTSUP, "nmr: experiment %zu prepends a "
                                  "sub-sequence (not supported)", e);
        if (!isfinite(plan->exp_w[e]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: experiment %zu has a bad weight", e);
    }
    if (seq->receiver_list >= (int)seq->n_phase_lists)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: bad receiver phase list");
    for (size_t k = 0; k < plan->n_scans && seq->receiver_list >= 0; k++) {
        const nmrc_phase_list *l = &seq->phase_lists[seq->receiver_list];
        plan->rec_phase[k] = l->n ? l->phase[k % l->n] : 0;
    }
    return NMRC_OK;
}

/* Gradient slices: a Gauss-Legendre rule fine enough for every phase. */
static NMRC_NODISCARD nmrc_status plan_slices(nmrc_nmr_plan *plan, const nmrc_nmr_options *opt,
                               double grad_area)
{
    double L = opt->sample_length > 0 ? opt->sample_length : 0.02, gsum = 0;
    for (size_t i = 0; i < plan->sys.n_spins; i++)
        gsum += fabs(plan->sys.spins[i].gamma);
    size_t n = 1;
    if (plan->has_gradient)
        n = opt->slices ? opt->slices : nmrc_nmr_slices_needed(grad_area * gsum * L / 2);
    plan->n_slices = n;
    plan->slice_z = malloc(n * sizeof *plan->slice_z);
    plan->slice_w = malloc(n * sizeof *plan->slice_w);
    if (!plan->slice_z || !plan->slice_w)
        return NMRC_ENOMEM;
    if (n == 1 && !plan->has_gradient) {
        plan->slice_z[0] = 0;
        plan->slice_w[0] = 1;
        return NMRC_OK;
    }
    return nmrc_nmr_slices(n, L, plan->slice_z, plan->slice_w);
}

static NMRC_NODISCARD nmrc_status plan_walk_all(nmri_planner *pl)
{
    nmrc_nmr_plan *plan = pl->plan;
    walk w;
    double area = 0;
    for (pl->node = 0; pl->node < plan->n_nodes; pl->node++)
        for (pl->exp = 0; pl->exp < plan->n_exps; pl->exp++)
            for (pl->scan = 0; pl->scan < plan->n_scans; pl->scan++) {
                pl->prog = &plan->progs[(pl->node * plan->n_exps + pl->exp) * plan->n_scans +
                                        pl->scan];
                nmrc_status st = walk_program(pl, &w);
                if (!st)
                    st = nmrc_nmri_fold_loops(pl, pl->prog);
                if (st)
                    return st;
                if (pl->node == 0 && pl->exp == 0 && pl->scan == 0) {
                    plan->duration = w.time;
                    plan->observed = w.observed;
                    area = w.grad_area;
                }
            }
    return plan_slices(plan, pl->opt, area);
}

nmrc_status nmrc_nmr_plan_create(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                                 const nmrc_nmr_options *opt, nmrc_ctx *ctx,
                                 nmrc_nmr_plan **out)
{
    *out = NULL;
    nmrc_status st = nmrc_nmr_system_check(sys, ctx);
    if (st)
        return st;
    if (!seq || seq->n_channels > NMRC_SEQ_MAX_CHANNELS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmr: no sequence or too many channels");
    nmrc_nmr_plan *plan = calloc(1, sizeof *plan);
    if (!plan)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "nmr: out of memory");
    plan->sys = *sys;
    plan->dim = nmrc_nmr_dim(sys);
    int relax = opt->relax && has_relaxation(sys);
    plan->super = relax && sys->n_spins <= NMRC_NMR_LIOUVILLE_MAX_SPINS;
    plan->split = relax && !plan->super;
    nmri_planner pl;
    memset(&pl, 0, sizeof pl);
    pl.plan = plan;
    pl.seq = seq;
    pl.opt = opt;
    pl.ctx = ctx;
    st = plan_counts(plan, seq, opt, ctx);
    if (!st)
        st = planner_init(&pl);
    if (!st)
        st = plan_walk_all(&pl);
    planner_free(&pl);
    if (st) {
        nmrc_nmr_plan_destroy(plan);
        if (st == NMRC_ENOMEM)
            nmrc_ctx_error(ctx, st, "nmr: out of memory while planning");
        return st;
    }
    *out = plan;
    return NMRC_OK;
}

void nmrc_nmr_plan_destroy(nmrc_nmr_plan *plan)
{
    if (!plan)
        return;
    for (size_t i = 0; i < plan->n_props; i++)
        nmrc_cmat_destroy(plan->props[i]);
    free(plan->props);
    free(plan->keys);
    nmrc_nmri_folds_free(plan);
    free(plan->diags);
    if (plan->progs)
        for (size_t i = 0; i < plan->n_nodes * plan->n_exps * plan->n_scans; i++)
            free(plan->progs[i].steps);
    free(plan->progs);
    free(plan->exp_w);
    free(plan->rec_phase);
    free(plan->slice_z);
    free(plan->slice_w);
    free(plan);
}
