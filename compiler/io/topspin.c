/*
** topspin.c: nmrc_seq -> Bruker TopSpin pulse program (text).  Pulses become
** (pN phM):fK with simultaneous pulses on one line, delays dN, gradients
** pN:gpK, loops "lo to LABEL times lN", phases TopSpin phase lists (0..3 or
** (360)/(65536) resolution), virtual-Z folded into later phases, then
** go=2 ph31 / wr #0 / exit and the parameter-comment block.
*/
#include "nmrc/xml.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topspin_impl.h"

/* ---- Statements ---------------------------------------------------------- */

/* Starts a statement line, with the pending label if any. */
static void line(ts *t)
{
    if (t->pending_label)
        nmrc_text_printf(&t->out, "%d ", t->pending_label);
    else
        nmrc_text_printf(&t->out, "  ");
    t->pending_label = 0;
}

/* Length in us of a channel pulse: from its amplitude, else the channel's
** 90-degree time, else the event duration, else 10 us per 90 degrees. */
static double pulse_us(const nmrc_seq *seq, const nmrc_event *e, const nmrc_pulse *p)
{
    double turns = fabs(p->angle) / TWO_PI;
    if (p->amplitude > 0)
        return 1e6 * turns / p->amplitude;
    if (seq->channels[p->channel].rf90 > 0)
        return 1e6 * seq->channels[p->channel].rf90 * fabs(p->angle) / HALF_PI;
    if (e->duration > 0)
        return 1e6 * e->duration;
    return 10.0 * fabs(p->angle) / HALF_PI;
}

/* "(pN phM):fK" for one channel pulse (hard or shaped). */
static void pulse_term(ts *t, const nmrc_event *e, const nmrc_pulse *p, int shaped, int single)
{
    const nmrc_seq *seq = t->seq;
    int ch = shaped ? e->channel : p->channel, k = nmrc_tsp_rf_number(seq, ch);
    double deg = fabs(p->angle) * 360.0 / TWO_PI, us;
    char comment[96];
    int ph = nmrc_tsp_use_phase(t, p->phase_list, p->phase - t->vz[ch]);
    if (shaped) {
        us = e->duration * 1e6;
        snprintf(comment, sizeof comment, "f%d channel - shaped pulse (%.4g degree)", k, deg);
        const char *pn = nmrc_tsp_use_par(t, "p", e->param, us, ch, 11, comment);
        char spn[16];
        snprintf(comment, sizeof comment, "f%d channel - shaped pulse", k);
        snprintf(spn, sizeof spn, "%s",
                 nmrc_tsp_use_par(t, "sp", NULL, (double)e->shape, ch, 1, comment));
        ts_param *sp = nmrc_tsp_find_par(t, spn);
        if (sp) {
            snprintf(sp->file, sizeof sp->file, "%s", seq->shapes[e->shape].name);
            nmrc_tsp_flatten(sp->file);
        }
        nmrc_text_printf(&t->out, "(%s:%s ph%d):f%d", pn, spn, ph, k);
        return;
    }
    us = pulse_us(seq, e, p);
    snprintf(comment, sizeof comment, "f%d channel - %.4g degree high power pulse", k, deg);
    int std = fabs(deg - 90) < 1e-6 ? 1 : fabs(deg - 180) < 1e-6 ? 2 : 0;
    char std_name[24] = "";
    if (std && k <= 2)
        snprintf(std_name, sizeof std_name, "p%d", 2 * (k - 1) + std);
    const char *pn =
        nmrc_tsp_use_par(t, "p", single && e->param[0] ? e->param : std_name, us, ch, 11, comment);
    nmrc_text_printf(&t->out, "(%s ph%d):f%d", pn, ph, k);
}

static void pulse_stmt(ts *t, const nmrc_event *e)
{
    line(t);
    if (e->kind == NMRC_EV_SHAPED) {
        pulse_term(t, e, &e->pulse[0], 1, 1);
    } else {
        for (int i = 0; i < e->n_pulse; i++) {
            nmrc_text_printf(&t->out, "%s", i ? " " : "");
            pulse_term(t, e, &e->pulse[i], 0, e->n_pulse == 1);
        }
    }
    nmrc_text_printf(&t->out, "\n");
}

static void delay_stmt(ts *t, const nmrc_event *e)
{
    if (e->duration <= 0)
        return;
    line(t);
    const char *dn = nmrc_tsp_use_par(t, "d", e->param, e->duration, -1, 2, "delay");
    nmrc_text_printf(&t->out, "%s\n", dn);
}

