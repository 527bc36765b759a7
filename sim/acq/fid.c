/*
** fid.c: acquisition.  The FID is synthesized exactly as a sum of damped
** complex exponentials: the Hamiltonian is split into blocks of conserved
** magnetization per species, each block is diagonalized once (plan), and the
** state's detectable coherences in the eigenbasis give the amplitudes
** (execute).  No time stepping.  What is exact: docs/fid.md.
*/
#include <complex.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fid_impl.h"
#include "nmrc/linalg.h"

#define FID_CHUNK 512           /* points between exact re-seeds of the recurrence */
#define FID_BATCH 16            /* transitions advanced together */
#define FID_DTOL 1e-13          /* |<n|D|m>| below this (D entries are 0/1) is zero */
#define FID_ZTOL 1e-12          /* off-diagonal V^+ Z V below this counts as diagonal */

/* Sign (+1 up, -1 down) of spin i in basis state a; spin 0 is the MSB. */
static int spin_sign(size_t a, size_t i, size_t n)
{
    return (a >> (n - 1 - i)) & 1u ? -1 : 1;
}

/* Conserved-magnetization key of basis state a: down spins per species in
** mixed radix (N + 1). */
static size_t block_key(size_t a, size_t n, const int *species)
{
    size_t key = 0;
    for (size_t i = 0; i < n; i++) {
        if (spin_sign(a, i, n) > 0)
            continue;
        size_t s = species ? (size_t)species[i] : 0, w = 1;
        for (size_t k = 0; k < s; k++)
            w *= n + 1;
        key += w;
    }
    return key;
}

typedef struct fid_key {
    size_t key, index;
} fid_key;

