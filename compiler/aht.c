/*
** aht.c: average-Hamiltonian building blocks for a ZZ-coupled pair: 3x3
** rotations of pulses, the frame recipe z -> u, the split of any rotation
** into a transverse pulse plus a virtual-Z, the 3x3 SVD, and the sequence
** builder that merges adjacent pulses and emits them at each delay.
*/
#include "nmrc/compile.h"

#include <lapacke.h>
#include <math.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#define TWO_PI (2.0 * M_PI)
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
    *angle = M_PI;
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
    *phi = (r < 1e-12) ? 0.0 : wrap_2pi(atan2(u[1], u[0]) - M_PI / 2);
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
        double a = alpha[s] > M_PI ? alpha[s] - TWO_PI : alpha[s];
        if (fabs(a) > ROT_EPS) {
            nmrc_event vz = nmrc_seq_event_init(NMRC_EV_VZ);
            vz.channel = b->chan[s];
            vz.vz_phase = a;
            append(b, &vz);
        }
    }
    return b->status;
}

void nmrc_build_delay(nmrc_builder *b, double tau)
{
    nmrc_build_flush(b);
    if (!(tau > 0) || b->status != NMRC_OK)
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
