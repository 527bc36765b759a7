/*
** nmrc/compile.h: the average-Hamiltonian (AHT) compiler and sequence
** analysis for a heteronuclear spin pair with natural coupling kappa Z(x)Z.
** Compile a model's two-spin target into an nmrc_seq (SVD construction at
** the Bennett bound, palindromes, Trotterized local fields, finite pulses,
** composite pulses, decoupling blocks) and analyze any nmrc_seq (closure,
** H0, H1, efficiency, robustness conditions, exact-propagator fidelity).
** Conventions: docs/compiler.md and docs/physics.md.
*/
#ifndef NMRC_COMPILE_H
#define NMRC_COMPILE_H

#include <stddef.h>

#include "nmrc/library.h"
#include "nmrc/model.h"
#include "nmrc/seq.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Rotations and the frame recipe (compiler/aht.c) ------------------ */
/* 3x3 matrices are real, row-major.  A pulse theta_phi is
** U = exp(-i theta (cos phi X + sin phi Y)/2); its rotation R satisfies
** U (a.sigma) U^+ = (R a).sigma.  A virtual-Z of angle alpha is
** exp(-i alpha Z/2) (rotation about z by alpha). */

/* Writes the rotation of the pulse theta_phi (rad) into R. */
void nmrc_rot_pulse(double theta, double phi, double R[9]);

/* Writes the rotation by angle about the unit axis n into R (Rodrigues). */
void nmrc_rot_axis(const double n[3], double angle, double R[9]);

/* C = A B (3x3).  C may alias A or B. */
void nmrc_rot_mul(const double A[9], const double B[9], double C[9]);

/* Writes the angle (rad, in [0, pi]) and unit axis of rotation R; the axis
** is (0,0,1) for the identity. */
void nmrc_rot_angle_axis(const double R[9], double *angle, double axis[3]);

/* The toggled z: a pulse theta_phi from the lab frame turns sigma_z into
** u.sigma, u = (-sin phi sin theta, cos phi sin theta, cos theta). */
void nmrc_aht_pulse_frame(double theta, double phi, double u[3]);

/* Frame recipe, inverse of nmrc_aht_pulse_frame: for unit u writes
** theta = arccos(u_z) and phi = atan2(u_y, u_x) - pi/2 (wrapped to
** [0, 2 pi); phi = 0 when u is along +-z). */
void nmrc_aht_frame_pulse(const double u[3], double *theta, double *phi);

/* Splits R = Rz(alpha) P(theta, phi): a transverse pulse followed by a
** virtual-Z.  theta in [0, pi], phi and alpha in [0, 2 pi). */
void nmrc_rot_decompose(const double R[9], double *theta, double *phi, double *alpha);

/* Real SVD of a 3x3 row-major T = sum_k s[k] u_k v_k^T with u_k = column k
** of U, v_k = column k of V (both row-major 3x3), s descending >= 0.
** Returns NMRC_ELAPACK if dgesvd fails. */
NMRC_NODISCARD nmrc_status nmrc_svd3(const double T[9], double U[9], double s[3], double V[9]);

/* Returns the nuclear norm (sum of singular values) of a 3x3 T, NAN on
** failure. */
double nmrc_nuclear_norm3(const double T[9]);

/* ---- The natural system and the target -------------------------------- */

/* A heteronuclear pair in the doubly rotating frame (Pauli units):
** H_nat = kappa Z(x)Z + offset[0] Z(x)1 + offset[1] 1(x)Z. */
typedef struct nmrc_pair {
    double kappa;               /* rad/s, = pi J / 2; nonzero */
    double offset[2];           /* rad/s, = pi * offset_hz */
    double p90[2];              /* 90-degree pulse per channel, s; 0 = delta */
    char nucleus[2][8];         /* channel nuclei, "1H", "13C" */
    int spin[2];                /* model spin index of channel 0 and 1 */
} nmrc_pair;

/* H_target = sum_ab T[3a+b] sigma_a(x)sigma_b + a.sigma(x)1 + 1(x)b.sigma,
** rad/s, to be realized for `time` seconds. */
typedef struct nmrc_target2 {
    double T[9];
    double a[3], b[3];
    double time;                /* s */
} nmrc_target2;

