/*
** seq_system.c: the spin system a sequence records (nmrc_seq_system in
** nmrc/seq.h, nmrc:system in XML), filled from a resolved model: the one
** place where the sequence IR reads the model's `system { }` block.
*/
#include "nmrc/seq.h"

#include <stdio.h>
#include <string.h>

nmrc_status nmrc_seq_set_system(nmrc_seq *seq, const nmrc_model *m, nmrc_ctx *ctx)
{
    if (!seq || !m)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_seq_set_system: NULL argument");
    nmrc_seq_system *sys = &seq->system;
    memset(sys, 0, sizeof *sys);
    if (m->n_spins > NMRC_MAX_SPINS || m->n_couplings > NMRC_SEQ_MAX_COUPLINGS)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "spin system: %zu spins and %zu couplings, "
                              "more than a sequence records", m->n_spins, m->n_couplings);
    for (size_t i = 0; i < m->n_spins; i++) {
        const nmrc_spin *s = &m->spins[i];
        nmrc_seq_spin *d = &sys->spins[i];
        snprintf(d->label, sizeof d->label, "%s", s->label);
        snprintf(d->nucleus, sizeof d->nucleus, "%s", s->isotope);
        d->offset_hz = s->offset_hz;
        d->t1 = s->t1;
        d->t2 = s->t2;
        d->p90 = s->p90;
    }
    for (size_t c = 0; c < m->n_couplings; c++) {
        const nmrc_coupling *p = &m->couplings[c];
        sys->couplings[c] = (nmrc_seq_coupling){p->i < p->j ? p->i : p->j,
                                                p->i < p->j ? p->j : p->i, p->j_hz,
                                                p->dipolar_hz,
                                                p->weak && !strcmp(m->spins[p->i].isotope,
                                                                   m->spins[p->j].isotope)};
    }
    sys->n_spins = m->n_spins;
    sys->n_couplings = m->n_couplings;
    sys->b0 = m->b0;
    nmrc_status st = nmrc_seq_system_check(sys, ctx);
    if (st != NMRC_OK)
        memset(sys, 0, sizeof *sys);
    return st;
}
