/*
** nmrc/metrics.h: figures of merit of a density matrix: battery metrics
** (energy, ergotropy, anti-ergotropy, capacity; paper Eqs. 20-26), l1
** coherence (Eq. 27 / B2), entropy, purity, partial traces, mutual
** information, concurrence (D1), discord (C1-C5), fidelity and trace
** distance.  Definitions and conventions: docs/metrics.md.
*/
#ifndef NMRC_METRICS_H
#define NMRC_METRICS_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Energies closer than this times max_k |E_k| are one degenerate level
** (nmrc_metrics_energy_basis). */
#define NMRC_METRICS_DEGEN_RTOL 1e-10

/* Workspace for the metrics of one dimension d = 2^n_spins.  Holds three
** d x d scratch matrices and eigensolver workspaces for d and 4, about
** 80 d^2 bytes (1.3 MB at 7 spins, 1.3 GB at 12).  One per thread;
** evaluation with it allocates nothing and writes nothing but the
** workspace and the outputs, so threads may share the inputs (states,
** eigenvectors).  A function that uses one takes it first (workspace,
** inputs, outputs: the order of docs/design.md). */
typedef struct nmrc_metrics_ws nmrc_metrics_ws;

/* Returns a workspace for states of n_spins spins (1 <= n_spins <=
** NMRC_MAX_SPINS of model.h, i.e. 12), or NULL when out of memory or
** n_spins is out of range.  Free with nmrc_metrics_ws_destroy. */
nmrc_metrics_ws *nmrc_metrics_ws_create(size_t n_spins);

/* Frees a workspace; accepts NULL. */
void nmrc_metrics_ws_destroy(nmrc_metrics_ws *ws);

/* Returns the dimension 2^n_spins the workspace was made for (0 for NULL). */
size_t nmrc_metrics_ws_dim(const nmrc_metrics_ws *ws);

/* Common rules.  A state rho is a d x d density matrix (Hermitian, trace 1)
** with d = nmrc_metrics_ws_dim(ws) unless a function says 4 x 4; rho is
** never modified.  Errors: NMRC_EBADLEN for wrong shapes, NMRC_EINVAL for
** NaN/infinite entries or |Tr rho - 1| > 1e-6, NMRC_ELAPACK when an
** eigensolver fails; on error the outputs are unspecified. */

/* ---- Battery (paper Sec. IV) ------------------------------------------ */

/* The battery figures of one state. */
typedef struct nmrc_battery_figs {
    double energy;         /* Tr[rho H] */
    double ergotropy;      /* xi = Tr[rho H] - Tr[pass(rho) H] >= 0 (Eqs. 24-25) */
    double antiergotropy;  /* P = Tr[rho H] - Tr[act(rho) H] <= 0 (Eqs. 22-23) */
    double capacity;       /* Q = Tr[act H] - Tr[pass H] = xi - P >= 0 (Eq. 26) */
    double coherence;      /* l1 norm in the energy basis (Eq. 27) */
    double e_passive;      /* Tr[pass(rho) H] */
    double e_active;       /* Tr[act(rho) H] */
} nmrc_battery_figs;

/* Fills *out for state rho and Hamiltonian H = V diag(energies) V^+, given
** as its d eigenvalues `energies` (any order) and the d x d matrix eigvecs
** = V (column k belongs to energies[k], orthonormal), e.g. from nmrc_eigh.
** A degenerate level gets the canonical basis of nmrc_metrics_energy_basis,
** so the coherence does not depend on the eigensolver's choice.  Ergotropy,
** anti-ergotropy and capacity within 1e-11 max|E| of 0 (rounding) are set
** to exactly 0. */
NMRC_NODISCARD nmrc_status nmrc_metrics_battery(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                                const double *energies, const nmrc_cmat *eigvecs,
                                                nmrc_battery_figs *out);

/* The canonical energy basis of H = V diag(energies) V^+: writes the
** energies sorted ascending into e_sorted[d] and into `basis` (d x d, may
** be eigvecs itself) orthonormal eigenvectors in that order.  Inside each
** degenerate level (NMRC_METRICS_DEGEN_RTOL) the basis is the Gram-Schmidt
** orthonormalization of the level projector P applied to the computational
** basis vectors e_0, e_1, ... in index order, skipping vectors whose
** remaining component is below 1e-3; it depends on P only.  Returns
** NMRC_ENUMERIC if eigvecs is too far from orthonormal to span a level. */
NMRC_NODISCARD nmrc_status nmrc_metrics_energy_basis(nmrc_metrics_ws *ws, const double *energies,
                                                     const nmrc_cmat *eigvecs, double *e_sorted,
                                                     nmrc_cmat *basis);

/* *out = sum_{i != j} |<i|rho|j>| in the canonical energy basis (Eq. 27);
** as the coherence of nmrc_metrics_battery. */
NMRC_NODISCARD nmrc_status nmrc_metrics_coherence_energy(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                                         const double *energies,
                                                         const nmrc_cmat *eigvecs, double *out);

/* ---- Single-state measures --------------------------------------------- */

/* *out = Re Tr[rho A] for any square A of rho's size (A = H gives the
** energy).  No workspace; any square size.  NMRC_EBADLEN on shape. */
NMRC_NODISCARD nmrc_status nmrc_metrics_expect(const nmrc_cmat *rho, const nmrc_cmat *A, double *out);

