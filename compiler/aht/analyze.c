/*
** analyze.c: analysis of a two-spin pulse sequence under H_nat = kappa ZZ +
** offsets: per channel closure and net rotation, the toggling-frame H0
** (coupling matrix and local fields) and H1, the coupling-time efficiency,
** first-order robustness sums, the offset terms of H0 and H1, and the
** delta/finite-pulse gate fidelities from the exact propagators of
** analyze_prop.c.
*/
#include "nmrc/compile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_impl.h"

/* ---- Toggling-frame analysis by segments ------------------------------------ */

#define PULSE_SLICES 16 /* midpoint slices of a finite pulse in the AHT */

typedef struct walk {
    const prop_ctx *p;
    nmrc_aht_seg *cycles;       /* one iteration of each top-level loop body */
    size_t *repeat, n_cycles;
} walk;

/* g <- g followed by free evolution tau. */
static void add_free(const prop_ctx *p, nmrc_aht_seg *g, double tau, int delay)
{
    nmrc_aht_seg f;
    if (!(tau > 0))
        return;
    nmrc_aht_seg_free(&f, tau, p->kappa, p->off, delay);
    nmrc_aht_seg_cat(g, &f, g);
}

/* g <- g followed by a rotation. */
static void add_rot(nmrc_aht_seg *g, int mask, double angle, const double ax[3], int pulse)
{
    nmrc_aht_seg r;
    if (!mask || angle == 0)
        return;
    nmrc_aht_seg_rot(&r, mask, angle, ax, pulse);
    nmrc_aht_seg_cat(g, &r, g);
}

/* A finite hard pulse: the RF rotation spread over PULSE_SLICES midpoint
** slices (start-aligned parts of lengths theta/(2 pi nu)), so H0, H1 and the
** robustness sums include the pulse periods.  Returns 1 (nothing added) if
** an amplitude is unknown. */
static int finite_seg(const prop_ctx *p, const nmrc_event *ev, nmrc_aht_seg *g)
{
    double len[NMRC_SEQ_MAX_CHANNELS];
    for (int k = 0; k < ev->n_pulse; k++) {
        double nu = nmrc_an_part_nu(p, &ev->pulse[k]);
        if (!(nu > 0))
            return 1;
        len[k] = ev->pulse[k].angle / (2 * NMRC_PI * nu);
    }
    double dt = ev->duration / PULSE_SLICES;
    add_free(p, g, 0.5 * dt, 0);
    for (int j = 0; j < PULSE_SLICES; j++) {
        double t0 = j * dt, t1 = t0 + dt;
        for (int k = 0; k < ev->n_pulse; k++) {
            double on = fmin(t1, len[k]) - fmin(t0, len[k]);
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            if (on > 0)
                add_rot(g, nmrc_an_chan_mask(&p->cm, ev->pulse[k].channel),
                        ev->pulse[k].angle * on / len[k], n, 1);
        }
        add_free(p, g, j + 1 < PULSE_SLICES ? dt : 0.5 * dt, 0);
    }
    return 0;
}

/* g <- g followed by one (non-loop) event. */
static void event_seg(const prop_ctx *p, const nmrc_event *ev, nmrc_aht_seg *g)
{
    static const double zaxis[3] = {0, 0, 1};
    switch (ev->kind) {
    case NMRC_EV_PULSE:
    case NMRC_EV_SHAPED:
        if (ev->kind == NMRC_EV_PULSE && ev->duration > 0 && ev->n_pulse > 0 &&
            finite_seg(p, ev, g) == 0)
            return; /* else: delta pulses at the event centre */
        add_free(p, g, 0.5 * ev->duration, 0);
        if (ev->kind == NMRC_EV_SHAPED) {
            double angle, ax[3];
            nmrc_an_shaped_rotation(p->seq, ev, &angle, ax);
            add_rot(g, nmrc_an_chan_mask(&p->cm, ev->channel), angle, ax, 1);
        }
        for (int k = 0; ev->kind == NMRC_EV_PULSE && k < ev->n_pulse; k++) {
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            add_rot(g, nmrc_an_chan_mask(&p->cm, ev->pulse[k].channel), ev->pulse[k].angle, n, 1);
        }
        add_free(p, g, 0.5 * ev->duration, 0);
        return;
    case NMRC_EV_VZ:
        add_rot(g, nmrc_an_chan_mask(&p->cm, ev->channel), ev->vz_phase, zaxis, 0);
        return;
    case NMRC_EV_LOOP_BEGIN:
    case NMRC_EV_LOOP_END:
        return;
    default:
        add_free(p, g, ev->duration, 1);
        return;
    }
}

