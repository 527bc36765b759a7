/*
** compile_model.c: compiling a resolved .spin model: the spin pair, its
** natural coupling and the two-spin target taken from the model
** (nmrc_compile_extract), explicit user sequences, library sequences, and
** the pass pipeline of nmrc_compile_model (decoupling, composite and finite
** pulses, offset compensation of the finite pulses, loop compression).
*/
#include "nmrc/compile.h"
#include "nmrc/library.h"
#include "nmrc/consts.h"

#include <math.h>
#include <stdio.h>
#include <string.h>


/* ---- From a resolved model ------------------------------------------------ */

static const char *span_file(const nmrc_model *m, const nmrc_span *sp)
{
    return (m->files && sp->file < m->n_files && m->files[sp->file]) ? m->files[sp->file]
                                                                     : "<spec>";
}

static nmrc_errpos errpos(const nmrc_span *sp)
{
    return (nmrc_errpos){sp->file, sp->line, sp->col, sp->len};
}

static const char *spin_label(const nmrc_model *m, int s)
{
    return (s >= 0 && (size_t)s < m->n_spins) ? m->spins[s].label : "?";
}

/* Adds spin s to the set sp[0..*n); returns -1 if it would be a third spin. */
static int add_spin(int sp[2], int *n, int s)
{
    if ((*n > 0 && sp[0] == s) || (*n > 1 && sp[1] == s))
        return 0;
    if (*n == 2)
        return -1;
    sp[(*n)++] = s;
    return 0;
}

static NMRC_NODISCARD nmrc_status collect_spins(const nmrc_model *m, int sp[2], int *n, nmrc_ctx *ctx)
{
    for (int pass = 0; pass < 2; pass++) /* pair terms first, then local ones */
        for (size_t k = 0; k < m->n_terms; k++) {
            const nmrc_term *t = &m->terms[k];
            int pair = t->j >= 0;
            if (pair != (pass == 0) || t->i < 0)
                continue;
            int third = -1;
            if (add_spin(sp, n, t->i))
                third = t->i;
            else if (pair && add_spin(sp, n, t->j))
                third = t->j;
            if (third >= 0)
                return nmrc_ctx_error_at(ctx, NMRC_ENOTSUP, errpos(&t->span),
                                         span_file(m, &t->span),
                                         "this target term involves spin %s, a third spin: "
                                         "targets on more than two spins are not supported yet",
                                         spin_label(m, third));
        }
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status find_partner(const nmrc_model *m, int sp[2], int *n, nmrc_ctx *ctx)
{
    for (size_t c = 0; c < m->n_couplings && *n < 2; c++) {
        const nmrc_coupling *cp = &m->couplings[c];
        if (*n == 0)
            sp[(*n)++] = cp->i;
        if (cp->i == sp[0] || cp->j == sp[0])
            sp[(*n)++] = cp->i == sp[0] ? cp->j : cp->i;
    }
    if (*n < 2)
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "cannot find the spin pair to compile for: the target names "
                              "fewer than two spins and no coupling (`couple A B J ...`) "
                              "names a partner");
    return NMRC_OK;
}

/* The span of the target's first coupling term, else of its first term
** (NULL without terms). */
static const nmrc_span *first_pair_term(const nmrc_model *m)
{
    for (size_t k = 0; k < m->n_terms; k++)
        if (m->terms[k].j >= 0)
            return &m->terms[k].span;
    return m->n_terms ? &m->terms[0].span : NULL;
}

static void target_of(const nmrc_model *m, int p, int q, nmrc_target2 *tg)
{
    for (size_t k = 0; k < m->n_terms; k++) {
        const nmrc_term *t = &m->terms[k];
        if (t->j < 0) {
            if (t->i == p || t->i < 0)
                for (int a = 0; a < 3; a++)
                    tg->a[a] += m->omega * t->field[a];
            if (t->i == q || t->i < 0)
                for (int a = 0; a < 3; a++)
                    tg->b[a] += m->omega * t->field[a];
        } else if (t->i == p && t->j == q) {
            for (int a = 0; a < 9; a++)
                tg->T[a] += m->omega * t->tensor[a];
        } else if (t->i == q && t->j == p) {
            for (int a = 0; a < 3; a++)
                for (int b = 0; b < 3; b++)
                    tg->T[3 * a + b] += m->omega * t->tensor[3 * b + a];
        }
    }
}