/* Gradient index k for (axis, percent): reuses gp<axis>k with that value,
** else the first k with gpxk, gpyk and gpzk all free (gpk drives all three). */
static int grad_index(ts *t, char axis, const char *explicit_name, double pct, const char *comment)
{
    char name[16];
    if (explicit_name[0]) {
        snprintf(name, sizeof name, "%s", explicit_name);
        for (char *s = name; *s; s++)
            *s = (char)tolower((unsigned char)*s);
        if (strlen(name) > 3 && strncmp(name, "gp", 2) == 0 && name[2] == axis &&
            atoi(name + 3) > 0 && nmrc_tsp_add_par(t, name, pct, -4, comment))
            return atoi(name + 3);
    }
    for (int k = 1; k < 100; k++) {
        snprintf(name, sizeof name, "gp%c%d", axis, k);
        ts_param *p = nmrc_tsp_find_par(t, name);
        if (p && nmrc_tsp_same(p->value, pct))
            return k;
    }
    for (int k = 1; k < 100; k++) {
        int free_k = 1;
        for (const char *a = "xyz"; *a; a++) {
            snprintf(name, sizeof name, "gp%c%d", *a, k);
            free_k &= nmrc_tsp_find_par(t, name) == NULL;
        }
        if (free_k) {
            snprintf(name, sizeof name, "gp%c%d", axis, k);
            nmrc_tsp_add_par(t, name, pct, -4, comment);
            return k;
        }
    }
    return 99;
}

static void grad_stmt(ts *t, const nmrc_event *e)
{
    const nmrc_seq *seq = t->seq;
    const nmrc_param *given = NULL;
    char up[16] = "";
    for (size_t i = 0; i < sizeof up - 1 && e->amp_param[i]; i++)
        up[i] = (char)toupper((unsigned char)e->amp_param[i]), up[i + 1] = 0;
    if (up[0])
        given = nmrc_seq_find_param(seq, up);
    double pct = given ? given->value : 100.0 * e->amplitude / GRAD_MAX_T_PER_M;
    char comment[96];
    snprintf(comment, sizeof comment, "gradient amplitude %.6g T/m", e->amplitude);
    int k = grad_index(t, seq->channels[e->channel].axis, e->amp_param, pct, comment);
    char gname[16];
    snprintf(gname, sizeof gname, "gp%c%d", seq->channels[e->channel].axis, k);
    ts_param *g = nmrc_tsp_find_par(t, gname);
    if (g) {
        snprintf(g->file, sizeof g->file, "%s",
                 e->shape >= 0 ? seq->shapes[e->shape].name : "RECT.1");
        nmrc_tsp_flatten(g->file);
    }
    const char *pn = nmrc_tsp_use_par(t, "p", e->param, e->duration * 1e6, -2, 16,
                             "gradient pulse length");
    line(t);
    nmrc_text_printf(&t->out, "%s:gp%d\n", pn, k);
    t->has_grad = 1;
}

/* go=2 ph31.  The receiver follows the virtual-Z frame like later pulses
** (docs/nmr-model.md), so the first acquisition records its channel's
** accumulated virtual-Z for ph31. */
static void acquire_stmt(ts *t, const nmrc_event *e)
{
    line(t);
    nmrc_text_printf(&t->out, "go=2 ph31\n");
    if (!t->has_acq)
        t->rx_vz = e->channel >= 0 ? t->vz[e->channel] : 0;
    t->has_acq = 1;
}

/* Net virtual-Z per channel of events [from, to), loops multiplied out. */
static void net_vz(const nmrc_seq *seq, size_t from, size_t to, double *acc)
{
    double scale[64 + 1];
    int depth = 0;
    scale[0] = 1;
    for (size_t i = from; i < to; i++) {
        const nmrc_event *e = &seq->events[i];
        if (e->kind == NMRC_EV_LOOP_BEGIN && depth < 64) {
            depth++;
            scale[depth] = scale[depth - 1] * (double)e->count;
        } else if (e->kind == NMRC_EV_LOOP_END && depth > 0) {
            depth--;
        } else if (e->kind == NMRC_EV_VZ) {
            acc[e->channel] += scale[depth] * e->vz_phase;
        }
    }
}

/* ---- Loops ----------------------------------------------------------------- */

typedef struct ts_loop {
    int label;
    size_t start_len;       /* body length when the loop began */
} ts_loop;

