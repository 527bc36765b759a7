/*
** transform.c: sequence-to-sequence transforms of the compiler: every hard
** pulse replaced by its composite version, every delay by a decoupling
** block (tables in compiler/library/pulses.c), the protocol's collective
** charging pulse, loop compression, and the spec's compile options.
*/
#include "nmrc/compile.h"
#include "nmrc/library.h"
#include "nmrc/consts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


nmrc_status nmrc_compile_cfg_apply(nmrc_compile_cfg *cfg, const nmrc_compile_opts *opts,
                                   nmrc_ctx *ctx)
{
    if (opts->steps < 0 || opts->max_error < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "compile: steps and max_error must be >= 0");
    if (opts->steps > 0)
        cfg->steps = opts->steps;
    cfg->symmetric = opts->symmetric != 0;
    if (opts->max_error > 0)
        cfg->max_error = opts->max_error;
    if (opts->offset_compensation)
        cfg->offset_compensation = 1;
    nmrc_status st = NMRC_OK;
    if (opts->composite[0])
        st = nmrc_composite_parse(opts->composite, &cfg->composite, ctx);
    if (st == NMRC_OK && opts->decouple[0])
        st = nmrc_decouple_parse(opts->decouple, &cfg->decouple, &cfg->udd_n, ctx);
    return st;
}

static double wrap(double a)
{
    a = fmod(a, 2.0 * NMRC_PI);
    return a < 0 ? a + 2.0 * NMRC_PI : a;
}

/* Longest channel pulse of an event with amplitudes (Hz), 0 if all delta. */
static double pulse_length(const nmrc_event *ev)
{
    double d = 0;
    for (int k = 0; k < ev->n_pulse; k++)
        if (ev->pulse[k].amplitude > 0)
            d = fmax(d, ev->pulse[k].angle / (2.0 * NMRC_PI * ev->pulse[k].amplitude));
    return d;
}

static NMRC_NODISCARD nmrc_status expand_event(nmrc_seq *out, const nmrc_event *ev, nmrc_composite_kind kind)
{
    double ang[NMRC_SEQ_MAX_CHANNELS][4], ph[NMRC_SEQ_MAX_CHANNELS][4];
    int m = 0;
    for (int k = 0; k < ev->n_pulse; k++) {
        int c = nmrc_composite_expand(kind, ev->pulse[k].angle, ev->pulse[k].phase, ang[k], ph[k]);
        m = c > m ? c : m;
    }
    for (int e = 0; e < m; e++) {
        nmrc_event x = *ev;
        x.n_pulse = 0;
        for (int k = 0; k < ev->n_pulse; k++) {
            x.pulse[x.n_pulse] = ev->pulse[k];
            x.pulse[x.n_pulse].angle = ang[k][e];
            x.pulse[x.n_pulse].phase = wrap(ph[k][e]);
            x.n_pulse++;
        }
        x.duration = pulse_length(&x);
        nmrc_status st = nmrc_seq_append(out, &x);
        if (st != NMRC_OK)
            return st;
    }
    return NMRC_OK;
}

/* A copy of seq without events, for the passes below. */
static nmrc_seq *empty_copy(const nmrc_seq *seq)
{
    nmrc_seq *out = nmrc_seq_clone(seq);
    if (out)
        out->n_events = 0;
    return out;
}

static NMRC_NODISCARD nmrc_status finish(nmrc_status st, nmrc_seq *out, nmrc_seq **res, nmrc_ctx *ctx)
{
    if (st != NMRC_OK) {
        nmrc_seq_destroy(out);
        return nmrc_ctx_error(ctx, st, "composite/decoupling pass: %s", nmrc_strerror(st));
    }
    *res = out;
    return NMRC_OK;
}

nmrc_status nmrc_compile_composite(const nmrc_seq *seq, nmrc_composite_kind kind,
                                   nmrc_ctx *ctx, nmrc_seq **res)
{
    *res = NULL;
    nmrc_seq *out = empty_copy(seq);
    nmrc_status st = out ? NMRC_OK : NMRC_ENOMEM;
    for (size_t i = 0; st == NMRC_OK && i < seq->n_events; i++) {
        const nmrc_event *ev = &seq->events[i];
        if (ev->kind == NMRC_EV_PULSE && ev->n_pulse > 0)
            st = expand_event(out, ev, kind);
        else
            st = nmrc_seq_append(out, ev);
    }
    return finish(st, out, res, ctx);
}

