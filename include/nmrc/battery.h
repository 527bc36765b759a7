/*
** nmrc/battery.h: the two-spin quantum battery of the paper's Sec. IV,
** charged from its Gibbs state by U(t) = exp(-i w t (N x 1 + 1 x N)),
** N = cos(a) X + sin(a) Y.  Every entry of rho(t) in H's eigenbasis is a
** trigonometric polynomial in phi = 2 w t with harmonics 0, 1, 2, so a
** charging curve (or a whole parameter map) costs a few flops per time.
*/
#ifndef NMRC_BATTERY_H
#define NMRC_BATTERY_H

#include <stddef.h>

#include "nmrc/cmat.h"
#include "nmrc/model.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_CHARGE_DIM 4    /* two spins */
#define NMRC_CHARGE_NPAIR 6  /* off-diagonal entries (i < j) of a 4x4 matrix */
#define NMRC_CHARGE_NHARM 5  /* 1, cos phi, sin phi, cos 2phi, sin 2phi */

/* Fourier coefficients of one parameter point (plain data, no pointers).
** A function of phi = 2 w t is c[0] + c[1] cos phi + c[2] sin phi
** + c[3] cos 2phi + c[4] sin 2phi. */
typedef struct nmrc_charge_coef {
    double energy[4];        /* eigenvalues of H, ascending */
    nmrc_cplx basis[16];     /* eigenvectors (columns, column-major): the energy basis */
    double pop[4];           /* Gibbs populations of the energy levels */
    double e_passive;        /* Tr(zeta H): the passive state's energy (Gibbs) */
    double e_active;         /* energy of the active state (populations reversed) */
    double capacity;         /* e_active - e_passive, constant in time */
    double strength;         /* w: phi = 2 w t */
    double phase;            /* a: charging axis angle, rad */
    double e[NMRC_CHARGE_NHARM]; /* Tr(rho(t) H) */
    /* 2 rho_ij(t) in the energy basis for the pairs (0,1),(0,2),(0,3),(1,2),
    ** (1,3),(2,3); the factor 2 makes sum |.| the l1 coherence directly. */
    double re[NMRC_CHARGE_NHARM][NMRC_CHARGE_NPAIR];
    double im[NMRC_CHARGE_NHARM][NMRC_CHARGE_NPAIR];
    double diag[NMRC_CHARGE_NHARM][4]; /* rho_ii(t): level populations */
} nmrc_charge_coef;

/* Prepares the coefficients for Hamiltonian H (4x4 column-major, ld 4,
** Hermitian, units of omega), temperature T >= 0 (T = 0: ground-space
** projector, averaged over a degenerate ground space), charging strength w
** and axis angle phase.  Degenerate levels (within 1e-10 max|E|) get the
** canonical energy basis of nmrc_metrics_energy_basis, so the coherence
** does not depend on LAPACK's choice.  Allocates nothing.
** Returns NMRC_EINVAL for NaN/infinite input, T < 0 or non-Hermitian H,
** NMRC_ELAPACK if the eigensolver fails (detail in ctx, which may be NULL). */
NMRC_NODISCARD nmrc_status nmrc_charge_prepare(const nmrc_cplx H[16], double T, double w, double phase,
                                               nmrc_ctx *ctx, nmrc_charge_coef *out);

/* A time table: the charging times t (units 1/omega) and the harmonics of
** phi = 2 w t at those times.  Opaque.  It is the plan of the charging
** curve: nmrc_charge_curve and nmrc_charge_extrema only read it, so one table
** serves many threads at once (each with its own `work` array);
** nmrc_charge_table_refill rewrites it and must not run concurrently with
** them. */
typedef struct nmrc_charge_table nmrc_charge_table;

/* Returns in *out a new table for the grid (n >= 1 points from start to
** stop) and strength w; the caller owns it (nmrc_charge_table_destroy).
** NMRC_EINVAL for a bad grid, NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_charge_table_create(const nmrc_grid *time, double w, nmrc_ctx *ctx,
                                                    nmrc_charge_table **out);

/* Frees a table; accepts NULL. */
void nmrc_charge_table_destroy(nmrc_charge_table *tab);

/* Refills tab (made for a grid of the same size) for grid `time` and
** strength w, allocating nothing. */
void nmrc_charge_table_refill(nmrc_charge_table *tab, const nmrc_grid *time, double w);

/* Number of times in the table, and the time of index k. */
size_t nmrc_charge_table_size(const nmrc_charge_table *tab);
double nmrc_charge_table_time(const nmrc_charge_table *tab, size_t k);