/* Segment of events [i0, i1); loops become powers of their body. */
static void range_seg(walk *w, size_t i0, size_t i1, int depth, nmrc_aht_seg *g)
{
    nmrc_aht_seg_identity(g);
    for (size_t i = i0; i < i1; i++) {
        const nmrc_event *ev = &w->p->seq->events[i];
        if (ev->kind != NMRC_EV_LOOP_BEGIN) {
            event_seg(w->p, ev, g);
            continue;
        }
        nmrc_aht_seg body, all;
        range_seg(w, i + 1, w->p->match[i], depth + 1, &body);
        if (depth == 0) {
            w->cycles[w->n_cycles] = body;
            w->repeat[w->n_cycles++] = ev->count;
        }
        nmrc_aht_seg_pow(&body, ev->count, &all);
        nmrc_aht_seg_cat(g, &all, g);
        i = w->p->match[i];
    }
}

void nmrc_analysis_destroy(nmrc_analysis *an)
{
    if (!an)
        return;
    free(an->cycles);
    free(an->cycle_repeat);
    free(an);
}

static int has_finite_pulses(const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_events; i++)
        if ((seq->events[i].kind == NMRC_EV_PULSE || seq->events[i].kind == NMRC_EV_SHAPED) &&
            seq->events[i].duration > 0)
            return 1;
    return 0;
}

static int has_rf90(const nmrc_seq *seq)
{
    for (size_t c = 0; c < seq->n_channels; c++)
        if (seq->channels[c].kind == NMRC_CHAN_RF && seq->channels[c].rf90 > 0)
            return 1;
    return 0;
}

static NMRC_NODISCARD nmrc_status fidelities(const nmrc_seq *seq, const nmrc_pair *pair, nmrc_analysis *an,
                              nmrc_ctx *ctx)
{
    nmrc_cplx V[16], U[16];
    nmrc_status st = nmrc_target_propagator(&an->target, ctx, V);
    if (st == NMRC_OK)
        st = nmrc_seq_propagator(seq, pair, 0, ctx, U);
    if (st != NMRC_OK)
        return st;
    an->fidelity_delta = nmrc_gate_fidelity(V, U);
    if (has_finite_pulses(seq)) {
        st = nmrc_seq_propagator(seq, pair, 1, ctx, U);
    } else if (has_rf90(seq)) {
        nmrc_seq *fin = NULL;
        nmrc_ctx *c2 = nmrc_ctx_create();
        if (!c2)
            return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
        st = nmrc_compile_finite(seq, c2, &fin);
        if (st == NMRC_EINVAL) { /* the pulses do not fit: no finite figure */
            snprintf(an->finite_note, sizeof an->finite_note, "%s", nmrc_ctx_errmsg(c2));
            nmrc_ctx_destroy(c2);
            return NMRC_OK;
        }
        nmrc_ctx_destroy(c2);
        if (st == NMRC_OK)
            st = nmrc_seq_propagator(fin, pair, 1, ctx, U);
        nmrc_seq_destroy(fin);
    } else {
        snprintf(an->finite_note, sizeof an->finite_note,
                 "delta pulses and no rf90 on the channels");
        return NMRC_OK;
    }
    if (st == NMRC_OK)
        an->fidelity_finite = nmrc_gate_fidelity(V, U);
    return st;
}

static void set_target_info(const nmrc_seq *seq, nmrc_analysis *an)
{
    if (!seq->has_target || seq->target_spins != 2 || !(seq->target_time > 0))
        return;
    an->has_target = 1;
    memcpy(an->target.T, seq->target_tensor, sizeof an->target.T);
    memcpy(an->target.a, seq->target_field[0], sizeof an->target.a);
    memcpy(an->target.b, seq->target_field[1], sizeof an->target.b);
    an->target.time = seq->target_time;
    an->target_efficiency = an->whole.duration > 0
                                ? nmrc_nuclear_norm3(an->target.T) * an->target.time /
                                      (fabs(an->kappa) * an->whole.duration)
                                : NAN;
    double f = an->whole.duration / seq->target_time;
    for (int i = 0; i < 9; i++)
        an->eff_T[i] = an->whole.T[i] * f;
    for (int i = 0; i < 3; i++)
        an->eff_a[i] = an->whole.a[i] * f, an->eff_b[i] = an->whole.b[i] * f;
}