static int cmp_key(const void *x, const void *y)
{
    const fid_key *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Sorts basis states by key and cuts blocks of equal key.  Falls back to
** one block when h couples states of different keys. */
static NMRC_NODISCARD nmrc_status make_blocks(nmrc_fid_plan *p, const nmrc_cmat *h, const int *species)
{
    size_t d = p->dim, n = p->n_spins;
    fid_key *key = malloc(d * sizeof *key);
    p->blocks = malloc(d * sizeof *p->blocks);
    if (!key || !p->blocks) {
        free(key);
        return NMRC_ENOMEM;
    }
    for (size_t a = 0; a < d; a++)
        key[a] = (fid_key){block_key(a, n, species), a};
    int coupled = 0;
    for (size_t a = 0; a < d && !coupled; a++)
        for (size_t b = 0; b < d; b++)
            if (key[a].key != key[b].key && NMRC_CMAT_AT(h, a, b) != 0) {
                coupled = 1;
                break;
            }
    for (size_t a = 0; a < d && coupled; a++)
        key[a].key = 0;
    qsort(key, d, sizeof *key, cmp_key);
    for (size_t j = 0; j < d; j++) {
        p->perm[j] = key[j].index;
        p->pos[key[j].index] = j;
        if (j == 0 || key[j].key != key[j - 1].key)
            p->blocks[p->n_blocks++] = (fid_block){j, 0, NULL};
        p->blocks[p->n_blocks - 1].n++;
        p->blk[key[j].index] = p->n_blocks - 1;
    }
    free(key);
    return NMRC_OK;
}

/* Diagonalizes block b of h (left as identity when already diagonal). */
static NMRC_NODISCARD nmrc_status diag_block(nmrc_fid_plan *p, size_t b, const nmrc_cmat *h)
{
    fid_block *bl = &p->blocks[b];
    const size_t *idx = p->perm + bl->start;
    int diagonal = 1;
    for (size_t j = 0; j < bl->n && diagonal; j++)
        for (size_t i = 0; i < bl->n; i++)
            if (i != j && NMRC_CMAT_AT(h, idx[i], idx[j]) != 0) {
                diagonal = 0;
                break;
            }
    if (diagonal) {
        for (size_t j = 0; j < bl->n; j++)
            p->e[bl->start + j] = creal(NMRC_CMAT_AT(h, idx[j], idx[j]));
        return NMRC_OK;
    }
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(bl->n);
    bl->v = malloc(bl->n * bl->n * sizeof *bl->v);
    if (!ws || !bl->v) {
        nmrc_eigh_ws_destroy(ws);
        return NMRC_ENOMEM;
    }
    for (size_t j = 0; j < bl->n; j++)
        for (size_t i = 0; i < bl->n; i++)
            bl->v[i + j * bl->n] = NMRC_CMAT_AT(h, idx[i], idx[j]);
    nmrc_cmat V = nmrc_cmat_view(bl->v, bl->n, bl->n, bl->n);
    nmrc_status st = nmrc_eigh(&V, p->e + bl->start, ws);
    nmrc_eigh_ws_destroy(ws);
    return st;
}

/* Lists the distinct block pairs (K, K') that detection connects: a state
** a of K with an observed spin down, and a with that spin raised in K'. */
static NMRC_NODISCARD nmrc_status find_pairs(nmrc_fid_plan *p, unsigned observe)
{
    size_t n = p->n_spins;
    p->pairs = malloc(p->dim * n * sizeof *p->pairs);
    if (!p->pairs)
        return NMRC_ENOMEM;
    for (size_t k = 0; k < p->n_blocks; k++) {
        size_t first = p->n_pairs;  /* pairs of block k start here */
        const fid_block *bl = &p->blocks[k];
        for (size_t j = 0; j < bl->n; j++) {
            size_t a = p->perm[bl->start + j];
            for (size_t i = 0; i < n; i++) {
                if (!(observe >> i & 1u) || spin_sign(a, i, n) > 0)
                    continue;
                size_t kp = p->blk[a & ~((size_t)1 << (n - 1 - i))], q = first;
                while (q < p->n_pairs && p->pairs[q].kp != kp)
                    q++;
                if (q == p->n_pairs)
                    p->pairs[p->n_pairs++] = (fid_pair){k, kp, NULL};
            }
        }
    }
    return NMRC_OK;
}

void nmrc_fidi_block_z(const nmrc_fid_plan *p, size_t b, size_t i, nmrc_cplx *z, nmrc_cplx *t)
{
    const fid_block *bl = &p->blocks[b];
    size_t nb = bl->n;
    if (!bl->v) {
        memset(z, 0, nb * nb * sizeof *z);
        for (size_t c = 0; c < nb; c++)
            z[c + c * nb] = spin_sign(p->perm[bl->start + c], i, p->n_spins);
        return;
    }
    for (size_t c = 0; c < nb; c++)
        for (size_t r = 0; r < nb; r++)
            t[r + c * nb] = spin_sign(p->perm[bl->start + r], i, p->n_spins) * bl->v[r + c * nb];
    nmrc_cmat V = nmrc_cmat_view(bl->v, nb, nb, nb), T = nmrc_cmat_view(t, nb, nb, nb);
    nmrc_cmat Z = nmrc_cmat_view(z, nb, nb, nb);
    NMRC_CHECKED(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, &V, &T, 0.0, &Z));
}

/* Writes diag <m|Z_i|m> of every spin for block b into zd[i * n + m]
** (n = block size) and returns 1 when Z_i of every relaxing spin is
** diagonal in the block's eigenbasis. */
static int block_zdiag(const nmrc_fid_plan *p, size_t b, const double *gam, double *zd,
                       nmrc_cplx *z, nmrc_cplx *t)
{
    const fid_block *bl = &p->blocks[b];
    int ok = 1;
    for (size_t i = 0; i < p->n_spins; i++) {
        if (!bl->v) {
            for (size_t m = 0; m < bl->n; m++)
                zd[i * bl->n + m] = spin_sign(p->perm[bl->start + m], i, p->n_spins);
            continue;
        }
        nmrc_fidi_block_z(p, b, i, z, t);
        for (size_t c = 0; c < bl->n; c++) {
            zd[i * bl->n + c] = creal(z[c + c * bl->n]);
            for (size_t r = 0; r < bl->n && gam[i] > 0; r++)
                if (r != c && cabs(z[r + c * bl->n]) > FID_ZTOL)
                    ok = 0;
        }
    }
    return ok;
}

