/*
** seq_check.c: structural validation of a sequence IR (nmrc_seq_check):
** indices in range and of the right channel kind, loops balanced, numbers
** finite, names unique, the spin system sound.  The writers call it before
** emitting anything.
*/
#include "nmrc/seq.h"

#include <math.h>
#include <string.h>

#include "nmrc/consts.h"


/* Nonzero if s has a control character XML 1.0 cannot carry (other than
** tab, newline, carriage return). */
static int has_ctrl(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
            return 1;
    }
    return 0;
}

static int finite_all(const double *x, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]))
            return 0;
    return 1;
}

static int chan_ok(const nmrc_seq *seq, int c, nmrc_chan_kind kind)
{
    return c >= 0 && (size_t)c < seq->n_channels && seq->channels[c].kind == kind;
}

/* Checks one event; returns NMRC_OK or an NMRC_EINVAL naming event i. */
static NMRC_NODISCARD nmrc_status check_event(const nmrc_seq *seq, size_t i, nmrc_ctx *ctx)
{
    const nmrc_event *e = &seq->events[i];
    double nums[4] = {e->duration, e->amplitude, e->vz_phase, 0};
    if (!finite_all(nums, 3) || e->duration < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: non-finite or negative value", i);
    switch (e->kind) {
    case NMRC_EV_PULSE:
        if (e->n_pulse < 1 || e->n_pulse > NMRC_SEQ_MAX_CHANNELS)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: pulse on %d channels", i,
                                  e->n_pulse);
        for (int k = 0; k < e->n_pulse; k++) {
            const nmrc_pulse *p = &e->pulse[k];
            double v[3] = {p->angle, p->phase, p->amplitude};
            if (!chan_ok(seq, p->channel, NMRC_CHAN_RF) || !finite_all(v, 3) ||
                p->phase_list < -1 || p->phase_list >= (int)seq->n_phase_lists)
                return nmrc_ctx_error(ctx, NMRC_EINVAL,
                                      "event %zu: pulse %d has a bad channel, list or value", i, k);
        }
        return NMRC_OK;
    case NMRC_EV_SHAPED:
        if (!chan_ok(seq, e->channel, NMRC_CHAN_RF) || e->shape < 0 ||
            e->shape >= (int)seq->n_shapes || !isfinite(e->pulse[0].angle) ||
            !isfinite(e->pulse[0].phase) || e->pulse[0].phase_list < -1 ||
            e->pulse[0].phase_list >= (int)seq->n_phase_lists)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: bad shaped pulse", i);
        return NMRC_OK;
    case NMRC_EV_GRADIENT:
        if (!chan_ok(seq, e->channel, NMRC_CHAN_GRAD) || e->shape < -1 ||
            e->shape >= (int)seq->n_shapes)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: bad gradient channel or shape", i);
        return NMRC_OK;
    case NMRC_EV_ACQUIRE:
    case NMRC_EV_VZ:
        if (!chan_ok(seq, e->channel, NMRC_CHAN_RF))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: bad channel %d", i, e->channel);
        return NMRC_OK;
    case NMRC_EV_LOOP_BEGIN:
        if (e->count < 1 || e->count > 1000000000u)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: loop count %zu out of range", i,
                                  e->count);
        return NMRC_OK;
    case NMRC_EV_DELAY:
    case NMRC_EV_LOOP_END:
        return NMRC_OK;
    }
    return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: unknown kind %d", i, (int)e->kind);
}

/* Loops balanced and at most NMRC_SEQ_MAX_DEPTH deep. */
static NMRC_NODISCARD nmrc_status check_loops(const nmrc_seq *seq, nmrc_ctx *ctx)
{
    int depth = 0;
    for (size_t i = 0; i < seq->n_events; i++) {
        if (seq->events[i].kind == NMRC_EV_LOOP_BEGIN && ++depth > NMRC_SEQ_MAX_DEPTH)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: loops nested too deep", i);
        if (seq->events[i].kind == NMRC_EV_LOOP_END && --depth < 0)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "event %zu: loop end without begin", i);
    }
    if (depth != 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "%d loop(s) not closed", depth);
    return NMRC_OK;
}