/* Opens a loop: checks that its body has no net virtual-Z (TopSpin phase
** lists cannot follow a phase that drifts per pass), reserves a label. */
static void loop_begin(ts *t, size_t i, ts_loop *lp)
{
    double acc[NMRC_SEQ_MAX_CHANNELS] = {0};
    net_vz(t->seq, i + 1, nmrc_seq_loop_end(t->seq, i), acc);
    for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++) {
        double r = fmod(fabs(acc[c]), TWO_PI);
        if (fmin(r, TWO_PI - r) > 1e-9 && t->st == NMRC_OK)
            t->st = nmrc_ctx_error(t->ctx, NMRC_ENOTSUP,
                                   "event %zu: loop body shifts channel %d by a net virtual-Z; "
                                   "TopSpin phase lists cannot express that (unroll the loop)",
                                   i, c);
    }
    if (t->pending_label) {     /* two loops start together: give the outer its own line */
        nmrc_text_printf(&t->out, "%d 1u  ; label only\n", t->pending_label);
    }
    lp->label = t->next_label++;
    t->pending_label = lp->label;
    lp->start_len = t->out.n;
}

static void loop_end(ts *t, const nmrc_event *b, const ts_loop *lp)
{
    if (t->pending_label == lp->label) {    /* empty body: drop the loop */
        t->pending_label = 0;
        return;
    }
    char comment[96];
    snprintf(comment, sizeof comment, "loop counter");
    const char *ln = nmrc_tsp_use_par(t, "l", b->param, (double)b->count, -3, 1, comment);
    line(t);
    nmrc_text_printf(&t->out, "lo to %d times %s\n", lp->label, ln);
}

/* The program body: every event in order. */
static void body(ts *t)
{
    const nmrc_seq *seq = t->seq;
    ts_loop stack[65];
    size_t begin_of[65];
    int depth = 0;
    for (size_t i = 0; i < seq->n_events && t->st == NMRC_OK; i++) {
        const nmrc_event *e = &seq->events[i];
        switch (e->kind) {
        case NMRC_EV_PULSE:
        case NMRC_EV_SHAPED: pulse_stmt(t, e); break;
        case NMRC_EV_DELAY: delay_stmt(t, e); break;
        case NMRC_EV_GRADIENT: grad_stmt(t, e); break;
        case NMRC_EV_ACQUIRE: acquire_stmt(t, e); break;
        case NMRC_EV_VZ: t->vz[e->channel] += e->vz_phase; break;
        case NMRC_EV_LOOP_BEGIN:
            begin_of[depth] = i;
            loop_begin(t, i, &stack[depth++]);
            break;
        case NMRC_EV_LOOP_END:
            depth--;
            loop_end(t, &seq->events[begin_of[depth]], &stack[depth]);
            break;
        }
    }
}

/* ---- Assembly --------------------------------------------------------------- */

/* Writes text as "; " comment lines of at most ~76 columns (words kept whole;
** newlines in the text start new lines). */
static void comment_wrapped(nmrc_text *o, const char *text)
{
    const char *s = text;
    while (*s) {
        size_t take = strcspn(s, "\n");
        if (take > 74) {
            size_t cut = 74;
            while (cut > 20 && s[cut] != ' ')
                cut--;
            take = cut > 20 ? cut : 74;     /* no blank: cut the word */
        }
        char chunk[80];
        snprintf(chunk, sizeof chunk, "%.*s", (int)take, s);
        nmrc_tsp_flatten(chunk);
        nmrc_text_printf(o, "; %s\n", chunk);
        s += take;
        while (*s == ' ' || *s == '\n')
            s++;
    }
}

static void header(const ts *t, nmrc_text *o)
{
    const nmrc_seq *seq = t->seq;
    comment_wrapped(o, seq->name[0] ? seq->name : "nmrc_sequence");
    nmrc_text_printf(o, ";\n");
    if (seq->description[0]) {
        comment_wrapped(o, seq->description);
        nmrc_text_printf(o, ";\n");
    }
    nmrc_text_printf(o, "; Written by nmrc from its sequence IR.  Channels:");
    for (size_t c = 0; c < seq->n_channels; c++) {
        char nuc[8];
        snprintf(nuc, sizeof nuc, "%s", seq->channels[c].nucleus);
        nmrc_tsp_flatten(nuc);
        if (seq->channels[c].kind == NMRC_CHAN_RF)
            nmrc_text_printf(o, " f%d = %s", nmrc_tsp_rf_number(seq, (int)c), nuc);
    }
    nmrc_text_printf(o, ".\n");
    if (seq->n_experiments > 1)
        nmrc_text_printf(o, "; This is experiment 1 of an experiment set of %zu; the others "
                            "differ by constant phase offsets (see the nmrc XML).\n",
                         seq->n_experiments);
    nmrc_text_printf(o, ";\n;$CLASS=HighRes\n;$DIM=1D\n;$TYPE=\n;$SUBTYPE=\n;$COMMENT=\n\n"
                        "#include <Avance.incl>\n%s\n",
                     t->has_grad ? "#include <Grad.incl>\n" : "");
}

