/*
** aht.c: average-Hamiltonian building blocks for a ZZ-coupled pair: 3x3
** rotations of pulses, the frame recipe z -> u, the split of any rotation
** into a transverse pulse plus a virtual-Z, the 3x3 SVD, and the sequence
** builder that merges adjacent pulses and emits them at each delay.
*/
#include "nmrc/compile.h"
#include "nmrc/consts.h"
#include "mat4.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#define TWO_PI (2.0 * NMRC_PI)
#define ROT_EPS 1e-13   /* rotation angles below this are the identity */

static double wrap_2pi(double a)
{
    a = fmod(a, TWO_PI);
    if (a < 0)
        a += TWO_PI;
    if (a >= TWO_PI - 1e-15)
        a = 0;
    return a;
}

static void rot_identity(double R[9])
{
    memset(R, 0, 9 * sizeof *R);
    R[0] = R[4] = R[8] = 1.0;
}

void nmrc_rot_axis(const double n[3], double angle, double R[9])
{
    double c = cos(angle), s = sin(angle), k = 1.0 - c;
    double x = n[0], y = n[1], z = n[2];
    R[0] = c + k * x * x;     R[1] = k * x * y - s * z; R[2] = k * x * z + s * y;
    R[3] = k * y * x + s * z; R[4] = c + k * y * y;     R[5] = k * y * z - s * x;
    R[6] = k * z * x - s * y; R[7] = k * z * y + s * x; R[8] = c + k * z * z;
}

void nmrc_rot_pulse(double theta, double phi, double R[9])
{
    double n[3] = {cos(phi), sin(phi), 0.0};
    nmrc_rot_axis(n, theta, R);
}

void nmrc_rot_mul(const double A[9], const double B[9], double C[9])
{
    double t[9];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            t[3 * i + j] = A[3 * i] * B[j] + A[3 * i + 1] * B[3 + j] + A[3 * i + 2] * B[6 + j];
    memcpy(C, t, sizeof t);
}

static void rot_transpose(const double R[9], double Rt[9])
{
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            Rt[3 * j + i] = R[3 * i + j];
}

void nmrc_rot_angle_axis(const double R[9], double *angle, double axis[3])
{
    double c = 0.5 * (R[0] + R[4] + R[8] - 1.0);
    double v[3] = {R[7] - R[5], R[2] - R[6], R[3] - R[1]};
    double s2 = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); /* = 2 sin(angle) */
    *angle = atan2(0.5 * s2, c);
    if (s2 > 1e-9) {
        for (int i = 0; i < 3; i++)
            axis[i] = v[i] / s2;
        return;
    }
    if (c > 0) { /* identity */
        axis[0] = axis[1] = 0.0;
        axis[2] = 1.0;
        return;
    }
    /* angle pi: R = 2 n n^T - 1; take the largest diagonal column. */
    int k = 0;
    for (int i = 1; i < 3; i++)
        if (R[4 * i] > R[4 * k])
            k = i;
    double nk = sqrt(fmax(0.0, 0.5 * (R[4 * k] + 1.0)));
    for (int i = 0; i < 3; i++)
        axis[i] = (i == k) ? nk : 0.5 * (R[3 * i + k] + R[3 * k + i]) / (2.0 * nk);
    *angle = NMRC_PI;
}

void nmrc_aht_pulse_frame(double theta, double phi, double u[3])
{
    u[0] = -sin(phi) * sin(theta);
    u[1] = cos(phi) * sin(theta);
    u[2] = cos(theta);
}

void nmrc_aht_frame_pulse(const double u[3], double *theta, double *phi)
{
    double z = fmax(-1.0, fmin(1.0, u[2]));
    double r = hypot(u[0], u[1]);
    *theta = atan2(r, z); /* = arccos(u_z) for unit u, accurate near the poles */
    *phi = (r < 1e-12) ? 0.0 : wrap_2pi(atan2(u[1], u[0]) - NMRC_PI / 2);
}

void nmrc_rot_decompose(const double R[9], double *theta, double *phi, double *alpha)
{
    double w[3] = {R[6], R[7], R[8]}, P[9], Pt[9], M[9];
    nmrc_aht_frame_pulse(w, theta, phi);
    nmrc_rot_pulse(*theta, *phi, P);
    rot_transpose(P, Pt);
    nmrc_rot_mul(R, Pt, M); /* = Rz(alpha) */
    *alpha = wrap_2pi(atan2(M[3], M[0]));
}