/* Writes into a the part of its H1 that the offsets make: the difference to
** the same segment under kappa ZZ alone. */
static void offset_part(nmrc_aht *a, const nmrc_aht_seg *no_off, double kappa)
{
    nmrc_aht b;
    nmrc_aht_seg_finish(no_off, kappa, &b);
    a->h1_offset_norm = 0;
    for (int i = 0; i < 16; i++) {
        a->h1_offset[i] = a->h1[i] - b.h1[i];
        a->h1_offset_norm += a->h1_offset[i] * a->h1_offset[i];
    }
    a->h1_offset_norm = sqrt(a->h1_offset_norm);
}

static NMRC_NODISCARD nmrc_status analyze_segments(const nmrc_seq *seq, const prop_ctx *p, nmrc_analysis *an,
                                    nmrc_ctx *ctx)
{
    size_t n = seq->n_events ? seq->n_events : 1;
    walk w = {p, malloc(n * sizeof(nmrc_aht_seg)), malloc(n * sizeof(size_t)), 0};
    prop_ctx p0 = *p; /* the same walk without offsets */
    p0.off[0] = p0.off[1] = 0;
    walk w0 = {&p0, malloc(n * sizeof(nmrc_aht_seg)), malloc(n * sizeof(size_t)), 0};
    nmrc_aht_seg whole, whole0;
    nmrc_status st = NMRC_OK;
    if (!w.cycles || !w.repeat || !w0.cycles || !w0.repeat)
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK) {
        range_seg(&w, 0, seq->n_events, 0, &whole);
        range_seg(&w0, 0, seq->n_events, 0, &whole0);
        nmrc_aht_seg_finish(&whole, p->kappa, &an->whole);
        offset_part(&an->whole, &whole0, p->kappa);
        an->cycles = calloc(w.n_cycles ? w.n_cycles : 1, sizeof *an->cycles);
        an->cycle_repeat = calloc(w.n_cycles ? w.n_cycles : 1, sizeof *an->cycle_repeat);
        if (!an->cycles || !an->cycle_repeat)
            st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    for (size_t c = 0; st == NMRC_OK && c < w.n_cycles; c++) {
        nmrc_aht_seg_finish(&w.cycles[c], p->kappa, &an->cycles[c]);
        offset_part(&an->cycles[c], &w0.cycles[c], p->kappa);
        an->cycle_repeat[c] = w.repeat[c];
    }
    if (st == NMRC_OK)
        an->n_cycles = w.n_cycles;
    free(w.cycles);
    free(w.repeat);
    free(w0.cycles);
    free(w0.repeat);
    return st;
}

nmrc_status nmrc_analyze(const nmrc_seq *seq, const nmrc_pair *pair, nmrc_ctx *ctx,
                         nmrc_analysis **out)
{
    *out = NULL;
    prop_ctx p;
    memset(&p, 0, sizeof p);
    p.seq = seq;
    nmrc_an_pair_offsets(seq, pair, &p.kappa, p.off);
    if (!(p.kappa != 0) || !isfinite(p.kappa))
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "sequence '%s': the natural coupling kappa is unknown (no "
                              "nmrc:natural data in it); give the pair's J (nmrc analyze "
                              "--J HZ)", seq->name);
    int n_rf = nmrc_an_map_channels(seq, &p.cm);
    if (n_rf == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "sequence '%s' has no RF channel", seq->name);
    nmrc_analysis *an = calloc(1, sizeof *an);
    p.match = malloc((seq->n_events ? seq->n_events : 1) * sizeof *p.match);
    nmrc_status st = (an && p.match) ? NMRC_OK : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK && nmrc_an_match_loops(seq, p.match) != 0)
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "unbalanced loops in sequence '%s'", seq->name);
    if (st == NMRC_OK) {
        an->kappa = p.kappa;
        an->offset[0] = p.off[0], an->offset[1] = p.off[1];
        an->collective = n_rf == 1;
        an->fidelity_delta = an->fidelity_finite = an->target_efficiency = NAN;
        st = analyze_segments(seq, &p, an, ctx);
    }
    if (st == NMRC_OK) {
        set_target_info(seq, an);
        if (an->has_target)
            st = fidelities(seq, pair, an, ctx);
    }
    free(p.match);
    if (st != NMRC_OK) {
        nmrc_analysis_destroy(an);
        return st;
    }
    *out = an;
    return NMRC_OK;
}
