/*
** analyze.c: analysis of a two-spin pulse sequence under H_nat = kappa ZZ +
** offsets: per channel closure and net rotation, the toggling-frame H0
** (coupling matrix and local fields) and H1, the coupling-time efficiency,
** first-order robustness sums, and exact 4x4 propagators with delta pulses
** and with rectangular finite pulses, compared with exp(-i H_target t).
*/
#include "nmrc/compile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif


/* Pauli matrices 1, X, Y, Z as 2x2 row-major. */
static const nmrc_cplx pauli[4][4] = {
    {1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};

void nmrc_pair_hamiltonian(const double T[9], const double a[3], const double b[3],
                           nmrc_cplx H[16])
{
    double c[16] = {0}; /* coefficient of s_p (x) s_q at 4p+q */
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            c[4 * (i + 1) + j + 1] = T[3 * i + j];
        c[4 * (i + 1)] = a ? a[i] : 0.0;
        c[i + 1] = b ? b[i] : 0.0;
    }
    for (int r = 0; r < 4; r++)
        for (int s = 0; s < 4; s++) {
            nmrc_cplx v = 0;
            for (int pq = 1; pq < 16; pq++)
                if (c[pq] != 0)
                    v += c[pq] * pauli[pq / 4][2 * (r / 2) + s / 2] * pauli[pq % 4][2 * (r % 2) + s % 2];
            H[r + 4 * s] = v;
        }
}

/* ---- 4x4 helpers (column-major) ------------------------------------------- */

static void mul4(const nmrc_cplx A[16], const nmrc_cplx B[16], nmrc_cplx C[16])
{
    nmrc_cplx t[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            nmrc_cplx s = 0;
            for (int k = 0; k < 4; k++)
                s += A[i + 4 * k] * B[k + 4 * j];
            t[i + 4 * j] = s;
        }
    memcpy(C, t, sizeof t);
}

static void eye4(nmrc_cplx U[16])
{
    memset(U, 0, 16 * sizeof *U);
    U[0] = U[5] = U[10] = U[15] = 1;
}

double nmrc_gate_fidelity(const nmrc_cplx V[16], const nmrc_cplx U[16])
{
    nmrc_cplx tr = 0;
    for (int i = 0; i < 16; i++)
        tr += conj(V[i]) * U[i];
    return creal(tr * conj(tr)) / 16.0;
}

/* U <- G_s U for the 2x2 row-major G acting on the spins in mask. */
static void apply_1q(nmrc_cplx U[16], int mask, const nmrc_cplx G[4])
{
    for (int s = 0; s < 2; s++) {
        if (!(mask & (1 << s)))
            continue;
        nmrc_cplx K[16];
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++) {
                int rs = s ? r % 2 : r / 2, cs = s ? c % 2 : c / 2;
                int ro = s ? r / 2 : r % 2, co = s ? c / 2 : c % 2;
                K[r + 4 * c] = (ro == co) ? G[2 * rs + cs] : 0;
            }
        mul4(K, U, U);
    }
}

/* SU(2) of a rotation by angle about unit axis n. */
static void su2(double angle, const double n[3], nmrc_cplx G[4])
{
    double c = cos(angle / 2), s = sin(angle / 2);
    G[0] = c - I * s * n[2];
    G[1] = -I * s * (n[0] - I * n[1]);
    G[2] = -I * s * (n[0] + I * n[1]);
    G[3] = c + I * s * n[2];
}

/* U <- exp(-i H_nat tau) U (H_nat diagonal). */
static void apply_free(nmrc_cplx U[16], double kappa, const double off[2], double tau)
{
    for (int r = 0; r < 4; r++) {
        double z1 = (r / 2) ? -1.0 : 1.0, z2 = (r % 2) ? -1.0 : 1.0;
        nmrc_cplx ph = cexp(-I * tau * (kappa * z1 * z2 + off[0] * z1 + off[1] * z2));
        for (int c = 0; c < 4; c++)
            U[r + 4 * c] *= ph;
    }
}

/* ---- Channel map ------------------------------------------------------------ */

