/*
** nmrc/sim.h: the density-matrix simulator core.  N-spin Pauli operators and
** the Hamiltonian of a model's target, the Gibbs state, unitary evolution
** through the eigendecomposition, and Lindblad evolution (exact Liouvillian
** propagators for small systems, a matrix-form Taylor integrator with error
** control for larger ones).  Conventions (docs/physics.md): Pauli matrices,
** spin 0 = leftmost factor = most significant bit, |0> = up, hbar = k_B = 1,
** energies, rates and temperatures in units of omega, times in omega*t.
** Plan/execute: *_plan_create validates and allocates; execution allocates
** nothing; one plan may be used by many threads, each with its own workspace.
*/
#ifndef NMRC_SIM_H
#define NMRC_SIM_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/model.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Spin operators and Hamiltonians (sim/spinops.c) ------------------- */

/* Returns 2^n_spins, or 0 when n_spins is 0 or above NMRC_MAX_SPINS. */
size_t nmrc_sim_dim(size_t n_spins);

/* Bit of the basis index that belongs to `spin` (spin 0 = most significant):
** returns (size_t)1 << (n_spins - 1 - spin). */
size_t nmrc_sim_spin_bit(size_t n_spins, size_t spin);

/* Adds coef * P_a(i) to the 2^n x 2^n matrix H, where P_a is the Pauli matrix
** a in {'x','y','z'} (or 'i' for the identity) on spin i.  O(2^n), no
** allocation.  NMRC_EINVAL for a bad axis or spin, NMRC_EBADLEN for H's shape. */
NMRC_NODISCARD nmrc_status nmrc_sim_add_pauli1(nmrc_cmat *H, size_t n_spins, size_t i, char a, nmrc_cplx coef);

/* Adds coef * P_a(i) P_b(j) (i != j) to H; otherwise as nmrc_sim_add_pauli1. */
NMRC_NODISCARD nmrc_status nmrc_sim_add_pauli2(nmrc_cmat *H, size_t n_spins, size_t i, char a, size_t j,
                                char b, nmrc_cplx coef);

/* Writes the N-spin operator P_a(i) (a in 'x','y','z','i', or '+' for
** sigma^+ = |0><1| and '-' for sigma^- = |1><0|) into the 2^n x 2^n matrix
** out, overwriting it.  Errors as nmrc_sim_add_pauli1. */
NMRC_NODISCARD nmrc_status nmrc_sim_spin_op(nmrc_cmat *out, size_t n_spins, size_t i, char a);

/* Writes H = sum_i b_i . sigma_i + sum_(i,j) sum_ab T_ab sigma_a(i) sigma_b(j)
** of the model's target terms (all nmrc_term kinds; local terms use
** term.field, pair terms term.tensor; units of omega) into H, which must be
** 2^n_spins square and is overwritten.  No allocation.  NMRC_EINVAL (with
** detail in ctx) for a term on a spin outside the model, NMRC_EBADLEN for H's
** shape. */
NMRC_NODISCARD nmrc_status nmrc_sim_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cmat *H);

/* ---- Gibbs state (sim/gibbs.c) ------------------------------------------ */

/* Relative degeneracy tolerance of the T = 0 ground space: levels with
** E_k - E_0 <= NMRC_GIBBS_DEGTOL * max(|E_0|, |E_max|, 1e-300) count as
** ground states. */
#define NMRC_GIBBS_DEGTOL 1e-10

/* Writes the Gibbs populations p[k] = exp(-(E_k - E_0)/T) / Z of the n
** ascending energies w (shifted by the ground energy, so no overflow for any
** beta or energy scale).  T = 0 gives 1/g on the g-fold (within
** NMRC_GIBBS_DEGTOL) degenerate ground space and 0 elsewhere; T = +inf gives
** 1/n.  Returns NMRC_EINVAL (detail in ctx) for T < 0 or NaN, or unsorted or
** non-finite w. */
NMRC_NODISCARD nmrc_status nmrc_gibbs_weights(const double *w, size_t n, double T, nmrc_ctx *ctx,
                                              double *p);

