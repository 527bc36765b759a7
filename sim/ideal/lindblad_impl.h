/*
** lindblad_impl.h: internals shared by the Lindblad files (plan building in
** lindblad_plan.c, the matrix-form generator and Taylor integrator in
** lindblad_rhs.c, workspaces, checks and the exact propagator in
** lindblad.c, the Cholesky factorization in lindblad_chol.c).  Not installed; nothing outside sim/lindblad*.c uses it.
**
** Mask form: an operator A with A[x, x ^ m] = v[x] for one bit mask m (every
** single-spin Pauli, sigma^+/-, every Pauli string) is stored as (m, v);
** a sum of such terms is a list.  A product A rho then costs O(d^2) per mask
** instead of a dense gemm's O(d^3).
**
** Blocks: the generator moves an entry (x, y) only by masks, so x ^ y stays
** in a coset of the GF(2) span G of the H masks and of a ^ b for jump mask
** pairs.  The plan relabels the basis linearly (perm) so that x ^ y in G
** means equal top bits: a state inside G is block diagonal with blocks of
** size blk, and the integrators work in that basis on the blocks only.
*/
#ifndef NMRC_LINDBLAD_IMPL_H
#define NMRC_LINDBLAD_IMPL_H

#include "core/defs.h"

#include <lapacke.h>

#include "nmrc/linalg.h"
#include "nmrc/sim.h"

typedef struct lb_mask {
    size_t mask;
    nmrc_cplx *v;             /* d values, v[x] = A[x, x ^ mask] */
    int constant;             /* jumps: every v[x] equals v[0] (Pauli X) */
} lb_mask;

/* One collapse operator scaled by sqrt(rate): masks, or dense when it has
** too many masks to pay off. */
typedef struct lb_jump {
    size_t n_masks;
    lb_mask *m;
    nmrc_cmat *dense;         /* non-NULL: use gemm */
} lb_jump;

struct nmrc_lindblad_plan {
    size_t n_spins, d;
    nmrc_lindblad_method method;
    nmrc_lindblad_opts opts;
    /* H_eff = H - (i/2) sum rate L^+ L: masks, or dense for the gemm path */
    size_t n_hmasks;
    lb_mask *hm;
    nmrc_cmat *heff;          /* non-NULL: dense path */
    size_t n_jumps;
    lb_jump *jumps;
    int need_scratch;         /* some dense jump needs a d x d scratch */
    double gen_norm;          /* upper bound on the generator's norm */
    /* field of values of the dissipator: Re in [jump_re_lo, jump_re_hi],
    ** |Im| <= jump_im; CHEBYSHEV: rectangle centre c, half widths a (real)
    ** and w (imaginary), ellipse parameter r */
    double jump_re_lo, jump_re_hi, jump_im;
    double cheb_c, cheb_a, cheb_w, cheb_r;
    nmrc_cmat *liou;          /* EXACT: the d^2 x d^2 Liouvillian */
    /* Blocks (TAYLOR, CHEBYSHEV with mask-form H and jumps): masks and
    ** values above are in the relabelled basis x' = perm[x] (iperm its
    ** inverse; both NULL when no relabelling); blk = block size (d: none). */
    size_t *perm, *iperm;
    size_t blk;
};

struct nmrc_lindblad_ws {
    size_t d;
    double t;                 /* current time */
    const nmrc_lindblad_plan *owner; /* plan of the last nmrc_lindblad_init (NULL: none) */
    double tau;               /* TAYLOR: next step size */
    double *bessel;           /* CHEBYSHEV: (MAXOUT + 1) x (KMAX + 1) coefficients */
    double *bessel_scale;     /* CHEBYSHEV: MAXOUT decay factors */
    int *cheb_kj;             /* CHEBYSHEV: MAXOUT terms each output needs */
    int tune_calls;           /* OpenMP tuning (lindblad_rhs.c): calls to the next
                              ** measurement (0, -1: measuring) */
    int tune_nt, tune_period;
    double tune_t[2];
    size_t blk;               /* block size of the current state (p->blk or d) */
    nmrc_cmat *S, *term, *next, *backup, *scratch;
    nmrc_cmat *chk;           /* relabelled CHEBYSHEV plans: scratch of outputs and
                              ** checks (its backup must stay zero outside the blocks) */
    /* EXACT */
    nmrc_expm_ws *ews;
    nmrc_cmat *Ldt, *P;
    double cached_dt;
};

