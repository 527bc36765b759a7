/*
** offset_comp.c: offset compensation of finite pulses.  With delta pulses
** the construction refocuses offsets exactly; what finite pulses leave is
** the offset acting while the RF is on.  A lone pi pulse at phase phi or
** phi + 180 degrees is the same rotation (the same delta propagator up to a
** global phase) but moves the toggled frame the other way round during the
** pulse, so its offset error changes sign.  The pass chooses these signs
** greedily to maximize the exact finite-pulse fidelity, averaged over the
** pair's offsets and +-100 Hz around them on each channel.
*/
#include "nmrc/compile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_impl.h"
#include "mat4.h"

#define GRID 9              /* offsets: nominal and +-OFFSET_HZ per channel */
#define OFFSET_HZ 100.0
#define MAX_SWEEPS 8

typedef struct comp {
    nmrc_seq *seq;          /* being changed */
    prop_ctx p[GRID];       /* one natural Hamiltonian per grid point */
    nmrc_cplx V[16];        /* the target propagator */
    int flat;               /* no loops: incremental evaluation */
    nmrc_cplx *E, *S;       /* flat: event propagators and suffix products, [GRID][n][16] */
} comp;

/* Nonzero if part k of event i is a pi pulse with no other pulse on its
** channel right before or after it (composite elements are left alone). */
static int lone_pi(const nmrc_seq *seq, size_t i, int k)
{
    const nmrc_event *ev = &seq->events[i];
    if (ev->kind != NMRC_EV_PULSE || fabs(ev->pulse[k].angle - NMRC_PI) > 1e-9 ||
        ev->pulse[k].phase_list >= 0)
        return 0;
    int ch = ev->pulse[k].channel;
    for (int dir = -1; dir <= 1; dir += 2) {
        for (size_t j = i; (dir < 0 ? j > 0 : j + 1 < seq->n_events);) {
            j = dir < 0 ? j - 1 : j + 1;
            const nmrc_event *nb = &seq->events[j];
            if (nb->kind == NMRC_EV_VZ)
                continue;
            if (nb->kind == NMRC_EV_PULSE || nb->kind == NMRC_EV_SHAPED)
                for (int q = 0; q < nb->n_pulse; q++)
                    if (nb->pulse[q].channel == ch)
                        return 0;
            if (nb->kind == NMRC_EV_SHAPED && nb->channel == ch)
                return 0;
            break;
        }
    }
    return 1;
}

/* Mean fidelity over the grid of the whole sequence (looped programs). */
static NMRC_NODISCARD nmrc_status mean_full(comp *c, nmrc_ctx *ctx, double *f)
{
    nmrc_cplx U[16];
    *f = 0;
    for (int g = 0; g < GRID; g++) {
        nmrc_pair pr;
        memset(&pr, 0, sizeof pr);
        pr.kappa = c->p[g].kappa;
        pr.offset[0] = c->p[g].off[0], pr.offset[1] = c->p[g].off[1];
        nmrc_status st = nmrc_seq_propagator(c->seq, &pr, 1, ctx, U);
        if (st != NMRC_OK)
            return st;
        *f += nmrc_gate_fidelity(c->V, U) / GRID;
    }
    return NMRC_OK;
}

/* One greedy sweep over a looped program; *better set when a flip stays. */
static NMRC_NODISCARD nmrc_status sweep_full(comp *c, nmrc_ctx *ctx, double *cur, int *better)
{
    nmrc_status st = NMRC_OK;
    for (size_t i = 0; i < c->seq->n_events && st == NMRC_OK; i++)
        for (int k = 0; k < c->seq->events[i].n_pulse && st == NMRC_OK; k++) {
            if (!lone_pi(c->seq, i, k))
                continue;
            double f, *ph = &c->seq->events[i].pulse[k].phase;
            *ph = fmod(*ph + NMRC_PI, 2 * NMRC_PI);
            st = mean_full(c, ctx, &f);
            if (st == NMRC_OK && f > *cur + 1e-12)
                *cur = f, *better = 1;
            else
                *ph = fmod(*ph + NMRC_PI, 2 * NMRC_PI);
        }
    return st;
}

/* Flat program: event propagators E and suffix products S (S_i = E_{n-1}
** ... E_{i+1}) for every grid point. */
static NMRC_NODISCARD nmrc_status flat_tables(comp *c)
{
    size_t n = c->seq->n_events;
    for (int g = 0; g < GRID; g++) {
        nmrc_cplx *E = c->E + (size_t)g * n * 16, *S = c->S + (size_t)g * n * 16;
        for (size_t i = 0; i < n; i++) {
            nmrc_status st = nmrc_an_event_unitary(&c->p[g], &c->seq->events[i], E + 16 * i);
            if (st != NMRC_OK)
                return st;
        }
        for (size_t i = n; i-- > 0;) {
            if (i + 1 == n)
                nmrc_mat4_eye(S + 16 * i);
            else
                nmrc_mat4_mul(S + 16 * (i + 1), E + 16 * (i + 1), S + 16 * i);
        }
    }
    return NMRC_OK;
}

