/*
** nmrc/seq.h: the pulse-program IR shared by the compiler, the XML
** reader/writer, the TopSpin writer and the simulators.  A sequence has
** channels, a flat event list (loops as begin/end events), phase programs,
** TopSpin-style named parameters and an experiment set.  Every event keeps
** the spec span it came from.
*/
#ifndef NMRC_SEQ_H
#define NMRC_SEQ_H

#include <stddef.h>

#include "nmrc/model.h"
#include "nmrc/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NMRC_SEQ_MAX_CHANNELS 8
#define NMRC_SEQ_MAX_DEPTH 64     /* loop nesting the writers and readers accept */

typedef enum nmrc_chan_kind {
    NMRC_CHAN_RF,               /* an RF channel f1, f2, ... driving one nucleus */
    NMRC_CHAN_GRAD              /* a gradient channel along an axis */
} nmrc_chan_kind;

typedef struct nmrc_channel {
    nmrc_chan_kind kind;
    char name[8];               /* "f1", "f2", ..., "gz" */
    char nucleus[8];            /* RF: isotope, e.g. "1H" */
    char axis;                  /* GRAD: 'x', 'y' or 'z' */
    double rf90;                /* RF: 90-degree pulse length at full amplitude, s (0 = delta) */
} nmrc_channel;

typedef enum nmrc_event_kind {
    NMRC_EV_PULSE,              /* hard pulse(s), simultaneous on the channels in pulse[] */
    NMRC_EV_SHAPED,             /* shaped pulse on one channel */
    NMRC_EV_DELAY,              /* free evolution */
    NMRC_EV_GRADIENT,           /* gradient pulse */
    NMRC_EV_ACQUIRE,            /* acquisition (receiver on) */
    NMRC_EV_VZ,                 /* virtual-Z: frame phase shift of a channel; vz_phase a
                                ** acts as exp(-i a Z/2) on the channel's spin, i.e. all
                                ** later pulse phases there shift by -a (docs/compiler.md) */
    NMRC_EV_LOOP_BEGIN,         /* loop start: repeat count times up to matching END */
    NMRC_EV_LOOP_END
} nmrc_event_kind;

/* One channel's part of a (possibly simultaneous) hard pulse. */
typedef struct nmrc_pulse {
    int channel;                /* index into channels[], -1 = unused slot */
    double angle;               /* flip angle, rad */
    double phase;               /* phase, rad, before the phase program is applied */
    int phase_list;             /* index into phase_lists[] or -1 */
    double amplitude;           /* RF amplitude (nutation frequency), Hz; 0 = delta pulse */
} nmrc_pulse;

typedef struct nmrc_shape {
    size_t n;                   /* points */
    double *amp;                /* amplitude, percent of full (owned by the sequence) */
    double *phase;              /* phase, degrees (owned) */
    char name[NMRC_NAME_MAX];
} nmrc_shape;

typedef struct nmrc_event {
    nmrc_event_kind kind;
    double duration;            /* seconds (PULSE: 0 = ideal delta pulse) */
    nmrc_pulse pulse[NMRC_SEQ_MAX_CHANNELS]; /* PULSE: n_pulse used entries */
    int n_pulse;
    int channel;                /* SHAPED/VZ/GRADIENT/ACQUIRE: channel index */
    int shape;                  /* SHAPED/GRADIENT: index into shapes[], -1 = rectangular */
    double amplitude;           /* SHAPED: peak RF Hz; GRADIENT: T/m */
    double vz_phase;            /* VZ: rad */
    size_t count;               /* LOOP_BEGIN: repetitions */
    char param[16];             /* TopSpin parameter this event uses: "p1", "d2", ... */
    char amp_param[16];         /* TopSpin parameter of its amplitude: "pl1" (PULSE,
                                ** SHAPED), "gpz1" (GRADIENT); "" = none */
    nmrc_span span;             /* source position in the spec */
} nmrc_event;

/* A phase-cycling list: phases in rad, cycled with the scan counter. */
typedef struct nmrc_phase_list {
    char name[8];               /* "ph1", ..., "ph31" for the receiver */
    size_t n;
    double *phase;              /* owned */
} nmrc_phase_list;

/* A named TopSpin parameter (P, PL, D, GPZ, CNST, L, ...). */
typedef struct nmrc_param {
    char name[16];              /* "P1", "D1", "PL1", "GPZ1", "CNST1", "L1" */
    double value;               /* in `unit` */
    char unit[8];               /* "us", "s", "W", "dB", "%", "" */
    char comment[96];
} nmrc_param;

/* An experiment of an experiment set: the sequence run with a constant
** phase-frame offset per channel and combined with weight. */
typedef struct nmrc_experiment {
    double weight;
    double phase_offset[NMRC_SEQ_MAX_CHANNELS]; /* rad, added to every pulse phase */
    int prepend;                /* index of a sub-sequence event range, -1 = none */
} nmrc_experiment;