static NMRC_NODISCARD nmrc_status dd_block(nmrc_seq *out, const nmrc_event *delay, const double *t,
                            const double *phase, int m)
{
    double prev = 0;
    nmrc_status st = NMRC_OK;
    for (int j = 0; j <= m && st == NMRC_OK; j++) {
        nmrc_event d = *delay;
        d.duration = (j < m ? t[j] : delay->duration) - prev;
        if (d.duration > 0)
            st = nmrc_seq_append(out, &d);
        if (j == m || st != NMRC_OK)
            break;
        nmrc_event p = nmrc_seq_event_init(NMRC_EV_PULSE);
        p.span = delay->span;
        for (size_t c = 0; c < out->n_channels; c++)
            if (out->channels[c].kind == NMRC_CHAN_RF) {
                nmrc_pulse *q = &p.pulse[p.n_pulse++];
                q->channel = (int)c;
                q->angle = NMRC_PI;
                q->phase = phase[j];
            }
        st = nmrc_seq_append(out, &p);
        prev = t[j];
    }
    return st;
}

nmrc_status nmrc_compile_decouple(const nmrc_seq *seq, nmrc_decouple_kind kind, int n,
                                  nmrc_ctx *ctx, nmrc_seq **res)
{
    double t[NMRC_DECOUPLE_MAX_PULSES], phase[NMRC_DECOUPLE_MAX_PULSES];
    *res = NULL;
    if (nmrc_decouple_times(kind, n, 1.0, t, phase) == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "bad decoupling block (n = %d)", n);
    nmrc_seq *out = empty_copy(seq);
    nmrc_status st = out ? NMRC_OK : NMRC_ENOMEM;
    for (size_t i = 0; st == NMRC_OK && i < seq->n_events; i++) {
        const nmrc_event *ev = &seq->events[i];
        if (ev->kind == NMRC_EV_DELAY && ev->duration > 0) {
            int m = nmrc_decouple_times(kind, n, ev->duration, t, phase);
            st = dd_block(out, ev, t, phase, m);
        } else {
            st = nmrc_seq_append(out, ev);
        }
    }
    return finish(st, out, res, ctx);
}

nmrc_status nmrc_compile_charging(nmrc_seq *seq, double strength, double phase, double wt,
                                  nmrc_ctx *ctx)
{
    if (!isfinite(strength) || !isfinite(phase) || !isfinite(wt))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "charging pulse: non-finite parameter");
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    double theta = 2.0 * strength * wt;
    if (theta < 0) /* rotation by -theta about phi = by theta about phi + pi */
        theta = -theta, phase += NMRC_PI;
    for (size_t c = 0; c < seq->n_channels; c++)
        if (seq->channels[c].kind == NMRC_CHAN_RF) {
            nmrc_pulse *p = &ev.pulse[ev.n_pulse++];
            p->channel = (int)c;
            p->angle = theta;
            p->phase = wrap(phase);
        }
    if (ev.n_pulse == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "charging pulse: the sequence has no RF channel");
    nmrc_status st = nmrc_seq_append(seq, &ev);
    return st == NMRC_OK ? st : nmrc_ctx_error(ctx, st, "out of memory");
}

/* ---- Loop compression --------------------------------------------------------- */

static int num_same(double a, double b)
{
    return fabs(a - b) <= 1e-12 * fmax(fabs(a), fabs(b)) + 1e-300;
}

/* Nonzero if two events describe the same operation (numbers to 1e-12). */
static int ev_same(const nmrc_event *a, const nmrc_event *b)
{
    if (a->kind != b->kind || !num_same(a->duration, b->duration) || a->n_pulse != b->n_pulse ||
        a->channel != b->channel || a->shape != b->shape || !num_same(a->amplitude, b->amplitude) ||
        !num_same(a->vz_phase, b->vz_phase) || a->count != b->count)
        return 0;
    for (int k = 0; k < a->n_pulse; k++) {
        const nmrc_pulse *p = &a->pulse[k], *q = &b->pulse[k];
        if (p->channel != q->channel || p->phase_list != q->phase_list ||
            !num_same(p->angle, q->angle) || !num_same(p->phase, q->phase) ||
            !num_same(p->amplitude, q->amplitude))
            return 0;
    }
    return 1;
}

/* Nonzero if events [s, s+p) shift no channel's frame (TopSpin loops need
** the same phases in every iteration). */
static int no_net_vz(const nmrc_seq *seq, size_t s, size_t p)
{
    double acc[NMRC_SEQ_MAX_CHANNELS] = {0};
    for (size_t i = s; i < s + p; i++)
        if (seq->events[i].kind == NMRC_EV_VZ && seq->events[i].channel >= 0 &&
            seq->events[i].channel < NMRC_SEQ_MAX_CHANNELS)
            acc[seq->events[i].channel] += seq->events[i].vz_phase;
    for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        if (fabs(remainder(acc[c], 2.0 * NMRC_PI)) > 1e-12)
            return 0;
    return 1;
}

