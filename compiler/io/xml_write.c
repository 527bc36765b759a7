/*
** xml_write.c: nmrc_seq -> Bruker-style XML with nmrc metadata
** (docs/xml-format.md).  The text is built in memory, deterministic
** (write(read(x)) is byte-identical to x), checked against the schema, and
** written to disk atomically.
*/
#define _POSIX_C_SOURCE 200809L     /* open, fsync, getpid */

#include "nmrc/xml.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xml_text.h"
#include "nmrc/io.h"
#include "nmrc/consts.h"

#define HALF_PI (NMRC_PI / 2)

/* ---- Small printers -------------------------------------------------- */

static void indent(nmrc_text *t, int depth)
{
    nmrc_text_printf(t, "%*s", 2 * depth, "");
}

/* ` name="value"` with escaping. */
static void attr_str(nmrc_text *t, const char *name, const char *value)
{
    nmrc_text_printf(t, " %s=\"", name);
    nmrc_text_escape(t, value, 1);
    nmrc_text_printf(t, "\"");
}

static void attr_num(nmrc_text *t, const char *name, double x)
{
    char b[32];
    nmrc_text_printf(t, " %s=\"%s\"", name, nmrc_text_num(b, x));
}

static void num_list(nmrc_text *t, const double *x, size_t n)
{
    char b[32];
    for (size_t i = 0; i < n; i++)
        nmrc_text_printf(t, "%s%s", i ? " " : "", nmrc_text_num(b, x[i]));
}

static void attr_span(nmrc_text *t, const char *name, nmrc_span sp)
{
    if (sp.line)
        nmrc_text_printf(t, " %s=\"%u:%u:%u:%u\"", name, (unsigned)sp.file, (unsigned)sp.line,
                         (unsigned)sp.col, (unsigned)sp.len);
}

/* TopSpin parameter "p1" -> JCAMP keyword "##$P[1]", "aq" -> "##$AQ".
** Returns 0 when param is not letters followed by digits. */
static int jcamp_kwd(const char *param, char out[40])
{
    size_t nl = 0, nd = 0, len = strlen(param);
    while (nl < len && isalpha((unsigned char)param[nl]))
        nl++;
    while (nl + nd < len && isdigit((unsigned char)param[nl + nd]))
        nd++;
    if (nl == 0 || nl + nd != len || len > 15)
        return 0;
    char letters[16];
    for (size_t i = 0; i < nl; i++)
        letters[i] = (char)toupper((unsigned char)param[i]);
    letters[nl] = 0;
    if (nd)
        snprintf(out, 40, "##$%s[%s]", letters, param + nl);
    else
        snprintf(out, 40, "##$%s", letters);
    return 1;
}

/* A Bruker value block <Tag><Unit/><VarType/>(<JcampKwd/>|<Quantity/><Val/>*)</Tag>:
** the keyword of `param` when it has one, else the n explicit values. */
static void bruker_block(nmrc_text *t, int depth, const char *tag, const char *unit,
                         const char *param, const double *val, size_t n)
{
    char kwd[40], b[32];
    indent(t, depth);
    nmrc_text_printf(t, "<%s><Unit>%s</Unit>", tag, unit);
    if (param && jcamp_kwd(param, kwd)) {
        nmrc_text_printf(t, "<VarType>7</VarType><JcampKwd>%s</JcampKwd></%s>\n", kwd, tag);
        return;
    }
    nmrc_text_printf(t, "<VarType>0</VarType><Quantity>%zu</Quantity>", n);
    for (size_t i = 0; i < n; i++)
        nmrc_text_printf(t, "<Val>%s</Val>", nmrc_text_num(b, val[i]));
    nmrc_text_printf(t, "</%s>\n", tag);
}

