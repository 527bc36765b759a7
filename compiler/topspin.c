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

#include "xml_text.h"

#define TWO_PI 6.28318530717958647692
#define HALF_PI 1.57079632679489661923
#define MAX_PARAMS 256
#define MAX_PH 30           /* ph1..ph30 for pulses; ph31 is the receiver */
#define GRAD_MAX_T_PER_M 0.5 /* 100 % gradient assumed when no GPZ parameter is given */

/* A TopSpin parameter the program uses. */
typedef struct ts_param {
    char name[16];          /* lower case: "p1", "d2", "l1", "gpz1", "pl1", "sp1" */
    double value;           /* p: us, d: s, l: count, gpz: %, pl/sp: W (0 = unknown) */
    int channel;            /* channel it belongs to, -1 = none */
    char comment[96];
    char file[64];          /* sp: spnam (shape name); gp: gpnam */
} ts_param;

/* A TopSpin phase program: an nmrc phase list (or none) plus a constant. */
typedef struct ts_phase {
    int list;               /* nmrc list index or -1 */
    double offset;          /* rad */
} ts_phase;

typedef struct ts {
    const nmrc_seq *seq;
    nmrc_ctx *ctx;
    nmrc_text out;          /* the program body */
    ts_param par[MAX_PARAMS];
    size_t n_par;
    ts_phase ph[MAX_PH];
    size_t n_ph;
    double vz[NMRC_SEQ_MAX_CHANNELS]; /* accumulated virtual-Z per channel */
    int next_label;
    int pending_label;      /* label to put on the next statement, 0 = none */
    int has_grad, has_acq;
    nmrc_status st;
} ts;

/* ---- Parameters --------------------------------------------------------- */

static ts_param *find_par(ts *t, const char *name)
{
    for (size_t i = 0; i < t->n_par; i++)
        if (strcmp(t->par[i].name, name) == 0)
            return &t->par[i];
    return NULL;
}

