/*
** fid_liou.c: the exact route for a block pair whose T2 dephasing mixes
** eigen-coherences (strongly coupled spins that relax).  The pair's
** Liouvillian, non-Hermitian, is built in the eigen-coherence basis and
** diagonalized with zgeev; the FID is again a sum of damped exponentials,
** one per Liouvillian eigenvalue.
*/
#include <complex.h>
#include <lapacke.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fid_impl.h"
#include "nmrc/linalg.h"

#define LIOU_RECON_TOL 1e-10    /* max |R L R^-1 - M| relative to max |M| */

/* M (P x P, P = kn * kpn, index m + n kn): -i(E_m - E_n) on the diagonal
** plus sum_i gamma_i (Z~K_i[m,m'] Z~K'_i[n',n] - delta). */
static NMRC_NODISCARD nmrc_status build_generator(const nmrc_fid_plan *p, size_t q, const double *gam,
                                   nmrc_cplx *M)
{
    const fid_pair *pr = &p->pairs[q];
    const fid_block *K = &p->blocks[pr->k], *Kp = &p->blocks[pr->kp];
    size_t kn = K->n, kpn = Kp->n, P = kn * kpn, nb = kn > kpn ? kn : kpn;
    nmrc_cplx *zk = malloc(kn * kn * sizeof *zk), *zkp = malloc(kpn * kpn * sizeof *zkp);
    nmrc_cplx *t = malloc(nb * nb * sizeof *t);
    if (!zk || !zkp || !t) {
        free(zk);
        free(zkp);
        free(t);
        return NMRC_ENOMEM;
    }
    memset(M, 0, P * P * sizeof *M);
    for (size_t m = 0; m < kn; m++)
        for (size_t n = 0; n < kpn; n++)
            M[(m + n * kn) * (P + 1)] = -I * (p->e[K->start + m] - p->e[Kp->start + n]);
    for (size_t i = 0; i < p->n_spins; i++) {
        if (!(gam[i] > 0))
            continue;
        nmrc_fidi_block_z(p, pr->k, i, zk, t);
        nmrc_fidi_block_z(p, pr->kp, i, zkp, t);
        for (size_t np = 0; np < kpn; np++)
            for (size_t mp = 0; mp < kn; mp++) {
                size_t col = mp + np * kn;
                M[col + col * P] -= gam[i];
                for (size_t n = 0; n < kpn; n++) {
                    nmrc_cplx b = gam[i] * zkp[np + n * kpn];
                    if (b == 0)
                        continue;
                    for (size_t m = 0; m < kn; m++)
                        M[(m + n * kn) + col * P] += zk[m + mp * kn] * b;
                }
            }
    }
    free(zk);
    free(zkp);
    free(t);
    return NMRC_OK;
}

/* Returns max |R diag(w) Rinv - M| / max |M| (reconstruction check). */
static double recon_error(const nmrc_cplx *M, const nmrc_cplx *R, const nmrc_cplx *w,
                          const nmrc_cplx *Rinv, size_t P, nmrc_cplx *tmp)
{
    for (size_t k = 0; k < P; k++)
        for (size_t r = 0; r < P; r++)
            tmp[r + k * P] = R[r + k * P] * w[k];
    nmrc_cmat A = nmrc_cmat_view(tmp, P, P, P);
    nmrc_cmat B = nmrc_cmat_view((nmrc_cplx *)Rinv, P, P, P);
    nmrc_cplx *out = tmp + P * P;
    nmrc_cmat O = nmrc_cmat_view(out, P, P, P);
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &A, &B, 0.0, &O));
    double err = 0, scale = 0;
    for (size_t k = 0; k < P * P; k++) {
        err = fmax(err, cabs(out[k] - M[k]));
        scale = fmax(scale, cabs(M[k]));
    }
    return scale > 0 ? err / scale : err;
}

nmrc_status nmrc_fidi_liou_pair(nmrc_fid_plan *p, size_t q, const double *gam,
                                const nmrc_cplx *dt, size_t *cap)
{
    fid_pair *pr = &p->pairs[q];
    size_t kn = p->blocks[pr->k].n, kpn = p->blocks[pr->kp].n, P = kn * kpn;
    nmrc_cplx *M = malloc(P * P * sizeof *M), *A = malloc(P * P * sizeof *A);
    nmrc_cplx *R = malloc(P * P * sizeof *R), *Rinv = malloc(P * P * sizeof *Rinv);
    nmrc_cplx *w = malloc(P * sizeof *w), *tmp = malloc(2 * P * P * sizeof *tmp);
    lapack_int *piv = malloc(P * sizeof *piv);
    nmrc_status st = (M && A && R && Rinv && w && tmp && piv) ? build_generator(p, q, gam, M)
                                                              : NMRC_ENOMEM;
    lapack_int n = (lapack_int)P;
    if (st == NMRC_OK) {
        memcpy(A, M, P * P * sizeof *A);
        if (LAPACKE_zgeev(LAPACK_COL_MAJOR, 'N', 'V', n, A, n, w, NULL, 1, R, n) != 0)
            st = NMRC_ENUMERIC;
    }
    if (st == NMRC_OK) {
        /* Rinv = R^-1 by solving R X = I (A holds a copy of R, destroyed). */
        memcpy(A, R, P * P * sizeof *A);
        memset(Rinv, 0, P * P * sizeof *Rinv);
        for (size_t k = 0; k < P; k++)
            Rinv[k * (P + 1)] = 1;
        if (LAPACKE_zgesv(LAPACK_COL_MAJOR, n, n, A, n, piv, Rinv, n) != 0)
            st = NMRC_ENUMERIC;
    }
    if (st == NMRC_OK && !(recon_error(M, R, w, Rinv, P, tmp) <= LIOU_RECON_TOL))
        st = NMRC_ENUMERIC;
    for (size_t k = 0; k < P && st == NMRC_OK; k++) {
        /* Amplitude factor sum_{mn} D~_nm R_(m + n kn), k. */
        nmrc_cplx d = 0;
        for (size_t m = 0; m < kn; m++)
            for (size_t nn = 0; nn < kpn; nn++)
                d += dt[nn + m * kpn] * R[(m + nn * kn) + k * P];
        if (d == 0)
            continue;
        fid_tr tr = {q, k, 0, d, cexp(w[k] * p->dt), cimag(w[k]), -creal(w[k])};
        st = nmrc_fidi_push(p, cap, &tr);
    }
    if (st == NMRC_OK) {
        pr->rinv = Rinv;
        Rinv = NULL;
    } else {
        /* Drop any transitions this pair pushed before failing. */
        while (p->n_tr > 0 && p->tr[p->n_tr - 1].pair == q)
            p->n_tr--;
    }
    free(M);
    free(A);
    free(R);
    free(Rinv);
    free(w);
    free(tmp);
    free(piv);
    return st;
}