typedef struct chan_map {
    int mask[NMRC_SEQ_MAX_CHANNELS]; /* spins driven by channel c */
    int n_rf;
    double rf90[NMRC_SEQ_MAX_CHANNELS];
} chan_map;

static int map_channels(const nmrc_seq *seq, chan_map *cm)
{
    memset(cm, 0, sizeof *cm);
    for (size_t c = 0; c < seq->n_channels && c < NMRC_SEQ_MAX_CHANNELS; c++) {
        cm->rf90[c] = seq->channels[c].rf90;
        if (seq->channels[c].kind == NMRC_CHAN_RF && cm->n_rf < 2)
            cm->mask[c] = 1 << cm->n_rf++;
    }
    if (cm->n_rf == 1)
        for (size_t c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
            if (cm->mask[c])
                cm->mask[c] = 3; /* one channel drives both spins: collective */
    return cm->n_rf;
}

static int chan_mask(const chan_map *cm, int c)
{
    return (c >= 0 && c < NMRC_SEQ_MAX_CHANNELS) ? cm->mask[c] : 0;
}

/* Matching LOOP_END index of every LOOP_BEGIN (match[i]); -1 on imbalance. */
static int match_loops(const nmrc_seq *seq, size_t *match)
{
    size_t stack[64], top = 0;
    for (size_t i = 0; i < seq->n_events; i++) {
        match[i] = 0;
        if (seq->events[i].kind == NMRC_EV_LOOP_BEGIN) {
            if (top == 64)
                return -1;
            stack[top++] = i;
        } else if (seq->events[i].kind == NMRC_EV_LOOP_END) {
            if (top == 0)
                return -1;
            match[stack[--top]] = i;
        }
    }
    return top == 0 ? 0 : -1;
}

/* Net rotation (angle, axis) of a shaped pulse or a plain pulse part. */
static void shaped_rotation(const nmrc_seq *seq, const nmrc_event *ev, double *angle, double ax[3])
{
    double R[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, P[9];
    const nmrc_shape *sh = (ev->shape >= 0 && (size_t)ev->shape < seq->n_shapes)
                               ? &seq->shapes[ev->shape] : NULL;
    if (!sh || sh->n == 0) {
        nmrc_rot_pulse(ev->pulse[0].angle, ev->pulse[0].phase, R);
    } else {
        double dt = ev->duration / (double)sh->n;
        for (size_t k = 0; k < sh->n; k++) {
            nmrc_rot_pulse(2 * M_PI * ev->amplitude * sh->amp[k] / 100.0 * dt,
                           ev->pulse[0].phase + sh->phase[k] * M_PI / 180.0, P);
            nmrc_rot_mul(P, R, R);
        }
    }
    nmrc_rot_angle_axis(R, angle, ax);
}

/* ---- Propagators -------------------------------------------------------------- */

typedef struct prop_ctx {
    const nmrc_seq *seq;
    chan_map cm;
    double kappa, off[2];
    int finite;
    size_t *match;
    nmrc_eigh_ws *ws;
} prop_ctx;

/* U <- exp(-i (H_nat + H_rf) dt) U with rf[s] = (nu_x, nu_y) Hz per spin. */
static nmrc_status apply_rf(prop_ctx *p, nmrc_cplx U[16], double rf[2][2], double dt)
{
    double a[3] = {M_PI * rf[0][0], M_PI * rf[0][1], p->off[0]};
    double b[3] = {M_PI * rf[1][0], M_PI * rf[1][1], p->off[1]};
    double T[9] = {0, 0, 0, 0, 0, 0, 0, 0, p->kappa};
    nmrc_cplx H[16], E[16];
    nmrc_pair_hamiltonian(T, a, b, H);
    nmrc_cmat Hm = nmrc_cmat_view(H, 4, 4, 4), Em = nmrc_cmat_view(E, 4, 4, 4);
    nmrc_status st = nmrc_expmh(&Em, &Hm, dt, p->ws);
    if (st == NMRC_OK)
        mul4(E, U, U);
    return st;
}

static void add_rf(double rf[2][2], int mask, double nu, double phase)
{
    for (int s = 0; s < 2; s++)
        if (mask & (1 << s)) {
            rf[s][0] += nu * cos(phase);
            rf[s][1] += nu * sin(phase);
        }
}

static double part_nu(const prop_ctx *p, const nmrc_pulse *q)
{
    if (q->amplitude > 0)
        return q->amplitude;
    if (q->channel >= 0 && q->channel < NMRC_SEQ_MAX_CHANNELS && p->cm.rf90[q->channel] > 0)
        return 1.0 / (4.0 * p->cm.rf90[q->channel]);
    return 0;
}

/* Finite hard pulse: start-aligned rectangular parts, then free evolution. */
static nmrc_status finite_pulse(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
{
    double len[NMRC_SEQ_MAX_CHANNELS], t = 0, end = 0;
    nmrc_status st = NMRC_OK;
    for (int k = 0; k < ev->n_pulse; k++) {
        double nu = part_nu(p, &ev->pulse[k]);
        len[k] = nu > 0 ? ev->pulse[k].angle / (2 * M_PI * nu) : 0;
        end = fmax(end, len[k]);
        if (nu <= 0) { /* no amplitude known: delta rotation at the start */
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            nmrc_cplx G[4];
            su2(ev->pulse[k].angle, n, G);
            apply_1q(U, chan_mask(&p->cm, ev->pulse[k].channel), G);
        }
    }
    while (st == NMRC_OK && t < end) {
        double next = end, rf[2][2] = {{0, 0}, {0, 0}};
        for (int k = 0; k < ev->n_pulse; k++)
            if (len[k] > t)
                next = fmin(next, len[k]);
        for (int k = 0; k < ev->n_pulse; k++)
            if (len[k] > t)
                add_rf(rf, chan_mask(&p->cm, ev->pulse[k].channel), part_nu(p, &ev->pulse[k]),
                       ev->pulse[k].phase);
        st = apply_rf(p, U, rf, next - t);
        t = next;
    }
    if (ev->duration > end)
        apply_free(U, p->kappa, p->off, ev->duration - end);
    return st;
}

static nmrc_status finite_shaped(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
{
    const nmrc_seq *seq = p->seq;
    if (ev->shape < 0 || (size_t)ev->shape >= seq->n_shapes || seq->shapes[ev->shape].n == 0) {
        nmrc_event e = *ev;
        e.n_pulse = 1;
        e.pulse[0].channel = ev->channel;
        e.pulse[0].amplitude = ev->amplitude;
        return finite_pulse(p, &e, U);
    }
    const nmrc_shape *sh = &seq->shapes[ev->shape];
    double dt = ev->duration / (double)sh->n;
    nmrc_status st = NMRC_OK;
    for (size_t k = 0; k < sh->n && st == NMRC_OK; k++) {
        double rf[2][2] = {{0, 0}, {0, 0}};
        add_rf(rf, chan_mask(&p->cm, ev->channel), ev->amplitude * sh->amp[k] / 100.0,
               ev->pulse[0].phase + sh->phase[k] * M_PI / 180.0);
        st = apply_rf(p, U, rf, dt);
    }
    return st;
}

/* Delta version of a pulse event: half the event free, rotations, half free. */
static void delta_event(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
{
    nmrc_cplx G[4];
    apply_free(U, p->kappa, p->off, 0.5 * ev->duration);
    if (ev->kind == NMRC_EV_SHAPED) {
        double angle, ax[3];
        shaped_rotation(p->seq, ev, &angle, ax);
        su2(angle, ax, G);
        apply_1q(U, chan_mask(&p->cm, ev->channel), G);
    } else {
        for (int k = 0; k < ev->n_pulse; k++) {
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            su2(ev->pulse[k].angle, n, G);
            apply_1q(U, chan_mask(&p->cm, ev->pulse[k].channel), G);
        }
    }
    apply_free(U, p->kappa, p->off, 0.5 * ev->duration);
}

static nmrc_status event_prop(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
{
    static const double zaxis[3] = {0, 0, 1};
    nmrc_cplx G[4];
    switch (ev->kind) {
    case NMRC_EV_PULSE:
    case NMRC_EV_SHAPED:
        if (!p->finite) {
            delta_event(p, ev, U);
            return NMRC_OK;
        }
        return ev->kind == NMRC_EV_PULSE ? finite_pulse(p, ev, U) : finite_shaped(p, ev, U);
    case NMRC_EV_VZ:
        su2(ev->vz_phase, zaxis, G);
        apply_1q(U, chan_mask(&p->cm, ev->channel), G);
        return NMRC_OK;
    default: /* delay, gradient, acquisition: free evolution */
        apply_free(U, p->kappa, p->off, ev->duration);
        return NMRC_OK;
    }
}

static nmrc_status range_prop(prop_ctx *p, size_t i0, size_t i1, nmrc_cplx U[16])
{
    eye4(U);
    for (size_t i = i0; i < i1; i++) {
        const nmrc_event *ev = &p->seq->events[i];
        if (ev->kind == NMRC_EV_LOOP_BEGIN) {
            nmrc_cplx B[16], P[16];
            nmrc_status st = range_prop(p, i + 1, p->match[i], B);
            if (st != NMRC_OK)
                return st;
            eye4(P);
            for (size_t n = ev->count; n; n >>= 1) { /* P = B^count */
                if (n & 1)
                    mul4(B, P, P);
                mul4(B, B, B);
            }
            mul4(P, U, U);
            i = p->match[i];
        } else if (ev->kind != NMRC_EV_LOOP_END) {
            nmrc_status st = event_prop(p, ev, U);
            if (st != NMRC_OK)
                return st;
        }
    }
    return NMRC_OK;
}

static void pair_offsets(const nmrc_seq *seq, const nmrc_pair *pair, double *kappa, double off[2])
{
    if (pair) {
        *kappa = pair->kappa;
        off[0] = pair->offset[0];
        off[1] = pair->offset[1];
        return;
    }
    *kappa = seq->nat_kappa;
    off[0] = off[1] = 0;
    int k = 0;
    for (size_t c = 0; c < seq->n_channels && k < 2; c++)
        if (seq->channels[c].kind == NMRC_CHAN_RF)
            off[k++] = seq->nat_offset[c];
}

nmrc_status nmrc_seq_propagator(const nmrc_seq *seq, const nmrc_pair *pair, int finite,
                                nmrc_ctx *ctx, nmrc_cplx U[16])
{
    prop_ctx p;
    memset(&p, 0, sizeof p);
    p.seq = seq;
    p.finite = finite;
    pair_offsets(seq, pair, &p.kappa, p.off);
    if (map_channels(seq, &p.cm) == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the sequence has no RF channel");
    p.match = malloc((seq->n_events ? seq->n_events : 1) * sizeof *p.match);
    p.ws = nmrc_eigh_ws_create(4);
    nmrc_status st = (p.match && p.ws) ? NMRC_OK : NMRC_ENOMEM;
    if (st == NMRC_OK && match_loops(seq, p.match) != 0)
        st = nmrc_ctx_error(ctx, NMRC_EINVAL, "unbalanced loops in sequence '%s'", seq->name);
    else if (st == NMRC_OK && (st = range_prop(&p, 0, seq->n_events, U)) != NMRC_OK)
        nmrc_ctx_error(ctx, st, "propagator of '%s': %s", seq->name, nmrc_strerror(st));
    else if (st == NMRC_ENOMEM)
        nmrc_ctx_error(ctx, st, "out of memory");
    free(p.match);
    nmrc_eigh_ws_destroy(p.ws);
    return st;
}

nmrc_status nmrc_target_propagator(const nmrc_target2 *tg, nmrc_ctx *ctx, nmrc_cplx U[16])
{
    nmrc_cplx H[16];
    nmrc_pair_hamiltonian(tg->T, tg->a, tg->b, H);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(4);
    if (!ws)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    nmrc_cmat Hm = nmrc_cmat_view(H, 4, 4, 4), Um = nmrc_cmat_view(U, 4, 4, 4);
    nmrc_status st = nmrc_expmh(&Um, &Hm, tg->time, ws);
    nmrc_eigh_ws_destroy(ws);
    return st == NMRC_OK ? st : nmrc_ctx_error(ctx, st, "exp(-i H_target t) failed");
}

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
        double nu = part_nu(p, &ev->pulse[k]);
        if (!(nu > 0))
            return 1;
        len[k] = ev->pulse[k].angle / (2 * M_PI * nu);
    }
    double dt = ev->duration / PULSE_SLICES;
    add_free(p, g, 0.5 * dt, 0);
    for (int j = 0; j < PULSE_SLICES; j++) {
        double t0 = j * dt, t1 = t0 + dt;
        for (int k = 0; k < ev->n_pulse; k++) {
            double on = fmin(t1, len[k]) - fmin(t0, len[k]);
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            if (on > 0)
                add_rot(g, chan_mask(&p->cm, ev->pulse[k].channel),
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
            shaped_rotation(p->seq, ev, &angle, ax);
            add_rot(g, chan_mask(&p->cm, ev->channel), angle, ax, 1);
        }
        for (int k = 0; ev->kind == NMRC_EV_PULSE && k < ev->n_pulse; k++) {
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            add_rot(g, chan_mask(&p->cm, ev->pulse[k].channel), ev->pulse[k].angle, n, 1);
        }
        add_free(p, g, 0.5 * ev->duration, 0);
        return;
    case NMRC_EV_VZ:
        add_rot(g, chan_mask(&p->cm, ev->channel), ev->vz_phase, zaxis, 0);
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

static nmrc_status fidelities(const nmrc_seq *seq, const nmrc_pair *pair, nmrc_analysis *an,
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

static nmrc_status analyze_segments(const nmrc_seq *seq, const prop_ctx *p, nmrc_analysis *an,
                                    nmrc_ctx *ctx)
{
    size_t n = seq->n_events ? seq->n_events : 1;
    walk w = {p, malloc(n * sizeof(nmrc_aht_seg)), malloc(n * sizeof(size_t)), 0};
    nmrc_aht_seg whole;
    nmrc_status st = NMRC_OK;
    if (!w.cycles || !w.repeat)
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK) {
        range_seg(&w, 0, seq->n_events, 0, &whole);
        nmrc_aht_seg_finish(&whole, p->kappa, &an->whole);
        an->cycles = calloc(w.n_cycles ? w.n_cycles : 1, sizeof *an->cycles);
        an->cycle_repeat = calloc(w.n_cycles ? w.n_cycles : 1, sizeof *an->cycle_repeat);
        if (!an->cycles || !an->cycle_repeat)
            st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    }
    for (size_t c = 0; st == NMRC_OK && c < w.n_cycles; c++) {
        nmrc_aht_seg_finish(&w.cycles[c], p->kappa, &an->cycles[c]);
        an->cycle_repeat[c] = w.repeat[c];
    }
    if (st == NMRC_OK)
        an->n_cycles = w.n_cycles;
    free(w.cycles);
    free(w.repeat);
    return st;
}

nmrc_status nmrc_analyze(const nmrc_seq *seq, const nmrc_pair *pair, nmrc_ctx *ctx,
                         nmrc_analysis **out)
{
    *out = NULL;
    prop_ctx p;
    memset(&p, 0, sizeof p);
    p.seq = seq;
    pair_offsets(seq, pair, &p.kappa, p.off);
    if (!(p.kappa != 0) || !isfinite(p.kappa))
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "sequence '%s': the natural coupling kappa is unknown (no "
                              "nmrc:natural data in it); give the pair's J (nmrc analyze "
                              "--J HZ)", seq->name);
    int n_rf = map_channels(seq, &p.cm);
    if (n_rf == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "sequence '%s' has no RF channel", seq->name);
    nmrc_analysis *an = calloc(1, sizeof *an);
    p.match = malloc((seq->n_events ? seq->n_events : 1) * sizeof *p.match);
    nmrc_status st = (an && p.match) ? NMRC_OK : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK && match_loops(seq, p.match) != 0)
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
