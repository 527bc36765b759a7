/*
** topspin_tables.c: the TopSpin writer's tables: parameters (P, D, L, GPZ,
** SP with the standard names p1/p2 = f1 90/180 degrees, p3/p4 = f2), phase
** programs written as phN lists in quadrants, (360) or (65536) units, and
** the closing parameter-comment block (see topspin_impl.h).
*/
#include "nmrc/xml.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topspin_impl.h"

/* ---- Parameters --------------------------------------------------------- */

ts_param *nmrc_tsp_find_par(ts *t, const char *name)
{
    for (size_t i = 0; i < t->n_par; i++)
        if (strcmp(t->par[i].name, name) == 0)
            return &t->par[i];
    return NULL;
}

int nmrc_tsp_same(double a, double b)
{
    return fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* Replaces control characters (newlines, tabs) by spaces so that a text
** stays inside its one comment line. */
void nmrc_tsp_flatten(char *s)
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
ts_param *nmrc_tsp_add_par(ts *t, const char *name, double value, int channel, const char *comment)
{
    ts_param *p = nmrc_tsp_find_par(t, name);
    if (p)
        return nmrc_tsp_same(p->value, value) && p->channel == channel ? p : NULL;
    if (t->n_par >= MAX_PARAMS) {
        t->st = nmrc_ctx_error(t->ctx, NMRC_ELIMIT, "more than %d TopSpin parameters", MAX_PARAMS);
        return NULL;
    }
    p = &t->par[t->n_par++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->value = value;
    p->channel = channel;
    snprintf(p->comment, sizeof p->comment, "%s", comment);
    nmrc_tsp_flatten(p->comment);
    return p;
}

/* Parameter for (prefix, value, channel): the explicit name if usable, else
** an existing one with that value, else the first free prefixN, N >= first. */
const char *nmrc_tsp_use_par(ts *t, const char *prefix, const char *explicit_name, double value,
                           int channel, int first, const char *comment)
{
    char name[16];
    if (explicit_name && explicit_name[0]) {
        snprintf(name, sizeof name, "%s", explicit_name);
        for (char *s = name; *s; s++)
            *s = (char)tolower((unsigned char)*s);
        ts_param *p =
            topspin_name(name, prefix) ? nmrc_tsp_add_par(t, name, value, channel, comment) : NULL;
        if (p)
            return p->name;
    }
    size_t plen = strlen(prefix);
    for (size_t i = 0; i < t->n_par; i++) {
        ts_param *p = &t->par[i];
        if (strncmp(p->name, prefix, plen) == 0 && isdigit((unsigned char)p->name[plen]) &&
            nmrc_tsp_same(p->value, value) && p->channel == channel)
            return p->name;
    }
    for (int k = first; k < 1000; k++) {
        snprintf(name, sizeof name, "%s%d", prefix, k);
        if (!nmrc_tsp_find_par(t, name)) {
            ts_param *p = nmrc_tsp_add_par(t, name, value, channel, comment);
            return p ? p->name : "?";
        }
    }
    return "?";
}

/* ---- Phases ---------------------------------------------------------------- */

/* TopSpin phase list name ("ph3") for list+offset, adding it if new. */
int nmrc_tsp_use_phase(ts *t, int list, double offset)
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
void nmrc_tsp_phase_list(nmrc_text *o, const char *name, const double *phases, size_t n)
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

/* The RF channel number k of channel c (f1 -> 1). */
int nmrc_tsp_rf_number(const nmrc_seq *seq, int c)
{
    int k = 0;
    for (int i = 0; i <= c; i++)
        k += seq->channels[i].kind == NMRC_CHAN_RF;
    return k;
}

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
            nmrc_tsp_flatten(t->par[i].comment);
        }
    }
}

void nmrc_tsp_param_block(ts *t, nmrc_text *o)
{
    const nmrc_seq *seq = t->seq;
    own_comments(t);
    nmrc_text_printf(o, "\n");
    for (size_t c = 0; c < seq->n_channels; c++) {
        if (seq->channels[c].kind != NMRC_CHAN_RF)
            continue;
        int k = nmrc_tsp_rf_number(seq, (int)c);
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
        if (nmrc_tsp_find_par(t, low) || strncmp(low, "pl", 2) == 0)
            continue;
        const char *unit = strcmp(p->unit, "us") == 0 ? "usec"
                           : strcmp(p->unit, "s") == 0 ? "sec" : p->unit;
        char text[192];
        snprintf(text, sizeof text, "%s  [%.6g%s%s]", p->comment, p->value, unit[0] ? " " : "",
                 unit);
        nmrc_tsp_flatten(low);
        nmrc_tsp_flatten(text);
        nmrc_text_printf(o, ";%s : %s\n", low, text);
    }
    nmrc_text_printf(o, ";ns: %zu * n\n", seq->scans);
}