/* An analysis figure recorded with the sequence (what `nmrc analyze`
** reported when it was made: efficiency, fidelity, ...).  Not part of the
** program: nmrc_seq_equal ignores figures. */
typedef struct nmrc_figure {
    char name[32];              /* "efficiency", "fidelity_delta", ... */
    double value;
    char unit[16];              /* "", "rad/s", "s", ... */
} nmrc_figure;

/* ---- The spin system a sequence was made for ------------------------- */
/* Plain data recorded by the compiler from the spec's `system { }` block
** (nmrc_seq_set_system) and kept in the XML (nmrc:system), so that a
** sequence file says which sample it is for.  A spin is driven by the RF
** channel whose nucleus equals its own.  Couplings between different
** isotopes act as (pi J / 2) Z Z (weak coupling) and the dipolar constant b
** as pi b Z Z; between equal isotopes as in docs/nmr-model.md (strong),
** unless the coupling is marked weak. */

#define NMRC_SEQ_MAX_COUPLINGS 66   /* all pairs of NMRC_MAX_SPINS (12) spins */

typedef struct nmrc_seq_spin {
    char label[NMRC_LABEL_MAX]; /* the spec's label, e.g. "H" */
    char nucleus[8];            /* isotope, e.g. "1H" (in the isotope table) */
    double offset_hz;           /* offset from its channel's carrier, Hz */
    double t1, t2;              /* relaxation times, s; 0 = none */
    double p90;                 /* 90-degree pulse length, s; 0 = not given */
} nmrc_seq_spin;

typedef struct nmrc_seq_coupling {
    int i, j;                   /* spin indices, 0 <= i < j < n_spins */
    double j_hz;                /* scalar J, Hz */
    double dipolar_hz;          /* secular dipolar coupling constant b, Hz */
    int weak;                   /* 1: weak (ZZ) form although homonuclear (the spec's
                                ** `weak`); couplings between isotopes are always weak */
} nmrc_seq_coupling;

typedef struct nmrc_seq_system {
    size_t n_spins;             /* 0 = no spin system recorded */
    nmrc_seq_spin spins[NMRC_MAX_SPINS];
    size_t n_couplings;
    nmrc_seq_coupling couplings[NMRC_SEQ_MAX_COUPLINGS];
    double b0;                  /* static field, T; 0 = not given */
} nmrc_seq_system;

typedef struct nmrc_seq nmrc_seq;

/* The IR itself is plain data so that every module can walk it; build and
** free it through the functions below. */
struct nmrc_seq {
    char name[NMRC_NAME_MAX];
    char description[512];
    size_t n_channels;
    nmrc_channel channels[NMRC_SEQ_MAX_CHANNELS];
    size_t n_events, cap_events;
    nmrc_event *events;         /* owned */
    size_t n_shapes;
    nmrc_shape *shapes;         /* owned */
    size_t n_phase_lists;
    nmrc_phase_list *phase_lists; /* owned */
    int receiver_list;          /* index of the receiver phase list, -1 = none */
    size_t n_params;
    nmrc_param *params;         /* owned */
    size_t n_experiments;
    nmrc_experiment *experiments; /* owned; 0 experiments = one with weight 1 */
    size_t scans;               /* NS: scans per experiment (length of the phase cycle) */

    /* The target this sequence is meant to realize (nmrc namespace in XML). */
    int has_target;
    size_t target_spins;        /* spins the target acts on (2 for now) */
    double target_tensor[9];    /* T, row-major, Pauli units, rad/s */
    double target_field[NMRC_MAX_SPINS][3]; /* local fields, Pauli units, rad/s */
    double target_time;         /* evolution time the sequence realizes, s */
    char target_op[NMRC_NAME_MAX]; /* or a named operation, e.g. "pi_x", "identity" */

    /* The natural two-spin system the sequence was compiled for (nmrc
    ** namespace in XML; added for the compiler/analysis).  H_nat = kappa Z(x)Z
    ** + sum_c nat_offset[c] Z_c in the doubly rotating frame, Pauli units. */
    double nat_kappa;           /* kappa, rad/s (pi J / 2 for scalar J); 0 = unknown */
    double nat_offset[NMRC_SEQ_MAX_CHANNELS]; /* per RF channel, rad/s (pi * offset_hz) */

    /* The whole spin system (nmrc:system in XML): every spin of the spec,
    ** not only the pair the compiler drives. */
    nmrc_seq_system system;

    size_t n_figures;
    nmrc_figure *figures;       /* owned; analysis figures (nmrc namespace in XML) */
};

/* Returns a new empty sequence (caller owns; nmrc_seq_destroy), or NULL. */
nmrc_seq *nmrc_seq_create(const char *name);

/* Frees a sequence and everything it owns; accepts NULL. */
void nmrc_seq_destroy(nmrc_seq *seq);

/* Appends a copy of *ev.  Returns NMRC_OK or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_append(nmrc_seq *seq, const nmrc_event *ev);

/* Returns the index of the LOOP_END that closes the LOOP_BEGIN at index i,
** or seq->n_events when the loops from i on never close. */
size_t nmrc_seq_loop_end(const nmrc_seq *seq, size_t i);

