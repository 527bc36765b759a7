/*
** cmat.c: the nmrc_cmat container (create, destroy, view) and the
** elementwise helpers, scalars and norms of nmrc/linalg.h that need no BLAS:
** copy, adjoint, axpy, scale, Hermitian part, trace, Tr(AB), norms, kron.
** Column-major with explicit ld everywhere; nothing here allocates except
** nmrc_cmat_create.
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/cmat.h"
#include "nmrc/linalg.h"

nmrc_cmat *nmrc_cmat_create(size_t n1, size_t n2)
{
    nmrc_cmat *m;
    size_t n = n1 * n2;

    if (n1 != 0 && n / n1 != n2)
        return NULL;
    if (n > SIZE_MAX / sizeof(nmrc_cplx))
        return NULL;
    m = malloc(sizeof *m);
    if (!m)
        return NULL;
    m->data = calloc(n ? n : 1, sizeof(nmrc_cplx));
    if (!m->data) {
        free(m);
        return NULL;
    }
    m->n1 = n1;
    m->n2 = n2;
    m->ld = n1 ? n1 : 1;
    m->owner = 1;
    return m;
}

void nmrc_cmat_destroy(nmrc_cmat *m)
{
    if (!m)
        return;
    if (m->owner)
        free(m->data);
    free(m);
}

nmrc_cmat nmrc_cmat_view(nmrc_cplx *data, size_t n1, size_t n2, size_t ld)
{
    nmrc_cmat v;
    v.n1 = n1;
    v.n2 = n2;
    v.ld = ld;
    v.data = data;
    v.owner = 0;
    return v;
}

void nmrc_cmat_zero(nmrc_cmat *A)
{
    if (A->ld == A->n1) {
        memset(A->data, 0, A->n1 * A->n2 * sizeof(nmrc_cplx));
        return;
    }
    for (size_t j = 0; j < A->n2; j++)
        memset(A->data + j * A->ld, 0, A->n1 * sizeof(nmrc_cplx));
}

void nmrc_cmat_identity(nmrc_cmat *A)
{
    size_t n = A->n1 < A->n2 ? A->n1 : A->n2;
    nmrc_cmat_zero(A);
    for (size_t k = 0; k < n; k++)
        A->data[k + k * A->ld] = 1.0;
}

nmrc_status nmrc_cmat_copy(nmrc_cmat *dst, const nmrc_cmat *src)
{
    if (dst->n1 != src->n1 || dst->n2 != src->n2)
        return NMRC_EBADLEN;
    if (dst->data == src->data && dst->ld == src->ld)
        return NMRC_OK;
    for (size_t j = 0; j < src->n2; j++)
        memmove(dst->data + j * dst->ld, src->data + j * src->ld,
                src->n1 * sizeof(nmrc_cplx));
    return NMRC_OK;
}

nmrc_status nmrc_cmat_adjoint(nmrc_cmat *dst, const nmrc_cmat *src)
{
    if (dst->n1 != src->n2 || dst->n2 != src->n1)
        return NMRC_EBADLEN;
    if (dst->data == src->data) {
        if (src->n1 != src->n2 || dst->ld != src->ld)
            return NMRC_EBADLEN;
        for (size_t j = 0; j < dst->n2; j++) {
            dst->data[j + j * dst->ld] = conj(dst->data[j + j * dst->ld]);
            for (size_t i = j + 1; i < dst->n1; i++) {
                nmrc_cplx a = dst->data[i + j * dst->ld];
                dst->data[i + j * dst->ld] = conj(dst->data[j + i * dst->ld]);
                dst->data[j + i * dst->ld] = conj(a);
            }
        }
        return NMRC_OK;
    }
    for (size_t j = 0; j < dst->n2; j++)
        for (size_t i = 0; i < dst->n1; i++)
            dst->data[i + j * dst->ld] = conj(src->data[j + i * src->ld]);
    return NMRC_OK;
}

nmrc_status nmrc_cmat_axpy(nmrc_cmat *Y, nmrc_cplx a, const nmrc_cmat *X)
{
    if (Y->n1 != X->n1 || Y->n2 != X->n2)
        return NMRC_EBADLEN;
    for (size_t j = 0; j < X->n2; j++) {
        nmrc_cplx *y = Y->data + j * Y->ld;
        const nmrc_cplx *x = X->data + j * X->ld;
        for (size_t i = 0; i < X->n1; i++)
            y[i] += a * x[i];
    }
    return NMRC_OK;
}

void nmrc_cmat_scale(nmrc_cmat *A, nmrc_cplx a)
{
    for (size_t j = 0; j < A->n2; j++) {
        nmrc_cplx *x = A->data + j * A->ld;
        for (size_t i = 0; i < A->n1; i++)
            x[i] *= a;
    }
}

void nmrc_cmat_hermitize(nmrc_cmat *A)
{
    size_t n = A->n1 < A->n2 ? A->n1 : A->n2;
    for (size_t j = 0; j < n; j++) {
        A->data[j + j * A->ld] = creal(A->data[j + j * A->ld]);
        for (size_t i = j + 1; i < n; i++) {
            nmrc_cplx a = A->data[i + j * A->ld], b = A->data[j + i * A->ld];
            nmrc_cplx h = 0.5 * (a + conj(b));
            A->data[i + j * A->ld] = h;
            A->data[j + i * A->ld] = conj(h);
        }
    }
}

nmrc_cplx nmrc_cmat_trace(const nmrc_cmat *A)
{
    size_t n = A->n1 < A->n2 ? A->n1 : A->n2;
    nmrc_cplx s = 0;
    for (size_t k = 0; k < n; k++)
        s += A->data[k + k * A->ld];
    return s;
}

nmrc_cplx nmrc_cmat_trace_prod(const nmrc_cmat *A, const nmrc_cmat *B)
{
    /* Tr(AB) = sum_ij A_ij B_ji; walk A by columns j, B by rows j. */
    nmrc_cplx s = 0;
    if (A->n1 != B->n2 || A->n2 != B->n1)
        return NAN;
    for (size_t j = 0; j < A->n2; j++) {
        const nmrc_cplx *a = A->data + j * A->ld;
        for (size_t i = 0; i < A->n1; i++)
            s += a[i] * B->data[j + i * B->ld];
    }
    return s;
}