/* <Shape>: rectangular (Quantity 0) or the shape's name. */
static void shape_block(nmrc_text *t, int depth, const nmrc_seq *seq, int shape)
{
    indent(t, depth);
    if (shape < 0) {
        nmrc_text_printf(t, "<Shape><Unit>arb</Unit><VarType>7</VarType>"
                            "<Quantity>0</Quantity></Shape>\n");
        return;
    }
    nmrc_text_printf(t, "<Shape><Unit>arb</Unit><VarType>0</VarType><Quantity>1</Quantity><Val>");
    nmrc_text_escape(t, seq->shapes[shape].name, 0);
    nmrc_text_printf(t, "</Val></Shape>\n");
}

/* Phase in quadrants (0..4), rounded to 12 digits for the Bruker view. */
static double quadrant(double rad)
{
    double q = fmod(rad / HALF_PI, 4.0);
    if (q < 0)
        q += 4.0;
    q = round(q * 1e9) / 1e9;
    return q >= 4.0 ? 0.0 : q;
}

/* <Phase>: the pulse phase, cycled through its phase list if it has one. */
static void phase_block(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_pulse *p)
{
    double one = quadrant(p->phase);
    if (p->phase_list < 0) {
        bruker_block(t, depth, "Phase", "quadrant", NULL, &one, 1);
        return;
    }
    const nmrc_phase_list *l = &seq->phase_lists[p->phase_list];
    double q[64];
    size_t n = l->n < 64 ? l->n : 64;     /* the Bruker view shows at most 64 steps */
    for (size_t k = 0; k < n; k++)
        q[k] = quadrant(p->phase + l->phase[k]);
    bruker_block(t, depth, "Phase", "quadrant", NULL, q, n);
}

/* The nmrc:* attributes shared by events: param, ampParam, span. */
static void event_attrs(nmrc_text *t, const nmrc_event *e)
{
    if (e->param[0])
        attr_str(t, "nmrc:param", e->param);
    if (e->amp_param[0])
        attr_str(t, "nmrc:ampParam", e->amp_param);
    attr_span(t, "nmrc:span", e->span);
}

/* The TopSpin number k of RF channel c (f1, f2, ... count RF channels only). */
static int rf_number(const nmrc_seq *seq, int c)
{
    int k = 0;
    for (int i = 0; i <= c; i++)
        k += seq->channels[i].kind == NMRC_CHAN_RF;
    return k;
}

/* One <HF_PULSE> for channel pulse p of event e (hard or shaped). */
static void hf_pulse(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e,
                     const nmrc_pulse *p, int shaped)
{
    double amp = shaped ? e->amplitude : p->amplitude;
    int ch = shaped ? e->channel : p->channel;
    indent(t, depth);
    nmrc_text_printf(t, "<HF_PULSE");
    attr_str(t, "nmrc:channel", seq->channels[ch].name);
    attr_num(t, "nmrc:duration", e->duration);
    attr_num(t, "nmrc:angle", p->angle);
    attr_num(t, "nmrc:phase", p->phase);
    attr_num(t, "nmrc:amplitude", amp);
    if (p->phase_list >= 0)
        attr_str(t, "nmrc:list", seq->phase_lists[p->phase_list].name);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    /* The Bruker view gives each pulse its own length (pulses of one
    ** simultaneous event start together; the event lasts as long as the
    ** longest) and its power as the channel's level PLk in dB, as the
    ** TopSpin program's `plk:fk` does: the exact amplitude in Hz is in
    ** nmrc:amplitude, the dB value depends on the probe's calibration. */
    double us = e->duration * 1e6;
    if (!shaped && amp > 0.0 && p->angle / (4.0 * HALF_PI * amp) < e->duration)
        us = p->angle / (4.0 * HALF_PI * amp) * 1e6;
    bruker_block(t, depth + 1, "Duration", "us", e->param, &us, 1);
    phase_block(t, depth + 1, seq, p);
    char pl[16];
    snprintf(pl, sizeof pl, "PL%d", rf_number(seq, ch));
    bruker_block(t, depth + 1, "Atten", "dB", e->amp_param[0] ? e->amp_param : pl, &amp, 1);
    shape_block(t, depth + 1, seq, shaped ? e->shape : -1);
    indent(t, depth);
    nmrc_text_printf(t, "</HF_PULSE>\n");
}

