/*
** svd_compile.c: the bilinear part of a two-spin target from the natural
** kappa Z(x)Z.  General T: the SVD T = sum s_k u_k v_k^T, interval k with
** toggling frames (u_k, v_k) and length s_k dt/|kappa| (the Bennett bound
** ||T||_* dt/|kappa|).  xy-isotropic T (DM_z, KSEA_z, XX+YY and their
** spin-2 phase-shifted family): the closed time-symmetric 8-pulse palindromes.
** With refocusing (the default) every interval is split into (u, v) and
** (-u, -v) halves, which cancels the offsets exactly for delta pulses.
*/
#include "nmrc/compile.h"
#include "nmrc/consts.h"

#include <math.h>
#include <string.h>


#define DEG (NMRC_PI / 180.0)

/* The notes' palindromes, phases in degrees, intervals tau 2tau tau.
** Spin 1 (both bases): 90_x tau 90_y 2tau 90_-y tau 90_-x.
** Base 0, spin 2 same as spin 1:     H0 = (kappa/2)(XX + YY).
** Base 1, spin 2 90_-y 90_-x 90_x 90_y: H0 = (kappa/2)(XY + YX). */
static const double pal_phase1[4] = {0, 90, 270, 180};
static const double pal_phase2[2][4] = {{0, 90, 270, 180}, {270, 180, 0, 90}};

int nmrc_compile_structured(const double T[9], double kappa, int *base, double *psi)
{
    double norm = 0;
    for (int i = 0; i < 9; i++)
        norm = fmax(norm, fabs(T[i]));
    if (!(norm > 0) || kappa == 0)
        return 0;
    const int zero[5] = {2, 5, 6, 7, 8};
    for (int i = 0; i < 5; i++)
        if (fabs(T[zero[i]]) > 1e-12 * norm)
            return 0;
    /* M = sign(kappa) B / sigma must be orthogonal: columns orthonormal. */
    double sg = kappa > 0 ? 1.0 : -1.0;
    double m00 = sg * T[0], m01 = sg * T[1], m10 = sg * T[3], m11 = sg * T[4];
    double c0 = hypot(m00, m10), c1 = hypot(m01, m11);
    if (fabs(c0 - c1) > 1e-12 * norm || fabs(m00 * m01 + m10 * m11) > 1e-12 * norm * norm)
        return 0;
    m00 /= c0, m01 /= c0, m10 /= c0, m11 /= c0;
    if (m00 * m11 - m01 * m10 > 0) {
        *base = 0; /* M = [[c, s], [-s, c]] = Rz(psi)^T */
        *psi = atan2(m01, m00);
    } else {
        *base = 1; /* M = K Rz(psi)^T = [[-s, c], [c, s]] */
        *psi = atan2(m11, m01);
    }
    return 1;
}

static void emit_palindrome(nmrc_builder *b, int base, double psi, double tau)
{
    const double mult[3] = {1, 2, 1};
    for (int k = 0; k < 4; k++) {
        nmrc_build_pulse(b, 0, NMRC_PI / 2, pal_phase1[k] * DEG);
        nmrc_build_pulse(b, 1, NMRC_PI / 2, pal_phase2[base][k] * DEG + psi);
        if (k < 3)
            nmrc_build_delay(b, mult[k] * tau);
    }
    nmrc_build_close(b); /* the cycle is closed: drops round-off only */
}

/* One interval of a construction: toggled z of spin 1 (u) and spin 2 (v)
** relative to the block start, for len seconds. */
typedef struct frame_iv {
    double u[3], v[3], len;
} frame_iv;

/* Emits the intervals in order with every offset refocused exactly:
** interval k is held in frames (u, v) for half its length and in (-u, -v)
** for the other half.  Z1, Z2 and ZZ commute in the lab frame, and in the
** toggling frame u.s1, v.s2 and (u.s1)(v.s2) commute, so each interval
** realizes exp(-i kappa len (u.s1)(v.s2)) whatever the offsets; the
** coupling is unchanged (u v^T = (-u)(-v)^T).  The flip is one pi pulse per
** channel about any transverse axis (nmrc_build_flip: the one written at
** phase 0, so all flips share one TopSpin phase); the way back merges into
** the next frame change, so r intervals cost r pulse events more than the
** bare construction. */
static void emit_refocused(nmrc_builder *b, const frame_iv *iv, int n)
{
    for (int i = 0; i < n; i++) {
        nmrc_build_frames(b, iv[i].u, iv[i].v);
        nmrc_build_delay(b, 0.5 * iv[i].len);
        nmrc_build_flip(b);
        nmrc_build_delay(b, 0.5 * iv[i].len);
    }
    nmrc_build_close(b);
}