/* D~ = V_K'^+ D_{K'K} V_K for pair q into dt (|K'| x |K|), using t. */
static void pair_detect(const nmrc_fid_plan *p, const fid_pair *q, unsigned observe,
                        nmrc_cplx *dt, nmrc_cplx *t)
{
    const fid_block *K = &p->blocks[q->k], *Kp = &p->blocks[q->kp];
    size_t n = p->n_spins;
    memset(dt, 0, K->n * Kp->n * sizeof *dt);
    for (size_t m = 0; m < K->n; m++) {
        size_t a = p->perm[K->start + m];
        for (size_t i = 0; i < n; i++) {
            size_t b = a & ~((size_t)1 << (n - 1 - i));
            if ((observe >> i & 1u) && b != a && p->blk[b] == q->kp)
                dt[(p->pos[b] - Kp->start) + m * Kp->n] += 1.0;
        }
    }
    nmrc_cmat D = nmrc_cmat_view(dt, Kp->n, K->n, Kp->n);
    nmrc_cmat T = nmrc_cmat_view(t, Kp->n, K->n, Kp->n);
    if (K->v) {
        nmrc_cmat V = nmrc_cmat_view(K->v, K->n, K->n, K->n);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &D, &V, 0.0, &T));
        memcpy(dt, t, K->n * Kp->n * sizeof *dt);
    }
    if (Kp->v) {
        nmrc_cmat V = nmrc_cmat_view(Kp->v, Kp->n, Kp->n, Kp->n);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, &V, &D, 0.0, &T));
        memcpy(dt, t, K->n * Kp->n * sizeof *dt);
    }
}

nmrc_status nmrc_fidi_push(nmrc_fid_plan *p, size_t *cap, const fid_tr *tr)
{
    if (p->n_tr == *cap) {
        size_t nc = *cap ? 2 * *cap : 256;
        fid_tr *nt = realloc(p->tr, nc * sizeof *nt);
        if (!nt)
            return NMRC_ENOMEM;
        p->tr = nt;
        *cap = nc;
    }
    p->tr[p->n_tr++] = *tr;
    return NMRC_OK;
}

/* Appends the Hermitian-route transitions of pair q: frequency E_n - E_m,
** decay sum_i gamma_i (1 - z_i(m) z_i(n)) (exact when the dephasing is
** diagonal in the eigenbasis, else the secular approximation), amplitude
** factor <n|D|m>. */
static NMRC_NODISCARD nmrc_status push_hermitian(nmrc_fid_plan *p, size_t q, const double *gam,
                                  const nmrc_cplx *dt, const double *zk, const double *zkp,
                                  size_t *cap)
{
    const fid_block *K = &p->blocks[p->pairs[q].k], *Kp = &p->blocks[p->pairs[q].kp];
    for (size_t m = 0; m < K->n; m++)
        for (size_t n = 0; n < Kp->n; n++) {
            nmrc_cplx d = dt[n + m * Kp->n];
            if (cabs(d) <= FID_DTOL)
                continue;
            double g = 0;
            for (size_t i = 0; i < p->n_spins; i++)
                g += gam[i] * (1.0 - zk[i * K->n + m] * zkp[i * Kp->n + n]);
            double w = p->e[Kp->start + n] - p->e[K->start + m];
            g = g < 0 ? 0 : g;
            fid_tr tr = {q, m, n, d, cexp((I * w - g) * p->dt), w, g};
            if (nmrc_fidi_push(p, cap, &tr) != NMRC_OK)
                return NMRC_ENOMEM;
        }
    return NMRC_OK;
}

/* Lists the transitions of every pair: the Hermitian route when the T2
** dephasing is diagonal in the pair's eigenbasis, else the pair's
** Liouvillian diagonalized exactly (up to FID_LIOU_MAX coherences), else
** the secular decay (plan marked inexact). */
static NMRC_NODISCARD nmrc_status list_transitions(nmrc_fid_plan *p, unsigned observe, const double *gam)
{
    size_t nb = 0, ns = p->n_spins, cap = 0;
    for (size_t b = 0; b < p->n_blocks; b++)
        nb = p->blocks[b].n > nb ? p->blocks[b].n : nb;
    nmrc_cplx *dt = malloc(nb * nb * sizeof *dt), *t = malloc(nb * nb * sizeof *t);
    nmrc_cplx *z = malloc(nb * nb * sizeof *z);
    double *zk = malloc(ns * nb * sizeof *zk), *zkp = malloc(ns * nb * sizeof *zkp);
    nmrc_status st = (dt && t && z && zk && zkp) ? NMRC_OK : NMRC_ENOMEM;
    p->exact = 1;
    for (size_t q = 0; q < p->n_pairs && st == NMRC_OK; q++) {
        const fid_block *K = &p->blocks[p->pairs[q].k], *Kp = &p->blocks[p->pairs[q].kp];
        int ok = block_zdiag(p, p->pairs[q].k, gam, zk, z, t);
        ok &= block_zdiag(p, p->pairs[q].kp, gam, zkp, z, t);
        pair_detect(p, &p->pairs[q], observe, dt, t);
        p->max_pair = K->n * Kp->n > p->max_pair ? K->n * Kp->n : p->max_pair;
        if (!ok && K->n * Kp->n <= FID_LIOU_MAX) {
            st = nmrc_fidi_liou_pair(p, q, gam, dt, &cap);
            if (st == NMRC_OK)
                continue;
            if (st != NMRC_ENUMERIC)
                break;
            st = NMRC_OK;
        }
        p->exact &= ok;
        st = push_hermitian(p, q, gam, dt, zk, zkp, &cap);
    }
    free(dt);
    free(t);
    free(z);
    free(zk);
    free(zkp);
    return st;
}

