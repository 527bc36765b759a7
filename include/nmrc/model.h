/*
** nmrc/model.h: the resolved experiment model, plain data.
** nmrc_spec_resolve() turns a parsed .spin file into an nmrc_model: every
** expression evaluated, every unit converted, every name bound.  The
** compiler and the simulators read this struct and never the parser's AST.
** Conventions: Pauli matrices (eigenvalues ±1), hbar = k_B = 1, basis
** |0> = spin up, target energies and temperature in units of omega.
*/
#ifndef NMRC_MODEL_H
#define NMRC_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "nmrc/cmat.h"
#include "nmrc/consts.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A source position: file index into nmrc_model.files (or the spec's file
** table), 1-based line and column, and the span's byte length.  line == 0
** means "no source position". */
typedef struct nmrc_span {
    uint32_t file;    /* index into the file table */
    uint32_t line;    /* 1-based line, 0 if unknown */
    uint32_t col;     /* 1-based column (bytes) */
    uint32_t len;     /* length of the span in bytes, >= 1 if known */
} nmrc_span;

/* ---- Spin system ------------------------------------------------------ */

typedef struct nmrc_spin {
    char label[NMRC_LABEL_MAX]; /* user label, e.g. "H" */
    char isotope[8];            /* "1H", "13C", ... */
    double gamma;               /* gyromagnetic ratio, rad s^-1 T^-1 (signed) */
    double offset_hz;           /* chemical-shift offset from the carrier, Hz (always set,
                                ** also when the spin was given a `shift`) */
    double t1;                  /* longitudinal relaxation time, s; 0 = none */
    double t2;                  /* transverse relaxation time, s; 0 = none */
    double p90;                 /* 90-degree pulse length of its channel, s; 0 = unset */
    nmrc_span span;
    double shift_ppm;           /* chemical shift delta, ppm, when has_shift */
    int has_shift;              /* 1: written as `shift`; then offset_hz = (shift_ppm -
                                ** carrier ppm of its isotope) * 1e-6 * |gamma| B0 / 2pi */
} nmrc_spin;

/* A natural coupling between spins i < j.  Its form in the rotating frame:
** weak = 1: J acts as 2 pi J Iz Sz and the dipolar b as 2 pi b 2 Iz Sz (the
** secular parts for well-separated frequencies); weak = 0: J acts as
** 2 pi J I.S and b as 2 pi b (3 Iz Sz - I.S).  A resolved model sets weak = 1
** for every heteronuclear coupling (different carriers truncate the rest)
** and for homonuclear ones the spec declares weak (`couple ... weak`,
** `homonuclear weak`); homonuclear couplings are strong by default.  For
** models built by hand, nmrc_model_coupling_is_weak() also treats every
** heteronuclear pair as weak. */
typedef struct nmrc_coupling {
    int i, j;                   /* spin indices, i < j */
    double j_hz;                /* scalar J, Hz */
    double dipolar_hz;          /* dipolar coupling constant b, Hz (see docs/physics.md) */
    nmrc_span span;
    int weak;                   /* 1: weak (secular zz) form, 0: strong (full) form */
} nmrc_coupling;

/* The carrier (RF frequency) of one channel, i.e. of every spin of one
** isotope, on the chemical-shift scale.  Listed for each isotope whose spins
** are given as `shift`: spin offsets are measured from it. */
typedef struct nmrc_carrier {
    char isotope[8];            /* "13C", ... */
    double ppm;                 /* the carrier's chemical shift, ppm */
    int given;                  /* 1: from `carrier ISOTOPE X ppm`; 0: the default, the
                                ** centre (min + max) / 2 of that isotope's shifts */
    nmrc_span span;             /* the `carrier` statement, or line 0 for the default */
} nmrc_carrier;

/* ---- Target Hamiltonian ----------------------------------------------- */
/* H = sum over terms.  A local term adds field . sigma on spin i; a pair
** term adds sum_ab tensor[3a+b] sigma_a(i) sigma_b(j) (row-major, a,b in
** x,y,z).  All values are multiples of omega.  The `par` array keeps the
** values as the user wrote them, for summaries. */
typedef enum nmrc_term_kind {
    NMRC_TERM_ZEEMAN,   /* par = (bx, by, bz) */
    NMRC_TERM_DIPOLAR,  /* par = (Delta, eps) or, with full = 1, the 3x3 tensor P */
    NMRC_TERM_DM,       /* par = (Dx, Dy, Dz):  d . (s1 x s2) */
    NMRC_TERM_KSEA,     /* par = (Gx, Gy, Gz):  s1 . G . s2, paper Eq. 8 */
    NMRC_TERM_TENSOR    /* par = general 3x3 bilinear tensor, row-major */
} nmrc_term_kind;

