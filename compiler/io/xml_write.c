/*
** xml_write.c: nmrc_seq -> Bruker-style XML with nmrc metadata
** (docs/xml-format.md): the root and the events, each with its exact nmrc:*
** attributes and a Bruker view (own pulse lengths, phases with virtual-Z
** folded in, flip angles); the metadata is xml_write_meta.c's.  The text is
** built in memory, deterministic (write(read(x)) is byte-identical to x),
** checked against the schema, and written to disk atomically.
*/
#include "nmrc/xml.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_text.h"
#include "xml_write.h"
#include "nmrc/io.h"
#include "nmrc/consts.h"

#define HALF_PI (NMRC_PI / 2)

/* The writer's state: the text, the sequence, and each channel's virtual-Z
** accumulated so far in program order (folded into the Bruker phases). */
typedef struct xw {
    nmrc_text *t;
    const nmrc_seq *seq;
    double vz[NMRC_SEQ_MAX_CHANNELS];
} xw;

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
    nmrc_text_indent(t, depth);
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
    nmrc_text_indent(t, depth);
    if (shape < 0) {
        nmrc_text_printf(t, "<Shape><Unit>arb</Unit><VarType>7</VarType>"
                            "<Quantity>0</Quantity></Shape>\n");
        return;
    }
    nmrc_text_printf(t, "<Shape><Unit>arb</Unit><VarType>0</VarType><Quantity>1</Quantity><Val>");
    nmrc_text_escape(t, seq->shapes[shape].name, 0);
    nmrc_text_printf(t, "</Val></Shape>\n");
}

/* x rounded to 9 decimals, so that the Bruker view shows 90 rather than
** 90.00000000000001 (the exact value is in the nmrc:* attributes). */
static double tidy(double x)
{
    x = round(x * 1e9) / 1e9;
    return x == 0 ? 0.0 : x;
}

/* Phase in quadrants (0..4). */
static double quadrant(double rad)
{
    double q = fmod(rad / HALF_PI, 4.0);
    if (q < 0)
        q += 4.0;
    q = tidy(q);
    return q >= 4.0 ? 0.0 : q;
}

/* <Phase>: base + list[k] (rad) for every step k of list (at most 64 shown),
** or base alone without a list, in quadrants. */
static void phase_block(nmrc_text *t, int depth, const nmrc_seq *seq, double base, int list)
{
    double q[64];
    size_t n = 1;
    q[0] = quadrant(base);
    if (list >= 0) {
        const nmrc_phase_list *l = &seq->phase_lists[list];
        n = l->n < 64 ? l->n : 64;     /* the Bruker view shows at most 64 steps */
        for (size_t k = 0; k < n; k++)
            q[k] = quadrant(base + l->phase[k]);
    }
    bruker_block(t, depth, "Phase", "quadrant", NULL, q, n);
}

/* The nmrc:* attributes shared by events: param, ampParam, span. */
static void event_attrs(nmrc_text *t, const nmrc_event *e)
{
    if (e->param[0])
        nmrc_text_attr_str(t, "nmrc:param", e->param);
    if (e->amp_param[0])
        nmrc_text_attr_str(t, "nmrc:ampParam", e->amp_param);
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

/* One <HF_PULSE> for channel pulse p of event e (hard or shaped; `alone`:
** the only pulse of its event, so that the event's TopSpin name is its own). */
static void hf_pulse(xw *w, int depth, const nmrc_event *e, const nmrc_pulse *p, int shaped,
                     int alone)
{
    nmrc_text *t = w->t;
    const nmrc_seq *seq = w->seq;
    double amp = shaped ? e->amplitude : p->amplitude;
    int ch = shaped ? e->channel : p->channel;
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "<HF_PULSE");
    nmrc_text_attr_str(t, "nmrc:channel", seq->channels[ch].name);
    nmrc_text_attr_num(t, "nmrc:duration", e->duration);
    nmrc_text_attr_num(t, "nmrc:angle", p->angle);
    nmrc_text_attr_num(t, "nmrc:phase", p->phase);
    nmrc_text_attr_num(t, "nmrc:amplitude", amp);
    if (p->phase_list >= 0)
        nmrc_text_attr_str(t, "nmrc:list", seq->phase_lists[p->phase_list].name);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    /* The Bruker view gives each pulse its own length (pulses of one
    ** simultaneous event start together; the event lasts as long as the
    ** longest), its phases with the channel's virtual-Z folded in, its power
    ** as the channel's level PLk in dB, as the TopSpin program's `plk:fk`
    ** does (the exact amplitude in Hz is nmrc:amplitude, the dB value depends
    ** on the probe's calibration), and its flip angle in degrees. */
    double us = e->duration * 1e6, own = fabs(p->angle) / (4.0 * HALF_PI * amp);
    if (!shaped && amp > 0.0 && own < e->duration)
        us = own * 1e6;
    bruker_block(t, depth + 1, "Duration", "us", alone ? e->param : NULL, &us, 1);
    phase_block(t, depth + 1, seq, p->phase - w->vz[ch], p->phase_list);
    char pl[16];
    snprintf(pl, sizeof pl, "PL%d", rf_number(seq, ch));
    bruker_block(t, depth + 1, "Atten", "dB", e->amp_param[0] ? e->amp_param : pl, &amp, 1);
    shape_block(t, depth + 1, seq, shaped ? e->shape : -1);
    double deg = tidy(p->angle * 180.0 / NMRC_PI);
    bruker_block(t, depth + 1, "FlipAngle", "degree", NULL, &deg, 1);
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "</HF_PULSE>\n");
}