nmrc_status nmrc_svd3(const double T[9], double U[9], double s[3], double V[9])
{
    double A[9], Uc[9], VTc[9], superb[2];
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            A[i + 3 * j] = T[3 * i + j];
    lapack_int info = LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'A', 'A', 3, 3, A, 3, s, Uc, 3, VTc, 3,
                                     superb);
    if (info != 0)
        return NMRC_ELAPACK;
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < 3; k++) {
            U[3 * i + k] = Uc[i + 3 * k];   /* u_k[i] */
            V[3 * i + k] = VTc[k + 3 * i];  /* v_k[i] = VT[k][i] */
        }
    return NMRC_OK;
}

double nmrc_nuclear_norm3(const double T[9])
{
    double U[9], s[3], V[9];
    if (nmrc_svd3(T, U, s, V) != NMRC_OK)
        return NAN;
    return s[0] + s[1] + s[2];
}

/* ---- Builder ------------------------------------------------------------ */

void nmrc_build_init(nmrc_builder *b, nmrc_seq *seq, int chan0, int chan1)
{
    memset(b, 0, sizeof *b);
    b->seq = seq;
    b->chan[0] = chan0;
    b->chan[1] = chan1;
    for (int s = 0; s < 2; s++) {
        rot_identity(b->cum[s]);
        rot_identity(b->pend[s]);
        rot_identity(b->mark[s]);
    }
}

void nmrc_build_mark(nmrc_builder *b)
{
    memcpy(b->mark, b->cum, sizeof b->mark);
}

static void queue(nmrc_builder *b, int s, const double R[9], int exact, double theta, double phi)
{
    nmrc_rot_mul(R, b->pend[s], b->pend[s]);
    nmrc_rot_mul(R, b->cum[s], b->cum[s]);
    if (b->pend_kind[s] == 0 && exact) {
        b->pend_kind[s] = 1;
        b->pend_pulse[s][0] = theta;
        b->pend_pulse[s][1] = phi;
    } else {
        b->pend_kind[s] = 2;
    }
}

void nmrc_build_pulse(nmrc_builder *b, int s, double theta, double phi)
{
    double R[9];
    if (fabs(theta) < ROT_EPS)
        return;
    nmrc_rot_pulse(theta, phi, R);
    queue(b, s, R, 1, theta, phi);
}

void nmrc_build_rotate(nmrc_builder *b, int s, const double R[9])
{
    double angle, axis[3];
    nmrc_rot_angle_axis(R, &angle, axis);
    if (angle < ROT_EPS)
        return;
    queue(b, s, R, 0, 0.0, 0.0);
}

void nmrc_build_frames(nmrc_builder *b, const double u[3], const double v[3])
{
    const double *f[2] = {u, v};
    for (int s = 0; s < 2; s++) {
        double w[3], theta, phi, CMt[9];
        rot_transpose(b->mark[s], CMt);
        nmrc_rot_mul(b->cum[s], CMt, CMt); /* cum mark^T */
        for (int i = 0; i < 3; i++)
            w[i] = CMt[3 * i] * f[s][0] + CMt[3 * i + 1] * f[s][1] + CMt[3 * i + 2] * f[s][2];
        nmrc_aht_frame_pulse(w, &theta, &phi);
        nmrc_build_pulse(b, s, theta, phi);
    }
}

void nmrc_build_flip(nmrc_builder *b)
{
    for (int s = 0; s < 2; s++)
        nmrc_build_pulse(b, s, NMRC_PI, b->vz[s]);
}

void nmrc_build_close(nmrc_builder *b)
{
    for (int s = 0; s < 2; s++) {
        double Rt[9];
        rot_transpose(b->cum[s], Rt);
        nmrc_rot_mul(b->mark[s], Rt, Rt); /* mark cum^T */
        nmrc_build_rotate(b, s, Rt);
        memcpy(b->cum[s], b->mark[s], sizeof b->mark[s]); /* exact, drop round-off */
    }
}