/* The charging curve: writes table-size values into each non-NULL array:
** energy Tr(rho H), ergotropy, anti-ergotropy and the l1 coherence in the
** energy basis.  The table's w must equal c->strength (not checked here;
** nmrc_charge_curve_check does).  Rounding-level (1e-11 max|E|) values of
** the wrong sign are set to 0 (ergotropy >= 0 >= anti-ergotropy).
** Allocates nothing; tab and c are only read. */
void nmrc_charge_curve(const nmrc_charge_table *tab, const nmrc_charge_coef *c, double *energy,
                       double *ergotropy, double *antiergotropy, double *coherence);

/* Returns NMRC_OK if tab was made for c's strength, else NMRC_EINVAL. */
NMRC_NODISCARD nmrc_status nmrc_charge_curve_check(const nmrc_charge_table *tab,
                                                   const nmrc_charge_coef *c, nmrc_ctx *ctx);

/* The time-optimized metrics of one parameter point (one map row). */
typedef struct nmrc_charge_max {
    double ergotropy_max;    /* max over the times of the ergotropy */
    double t_ergotropy_max;  /* first time at which it is reached (within 1e-11 max|E|) */
    double antiergotropy_min;/* min over the times of the anti-ergotropy */
    double capacity;         /* constant in time */
    double coherence_max;    /* max over the times of the l1 coherence */
} nmrc_charge_max;

/* Computes the extrema of c over the table's times into *out.  work is the
** caller's workspace of table-size doubles (overwritten; one per thread).
** Allocates nothing; tab and c are only read. */
void nmrc_charge_extrema(const nmrc_charge_table *tab, double *work, const nmrc_charge_coef *c,
                         nmrc_charge_max *out);

/* Writes the density matrix rho(t) (4x4 column-major, computational basis)
** at time t into rho. */
void nmrc_charge_state(const nmrc_charge_coef *c, double t, nmrc_cplx rho[16]);

/* ---- Maps: many parameter points, OpenMP over points ------------------ */

/* One parameter point of a map. */
typedef struct nmrc_charge_point {
    nmrc_cplx H[16];         /* 4x4 Hamiltonian, column-major */
    double temperature;      /* >= 0 */
    double strength;         /* w */
    double phase;            /* a, rad */
} nmrc_charge_point;

/* A map plan: the time grid and its shared time table; read-only after
** creation, so one plan serves many threads at once. */
typedef struct nmrc_map_plan nmrc_map_plan;
/* A map workspace: one lane of scratch (energies of a point, a time table
** for other strengths) per OpenMP thread of one execute call.  One per
** calling thread; never shared by two concurrent calls. */
typedef struct nmrc_map_ws nmrc_map_ws;

/* Progress callback, called by one thread only with done/total points. */
typedef void (*nmrc_map_progress_fn)(size_t done, size_t total, void *user);

/* Plans maps over the time grid `time` (copied) for charging strength w
** (points with another strength use a table of the workspace, refilled per
** point).  The caller owns *out (nmrc_map_plan_destroy).  NMRC_EINVAL,
** NMRC_ELIMIT, NMRC_ENOMEM; detail in ctx. */
NMRC_NODISCARD nmrc_status nmrc_map_plan_create(const nmrc_grid *time, double w, nmrc_ctx *ctx,
                                                nmrc_map_plan **out);

/* Frees a plan; accepts NULL. */
void nmrc_map_plan_destroy(nmrc_map_plan *plan);

/* Returns a workspace for executing `plan` with up to the OpenMP maximum
** thread count at this call (omp_get_max_threads(); 1 without OpenMP), or
** NULL when out of memory.  Six doubles (48 bytes) per time and lane.
** Free with nmrc_map_ws_destroy. */
nmrc_map_ws *nmrc_map_ws_create(const nmrc_map_plan *plan);

/* Frees a workspace; accepts NULL. */
void nmrc_map_ws_destroy(nmrc_map_ws *ws);

/* Computes out[k] (caller-owned, n entries) for every point k < n of pts
** (unchanged), in parallel over the points with as many OpenMP threads as
** ws has lanes.  progress may be NULL.  Allocates nothing and writes
** nothing in the plan: concurrent calls on one plan are safe when each has
** its own ws.  Returns the first failing point's status (NMRC_EINVAL for a
** bad temperature, ...), with its index in ctx; out[] of the other points
** is still filled (NaN for failing points).  NMRC_EINVAL when ws was made
** for a plan with another time-grid size. */
NMRC_NODISCARD nmrc_status nmrc_map_execute(const nmrc_map_plan *plan, nmrc_map_ws *ws,
                                            const nmrc_charge_point *pts, size_t n,
                                            nmrc_map_progress_fn progress, void *user,
                                            nmrc_ctx *ctx, nmrc_charge_max *out);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_BATTERY_H */
