/*
** nmrc/nmr.h: the physical NMR model.  A spin system (isotopes, offsets, J and
** dipolar couplings, T1/T2) in the rotating frame of each RF channel runs a
** pulse program (nmrc_seq) exactly: piecewise-constant propagators planned
** once per distinct event and cached, then applied to density matrices by
** many threads (one nmrc_nmr_ws each; execution only reads the plan and
** caches nothing in it).  Conventions and formulas: docs/nmr-model.md.
*/
#ifndef NMRC_NMR_H
#define NMRC_NMR_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/model.h"
#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* NMRC_NMR_MAX_SPINS and NMRC_NMR_LIOUVILLE_MAX_SPINS: nmrc/consts.h */
#define NMRC_NMR_MAX_COUPLINGS 45      /* all pairs of 10 spins */
#define NMRC_NMR_MAX_B1_NODES 64

/* ---- Spin system --------------------------------------------------------- */

typedef struct nmrc_nmr_spin {
    char isotope[8];            /* "1H", "13C", ...: the RF channel that drives it */
    double gamma;               /* rad s^-1 T^-1 (signed); used by gradients */
    double offset_hz;           /* chemical-shift offset from its channel's carrier, Hz */
    double t1;                  /* s, 0 = no longitudinal relaxation */
    double t2;                  /* s, 0 = no transverse relaxation (needs t2 <= 2 t1) */
    double eq_pol;              /* equilibrium <Z> that T1 relaxes to, in [-1, 1]; 0 = I/d */
} nmrc_nmr_spin;

typedef struct nmrc_nmr_coupling {
    int i, j;                   /* spins, i != j */
    double j_hz;                /* scalar J, Hz */
    double dipolar_hz;          /* secular dipolar coupling b, Hz (docs/nmr-model.md) */
    int weak;                   /* 1: weak (zz) form even if homonuclear; 0: by isotopes */
} nmrc_nmr_coupling;

/* The natural system: plain data, fill by hand or from a model. */
typedef struct nmrc_nmr_system {
    size_t n_spins;             /* 1..NMRC_NMR_MAX_SPINS */
    nmrc_nmr_spin spins[NMRC_NMR_MAX_SPINS];
    size_t n_couplings;
    nmrc_nmr_coupling couplings[NMRC_NMR_MAX_COUPLINGS];
} nmrc_nmr_system;

/* Fills *sys from the spin system of a resolved model (spins, offsets, T1,
** T2, couplings).  Returns NMRC_ELIMIT above NMRC_NMR_MAX_SPINS spins,
** NMRC_EINVAL for an empty or invalid system (see nmrc_nmr_system_check). */
NMRC_NODISCARD nmrc_status nmrc_nmr_system_from_model(const nmrc_model *m, nmrc_ctx *ctx,
                                                      nmrc_nmr_system *sys);

/* Fills *sys from the spin system recorded in seq (seq->system, nmrc:system
** in XML: nuclei, offsets, T1, T2, J and dipolar couplings; gamma from the
** isotope table), the counterpart of nmrc_nmr_system_from_model for a
** sequence read from a file: for a compiled spec both give the same system.
** eq_pol is 0.  seq is not changed.  Returns NMRC_EINVAL when seq records no
** spin system, NMRC_ELIMIT above NMRC_NMR_MAX_SPINS spins, else as
** nmrc_nmr_system_check. */
NMRC_NODISCARD nmrc_status nmrc_nmr_system_from_seq(const nmrc_seq *seq, nmrc_ctx *ctx,
                                                     nmrc_nmr_system *sys);

/* Fills *sys with the default 13CHCl3 pair used when only an XML sequence is
** given: spin 0 = 1H, spin 1 = 13C, on resonance, J = 215 Hz, 1H T1 2 s
** T2 0.8 s, 13C T1 5 s T2 0.3 s (the values of docs/spec-language.md). */
void nmrc_nmr_system_chcl3(nmrc_nmr_system *sys);

/* Returns NMRC_OK if the system is usable: 1..10 spins, finite numbers,
** T1, T2 >= 0, T2 <= 2 T1 where both are given, |eq_pol| <= 1, coupling
** indices valid and distinct.  Else NMRC_EINVAL with the reason in ctx. */
NMRC_NODISCARD nmrc_status nmrc_nmr_system_check(const nmrc_nmr_system *sys, nmrc_ctx *ctx);

