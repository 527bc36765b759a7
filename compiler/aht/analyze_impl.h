/*
** analyze_impl.h (private): what the exact propagators (analyze_prop.c) and
** the toggling-frame analysis (analyze.c) share: the channel -> spin map,
** loop matching, net rotations of shaped pulses, pulse amplitudes and the
** natural Hamiltonian (kappa, offsets) of a sequence.
*/
#ifndef NMRC_ANALYZE_IMPL_H
#define NMRC_ANALYZE_IMPL_H

#include "core/defs.h"

#include "nmrc/compile.h"
#include "nmrc/linalg.h"
#include "nmrc/consts.h"


/* Which spins each channel drives (bit s = spin s) and its 90-degree time. */
typedef struct chan_map {
    int mask[NMRC_SEQ_MAX_CHANNELS]; /* spins driven by channel c */
    int n_rf;
    double rf90[NMRC_SEQ_MAX_CHANNELS];
} chan_map;

/* A sequence walk under H_nat = kappa ZZ + offsets. */
typedef struct prop_ctx {
    const nmrc_seq *seq;
    chan_map cm;
    double kappa, off[2];
    int finite;
    size_t *match;
    nmrc_eigh_ws *ws;
} prop_ctx;

/* Fills cm from the sequence's RF channels (the first two drive spins 0 and
** 1; a single RF channel drives both); returns the number of RF channels. */
NMRC_INTERNAL int nmrc_an_map_channels(const nmrc_seq *seq, chan_map *cm);

/* Returns the spin mask channel c drives (0 for an unknown channel). */
NMRC_INTERNAL int nmrc_an_chan_mask(const chan_map *cm, int c);

/* Writes into match[i] (n_events entries, overwritten) the matching
** LOOP_END index of every LOOP_BEGIN; returns -1 on imbalance, else 0. */
NMRC_INTERNAL int nmrc_an_match_loops(const nmrc_seq *seq, size_t *match);

/* Writes the net rotation (angle, unit axis) of a shaped pulse, or of the
** first part of a plain pulse when it has no shape. */
NMRC_INTERNAL void nmrc_an_shaped_rotation(const nmrc_seq *seq, const nmrc_event *ev, double *angle,
                             double ax[3]);

/* Returns the RF amplitude (Hz) of a pulse part: its own, else from the
** channel's rf90, else 0 (unknown). */
NMRC_INTERNAL double nmrc_an_part_nu(const prop_ctx *p, const nmrc_pulse *q);

/* Writes kappa and the two offsets (rad/s): from pair if given, else from
** the sequence's natural-system data. */
NMRC_INTERNAL void nmrc_an_pair_offsets(const nmrc_seq *seq, const nmrc_pair *pair, double *kappa,
                          double off[2]);

/* Writes the propagator of one non-loop event into E (4x4 column-major)
** under p's H_nat; uses p->seq, p->cm, p->kappa, p->off, p->finite, p->ws. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_an_event_unitary(const prop_ctx *p, const nmrc_event *ev,
                                                nmrc_cplx E[16]);

#endif