/* A coarse fingerprint of an event (numbers quantized): equal events almost
** always share it, so it filters the exact comparisons. */
static unsigned long long ev_hash(const nmrc_event *e)
{
    unsigned long long h = 1469598103934665603ull;
    double v[4 + 3 * NMRC_SEQ_MAX_CHANNELS] = {e->duration * 1e6, e->vz_phase, e->amplitude,
                                              (double)e->count};
    int m = 4;
    for (int k = 0; k < e->n_pulse && k < NMRC_SEQ_MAX_CHANNELS; k++) {
        v[m++] = e->pulse[k].angle;
        v[m++] = e->pulse[k].phase;
        v[m++] = e->pulse[k].channel;
    }
    h = (h ^ (unsigned long long)e->kind) * 1099511628211ull;
    h = (h ^ (unsigned long long)(e->channel + 1)) * 1099511628211ull;
    for (int i = 0; i < m; i++)
        h = (h ^ (unsigned long long)llround(v[i] * 1e6)) * 1099511628211ull;
    return h;
}

typedef struct hpos {
    unsigned long long h;
    size_t i;
} hpos;

static int cmp_hpos(const void *a, const void *b)
{
    const hpos *x = a, *y = b;
    if (x->h != y->h)
        return x->h < y->h ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

/* Marks cand[p] for every gap p <= n/3 between consecutive events with the
** same fingerprint: a repeated block of length p has an event whose next
** copy is p later (unless the block itself is periodic with a shorter p). */
static void mark_periods(const unsigned long long *h, size_t n, unsigned char *cand)
{
    hpos *v = malloc((n ? n : 1) * sizeof *v);
    if (!v) { /* no memory for the shortcut: try every period */
        memset(cand, 1, n / 3 + 1);
        return;
    }
    for (size_t i = 0; i < n; i++)
        v[i].h = h[i], v[i].i = i;
    qsort(v, n, sizeof *v, cmp_hpos);
    for (size_t k = 1; k < n; k++)
        if (v[k].h == v[k - 1].h && v[k].i - v[k - 1].i <= n / 3)
            cand[v[k].i - v[k - 1].i] = 1;
    free(v);
}

nmrc_status nmrc_compile_loops(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **res)
{
    size_t n = seq->n_events, best_save = 0, bp = 0, bs = 0, br = 0;
    *res = NULL;
    for (size_t i = 0; i < n; i++)
        if (seq->events[i].kind == NMRC_EV_LOOP_BEGIN || seq->events[i].kind == NMRC_EV_LOOP_END)
            n = 0; /* already structured: leave it */
    unsigned long long *h = malloc((n ? n : 1) * sizeof *h);
    unsigned char *cand = calloc(n / 3 + 1, 1);
    if (!h || !cand) {
        free(h);
        free(cand);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        h[i] = ev_hash(&seq->events[i]);
    mark_periods(h, n, cand);
    size_t budget = 20000000; /* fingerprint compares */
    for (size_t p = 1; p <= n / 3 && budget >= n; p++) {
        if (!cand[p])
            continue;
        budget -= n;
        size_t run = 0;
        for (size_t i = 0; i + p < n; i++) {
            run = (h[i] == h[i + p] && ev_same(&seq->events[i], &seq->events[i + p])) ? run + 1
                                                                                     : 0;
            size_t r = run / p + 1, s = i + 1 - run;
            if (r >= 3 && p * (r - 1) > best_save && no_net_vz(seq, s, p))
                best_save = p * (r - 1), bp = p, bs = s, br = r;
        }
    }
    free(h);
    free(cand);
    nmrc_seq *out = nmrc_seq_clone(seq);
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (best_save == 0) {
        *res = out;
        return NMRC_OK;
    }
    out->n_events = 0;
    nmrc_event lb = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN), le = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    lb.count = br;
    nmrc_status st = NMRC_OK;
    for (size_t i = 0; i < bs && st == NMRC_OK; i++)
        st = nmrc_seq_append(out, &seq->events[i]);
    if (st == NMRC_OK)
        st = nmrc_seq_append(out, &lb);
    for (size_t i = bs; i < bs + bp && st == NMRC_OK; i++)
        st = nmrc_seq_append(out, &seq->events[i]);
    if (st == NMRC_OK)
        st = nmrc_seq_append(out, &le);
    for (size_t i = bs + br * bp; i < seq->n_events && st == NMRC_OK; i++)
        st = nmrc_seq_append(out, &seq->events[i]);
    return finish(st, out, res, ctx);
}