double nmrc_cmat_norm_fro(const nmrc_cmat *A)
{
    /* Two passes: the largest modulus, then the scaled sum (no overflow). */
    double big = nmrc_cmat_norm_max(A), s = 0;
    if (big == 0 || !isfinite(big))
        return big;
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i < A->n1; i++) {
            double a = cabs(A->data[i + j * A->ld]) / big;
            s += a * a;
        }
    return big * sqrt(s);
}

/* |z|^2 without hypot (callers compare squares and take one sqrt). */
static double abs2(nmrc_cplx z) { return creal(z) * creal(z) + cimag(z) * cimag(z); }

/* norm_max with cabs: NaN propagates, no overflow of the square. */
static double norm_max_slow(const nmrc_cmat *A)
{
    double m = 0;
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i < A->n1; i++) {
            double a = cabs(A->data[i + j * A->ld]);
            if (isnan(a))
                return NAN;
            if (a > m)
                m = a;
        }
    return m;
}

double nmrc_cmat_norm_max(const nmrc_cmat *A)
{
    double m = 0;
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i < A->n1; i++) {
            double a = abs2(A->data[i + j * A->ld]);
            if (!(a <= DBL_MAX))
                return norm_max_slow(A);
            if (a > m)
                m = a;
        }
    return sqrt(m);
}

double nmrc_cmat_norm_1(const nmrc_cmat *A)
{
    double m = 0;
    for (size_t j = 0; j < A->n2; j++) {
        double s = 0;
        for (size_t i = 0; i < A->n1; i++)
            s += cabs(A->data[i + j * A->ld]);
        if (s > m || isnan(s))
            m = s;
    }
    return m;
}

double nmrc_cmat_herm_dev(const nmrc_cmat *A)
{
    double m = 0;
    if (A->n1 != A->n2)
        return INFINITY;
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = j; i < A->n1; i++) {
            double d = abs2(A->data[i + j * A->ld] - conj(A->data[j + i * A->ld]));
            if (d > m || isnan(d))
                m = d;
        }
    return sqrt(m);
}

double nmrc_cmat_max_diff(const nmrc_cmat *A, const nmrc_cmat *B)
{
    double m = 0;
    if (A->n1 != B->n1 || A->n2 != B->n2)
        return INFINITY;
    for (size_t j = 0; j < A->n2; j++)
        for (size_t i = 0; i < A->n1; i++) {
            double d = abs2(A->data[i + j * A->ld] - B->data[i + j * B->ld]);
            if (d > m || isnan(d))
                m = d;
        }
    return sqrt(m);
}

nmrc_status nmrc_cmat_kron(nmrc_cmat *C, const nmrc_cmat *A, const nmrc_cmat *B)
{
    size_t p = B->n1, q = B->n2;
    if (C->n1 != A->n1 * p || C->n2 != A->n2 * q)
        return NMRC_EBADLEN;
    if (C->data == A->data || C->data == B->data)
        return NMRC_EBADLEN;
    for (size_t ja = 0; ja < A->n2; ja++)
        for (size_t jb = 0; jb < q; jb++) {
            nmrc_cplx *c = C->data + (ja * q + jb) * C->ld;
            const nmrc_cplx *b = B->data + jb * B->ld;
            for (size_t ia = 0; ia < A->n1; ia++) {
                nmrc_cplx a = A->data[ia + ja * A->ld];
                for (size_t ib = 0; ib < p; ib++)
                    c[ia * p + ib] = a * b[ib];
            }
        }
    return NMRC_OK;
}
