/*
** nmr_internal.h: shared between the physical-model files sim/nmr_*.c
** (not installed).  Pauli-operator builders on the 2^n basis (spin 0 = most
** significant bit, |0> = up) and the plan/workspace layout that planning
** (nmr_plan.c) fills and execution (nmr_exec.c) walks.
*/
#ifndef NMRC_NMR_INTERNAL_H
#define NMRC_NMR_INTERNAL_H

#include "core/defs.h"

#include "nmrc/linalg.h"
#include "nmrc/nmr.h"
#include "nmrc/consts.h"


/* H += sum_ab T[3a+b] sigma_a(i) sigma_b(j) (a, b in x, y, z); i != j. */
NMRC_INTERNAL void nmrc_nmri_add_pair(nmrc_cmat *H, size_t n_spins, int i, int j, const double T[9]);

/* H += cx X_i + cy Y_i + cz Z_i. */
NMRC_INTERNAL void nmrc_nmri_add_local(nmrc_cmat *H, size_t n_spins, int i, double cx, double cy, double cz);

/* S += superoperator of X -> c A X B, i.e. c (B^T (x) A), for d x d A, B and
** d^2 x d^2 S. */
NMRC_INTERNAL void nmrc_nmri_add_sandwich(nmrc_cmat *S, nmrc_cplx c, const nmrc_cmat *A, const nmrc_cmat *B);

/* Value of Z_i on basis state k: +1 if spin i is up (bit 0), else -1. */
static inline int nmrc_nmri_zval(size_t k, size_t n_spins, int i)
{
    return ((k >> (n_spins - 1 - (size_t)i)) & 1u) ? -1 : 1;
}

typedef enum nmri_step_kind {
    NMRI_STEP_PROP,             /* apply cached propagator `prop` */
    NMRI_STEP_DIAG,             /* multiply rho_kl by d_k conj(d_l), d = diag[diag] */
    NMRI_STEP_GRAD,             /* gradient: rho_kl *= exp(-i z (g_k - g_l)), g = diag[diag] */
    NMRI_STEP_LOOP,             /* repeat the steps up to `match` count times */
    NMRI_STEP_END,              /* end of the loop opened at `match` */
    NMRI_STEP_RELAX             /* exact single-spin T1/T2 maps; diag[3i..3i+2] = e1, e2, p */
} nmri_step_kind;

typedef struct nmri_step {
    nmri_step_kind kind;
    size_t prop;                /* PROP: index into plan->props */
    size_t diag;                /* DIAG/GRAD: index into plan->diags (dim values each) */
    size_t count;               /* LOOP: repetitions */
    size_t match;               /* LOOP: index of its END; END: index of its LOOP */
} nmri_step;

/* One program: the steps of one (B1 node, experiment, scan). */
typedef struct nmri_prog {
    size_t n, cap;
    nmri_step *steps;
} nmri_prog;

#define NMRI_MAX_DEPTH 32       /* loop nesting */

struct nmrc_nmr_plan {
    nmrc_nmr_system sys;
    size_t dim;                 /* 2^n */
    int super;                  /* propagators are dim^2 x dim^2 superoperators */
    int split;                  /* relaxation by Strang splitting (large N) */
    size_t n_props, cap_props;
    nmrc_cmat **props;          /* cached propagators */
    size_t n_folds, cap_folds;
    void *folds;                /* folded-loop cache (nmr_fold.c) */
    void *keys;                 /* cache keys (nmr_plan.c) */
    size_t n_diags, cap_diags;
    nmrc_cplx *diags;           /* n_diags blocks of dim values (complex phases or g) */
    size_t n_nodes, n_exps, n_scans, n_slices;
    double node_w[NMRC_NMR_MAX_B1_NODES];
    double *exp_w;              /* n_exps weights */
    double *slice_z, *slice_w;  /* n_slices positions (m) and weights */
    double *rec_phase;          /* n_scans receiver phases */
    nmri_prog *progs;           /* n_nodes * n_exps * n_scans, index (node*n_exps+exp)*n_scans+scan */
    unsigned observed;          /* spins of the acquired channel */
    int has_gradient;
    double duration;            /* s */
};

