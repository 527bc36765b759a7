/*
** resolve.h: state shared by the resolver files (resolve.c: parameters,
** spin system, driver; resolve_terms.c: target, protocol, state, noise,
** readout, sequence, compile options).  Internal to compiler/.
*/
#ifndef NMRC_RESOLVE_H
#define NMRC_RESOLVE_H

#include "core/defs.h"

#include "ast.h"

typedef struct nmrc_rctx {
    nmrc_spec *spec;
    nmrc_model *m;
    nmrc_ptable pt;
    size_t cap_couplings, cap_terms, cap_noise, cap_uevents;
    nmrc_span seen[NMRC_ST_NKINDS];     /* first occurrence of singleton statements */
    int extra_spins;                    /* spins declared beyond NMRC_MAX_SPINS */
    int charge_time;                    /* charge block has a time grid */
    size_t loop_stack[NMRC_MAX_REPEAT_DEPTH + 1]; /* open LOOP_BEGIN events */
    int loop_depth;
    nmrc_jform homonuclear;             /* `homonuclear strong|weak`, or DEFAULT */
    int kelvin;                         /* temperature was given in K (converted at the end) */
    nmrc_span kelvin_span;              /* its value */
    int oom;
} nmrc_rctx;

/* Evaluates arg k of statement st expecting dimension `dim`; a
** dimensionless value is accepted for `bare` (NMRC_DIM_NONE means none)
** and scaled by bare_scale.  Returns 0 and sets *out, or -1 (diagnosed). */
NMRC_INTERNAL int nmrc_r_value(nmrc_rctx *r, const nmrc_stmt *st, size_t k, nmrc_dim dim, double bare_scale,
                 const char *what, double *out);

/* Evaluates a dimensionless integer in [lo, hi]; -1 on error. */
NMRC_INTERNAL int nmrc_r_count(nmrc_rctx *r, const nmrc_stmt *st, size_t k, double lo, double hi,
                 const char *what, size_t *out);

/* Spin index of name k of st, or -1 (diagnosed: unknown spin). */
NMRC_INTERNAL int nmrc_r_spin(nmrc_rctx *r, const nmrc_stmt *st, size_t k);

/* A spin pair of a pair set, in the order written (a first). */
typedef struct nmrc_rpair {
    int a, b;
} nmrc_rpair;
#define NMRC_MAX_PAIRS (NMRC_MAX_SPINS * (NMRC_MAX_SPINS - 1) / 2)

/* Expands the pair set of st (`A B`, `chain(...)`, ...: nmrc_stmt.pairs)
** into spin pairs in out[NMRC_MAX_PAIRS]; returns their number, or -1
** after a diagnostic (unknown spin, a spin listed twice, too few spins, or
** for `A B` the same spin twice, reported as `self_msg`). */
NMRC_INTERNAL int nmrc_r_pairs(nmrc_rctx *r, const nmrc_stmt *st, const char *self_msg,
                               nmrc_rpair *out);

/* Resolves the spin system: spins, field, shifts and carriers, couplings
** (resolve_system.c). */
NMRC_INTERNAL void nmrc_r_system(nmrc_rctx *r);

/* Reports a repeated singleton statement; returns -1 if st repeats one. */
NMRC_INTERNAL int nmrc_r_once(nmrc_rctx *r, const nmrc_stmt *st, const char *what);

/* Span of arg k of st (or the statement's span if absent). */
NMRC_INTERNAL nmrc_span nmrc_r_argspan(const nmrc_rctx *r, const nmrc_stmt *st, size_t k);

/* Resolves one statement outside the system block (resolve_terms.c). */
NMRC_INTERNAL void nmrc_r_stmt(nmrc_rctx *r, const nmrc_stmt *st);

/* Sequence events and compile options (resolve_seq.c); ignore other kinds. */
NMRC_INTERNAL void nmrc_r_sequence(nmrc_rctx *r, const nmrc_stmt *st);
NMRC_INTERNAL void nmrc_r_compile(nmrc_rctx *r, const nmrc_stmt *st);

/* Converts a temperature given in kelvin into units of omega, now that
** omega is known (resolve_terms.c). */
NMRC_INTERNAL void nmrc_r_kelvin(nmrc_rctx *r);

/* Checks done after all statements (resolve_seq.c). */
NMRC_INTERNAL void nmrc_r_finish(nmrc_rctx *r);

#endif /* NMRC_RESOLVE_H */