/* ---- Compiler options -------------------------------------------------- */

typedef struct nmrc_compile_cfg {
    int steps;                  /* Trotter steps N; 0 = choose: by max_error if set,
                                ** else the N <= 32 with the best exact fidelity
                                ** (finite pulses if p90 and finite_steps), 1 if the
                                ** local and bilinear parts commute */
    int symmetric;              /* 1 = palindromic Strang steps (default), 0 = plain */
    double max_error;           /* > 0: smallest N whose error bound is <= this */
    nmrc_composite_kind composite;
    nmrc_decouple_kind decouple;
    int udd_n;                  /* pulses per UDD block */
    int offset_compensation;    /* 1: choose the lone pi pulses' phases (phi or phi + 180)
                                ** against the finite-pulse offset errors
                                ** (nmrc_compile_offset_compensate; finite pulses only) */
    int finite;                 /* 1: real pulse lengths from p90, delays corrected */
    int finite_steps;           /* 1: the default step choice judges the finite-pulse
                                ** fidelity when p90 is known (even if `finite` is 0,
                                ** so an ideal and a finite build agree on N) */
    int loops;                  /* 1: write repeated blocks as one loop (default) */
    int refocus;                /* 1 (default): every coupling interval is split in two
                                ** halves with both toggled frames negated in the second,
                                ** so offsets are refocused exactly (delta pulses); 0: the
                                ** bare construction (fewer pulses, exact on resonance only) */
    const char *library_dir;    /* extra folder for library sequences named in a spec
                                ** (nmrc_library_load's search_dir), NULL = none */
} nmrc_compile_cfg;

/* Fills cfg with the defaults (symmetric, finite pulses and finite-pulse
** step choice, nothing else). */
void nmrc_compile_cfg_default(nmrc_compile_cfg *cfg);

/* Applies the spec's `compile { }` options to cfg (strings "bb1", "udd4",
** ...).  Returns NMRC_EINVAL with the reason in ctx for unknown names. */
NMRC_NODISCARD nmrc_status nmrc_compile_cfg_apply(nmrc_compile_cfg *cfg, const nmrc_compile_opts *opts,
                                   nmrc_ctx *ctx);

/* ---- Toggling-frame segments (compiler/aht.c) --------------------------- */
/* The AHT summary of a stretch of sequence under H_nat, relative to the
** frame at its start: net rotations, U = U1 (x) U2 (any SU(2) lift), the
** integrals S = sum tau H~ and C = sum_{j>k} tau_j tau_k [H~_j, H~_k] (4x4
** column-major), the offset and flip-angle sums.  Segments concatenate
** exactly (nmrc_aht_seg_cat), so loops are powers and nothing is unrolled. */
typedef struct nmrc_aht_seg {
    double R[2][9];             /* net rotation per spin */
    nmrc_cplx U[16];            /* net propagator of the pulses */
    nmrc_cplx S[16], C[16];
    double dur, delay;          /* total time, time in delay events, s */
    double off[2][3];           /* sum tau F (F the toggled z) */
    double flip[2][3];          /* sum theta A^T n */
} nmrc_aht_seg;

/* The empty segment. */
void nmrc_aht_seg_identity(nmrc_aht_seg *g);

/* Free evolution for tau s under kappa ZZ + off[0] Z1 + off[1] Z2; `delay`
** marks time spent in a delay event (counted in g->delay). */
void nmrc_aht_seg_free(nmrc_aht_seg *g, double tau, double kappa, const double off[2],
                       int delay);

/* An instantaneous rotation by angle about the unit axis on the spins in mask
** (bit s = spin s); pulse = 1 counts it in the flip-angle sum. */
void nmrc_aht_seg_rot(nmrc_aht_seg *g, int mask, double angle, const double axis[3], int pulse);

/* out = a followed by b.  out may alias a or b. */
void nmrc_aht_seg_cat(const nmrc_aht_seg *a, const nmrc_aht_seg *b, nmrc_aht_seg *out);

/* out = a repeated n times (n = 0: identity).  out may alias a. */
void nmrc_aht_seg_pow(const nmrc_aht_seg *a, size_t n, nmrc_aht_seg *out);