/* One greedy sweep over a flat program (prefix L, suffix S_i: each trial
** costs one event propagator per grid point). */
static NMRC_NODISCARD nmrc_status sweep_flat(comp *c, double *cur, int *better)
{
    size_t n = c->seq->n_events;
    nmrc_cplx L[GRID][16], Et[GRID][16], X[16];
    nmrc_status st = flat_tables(c);
    for (int g = 0; g < GRID; g++)
        nmrc_mat4_eye(L[g]);
    for (size_t i = 0; i < n && st == NMRC_OK; i++) {
        for (int k = 0; k < c->seq->events[i].n_pulse && st == NMRC_OK; k++) {
            if (!lone_pi(c->seq, i, k))
                continue;
            double f = 0, *ph = &c->seq->events[i].pulse[k].phase;
            *ph = fmod(*ph + NMRC_PI, 2 * NMRC_PI);
            for (int g = 0; g < GRID && st == NMRC_OK; g++) {
                st = nmrc_an_event_unitary(&c->p[g], &c->seq->events[i], Et[g]);
                nmrc_mat4_mul(Et[g], L[g], X);
                nmrc_mat4_mul(c->S + ((size_t)g * n + i) * 16, X, X);
                f += nmrc_gate_fidelity(c->V, X) / GRID;
            }
            if (st == NMRC_OK && f > *cur + 1e-12) {
                *cur = f, *better = 1;
                for (int g = 0; g < GRID; g++)
                    memcpy(c->E + ((size_t)g * n + i) * 16, Et[g], sizeof Et[g]);
            } else {
                *ph = fmod(*ph + NMRC_PI, 2 * NMRC_PI);
            }
        }
        for (int g = 0; g < GRID; g++)
            nmrc_mat4_mul(c->E + ((size_t)g * n + i) * 16, L[g], L[g]);
    }
    return st;
}

static int has_lengths(const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_events; i++)
        if (seq->events[i].kind == NMRC_EV_PULSE && seq->events[i].duration > 0)
            return 1;
    return 0;
}

static NMRC_NODISCARD nmrc_status run(comp *c, nmrc_ctx *ctx)
{
    double cur = 0;
    nmrc_status st = mean_full(c, ctx, &cur);
    for (int s = 0, better = 1; s < MAX_SWEEPS && better && st == NMRC_OK; s++) {
        better = 0;
        st = c->flat ? sweep_flat(c, &cur, &better) : sweep_full(c, ctx, &cur, &better);
    }
    return st;
}

nmrc_status nmrc_compile_offset_compensate(const nmrc_seq *seq, const nmrc_pair *pair,
                                           nmrc_ctx *ctx, nmrc_seq **out)
{
    comp c;
    memset(&c, 0, sizeof c);
    *out = NULL;
    if (!(c.seq = nmrc_seq_clone(seq)))
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (!seq->has_target || seq->target_spins != 2 || !has_lengths(seq)) {
        *out = c.seq; /* no target to judge or delta pulses: nothing to compensate */
        return NMRC_OK;
    }
    nmrc_target2 tg;
    memcpy(tg.T, seq->target_tensor, sizeof tg.T);
    memcpy(tg.a, seq->target_field[0], sizeof tg.a);
    memcpy(tg.b, seq->target_field[1], sizeof tg.b);
    tg.time = seq->target_time;
    nmrc_status st = nmrc_target_propagator(&tg, ctx, c.V);
    size_t *match = malloc((seq->n_events ? seq->n_events : 1) * sizeof *match);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    if (st == NMRC_OK && (!match || !ws))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK && nmrc_an_match_loops(seq, match) != 0)
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "unbalanced loops in sequence '%s'", seq->name);
    c.flat = 1;
    for (size_t i = 0; i < seq->n_events; i++)
        c.flat &= seq->events[i].kind != NMRC_EV_LOOP_BEGIN;
    for (int g = 0; g < GRID && st == NMRC_OK; g++) {
        prop_ctx *p = &c.p[g];
        p->seq = c.seq;
        p->finite = 1;
        p->ws = ws;
        p->match = match;
        nmrc_an_map_channels(c.seq, &p->cm);
        nmrc_an_pair_offsets(seq, pair, &p->kappa, p->off);
        p->off[0] += NMRC_PI * OFFSET_HZ * (g % 3 - 1);
        p->off[1] += NMRC_PI * OFFSET_HZ * (g / 3 - 1);
    }
    size_t cells = (size_t)GRID * (seq->n_events ? seq->n_events : 1) * 16;
    if (st == NMRC_OK && c.flat && (!(c.E = malloc(cells * sizeof *c.E)) ||
                                    !(c.S = malloc(cells * sizeof *c.S))))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK)
        st = run(&c, ctx);
    free(c.E);
    free(c.S);
    free(match);
    nmrc_eigh_ws_destroy(ws);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(c.seq);
        return st;
    }
    *out = c.seq;
    return NMRC_OK;
}
