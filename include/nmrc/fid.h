/*
** nmrc/fid.h: acquisition (FIDs synthesized exactly as sums of damped
** complex exponentials from the eigendecomposition of the acquisition
** Hamiltonian) and spectra with FFTW3 (sim/acq).  Datasets and files made
** from them: nmrc/dataset.h.  Conventions and what is exact: docs/fid.md.
*/
#ifndef NMRC_FID_H
#define NMRC_FID_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/model.h"
#include "nmrc/nmr.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Acquisition -------------------------------------------------------- */

/* What the receiver does.  The signal is s(t_k) = e^{-i rcv_phase}
** Tr[rho(t_k) D], D = sum of I+ = |0><1| over the observed spins,
** t_k = k / sw_hz, k = 0..td-1.  A coherence at offset +Omega rotates as
** e^{+i Omega t}. */
typedef struct nmrc_acq {
    unsigned observe;           /* bit i set: spin i's I+ is detected */
    size_t td;                  /* complex points, >= 1 */
    double sw_hz;               /* sweep width, Hz > 0; dwell time = 1/sw_hz */
    double rcv_phase;           /* receiver phase, rad */
} nmrc_acq;

/* The system during acquisition.  h is the 2^N x 2^N rotating-frame
** Hamiltonian (rad/s, Hermitian; basis order of include/nmrc/cmat.h).
** t2[i] (s, 0 = no decay) is spin i's transverse relaxation, applied as a
** Lindblad Z-dephasing at rate 1/(2 T2).  species[i] groups spins into
** nuclei (equal numbers = same isotope); it is only used to split h into
** blocks and may be NULL (one block). */
typedef struct nmrc_fid_system {
    size_t n_spins;             /* N, 1..10 */
    const nmrc_cmat *h;         /* 2^N x 2^N Hermitian, rad/s */
    const double *t2;           /* N values or NULL (no relaxation) */
    const int *species;         /* N values or NULL */
} nmrc_fid_system;

typedef struct nmrc_fid_plan nmrc_fid_plan;
typedef struct nmrc_fid_ws nmrc_fid_ws;

/* Plans the acquisition: splits h into blocks of conserved magnetization per
** species, diagonalizes each block (blocks already diagonal are not touched)
** and lists the detectable transitions with their frequency and decay;
** where T2 dephasing mixes eigen-coherences (strongly coupled relaxing
** spins) the block pair's Liouvillian is diagonalized with zgeev instead.
** Returns NMRC_OK and *out (caller owns; nmrc_fid_plan_destroy), or
** NMRC_EINVAL / NMRC_EBADLEN / NMRC_ELIMIT / NMRC_ENOMEM / NMRC_ELAPACK
** with detail in ctx.  Inputs are copied; nothing is overwritten. */
NMRC_NODISCARD nmrc_status nmrc_fid_plan_create(const nmrc_fid_system *sys, const nmrc_acq *acq,
                                 nmrc_ctx *ctx, nmrc_fid_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_fid_plan_destroy(nmrc_fid_plan *plan);

/* Returns 1 when the plan's FID is exact (T2 dephasing diagonal in the
** eigenbasis, or the block pair's Liouvillian diagonalized), 0 when some
** pair was too large (> 576 coherences) or ill-conditioned and its decay
** uses the secular approximation (docs/fid.md). */
int nmrc_fid_plan_exact(const nmrc_fid_plan *plan);

/* Returns the number of detectable transitions (damped exponentials). */
size_t nmrc_fid_plan_transitions(const nmrc_fid_plan *plan);

/* Returns a workspace for one thread executing `plan` (scratch sized by
** the plan's largest block pair and transition count), or NULL when out of
** memory.  Free with nmrc_fid_ws_destroy (accepts NULL). */
nmrc_fid_ws *nmrc_fid_ws_create(const nmrc_fid_plan *plan);
void nmrc_fid_ws_destroy(nmrc_fid_ws *ws);

/* Writes the FID of the state rho (2^N x 2^N, unchanged) into fid[0..td-1].
** Allocates nothing and only reads the plan: threads share one plan, each
** with its own ws.  Returns NMRC_EBADLEN when rho has the wrong size,
** NMRC_EINVAL when ws was made for a plan with more pairs or transitions. */
NMRC_NODISCARD nmrc_status nmrc_fid_execute(const nmrc_fid_plan *plan, nmrc_fid_ws *ws,
                                            const nmrc_cmat *rho, nmrc_cplx *fid);

/* Adds one scan to an accumulator: acc[k] += e^{-i rcv_phase} (s[k] + dc)
** for k < td, where s is the scan's signal with receiver phase 0 and dc the
** receiver's DC offset, which enters before the receiver-phase routing (so
** CYCLOPS, rcv_phase = 0, 90, 180, 270 degrees, cancels it).  acc is
** updated in place; s is unchanged. */
void nmrc_fid_receive(nmrc_cplx *acc, const nmrc_cplx *s, size_t td, double rcv_phase,
                      nmrc_cplx dc);

/* ---- Model helpers ------------------------------------------------------ */

/* Writes into h (2^N x 2^N, overwritten) the model's natural rotating-frame
** Hamiltonian during acquisition, rad/s: the physical model's
** nmrc_nmr_hamiltonian (offsets; J weak between isotopes, full within one;
** secular dipolar).  Returns NMRC_EBADLEN, NMRC_ELIMIT (N > 10), NMRC_EINVAL. */
NMRC_NODISCARD nmrc_status nmrc_fid_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cmat *h);

