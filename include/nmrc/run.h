/*
** nmrc/run.h: what the nmrc commands do, as library calls (run/).  Load a
** .spin or .xml input with NAME=VALUE overrides; the model's target
** Hamiltonian, initial state and charging; the battery curve; thermal and
** dephasing sweeps; parameter maps; the state at one time; FIDs and spectra
** (plan per input, execute per nucleus); the validation of a program on the
** physical model and its report.  Every call returns data and never prints.
** Made for callers without the CLI (C programs, a cffi ABI-mode Python
** binding): no varargs, no FILE *, flat double arrays and nmrc_cplx
** matrices (dim x dim, column-major, leading dimension dim) that the caller
** provides, with every size queryable first.  docs/run-api.md.
**
** Errors: each call returns an nmrc_status with the message in ctx.  A spec
** with errors gives NMRC_ESYNTAX and the message is the full diagnostic
** text, every diagnostic as `file:line:col: error: ...` with its source
** line and caret, each line ending in '\n'; other messages are one line
** without a newline.  Messages name parameters as the command line does
** (--set, --pair, --sweep, --at, --thermal).
*/
#ifndef NMRC_RUN_H
#define NMRC_RUN_H

#include <stddef.h>

#include "nmrc/battery.h"
#include "nmrc/cmat.h"
#include "nmrc/compile.h"
#include "nmrc/fid.h"
#include "nmrc/metrics.h"
#include "nmrc/model.h"
#include "nmrc/nmr.h"
#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Progress of a long call: done out of total steps, from one thread.
** May be NULL wherever it is accepted. */
typedef void (*nmrc_run_progress_fn)(size_t done, size_t total, void *user);

/* ---- Input ---------------------------------------------------------------- */

/* Flag of nmrc_run_load: parse and override only (sweeps resolve per point). */
#define NMRC_RUN_LOAD_UNRESOLVED 1u

/* An input: the parsed spec with its overrides, its resolved model, and the
** XML program.  Opaque; read-only for every call below except that
** nmrc_run_resolve clears the spec's diagnostics (one thread per input). */
typedef struct nmrc_run_input nmrc_run_input;

/* Loads `path`: a .spin spec, or (name ending in .xml) a sequence file
** whose spin system is the spec `spec_path` (NULL: no spec, the default
** 13CHCl3 pair; spec_path must be NULL for a .spin input).  The n_sets
** strings sets[] ("NAME=VALUE", value with an optional unit) override the
** spec's parameters in order; they need a spec.  Unless flags has
** NMRC_RUN_LOAD_UNRESOLVED the spec is resolved.  An XML input's program is
** read by nmrc_run_load_sequence.  Everything is copied.  Returns NMRC_OK and *out (caller owns; nmrc_run_input_destroy),
** NMRC_ESYNTAX (diagnostics in ctx), NMRC_EIO / NMRC_ENOTFOUND ("PATH:
** reason"), NMRC_EINVAL / NMRC_ENOTFOUND for an override ("--set ARG:
** reason"), NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_run_load(const char *path, const char *spec_path,
                                         const char *const *sets, size_t n_sets, unsigned flags,
                                         nmrc_ctx *ctx, nmrc_run_input **out);

/* Reads the program of an XML input into it (FID runs and validation need
** it; a .spin input's experiment is compiled by them instead).  Returns
** NMRC_OK (also when already read), NMRC_EINVAL for a .spin input, or the
** XML reader's failure (NMRC_EIO, NMRC_EXML, ...; message "PATH...: reason"). */
NMRC_NODISCARD nmrc_status nmrc_run_load_sequence(nmrc_run_input *in, nmrc_ctx *ctx);

/* Frees an input; accepts NULL. */
void nmrc_run_input_destroy(nmrc_run_input *in);

/* Returns nonzero when the input is an XML sequence file. */
int nmrc_run_input_is_xml(const nmrc_run_input *in);