/* The generator kernels, the output passes and the Cholesky panels get an
** AVX2 clone picked at load time (GCC/clang target_clones on x86-64; the
** generator about 20% faster on the N = 8 chain, the Cholesky panels 2x);
** the portable build stays the default. */
#if defined(__x86_64__) && defined(__has_attribute) && !defined(NMRC_NO_CLONES)
#if __has_attribute(target_clones)
#define NMRC_LB_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif
#ifndef NMRC_LB_CLONES
#define NMRC_LB_CLONES
#endif
/* The per-run loops must be inlined into each clone to be vectorized. */
#if defined(__GNUC__)
#define NMRC_LB_INLINE inline __attribute__((always_inline))
#else
#define NMRC_LB_INLINE inline
#endif

#define NMRC_LB_MAXOUT 40        /* output times served by one step */
#define NMRC_LB_CHEB_KMAX 200     /* Chebyshev terms per step, at most */
#define NMRC_LB_CHEB_X 30.0       /* Chebyshev step: tau * W */

/* CHEBYSHEV planning: the spectral enclosure (Lanczos on H). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_lb_cheb_plan(nmrc_lindblad_plan *p);

/* Chebyshev integration; contract as nmrc_lb_taylor. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_lb_cheb(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const double *tq,
                         size_t nq, nmrc_cmat *outq, nmrc_ctx *ctx);

/* out = generator applied to rho (matrix form; out must not alias rho),
** using ws's scratch and thread tuning.  herm = 1 promises a Hermitian rho:
** then only the lower triangle is computed and mirrored (half the work,
** exactly Hermitian result). */
NMRC_INTERNAL void nmrc_lb_rhs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const nmrc_cmat *rho,
                 nmrc_cmat *out, int herm);

/* As nmrc_lb_rhs, out = alpha f(rho) (scaled column by column while in cache). */
NMRC_INTERNAL void nmrc_lb_rhs_scaled(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const nmrc_cmat *rho,
                        nmrc_cmat *out, int herm, double alpha);

/* First row of the block holding row/column y (blk a power of two). */
static inline size_t nmrc_lb_blk0(size_t y, size_t blk) { return y & ~(blk - 1); }

/* Scratch for outputs and checks between steps: ws->chk, else ws->backup
** (TAYLOR, CHEBYSHEV), else ws->next (EXACT). */
NMRC_INTERNAL nmrc_cmat *nmrc_lb_out_scratch(nmrc_lindblad_ws *ws);

/* Writes out (caller's, original basis, all entries) from src, which holds
** the state in the relabelled basis (lower triangles of the diagonal
** blocks of size ws->blk are read; src may be ws->S).  src != out. */
NMRC_INTERNAL void nmrc_lb_emit(const nmrc_lindblad_plan *p, const nmrc_lindblad_ws *ws, const nmrc_cmat *src,
                  nmrc_cmat *out);

/* An output accumulated in place in the relabelled basis (lower triangles
** of the blocks valid) becomes the full state in the original basis. */
NMRC_INTERNAL void nmrc_lb_finalize(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, nmrc_cmat *out);

/* Taylor integration from ws->t to tq[nq-1], writing rho(tq[j]) into outq[j]
** (tq nondecreasing, tq[0] >= ws->t).  Checks each output. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_lb_taylor(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws, const double *tq,
                           size_t nq, nmrc_cmat *outq, nmrc_ctx *ctx);

/* Orders up to this are factored on the calling thread (lindblad_chol.c). */
#define NMRC_LB_CHOL_OWN_MAX 512

/* Lower Cholesky factor of the n x n Hermitian matrix a (leading dimension
** ld; lower triangle read and overwritten, upper clobbered).  Returns 0, or
** the 1-based column where a leading minor is not positive (as zpotrf). */
NMRC_INTERNAL lapack_int nmrc_lb_cholesky(nmrc_cplx *a, size_t ld, size_t n);

/* Largest dim whose every output gets the O(dim^3) positivity test under
** check_positivity = 1; above it only the last output of a call does. */
#define NMRC_LB_POS_EVERY_MAX 1024

/* Checks a state: finite, Hermitian, trace one and positive (as
** check_positivity and `last` say: 0 an intermediate output, 1 the last
** output of a call, 2 the initial state, always tested) within the plan's
** check_tol.  scratch is d x d.  `fail` with detail naming `what`
** and time t otherwise. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_lb_check(const nmrc_lindblad_plan *p, const nmrc_cmat *rho, nmrc_cmat *scratch,
                          double t, const char *what, nmrc_status fail, int last,
                          nmrc_ctx *ctx);

#endif /* NMRC_LINDBLAD_IMPL_H */