/* Writes per-spin species numbers (same isotope string = same number) into
** species[0..N-1] and T2 values into t2[0..N-1]. */
void nmrc_fid_species(const nmrc_model *m, int *species, double *t2);

/* Writes into rho (2^N x 2^N, overwritten) the high-temperature thermal
** deviation 2^{1-N} sum_i (gamma_i / gamma_1H) Z_i after an ideal pulse of
** flip angle `angle` and phase `phase` (rad; 0 = x) on the spins in
** `pulsed`.  With this scale one proton gives |s(0)| = 1 after a 90.
** Returns NMRC_EBADLEN or NMRC_EINVAL (a spin without gamma). */
NMRC_NODISCARD nmrc_status nmrc_fid_thermal_state(const nmrc_model *m, unsigned pulsed, double angle,
                                                  double phase, nmrc_ctx *ctx, nmrc_cmat *rho);

/* As nmrc_fid_species and nmrc_fid_thermal_state for a physical spin
** system (nmrc/nmr.h), e.g. the default 13CHCl3 pair that has no model:
** species from the isotope names, T2 from the spins, the deviation from
** their gyromagnetic ratios. */
void nmrc_fid_system_species(const nmrc_nmr_system *sys, int *species, double *t2);
NMRC_NODISCARD nmrc_status nmrc_fid_system_thermal_state(const nmrc_nmr_system *sys,
                                                         unsigned pulsed, double angle,
                                                         double phase, nmrc_ctx *ctx,
                                                         nmrc_cmat *rho);

/* Applies an ideal pulse exp(-i angle (cos(phase) X + sin(phase) Y) / 2) on
** every spin in mask to rho (2^n_spins square, overwritten): rho <- U rho U^+. */
void nmrc_fid_pulse(nmrc_cmat *rho, size_t n_spins, unsigned mask, double angle, double phase);

/* Returns the mask of spins whose isotope equals `isotope`. */
unsigned nmrc_fid_isotope_mask(const nmrc_model *m, const char *isotope);

/* Returns the observe frequency (MHz) of `isotope` in the model's field:
** proton_mhz * gamma / gamma_1H, or 0 when the field or gamma is unknown. */
double nmrc_fid_larmor_mhz(const nmrc_model *m, const char *isotope);

/* ---- Spectra (FFTW3) ---------------------------------------------------- */