/* Returns the input's path as given (owned by the input). */
const char *nmrc_run_input_path(const nmrc_run_input *in);

/* Returns the resolved model (owned by the input), NULL for an XML input
** without a spec or when loaded with NMRC_RUN_LOAD_UNRESOLVED. */
const nmrc_model *nmrc_run_input_model(const nmrc_run_input *in);

/* Returns the XML program (owned by the input), NULL for a .spin input or
** before nmrc_run_load_sequence. */
const nmrc_seq *nmrc_run_input_seq(const nmrc_run_input *in);

/* Resolves the input's spec into a new model (caller owns;
** nmrc_model_destroy).  NMRC_EINVAL without a spec, else as nmrc_run_load. */
NMRC_NODISCARD nmrc_status nmrc_run_resolve(const nmrc_run_input *in, nmrc_ctx *ctx,
                                            nmrc_model **out);

/* ---- The model's spins ------------------------------------------------------ */

/* Returns the model's number of spins N and dimension 2^N (0 above
** NMRC_MAX_SPINS). */
size_t nmrc_run_model_spins(const nmrc_model *m);
size_t nmrc_run_model_dim(const nmrc_model *m);

/* Writes the model's target Hamiltonian (units of omega) into H[dim*dim].
** NMRC_EINVAL / NMRC_ELIMIT with "Hamiltonian: ..." in ctx. */
NMRC_NODISCARD nmrc_status nmrc_run_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cplx *H);

/* Writes the spec's initial state into rho[dim*dim]: the Gibbs state of the
** target at the spec's temperature, that state charged to omega*t, a
** product state, a Bell state on spins 0 and 1 (the others |0>), or the
** spec's matrix.  NMRC_EINVAL ("Gibbs state: ...", "a Bell state needs two
** spins"), NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_run_initial_state(const nmrc_model *m, nmrc_ctx *ctx,
                                                  nmrc_cplx *rho);

/* rho = U(t) rho0 U(t)^+ with the spec's charging on every spin,
** U = exp(-i w t sum_i (cos a X_i + sin a Y_i)) (w = 1, a = 0 without a
** charge block); t is omega*t.  rho0 (dim*dim) is unchanged; rho must not
** overlap it. */
NMRC_NODISCARD nmrc_status nmrc_run_charge(const nmrc_model *m, const nmrc_cplx *rho0, double t,
                                           nmrc_ctx *ctx, nmrc_cplx *rho);

/* Resolves a spin pair "I,J" (0-based indices or labels; NULL: 0,1) for the
** two-spin measures into *i, *j.  NMRC_EINVAL for fewer than two spins or
** a bad pair. */
NMRC_NODISCARD nmrc_status nmrc_run_pair(const nmrc_model *m, const char *pair, nmrc_ctx *ctx,
                                         size_t *i, size_t *j);

/* ---- Battery curve (`nmrc battery`) ------------------------------------------ */

typedef struct nmrc_run_battery_info {
    size_t n_times;             /* points of the charge block's time grid */
    int fourier;                /* 1: two-spin Gibbs start, Fourier kernel; 0: dense evolution */
    double capacity;            /* the curve's capacity: the kernel's, or the dense value at
                                ** the last time (constant under unitary charging) */
    double ergotropy_max, t_ergotropy_max;         /* first maximum (ties within 1e-11 of */
    double antiergotropy_min, t_antiergotropy_min; /* max |x|: the earliest time) */
    double coherence_max, t_coherence_max;
} nmrc_run_battery_info;

/* Writes the number of times of the curve into *n.  NMRC_EINVAL when the
** spec has no charge block. */
NMRC_NODISCARD nmrc_status nmrc_run_battery_size(const nmrc_model *m, nmrc_ctx *ctx, size_t *n);

