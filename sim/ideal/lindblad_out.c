/*
** lindblad_out.c: the Lindblad outputs.  The change from the plan's block
** basis back to the caller's (mirror the lower triangles, relabel, zeros
** outside the blocks) and the checks every state passes: finite, Hermitian,
** trace one, positive (Cholesky of rho + tol I, block by block for a
** block-diagonal state).  Tiled so that transposed reads hit the cache.
*/
#include <math.h>
#include <string.h>

#include "lindblad_impl.h"

#define TILE 32                   /* tile order of the transposed passes */

/* Positivity within tol: Cholesky of the lower triangle of rho + tol I.
** Returns 0 or the column where it failed. */
static lapack_int cholesky_fails(const nmrc_cmat *rho, nmrc_cmat *scratch, double tol)
{
    size_t d = rho->n1;
    for (size_t j = 0; j < d; j++)
        for (size_t i = j; i < d; i++)
            NMRC_CMAT_AT(scratch, i, j) = NMRC_CMAT_AT(rho, i, j) + (i == j ? tol : 0.0);
    return nmrc_lb_cholesky(scratch->data, scratch->ld, d);
}

/* Relabelled plans, rho zero outside the diagonal blocks of size blk
** (relabelled basis): rho + tol I is positive iff each block is, so factor
** the blocks (1/nblocks^2 of the work).  Returns 0 or the failing column. */
static lapack_int block_cholesky_fails(const nmrc_lindblad_plan *p, size_t blk,
                                       const nmrc_cmat *rho, nmrc_cmat *scratch, double tol)
{
    size_t d = p->d, ld = scratch->ld;
    for (size_t yb = 0; yb < d; yb++) {
        size_t y = p->iperm[yb], end = nmrc_lb_blk0(yb, blk) + blk;
        for (size_t xb = yb; xb < end; xb++)
            scratch->data[xb + yb * ld] = NMRC_CMAT_AT(rho, p->iperm[xb], y) +
                                          (xb == yb ? tol : 0.0);
    }
    for (size_t b0 = 0; b0 < d; b0 += blk) {
        lapack_int info = nmrc_lb_cholesky(scratch->data + b0 * (ld + 1), ld, blk);
        if (info != 0)
            return info + (lapack_int)b0;
    }
    return 0;
}

/* One pass over rho: *sum = sum of |Re| + |Im| (finite iff every entry is),
** *hdev = max |rho - rho^+|, and (relabelled plans) *blockdiag = whether
** every entry outside the diagonal blocks of size p->blk is zero. */
NMRC_LB_CLONES static void scan_state(const nmrc_lindblad_plan *p, const nmrc_cmat *rho,
                                      double *sum, double *hdev, int *blockdiag)
{
    size_t d = p->d, ld = rho->ld, blk = p->blk;
    const double *r = (const double *)(const void *)rho->data;
    double s = 0, h2 = 0;
    int bd = p->perm != NULL && blk < d, off = 0;
    for (size_t y0 = 0; y0 < d; y0 += TILE)          /* tiles: the partner rho[y, x] */
        for (size_t x0 = y0; x0 < d; x0 += TILE)     /* is read from a cached tile */
            for (size_t y = y0; y < y0 + TILE && y < d; y++) {
                size_t by = bd ? nmrc_lb_blk0(p->perm[y], blk) : 0;
                for (size_t x = x0 > y ? x0 : y; x < x0 + TILE && x < d; x++) {
                    double ar = r[2 * (x + y * ld)], ai = r[2 * (x + y * ld) + 1];
                    double br = r[2 * (y + x * ld)], bi = r[2 * (y + x * ld) + 1];
                    double dr = ar - br, di = ai + bi, e = dr * dr + di * di;
                    s += fabs(ar) + fabs(ai) + (x > y ? fabs(br) + fabs(bi) : 0);
                    h2 = e > h2 ? e : h2;
                    if (bd && nmrc_lb_blk0(p->perm[x], blk) != by)
                        off |= ar != 0 || ai != 0 || br != 0 || bi != 0;
                }
            }
    *sum = s;
    *hdev = isnan(s) ? s : sqrt(h2);
    *blockdiag = bd && !off;
}