static void pulse_event(xw *w, int depth, const nmrc_event *e)
{
    if (e->kind == NMRC_EV_SHAPED || e->n_pulse == 1) {
        hf_pulse(w, depth, e, &e->pulse[0], e->kind == NMRC_EV_SHAPED, 1);
        return;
    }
    nmrc_text_indent(w->t, depth);
    nmrc_text_printf(w->t, "<nmrc:simultaneous>\n");
    for (int k = 0; k < e->n_pulse; k++)
        hf_pulse(w, depth + 1, e, &e->pulse[k], 0, 0);
    nmrc_text_indent(w->t, depth);
    nmrc_text_printf(w->t, "</nmrc:simultaneous>\n");
}

static void grad_event(nmrc_text *t, int depth, const nmrc_seq *seq, const nmrc_event *e)
{
    const nmrc_channel *c = &seq->channels[e->channel];
    double dir = c->axis == 'x' ? 1 : c->axis == 'y' ? 2 : 4, us = e->duration * 1e6;
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "<GRAD_PULSE");
    nmrc_text_attr_str(t, "nmrc:channel", c->name);
    nmrc_text_attr_num(t, "nmrc:duration", e->duration);
    nmrc_text_attr_num(t, "nmrc:amplitude", e->amplitude);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    nmrc_text_indent(t, depth + 1);
    nmrc_text_printf(t, "<Direction><Unit>number</Unit><VarType>4</VarType>"
                        "<Quantity>1</Quantity><Val>%d</Val></Direction>\n", (int)dir);
    bruker_block(t, depth + 1, "Duration", "us", e->param, &us, 1);
    bruker_block(t, depth + 1, "Gain", e->amp_param[0] ? "%" : "T/m", e->amp_param,
                 &e->amplitude, 1);
    shape_block(t, depth + 1, seq, e->shape);
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "</GRAD_PULSE>\n");
}

/* DELAY or ACQ_MULTI: a duration in ms; an acquisition also gives its
** receiver phases (the receiver list minus the channel's virtual-Z, as the
** TopSpin program's ph31). */
static void timed_event(xw *w, int depth, const nmrc_event *e)
{
    nmrc_text *t = w->t;
    const char *tag = e->kind == NMRC_EV_DELAY ? "DELAY" : "ACQ_MULTI";
    double ms = e->duration * 1e3;
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "<%s", tag);
    if (e->kind == NMRC_EV_ACQUIRE)
        nmrc_text_attr_str(t, "nmrc:channel", w->seq->channels[e->channel].name);
    nmrc_text_attr_num(t, "nmrc:duration", e->duration);
    event_attrs(t, e);
    nmrc_text_printf(t, ">\n");
    bruker_block(t, depth + 1, "Duration", "ms", e->param, &ms, 1);
    if (e->kind == NMRC_EV_ACQUIRE)
        phase_block(t, depth + 1, w->seq, -w->vz[e->channel], w->seq->receiver_list);
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "</%s>\n", tag);
}