/* The charging curve of the spec's initial state over the charge block's
** times: writes n values (nmrc_run_battery_size) into each array: t
** (omega*t), energy Tr(rho H), ergotropy, anti-ergotropy, capacity and the
** l1 coherence in the energy basis; fills *info.  progress (dense path)
** may be NULL.  Errors as nmrc_run_initial_state, "charging: ...". */
NMRC_NODISCARD nmrc_status nmrc_run_battery(const nmrc_model *m, nmrc_run_progress_fn progress,
                                            void *user, nmrc_ctx *ctx, double *t, double *energy,
                                            double *ergotropy, double *antiergotropy,
                                            double *capacity, double *coherence,
                                            nmrc_run_battery_info *info);

/* ---- Sweeps (`nmrc thermal`, `nmrc dephase`, `nmrc map`) ------------------- */

/* A parameter range: n values from start to stop (n = 1: start). */
typedef struct nmrc_run_sweep {
    const char *name;           /* a spec parameter, or T for a spec without one */
    double start, stop;
    size_t n;                   /* >= 1 */
} nmrc_run_sweep;

/* Returns value k of the sweep: start + (stop - start) k / (n - 1). */
double nmrc_run_sweep_value(const nmrc_run_sweep *sw, size_t k);

/* Gibbs-state resources against the swept parameter (if the spec has no
** parameter named T, sweeping T sets the temperature itself): writes sw->n
** values into x (the parameter), coherence (l1, computational basis, whole
** state), discord (bits) and concurrence of the pair's reduced state
** (nmrc_run_pair), energy Tr(rho H) and entropy (bits).  The spec is
** resolved at every value on a private copy; the input is unchanged.
** NMRC_ENOTFOUND "FILE defines no parameter 'X'", "--sweep: ...", and the
** spec's own errors. */
NMRC_NODISCARD nmrc_status nmrc_run_thermal(const nmrc_run_input *in, const nmrc_run_sweep *sw,
                                            const char *pair, nmrc_run_progress_fn progress,
                                            void *user, nmrc_ctx *ctx, double *x,
                                            double *coherence, double *discord,
                                            double *concurrence, double *energy, double *entropy);

typedef struct nmrc_run_dephase_info {
    size_t n_times;             /* points of the evolve grid */
    size_t pair_i, pair_j;      /* the pair of the two-spin measures */
    int exact;                  /* 1: exact Liouvillian propagators, 0: Taylor integrator */
} nmrc_run_dephase_info;

/* Writes the number of evolve times into *n; NMRC_EINVAL without them. */
NMRC_NODISCARD nmrc_status nmrc_run_dephase_size(const nmrc_model *m, nmrc_ctx *ctx, size_t *n);

/* Lindblad evolution of the initial state with the spec's target and noise
** channels: writes at the n evolve times t, coherence (l1, computational
** basis) and purity of the whole state, discord (bits) and concurrence of
** the pair.  Memory stays bounded (chunks of 64 MiB of states). */
NMRC_NODISCARD nmrc_status nmrc_run_dephase(const nmrc_model *m, const char *pair,
                                            nmrc_run_progress_fn progress, void *user,
                                            nmrc_ctx *ctx, double *t, double *coherence,
                                            double *discord, double *concurrence, double *purity,
                                            nmrc_run_dephase_info *info);

typedef struct nmrc_run_map_info {
    size_t n_points;            /* x->n * y->n */
    size_t n_times;             /* charging times per point */
} nmrc_run_map_info;

/* The time-optimized battery figures at every point of the x-by-y grid of
** two spec parameters (two spins, a charge block, a Gibbs initial state,
** the same time grid everywhere), into out[x->n * y->n], y fastest:
** out[i * y->n + j] is the point (x_i, y_j).  The spec is resolved at every
** point in parallel (OpenMP), on private copies.  progress counts the
** resolution and then the time loops (total 2 n). */
NMRC_NODISCARD nmrc_status nmrc_run_map(const nmrc_run_input *in, const nmrc_run_sweep *x,
                                        const nmrc_run_sweep *y, nmrc_run_progress_fn progress,
                                        void *user, nmrc_ctx *ctx, nmrc_charge_max *out,
                                        nmrc_run_map_info *info);