static NMRC_NODISCARD nmrc_status check_input(const nmrc_fid_system *sys, const nmrc_acq *acq, nmrc_ctx *ctx)
{
    if (!sys || !acq || !sys->h)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: missing system or acquisition");
    if (sys->n_spins < 1 || sys->n_spins > FID_MAX_SPINS)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "fid: %zu spins (1 to %d supported)",
                              sys->n_spins, FID_MAX_SPINS);
    size_t d = (size_t)1 << sys->n_spins;
    if (sys->h->n1 != d || sys->h->n2 != d)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "fid: Hamiltonian is %zux%zu, expected %zux%zu",
                              sys->h->n1, sys->h->n2, d, d);
    if (!(acq->td >= 1) || !(acq->sw_hz > 0) || !isfinite(acq->sw_hz) || !isfinite(acq->rcv_phase))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: need td >= 1 and a finite sw > 0 Hz");
    if (!(acq->observe & ((1u << sys->n_spins) - 1)))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: no observed spin");
    for (size_t i = 0; sys->t2 && i < sys->n_spins; i++)
        if (!(sys->t2[i] >= 0) || !isfinite(sys->t2[i]))
            return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: T2 of spin %zu is %g", i, sys->t2[i]);
    for (size_t a = 0; a < d; a++)
        for (size_t b = 0; b < d; b++) {
            nmrc_cplx x = NMRC_CMAT_AT(sys->h, a, b), y = NMRC_CMAT_AT(sys->h, b, a);
            if (!isfinite(creal(x)) || !isfinite(cimag(x)) ||
                cabs(x - conj(y)) > 1e-12 * (1 + cabs(x)))
                return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: Hamiltonian not Hermitian/finite "
                                      "at (%zu,%zu)", a, b);
        }
    return NMRC_OK;
}

nmrc_status nmrc_fid_plan_create(const nmrc_fid_system *sys, const nmrc_acq *acq,
                                 nmrc_ctx *ctx, nmrc_fid_plan **out)
{
    *out = NULL;
    nmrc_status st = check_input(sys, acq, ctx);
    if (st != NMRC_OK)
        return st;
    nmrc_fid_plan *p = calloc(1, sizeof *p);
    if (!p)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "fid: out of memory");
    p->n_spins = sys->n_spins;
    p->dim = (size_t)1 << sys->n_spins;
    p->td = acq->td;
    p->dt = 1.0 / acq->sw_hz;
    p->rcv_phase = acq->rcv_phase;
    p->perm = malloc(p->dim * sizeof *p->perm);
    p->pos = malloc(p->dim * sizeof *p->pos);
    p->blk = malloc(p->dim * sizeof *p->blk);
    p->e = malloc(p->dim * sizeof *p->e);
    double gam[FID_MAX_SPINS];
    for (size_t i = 0; i < p->n_spins; i++)
        gam[i] = sys->t2 && sys->t2[i] > 0 ? 0.5 / sys->t2[i] : 0.0;
    st = (p->perm && p->pos && p->blk && p->e) ? make_blocks(p, sys->h, sys->species)
                                               : NMRC_ENOMEM;
    for (size_t b = 0; b < p->n_blocks && st == NMRC_OK; b++)
        st = diag_block(p, b, sys->h);
    if (st == NMRC_OK)
        st = find_pairs(p, acq->observe);
    if (st == NMRC_OK)
        st = list_transitions(p, acq->observe, gam);
    if (st != NMRC_OK) {
        nmrc_fid_plan_destroy(p);
        return nmrc_ctx_error(ctx, st, "fid: planning failed (%s)", nmrc_strerror(st));
    }
    *out = p;
    return NMRC_OK;
}