typedef struct nmrc_term {
    nmrc_term_kind kind;
    int i;                      /* first spin */
    int j;                      /* second spin, -1 for a local term */
    int full;                   /* DIPOLAR given as a full tensor */
    double par[9];              /* parameters as written */
    double field[3];            /* local field (local terms) */
    double tensor[9];           /* coupling tensor, row-major (pair terms) */
    nmrc_span span;
} nmrc_term;

/* ---- Protocol, state, noise, readout ---------------------------------- */

typedef struct nmrc_grid {
    double start, stop;         /* dimensionless omega*t */
    size_t n;                   /* points, >= 1; n == 1 means just `start` */
    nmrc_span span;
} nmrc_grid;

typedef struct nmrc_charge {
    double strength;            /* field w in units of omega: H_ch = w sum(cos a X + sin a Y) */
    double phase;               /* axis angle a in the transverse plane, rad (0 = x) */
    nmrc_grid time;             /* charging times omega*t */
    nmrc_span span;
} nmrc_charge;

typedef enum nmrc_init_kind {
    NMRC_INIT_GIBBS,            /* Gibbs state of the target at the spec temperature */
    NMRC_INIT_CHARGED,          /* Gibbs state charged to omega*t = init.t */
    NMRC_INIT_PRODUCT,          /* computational product state, init.bits "0101" */
    NMRC_INIT_BELL,             /* Bell state on spins 0,1 (phi+, phi-, psi+, psi-) */
    NMRC_INIT_MATRIX            /* explicit density matrix init.rho (dim x dim) */
} nmrc_init_kind;

typedef enum nmrc_bell { NMRC_BELL_PHI_PLUS, NMRC_BELL_PHI_MINUS,
                         NMRC_BELL_PSI_PLUS, NMRC_BELL_PSI_MINUS } nmrc_bell;

typedef struct nmrc_init {
    nmrc_init_kind kind;
    double t;                   /* CHARGED: omega*t */
    char bits[NMRC_MAX_SPINS + 1]; /* PRODUCT: one '0'/'1' per spin */
    nmrc_bell bell;             /* BELL */
    nmrc_cplx *rho;             /* MATRIX: dim x dim column-major, owned by the model */
    nmrc_span span;
} nmrc_init;

typedef enum nmrc_noise_kind {
    NMRC_NOISE_DEPHASE_X,       /* L = X on the spin */
    NMRC_NOISE_DEPHASE_Y,       /* L = Y */
    NMRC_NOISE_DEPHASE_Z,       /* L = Z */
    NMRC_NOISE_DAMP             /* L = |0><1|: amplitude damping towards |0> = spin up */
} nmrc_noise_kind;

/* Lindblad channel: rate * (L rho L^+ - {L^+ L, rho}/2), rate in units of omega. */
typedef struct nmrc_noise {
    nmrc_noise_kind kind;
    int spin;
    double rate;
    nmrc_span span;
} nmrc_noise;

typedef struct nmrc_readout {
    unsigned observe;           /* bit i set: spin i's nucleus is observed */
    size_t td;                  /* complex points per FID; 0 = default (4096) */
    double sw_hz;               /* sweep width, Hz; 0 = default */
    int tomography;             /* nonzero: full state tomography requested */
    size_t n_observables;       /* number of names in observables[] */
    char observables[16][NMRC_NAME_MAX]; /* e.g. "energy", "ergotropy", "X1Y2" */
    nmrc_span span;
} nmrc_readout;

/* ---- Explicit user sequence (spec `sequence { ... }`) ----------------- */

typedef enum nmrc_uevent_kind {
    NMRC_UEV_PULSE,             /* rotation angle about phase on the spins in mask */
    NMRC_UEV_DELAY,             /* free evolution */
    NMRC_UEV_GRADIENT,          /* gradient pulse */
    NMRC_UEV_ACQUIRE,           /* acquisition */
    NMRC_UEV_LOOP_BEGIN,        /* repeat count times ... */
    NMRC_UEV_LOOP_END
} nmrc_uevent_kind;