nmrc_status nmrc_compile_extract(const nmrc_model *m, nmrc_pair *pair, nmrc_target2 *tg,
                                 nmrc_ctx *ctx)
{
    memset(pair, 0, sizeof *pair);
    memset(tg, 0, sizeof *tg);
    if (!(m->omega > 0))
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "the spec gives no energy unit `omega`");
    int sp[2] = {-1, -1}, n = 0;
    nmrc_status st = collect_spins(m, sp, &n, ctx);
    if (st == NMRC_OK && n < 2)
        st = find_partner(m, sp, &n, ctx);
    if (st != NMRC_OK)
        return st;
    int p = sp[0] < sp[1] ? sp[0] : sp[1], q = sp[0] < sp[1] ? sp[1] : sp[0];
    if (p < 0 || (size_t)q >= m->n_spins)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "target names an undeclared spin");
    const nmrc_coupling *cp = NULL;
    for (size_t c = 0; c < m->n_couplings; c++)
        if ((m->couplings[c].i == p && m->couplings[c].j == q) ||
            (m->couplings[c].i == q && m->couplings[c].j == p))
            cp = &m->couplings[c];
    if (!cp || cp->j_hz == 0) {
        const nmrc_span *at = first_pair_term(m);
        if (cp) /* a coupling with J = 0: point at it */
            at = &cp->span;
        if (at && at->line > 0)
            return nmrc_ctx_error_at(ctx, NMRC_EINVAL, errpos(at), span_file(m, at),
                                     "no scalar coupling between %s and %s: add `couple %s %s J "
                                     "... Hz` to the system", spin_label(m, p), spin_label(m, q),
                                     spin_label(m, p), spin_label(m, q));
        return nmrc_ctx_error(ctx, NMRC_EINVAL,
                              "no scalar coupling between %s and %s: add `couple %s %s J ... Hz`"
                              " to the system", spin_label(m, p), spin_label(m, q),
                              spin_label(m, p), spin_label(m, q));
    }
    if (cp->dipolar_hz != 0)
        return nmrc_ctx_error_at(ctx, NMRC_ENOTSUP, errpos(&cp->span), span_file(m, &cp->span),
                                 "a natural dipolar coupling is not supported by the compiler "
                                 "yet (scalar J only)");
    pair->kappa = NMRC_PI * cp->j_hz / 2.0;
    int ids[2] = {p, q};
    for (int c = 0; c < 2; c++) {
        const nmrc_spin *s = &m->spins[ids[c]];
        pair->spin[c] = ids[c];
        pair->offset[c] = NMRC_PI * s->offset_hz;
        pair->p90[c] = s->p90;
        snprintf(pair->nucleus[c], sizeof pair->nucleus[c], "%s", s->isotope);
    }
    target_of(m, p, q, tg);
    double wt = m->compile.time > 0 ? m->compile.time
                : (m->has_evolve && m->evolve.stop > 0) ? m->evolve.stop : 1.0;
    tg->time = wt / m->omega;
    return NMRC_OK;
}

/* Channel of model spin `spin` in a sequence built by nmrc_compile_new_seq. */
static int spin_channel(const nmrc_pair *pair, const int chan[2], int spin)
{
    return spin == pair->spin[0] ? chan[0] : spin == pair->spin[1] ? chan[1] : -1;
}

