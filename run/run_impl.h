/*
** run_impl.h (private to run/): what the run module's files share: the
** input handle's contents, matrix-level versions of the public calls
** (nmrc_cmat instead of flat arrays), the compiled experiment of a model and
** the error helpers.
*/
#ifndef NMRC_RUN_IMPL_H
#define NMRC_RUN_IMPL_H

#include "core/defs.h"
#include "nmrc/run.h"
#include "nmrc/spec.h"

struct nmrc_run_input {
    char *path;                 /* the input file as given */
    char *spin_path;            /* the .spin file read (path, or the XML's spin system), or NULL */
    char **sets;                /* NAME=VALUE overrides, copied */
    size_t n_sets;
    int xml;                    /* path ends in .xml */
    nmrc_spec *spec;            /* parsed spin_path with the overrides, or NULL */
    nmrc_model *model;          /* resolved spec, NULL if unresolved or no spec */
    nmrc_seq *seq;              /* the XML program (nmrc_run_load_sequence), or NULL */
};

/* Parses the input's .spin file again with its overrides into a new spec
** (caller owns): sweeps and map threads work on their own copy. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_spec_copy_(const nmrc_run_input *in,
                                                             nmrc_ctx *ctx, nmrc_spec **out);

/* Resolves spec into *out; on failure the ctx message is the diagnostics
** text (NMRC_ESYNTAX) or the resolver's message.  Clears the diagnostics. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_resolve_spec_(nmrc_spec *spec, nmrc_ctx *ctx,
                                                                nmrc_model **out);

/* Returns a new dim x dim matrix holding the model's target Hamiltonian, or
** NULL with the reason ("Hamiltonian: ...") in ctx. */
NMRC_INTERNAL nmrc_cmat *nmrc_run_hamiltonian_new_(const nmrc_model *m, nmrc_ctx *ctx);

/* Matrix versions of nmrc_run_initial_state (H: the model's Hamiltonian)
** and nmrc_run_charge. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_initial_state_(const nmrc_model *m,
                                                                 const nmrc_cmat *H, nmrc_ctx *ctx,
                                                                 nmrc_cmat *rho);
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_charge_(const nmrc_model *m,
                                                          const nmrc_cmat *rho0, double t,
                                                          nmrc_ctx *ctx, nmrc_cmat *rho);

/* Time k of a grid: start + (stop - start) k / (n - 1), start for n < 2. */
NMRC_INTERNAL double nmrc_run_grid_value_(const nmrc_grid *g, size_t k);

/* Compiles the model's experiment with its compile { } options (delta: ideal
** pulses) into *out (caller owns). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_run_compile_(const nmrc_model *m, int delta,
                                                           nmrc_ctx *ctx, nmrc_seq **out);

/* Records "what: message" in ctx for a failure st of a call whose detail
** is in ctx (or, when ctx holds no message, nmrc_strerror(st)); returns st,
** like nmrc_ctx_error, so `return nmrc_run_fail_(ctx, st, "what")`. */
NMRC_INTERNAL nmrc_status nmrc_run_fail_(nmrc_ctx *ctx, nmrc_status st, const char *what);

#endif /* NMRC_RUN_IMPL_H */