static void pulse_event(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e)
{
    if (e->kind == NMRC_EV_SHAPED) {
        hf_pulse(t, depth, seq, e, &e->pulse[0], 1);
        return;
    }
    if (e->n_pulse == 1) {
        hf_pulse(t, depth, seq, e, &e->pulse[0], 0);
        return;
    }
    indent(t, depth);
    nmrc_text_printf(t, "<nmrc:simultaneous>\n");
    for (int k = 0; k < e->n_pulse; k++)
        hf_pulse(t, depth + 1, seq, e, &e->pulse[k], 0);
    indent(t, depth);
    nmrc_text_printf(t, "</nmrc:simultaneous>\n");
}

static void grad_event(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e)
{
    const nmrc_channel *c = &seq->channels[e->channel];
    double dir = c->axis == 'x' ? 1 : c->axis == 'y' ? 2 : 4, us = e->duration * 1e6;
    indent(t, depth);
    nmrc_text_printf(t, "<GRAD_PULSE");
    attr_str(t, "nmrc:channel", c->name);
    attr_num(t, "nmrc:duration", e->duration);
    attr_num(t, "nmrc:amplitude", e->amplitude);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    indent(t, depth + 1);
    nmrc_text_printf(t, "<Direction><Unit>number</Unit><VarType>4</VarType>"
                        "<Quantity>1</Quantity><Val>%d</Val></Direction>\n", (int)dir);
    bruker_block(t, depth + 1, "Duration", "us", e->param, &us, 1);
    bruker_block(t, depth + 1, "Gain", e->amp_param[0] ? "%" : "T/m", e->amp_param,
                 &e->amplitude, 1);
    shape_block(t, depth + 1, seq, e->shape);
    indent(t, depth);
    nmrc_text_printf(t, "</GRAD_PULSE>\n");
}

/* DELAY or ACQ_MULTI: a duration in ms. */
static void timed_event(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e)
{
    const char *tag = e->kind == NMRC_EV_DELAY ? "DELAY" : "ACQ_MULTI";
    double ms = e->duration * 1e3;
    indent(t, depth);
    nmrc_text_printf(t, "<%s", tag);
    if (e->kind == NMRC_EV_ACQUIRE)
        attr_str(t, "nmrc:channel", seq->channels[e->channel].name);
    attr_num(t, "nmrc:duration", e->duration);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    bruker_block(t, depth + 1, "Duration", "ms", e->param, &ms, 1);
    indent(t, depth);
    nmrc_text_printf(t, "</%s>\n", tag);
}

static void write_event(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e)
{
    switch (e->kind) {
    case NMRC_EV_PULSE:
    case NMRC_EV_SHAPED:
        pulse_event(t, depth, seq, e);
        break;
    case NMRC_EV_GRADIENT:
        grad_event(t, depth, seq, e);
        break;
    case NMRC_EV_DELAY:
    case NMRC_EV_ACQUIRE:
        timed_event(t, depth, seq, e);
        break;
    case NMRC_EV_VZ:
        indent(t, depth);
        nmrc_text_printf(t, "<nmrc:vz");
        attr_str(t, "channel", seq->channels[e->channel].name);
        attr_num(t, "phase", e->vz_phase);
        attr_span(t, "span", e->span);
        nmrc_text_printf(t, "/>\n");
        break;
    case NMRC_EV_LOOP_BEGIN:
    case NMRC_EV_LOOP_END:
        break;      /* handled by write_events */
    }
}