static NMRC_NODISCARD nmrc_status user_event(const nmrc_model *m, const nmrc_pair *pair, const int chan[2],
                              const nmrc_uevent *u, nmrc_seq *seq, nmrc_ctx *ctx)
{
    static const nmrc_event_kind kinds[] = {NMRC_EV_PULSE, NMRC_EV_DELAY, NMRC_EV_GRADIENT,
                                            NMRC_EV_ACQUIRE, NMRC_EV_LOOP_BEGIN,
                                            NMRC_EV_LOOP_END};
    nmrc_event ev = nmrc_seq_event_init(kinds[u->kind]);
    ev.span = u->span;
    double t = u->time_is_seconds ? u->duration : u->duration / m->omega;
    switch (u->kind) {
    case NMRC_UEV_PULSE:
        for (int s = 0; s < NMRC_MAX_SPINS; s++) {
            if (!(u->mask & (1u << s)))
                continue;
            int c = spin_channel(pair, chan, s);
            if (c < 0)
                return nmrc_ctx_error_at(ctx, NMRC_ENOTSUP, errpos(&u->span),
                                         span_file(m, &u->span),
                                         "pulse on spin %s, which is not one of the two "
                                         "compiled spins", spin_label(m, s));
            nmrc_pulse *p = &ev.pulse[ev.n_pulse++];
            p->channel = c;
            p->angle = u->angle;
            p->phase = u->phase;
        }
        break;
    case NMRC_UEV_DELAY:
        ev.duration = t;
        break;
    case NMRC_UEV_GRADIENT: {
        nmrc_status st = nmrc_seq_grad_channel(seq, u->axis, &ev.channel);
        if (st != NMRC_OK)
            return nmrc_ctx_error_at(ctx, st, errpos(&u->span), span_file(m, &u->span),
                                     "cannot add gradient channel %c", u->axis);
        ev.duration = t;
        ev.amplitude = u->amplitude;
        break;
    }
    case NMRC_UEV_ACQUIRE:
        ev.channel = chan[0];
        break;
    case NMRC_UEV_LOOP_BEGIN:
        ev.count = u->count;
        break;
    case NMRC_UEV_LOOP_END:
        break;
    }
    if (!(ev.duration >= 0) || !isfinite(ev.duration))
        return nmrc_ctx_error_at(ctx, NMRC_EINVAL, errpos(&u->span), span_file(m, &u->span),
                                 "negative or invalid duration");
    if (nmrc_seq_append(seq, &ev) != NMRC_OK)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    return NMRC_OK;
}

nmrc_status nmrc_compile_user_sequence(const nmrc_model *m, const nmrc_pair *pair,
                                       nmrc_ctx *ctx, nmrc_seq **out)
{
    int chan[2];
    nmrc_status st = nmrc_compile_new_seq(pair, "user_sequence", ctx, out, chan);
    for (size_t k = 0; st == NMRC_OK && k < m->n_uevents; k++)
        st = user_event(m, pair, chan, &m->uevents[k], *out, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(*out);
        *out = NULL;
        return st;
    }
    snprintf((*out)->description, sizeof (*out)->description,
             "explicit user sequence from the spec (%zu events)", m->n_uevents);
    return NMRC_OK;
}

static int target_zero(const nmrc_target2 *tg)
{
    for (int i = 0; i < 9; i++)
        if (tg->T[i] != 0)
            return 0;
    for (int i = 0; i < 3; i++)
        if (tg->a[i] != 0 || tg->b[i] != 0)
            return 0;
    return 1;
}

