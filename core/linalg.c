/*
** linalg.c: BLAS/LAPACK-backed parts of nmrc/linalg.h: gemm on nmrc_cmat,
** similarity transforms, the Hermitian eigendecomposition (zheevd with a
** workspace sized once), exp(-i H t) through the eigensystem, and the general
** matrix exponential by scaling and squaring Pade (Higham 2005).
** Nothing here allocates except the *_ws_create functions.
*/
#include <cblas.h>
#include <lapacke.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/linalg.h"
#include "core/defs.h"

/* ---- gemm ---------------------------------------------------------------- */

static enum CBLAS_TRANSPOSE cblas_op(nmrc_op op)
{
    return op == NMRC_OP_N ? CblasNoTrans : op == NMRC_OP_T ? CblasTrans : CblasConjTrans;
}

static int fits_int(size_t v) { return v <= (size_t)INT_MAX; }

nmrc_status nmrc_gemm(nmrc_op opa, nmrc_op opb, nmrc_cplx alpha, const nmrc_cmat *A,
                      const nmrc_cmat *B, nmrc_cplx beta, nmrc_cmat *C)
{
    size_t m = opa == NMRC_OP_N ? A->n1 : A->n2;
    size_t k = opa == NMRC_OP_N ? A->n2 : A->n1;
    size_t kb = opb == NMRC_OP_N ? B->n1 : B->n2;
    size_t n = opb == NMRC_OP_N ? B->n2 : B->n1;

    if (k != kb || C->n1 != m || C->n2 != n)
        return NMRC_EBADLEN;
    if (!fits_int(m) || !fits_int(n) || !fits_int(k) || !fits_int(A->ld) ||
        !fits_int(B->ld) || !fits_int(C->ld))
        return NMRC_EBADLEN;
    if (m == 0 || n == 0)
        return NMRC_OK;
    cblas_zgemm(CblasColMajor, cblas_op(opa), cblas_op(opb), (blasint)m, (blasint)n,
                (blasint)k, &alpha, A->data, (blasint)(A->ld ? A->ld : 1), B->data,
                (blasint)(B->ld ? B->ld : 1), &beta, C->data, (blasint)C->ld);
    return NMRC_OK;
}

nmrc_status nmrc_cmat_similarity(nmrc_cmat *C, const nmrc_cmat *U, const nmrc_cmat *A,
                                 nmrc_cmat *tmp)
{
    nmrc_status st = nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, U, A, 0.0, tmp);
    if (st)
        return st;
    return nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, U, 0.0, C);
}

nmrc_status nmrc_cmat_similarity_adj(nmrc_cmat *C, const nmrc_cmat *U, const nmrc_cmat *A,
                                     nmrc_cmat *tmp)
{
    nmrc_status st = nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, U, A, 0.0, tmp);
    if (st)
        return st;
    return nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, tmp, U, 0.0, C);
}

/* ---- Hermitian eigendecomposition ----------------------------------------- */

/* work is at least n^2 + 2n complex and rwork at least 1 + 5n + 2n^2 reals
** (zheevd's minimum for eigenvectors), so after zheevd returns they double as
** two n x n complex scratch matrices for nmrc_expmh. */
struct nmrc_eigh_ws {
    size_t n;
    lapack_int lwork, lrwork, liwork;
    nmrc_cplx *work;
    double *rwork;
    lapack_int *iwork;
    double *w;        /* eigenvalues for nmrc_expmh */
};

void nmrc_eigh_ws_destroy(nmrc_eigh_ws *ws)
{
    if (!ws)
        return;
    free(ws->work);
    free(ws->rwork);
    free(ws->iwork);
    free(ws->w);
    free(ws);
}