typedef struct nmrc_uevent {
    nmrc_uevent_kind kind;
    unsigned mask;              /* PULSE: spins rotated together (one pulse per channel) */
    double angle;               /* PULSE: flip angle, rad */
    double phase;               /* PULSE: phase, rad (x = 0, y = pi/2, -x = pi, -y = 3pi/2) */
    double duration;            /* DELAY/GRADIENT: seconds if time_is_seconds, else omega*t */
    int time_is_seconds;        /* DELAY: 1 if given with a time unit */
    double amplitude;           /* GRADIENT: T/m */
    char axis;                  /* GRADIENT: 'x', 'y' or 'z' */
    size_t count;               /* LOOP_BEGIN: repetitions */
    nmrc_span span;
} nmrc_uevent;

/* ---- Compiler options given in the spec (`compile { ... }`) ---------- */

typedef struct nmrc_compile_opts {
    int steps;                  /* Trotter steps; 0 = choose */
    int symmetric;              /* 1 = palindromic ordering (default), 0 = plain */
    double max_error;           /* choose steps for this error; 0 = unset */
    char composite[16];         /* "", "bb1", "corpse", "scrofulous" */
    char decouple[16];          /* "", "cpmg", "xy4", "xy8", "xy16", "udd<n>" */
    int offset_compensation;    /* append the 180-degree shifted copy */
    double time;                /* omega*t of the target evolution; 0 = unset */
} nmrc_compile_opts;

/* ---- The model -------------------------------------------------------- */

typedef struct nmrc_model {
    size_t n_files;             /* source files (main file first, then includes) */
    char **files;               /* their paths, owned by the model */

    size_t n_spins;
    nmrc_spin spins[NMRC_MAX_SPINS];
    double b0;                  /* static field, T; 0 = not given */
    double proton_mhz;          /* proton Larmor frequency, MHz (derived from b0) */
    size_t n_couplings;
    nmrc_coupling *couplings;   /* owned */
    size_t n_carriers;          /* channels with a chemical-shift carrier */
    nmrc_carrier carriers[NMRC_MAX_SPINS];

    double omega;               /* energy unit, rad/s; 0 = not given */
    size_t n_terms;
    nmrc_term *terms;           /* owned */

    int has_charge;
    nmrc_charge charge;
    double temperature;         /* units of omega, >= 0 */
    nmrc_init init;
    int has_evolve;
    nmrc_grid evolve;           /* free/dissipative evolution times, omega*t */
    size_t n_noise;
    nmrc_noise *noise;          /* owned */
    nmrc_readout readout;

    char sequence_name[NMRC_NAME_MAX]; /* library sequence by name, "" if none */
    size_t n_uevents;
    nmrc_uevent *uevents;       /* explicit user sequence, owned; NULL if none */
    nmrc_compile_opts compile;

    size_t n_params;            /* named parameters after overrides */
    char (*param_names)[NMRC_NAME_MAX]; /* owned */
    double *param_values;       /* owned */
} nmrc_model;

/* Frees a model returned by nmrc_spec_resolve, with everything it owns;
** accepts NULL. */
void nmrc_model_destroy(nmrc_model *m);

/* Writes the summed coupling tensor between spins i and j (row-major 3x3,
** sum_ab T[3a+b] sigma_a(i) sigma_b(j)) into T.  Terms written as (j, i)
** are transposed.  Returns NMRC_EINVAL for bad indices. */
NMRC_NODISCARD nmrc_status nmrc_model_pair_tensor(const nmrc_model *m, int i, int j, double T[9]);

/* Writes the summed local field on spin i (H += b . sigma_i) into b. */
NMRC_NODISCARD nmrc_status nmrc_model_local_field(const nmrc_model *m, int i, double b[3]);

/* Returns the index of the spin labelled `label`, or -1. */
int nmrc_model_find_spin(const nmrc_model *m, const char *label);

/* Returns the natural coupling between spins i and j (either order), or
** NULL if the system has none.  The pointer is into m->couplings. */
const nmrc_coupling *nmrc_model_find_coupling(const nmrc_model *m, int i, int j);

/* Returns 1 if coupling c acts in its weak (secular zz) form: c->weak is
** set, or its two spins are different isotopes; 0 for the strong form. */
int nmrc_model_coupling_is_weak(const nmrc_model *m, const nmrc_coupling *c);

/* Writes a one-screen human summary of a resolved model into buf (at most
** size bytes, NUL-terminated).  Returns the length it wanted, as snprintf. */
size_t nmrc_model_summary(const nmrc_model *m, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_MODEL_H */