/* A library sequence named by the spec, with the spec's pair and target. */
static NMRC_NODISCARD nmrc_status library_sequence(const nmrc_model *m, const nmrc_compile_cfg *cfg,
                                    const nmrc_pair *pair, const nmrc_target2 *tg,
                                    nmrc_ctx *ctx, nmrc_seq **out)
{
    nmrc_seq *seq = NULL;
    nmrc_status st = nmrc_library_load(m->sequence_name, cfg->library_dir, ctx, &seq);
    if (st != NMRC_OK)
        return st;
    int n_rf = 0;
    for (size_t c = 0; c < seq->n_channels; c++)
        n_rf += seq->channels[c].kind == NMRC_CHAN_RF;
    if (n_rf > 2) {
        nmrc_seq_destroy(seq);
        return nmrc_ctx_error(ctx, NMRC_ENOTSUP, "library sequence \"%s\" drives %d RF "
                              "channels; the compiler handles two-spin pairs",
                              m->sequence_name, n_rf);
    }
    for (size_t c = 0, k = 0; c < seq->n_channels && k < 2; c++) /* the spec's p90 */
        if (seq->channels[c].kind == NMRC_CHAN_RF && pair->p90[k++] > 0)
            seq->channels[c].rf90 = pair->p90[k - 1];
    if (m->n_terms > 0) {
        nmrc_compile_set_target(seq, pair, tg);
    } else {
        nmrc_target2 keep = {{0}, {0}, {0}, 0};
        memcpy(keep.T, seq->target_tensor, sizeof keep.T);
        memcpy(keep.a, seq->target_field[0], sizeof keep.a);
        memcpy(keep.b, seq->target_field[1], sizeof keep.b);
        keep.time = seq->target_time;
        int had = seq->has_target;
        nmrc_compile_set_target(seq, pair, &keep);
        seq->has_target = had;
    }
    *out = seq;
    return NMRC_OK;
}

/* Writes repeated blocks as a loop, keeping it only if the exact propagator
** (finite pulses where the events have lengths) is unchanged. */
static NMRC_NODISCARD nmrc_status compress_loops(nmrc_seq **seq, const nmrc_pair *pair, nmrc_ctx *ctx)
{
    nmrc_seq *next = NULL;
    nmrc_cplx U[16], V[16];
    nmrc_status st = nmrc_compile_loops(*seq, ctx, &next);
    if (st == NMRC_OK)
        st = nmrc_seq_propagator(*seq, pair, 1, ctx, U);
    if (st == NMRC_OK)
        st = nmrc_seq_propagator(next, pair, 1, ctx, V);
    if (st == NMRC_OK && next->n_events < (*seq)->n_events &&
        nmrc_gate_fidelity(V, U) > 1.0 - 1e-12) {
        nmrc_seq_destroy(*seq);
        *seq = next;
        return NMRC_OK;
    }
    nmrc_seq_destroy(next);
    return st;
}

/* Replaces *seq by the result of a pass (or keeps it on failure). */
static NMRC_NODISCARD nmrc_status replace(nmrc_seq **seq, nmrc_status st, nmrc_seq *next)
{
    if (st != NMRC_OK) {
        nmrc_seq_destroy(next);
        return st;
    }
    nmrc_seq_destroy(*seq);
    *seq = next;
    return NMRC_OK;
}

/* The passes on the pulses, in order: composite pulses, finite pulse lengths
** (when the pair has p90), offset compensation of the finite pulses. */
static NMRC_NODISCARD nmrc_status pulse_passes(nmrc_seq **seq, const nmrc_pair *pair,
                                               const nmrc_compile_cfg *cfg, nmrc_ctx *ctx)
{
    nmrc_seq *next = NULL;
    nmrc_status st = NMRC_OK;
    if (cfg->composite != NMRC_COMPOSITE_NONE) {
        st = nmrc_compile_composite(*seq, cfg->composite, ctx, &next);
        st = replace(seq, st, next);
    }
    if (st == NMRC_OK && cfg->finite && (pair->p90[0] > 0 || pair->p90[1] > 0)) {
        st = nmrc_compile_finite(*seq, ctx, &next);
        st = replace(seq, st, next);
    }
    if (st == NMRC_OK && cfg->offset_compensation) {
        st = nmrc_compile_offset_compensate(*seq, pair, ctx, &next);
        st = replace(seq, st, next);
    }
    return st;
}

/* Events compiled from the target as a whole (not from a user sequence)
** point at the target's first coupling term, or its first term, so that
** reports and the XML can name a spec line for every event. */
static void attach_target_span(nmrc_seq *seq, const nmrc_model *m)
{
    if (m->n_terms == 0)
        return;
    nmrc_span sp = *first_pair_term(m);
    for (size_t e = 0; e < seq->n_events; e++)
        if (seq->events[e].span.line == 0)
            seq->events[e].span = sp;
}