static void start(const ts *t, nmrc_text *o)
{
    nmrc_text_printf(o, "1 ze\n2 d1");
    for (size_t c = 0; c < t->seq->n_channels; c++)
        if (t->seq->channels[c].kind == NMRC_CHAN_RF) {
            int k = nmrc_tsp_rf_number(t->seq, (int)c);
            nmrc_text_printf(o, " pl%d:f%d", k, k);
        }
    nmrc_text_printf(o, "\n%s", t->has_grad ? "  50u UNBLKGRAD\n" : "");
}

/* ph31: the receiver list shifted by -(virtual-Z of the acquisition channel);
** without an acquisition event, of the first RF channel at the end. */
static void receiver_list(const ts *t, nmrc_text *o)
{
    const nmrc_seq *seq = t->seq;
    double vz = t->rx_vz;
    if (!t->has_acq)
        for (size_t c = 0; c < seq->n_channels; c++)
            if (seq->channels[c].kind == NMRC_CHAN_RF) {
                vz = t->vz[c];
                break;
            }
    const nmrc_phase_list *rl = seq->receiver_list >= 0 && seq->phase_lists[seq->receiver_list].n
        ? &seq->phase_lists[seq->receiver_list] : NULL;
    size_t n = rl ? rl->n : 1;
    double *v = malloc(n * sizeof *v);
    if (!v) {
        o->oom = 1;             /* reported as NMRC_ENOMEM with the text */
        return;
    }
    for (size_t j = 0; j < n; j++)
        v[j] = (rl ? rl->phase[j] : 0) - vz;
    nmrc_tsp_phase_list(o, "ph31", v, n);
    free(v);
}

static void finish(const ts *t, nmrc_text *o)
{
    if (!t->has_acq)
        nmrc_text_printf(o, "  go=2 ph31  ; acquisition (the sequence itself has none)\n");
    nmrc_text_printf(o, "  wr #0\n%sexit\n\n", t->has_grad ? "  4u BLKGRAD\n" : "");
    const nmrc_seq *seq = t->seq;
    for (size_t k = 0; k < t->n_ph; k++) {
        const ts_phase *p = &t->ph[k];
        char name[32];
        snprintf(name, sizeof name, "ph%zu", k + 1);
        size_t n = p->list >= 0 ? seq->phase_lists[p->list].n : 1;
        double *v = malloc((n ? n : 1) * sizeof *v);
        if (!v) {
            nmrc_text_printf(o, "%s", "");
            continue;
        }
        for (size_t j = 0; j < n; j++)
            v[j] = p->offset + (p->list >= 0 ? seq->phase_lists[p->list].phase[j] : 0);
        nmrc_tsp_phase_list(o, name, v, n ? n : 1);
        free(v);
    }
    receiver_list(t, o);
}

/* One ";name : comment [value unit]" line. */

nmrc_status nmrc_topspin_write_buffer(const nmrc_seq *seq, char **out, size_t *len,
                                      nmrc_ctx *ctx)
{
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_topspin_write_buffer: out is NULL");
    *out = NULL;
    if (!seq)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_topspin_write_buffer: no sequence");
    nmrc_status st = nmrc_seq_check(seq, ctx);
    if (st != NMRC_OK)
        return st;
    ts *t = calloc(1, sizeof *t);
    if (!t)
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    t->seq = seq;
    t->ctx = ctx;
    t->next_label = 3;
    const nmrc_param *d1 = nmrc_seq_find_param(seq, "D1");
    nmrc_tsp_add_par(t, "d1", d1 ? d1->value : 1.0, -1, "relaxation delay; 1-5 * T1");
    body(t);
    nmrc_text o = {0};
    header(t, &o);
    start(t, &o);
    nmrc_text_printf(&o, "%s", t->out.p ? t->out.p : "");
    finish(t, &o);
    nmrc_tsp_param_block(t, &o);
    st = t->st;
    if (st == NMRC_OK && (o.oom || t->out.oom))
        st = nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory writing the pulse program");
    nmrc_text_free(&t->out);
    free(t);
    if (st != NMRC_OK) {
        nmrc_text_free(&o);
        return st;
    }
    *out = o.p;
    if (len)
        *len = o.n;
    return NMRC_OK;
}

nmrc_status nmrc_topspin_write_file(const nmrc_seq *seq, const char *path, nmrc_ctx *ctx)
{
    return nmrc_text_write_file(nmrc_topspin_write_buffer, seq, path, ctx);
}
