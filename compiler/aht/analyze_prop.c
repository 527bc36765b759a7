/*
** analyze_prop.c: exact 4x4 propagators of a two-spin pulse sequence under
** H_nat = kappa ZZ + offsets, with delta pulses or with rectangular finite
** pulses, and exp(-i H_target t) to compare them with; plus the sequence
** helpers shared with the toggling-frame analysis (analyze_impl.h).
*/
#include "nmrc/compile.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analyze_impl.h"
#include "mat4.h"

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
        nmrc_mat4_mul(K, U, U);
    }
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

int nmrc_an_map_channels(const nmrc_seq *seq, chan_map *cm)
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

int nmrc_an_chan_mask(const chan_map *cm, int c)
{
    return (c >= 0 && c < NMRC_SEQ_MAX_CHANNELS) ? cm->mask[c] : 0;
}

/* Matching LOOP_END index of every LOOP_BEGIN (match[i]); -1 on imbalance. */
int nmrc_an_match_loops(const nmrc_seq *seq, size_t *match)
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
void nmrc_an_shaped_rotation(const nmrc_seq *seq, const nmrc_event *ev, double *angle,
                             double ax[3])
{
    double R[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, P[9];
    const nmrc_shape *sh = (ev->shape >= 0 && (size_t)ev->shape < seq->n_shapes)
                               ? &seq->shapes[ev->shape] : NULL;
    if (!sh || sh->n == 0) {
        nmrc_rot_pulse(ev->pulse[0].angle, ev->pulse[0].phase, R);
    } else {
        double dt = ev->duration / (double)sh->n;
        for (size_t k = 0; k < sh->n; k++) {
            nmrc_rot_pulse(2 * NMRC_PI * ev->amplitude * sh->amp[k] / 100.0 * dt,
                           ev->pulse[0].phase + sh->phase[k] * NMRC_PI / 180.0, P);
            nmrc_rot_mul(P, R, R);
        }
    }
    nmrc_rot_angle_axis(R, angle, ax);
}

/* ---- Propagators -------------------------------------------------------------- */

/* U <- exp(-i (H_nat + H_rf) dt) U with rf[s] = (nu_x, nu_y) Hz per spin. */
static NMRC_NODISCARD nmrc_status apply_rf(prop_ctx *p, nmrc_cplx U[16], double rf[2][2], double dt)
{
    double a[3] = {NMRC_PI * rf[0][0], NMRC_PI * rf[0][1], p->off[0]};
    double b[3] = {NMRC_PI * rf[1][0], NMRC_PI * rf[1][1], p->off[1]};
    double T[9] = {0, 0, 0, 0, 0, 0, 0, 0, p->kappa};
    nmrc_cplx H[16], E[16];
    nmrc_pair_hamiltonian(T, a, b, H);
    nmrc_cmat Hm = nmrc_cmat_view(H, 4, 4, 4), Em = nmrc_cmat_view(E, 4, 4, 4);
    nmrc_status st = nmrc_expmh(&Em, &Hm, dt, p->ws);
    if (st == NMRC_OK)
        nmrc_mat4_mul(E, U, U);
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

double nmrc_an_part_nu(const prop_ctx *p, const nmrc_pulse *q)
{
    if (q->amplitude > 0)
        return q->amplitude;
    if (q->channel >= 0 && q->channel < NMRC_SEQ_MAX_CHANNELS && p->cm.rf90[q->channel] > 0)
        return 1.0 / (4.0 * p->cm.rf90[q->channel]);
    return 0;
}

/* Finite hard pulse: start-aligned rectangular parts, then free evolution. */
static NMRC_NODISCARD nmrc_status finite_pulse(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
{
    double len[NMRC_SEQ_MAX_CHANNELS], t = 0, end = 0;
    nmrc_status st = NMRC_OK;
    for (int k = 0; k < ev->n_pulse; k++) {
        double nu = nmrc_an_part_nu(p, &ev->pulse[k]);
        len[k] = nu > 0 ? ev->pulse[k].angle / (2 * NMRC_PI * nu) : 0;
        end = fmax(end, len[k]);
        if (nu <= 0) { /* no amplitude known: delta rotation at the start */
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            nmrc_cplx G[4];
            nmrc_mat4_su2(ev->pulse[k].angle, n, G);
            apply_1q(U, nmrc_an_chan_mask(&p->cm, ev->pulse[k].channel), G);
        }
    }
    while (st == NMRC_OK && t < end) {
        double next = end, rf[2][2] = {{0, 0}, {0, 0}};
        for (int k = 0; k < ev->n_pulse; k++)
            if (len[k] > t)
                next = fmin(next, len[k]);
        for (int k = 0; k < ev->n_pulse; k++)
            if (len[k] > t)
                add_rf(rf, nmrc_an_chan_mask(&p->cm, ev->pulse[k].channel), nmrc_an_part_nu(p, &ev->pulse[k]),
                       ev->pulse[k].phase);
        st = apply_rf(p, U, rf, next - t);
        t = next;
    }
    if (ev->duration > end)
        apply_free(U, p->kappa, p->off, ev->duration - end);
    return st;
}

static NMRC_NODISCARD nmrc_status finite_shaped(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
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
        add_rf(rf, nmrc_an_chan_mask(&p->cm, ev->channel), ev->amplitude * sh->amp[k] / 100.0,
               ev->pulse[0].phase + sh->phase[k] * NMRC_PI / 180.0);
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
        nmrc_an_shaped_rotation(p->seq, ev, &angle, ax);
        nmrc_mat4_su2(angle, ax, G);
        apply_1q(U, nmrc_an_chan_mask(&p->cm, ev->channel), G);
    } else {
        for (int k = 0; k < ev->n_pulse; k++) {
            double n[3] = {cos(ev->pulse[k].phase), sin(ev->pulse[k].phase), 0};
            nmrc_mat4_su2(ev->pulse[k].angle, n, G);
            apply_1q(U, nmrc_an_chan_mask(&p->cm, ev->pulse[k].channel), G);
        }
    }
    apply_free(U, p->kappa, p->off, 0.5 * ev->duration);
}

static NMRC_NODISCARD nmrc_status event_prop(prop_ctx *p, const nmrc_event *ev, nmrc_cplx U[16])
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
        nmrc_mat4_su2(ev->vz_phase, zaxis, G);
        apply_1q(U, nmrc_an_chan_mask(&p->cm, ev->channel), G);
        return NMRC_OK;
    default: /* delay, gradient, acquisition: free evolution */
        apply_free(U, p->kappa, p->off, ev->duration);
        return NMRC_OK;
    }
}

