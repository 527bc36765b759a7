/*
** finite.c: real pulse lengths for a delta-pulse sequence.  Every hard
** pulse on a channel with a 90-degree time rf90 gets nutation amplitude
** 1/(4 rf90) Hz and length angle/(2 pi amplitude); simultaneous pulses start
** together.  Each run of back-to-back pulses (a "train") of total length D
** is centred on its ideal time by shortening the delay before and after it
** by D/2, so the cycle keeps its length and its toggling-frame timing
** (looped programs are unrolled for this and looped again).
*/
#include "nmrc/compile.h"
#include "nmrc/consts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


/* Gives every delta pulse part its amplitude and the event its length. */
static void set_lengths(nmrc_event *ev, const nmrc_seq *seq)
{
    double d = 0;
    for (int k = 0; k < ev->n_pulse; k++) {
        nmrc_pulse *p = &ev->pulse[k];
        if (p->channel < 0 || (size_t)p->channel >= seq->n_channels)
            continue;
        double rf90 = seq->channels[p->channel].rf90;
        if (p->amplitude <= 0 && rf90 > 0)
            p->amplitude = 1.0 / (4.0 * rf90);
        if (p->amplitude > 0)
            d = fmax(d, p->angle / (2.0 * NMRC_PI * p->amplitude));
    }
    ev->duration = fmax(ev->duration, d);
}

static int in_train(const nmrc_event *ev)
{
    return ev->kind == NMRC_EV_PULSE || ev->kind == NMRC_EV_VZ;
}

/* Shortens the delays around the train ev[i0..i1) by half its length D. */
static NMRC_NODISCARD nmrc_status centre_train(nmrc_event *ev, size_t n, size_t i0, size_t i1, nmrc_ctx *ctx)
{
    double D = 0;
    for (size_t i = i0; i < i1; i++)
        if (ev[i].kind == NMRC_EV_PULSE)
            D += ev[i].duration;
    if (!(D > 0))
        return NMRC_OK;
    size_t nb[2] = {i0 > 0 ? i0 - 1 : n, i1};
    for (int s = 0; s < 2; s++) {
        if (nb[s] >= n || ev[nb[s]].kind != NMRC_EV_DELAY)
            continue; /* loop boundary or sequence end: that half extends the cycle */
        nmrc_event *d = &ev[nb[s]];
        d->duration -= 0.5 * D;
        const nmrc_span *sp = &ev[i0].span;
        if (d->duration < -1e-12 * D)
            return nmrc_ctx_error_at(ctx, NMRC_EINVAL,
                                     (nmrc_errpos){sp->file, sp->line, sp->col, sp->len}, NULL,
                                     "finite pulses: the delay %s event %zu is %.4g us shorter "
                                     "than half the adjacent pulses (%.4g us): p90 is too long "
                                     "for this coupling and target time (use fewer Trotter "
                                     "steps, a longer time, shorter p90 or delta pulses)",
                                     s ? "after" : "before", i0, -d->duration * 1e6,
                                     0.5 * D * 1e6);
        if (d->duration < 0)
            d->duration = 0;
    }
    return NMRC_OK;
}

#define UNROLL_MAX 20000u /* events; longer looped programs keep their loops */

/* Number of events [i0, i1) expands to with loops unrolled (saturating at
** UNROLL_MAX + 1); *end receives the index after a loop's END. */
static size_t unrolled_size(const nmrc_seq *seq, size_t i0, size_t i1, size_t *end)
{
    size_t n = 0;
    for (size_t i = i0; i < i1; i++) {
        const nmrc_event *ev = &seq->events[i];
        if (ev->kind == NMRC_EV_LOOP_END) {
            *end = i + 1;
            return n;
        }
        if (ev->kind != NMRC_EV_LOOP_BEGIN) {
            n++;
            continue;
        }
        size_t after = i1, body = unrolled_size(seq, i + 1, i1, &after);
        n += (body && ev->count > (UNROLL_MAX + 1) / body) ? UNROLL_MAX + 1 : body * ev->count;
        if (n > UNROLL_MAX)
            return UNROLL_MAX + 1;
        i = after - 1;
    }
    *end = i1;
    return n;
}

/* Appends events [i0, ...) up to the matching LOOP_END with loops expanded;
** returns the index after it (or i1). */
static size_t unroll_into(const nmrc_seq *seq, size_t i0, size_t i1, nmrc_seq *out,
                          nmrc_status *st)
{
    for (size_t i = i0; i < i1; i++) {
        const nmrc_event *ev = &seq->events[i];
        if (ev->kind == NMRC_EV_LOOP_END)
            return i + 1;
        if (ev->kind != NMRC_EV_LOOP_BEGIN) {
            if (*st == NMRC_OK)
                *st = nmrc_seq_append(out, ev);
            continue;
        }
        size_t after = i1;
        for (size_t r = 0; r < ev->count && *st == NMRC_OK; r++)
            after = unroll_into(seq, i + 1, i1, out, st);
        if (ev->count == 0) { /* skip the body */
            size_t dummy = i1;
            unrolled_size(seq, i + 1, i1, &dummy);
            after = dummy;
        }
        i = after - 1;
    }
    return i1;
}

static int has_loops(const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_events; i++)
        if (seq->events[i].kind == NMRC_EV_LOOP_BEGIN)
            return 1;
    return 0;
}

static NMRC_NODISCARD nmrc_status finite_flat(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **res);

nmrc_status nmrc_compile_finite(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **res)
{
    size_t end;
    *res = NULL;
    if (!has_loops(seq) || unrolled_size(seq, 0, seq->n_events, &end) > UNROLL_MAX)
        return finite_flat(seq, ctx, res);
    /* Loops: unroll so every pulse train is centred between its real
    ** neighbours (the first and last iteration differ), then loop again. */
    nmrc_seq *flat = nmrc_seq_clone(seq), *fin = NULL;
    nmrc_status st = flat ? NMRC_OK : NMRC_ENOMEM;
    if (st == NMRC_OK) {
        flat->n_events = 0;
        unroll_into(seq, 0, seq->n_events, flat, &st);
    }
    if (st != NMRC_OK) {
        nmrc_seq_destroy(flat);
        return nmrc_ctx_error(ctx, st, "out of memory");
    }
    st = finite_flat(flat, ctx, &fin);
    nmrc_seq_destroy(flat);
    if (st == NMRC_OK)
        st = nmrc_compile_loops(fin, ctx, res);
    nmrc_seq_destroy(fin);
    return st;
}

static NMRC_NODISCARD nmrc_status finite_flat(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **res)
{
    nmrc_seq *out = nmrc_seq_clone(seq);
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    nmrc_event *ev = out->events;
    size_t n = out->n_events;
    for (size_t i = 0; i < n; i++)
        if (ev[i].kind == NMRC_EV_PULSE)
            set_lengths(&ev[i], out);
    nmrc_status st = NMRC_OK;
    for (size_t i = 0; i < n && st == NMRC_OK;) {
        if (!in_train(&ev[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && in_train(&ev[j]))
            j++;
        st = centre_train(ev, n, i, j, ctx);
        i = j;
    }
    if (st != NMRC_OK) {
        nmrc_seq_destroy(out);
        return st;
    }
    size_t w = 0; /* drop delays that became empty */
    for (size_t i = 0; i < n; i++)
        if (!(ev[i].kind == NMRC_EV_DELAY && ev[i].duration <= 0))
            ev[w++] = ev[i];
    out->n_events = w;
    *res = out;
    return NMRC_OK;
}