void nmrc_fid_plan_destroy(nmrc_fid_plan *p)
{
    if (!p)
        return;
    for (size_t b = 0; p->blocks && b < p->n_blocks; b++)
        free(p->blocks[b].v);
    for (size_t q = 0; p->pairs && q < p->n_pairs; q++)
        free(p->pairs[q].rinv);
    free(p->blocks);
    free(p->pairs);
    free(p->tr);
    free(p->perm);
    free(p->pos);
    free(p->blk);
    free(p->e);
    free(p);
}

int nmrc_fid_plan_exact(const nmrc_fid_plan *p)
{
    return p ? p->exact : 0;
}

size_t nmrc_fid_plan_transitions(const nmrc_fid_plan *p)
{
    return p ? p->n_tr : 0;
}

nmrc_fid_ws *nmrc_fid_ws_create(const nmrc_fid_plan *p)
{
    nmrc_fid_ws *ws = calloc(1, sizeof *ws);
    if (!ws)
        return NULL;
    size_t mp = p->max_pair ? p->max_pair : 1, nt = p->n_tr ? p->n_tr : 1;
    ws->max_pair = mp;
    ws->n_tr = nt;
    ws->x = malloc(mp * sizeof *ws->x);
    ws->y = malloc(mp * sizeof *ws->y);
    ws->amp = malloc(nt * sizeof *ws->amp);
    ws->live = malloc(nt * sizeof *ws->live);
    ws->accr = malloc(FID_CHUNK * FID_BATCH * sizeof *ws->accr);
    ws->acci = malloc(FID_CHUNK * FID_BATCH * sizeof *ws->acci);
    if (!ws->x || !ws->y || !ws->amp || !ws->live || !ws->accr || !ws->acci) {
        nmrc_fid_ws_destroy(ws);
        return NULL;
    }
    return ws;
}

void nmrc_fid_ws_destroy(nmrc_fid_ws *ws)
{
    if (!ws)
        return;
    free(ws->x);
    free(ws->y);
    free(ws->amp);
    free(ws->live);
    free(ws->accr);
    free(ws->acci);
    free(ws);
}

/* rho~_{K,K'} = V_K^+ rho_{K,K'} V_K' into ws->x (|K| x |K'|). */
static void pair_state(const nmrc_fid_plan *p, const fid_pair *q, const nmrc_cmat *rho,
                       nmrc_fid_ws *ws)
{
    const fid_block *K = &p->blocks[q->k], *Kp = &p->blocks[q->kp];
    for (size_t n = 0; n < Kp->n; n++)
        for (size_t m = 0; m < K->n; m++)
            ws->x[m + n * K->n] = NMRC_CMAT_AT(rho, p->perm[K->start + m], p->perm[Kp->start + n]);
    nmrc_cmat X = nmrc_cmat_view(ws->x, K->n, Kp->n, K->n);
    nmrc_cmat Y = nmrc_cmat_view(ws->y, K->n, Kp->n, K->n);
    if (K->v) {
        nmrc_cmat V = nmrc_cmat_view(K->v, K->n, K->n, K->n);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_C, NMRC_OP_N, 1.0, &V, &X, 0.0, &Y));
        memcpy(ws->x, ws->y, K->n * Kp->n * sizeof *ws->x);
    }
    if (Kp->v) {
        nmrc_cmat V = nmrc_cmat_view(Kp->v, Kp->n, Kp->n, Kp->n);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &X, &V, 0.0, &Y));
        memcpy(ws->x, ws->y, K->n * Kp->n * sizeof *ws->x);
    }
    if (q->rinv) {
        /* Liouville route: coordinates along the pair's Liouvillian eigenvectors. */
        size_t P = K->n * Kp->n;
        nmrc_cmat R = nmrc_cmat_view(q->rinv, P, P, P);
        nmrc_cmat x = nmrc_cmat_view(ws->x, P, 1, P), y = nmrc_cmat_view(ws->y, P, 1, P);
        NMRC_CHECKED(nmrc_gemm(NMRC_OP_N, NMRC_OP_N, 1.0, &R, &x, 0.0, &y));
        memcpy(ws->x, ws->y, P * sizeof *ws->x);
    }
}