static void write_event(xw *w, int depth, const nmrc_event *e)
{
    switch (e->kind) {
    case NMRC_EV_PULSE:
    case NMRC_EV_SHAPED:
        pulse_event(w, depth, e);
        break;
    case NMRC_EV_GRADIENT:
        grad_event(w->t, depth, w->seq, e);
        break;
    case NMRC_EV_DELAY:
    case NMRC_EV_ACQUIRE:
        timed_event(w, depth, e);
        break;
    case NMRC_EV_VZ:
        nmrc_text_indent(w->t, depth);
        nmrc_text_printf(w->t, "<nmrc:vz");
        nmrc_text_attr_str(w->t, "channel", w->seq->channels[e->channel].name);
        nmrc_text_attr_num(w->t, "phase", e->vz_phase);
        attr_span(w->t, "span", e->span);
        nmrc_text_printf(w->t, "/>\n");
        w->vz[e->channel] += e->vz_phase;
        break;
    case NMRC_EV_LOOP_BEGIN:
    case NMRC_EV_LOOP_END:
        break;      /* handled by write_events */
    }
}

/* Adds to acc[] the virtual-Z that one run of events [from, to) leaves on
** each channel (nested loops count their repetitions); returns nonzero when
** any is not zero. */
static int net_vz(const nmrc_seq *seq, size_t from, size_t to, double *acc)
{
    int any = 0;
    for (size_t i = from; i < to; i++) {
        const nmrc_event *e = &seq->events[i];
        if (e->kind == NMRC_EV_VZ && e->vz_phase != 0) {
            acc[e->channel] += e->vz_phase;
            any = 1;
        } else if (e->kind == NMRC_EV_LOOP_BEGIN) {
            size_t end = nmrc_seq_loop_end(seq, i);
            double inner[NMRC_SEQ_MAX_CHANNELS] = {0};
            if (net_vz(seq, i + 1, end, inner))
                for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++) {
                    acc[c] += (double)e->count * inner[c];
                    any |= inner[c] != 0;
                }
            i = end;
        }
    }
    return any;
}

static void write_events(xw *w, int depth, size_t from, size_t to);

/* The loop opened at event i (closed at `end`): its body once, and the
** frame it leaves after all its repetitions. */
static void write_loop(xw *w, int depth, size_t i, size_t end)
{
    nmrc_text *t = w->t;
    const nmrc_event *e = &w->seq->events[i];
    double before[NMRC_SEQ_MAX_CHANNELS], pass[NMRC_SEQ_MAX_CHANNELS] = {0};
    memcpy(before, w->vz, sizeof before);
    int shifts = net_vz(w->seq, i + 1, end, pass);
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "<nmrc:loop count=\"%zu\"", e->count);
    if (e->param[0])
        nmrc_text_attr_str(t, "param", e->param);
    attr_span(t, "span", e->span);
    attr_span(t, "endSpan", w->seq->events[end].span);
    nmrc_text_printf(t, ">\n");
    if (shifts && e->count > 1) {
        nmrc_text_indent(t, depth + 1);
        nmrc_text_printf(t, "<!-- the body leaves a net virtual-Z: the Bruker Phase values "
                            "below are those of the first pass -->\n");
    }
    write_events(w, depth + 1, i + 1, end);
    nmrc_text_indent(t, depth);
    nmrc_text_printf(t, "</nmrc:loop>\n");
    for (int c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        w->vz[c] = before[c] + (double)e->count * pass[c];
}

/* Events [from, to) at nesting `depth`; loops become nested <nmrc:loop>. */
static void write_events(xw *w, int depth, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if (w->seq->events[i].kind != NMRC_EV_LOOP_BEGIN) {
            write_event(w, depth, &w->seq->events[i]);
            continue;
        }
        size_t end = nmrc_seq_loop_end(w->seq, i); /* balanced (nmrc_seq_check) */
        write_loop(w, depth, i, end);
        i = end;
    }
}

static void write_doc(nmrc_text *t, const nmrc_seq *seq)
{
    nmrc_text_printf(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<nmrc:sequence xmlns:nmrc=\"" NMRC_XML_NS "\" version=\"%d\"",
                     NMRC_XML_VERSION);
    nmrc_text_attr_str(t, "name", seq->name);
    nmrc_text_printf(t, " scans=\"%zu\">\n", seq->scans);
    if (seq->description[0]) {
        nmrc_text_printf(t, "  <nmrc:description>");
        nmrc_text_escape(t, seq->description, 0);
        nmrc_text_printf(t, "</nmrc:description>\n");
    }
    nmrc_xmlw_meta(t, seq);
    nmrc_text_printf(t, "  <PULSE_PROGRAM>\n");
    xw w = {t, seq, {0}};
    write_events(&w, 2, 0, seq->n_events);
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