/* Returns 2^n_spins. */
size_t nmrc_nmr_dim(const nmrc_nmr_system *sys);

/* Returns nonzero when spins i and j share an isotope (same channel, so the
** rotating frame keeps the full J coupling). */
int nmrc_nmr_homonuclear(const nmrc_nmr_system *sys, int i, int j);

/* Writes the natural Hamiltonian (rad/s, Pauli units: offsets pi*nu Z_i,
** couplings as in docs/nmr-model.md) into the dim x dim matrix H
** (overwritten).  Returns NMRC_EBADLEN when H has the wrong shape. */
NMRC_NODISCARD nmrc_status nmrc_nmr_hamiltonian(const nmrc_nmr_system *sys, nmrc_cmat *H);

/* Adds the Lindbladian superoperator of H (dim x dim) plus, when relax is
** nonzero, the T1/T2 dissipators, to L (dim^2 x dim^2, acting on
** column-major vec(rho)); L is overwritten.  NMRC_EBADLEN on shapes. */
NMRC_NODISCARD nmrc_status nmrc_nmr_liouvillian(const nmrc_nmr_system *sys, const nmrc_cmat *H, int relax,
                                 nmrc_cmat *L);

/* Returns the bit mask of the spins driven by RF channel ch of seq (spins
** whose isotope equals the channel's nucleus); 0 for a gradient channel or a
** channel no spin answers to. */
unsigned nmrc_nmr_channel_spins(const nmrc_nmr_system *sys, const nmrc_seq *seq, int ch);

/* ---- Errors: RF miscalibration and B1 inhomogeneity ----------------------- */

/* A distribution of RF amplitude scale factors (common to all channels:
** the sample sees one coil profile) averaged over with weights. */
typedef struct nmrc_nmr_b1 {
    size_t n;                   /* nodes; 0 = no distribution (scale 1) */
    double scale[NMRC_NMR_MAX_B1_NODES];
    double weight[NMRC_NMR_MAX_B1_NODES]; /* sum to 1 */
} nmrc_nmr_b1;

/* Fills *b1 with an n-point Gauss-Hermite rule for a Gaussian distribution
** of scale factors with mean 1 and standard deviation sigma (relative).
** Exact for polynomials in the scale of degree 2n-1.  NMRC_EINVAL for
** sigma < 0, n == 0, n > NMRC_NMR_MAX_B1_NODES or a node scale <= 0. */
NMRC_NODISCARD nmrc_status nmrc_nmr_b1_gauss_hermite(double sigma, size_t n, nmrc_ctx *ctx,
                                                     nmrc_nmr_b1 *b1);

/* Fills *b1 from a user histogram: scale[k] > 0 with weight[k] >= 0
** (normalized here).  NMRC_EINVAL for bad values or an all-zero weight. */
NMRC_NODISCARD nmrc_status nmrc_nmr_b1_histogram(const double *scale, const double *weight, size_t n,
                                                 nmrc_ctx *ctx, nmrc_nmr_b1 *b1);

/* ---- Gradients ----------------------------------------------------------- */

/* Fills z[n], w[n] with the n-point Gauss-Legendre rule for the uniform
** average over a sample of length L centred at 0 (w sums to 1).  n >= 1.
** Returns NMRC_EINVAL for n == 0 or L <= 0. */
NMRC_NODISCARD nmrc_status nmrc_nmr_slices(size_t n, double L, double *z, double *w);

/* Returns the number of slices the planner uses so that every gradient phase
** x = k L / 2 up to x_max averages to sinc(x) within 1e-10 (at least 8). */
size_t nmrc_nmr_slices_needed(double x_max);

/* ---- Plan and execution -------------------------------------------------- */

typedef enum nmrc_nmr_pulse_mode {
    NMRC_NMR_PULSES_AS_WRITTEN, /* duration 0 = delta pulse, else finite */
    NMRC_NMR_PULSES_DELTA,      /* every pulse ideal, at the centre of the real pulse
                                ** (start-aligned in its event), free evolution around */
    NMRC_NMR_PULSES_FINITE      /* duration-0 pulses get the channel's rf90 length */
} nmrc_nmr_pulse_mode;

