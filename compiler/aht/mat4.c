/*
** mat4.c: internal 4x4 helpers shared by the two-spin average-Hamiltonian
** code (aht.c) and the sequence analysis (analyze.c, analyze_prop.c); see
** mat4.h.
*/
#include "mat4.h"

#include <math.h>
#include <string.h>

void nmrc_mat4_mul(const nmrc_cplx A[16], const nmrc_cplx B[16], nmrc_cplx C[16])
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

void nmrc_mat4_conj(const nmrc_cplx U[16], const nmrc_cplx X[16], nmrc_cplx out[16])
{
    nmrc_cplx Ud[16], T[16];
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            Ud[i + 4 * j] = conj(U[j + 4 * i]);
    nmrc_mat4_mul(X, U, T);
    nmrc_mat4_mul(Ud, T, out);
}

void nmrc_mat4_eye(nmrc_cplx U[16])
{
    memset(U, 0, 16 * sizeof *U);
    U[0] = U[5] = U[10] = U[15] = 1;
}

void nmrc_mat4_su2(double angle, const double n[3], nmrc_cplx G[4])
{
    double c = cos(angle / 2), s = sin(angle / 2);
    G[0] = c - I * s * n[2];
    G[1] = -I * s * (n[0] - I * n[1]);
    G[2] = -I * s * (n[0] + I * n[1]);
    G[3] = c + I * s * n[2];
}