/* *out = sum_{i != j} |rho_ij|, the l1 coherence in the computational basis
** (Eq. B2).  No workspace; any square size. */
NMRC_NODISCARD nmrc_status nmrc_metrics_coherence(const nmrc_cmat *rho, double *out);

/* *out = Tr rho^2 = sum_ij |rho_ij|^2.  No workspace; any square size. */
NMRC_NODISCARD nmrc_status nmrc_metrics_purity(const nmrc_cmat *rho, double *out);

/* *out = S(rho) = -Tr rho ln rho in nats (natural log; divide by ln 2 for
** bits); eigenvalues below 0 (rounding) count as 0.  rho is d x d or 4 x 4. */
NMRC_NODISCARD nmrc_status nmrc_metrics_entropy(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                                double *out);

/* ---- Reduced states ----------------------------------------------------- */

/* Partial trace of an n_spins state rho (2^n x 2^n) over every spin not in
** `keep` (bit i = spin i), writing the 2^k x 2^k reduced state (k = popcount
** keep, spins in increasing order, lowest index leftmost) into out.  No
** workspace; allocates nothing.  NMRC_EINVAL for keep = 0 or bits >= n. */
NMRC_NODISCARD nmrc_status nmrc_metrics_partial_trace(const nmrc_cmat *rho, size_t n_spins, unsigned keep,
                                       nmrc_cmat *out);

/* The 4 x 4 reduced state of spins (i, j) of an n_spins state, with spin i
** as the left factor A and spin j as the right factor B (i > j allowed: then
** the factors are swapped relative to nmrc_metrics_partial_trace).
** NMRC_EINVAL when i == j or either is >= n_spins. */
NMRC_NODISCARD nmrc_status nmrc_metrics_reduce_pair(const nmrc_cmat *rho, size_t n_spins, size_t i, size_t j,
                                     nmrc_cmat *rho_ij);

/* ---- Two-qubit measures (rho4 is 4 x 4, A = left factor) ----------------- */

/* *out = I(A:B) = S(A) + S(B) - S(AB) in bits (log2, Eq. C1). */
NMRC_NODISCARD nmrc_status nmrc_metrics_mutual_info(nmrc_metrics_ws *ws, const nmrc_cmat *rho4,
                                                    double *out);

/* *out = Wootters concurrence max(0, l1 - l2 - l3 - l4) (Eq. D1), with the
** l_k the singular values of W^T (Y (x) Y) W for rho4 = W W^+. */
NMRC_NODISCARD nmrc_status nmrc_metrics_concurrence(nmrc_metrics_ws *ws, const nmrc_cmat *rho4,
                                                    double *out);

/* Details of a discord evaluation. */
typedef struct nmrc_discord_result {
    double discord;        /* D = I(A:B) - J(B|A) in bits (Eq. C5), >= 0 */
    double mutual_info;    /* I(A:B), bits */
    double classical;      /* J(B|A) = S(B) - min_n S(B|n), bits (Eq. C4) */
    double cond_entropy;   /* min over measurements of sum_k p_k S(rho_B|k), bits */
    double theta, phi;     /* optimal measurement axis on A: projectors (1 +- n.sigma)/2,
                           ** n = (sin th cos ph, sin th sin ph, cos th) */
    int n_evals;           /* conditional-entropy evaluations used */
} nmrc_discord_result;

/* Quantum discord with a projective measurement on A (Ollivier-Zurek,
** Henderson-Vedral; Appendix C), minimized over all measurement axes n on
** the Bloch sphere: a 15 x 24 grid over the hemisphere, then Nelder-Mead
** from the 4 best separated grid points (about 730 evaluations, 90 us).
** Within 3e-15 bits of a brute-force minimum on 2024 test states
** (docs/metrics.md).  Allocates nothing. */
NMRC_NODISCARD nmrc_status nmrc_metrics_discord_full(nmrc_metrics_ws *ws, const nmrc_cmat *rho4,
                                                     nmrc_discord_result *out);

/* *out = the discord of nmrc_metrics_discord_full, bits. */
NMRC_NODISCARD nmrc_status nmrc_metrics_discord(nmrc_metrics_ws *ws, const nmrc_cmat *rho4,
                                                double *out);

/* ---- Distances ---------------------------------------------------------- */

/* *out = F(rho, sigma) = (Tr sqrt(sqrt(rho) sigma sqrt(rho)))^2, the squared
** Uhlmann fidelity in [0, 1] (1 iff equal; |<a|b>|^2 for pure states),
** computed as the squared nuclear norm of sqrt(rho) sqrt(sigma).  Both d x d
** or both 4 x 4. */
NMRC_NODISCARD nmrc_status nmrc_metrics_fidelity(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                                 const nmrc_cmat *sigma, double *out);

/* *out = (1/2) ||rho - sigma||_1 (half the sum of |eigenvalues| of the
** difference), in [0, 1].  Both d x d or both 4 x 4. */
NMRC_NODISCARD nmrc_status nmrc_metrics_trace_distance(nmrc_metrics_ws *ws, const nmrc_cmat *rho,
                                                       const nmrc_cmat *sigma, double *out);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_METRICS_H */