/* Adds the live transitions' exponentials to fid, chunk by chunk: each
** chunk starts from the exact value amp e^{lambda t0}; inside it a
** recurrence w <- w r runs for up to FID_CHUNK points, FID_BATCH
** transitions at a time in independent lanes (each lane has its own
** accumulator, so the loop over lanes vectorizes and no sum is serialized);
** the lanes are added at the end of the chunk. */
static void synthesize(const nmrc_fid_plan *p, const nmrc_fid_ws *ws, size_t n_live,
                       nmrc_cplx *fid)
{
    double *accr = ws->accr, *acci = ws->acci;
    for (size_t c0 = 0; c0 < p->td; c0 += FID_CHUNK) {
        size_t len = p->td - c0 < FID_CHUNK ? p->td - c0 : FID_CHUNK;
        double t0 = (double)c0 * p->dt;
        memset(accr, 0, len * FID_BATCH * sizeof *accr);
        memset(acci, 0, len * FID_BATCH * sizeof *acci);
        for (size_t j0 = 0; j0 < n_live; j0 += FID_BATCH) {
            double wr[FID_BATCH] = {0}, wi[FID_BATCH] = {0};
            double rr[FID_BATCH] = {0}, ri[FID_BATCH] = {0};
            for (size_t j = 0; j < FID_BATCH && j0 + j < n_live; j++) {
                size_t t = ws->live[j0 + j];
                const fid_tr *tr = &p->tr[t];
                nmrc_cplx w = ws->amp[t] * exp(-tr->g * t0) *
                              (cos(tr->w * t0) + I * sin(tr->w * t0));
                wr[j] = creal(w);
                wi[j] = cimag(w);
                rr[j] = creal(tr->r);
                ri[j] = cimag(tr->r);
            }
            for (size_t k = 0; k < len; k++) {
                double *ar = accr + k * FID_BATCH, *ai = acci + k * FID_BATCH;
                for (size_t j = 0; j < FID_BATCH; j++) {
                    ar[j] += wr[j];
                    ai[j] += wi[j];
                    double xr = wr[j] * rr[j] - wi[j] * ri[j];
                    wi[j] = wr[j] * ri[j] + wi[j] * rr[j];
                    wr[j] = xr;
                }
            }
        }
        for (size_t k = 0; k < len; k++) {
            double sr = 0, si = 0;
            for (size_t j = 0; j < FID_BATCH; j++) {
                sr += accr[k * FID_BATCH + j];
                si += acci[k * FID_BATCH + j];
            }
            fid[c0 + k] = sr + I * si;
        }
    }
}

nmrc_status nmrc_fid_execute(const nmrc_fid_plan *p, nmrc_fid_ws *ws, const nmrc_cmat *rho,
                             nmrc_cplx *fid)
{
    if (!rho || rho->n1 != p->dim || rho->n2 != p->dim)
        return NMRC_EBADLEN;
    if (ws->max_pair < p->max_pair || ws->n_tr < p->n_tr)
        return NMRC_EINVAL;
    nmrc_cplx rcv = cexp(-I * p->rcv_phase);
    size_t t = 0, n_live = 0;
    for (size_t q = 0; q < p->n_pairs; q++) {
        pair_state(p, &p->pairs[q], rho, ws);
        size_t kn = p->blocks[p->pairs[q].k].n;
        NMRC_ASSERT(p->blocks[p->pairs[q].k].n * p->blocks[p->pairs[q].kp].n <= p->max_pair);
        for (; t < p->n_tr && p->tr[t].pair == q; t++) {
            ws->amp[t] = rcv * p->tr[t].d * ws->x[p->tr[t].m + p->tr[t].n * kn];
            if (ws->amp[t] != 0)
                ws->live[n_live++] = t;
        }
    }
    NMRC_ASSERT(t == p->n_tr && n_live <= p->n_tr); /* transitions sorted by pair */
    synthesize(p, ws, n_live, fid);
    return NMRC_OK;
}