static NMRC_NODISCARD nmrc_status compile_model(const nmrc_model *m, const nmrc_compile_cfg *cfg,
                                                nmrc_ctx *ctx, nmrc_seq **out)
{
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = NULL, *next = NULL;
    *out = NULL;
    nmrc_status st = nmrc_compile_extract(m, &pair, &tg, ctx);
    if (st != NMRC_OK)
        return st;
    int library = m->n_uevents == 0 && m->sequence_name[0];
    if (m->n_uevents > 0)
        st = nmrc_compile_user_sequence(m, &pair, ctx, &seq);
    else if (library) /* pair and target set there; then the passes like any program */
        st = library_sequence(m, cfg, &pair, &tg, ctx, &seq);
    else if (target_zero(&tg) && first_pair_term(m) && first_pair_term(m)->line > 0)
        return nmrc_ctx_error_at(ctx, NMRC_EINVAL, errpos(first_pair_term(m)),
                                 span_file(m, first_pair_term(m)),
                                 "the target Hamiltonian of spins %s and %s is zero: nothing to "
                                 "compile", spin_label(m, pair.spin[0]),
                                 spin_label(m, pair.spin[1]));
    else
        st = nmrc_compile_target(&pair, &tg, cfg, ctx, &seq);
    if (st != NMRC_OK)
        return st;
    if (!library) {
        attach_target_span(seq, m);
        nmrc_compile_set_target(seq, &pair, &tg);
        if (m->n_terms == 0) /* an explicit sequence without a target: nothing to judge */
            seq->has_target = 0;
    }
    if (cfg->decouple != NMRC_DECOUPLE_NONE) {
        st = nmrc_compile_decouple(seq, cfg->decouple, cfg->udd_n, ctx, &next);
        st = replace(&seq, st, next);
    }
    if (st == NMRC_OK)
        st = pulse_passes(&seq, &pair, cfg, ctx);
    if (st == NMRC_OK && cfg->loops)
        st = compress_loops(&seq, &pair, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return st;
    }
    *out = seq;
    return NMRC_OK;
}

/* Every path records the spec's whole spin system in the sequence. */
nmrc_status nmrc_compile_model(const nmrc_model *m, const nmrc_compile_cfg *cfg, nmrc_ctx *ctx,
                               nmrc_seq **out)
{
    nmrc_status st = compile_model(m, cfg, ctx, out);
    if (st == NMRC_OK && (st = nmrc_seq_set_system(*out, m, ctx)) != NMRC_OK) {
        nmrc_seq_destroy(*out);
        *out = NULL;
    }
    return st;
}

nmrc_status nmrc_compile_charge_model(const nmrc_model *m, const nmrc_compile_cfg *cfg,
                                      double wt, nmrc_ctx *ctx, nmrc_seq **out)
{
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = NULL;
    int chan[2];
    *out = NULL;
    if (!m->has_charge)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--charge: the spec has no `charge { }` block");
    if (!isfinite(wt) || wt < 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--charge: omega t must be >= 0 (got %g)", wt);
    nmrc_status st = nmrc_compile_extract(m, &pair, &tg, ctx);
    if (st == NMRC_OK)
        st = nmrc_compile_new_seq(&pair, "charging", ctx, &seq, chan);
    if (st == NMRC_OK)
        st = nmrc_compile_charging(seq, m->charge.strength, m->charge.phase, wt, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return st;
    }
    memset(&tg, 0, sizeof tg);
    tg.time = wt / m->omega;
    double w = m->charge.strength * m->omega;
    tg.a[0] = tg.b[0] = w * cos(m->charge.phase);
    tg.a[1] = tg.b[1] = w * sin(m->charge.phase);
    nmrc_compile_set_target(seq, &pair, &tg);
    snprintf(seq->description, sizeof seq->description,
             "charging pulse of the protocol: collective rotation by 2 w omega t = %.6g rad "
             "about the charge axis on both channels", 2 * m->charge.strength * wt);
    st = pulse_passes(&seq, &pair, cfg, ctx);
    if (st == NMRC_OK)
        st = nmrc_seq_set_system(seq, m, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return st;
    }
    *out = seq;
    return NMRC_OK;
}