struct nmrc_nmr_ws {
    size_t dim;
    nmrc_cmat *a, *b, *tmp;     /* dim x dim scratch */
    nmrc_cmat *acc;             /* dim x dim accumulator */
    nmrc_cplx *vec;             /* dim^2 scratch (super mode) */
    nmrc_cplx *ph;              /* dim phases */
    size_t stack_i[NMRI_MAX_DEPTH];
    size_t stack_n[NMRI_MAX_DEPTH];
};

/* Cache key of a propagator: everything that determines it. */
typedef struct nmri_key {
    int kind;                   /* NMRI_KEY_* */
    int shape, channel;         /* SHAPED */
    double t;                   /* duration, s */
    double nu[NMRC_SEQ_MAX_CHANNELS];    /* RF amplitude, Hz (scaled) */
    double ph[NMRC_SEQ_MAX_CHANNELS];    /* phase, rad in [0, 2 pi) */
    double on[NMRC_SEQ_MAX_CHANNELS];    /* channel on-time from the event start, s */
    double theta[NMRC_SEQ_MAX_CHANNELS]; /* delta pulse angle (scaled) */
    double scale;               /* SHAPED: amplitude scale */
} nmri_key;

enum { NMRI_KEY_DELAY = 1, NMRI_KEY_RECT, NMRI_KEY_DELTA, NMRI_KEY_SHAPED };

/* Planning context: what every helper needs. */
typedef struct nmri_planner {
    nmrc_nmr_plan *plan;
    const nmrc_seq *seq;
    const nmrc_nmr_options *opt;
    nmrc_ctx *ctx;
    unsigned chmask[NMRC_SEQ_MAX_CHANNELS];
    nmrc_cmat *hnat;            /* natural Hamiltonian */
    nmrc_cmat *h, *u, *ud;      /* dim x dim scratch */
    nmrc_cmat *seg, *tmp;       /* propagator-size scratch */
    nmrc_cmat *lsup;            /* Liouvillian scratch (super mode) */
    nmrc_cmat *hn;              /* dim x dim: H without offsets (split mode norms) */
    nmrc_eigh_ws *eig;
    nmrc_expm_ws *expm;
    size_t node, exp, scan;
    nmri_prog *prog;
} nmri_planner;

/* Appends step st to the current program.  NMRC_OK or NMRC_ENOMEM. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_push_step(nmri_planner *pl, nmri_step st);

/* Appends a block of dim values to plan->diags, its index in *idx. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_new_diag(nmrc_nmr_plan *plan, size_t *idx);

/* Appends U (owned by the plan from now on) to the propagator cache with
** key `key` (an nmri_key; NULL = never looked up); its index in *idx. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_add_prop(nmrc_nmr_plan *plan, nmrc_cmat *U, const void *key, size_t *idx);

/* Frees the folded-loop cache of a plan. */
NMRC_INTERNAL void nmrc_nmri_folds_free(nmrc_nmr_plan *plan);

/* If block *idx (the last one) equals an earlier block, drops it and sets
** *idx to the earlier one (so identical programs share their steps). */
NMRC_INTERNAL void nmrc_nmri_intern_diag(nmrc_nmr_plan *plan, size_t *idx);

/* Replaces every loop of prog whose body has only propagators and
** virtual-Z phases by one cached propagator (the body's product raised to
** the loop count by repeated squaring), innermost first.  Planning only. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_fold_loops(nmri_planner *pl, nmri_prog *prog);

/* Appends the steps that propagate through the event described by k: one
** cached propagator, or in split mode (relaxation above the Liouville
** limit) the Strang splitting of each constant piece. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_emit_prop(nmri_planner *pl, const nmri_key *k);

/* As nmrc_nmri_emit_prop for free evolution of t seconds (nothing if t <= 0). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_nmri_emit_delay(nmri_planner *pl, double t);

#endif /* NMRC_NMR_INTERNAL_H */