/* Asks zheevd for its optimal sizes, never below the documented minimum. */
static void eigh_query(nmrc_eigh_ws *ws)
{
    lapack_int n = (lapack_int)ws->n, liw = 0;
    nmrc_cplx wq = 0, dummy = 0;
    double rq = 0, wdummy = 0;
    double nn = (double)ws->n * (double)ws->n;

    ws->lwork = (lapack_int)(nn + 2.0 * (double)n);
    ws->lrwork = (lapack_int)(1.0 + 5.0 * (double)n + 2.0 * nn);
    ws->liwork = 3 + 5 * n;
    if (LAPACKE_zheevd_work(LAPACK_COL_MAJOR, 'V', 'L', n, &dummy, n, &wdummy, &wq, -1, &rq,
                            -1, &liw, -1) == 0) {
        if ((lapack_int)creal(wq) > ws->lwork)
            ws->lwork = (lapack_int)creal(wq);
        if ((lapack_int)rq > ws->lrwork)
            ws->lrwork = (lapack_int)rq;
        if (liw > ws->liwork)
            ws->liwork = liw;
    }
}

nmrc_eigh_ws *nmrc_eigh_ws_create(size_t n)
{
    nmrc_eigh_ws *ws;
    /* 2 n^2 + 5n + 1 must fit LAPACK's int. */
    if (n == 0 || n > 30000)
        return NULL;
    ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n = n;
    eigh_query(ws);
    ws->work = malloc((size_t)ws->lwork * sizeof *ws->work);
    ws->rwork = malloc((size_t)ws->lrwork * sizeof *ws->rwork);
    ws->iwork = malloc((size_t)ws->liwork * sizeof *ws->iwork);
    ws->w = malloc(n * sizeof *ws->w);
    if (!ws->work || !ws->rwork || !ws->iwork || !ws->w) {
        nmrc_eigh_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

size_t nmrc_eigh_ws_size(const nmrc_eigh_ws *ws) { return ws ? ws->n : 0; }

static int lower_finite(const nmrc_cmat *A)
{
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = j; i < A->n1; i++) {
            nmrc_cplx a = A->data[i + j * A->ld];
            if (!isfinite(creal(a)) || !isfinite(cimag(a)))
                return 0;
        }
    return 1;
}

static NMRC_NODISCARD nmrc_status eigh_run(char jobz, nmrc_cmat *A, double *w, nmrc_eigh_ws *ws)
{
    lapack_int info;
    if (!ws || A->n1 != ws->n || A->n2 != ws->n || A->ld < A->n1 || !fits_int(A->ld))
        return NMRC_EBADLEN;
    if (!lower_finite(A))
        return NMRC_EINVAL;
    info = LAPACKE_zheevd_work(LAPACK_COL_MAJOR, jobz, 'L', (lapack_int)ws->n, A->data,
                               (lapack_int)A->ld, w, ws->work, ws->lwork, ws->rwork,
                               ws->lrwork, ws->iwork, ws->liwork);
    return info == 0 ? NMRC_OK : NMRC_ELAPACK;
}

nmrc_status nmrc_eigh(nmrc_cmat *A, double *w, nmrc_eigh_ws *ws)
{
    return eigh_run('V', A, w, ws);
}

nmrc_status nmrc_eigvalsh(nmrc_cmat *A, double *w, nmrc_eigh_ws *ws)
{
    return eigh_run('N', A, w, ws);
}

nmrc_status nmrc_expih_eig(nmrc_cmat *U, const nmrc_cmat *V, const double *w, double t,
                           nmrc_cmat *tmp)
{
    size_t n = V->n1;
    if (V->n2 != n || tmp->n1 != n || tmp->n2 != n)
        return NMRC_EBADLEN;
    for (size_t k = 0; k < n; k++) {
        double ph = -w[k] * t;
        nmrc_cplx e = cos(ph) + I * sin(ph);
        const nmrc_cplx *v = V->data + k * V->ld;
        nmrc_cplx *o = tmp->data + k * tmp->ld;
        for (size_t i = 0; i < n; i++)
            o[i] = v[i] * e;
    }
    return nmrc_gemm(NMRC_OP_N, NMRC_OP_C, 1.0, tmp, V, 0.0, U);
}

nmrc_status nmrc_expmh(nmrc_cmat *U, const nmrc_cmat *H, double t, nmrc_eigh_ws *ws)
{
    nmrc_status st;
    nmrc_cmat V, T;
    size_t n;

    if (!ws || H->n1 != ws->n || H->n2 != ws->n || U->n1 != ws->n || U->n2 != ws->n)
        return NMRC_EBADLEN;
    n = ws->n;
    if ((st = nmrc_cmat_copy(U, H)) != NMRC_OK)
        return st;
    if ((st = nmrc_eigh(U, ws->w, ws)) != NMRC_OK)
        return st;
    /* zheevd is done with its work arrays: reuse them as V and the scratch. */
    V = nmrc_cmat_view((nmrc_cplx *)(void *)ws->rwork, n, n, n);
    T = nmrc_cmat_view(ws->work, n, n, n);
    NMRC_CHECKED(nmrc_cmat_copy(&V, U));
    return nmrc_expih_eig(U, &V, ws->w, t, &T);
}

/* ---- General matrix exponential (Higham 2005, Algorithm 2.3) -------------- */

struct nmrc_expm_ws {
    size_t n;
    nmrc_cmat *m[7];  /* As, A2, A4, A6, U, V, T */
    lapack_int *ipiv;
};

void nmrc_expm_ws_destroy(nmrc_expm_ws *ws)
{
    if (!ws)
        return;
    for (int k = 0; k < 7; k++)
        nmrc_cmat_destroy(ws->m[k]);
    free(ws->ipiv);
    free(ws);
}

nmrc_expm_ws *nmrc_expm_ws_create(size_t n)
{
    nmrc_expm_ws *ws;
    if (n == 0 || n > 46340)
        return NULL;
    ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    ws->n = n;
    for (int k = 0; k < 7; k++)
        if (!(ws->m[k] = nmrc_cmat_create(n, n))) {
            nmrc_expm_ws_destroy(ws);
            return NULL;
        }
    if (!(ws->ipiv = malloc(n * sizeof *ws->ipiv))) {
        nmrc_expm_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

static const double pade3[] = {120, 60, 12, 1};
static const double pade5[] = {30240, 15120, 3360, 420, 30, 1};
static const double pade7[] = {17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1};
static const double pade9[] = {17643225600.0, 8821612800.0, 2075673600, 302702400, 30270240,
                                2162160, 110880, 3960, 90, 1};
static const double pade13[] = {64764752532480000.0, 32382376266240000.0, 7771770303897600.0,
                                1187353796428800.0,  129060195264000.0,   10559470521600.0,
                                670442572800.0,      33522128640.0,       1323241920.0,
                                40840800.0,          960960.0,            16380.0,
                                182.0,               1.0};

/* M = c0 I + c1 P1 + c2 P2 + c3 P3 (any P may be NULL for a zero term). */
static void lincomb(nmrc_cmat *M, double c0, double c1, const nmrc_cmat *P1, double c2,
                    const nmrc_cmat *P2, double c3, const nmrc_cmat *P3)
{
    size_t n = M->n1;
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            nmrc_cplx s = i == j ? c0 : 0.0;
            if (P1)
                s += c1 * P1->data[i + j * P1->ld];
            if (P2)
                s += c2 * P2->data[i + j * P2->ld];
            if (P3)
                s += c3 * P3->data[i + j * P3->ld];
            M->data[i + j * M->ld] = s;
        }
}

/* Low-degree Pade (m = 3, 5, 7, 9): U = A * odd part, V = even part.
** Powers A2, A4, A6, A8 are built in m[1..3] and T as needed. */
static void pade_low(nmrc_expm_ws *ws, const double *b, int m)
{
    nmrc_cmat *A = ws->m[0], *A2 = ws->m[1], *A4 = ws->m[2], *A6 = ws->m[3];
    nmrc_cmat *U = ws->m[4], *V = ws->m[5], *T = ws->m[6];
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, A, 0.0, A2));
    if (m >= 5)
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A2, A2, 0.0, A4));
    if (m >= 7)
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A4, A2, 0.0, A6));
    /* odd part in T, even part in V */
    lincomb(T, b[1], b[3], A2, m >= 5 ? b[5] : 0, m >= 5 ? A4 : NULL, m >= 7 ? b[7] : 0,
            m >= 7 ? A6 : NULL);
    lincomb(V, b[0], b[2], A2, m >= 5 ? b[4] : 0, m >= 5 ? A4 : NULL, m >= 7 ? b[6] : 0,
            m >= 7 ? A6 : NULL);
    if (m == 9) {
        /* A8 = A4 A4 into U temporarily, add its terms. */
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A4, A4, 0.0, U));
        NMRC_CHECKED(nmrc_cmat_axpy(T, b[9], U));
        NMRC_CHECKED(nmrc_cmat_axpy(V, b[8], U));
    }
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, T, 0.0, U));
}