typedef struct nmrc_nmr_options {
    nmrc_nmr_pulse_mode pulses;
    int relax;                  /* nonzero: T1/T2 Lindblad terms during everything */
    double rf_scale[NMRC_SEQ_MAX_CHANNELS]; /* amplitude miscalibration; 0 means 1 */
    nmrc_nmr_b1 b1;             /* B1 inhomogeneity; n = 0 for none */
    double sample_length;       /* m, along any gradient axis; 0 = 0.02 */
    size_t slices;              /* gradient slices; 0 = nmrc_nmr_slices_needed */
    double rf90_default;        /* s, for FINITE mode on channels without rf90; 0 = error */
    int first_scan_only;        /* nonzero: run scan 0 only (no phase cycle) */
    double split_tol;           /* relaxation above NMRC_NMR_LIOUVILLE_MAX_SPINS spins:
                                ** splitting error per constant piece; 0 = 1e-7 */
} nmrc_nmr_options;

/* Sets the defaults: pulses as written, no relaxation, no RF errors. */
void nmrc_nmr_options_default(nmrc_nmr_options *opt);

/* A plan: the program unrolled into steps for every (B1 node, experiment,
** scan), with one cached propagator per distinct event.  Read-only after
** creation; share it between threads. */
typedef struct nmrc_nmr_plan nmrc_nmr_plan;