nmrc_status nmrc_an_event_unitary(const prop_ctx *base, const nmrc_event *ev, nmrc_cplx E[16])
{
    prop_ctx p = *base;
    nmrc_mat4_eye(E);
    return event_prop(&p, ev, E);
}

static NMRC_NODISCARD nmrc_status range_prop(prop_ctx *p, size_t i0, size_t i1, nmrc_cplx U[16])
{
    nmrc_mat4_eye(U);
    for (size_t i = i0; i < i1; i++) {
        const nmrc_event *ev = &p->seq->events[i];
        if (ev->kind == NMRC_EV_LOOP_BEGIN) {
            nmrc_cplx B[16], P[16];
            nmrc_status st = range_prop(p, i + 1, p->match[i], B);
            if (st != NMRC_OK)
                return st;
            nmrc_mat4_eye(P);
            for (size_t n = ev->count; n; n >>= 1) { /* P = B^count */
                if (n & 1)
                    nmrc_mat4_mul(B, P, P);
                nmrc_mat4_mul(B, B, B);
            }
            nmrc_mat4_mul(P, U, U);
            i = p->match[i];
        } else if (ev->kind != NMRC_EV_LOOP_END) {
            nmrc_status st = event_prop(p, ev, U);
            if (st != NMRC_OK)
                return st;
        }
    }
    return NMRC_OK;
}

void nmrc_an_pair_offsets(const nmrc_seq *seq, const nmrc_pair *pair, double *kappa,
                          double off[2])
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
    nmrc_an_pair_offsets(seq, pair, &p.kappa, p.off);
    if (nmrc_an_map_channels(seq, &p.cm) == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the sequence has no RF channel");
    p.match = malloc((seq->n_events ? seq->n_events : 1) * sizeof *p.match);
    p.ws = nmrc_eigh_ws_create(4);
    nmrc_status st = (p.match && p.ws) ? NMRC_OK : NMRC_ENOMEM;
    if (st == NMRC_OK && nmrc_an_match_loops(seq, p.match) != 0)
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