static void append(nmrc_builder *b, const nmrc_event *ev)
{
    if (b->status == NMRC_OK)
        b->status = nmrc_seq_append(b->seq, ev);
}

nmrc_status nmrc_build_flush(nmrc_builder *b)
{
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_PULSE);
    double alpha[2] = {0.0, 0.0};
    for (int s = 0; s < 2; s++) {
        double theta = 0, phi = 0;
        if (b->pend_kind[s] == 1) {
            theta = b->pend_pulse[s][0];
            phi = wrap_2pi(b->pend_pulse[s][1]);
        } else if (b->pend_kind[s] == 2) {
            nmrc_rot_decompose(b->pend[s], &theta, &phi, &alpha[s]);
        }
        if (theta > ROT_EPS) {
            nmrc_pulse *p = &ev.pulse[ev.n_pulse++];
            p->channel = b->chan[s];
            p->angle = theta;
            p->phase = phi;
        }
        rot_identity(b->pend[s]);
        b->pend_kind[s] = 0;
    }
    if (ev.n_pulse > 0)
        append(b, &ev);
    for (int s = 0; s < 2; s++) {
        double a = alpha[s] > NMRC_PI ? alpha[s] - TWO_PI : alpha[s];
        if (fabs(a) > ROT_EPS) {
            nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
            vz.channel = b->chan[s];
            vz.vz_phase = a;
            append(b, &vz);
            b->vz[s] += a;
        }
    }
    return b->status;
}

void nmrc_build_delay(nmrc_builder *b, double tau)
{
    if (nmrc_build_flush(b) != NMRC_OK || !(tau > 0))
        return;
    nmrc_seq *q = b->seq;
    if (q->n_events > 0 && q->events[q->n_events - 1].kind == NMRC_EV_DELAY) {
        q->events[q->n_events - 1].duration += tau;
        return;
    }
    nmrc_event ev = nmrc_seq_event_init(NMRC_EV_DELAY);
    ev.duration = tau;
    append(b, &ev);
}

/* ---- Toggling-frame segments ------------------------------------------------ */

void nmrc_aht_seg_identity(nmrc_aht_seg *g)
{
    memset(g, 0, sizeof *g);
    for (int s = 0; s < 2; s++)
        rot_identity(g->R[s]);
    g->U[0] = g->U[5] = g->U[10] = g->U[15] = 1;
}

void nmrc_aht_seg_free(nmrc_aht_seg *g, double tau, double kappa, const double off[2],
                       int delay)
{
    const double T[9] = {0, 0, 0, 0, 0, 0, 0, 0, kappa};
    const double a[3] = {0, 0, off[0]}, b[3] = {0, 0, off[1]};
    nmrc_aht_seg_identity(g);
    nmrc_pair_hamiltonian(T, a, b, g->S);
    for (int i = 0; i < 16; i++)
        g->S[i] *= tau;
    g->dur = tau;
    g->delay = delay ? tau : 0.0;
    g->off[0][2] = g->off[1][2] = tau;
}

void nmrc_aht_seg_rot(nmrc_aht_seg *g, int mask, double angle, const double axis[3], int pulse)
{
    nmrc_cplx G[4]; /* row-major */
    nmrc_mat4_su2(angle, axis, G);
    nmrc_cplx id[4] = {1, 0, 0, 1};
    nmrc_aht_seg_identity(g);
    const nmrc_cplx *g1 = (mask & 1) ? G : id, *g2 = (mask & 2) ? G : id;
    for (int r = 0; r < 4; r++) /* U = g1 (x) g2, spin 0 most significant */
        for (int q = 0; q < 4; q++)
            g->U[r + 4 * q] = g1[2 * (r / 2) + q / 2] * g2[2 * (r % 2) + q % 2];
    for (int sp = 0; sp < 2; sp++)
        if (mask & (1 << sp)) {
            nmrc_rot_axis(axis, angle, g->R[sp]);
            if (pulse)
                for (int i = 0; i < 3; i++)
                    g->flip[sp][i] = angle * axis[i];
        }
}

/* y = R^T x */
static void rot_tmul(const double R[9], const double x[3], double y[3])
{
    double t[3];
    for (int i = 0; i < 3; i++)
        t[i] = R[i] * x[0] + R[3 + i] * x[1] + R[6 + i] * x[2];
    memcpy(y, t, sizeof t);
}