/* Adds an RF channel for `nucleus` (or returns the existing one) and
** writes its index to *index.  Returns NMRC_ELIMIT past
** NMRC_SEQ_MAX_CHANNELS. */
NMRC_NODISCARD nmrc_status nmrc_seq_rf_channel(nmrc_seq *seq, const char *nucleus, double rf90, int *index);

/* Returns a deep copy of seq (caller owns), or NULL when out of memory. */
nmrc_seq *nmrc_seq_clone(const nmrc_seq *seq);

/* Returns nonzero if a and b describe the same program (events, channels,
** lists, parameters, target, natural and spin system) with numbers equal to
** a relative 1e-12.  Names, description, parameter comments, spin labels,
** analysis figures and source spans are not compared; event fields are
** compared only where the event kind uses them. */
int nmrc_seq_equal(const nmrc_seq *a, const nmrc_seq *b);

/* Returns an event of `kind` with every index field set to "none"
** (channel, shape, pulse[].channel and pulse[].phase_list = -1) and all
** numbers zero.  Start every event from this.  A SHAPED event keeps its
** flip angle, phase and phase list in pulse[0] (n_pulse = 1, pulse[0].channel
** = channel); its peak RF amplitude is the event's `amplitude`. */
nmrc_event nmrc_seq_event_init(nmrc_event_kind kind);

/* Adds a gradient channel for axis 'x', 'y' or 'z' (named "gx", ...) or
** returns the existing one; writes its index to *index.  Returns
** NMRC_EINVAL for a bad axis, NMRC_ELIMIT when the channels are full. */
NMRC_NODISCARD nmrc_status nmrc_seq_grad_channel(nmrc_seq *seq, char axis, int *index);

/* Adds (or replaces, if a list with that name exists) the phase list
** `name` with a copy of phase[0..n-1] (rad); writes its index to *index
** (may be NULL).  Returns NMRC_OK or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_add_phase_list(nmrc_seq *seq, const char *name, const double *phase,
                                    size_t n, int *index);

/* Returns the parameter called `name` (pointer into seq, valid until the
** next parameter is added), or NULL. */
const nmrc_param *nmrc_seq_find_param(const nmrc_seq *seq, const char *name);

/* Sets parameter `name` (adding it at the end if new) to value/unit/comment
** (unit and comment may be NULL = "").  Returns NMRC_OK or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_set_param(nmrc_seq *seq, const char *name, double value, const char *unit,
                               const char *comment);

/* Appends a shape with copies of amp[0..n-1] (percent) and phase[0..n-1]
** (degrees); writes its index to *index (may be NULL).  NMRC_OK/ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_add_shape(nmrc_seq *seq, const char *name, const double *amp,
                               const double *phase, size_t n, int *index);

/* Appends a copy of *ex to the experiment set.  NMRC_OK or NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_add_experiment(nmrc_seq *seq, const nmrc_experiment *ex);

/* Sets analysis figure `name` (adding it at the end if new) to value/unit
** (unit may be NULL = "").  Returns NMRC_OK, NMRC_EINVAL (empty name) or
** NMRC_ENOMEM. */
NMRC_NODISCARD nmrc_status nmrc_seq_set_figure(nmrc_seq *seq, const char *name, double value,
                                const char *unit);

/* Fills seq->system (overwritten) from the spin system of a resolved model:
** every spin (label, isotope, offset in Hz, T1, T2, p90), every coupling (J
** and dipolar, Hz) and the field.  The model is not changed.  Returns
** NMRC_OK, or NMRC_EINVAL (seq->system then empty) when the model's system
** fails the checks of nmrc_seq_check. */
NMRC_NODISCARD nmrc_status nmrc_seq_set_system(nmrc_seq *seq, const nmrc_model *m, nmrc_ctx *ctx);

/* Checks a spin system on its own: at most NMRC_MAX_SPINS spins with known
** isotopes and unique, non-empty labels without control characters; finite
** offsets; T1, T2, p90 finite and >= 0 with T2 <= 2 T1 where both are
** given; at most NMRC_SEQ_MAX_COUPLINGS couplings, on distinct pairs
** 0 <= i < j < n_spins, finite; field finite and >= 0; no couplings and no
** field without spins.  Returns NMRC_OK or NMRC_EINVAL naming the spin or
** coupling. */
NMRC_NODISCARD nmrc_status nmrc_seq_system_check(const nmrc_seq_system *sys, nmrc_ctx *ctx);

/* Checks that seq is structurally sound: channel, list and shape indices in
** range and of the right kind, PULSE events with 1..NMRC_SEQ_MAX_CHANNELS
** pulses, loops balanced and at most NMRC_SEQ_MAX_DEPTH deep with counts
** 1..1e9, all numbers finite, durations >= 0, channel/list/shape names
** unique, no control characters in names, and the spin system as
** nmrc_seq_system_check.  Returns NMRC_OK or NMRC_EINVAL (the message names
** the event or table). */
NMRC_NODISCARD nmrc_status nmrc_seq_check(const nmrc_seq *seq, nmrc_ctx *ctx);

#ifdef __cplusplus
}
#endif
#endif /* NMRC_SEQ_H */