/* ---- The state at one time (`nmrc state`) ------------------------------------ */

typedef enum nmrc_run_state_kind {
    NMRC_RUN_STATE_INITIAL,     /* the spec's initial state */
    NMRC_RUN_STATE_CHARGED,     /* charged to omega*t (spec with a charge block) */
    NMRC_RUN_STATE_LINDBLAD     /* evolved to t by the Lindblad equation */
} nmrc_run_state_kind;

typedef struct nmrc_run_state_info {
    nmrc_run_state_kind kind;
    int initial_gibbs;          /* the initial state is the Gibbs state */
    double t;
    double trace, purity;
    double entropy;             /* von Neumann, bits */
    double coherence;           /* l1, computational basis */
    nmrc_battery_figs battery;  /* energy, ergotropy, ...; coherence in the energy basis */
    int has_pair;               /* two spins or more: the pair's figures below */
    size_t pair_i, pair_j;
    double concurrence, discord, mutual_info; /* discord and mutual information in bits */
} nmrc_run_state_info;

/* Writes into rho[dim*dim] the initial state (at = 0) or, at = 1, that state
** at time t: charged (spec with a charge block) or Lindblad-evolved (t >= 0),
** and its figures into *info. */
NMRC_NODISCARD nmrc_status nmrc_run_state(const nmrc_model *m, int at, double t, const char *pair,
                                          nmrc_ctx *ctx, nmrc_cplx *rho,
                                          nmrc_run_state_info *info);

/* ---- FID runs (`nmrc fid`) ------------------------------------------------- */

typedef struct nmrc_run_fid_opts {
    int thermal;                /* nonzero: 90_y spectrum from thermal equilibrium; else the
                                ** program (the XML's, or the spec's compiled experiment) */
    size_t td;                  /* complex points; 0: the readout's td, else 4096 */
    double sw_hz;               /* sweep width; 0: the readout's, else from shifts and J */
    size_t si;                  /* spectrum points (>= td); 0: 4 td */
    double lb_hz, gb_hz;        /* exponential and Gaussian broadening, Hz */
    int auto_phc0;              /* nonzero: phc0 makes the first FID point real, positive */
    double phc0, phc1;          /* rad (phc0 used when auto_phc0 is 0) */
} nmrc_run_fid_opts;

/* Sets the defaults: the program, every size from the spec, auto_phc0 = 1. */
void nmrc_run_fid_opts_default(nmrc_run_fid_opts *o);

typedef struct nmrc_run_fid_plan nmrc_run_fid_plan;
typedef struct nmrc_run_fid_ws nmrc_run_fid_ws;

/* What planning found for the whole input. */
typedef struct nmrc_run_fid_summary {
    size_t n_nuclei;            /* observed nuclei (homonuclear spins grouped) */
    size_t n_spins;
    size_t td;
    double sw_hz;
    double line_span_hz;        /* largest |frequency| of an observed line */
    int folds;                  /* 2 line_span_hz > sw_hz: lines fold */
    int relax;                  /* the program ran with T1/T2 (exact up to 4 spins) */
    int default_system;         /* the default 13CHCl3 pair (XML input without a spec) */
    int thermal;                /* no program */
    size_t scans;               /* of the program's phase cycle (1 without) */
} nmrc_run_fid_summary;

/* One nucleus. */
typedef struct nmrc_run_fid_info {
    char nucleus[8];            /* isotope, e.g. "13C" */
    unsigned spins;             /* observed spins of this isotope (bit i = spin i) */
    int acquired;               /* 0: the program acquires on acquired_on only: no FID */
    char acquired_on[8];
    size_t td, si;              /* FID and spectrum points */
    double sw_hz, sfo1_mhz;
    double phc0;                /* the zero-order phase applied, rad */
    int read_pulse;             /* read out with an ideal 90_y (program without acquisition
                                ** that left no transverse magnetization) */
    int exact;                  /* 0: some decay in the secular T2 approximation */
    size_t scans;
} nmrc_run_fid_info;