void nmrc_aht_seg_cat(const nmrc_aht_seg *a, const nmrc_aht_seg *b, nmrc_aht_seg *out)
{
    nmrc_aht_seg r;
    nmrc_cplx Sb[16], Cb[16], X[16], Y[16];
    nmrc_mat4_conj(a->U, b->S, Sb); /* b's frames seen from a's start */
    nmrc_mat4_conj(a->U, b->C, Cb);
    nmrc_mat4_mul(Sb, a->S, X);
    nmrc_mat4_mul(a->S, Sb, Y);
    for (int i = 0; i < 16; i++) {
        r.S[i] = a->S[i] + Sb[i];
        r.C[i] = a->C[i] + Cb[i] + (X[i] - Y[i]); /* every b interval after every a one */
    }
    nmrc_mat4_mul(b->U, a->U, r.U);
    for (int s = 0; s < 2; s++) {
        nmrc_rot_mul(b->R[s], a->R[s], r.R[s]);
        double o[3], f[3];
        rot_tmul(a->R[s], b->off[s], o);
        rot_tmul(a->R[s], b->flip[s], f);
        for (int i = 0; i < 3; i++) {
            r.off[s][i] = a->off[s][i] + o[i];
            r.flip[s][i] = a->flip[s][i] + f[i];
        }
    }
    r.dur = a->dur + b->dur;
    r.delay = a->delay + b->delay;
    *out = r;
}

void nmrc_aht_seg_pow(const nmrc_aht_seg *a, size_t n, nmrc_aht_seg *out)
{
    nmrc_aht_seg base = *a, res;
    nmrc_aht_seg_identity(&res);
    for (; n; n >>= 1) { /* copies of one segment commute in order */
        if (n & 1)
            nmrc_aht_seg_cat(&res, &base, &res);
        if (n > 1)
            nmrc_aht_seg_cat(&base, &base, &base);
    }
    *out = res;
}

/* Pauli coefficients c[4p+q] = Re Tr((s_p (x) s_q) H) / 4 of a Hermitian 4x4. */
static void pauli_coeffs(const nmrc_cplx H[16], double c[16])
{
    static const nmrc_cplx P[4][4] = {{1, 0, 0, 1}, {0, 1, 1, 0}, {0, -I, I, 0}, {1, 0, 0, -1}};
    for (int pq = 0; pq < 16; pq++) {
        nmrc_cplx tr = 0;
        for (int r = 0; r < 4; r++)
            for (int s = 0; s < 4; s++)
                tr += P[pq / 4][2 * (r / 2) + s / 2] * P[pq % 4][2 * (r % 2) + s % 2] *
                      H[s + 4 * r];
        c[pq] = creal(tr) / 4.0;
    }
}

void nmrc_aht_seg_finish(const nmrc_aht_seg *g, double kappa, nmrc_aht *o)
{
    memset(o, 0, sizeof *o);
    o->duration = g->dur;
    o->delay_time = g->delay;
    double T = g->dur > 0 ? g->dur : 1.0, c[16];
    nmrc_cplx H[16];
    for (int i = 0; i < 16; i++)
        H[i] = g->S[i] / T;
    pauli_coeffs(H, c);
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            o->T[3 * i + j] = c[4 * (i + 1) + j + 1];
        o->a[i] = c[4 * (i + 1)];
        o->b[i] = c[i + 1];
        for (int s = 0; s < 2; s++) {
            o->offset_cond[s][i] = g->off[s][i] / T;
            o->flip_cond[s][i] = g->flip[s][i];
        }
    }
    for (int i = 0; i < 16; i++)
        H[i] = -I * g->C[i] / (2.0 * T);
    pauli_coeffs(H, o->h1);
    for (int i = 0; i < 16; i++)
        o->h1_norm += o->h1[i] * o->h1[i];
    o->h1_norm = sqrt(o->h1_norm);
    for (int s = 0; s < 2; s++) {
        nmrc_rot_angle_axis(g->R[s], &o->net_angle[s], o->net_axis[s]);
        o->closed[s] = o->net_angle[s] < 1e-9;
    }
    o->efficiency = kappa != 0 ? nmrc_nuclear_norm3(o->T) / fabs(kappa) : NAN;
}