struct nmrc_aht;
/* Fills the AHT figures (H0 = S/T, H1 = -i C/(2T), closure, efficiency) of g. */
void nmrc_aht_seg_finish(const nmrc_aht_seg *g, double kappa, struct nmrc_aht *out);

/* ---- Sequence builder (compiler/aht.c) ---------------------------------- */
/* Builds a delta-pulse program on two RF channels, tracking each channel's
** cumulative rotation.  Rotations are held pending and merged until the next
** delay, where each channel's pending rotation is emitted as one transverse
** pulse (both channels in one simultaneous event) plus a virtual-Z. */
typedef struct nmrc_builder {
    nmrc_seq *seq;              /* borrowed; events are appended */
    int chan[2];                /* channel index per spin */
    double cum[2][9];           /* cumulative rotation (incl. pending) */
    double mark[2][9];          /* cum at the start of the current block */
    double pend[2][9];          /* pending rotation since the last delay */
    int pend_kind[2];           /* 0 none, 1 exact pulse pend_pulse, 2 general */
    double pend_pulse[2][2];    /* theta, phi of an exact pending pulse */
    double vz[2];               /* virtual-Z emitted so far per spin, rad */
    nmrc_status status;         /* first failure (sticky) */
} nmrc_builder;

/* Starts a builder appending to seq on channels chan0 (spin 0), chan1. */
void nmrc_build_init(nmrc_builder *b, nmrc_seq *seq, int chan0, int chan1);

/* Queues the pulse theta_phi on spin s (0 or 1). */
void nmrc_build_pulse(nmrc_builder *b, int s, double theta, double phi);

/* Queues the rotation R (3x3) on spin s. */
void nmrc_build_rotate(nmrc_builder *b, int s, const double R[9]);

/* Starts a block: frames and nmrc_build_close are relative to the current
** cumulative rotation C, so the block realizes its evolution in the lab
** frame whatever rotations came before. */
void nmrc_build_mark(nmrc_builder *b);

/* Queues the pulses that make spin 0's toggled z equal C^T u and spin 1's
** C^T v (C: the rotation at the last mark), i.e. the block's own frames u, v. */
void nmrc_build_frames(nmrc_builder *b, const double u[3], const double v[3]);

/* Queues a pi pulse on both spins that the TopSpin writer shows at phase
** 0 on every channel (event phase = the virtual-Z emitted so far): it negates
** both toggled z axes, whatever the frames. */
void nmrc_build_flip(nmrc_builder *b);

/* Queues the rotations that bring both cumulative rotations back to the
** last mark (closes the block's cycle). */
void nmrc_build_close(nmrc_builder *b);

/* Emits the pending rotations, then a delay tau (s); consecutive delays merge. */
void nmrc_build_delay(nmrc_builder *b, double tau);

/* Emits any pending rotations.  Returns the builder's sticky status. */
NMRC_NODISCARD nmrc_status nmrc_build_flush(nmrc_builder *b);

/* ---- Compilation (svd_compile.c, trotter.c) ------------------------------ */

/* Appends a block realizing exp(-i H_B dt) for the bilinear H_B = sum T_ab
** sigma_a sigma_b (rad/s) to the builder: the structured palindromes for
** DM_z/KSEA_z/XY-type T, else the SVD construction (palindromic frame order
** when symmetric != 0 and refocus == 0), closed at the end.  Coupling time
** ||T||_* dt/|kappa|.  refocus != 0: every interval is held half in its
** frames (u, v) and half in (-u, -v) (one extra pi pulse per channel and
** interval), so the block is exp(-i H_B dt) for any offsets (delta pulses);
** the palindromes then become frames A, B for 2 tau each. */
void nmrc_compile_bilinear(nmrc_builder *b, const double T[9], double kappa, double dt,
                           int symmetric, int refocus);

/* Returns 1 if T is an xy-isotropic (DM_z / KSEA_z / XX+YY family) coupling
** that the 8-pulse palindromes realize, writing the palindrome's base
** (0 = XY-type, 1 = KSEA-type) and the spin-2 phase shift psi (rad). */
int nmrc_compile_structured(const double T[9], double kappa, int *base, double *psi);