/* Walks seq once and builds every propagator.  Execution stops at the first
** ACQUIRE event (events after it are not run).  Returns NMRC_OK and *out
** (owned by the caller, nmrc_nmr_plan_destroy), or NMRC_EINVAL for an
** inconsistent program (unbalanced loops, bad channel/list/shape index, a
** pulse longer than its event, NaN), NMRC_ENOTSUP for gradients on two
** axes or experiments with prepended sub-sequences, NMRC_ENOMEM, NMRC_ELAPACK; detail in ctx.
** sys, seq and opt are copied from as needed and may be freed afterwards. */
NMRC_NODISCARD nmrc_status nmrc_nmr_plan_create(const nmrc_nmr_system *sys, const nmrc_seq *seq,
                                 const nmrc_nmr_options *opt, nmrc_ctx *ctx,
                                 nmrc_nmr_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_nmr_plan_destroy(nmrc_nmr_plan *plan);

/* Hilbert-space dimension of the plan's states. */
size_t nmrc_nmr_plan_dim(const nmrc_nmr_plan *plan);

/* Nonzero when the plan is one unitary: no relaxation, one B1 node, no
** gradient, one experiment and one scan (nmrc_nmr_execute_unitary works). */
int nmrc_nmr_plan_is_unitary(const nmrc_nmr_plan *plan);

/* Scans of the phase cycle the plan runs (>= 1). */
size_t nmrc_nmr_plan_scans(const nmrc_nmr_plan *plan);

/* Receiver phase (rad) of scan k, 0 without a receiver list. */
double nmrc_nmr_plan_receiver_phase(const nmrc_nmr_plan *plan, size_t scan);

/* Bit mask of the spins observed by the first ACQUIRE (0 if none). */
unsigned nmrc_nmr_plan_observed(const nmrc_nmr_plan *plan);

/* Time from the start of the program to the acquisition (or its end), s. */
double nmrc_nmr_plan_duration(const nmrc_nmr_plan *plan);

/* Number of distinct propagators built (cache size). */
size_t nmrc_nmr_plan_propagators(const nmrc_nmr_plan *plan);

/* A workspace: the scratch of one thread executing a plan (four dim x dim
** matrices, dim^2 values, the loop stack).  Every execute function below
** takes the plan const, allocates nothing and writes only the workspace and
** its outputs, so one plan serves many threads, each with its own ws.  A ws
** made for another plan of the same dimension works; another dimension is
** NMRC_EINVAL. */
typedef struct nmrc_nmr_ws nmrc_nmr_ws;

/* Returns a workspace for `plan` (the caller frees it with
** nmrc_nmr_ws_destroy), or NULL when out of memory. */
nmrc_nmr_ws *nmrc_nmr_ws_create(const nmrc_nmr_plan *plan);

/* Frees a workspace; accepts NULL. */
void nmrc_nmr_ws_destroy(nmrc_nmr_ws *ws);

/* Runs one member of the ensemble: B1 node `node`, gradient slice `slice`,
** experiment `exp`, scan `scan` (each below its count, else NMRC_EINVAL)
** from rho0 (dim x dim, unchanged) into rho (overwritten, may equal rho0).
** No receiver rotation.  Allocates nothing. */
NMRC_NODISCARD nmrc_status nmrc_nmr_execute_member(const nmrc_nmr_plan *plan, nmrc_nmr_ws *ws,
                                                   size_t node, size_t slice, size_t exp,
                                                   size_t scan, const nmrc_cmat *rho0,
                                                   nmrc_cmat *rho);

/* Number of B1 nodes, gradient slices and experiments of the plan. */
void nmrc_nmr_plan_counts(const nmrc_nmr_plan *plan, size_t *nodes, size_t *slices,
                          size_t *exps);

/* The averaged final state: sum over B1 nodes, slices and experiments of
** their weights, and over scans of (1/NS) Rz(-phi_rec) rho_scan Rz(phi_rec)
** on the observed spins (the state whose signal equals the phase-cycled,
** receiver-combined signal).  rho0 unchanged, rho overwritten (may not equal
** rho0).  Linear in rho0, so rho0 need not be a density matrix.
** Allocates nothing.  NMRC_EINVAL for shapes or rho == rho0. */
NMRC_NODISCARD nmrc_status nmrc_nmr_execute(const nmrc_nmr_plan *plan, nmrc_nmr_ws *ws,
                                            const nmrc_cmat *rho0, nmrc_cmat *rho);

/* The process of nmrc_nmr_execute as a superoperator S (dim^2 x dim^2,
** overwritten): vec(rho) = S vec(rho0), column-major vec.  Allocates
** nothing; costs dim^2 runs. */
NMRC_NODISCARD nmrc_status nmrc_nmr_execute_process(const nmrc_nmr_plan *plan, nmrc_nmr_ws *ws,
                                                    nmrc_cmat *S);

/* The propagator U (dim x dim, overwritten) of a unitary plan: rho ->
** U rho U^+.  NMRC_ENOTSUP if !nmrc_nmr_plan_is_unitary.  Allocates nothing. */
NMRC_NODISCARD nmrc_status nmrc_nmr_execute_unitary(const nmrc_nmr_plan *plan, nmrc_nmr_ws *ws,
                                                    nmrc_cmat *U);

/* ---- Validation figures (sim/nmr_validate.c) ----------------------------- */

/* Returns the process fidelity |Tr(V^+ U)|^2 / d^2 of the unitary U to the
** unitary V (both d x d), or NAN when the shapes differ. */
double nmrc_nmr_unitary_fidelity(const nmrc_cmat *U, const nmrc_cmat *V);

/* Returns the process (entanglement) fidelity of the channel E with
** superoperator S (d^2 x d^2, column-major vec, as nmrc_nmr_execute_process) to
** the unitary V (d x d): <Phi_V| J(E) |Phi_V> with the normalized Choi
** matrix J(E) = (E (x) 1)(|Phi><Phi|), |Phi> = sum_k |kk>/sqrt(d), which is
** (1/d^2) sum_kl [V^+ E(|k><l|) V]_kl.  Equals nmrc_nmr_unitary_fidelity
** for a unitary E.  NAN when the shapes differ. */
double nmrc_nmr_process_fidelity(const nmrc_cmat *S, const nmrc_cmat *V);

/* Returns the average gate fidelity (d F_pro + 1)/(d + 1). */
double nmrc_nmr_average_fidelity(double f_pro, size_t d);

/* Writes the target Hamiltonian recorded in seq (target_tensor on spins 0
** and 1, target_field on every spin; Pauli units, rad/s) as an n_spins
** operator into H (2^n x 2^n, overwritten).  NMRC_EINVAL if seq has no
** target or n_spins < 2, NMRC_EBADLEN on shape. */
NMRC_NODISCARD nmrc_status nmrc_nmr_seq_target(const nmrc_seq *seq, size_t n_spins, nmrc_cmat *H);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_NMR_H */