nmrc_status nmrc_lb_check(const nmrc_lindblad_plan *p, const nmrc_cmat *rho, nmrc_cmat *scratch,
                          double t, const char *what, nmrc_status fail, int last,
                          nmrc_ctx *ctx)
{
    double tol = p->opts.check_tol, h, big;
    int blockdiag;
    nmrc_cplx tr;
    lapack_int info;

    scan_state(p, rho, &big, &h, &blockdiag);
    if (!isfinite(big) || !isfinite(h))
        return nmrc_ctx_error(ctx, fail, "%s at t = %g has non-finite entries", what, t);
    tr = nmrc_cmat_trace(rho);
    if (cabs(tr - 1.0) > tol)
        return nmrc_ctx_error(ctx, fail, "%s at t = %g has trace %.12g%+.3gi, not 1 (tolerance "
                              "%g)", what, t, creal(tr), cimag(tr), tol);
    if (h > tol)
        return nmrc_ctx_error(ctx, fail, "%s at t = %g is not Hermitian: max |rho - rho^+| = "
                              "%.3g (tolerance %g)", what, t, h, tol);
    int pos = last == 2 || p->opts.check_positivity >= 2 ||
              (p->opts.check_positivity == 1 && (last || p->d <= NMRC_LB_POS_EVERY_MAX));
    if (!pos)
        return NMRC_OK;
    info = blockdiag ? block_cholesky_fails(p, p->blk, rho, scratch, tol)
                     : cholesky_fails(rho, scratch, tol);
    if (info != 0)
        return nmrc_ctx_error(ctx, fail, "%s at t = %g is not positive: an eigenvalue is below "
                              "-%g (Cholesky failed at column %d)", what, t, tol, (int)info);
    return NMRC_OK;
}

nmrc_cmat *nmrc_lb_out_scratch(nmrc_lindblad_ws *ws)
{
    return ws->chk ? ws->chk : ws->backup ? ws->backup : ws->next;
}

/* The clones are static so that their load-time resolver stays out of
** libnmrc.so's symbol table (an ifunc resolver keeps default visibility). */
static NMRC_LB_CLONES void emit(const nmrc_lindblad_plan *p, const nmrc_lindblad_ws *ws,
                                const nmrc_cmat *src, nmrc_cmat *out)
{
    size_t d = p->d, blk = ws->blk, ls = src->ld, lo = out->ld;
    const nmrc_cplx *a = src->data;
    nmrc_cplx *o = out->data;
    if (!p->perm) {
        for (size_t y = 0; y < d; y++) {
            for (size_t x = 0; x < y; x++)
                o[x + y * lo] = conj(a[y + x * ls]);
            for (size_t x = y; x < d; x++)
                o[x + y * lo] = a[x + y * ls];
        }
        return;
    }
    for (size_t y0 = 0; y0 < d; y0 += TILE)          /* tiles: conj(a[yb, xb]) is */
        for (size_t x0 = 0; x0 < d; x0 += TILE)      /* read from a cached tile */
            for (size_t y = y0; y < y0 + TILE && y < d; y++) {
                size_t yb = p->perm[y], b0 = nmrc_lb_blk0(yb, blk);
                for (size_t x = x0; x < x0 + TILE && x < d; x++) {
                    size_t xb = p->perm[x];
                    o[x + y * lo] = nmrc_lb_blk0(xb, blk) != b0 ? 0.0
                                    : xb >= yb                  ? a[xb + yb * ls]
                                                                : conj(a[yb + xb * ls]);
                }
            }
}

void nmrc_lb_emit(const nmrc_lindblad_plan *p, const nmrc_lindblad_ws *ws,
                  const nmrc_cmat *src, nmrc_cmat *out)
{
    emit(p, ws, src, out);
}

void nmrc_lb_finalize(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, nmrc_cmat *out)
{
    size_t d = p->d, blk = ws->blk;
    nmrc_cmat *sc;
    if (!p->perm) {                        /* mirror in place */
        for (size_t y = 1; y < d; y++)
            for (size_t x = 0; x < y; x++)
                NMRC_CMAT_AT(out, x, y) = conj(NMRC_CMAT_AT(out, y, x));
        return;
    }
    sc = nmrc_lb_out_scratch(ws);
    for (size_t y = 0; y < d; y++) {
        size_t end = nmrc_lb_blk0(y, blk) + blk;
        memcpy(sc->data + y + y * sc->ld, out->data + y + y * out->ld,
               (end - y) * sizeof *out->data);
    }
    nmrc_lb_emit(p, ws, sc, out);
}