/* Returns the Trotter error bound ||U_seq - U_target|| (spectral norm) for N
** steps of the given ordering, from the commutator norms of the target. */
double nmrc_trotter_error_bound(const nmrc_target2 *tg, int steps, int symmetric);

/* Compiles tg for the pair into a new delta-pulse sequence (Trotter steps
** per cfg; composite, decoupling, offset compensation and finite pulses are
** applied by nmrc_compile_model).  *out is owned by the caller. */
NMRC_NODISCARD nmrc_status nmrc_compile_target(const nmrc_pair *pair, const nmrc_target2 *tg,
                                const nmrc_compile_cfg *cfg, nmrc_ctx *ctx, nmrc_seq **out);

/* Creates an empty sequence named `name` with one RF channel per spin of
** the pair (channel indices into chan[]).  NMRC_ENOTSUP for a homonuclear
** pair.  *out owned by the caller. */
NMRC_NODISCARD nmrc_status nmrc_compile_new_seq(const nmrc_pair *pair, const char *name, nmrc_ctx *ctx,
                                 nmrc_seq **out, int chan[2]);

/* Records target and natural system (kappa, offsets) in seq's fields. */
void nmrc_compile_set_target(nmrc_seq *seq, const nmrc_pair *pair, const nmrc_target2 *tg);

/* Extracts the two-spin pair, natural coupling and target (rad/s, seconds)
** from a model.  The evolution time is compile.time (omega t) if set, else
** the last point of the evolve grid, else omega t = 1.  Returns NMRC_ENOTSUP
** (message with file:line:col of the offending term) when the target
** couples more than two spins, NMRC_EINVAL for a missing omega/coupling. */
NMRC_NODISCARD nmrc_status nmrc_compile_extract(const nmrc_model *m, nmrc_pair *pair, nmrc_target2 *tg,
                                 nmrc_ctx *ctx);

/* The whole pipeline: extract, compile the target (offsets refocused when
** cfg->refocus), or convert the model's explicit user sequence, or load the
** library sequence it names (the spec's pair, p90 and, if the spec has
** target terms, its target replace the file's); then decoupling, composite
** pulses, finite pulses, offset compensation of the finite pulses and loop
** compression as cfg says (a loop is kept only if the exact propagator is
** unchanged).  Records target and natural system in the sequence.  Errors
** about a spec construct carry its span (nmrc_ctx_errpos).  *out is owned
** by the caller. */
NMRC_NODISCARD nmrc_status nmrc_compile_model(const nmrc_model *m, const nmrc_compile_cfg *cfg, nmrc_ctx *ctx,
                               nmrc_seq **out);

/* The protocol's charging pulse for omega t = wt alone (`nmrc compile
** --charge`): one collective rotation by 2 strength wt about the charge
** axis on both channels, with the target H_ch = strength omega (cos a X +
** sin a Y) on each spin for wt/omega, then composite and finite pulses and
** offset compensation as cfg says.  NMRC_EINVAL if the spec has no
** `charge { }` block.  *out is owned by the caller. */
NMRC_NODISCARD nmrc_status nmrc_compile_charge_model(const nmrc_model *m, const nmrc_compile_cfg *cfg,
                                                     double wt, nmrc_ctx *ctx, nmrc_seq **out);

/* Converts the model's explicit user sequence into delta-pulse events on the
** pair's channels (delays in omega t become seconds). */
NMRC_NODISCARD nmrc_status nmrc_compile_user_sequence(const nmrc_model *m, const nmrc_pair *pair,
                                       nmrc_ctx *ctx, nmrc_seq **out);

/* ---- Finite pulses (finite.c) ------------------------------------------ */

/* Returns a new sequence (caller owns) in which every delta pulse on channel
** c gets nutation amplitude 1/(4 rf90_c) Hz and its length, start-aligned
** simultaneous pulses, and the neighbouring delays shortened by half the
** pulse length each so pulse centres stay at the ideal times.  Channels with
** rf90 = 0 stay delta.  A looped program is unrolled (up to 20000 events;
** longer ones keep their loops, trains at loop edges then uncompensated),
** centred, and looped again with nmrc_compile_loops.  NMRC_EINVAL when a
** delay would become negative. */
NMRC_NODISCARD nmrc_status nmrc_compile_finite(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **out);