/* Events [from, to) at nesting `depth`; loops become nested <nmrc:loop>. */
static void write_events(nmrc_text *t, int depth, const nmrc_seq *seq, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        const nmrc_event *e = &seq->events[i];
        if (e->kind != NMRC_EV_LOOP_BEGIN) {
            write_event(t, depth, seq, e);
            continue;
        }
        size_t end = nmrc_seq_loop_end(seq, i); /* loops are balanced (nmrc_seq_check) */
        indent(t, depth);
        nmrc_text_printf(t, "<nmrc:loop count=\"%zu\"", e->count);
        if (e->param[0])
            attr_str(t, "param", e->param);
        attr_span(t, "span", e->span);
        attr_span(t, "endSpan", seq->events[end].span);
        nmrc_text_printf(t, ">\n");
        write_events(t, depth + 1, seq, i + 1, end);
        indent(t, depth);
        nmrc_text_printf(t, "</nmrc:loop>\n");
        i = end;
    }
}

/* ---- Metadata --------------------------------------------------------- */

static void write_target(nmrc_text *t, const nmrc_seq *seq)
{
    if (!seq->has_target) {
        if (seq->target_op[0]) {
            nmrc_text_printf(t, "  <nmrc:target");
            attr_str(t, "operation", seq->target_op);
            nmrc_text_printf(t, "/>\n");
        }
        return;
    }
    nmrc_text_printf(t, "  <nmrc:target spins=\"%zu\"", seq->target_spins);
    attr_num(t, "time", seq->target_time);
    if (seq->target_op[0])
        attr_str(t, "operation", seq->target_op);
    nmrc_text_printf(t, ">\n    <nmrc:coupling>");
    num_list(t, seq->target_tensor, 9);
    nmrc_text_printf(t, "</nmrc:coupling>\n");
    for (size_t s = 0; s < NMRC_MAX_SPINS; s++) {
        const double *f = seq->target_field[s];
        if (f[0] == 0 && f[1] == 0 && f[2] == 0)
            continue;
        nmrc_text_printf(t, "    <nmrc:field spin=\"%zu\">", s);
        num_list(t, f, 3);
        nmrc_text_printf(t, "</nmrc:field>\n");
    }
    nmrc_text_printf(t, "  </nmrc:target>\n");
}

static void write_channels(nmrc_text *t, const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_channels; i++) {
        const nmrc_channel *c = &seq->channels[i];
        nmrc_text_printf(t, "  <nmrc:channel");
        attr_str(t, "name", c->name);
        if (c->kind == NMRC_CHAN_RF) {
            nmrc_text_printf(t, " type=\"rf\"");
            attr_str(t, "nucleus", c->nucleus);
            attr_num(t, "rf90", c->rf90);
        } else {
            nmrc_text_printf(t, " type=\"gradient\" axis=\"%c\"", c->axis);
        }
        nmrc_text_printf(t, "/>\n");
    }
}

static void write_tables(nmrc_text *t, const nmrc_seq *seq)
{
    for (size_t i = 0; i < seq->n_params; i++) {
        const nmrc_param *p = &seq->params[i];
        nmrc_text_printf(t, "  <nmrc:parameter");
        attr_str(t, "name", p->name);
        attr_num(t, "value", p->value);
        attr_str(t, "unit", p->unit);
        if (p->comment[0])
            attr_str(t, "comment", p->comment);
        nmrc_text_printf(t, "/>\n");
    }
    for (size_t i = 0; i < seq->n_phase_lists; i++) {
        const nmrc_phase_list *l = &seq->phase_lists[i];
        nmrc_text_printf(t, "  <nmrc:phaseList");
        attr_str(t, "name", l->name);
        if ((int)i == seq->receiver_list)
            nmrc_text_printf(t, " receiver=\"true\"");
        nmrc_text_printf(t, ">");
        num_list(t, l->phase, l->n);
        nmrc_text_printf(t, "</nmrc:phaseList>\n");
    }
    for (size_t i = 0; i < seq->n_shapes; i++) {
        const nmrc_shape *s = &seq->shapes[i];
        nmrc_text_printf(t, "  <nmrc:shape");
        attr_str(t, "name", s->name);
        nmrc_text_printf(t, ">\n    <nmrc:amplitude>");
        num_list(t, s->amp, s->n);
        nmrc_text_printf(t, "</nmrc:amplitude>\n    <nmrc:phase>");
        num_list(t, s->phase, s->n);
        nmrc_text_printf(t, "</nmrc:phase>\n  </nmrc:shape>\n");
    }
    for (size_t i = 0; i < seq->n_experiments; i++) {
        const nmrc_experiment *x = &seq->experiments[i];
        nmrc_text_printf(t, "  <nmrc:experiment");
        attr_num(t, "weight", x->weight);
        nmrc_text_printf(t, " prepend=\"%d\">", x->prepend);
        num_list(t, x->phase_offset, NMRC_SEQ_MAX_CHANNELS);
        nmrc_text_printf(t, "</nmrc:experiment>\n");
    }
    for (size_t i = 0; i < seq->n_figures; i++) {
        const nmrc_figure *f = &seq->figures[i];
        nmrc_text_printf(t, "  <nmrc:figure");
        attr_str(t, "name", f->name);
        attr_num(t, "value", f->value);
        if (f->unit[0])
            attr_str(t, "unit", f->unit);
        nmrc_text_printf(t, "/>\n");
    }
}