/* Channel, phase-list and shape names unique, the numbers finite. */
static NMRC_NODISCARD nmrc_status check_tables(const nmrc_seq *seq, nmrc_ctx *ctx)
{
    for (size_t i = 0; i < seq->n_channels; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(seq->channels[i].name, seq->channels[j].name) == 0)
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "duplicate channel name '%s'",
                                      seq->channels[i].name);
    for (size_t i = 0; i < seq->n_phase_lists; i++) {
        const nmrc_phase_list *l = &seq->phase_lists[i];
        if (!finite_all(l->phase, l->n))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "phase list '%s': non-finite phase", l->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(l->name, seq->phase_lists[j].name) == 0)
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "duplicate phase list '%s'", l->name);
    }
    for (size_t i = 0; i < seq->n_shapes; i++) {
        const nmrc_shape *s = &seq->shapes[i];
        if (!finite_all(s->amp, s->n) || !finite_all(s->phase, s->n))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "shape '%s': non-finite value", s->name);
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->name, seq->shapes[j].name) == 0)
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "duplicate shape name '%s'", s->name);
    }
    for (size_t i = 0; i < seq->n_params; i++)
        if (!isfinite(seq->params[i].value))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "parameter %s: non-finite value",
                                  seq->params[i].name);
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status check_spin(const nmrc_seq_system *sys, size_t i, nmrc_ctx *ctx)
{
    const nmrc_seq_spin *s = &sys->spins[i];
    double v[4] = {s->offset_hz, s->t1, s->t2, s->p90};
    if (!s->label[0] || has_ctrl(s->label) || nmrc_isotope_gamma(s->nucleus) == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: spin %zu has no label or an "
                              "unknown isotope '%s'", i, s->nucleus);
    if (!finite_all(v, 4) || s->t1 < 0 || s->t2 < 0 || s->p90 < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: spin %s has a non-finite or "
                              "negative value", s->label);
    if (s->t1 > 0 && s->t2 > 2 * s->t1 * (1 + 1e-12))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: spin %s has T2 = %g s > 2 T1 "
                              "(unphysical)", s->label, s->t2);
    for (size_t k = 0; k < i; k++)
        if (strcmp(sys->spins[k].label, s->label) == 0)
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: duplicate spin '%s'",
                                  s->label);
    return NMRC_OK;
}

nmrc_status nmrc_seq_system_check(const nmrc_seq_system *sys, nmrc_ctx *ctx)
{
    if (sys->n_spins > NMRC_MAX_SPINS || sys->n_couplings > NMRC_SEQ_MAX_COUPLINGS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: too many spins or couplings");
    if (!isfinite(sys->b0) || sys->b0 < 0 ||
        (sys->n_spins == 0 && (sys->n_couplings > 0 || sys->b0 > 0)))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: bad field, or couplings or a "
                              "field without spins");
    for (size_t i = 0; i < sys->n_spins; i++) {
        nmrc_status st = check_spin(sys, i, ctx);
        if (st != NMRC_OK)
            return st;
    }
    for (size_t c = 0; c < sys->n_couplings; c++) {
        const nmrc_seq_coupling *p = &sys->couplings[c];
        if (p->i < 0 || p->i >= p->j || (size_t)p->j >= sys->n_spins ||
            !isfinite(p->j_hz) || !isfinite(p->dipolar_hz))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: coupling %zu has bad spins "
                                  "(%d, %d) or a non-finite value", c, p->i, p->j);
        for (size_t k = 0; k < c; k++)
            if (sys->couplings[k].i == p->i && sys->couplings[k].j == p->j)
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: two couplings between "
                                      "spins %d and %d", p->i, p->j);
    }
    return NMRC_OK;
}

nmrc_status nmrc_seq_check(const nmrc_seq *seq, nmrc_ctx *ctx)
{
    if (!seq)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "no sequence");
    if (seq->receiver_list < -1 || seq->receiver_list >= (int)seq->n_phase_lists)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "receiver list index %d out of range",
                              seq->receiver_list);
    if (seq->scans < 1 || seq->scans > 1000000000u || seq->n_channels > NMRC_SEQ_MAX_CHANNELS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "scans or channel count out of range");
    if (has_ctrl(seq->name) || has_ctrl(seq->description) ||
        has_ctrl(seq->target_op))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "name or description has control characters");
    for (size_t i = 0; i < seq->n_figures; i++) {
        const nmrc_figure *f = &seq->figures[i];
        if (!isfinite(f->value) || !f->name[0] || has_ctrl(f->name) || has_ctrl(f->unit))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "figure %zu: bad name or non-finite value",
                                  i);
        for (size_t j = 0; j < i; j++)
            if (strcmp(f->name, seq->figures[j].name) == 0)
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "duplicate figure '%s'", f->name);
    }
    for (size_t i = 0; i < seq->n_experiments; i++)
        if (!isfinite(seq->experiments[i].weight) ||
            !finite_all(seq->experiments[i].phase_offset, NMRC_SEQ_MAX_CHANNELS))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "experiment %zu: non-finite value", i);
    for (size_t s = 0; s < NMRC_MAX_SPINS; s++)
        if (!finite_all(seq->target_field[s], 3))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "target field: non-finite value");
    if (!finite_all(seq->target_tensor, 9) || !isfinite(seq->target_time) ||
        !isfinite(seq->nat_kappa) || !finite_all(seq->nat_offset, NMRC_SEQ_MAX_CHANNELS))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "target or natural system: non-finite value");
    nmrc_status st = nmrc_seq_system_check(&seq->system, ctx);
    if (st == NMRC_OK)
        st = check_tables(seq, ctx);
    for (size_t i = 0; st == NMRC_OK && i < seq->n_events; i++)
        st = check_event(seq, i, ctx);
    return st == NMRC_OK ? check_loops(seq, ctx) : st;
}