/* Degree-13 Pade on the (already scaled) A in m[0]. */
static void pade_13(nmrc_expm_ws *ws)
{
    const double *b = pade13;
    nmrc_cmat *A = ws->m[0], *A2 = ws->m[1], *A4 = ws->m[2], *A6 = ws->m[3];
    nmrc_cmat *U = ws->m[4], *V = ws->m[5], *T = ws->m[6];
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, A, 0.0, A2));
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A2, A2, 0.0, A4));
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A4, A2, 0.0, A6));
    /* U = A [A6 (b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I] */
    lincomb(T, 0.0, b[13], A6, b[11], A4, b[9], A2);
    lincomb(V, b[1], b[7], A6, b[5], A4, b[3], A2);
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A6, T, 1.0, V));
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A, V, 0.0, U));
    /* V = A6 (b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I */
    lincomb(T, 0.0, b[12], A6, b[10], A4, b[8], A2);
    lincomb(V, b[0], b[6], A6, b[4], A4, b[2], A2);
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, A6, T, 1.0, V));
}

nmrc_status nmrc_expm(nmrc_cmat *E, const nmrc_cmat *A, nmrc_expm_ws *ws)
{
    static const double theta[] = {1.495585217958292e-2, 2.539398330063230e-1,
                                   9.504178996162932e-1, 2.097847961257068e0};
    static const double theta13 = 5.371920351148152e0;
    static const double *const low[] = {pade3, pade5, pade7, pade9};
    size_t n;
    double nrm;
    int s = 0, deg = -1;
    nmrc_cmat *U, *V, *T;

    if (!ws || A->n1 != ws->n || A->n2 != ws->n || E->n1 != ws->n || E->n2 != ws->n)
        return NMRC_EBADLEN;
    n = ws->n;
    nrm = nmrc_cmat_norm_1(A);
    if (!isfinite(nrm))
        return NMRC_EINVAL;
    for (int k = 0; k < 4 && deg < 0; k++)
        if (nrm <= theta[k])
            deg = k;
    if (deg < 0 && nrm > theta13)
        s = (int)ceil(log2(nrm / theta13));
    NMRC_CHECKED(nmrc_cmat_copy(ws->m[0], A));
    if (s > 0)
        nmrc_cmat_scale(ws->m[0], ldexp(1.0, -s));
    if (deg >= 0)
        pade_low(ws, low[deg], 2 * deg + 3);
    else
        pade_13(ws);
    U = ws->m[4];
    V = ws->m[5];
    T = ws->m[6];
    /* Solve (V - U) X = (V + U): T = V - U, V = V + U. */
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++) {
            nmrc_cplx u = U->data[i + j * n], v = V->data[i + j * n];
            T->data[i + j * n] = v - u;
            V->data[i + j * n] = v + u;
        }
    if (LAPACKE_zgesv_work(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, T->data,
                           (lapack_int)n, ws->ipiv, V->data, (lapack_int)n) != 0)
        return NMRC_ELAPACK;
    for (int k = 0; k < s; k++) {
        nmrc_cmat *sw;
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, V, V, 0.0, T));
        sw = V;
        V = T;
        T = sw;
    }
    return nmrc_cmat_copy(E, V);
}
