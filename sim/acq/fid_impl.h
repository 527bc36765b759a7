/*
** fid_impl.h: private to the FID synthesis (sim/fid.c, sim/fid_liou.c): the
** plan's blocks, block pairs and transitions, and the exact Liouville
** treatment of a block pair whose T2 dephasing is not diagonal.
*/
#ifndef NMRC_FID_IMPL_H
#define NMRC_FID_IMPL_H

#include "core/defs.h"

#include "nmrc/fid.h"

#define FID_MAX_SPINS NMRC_NMR_MAX_SPINS
#define FID_LIOU_MAX 576        /* largest block pair diagonalized as a Liouvillian */

typedef struct fid_block {
    size_t start, n;            /* positions start..start+n-1 of the sorted basis */
    nmrc_cplx *v;               /* n x n eigenvectors, NULL when the block is diagonal */
} fid_block;

typedef struct fid_pair {
    size_t k, kp;               /* ket-side block K (index m), bra-side block K' (index n) */
    nmrc_cplx *rinv;            /* P x P inverse eigenvector matrix of the pair's
                                ** Liouvillian (P = |K||K'|), NULL for the Hermitian route */
} fid_pair;

typedef struct fid_tr {
    size_t pair, m, n;          /* coherence |m><n| of the pair's blocks */
    nmrc_cplx d;                /* <n|D|m> */
    nmrc_cplx r;                /* exp(lambda dt), lambda = i w - g */
    double w, g;                /* frequency rad/s, decay 1/s */
} fid_tr;

struct nmrc_fid_plan {
    size_t n_spins, dim, td;
    double dt, rcv_phase;
    size_t *perm;               /* sorted position -> basis index */
    size_t *pos;                /* basis index -> sorted position */
    size_t *blk;                /* basis index -> block */
    double *e;                  /* eigenvalue at each sorted position */
    size_t n_blocks, n_pairs, n_tr, max_pair;
    fid_block *blocks;
    fid_pair *pairs;
    fid_tr *tr;
    int exact;
};

struct nmrc_fid_ws {
    size_t max_pair, n_tr;      /* sizes of the plan it was made for */
    nmrc_cplx *x, *y;           /* max_pair scratch each */
    nmrc_cplx *amp;             /* n_tr amplitudes */
    size_t *live;               /* indices of nonzero amplitudes */
    double *accr, *acci;        /* FID_CHUNK x FID_BATCH lane accumulators */
};

/* Exact route for pair q with dephasing not diagonal in the eigenbasis:
** builds the pair's Liouvillian in the eigenbasis (frequencies E_n - E_m and
** sum_i gamma_i (Z~_i,K rho Z~_i,K' - rho)), diagonalizes it with zgeev,
** stores R^-1 in the pair and appends one transition per eigenvalue with
** amplitude factor sum_mn D~_nm R_(mn),k.  dt is D~ (|K'| x |K|).  Returns
** NMRC_OK, NMRC_ENOMEM, or NMRC_ENUMERIC when the eigenvectors are too
** ill-conditioned (the caller then uses the secular decay). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_fidi_liou_pair(nmrc_fid_plan *p, size_t q, const double *gam,
                                const nmrc_cplx *dt, size_t *cap);

/* Appends a transition; grows p->tr (capacity *cap).  NMRC_ENOMEM. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_fidi_push(nmrc_fid_plan *p, size_t *cap, const fid_tr *tr);

/* <m|Z_i|m'> within block b into z (n x n) as V^+ Z_i V; t is n x n scratch. */
NMRC_INTERNAL void nmrc_fidi_block_z(const nmrc_fid_plan *p, size_t b, size_t i, nmrc_cplx *z, nmrc_cplx *t);

#endif /* NMRC_FID_IMPL_H */