/* Toggled frames of the bare palindrome: (A, tau), (B, 2 tau), (A, tau). */
static void palindrome_frames(int base, double psi, double tau, frame_iv iv[3])
{
    const double mult[3] = {1, 2, 1};
    double R[2][9] = {{1, 0, 0, 0, 1, 0, 0, 0, 1}, {1, 0, 0, 0, 1, 0, 0, 0, 1}}, P[9];
    for (int k = 0; k < 3; k++) {
        nmrc_rot_pulse(NMRC_PI / 2, pal_phase1[k] * DEG, P);
        nmrc_rot_mul(P, R[0], R[0]);
        nmrc_rot_pulse(NMRC_PI / 2, pal_phase2[base][k] * DEG + psi, P);
        nmrc_rot_mul(P, R[1], R[1]);
        for (int a = 0; a < 3; a++) /* toggled z = R^T e_z, the last row */
            iv[k].u[a] = R[0][6 + a], iv[k].v[a] = R[1][6 + a];
        iv[k].len = mult[k] * tau;
    }
}

static void emit_svd(nmrc_builder *b, const double T[9], double kappa, double dt, int symmetric,
                     int refocus)
{
    double U[9], s[3], V[9];
    if (nmrc_svd3(T, U, s, V) != NMRC_OK) {
        if (b->status == NMRC_OK)
            b->status = NMRC_ELAPACK;
        return;
    }
    double sg = kappa > 0 ? 1.0 : -1.0;
    int r = 0;
    for (int k = 0; k < 3; k++)
        if (s[k] > 1e-14 * s[0])
            r = k + 1;
    int order[6], n = 0;
    for (int k = 0; k < r; k++)
        order[n++] = k;
    if (symmetric)
        for (int k = r - 1; k >= 0; k--)
            order[n++] = k;
    frame_iv iv[6];
    for (int i = 0; i < n; i++) {
        int k = order[i];
        for (int a = 0; a < 3; a++)
            iv[i].u[a] = U[3 * a + k], iv[i].v[a] = sg * V[3 * a + k];
        iv[i].len = (symmetric ? 0.5 : 1.0) * s[k] * dt / fabs(kappa);
    }
    if (refocus) {
        emit_refocused(b, iv, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        nmrc_build_frames(b, iv[i].u, iv[i].v);
        nmrc_build_delay(b, iv[i].len);
    }
    nmrc_build_close(b);
}

void nmrc_compile_bilinear(nmrc_builder *b, const double T[9], double kappa, double dt,
                           int symmetric, int refocus)
{
    int base;
    double psi;
    if (!(dt > 0) || kappa == 0)
        return;
    nmrc_build_mark(b);
    if (nmrc_compile_structured(T, kappa, &base, &psi)) {
        /* integrated coupling over the cycle: 2 kappa tau M = sigma dt M */
        double sigma = hypot(T[0], T[3]), tau = sigma * dt / (2.0 * fabs(kappa));
        if (!refocus) {
            emit_palindrome(b, base, psi, tau);
            return;
        }
        /* refocused: frames A for 2 tau, then B for 2 tau (the coupling
        ** parts commute, so the order is free; fewer pulses than the
        ** palindrome A B A) */
        frame_iv iv[3];
        palindrome_frames(base, psi, tau, iv);
        iv[0].len = 2.0 * tau;
        emit_refocused(b, iv, 2);
        return;
    }
    double norm = 0;
    for (int i = 0; i < 9; i++)
        norm += T[i] * T[i];
    if (norm > 0)
        emit_svd(b, T, kappa, dt, symmetric, refocus);
}