/* rho = V diag(p) V^+ from an eigenbasis V (n x n) and weights p >= 0; tmp is
** n x n scratch.  rho is made exactly Hermitian.  No allocation.
** NMRC_EBADLEN on shapes. */
NMRC_NODISCARD nmrc_status nmrc_gibbs_from_eig(nmrc_cmat *rho, const nmrc_cmat *V, const double *p,
                                nmrc_cmat *tmp);

/* rho = exp(-H/T) / Tr exp(-H/T) (the T = 0 limit for T = 0) for a Hermitian H
** (unchanged).  Convenience for planning code: allocates and frees its own
** workspace.  Errors as nmrc_gibbs_weights and nmrc_eigh, NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_sim_gibbs(const nmrc_cmat *H, double T, nmrc_ctx *ctx,
                                          nmrc_cmat *rho);

/* ---- Unitary evolution (sim/unitary.c) ---------------------------------- */

/* A plan holds the eigensystem H = V diag(w) V^+ of a Hermitian H. */
typedef struct nmrc_unitary_plan nmrc_unitary_plan;
/* Per-thread workspace: the initial state in the eigenbasis and scratch. */
typedef struct nmrc_unitary_ws nmrc_unitary_ws;

/* Diagonalizes H (unchanged) and stores *out (caller frees with
** nmrc_unitary_plan_destroy).  NMRC_EBADLEN unless H is square, NMRC_EINVAL
** for non-finite or non-Hermitian H (beyond 1e-12 relative), NMRC_ENOMEM,
** NMRC_ELAPACK; detail in ctx. */
NMRC_NODISCARD nmrc_status nmrc_unitary_plan_create(const nmrc_cmat *H, nmrc_ctx *ctx,
                                     nmrc_unitary_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_unitary_plan_destroy(nmrc_unitary_plan *p);

/* Returns the dimension, the ascending eigenvalues (n, owned by the plan) and
** the eigenvectors V (columns, owned by the plan) of the plan's H. */
size_t nmrc_unitary_plan_dim(const nmrc_unitary_plan *p);
const double *nmrc_unitary_plan_energies(const nmrc_unitary_plan *p);
const nmrc_cmat *nmrc_unitary_plan_vectors(const nmrc_unitary_plan *p);

/* Returns a workspace (two n x n matrices) or NULL when out of memory. */
nmrc_unitary_ws *nmrc_unitary_ws_create(const nmrc_unitary_plan *p);

/* Frees a workspace; accepts NULL. */
void nmrc_unitary_ws_destroy(nmrc_unitary_ws *ws);

/* U = exp(-i H t) (one gemm).  U must be n x n.  No allocation. */
NMRC_NODISCARD nmrc_status nmrc_unitary_propagator(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws, double t,
                                    nmrc_cmat *U);

/* Stores rho0 (unchanged) in the eigenbasis, V^+ rho0 V, in ws (two gemms);
** later calls of nmrc_unitary_state_at with the same plan evolve it.  No
** allocation.  NMRC_EBADLEN for shapes (rho0 or a ws of another dimension). */
NMRC_NODISCARD nmrc_status nmrc_unitary_set_state(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws,
                                   const nmrc_cmat *rho0);

/* rho = exp(-i H t) rho0 exp(i H t) for the state given to
** nmrc_unitary_set_state: O(n^2) phases plus two gemms.  No allocation.
** NMRC_EINVAL when ws holds no state set with this plan. */
NMRC_NODISCARD nmrc_status nmrc_unitary_state_at(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws, double t,
                                  nmrc_cmat *rho);

/* Writes rho(t[k]) = exp(-i H t[k]) rho0 exp(i H t[k]) into out[k] (n x n
** each, caller-owned) for the n_t finite times t[k] (any order, any sign);
** rho0 is unchanged.  set_state plus one state_at per time; allocates
** nothing and only reads the plan.  NMRC_EBADLEN for shapes, NMRC_EINVAL
** for a non-finite time or a ws of another dimension; detail in ctx. */
NMRC_NODISCARD nmrc_status nmrc_unitary_execute(const nmrc_unitary_plan *p, nmrc_unitary_ws *ws,
                                                const nmrc_cmat *rho0, const double *t,
                                                size_t n_t, nmrc_ctx *ctx, nmrc_cmat *out);

/* ---- Lindblad evolution (sim/lindblad*.c) ------------------------------- */

/* Kind of a collapse operator L: Pauli X, Y, Z on one spin; DECAY0 =
** |0><1| (amplitude damping towards |0> = up, the model's NMRC_NOISE_DAMP);
** DECAY1 = |1><0| (towards |1> = down); or any dense matrix. */
typedef enum nmrc_lop_kind {
    NMRC_LOP_X, NMRC_LOP_Y, NMRC_LOP_Z, NMRC_LOP_DECAY0, NMRC_LOP_DECAY1, NMRC_LOP_MATRIX
} nmrc_lop_kind;

/* One Lindblad channel rate * (L rho L^+ - {L^+ L, rho}/2). */
typedef struct nmrc_collapse {
    nmrc_lop_kind kind;
    size_t spin;              /* X, Y, Z, DECAY0, DECAY1: the spin */
    double rate;              /* >= 0, units of omega */
    const nmrc_cmat *L;       /* MATRIX: dim x dim operator, copied by the plan */
} nmrc_collapse;

typedef enum nmrc_lindblad_method {
    NMRC_LINDBLAD_AUTO,       /* EXACT for dim <= 8 (N <= 3), TAYLOR above */
    NMRC_LINDBLAD_EXACT,      /* propagators exp(L dt) of the 4^N Liouvillian (dim <= 16) */
    NMRC_LINDBLAD_TAYLOR,     /* matrix-form adaptive Taylor integrator, any dim */
    NMRC_LINDBLAD_CHEBYSHEV   /* matrix-form Chebyshev integrator with an a priori error
                              ** bound from a spectral enclosure, any dim */
} nmrc_lindblad_method;

/* How the generator is applied in matrix form (TAYLOR, CHEBYSHEV): mask form (an
** operator A[x, x^m] = v[x] per bit mask m costs O(dim^2) per mask; every
** Pauli string and sigma^+/- is one mask) or dense gemm.  AUTO picks mask
** form for H when it has at most dim/4 masks and for a collapse operator
** when it has at most sqrt(dim/2) masks. */
typedef enum nmrc_lindblad_kernel {
    NMRC_LINDBLAD_KERNEL_AUTO, NMRC_LINDBLAD_KERNEL_SPARSE, NMRC_LINDBLAD_KERNEL_DENSE
} nmrc_lindblad_kernel;

typedef struct nmrc_lindblad_opts {
    nmrc_lindblad_method method;
    nmrc_lindblad_kernel kernel; /* default AUTO */
    double rtol;              /* TAYLOR/CHEBYSHEV: error budget of one execute/advance
                              ** call, ~rtol ||rho0||_F in Frobenius norm (default 1e-8) */
    double check_tol;         /* trace/Hermiticity/positivity tolerance (default 1e-7) */
    int check_positivity;     /* Cholesky test of rho + check_tol 1 (O(dim^3)): 1 (default)
                              ** every output up to dim 1024, above only the last output
                              ** of each execute/advance call and the initial state;
                              ** 2 every output; 0 only the initial state */
} nmrc_lindblad_opts;

/* Fills o with the defaults above. */
void nmrc_lindblad_opts_default(nmrc_lindblad_opts *o);

typedef struct nmrc_lindblad_plan nmrc_lindblad_plan;
typedef struct nmrc_lindblad_ws nmrc_lindblad_ws;

/* Plans drho/dt = -i[H, rho] + sum_k rate_k D[L_k] rho for a Hermitian H
** (dim = 2^n_spins, unchanged) and n_ops collapse operators (copied).  opts
** may be NULL for defaults.  Stores *out (free with
** nmrc_lindblad_plan_destroy).  NMRC_EINVAL for a bad rate, spin, tolerance
** or non-Hermitian H; NMRC_EBADLEN for shapes; NMRC_ENOMEM; detail in ctx. */
NMRC_NODISCARD nmrc_status nmrc_lindblad_plan_create(const nmrc_cmat *H, size_t n_spins,
                                      const nmrc_collapse *ops, size_t n_ops,
                                      const nmrc_lindblad_opts *opts, nmrc_ctx *ctx,
                                      nmrc_lindblad_plan **out);

/* As nmrc_lindblad_plan_create with H = nmrc_sim_hamiltonian(m) and the
** model's noise channels as collapse operators: DEPHASE_X/Y/Z -> Pauli
** X/Y/Z, DAMP -> DECAY0 = |0><1| (model.h's "decay towards |0> = up"). */
NMRC_NODISCARD nmrc_status nmrc_lindblad_plan_from_model(const nmrc_model *m, const nmrc_lindblad_opts *opts,
                                          nmrc_ctx *ctx, nmrc_lindblad_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_lindblad_plan_destroy(nmrc_lindblad_plan *p);

/* Returns the Hilbert-space dimension of the plan. */
size_t nmrc_lindblad_plan_dim(const nmrc_lindblad_plan *p);

/* Returns the method the plan uses (never AUTO). */
nmrc_lindblad_method nmrc_lindblad_plan_method(const nmrc_lindblad_plan *p);

/* Returns a workspace for the plan or NULL when out of memory.  Memory: about
** 4 dim^2 complex numbers (TAYLOR, CHEBYSHEV; CHEBYSHEV 5 dim^2 when the
** state splits into invariant blocks) or 3 dim^4 (EXACT). */
nmrc_lindblad_ws *nmrc_lindblad_ws_create(const nmrc_lindblad_plan *p);

/* Frees a workspace; accepts NULL. */
void nmrc_lindblad_ws_destroy(nmrc_lindblad_ws *ws);

/* Step API, INITIALIZE: sets the state to rho0 (unchanged; dim x dim,
** Hermitian, trace 1, positive within check_tol, else NMRC_EINVAL) at time t0. */
NMRC_NODISCARD nmrc_status nmrc_lindblad_init(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                               const nmrc_cmat *rho0, double t0, nmrc_ctx *ctx);

/* Step API, ITERATE: evolves the state to time t (>= the current time) and
** writes it into rho (dim x dim).  No allocation.  NMRC_EINVAL for t before
** the current time or a ws not initialized with this plan; NMRC_ENUMERIC
** (detail in ctx) when the result's trace, Hermiticity or positivity is
** off by more than check_tol. */
NMRC_NODISCARD nmrc_status nmrc_lindblad_advance(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                                                 double t, nmrc_ctx *ctx, nmrc_cmat *rho);

/* Evolves rho0 (the state at time 0, unchanged) and writes rho(t[k]) into
** out[k] (dim x dim each; caller-owned) for the n_t nondecreasing times
** t[k] >= 0.  TAYLOR and CHEBYSHEV serve many output times from one step
** (dense output).  No allocation; the plan is only read, so concurrent
** calls on one plan are safe with one ws each.  Errors as
** nmrc_lindblad_init and nmrc_lindblad_advance. */
NMRC_NODISCARD nmrc_status nmrc_lindblad_execute(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                                                 const nmrc_cmat *rho0, const double *t,
                                                 size_t n_t, nmrc_ctx *ctx, nmrc_cmat *out);

/* Applies the Lindblad generator once: out = -i[H, rho] + sum D[L] rho
** (rho unchanged, out dim x dim, no allocation).  For tests and diagnostics. */
NMRC_NODISCARD nmrc_status nmrc_lindblad_rhs(const nmrc_lindblad_plan *p, nmrc_lindblad_ws *ws,
                              const nmrc_cmat *rho, nmrc_cmat *out);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_SIM_H */