static int same(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* Replaces control characters (newlines, tabs) by spaces so that a text
** stays inside its one comment line. */
static void flatten(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            *s = ' ';
}

/* Is name a TopSpin parameter name "<prefix><digits>"? */
static int topspin_name(const char *name, const char *prefix)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0 || !name[n])
        return 0;
    for (const char *s = name + n; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

/* Adds parameter `name` = value (or finds it).  Returns it, or NULL when the
** name is taken by another value or the table is full. */
static ts_param *add_par(ts *t, const char *name, double value, int channel, const char *comment)
{
    ts_param *p = find_par(t, name);
    if (p)
        return same(p->value, value) && p->channel == channel ? p : NULL;
    if (t->n_par >= MAX_PARAMS) {
        t->st = nmrc_ctx_error(t->ctx, NMRC_ELIMIT, "more than %d TopSpin parameters", MAX_PARAMS);
        return NULL;
    }
    p = &t->par[t->n_par++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->value = value;
    p->channel = channel;
    snprintf(p->comment, sizeof p->comment, "%s", comment);
    flatten(p->comment);
    return p;
}

/* Parameter for (prefix, value, channel): the explicit name if usable, else
** an existing one with that value, else the first free prefixN, N >= first. */
static const char *use_par(ts *t, const char *prefix, const char *explicit_name, double value,
                           int channel, int first, const char *comment)
{
    char name[16];
    if (explicit_name && explicit_name[0]) {
        snprintf(name, sizeof name, "%s", explicit_name);
        for (char *s = name; *s; s++)
            *s = (char)tolower((unsigned char)*s);
        ts_param *p = topspin_name(name, prefix) ? add_par(t, name, value, channel, comment)
                                                 : NULL;
        if (p)
            return p->name;
    }
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < t->n_par; i++) {
        ts_param *p = &t->par[i];
        if (strncmp(p->name, prefix, plen) == 0 && isdigit((unsigned char)p->name[plen]) &&
            same(p->value, value) && p->channel == channel)
            return p->name;
    }
    for (int k = first; k < 1000; k++) {
        snprintf(name, sizeof name, "%s%d", prefix, k);
        if (!find_par(t, name)) {
            ts_param *p = add_par(t, name, value, channel, comment);
            return p ? p->name : "?";
        }
    }
    return "?";
}

/* ---- Phases ---------------------------------------------------------------- */

/* TopSpin phase list name ("ph3") for list+offset, adding it if new. */
static int use_phase(ts *t, int list, double offset)
{
    offset = fmod(offset, TWO_PI);
    if (offset < 0)
        offset += TWO_PI;
    for (size_t i = 0; i < t->n_ph; i++)
        if (t->ph[i].list == list &&
            (fabs(t->ph[i].offset - offset) < 1e-12 ||
             fabs(fabs(t->ph[i].offset - offset) - TWO_PI) < 1e-12))
            return (int)i + 1;
    if (t->n_ph >= MAX_PH) {
        t->st = nmrc_ctx_error(t->ctx, NMRC_ENOTSUP,
                               "more than %d distinct pulse phase programs (TopSpin has ph0..ph31)",
                               MAX_PH);
        return 1;
    }
    t->ph[t->n_ph].list = list;
    t->ph[t->n_ph].offset = offset;
    return (int)++t->n_ph;
}

/* Writes "phN=..." for phases[0..n) (rad): quadrants 0..3 when all are
** multiples of 90 degrees, else (360) degrees, else (65536) units. */
static void write_phase_list(nmrc_text *o, const char *name, const double *phases, size_t n)
{
    int quad = 1, deg = 1;
    for (size_t k = 0; k < n; k++) {
        double d = fmod(phases[k] * 360.0 / TWO_PI, 360.0);
        d = d < 0 ? d + 360.0 : d;
        quad &= fabs(d / 90.0 - round(d / 90.0)) < 1e-9;
        deg &= fabs(d - round(d)) < 1e-9;
    }
    nmrc_text_printf(o, "%s=%s", name, quad ? "" : deg ? "(360)" : "(65536)");
    double unit = quad ? 90.0 : deg ? 1.0 : 360.0 / 65536.0, mod = quad ? 4 : deg ? 360 : 65536;
    for (size_t k = 0; k < n; k++) {
        double d = fmod(phases[k] * 360.0 / TWO_PI, 360.0);
        d = d < 0 ? d + 360.0 : d;
        long v = lround(d / unit);
        nmrc_text_printf(o, "%s%ld", (k || !quad) ? " " : "", v % (long)mod);
    }
    nmrc_text_printf(o, "\n");
}

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

/* The RF channel number k of channel c (f1 -> 1). */
static int rf_number(const nmrc_seq *seq, int c)
{
    int k = 0;
    for (int i = 0; i <= c; i++)
        k += seq->channels[i].kind == NMRC_CHAN_RF;
    return k;
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
    int ch = shaped ? e->channel : p->channel, k = rf_number(seq, ch);
    double deg = fabs(p->angle) * 360.0 / TWO_PI, us;
    char comment[96];
    int ph = use_phase(t, p->phase_list, p->phase - t->vz[ch]);
    if (shaped) {
        us = e->duration * 1e6;
        snprintf(comment, sizeof comment, "f%d channel - shaped pulse (%.4g degree)", k, deg);
        const char *pn = use_par(t, "p", e->param, us, ch, 11, comment);
        char spn[16];
        snprintf(comment, sizeof comment, "f%d channel - shaped pulse", k);
        snprintf(spn, sizeof spn, "%s", use_par(t, "sp", NULL, (double)e->shape, ch, 1, comment));
        ts_param *sp = find_par(t, spn);
        if (sp) {
            snprintf(sp->file, sizeof sp->file, "%s", seq->shapes[e->shape].name);
            flatten(sp->file);
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
    const char *pn = use_par(t, "p", single && e->param[0] ? e->param : std_name, us, ch, 11,
                             comment);
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
    const char *dn = use_par(t, "d", e->param, e->duration, -1, 2, "delay");
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
            atoi(name + 3) > 0 && add_par(t, name, pct, -4, comment))
            return atoi(name + 3);
    }
    for (int k = 1; k < 100; k++) {
        snprintf(name, sizeof name, "gp%c%d", axis, k);
        ts_param *p = find_par(t, name);
        if (p && same(p->value, pct))
            return k;
    }
    for (int k = 1; k < 100; k++) {
        int free_k = 1;
        for (const char *a = "xyz"; *a; a++) {
            snprintf(name, sizeof name, "gp%c%d", *a, k);
            free_k &= find_par(t, name) == NULL;
        }
        if (free_k) {
            snprintf(name, sizeof name, "gp%c%d", axis, k);
            add_par(t, name, pct, -4, comment);
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
    ts_param *g = find_par(t, gname);
    if (g) {
        snprintf(g->file, sizeof g->file, "%s",
                 e->shape >= 0 ? seq->shapes[e->shape].name : "RECT.1");
        flatten(g->file);
    }
    const char *pn = use_par(t, "p", e->param, e->duration * 1e6, -2, 16,
                             "gradient pulse length");
    line(t);
    nmrc_text_printf(&t->out, "%s:gp%d\n", pn, k);
    t->has_grad = 1;
}

static void acquire_stmt(ts *t)
{
    line(t);
    nmrc_text_printf(&t->out, "go=2 ph31\n");
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

static size_t match_end(const nmrc_seq *seq, size_t i)
{
    int depth = 0;
    for (size_t j = i; j < seq->n_events; j++) {
        depth += seq->events[j].kind == NMRC_EV_LOOP_BEGIN;
        depth -= seq->events[j].kind == NMRC_EV_LOOP_END;
        if (depth == 0)
            return j;
    }
    return seq->n_events;
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
    net_vz(t->seq, i + 1, match_end(t->seq, i), acc);
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
    const char *ln = use_par(t, "l", b->param, (double)b->count, -3, 1, comment);
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
        case NMRC_EV_ACQUIRE: acquire_stmt(t); break;
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
        flatten(chunk);
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
        flatten(nuc);
        if (seq->channels[c].kind == NMRC_CHAN_RF)
            nmrc_text_printf(o, " f%d = %s", rf_number(seq, (int)c), nuc);
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
            int k = rf_number(t->seq, (int)c);
            nmrc_text_printf(o, " pl%d:f%d", k, k);
        }
    nmrc_text_printf(o, "\n%s", t->has_grad ? "  50u UNBLKGRAD\n" : "");
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
        write_phase_list(o, name, v, n ? n : 1);
        free(v);
    }
    if (seq->receiver_list >= 0 && seq->phase_lists[seq->receiver_list].n)
        write_phase_list(o, "ph31", seq->phase_lists[seq->receiver_list].phase,
                         seq->phase_lists[seq->receiver_list].n);
    else
        nmrc_text_printf(o, "ph31=0\n");
}

/* One ";name : comment [value unit]" line. */
static void param_line(nmrc_text *o, const ts_param *p)
{
    double v = p->value;
    if (p->name[0] == 'p' && p->name[1] != 'l')
        nmrc_text_printf(o, ";%s : %s  [%.6g usec]\n", p->name, p->comment, v);
    else if (p->name[0] == 'd')
        nmrc_text_printf(o, ";%s : %s  [%.6g %s]\n", p->name, p->comment,
                         v >= 1 ? v : v >= 1e-3 ? v * 1e3 : v * 1e6,
                         v >= 1 ? "sec" : v >= 1e-3 ? "msec" : "usec");
    else if (p->name[0] == 'l')
        nmrc_text_printf(o, ";%s : %s  [%.0f]\n", p->name, p->comment, v);
    else if (strncmp(p->name, "gp", 2) == 0)
        nmrc_text_printf(o, ";%s: %.6g%%  (%s)\n;gpnam%s: %s\n", p->name, v, p->comment,
                         p->name + 3, p->file);
    else if (strncmp(p->name, "sp", 2) == 0)
        nmrc_text_printf(o, ";%s : %s\n;spnam%s: %s\n", p->name, p->comment, p->name + 2,
                         p->file);
    else
        nmrc_text_printf(o, ";%s : %s  [%.6g]\n", p->name, p->comment, v);
}

/* Sort key of a parameter: family (p, d, l, gp, sp, other), then number. */
static int family(const char *name)
{
    static const char *const order[] = {"pl", "p", "d", "l", "gp", "sp"};
    for (int k = 0; k < 6; k++) {
        size_t n = strlen(order[k]);
        if (strncmp(name, order[k], n) == 0 &&
            (isdigit((unsigned char)name[n]) ||
             (k == 4 && name[n] && isdigit((unsigned char)name[n + 1]))))
            return k;
    }
    return 6;
}

static int cmp_param(const void *a, const void *b)
{
    const ts_param *x = a, *y = b;
    int fx = family(x->name), fy = family(y->name);
    if (fx != fy)
        return fx - fy;
    const char *nx = x->name + strcspn(x->name, "0123456789");
    const char *ny = y->name + strcspn(y->name, "0123456789");
    int dx = atoi(nx), dy = atoi(ny);
    return dx != dy ? dx - dy : strcmp(x->name, y->name);
}

/* Takes the sequence's own comment for a parameter it names (P1, D2, ...). */
static void own_comments(ts *t)
{
    for (size_t i = 0; i < t->n_par; i++) {
        char up[16];
        size_t j = 0;
        for (; t->par[i].name[j] && j < sizeof up - 1; j++)
            up[j] = (char)toupper((unsigned char)t->par[i].name[j]);
        up[j] = 0;
        const nmrc_param *p = nmrc_seq_find_param(t->seq, up);
        if (p && p->comment[0] && strncmp(up, "GP", 2) != 0) {
            snprintf(t->par[i].comment, sizeof t->par[i].comment, "%s", p->comment);
            flatten(t->par[i].comment);
        }
    }
}

static void param_block(ts *t, nmrc_text *o)
{
    const nmrc_seq *seq = t->seq;
    own_comments(t);
    nmrc_text_printf(o, "\n");
    for (size_t c = 0; c < seq->n_channels; c++) {
        if (seq->channels[c].kind != NMRC_CHAN_RF)
            continue;
        int k = rf_number(seq, (int)c);
        char name[16];
        snprintf(name, sizeof name, "PL%d", k);
        const nmrc_param *given = nmrc_seq_find_param(seq, name);
        if (given)
            nmrc_text_printf(o, ";pl%d : f%d channel - power level for pulse (default)  "
                                "[%.6g %s]\n", k, k, given->value, given->unit);
        else
            nmrc_text_printf(o, ";pl%d : f%d channel - power level for pulse (default)  "
                                "[calibrate: p%d = 90 degrees]\n", k, k, 2 * k - 1);
    }
    qsort(t->par, t->n_par, sizeof t->par[0], cmp_param);
    for (size_t i = 0; i < t->n_par; i++)
        param_line(o, &t->par[i]);
    for (size_t i = 0; i < seq->n_params; i++) {    /* the rest of the sequence's own */
        const nmrc_param *p = &seq->params[i];
        char low[16];
        size_t j = 0;
        for (; p->name[j] && j < sizeof low - 1; j++)
            low[j] = (char)tolower((unsigned char)p->name[j]);
        low[j] = 0;
        if (find_par(t, low) || strncmp(low, "pl", 2) == 0)
            continue;
        const char *unit = strcmp(p->unit, "us") == 0 ? "usec"
                           : strcmp(p->unit, "s") == 0 ? "sec" : p->unit;
        char text[192];
        snprintf(text, sizeof text, "%s  [%.6g%s%s]", p->comment, p->value, unit[0] ? " " : "",
                 unit);
        flatten(low);
        flatten(text);
        nmrc_text_printf(o, ";%s : %s\n", low, text);
    }
    nmrc_text_printf(o, ";ns: %zu * n\n", seq->scans);
}

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
    add_par(t, "d1", d1 ? d1->value : 1.0, -1, "relaxation delay; 1-5 * T1");
    body(t);
    nmrc_text o = {0};
    header(t, &o);
    start(t, &o);
    nmrc_text_printf(&o, "%s", t->out.p ? t->out.p : "");
    finish(t, &o);
    param_block(t, &o);
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
    char *buf;
    size_t len;
    nmrc_status st = nmrc_topspin_write_buffer(seq, &buf, &len, ctx);
    if (st != NMRC_OK)
        return st;
    st = nmrc_xml_write_atomic(path, buf, len, ctx);
    free(buf);
    return st;
}