/* Plans the FIDs of every observed nucleus of the input (loaded resolved;
** an XML program read with nmrc_run_load_sequence): the physical spin system,
** the program run from thermal equilibrium with T1 recovery, the read-pulse
** rule, the acquisition and spectrum plans with the phase.  All the physics
** is done here; the plan is read-only afterwards (one plan, many threads).
** Returns NMRC_OK and *out (caller owns; nmrc_run_fid_plan_destroy), or the
** failure: "cannot compile the experiment: ...", "running the sequence
** failed: ...", "acquisition failed: ...", the spin system's or the
** spectrum's message. */
NMRC_NODISCARD nmrc_status nmrc_run_fid_plan_create(const nmrc_run_input *in,
                                                    const nmrc_run_fid_opts *opt, nmrc_ctx *ctx,
                                                    nmrc_run_fid_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_run_fid_plan_destroy(nmrc_run_fid_plan *plan);

/* Fills *out with the plan's summary. */
void nmrc_run_fid_plan_summary(const nmrc_run_fid_plan *plan, nmrc_run_fid_summary *out);

/* Fills *out for nucleus k < n_nuclei (NMRC_EINVAL otherwise). */
NMRC_NODISCARD nmrc_status nmrc_run_fid_plan_info(const nmrc_run_fid_plan *plan, size_t k,
                                                  nmrc_ctx *ctx, nmrc_run_fid_info *out);

/* The program run (NULL for the thermal experiment), the physical spin
** system, and nucleus k's spectrum plan (NULL when not acquired); owned by
** the plan. */
const nmrc_seq *nmrc_run_fid_plan_seq(const nmrc_run_fid_plan *plan);
const nmrc_nmr_system *nmrc_run_fid_plan_system(const nmrc_run_fid_plan *plan);
const nmrc_spectrum_plan *nmrc_run_fid_plan_spectrum(const nmrc_run_fid_plan *plan, size_t k);

/* Writes nucleus k's spectrum axis, si points, in Hz from the carrier and in
** ppm, into hz and ppm (either may be NULL).  NMRC_ENOTFOUND when the
** nucleus is not acquired. */
NMRC_NODISCARD nmrc_status nmrc_run_fid_axis(const nmrc_run_fid_plan *plan, size_t k,
                                             nmrc_ctx *ctx, double *hz, double *ppm);

/* Returns a workspace for one thread executing plan, or NULL when out of
** memory.  Free with nmrc_run_fid_ws_destroy (accepts NULL). */
nmrc_run_fid_ws *nmrc_run_fid_ws_create(const nmrc_run_fid_plan *plan);
void nmrc_run_fid_ws_destroy(nmrc_run_fid_ws *ws);

/* Acquires nucleus k: writes its FID (td points, dwell 1/sw) into fid and
** its processed spectrum (si points from -sw/2 to +sw/2) into spectrum.
** Allocates nothing; the plan is not written.  NMRC_ENOTFOUND when the
** nucleus is not acquired, NMRC_EINVAL for a bad k or workspace. */
NMRC_NODISCARD nmrc_status nmrc_run_fid_execute(const nmrc_run_fid_plan *plan,
                                                nmrc_run_fid_ws *ws, size_t k, nmrc_ctx *ctx,
                                                nmrc_cplx *fid, nmrc_cplx *spectrum);

/* ---- Validation (`nmrc validate`) ------------------------------------------- */

#define NMRC_RUN_VALIDATE_RUNS 3    /* delta pulses, finite pulses, + RF errors and T1/T2 */

typedef struct nmrc_run_validate_opts {
    double min_fidelity;        /* pass mark of every process and state fidelity (0.99) */
    double rf_scale;            /* RF amplitude factor, all channels, third run (1) */
    double b1_sigma;            /* relative B1 inhomogeneity, third run (0) */
    size_t b1_nodes;            /* Gauss-Hermite nodes for b1_sigma (9) */
    int relax;                  /* T1/T2 in the third run (1) */
} nmrc_run_validate_opts;

/* Sets the defaults in parentheses above. */
void nmrc_run_validate_opts_default(nmrc_run_validate_opts *o);

/* One run of the program on the physical model. */
typedef struct nmrc_run_vrun {
    char name[32];              /* "delta pulses", "finite pulses" (or "finite (no p90)"),
                                ** "+ RF errors, T1/T2" */
    double f_process;           /* process fidelity to exp(-i H_target t) */
    double f_average;           /* average gate fidelity */
    double f_state;             /* fidelity of the final state to the ideal one */
    double trace_distance;
    nmrc_battery_figs battery;  /* of the final state */
} nmrc_run_vrun;

/* The inputs of the verdict and of the report's header. */
typedef struct nmrc_run_vsummary {
    double t_target;            /* s */
    int has_target;             /* 0: a named operation (identity) */
    int from_spec;              /* system, initial state and battery from a spec, else the
                                ** default 13CHCl3 pair, |01> and the target */
    char units[8];              /* of the battery figures: "omega" or "rad/s" */
    double min_fidelity;
    int pass;                   /* every process and state fidelity >= min_fidelity */
    int has_analysis;           /* the average-Hamiltonian analysis succeeded */
    int open_cycle;             /* a channel's net rotation is not the identity */
    int wrong_h0;               /* the average Hamiltonian is not the target */
    double h0_mismatch;         /* |H0 - H_target| / |H_target| (NAN without target) */
} nmrc_run_vsummary;

typedef struct nmrc_run_validation nmrc_run_validation;

/* Validates the input's program (a .spin input is compiled twice: as
** configured and with ideal pulses; an XML input's program must have been
** read with nmrc_run_load_sequence) on a two-spin physical model: the three runs, the
** ideal state's figures and the average-Hamiltonian analysis.  Returns
** NMRC_OK and *out (caller owns; nmrc_run_validation_destroy) whether or
** not the program passes, or the failure ("compiling the spec: ...",
** "target: ...", a run's name: ...). */
NMRC_NODISCARD nmrc_status nmrc_run_validate(const nmrc_run_input *in,
                                             const nmrc_run_validate_opts *opt, nmrc_ctx *ctx,
                                             nmrc_run_validation **out);

/* Frees a validation; accepts NULL. */
void nmrc_run_validation_destroy(nmrc_run_validation *v);

/* The NMRC_RUN_VALIDATE_RUNS runs, the ideal final state's figures, the
** analysis (NULL when it failed), the spin system and the finite program
** run; owned by v. */
const nmrc_run_vrun *nmrc_run_validation_runs(const nmrc_run_validation *v);
const nmrc_battery_figs *nmrc_run_validation_ideal(const nmrc_run_validation *v);
const nmrc_analysis *nmrc_run_validation_analysis(const nmrc_run_validation *v);
const nmrc_nmr_system *nmrc_run_validation_system(const nmrc_run_validation *v);
const nmrc_seq *nmrc_run_validation_seq(const nmrc_run_validation *v);

/* Fills *out with the verdict and its inputs. */
void nmrc_run_validation_summary(const nmrc_run_validation *v, nmrc_run_vsummary *out);

/* Renders the report `nmrc validate` prints into buf (at most size bytes,
** NUL-terminated when size > 0; buf may be NULL with size 0).  Returns the
** report's length, as snprintf: call with size 0, then with length + 1. */
size_t nmrc_run_validation_report(const nmrc_run_validation *v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_RUN_H */