static void write_doc(nmrc_text *t, const nmrc_seq *seq)
{
    nmrc_text_printf(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<nmrc:sequence xmlns:nmrc=\"" NMRC_XML_NS "\" version=\"1\"");
    attr_str(t, "name", seq->name);
    nmrc_text_printf(t, " scans=\"%zu\">\n", seq->scans);
    if (seq->description[0]) {
        nmrc_text_printf(t, "  <nmrc:description>");
        nmrc_text_escape(t, seq->description, 0);
        nmrc_text_printf(t, "</nmrc:description>\n");
    }
    write_target(t, seq);
    int natural = seq->nat_kappa != 0;
    for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        natural |= seq->nat_offset[c] != 0;
    if (natural) {
        nmrc_text_printf(t, "  <nmrc:natural");
        attr_num(t, "kappa", seq->nat_kappa);
        nmrc_text_printf(t, ">");
        num_list(t, seq->nat_offset, NMRC_SEQ_MAX_CHANNELS);
        nmrc_text_printf(t, "</nmrc:natural>\n");
    }
    write_channels(t, seq);
    write_tables(t, seq);
    nmrc_text_printf(t, "  <PULSE_PROGRAM>\n");
    write_events(t, 2, seq, 0, seq->n_events);
    nmrc_text_printf(t, "  </PULSE_PROGRAM>\n</nmrc:sequence>\n");
}

/* ---- Public ---------------------------------------------------------- */

nmrc_status nmrc_xml_write_buffer(const nmrc_seq *seq, char **out, size_t *len, nmrc_ctx *ctx)
{
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_write_buffer: out is NULL");
    *out = NULL;
    if (!seq)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_xml_write_buffer: no sequence");
    nmrc_status st = nmrc_seq_check(seq, ctx);
    if (st != NMRC_OK)
        return st;
    nmrc_text t = {0};
    write_doc(&t, seq);
    if (t.oom) {
        nmrc_text_free(&t);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory writing XML");
    }
    st = nmrc_xml_validate_memory(t.p, t.n, seq->name[0] ? seq->name : "(sequence)", ctx);
    if (st != NMRC_OK) {
        nmrc_text_free(&t);
        return st;
    }
    *out = t.p;
    if (len)
        *len = t.n;
    return NMRC_OK;
}

nmrc_status nmrc_text_write_file(nmrc_text_writer writer, const nmrc_seq *seq, const char *path,
                                 nmrc_ctx *ctx)
{
    char *buf;
    size_t len;
    nmrc_status st = writer(seq, &buf, &len, ctx);
    if (st != NMRC_OK)
        return st;
    st = nmrc_io_write_atomic(path, buf, len, ctx);
    free(buf);
    return st;
}

nmrc_status nmrc_xml_write_file(const nmrc_seq *seq, const char *path, nmrc_ctx *ctx)
{
    return nmrc_text_write_file(nmrc_xml_write_buffer, seq, path, ctx);
}