/* ---- Offset compensation of finite pulses (offset_comp.c) ------------- */

/* Returns a new sequence (caller owns) in which the phase of every lone pi
** pulse (no other pulse on its channel right before or after it, so
** composite elements are kept) is phi or phi + pi, chosen greedily to
** maximize the exact finite-pulse fidelity against the recorded target,
** averaged over the pair's offsets and +-100 Hz around them on each
** channel (pair NULL: the sequence's natural data).  Both choices are the
** same rotation, so the delta-pulse propagator is unchanged (up to a global
** phase); no pulse and no time is added.  A sequence without a target or
** without pulse lengths is copied unchanged. */
NMRC_NODISCARD nmrc_status nmrc_compile_offset_compensate(const nmrc_seq *seq, const nmrc_pair *pair,
                                                          nmrc_ctx *ctx, nmrc_seq **out);

/* ---- Sequence transforms (transform.c) ------------------------------------ */

/* Returns a new sequence with every hard pulse replaced by its composite
** version (simultaneous pulses are expanded element by element). */
NMRC_NODISCARD nmrc_status nmrc_compile_composite(const nmrc_seq *seq, nmrc_composite_kind kind,
                                   nmrc_ctx *ctx, nmrc_seq **out);

/* Returns a new sequence where every delay is replaced by the decoupling
** block of the same length, with simultaneous pi pulses on both RF channels
** (refocuses offsets, keeps kappa Z(x)Z). */
NMRC_NODISCARD nmrc_status nmrc_compile_decouple(const nmrc_seq *seq, nmrc_decouple_kind kind, int n,
                                  nmrc_ctx *ctx, nmrc_seq **out);

/* Returns a new sequence (caller owns) in which the longest run of >= 3
** identical copies of an event block (with no net virtual-Z, so every
** iteration has the same phases) becomes one loop (block lengths tried:
** the gaps between equal events, within a budget of 2e7 comparisons).  Sequences that already have loops are copied
** unchanged.  The program is the same event for event. */
NMRC_NODISCARD nmrc_status nmrc_compile_loops(const nmrc_seq *seq, nmrc_ctx *ctx, nmrc_seq **out);

/* Appends the protocol's charging pulse: the collective rotation by
** 2 * strength * wt about the transverse axis at `phase`, on both RF
** channels at once (U = exp(-i strength wt (X1 + X2)) for phase 0). */
NMRC_NODISCARD nmrc_status nmrc_compile_charging(nmrc_seq *seq, double strength, double phase, double wt,
                                  nmrc_ctx *ctx);

/* ---- Analysis (analyze.c) ------------------------------------------------ */

/* AHT figures of one cycle (or the whole sequence) in the toggling frame of
** the pulses: delta pulses at their event centres, finite hard pulses (with
** known amplitudes) spread over 16 midpoint slices of their length. */
typedef struct nmrc_aht {
    double duration;            /* cycle length, s */
    double delay_time;          /* time in delay events (not pulses), s */
    int closed[2];              /* channel's net rotation is the identity */
    double net_angle[2];        /* rad, in [0, pi] */
    double net_axis[2][3];
    double T[9];                /* H0 bilinear part, rad/s, row-major */
    double a[3], b[3];          /* H0 local fields, rad/s */
    double h1[16];              /* H1 Pauli coefficients, index 4p+q of s_p (x) s_q,
                                ** p,q in {1,X,Y,Z}; rad/s */
    double h1_norm;             /* sqrt(sum h1^2), rad/s */
    double h1_offset[16];       /* the part of h1 due to the offsets: h1 minus h1 with the
                                ** offsets set to 0 (offset x offset and offset x coupling
                                ** terms), rad/s; a and b above are all offset terms */
    double h1_offset_norm;      /* sqrt(sum h1_offset^2), rad/s */
    double efficiency;          /* ||T||_* / |kappa| (Bennett bound / coupling time) */
    double offset_cond[2][3];   /* (1/T) sum tau_k F_k per channel (+ pulse terms) */
    double flip_cond[2][3];     /* sum theta_k A_{k-1}^T n_k per channel, rad */
} nmrc_aht;