/* Processing: the FID is weighted, zero filled to si points, Fourier
** transformed and phased.  Apodization w(t) = exp(-pi lb t) *
** exp(-(pi gb t)^2 / (4 ln 2)) (Lorentzian line broadening lb and Gaussian
** broadening gb, both FWHM in Hz).  Phase phc0 + phc1 * f / sw (rad, f the
** frequency in Hz from the carrier).  The first point is multiplied by
** first_point (0.5 removes the baseline offset of a sampled FID). */
typedef struct nmrc_proc {
    size_t si;                  /* spectrum points, >= td (0 = td rounded up to 2^k) */
    double lb_hz;               /* exponential line broadening, Hz (0 = none) */
    double gb_hz;               /* Gaussian broadening, Hz (0 = none) */
    double phc0;                /* zero-order phase, rad */
    double phc1;                /* first-order phase, rad across sw */
    double first_point;         /* factor on the first point (0 means 1) */
} nmrc_proc;

typedef struct nmrc_spectrum_plan nmrc_spectrum_plan;
typedef struct nmrc_spectrum_ws nmrc_spectrum_ws;

/* Plans spectra of td-point FIDs sampled at sw_hz: one FFTW plan (made
** with FFTW_ESTIMATE on aligned buffers, so nothing is overwritten), the
** window and the phase ramp.  sfo1_mhz > 0 gives the ppm axis (0: none).
** Returns NMRC_OK and *out (caller owns), NMRC_EINVAL, NMRC_ENOMEM or
** NMRC_EFFTW.
**
** Threads: FFTW's planner is not thread-safe (only its execute functions
** are).  nmrc makes every FFTW plan, here, and destroys it, in
** nmrc_spectrum_plan_destroy, under one library-wide mutex, so spectrum
** plans may be created and destroyed from any number of threads at once.
** The mutex is nmrc's own: a program that also calls FFTW's planner
** (fftw_plan_*, fftw_destroy_plan, wisdom) from other threads must
** serialize those calls itself, e.g. with fftw_make_planner_thread_safe()
** from libfftw3_threads. */
NMRC_NODISCARD nmrc_status nmrc_spectrum_plan_create(size_t td, double sw_hz, double sfo1_mhz,
                                      const nmrc_proc *proc, nmrc_ctx *ctx,
                                      nmrc_spectrum_plan **out);
/* Frees a plan (its FFTW plan under the planner mutex); accepts NULL. */
void nmrc_spectrum_plan_destroy(nmrc_spectrum_plan *plan);

/* Returns a per-thread workspace (two aligned si-point buffers), or NULL.
** Free with nmrc_spectrum_ws_destroy (accepts NULL). */
nmrc_spectrum_ws *nmrc_spectrum_ws_create(const nmrc_spectrum_plan *plan);
void nmrc_spectrum_ws_destroy(nmrc_spectrum_ws *ws);

/* Returns si, the number of spectrum points. */
size_t nmrc_spectrum_size(const nmrc_spectrum_plan *plan);

/* Transforms fid[0..td-1] (unchanged) into spec[0..si-1], ordered from
** -sw/2 to +sw/2 (point k at nmrc_spectrum_hz(plan, k)).  Allocates
** nothing and only reads the plan (fftw_execute_dft on the workspace's
** buffers): thread-safe with one workspace per thread.  ws must come from
** nmrc_spectrum_ws_create of a plan with the same si (asserted in debug
** builds). */
void nmrc_spectrum_execute(const nmrc_spectrum_plan *plan, nmrc_spectrum_ws *ws,
                           const nmrc_cplx *fid, nmrc_cplx *spec);

/* Frequency (Hz from the carrier) and chemical shift (ppm from the
** carrier, hz / sfo1_mhz; 0 without sfo1) of spectrum point k. */
double nmrc_spectrum_hz(const nmrc_spectrum_plan *plan, size_t k);
double nmrc_spectrum_ppm(const nmrc_spectrum_plan *plan, size_t k);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_FID_H */