typedef struct nmrc_analysis {
    double kappa;               /* rad/s used */
    double offset[2];           /* rad/s used */
    nmrc_aht whole;
    size_t n_cycles;            /* top-level loop bodies, one iteration each */
    nmrc_aht *cycles;           /* owned */
    size_t *cycle_repeat;       /* owned: loop counts */
    int has_target;
    nmrc_target2 target;
    double eff_T[9], eff_a[3], eff_b[3]; /* H0 * duration / target time */
    double target_efficiency;   /* ||T_target||_* t / (|kappa| duration): Bennett bound
                                ** of the target over the time spent, NAN w/o target */
    double fidelity_delta;      /* |Tr(V^+ U)|^2 / 16 with delta pulses, NAN w/o target */
    double fidelity_finite;     /* same with the real finite pulses, NAN if unknown */
    char finite_note[256];      /* why fidelity_finite is NAN ("" otherwise) */
    int collective;             /* one RF channel drives both spins */
} nmrc_analysis;

/* Analyzes seq for the natural pair (kappa, offsets; if pair is NULL,
** seq->nat_kappa and seq->nat_offset are used).  *out owned by the caller
** (nmrc_analysis_destroy).  Loops are never unrolled (segment powers).
** NMRC_EINVAL if kappa is unknown, the sequence has no RF channel or its
** loops do not balance. */
NMRC_NODISCARD nmrc_status nmrc_analyze(const nmrc_seq *seq, const nmrc_pair *pair, nmrc_ctx *ctx,
                         nmrc_analysis **out);

/* Frees an analysis; accepts NULL. */
void nmrc_analysis_destroy(nmrc_analysis *an);

/* ---- The fidelity gate (gate.c) ---------------------------------------- */

#define NMRC_COMPILE_MIN_FIDELITY 0.99 /* default of nmrc compile --min-fidelity */

/* A verdict on an analyzed sequence: the finite-pulse fidelity is judged
** when it is known (pulse lengths or rf90), else the delta-pulse one. */
typedef struct nmrc_gate {
    int judged;                 /* 1 if there is a target to judge */
    int finite;                 /* 1: finite-pulse fidelity judged, 0: delta pulses */
    double fidelity;            /* the judged figure (NAN if not judged) */
    double min_fidelity;
    int pass;                   /* fidelity >= min_fidelity, or nothing to judge */
    char verdict[1024];         /* the figure against the minimum and, when it fails,
                                ** which part loses the fidelity and what to change */
} nmrc_gate;

/* Judges an (the analysis of the sequence as written) against
** min_fidelity and fills *g.  m (the spec the sequence came from, or NULL)
** and cfg (the options it was compiled with, or NULL) only shape the
** advice.  A NaN fidelity fails. */
void nmrc_compile_gate(const nmrc_model *m, const nmrc_analysis *an, const nmrc_compile_cfg *cfg,
                       double min_fidelity, nmrc_gate *g);

/* Writes the exact 4x4 propagator (column-major, nmrc basis order) of seq
** under H_nat of pair into U.  finite = 0: pulses as delta rotations at the
** event centre; finite = 1: rectangular RF pulses (amplitudes from the
** events, or 1/(4 rf90) when an event has amplitude 0 and rf90 > 0). */
NMRC_NODISCARD nmrc_status nmrc_seq_propagator(const nmrc_seq *seq, const nmrc_pair *pair, int finite,
                                nmrc_ctx *ctx, nmrc_cplx U[16]);

/* Writes exp(-i H_target t) (4x4 column-major) into U. */
NMRC_NODISCARD nmrc_status nmrc_target_propagator(const nmrc_target2 *tg, nmrc_ctx *ctx, nmrc_cplx U[16]);

/* Writes the 4x4 Hermitian H = sum_ab T[3a+b] s_a(x)s_b + a.s(x)1 + 1(x)b.s
** (column-major, nmrc basis order) into H.  a or b may be NULL (zero). */
void nmrc_pair_hamiltonian(const double T[9], const double a[3], const double b[3],
                           nmrc_cplx H[16]);

/* Returns |Tr(V^+ U)|^2 / 16 for 4x4 unitaries. */
double nmrc_gate_fidelity(const nmrc_cplx V[16], const nmrc_cplx U[16]);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_COMPILE_H */
