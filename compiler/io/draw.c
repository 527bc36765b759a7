/*
** draw.c: nmrc_seq -> SVG picture in the style of a paper's pulse-sequence
** figure (nmrc/draw.h, docs/draw.md).  A layout pass gives every event a
** column (pulses by flip angle, timed events on a compressed scale); the
** drawing pass puts lanes, pulses, delays, gradients, acquisitions,
** virtual-Z marks and loop brackets into a text buffer, then the labels of
** delays, the phase lists and a caption saying the time axis is schematic.
*/
#include "nmrc/draw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_text.h"
#include "nmrc/consts.h"
#include "nmrc/io.h"

#define ML 100.0        /* left margin: lane labels */
#define MR 30.0
#define TOP 84.0        /* title and room above the first lane's pulses */
#define LANE_H 100.0    /* lane spacing */
#define PULSE_H 40.0    /* height of a hard pulse */
#define W90 10.0        /* width of a 90-degree pulse */
#define PAD 6.0         /* space on each side of a pulse event */
#define BASE_W 48.0     /* width of the shortest delay */
#define MAX_W 220.0     /* widest delay or gradient */

/* The drawing's state: the text, the sequence, each event's column. */
typedef struct dw {
    nmrc_text *t;
    const nmrc_seq *seq;
    double *x, *w;      /* per event: left edge and width (px) */
    double t_ref;       /* shortest positive delay or gradient, s (0 = none) */
    double gmax;        /* largest |gradient amplitude| */
    double right;       /* x where the lanes end */
    double labels_y;    /* baseline of the delay labels */
} dw;

static double lane_y(size_t c)
{
    return TOP + 60.0 + (double)c * LANE_H;
}

/* ---- Labels ------------------------------------------------------------ */

/* A phase as x, y, -x, -y (U+2212 minus) or in degrees. */
static const char *phase_label(char buf[32], double rad)
{
    static const char *const names[4] = {"x", "y", "\xe2\x88\x92x", "\xe2\x88\x92y"};
    double deg = fmod(rad * 180.0 / NMRC_PI, 360.0);
    if (deg < 0)
        deg += 360.0;
    for (int k = 0; k < 5; k++)
        if (fabs(deg - 90.0 * k) < 1e-6) {
            snprintf(buf, 32, "%s", names[k % 4]);
            return buf;
        }
    snprintf(buf, 32, "%.4g\xc2\xb0", deg);
    return buf;
}

/* A duration with a unit: s, ms or us (U+00B5). */
static const char *time_label(char buf[32], double t)
{
    if (t >= 1)
        snprintf(buf, 32, "%.3g s", t);
    else if (t >= 1e-3)
        snprintf(buf, 32, "%.3g ms", t * 1e3);
    else
        snprintf(buf, 32, "%.3g \xc2\xb5s", t * 1e6);
    return buf;
}

/* The label above a pulse: its phase, and its phase list's name. */
static const char *pulse_label(const nmrc_seq *seq, const nmrc_pulse *p, char lab[64])
{
    char ph[32];
    double phase = p->angle < 0 ? p->phase + NMRC_PI : p->phase;
    phase_label(ph, phase);
    if (p->phase_list < 0)
        snprintf(lab, 64, "%s", ph);
    else if (fabs(fmod(phase, 2 * NMRC_PI)) < 1e-12)
        snprintf(lab, 64, "%s", seq->phase_lists[p->phase_list].name);
    else
        snprintf(lab, 64, "%s+%s", ph, seq->phase_lists[p->phase_list].name);
    return lab;
}

/* Approximate width in px of s at 11 px (UTF-8 characters, not bytes). */
static double label_w(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return 6.4 * (double)n + 4;
}

/* ---- Layout ------------------------------------------------------------ */

/* Width of a pulse of flip angle theta: 90 degrees = W90, proportional,
** clamped to [4, 4 W90]. */
static double pulse_w(double theta)
{
    return fmin(fmax(W90 * fabs(theta) / (NMRC_PI / 2), 4.0), 4 * W90);
}

/* Drawn width of a timed event of d seconds: linear up to BASE_W at the
** shortest one, then logarithmic. */
static double timed_w(const dw *d, double t)
{
    if (t <= 0)
        return 0;
    if (d->t_ref <= 0)
        return BASE_W;
    double r = t / d->t_ref;
    return fmin(fmin(BASE_W * r, BASE_W + 28.0 * log2(r)), MAX_W);
}

/* Nonzero when a delay of t seconds is drawn at less than 2/3 of its share. */
static int compressed(const dw *d, double t)
{
    return d->t_ref > 0 && BASE_W * t / d->t_ref > 1.5 * timed_w(d, t);
}

static double event_w(const dw *d, const nmrc_event *e)
{
    double w = 0;
    switch (e->kind) {
    case NMRC_EV_PULSE: {
        char lab[64];
        for (int k = 0; k < e->n_pulse; k++)     /* room for the pulse and its labels */
            w = fmax(w, fmax(pulse_w(e->pulse[k].angle),
                             label_w(pulse_label(d->seq, &e->pulse[k], lab))));
        return w + 2 * PAD;
    }
    case NMRC_EV_SHAPED:
        return fmax(44.0, label_w(d->seq->shapes[e->shape].name)) + 2 * PAD + 30;
    case NMRC_EV_DELAY: return timed_w(d, e->duration);
    case NMRC_EV_GRADIENT: return fmax(timed_w(d, e->duration), 36.0);
    case NMRC_EV_ACQUIRE: return 140.0;
    case NMRC_EV_VZ: return 30.0;
    case NMRC_EV_LOOP_BEGIN:
    case NMRC_EV_LOOP_END: return 14.0;
    }
    return 0;
}

static void layout(dw *d)
{
    const nmrc_seq *seq = d->seq;
    for (size_t i = 0; i < seq->n_events; i++) {
        const nmrc_event *e = &seq->events[i];
        if ((e->kind == NMRC_EV_DELAY || e->kind == NMRC_EV_GRADIENT) && e->duration > 0 &&
            (d->t_ref == 0 || e->duration < d->t_ref))
            d->t_ref = e->duration;
        if (e->kind == NMRC_EV_GRADIENT)
            d->gmax = fmax(d->gmax, fabs(e->amplitude));
    }
    double x = ML + 10;
    for (size_t i = 0; i < seq->n_events; i++) {
        d->x[i] = x;
        d->w[i] = event_w(d, &seq->events[i]);
        x += d->w[i];
    }
    d->right = x + 10;
    d->labels_y = lane_y(seq->n_channels - 1) + 44;
}

/* Seconds the events [from, to) last, loops repeated. */
static double span_time(const nmrc_seq *seq, size_t from, size_t to)
{
    double t = 0;
    for (size_t i = from; i < to; i++) {
        const nmrc_event *e = &seq->events[i];
        if (e->kind == NMRC_EV_LOOP_BEGIN) {
            size_t end = nmrc_seq_loop_end(seq, i);
            t += (double)e->count * span_time(seq, i + 1, end);
            i = end;
        } else {
            t += e->duration;
        }
    }
    return t;
}

/* <text> at (x, y) with anchor and size; s escaped. */
static void text_at(nmrc_text *t, double x, double y, const char *anchor, double size,
                    const char *s)
{
    nmrc_text_printf(t, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"%g\">", x, y,
                     anchor, size);
    nmrc_text_escape(t, s, 0);
    nmrc_text_printf(t, "</text>\n");
}

/* An isotope name with its mass number raised: "13C" -> 13 up, C. */
static void nucleus_text(nmrc_text *t, double x, double y, const char *nuc)
{
    size_t nd = strspn(nuc, "0123456789");
    nmrc_text_printf(t, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"15\">", x, y);
    if (nd)
        nmrc_text_printf(t, "<tspan font-size=\"10\" dy=\"-6\">%.*s</tspan><tspan dy=\"6\">",
                         (int)nd, nuc);
    nmrc_text_escape(t, nuc + nd, 0);
    nmrc_text_printf(t, "%s</text>\n", nd ? "</tspan>" : "");
}

/* ---- Lanes and events -------------------------------------------------- */

static void lanes(const dw *d)
{
    for (size_t c = 0; c < d->seq->n_channels; c++) {
        const nmrc_channel *ch = &d->seq->channels[c];
        double y = lane_y(c);
        nmrc_text_printf(d->t, "<g class=\"lane\" id=\"lane-%s\">\n", ch->name);
        nmrc_text_printf(d->t, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                               "stroke=\"black\" stroke-width=\"1.2\"/>\n", ML, y, d->right, y);
        text_at(d->t, 14, y - 18, "start", 13, ch->name);
        if (ch->kind == NMRC_CHAN_RF) {
            nucleus_text(d->t, 14, y - 1, ch->nucleus);
        } else {
            text_at(d->t, 14, y - 1, "start", 13, "gradient");
        }
        nmrc_text_printf(d->t, "</g>\n");
    }
}

/* One channel pulse of a hard-pulse event starting at x. */
static void hard_pulse(const dw *d, double x, const nmrc_pulse *p)
{
    nmrc_text *t = d->t;
    double y = lane_y((size_t)p->channel), w = pulse_w(p->angle);
    double deg = fabs(p->angle) * 180.0 / NMRC_PI;
    int is90 = fabs(deg - 90) < 1e-6, is180 = fabs(deg - 180) < 1e-6;
    const char *fill = is90 ? "black" : is180 ? "white" : "#9a9a9a";
    nmrc_text_printf(t, "<rect class=\"pulse\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        "height=\"%.1f\" fill=\"%s\" stroke=\"black\" stroke-width=\"1.2\"/>\n",
                     x, y - PULSE_H, w, PULSE_H, fill);
    char lab[64];
    text_at(t, x + w / 2, y - PULSE_H - 5, "middle", 11, pulse_label(d->seq, p, lab));
    if (!is90 && !is180) {
        snprintf(lab, sizeof lab, "%.4g\xc2\xb0", deg);
        text_at(t, x + w / 2, y - PULSE_H - 18, "middle", 10, lab);
    }
}

static void shaped_pulse(const dw *d, const nmrc_event *e, double x)
{
    nmrc_text *t = d->t;
    const nmrc_shape *sh = &d->seq->shapes[e->shape];
    double y = lane_y((size_t)e->channel), amax = 0, w = 44.0;
    for (size_t k = 0; k < sh->n; k++)
        amax = fmax(amax, fabs(sh->amp[k]));
    nmrc_text_printf(t, "<path class=\"pulse shaped\" d=\"M%.1f %.1f", x, y);
    for (size_t k = 0; k < sh->n; k++) {
        double u = sh->n > 1 ? (double)k / (double)(sh->n - 1) : 0.5;
        nmrc_text_printf(t, " L%.1f %.1f", x + w * u,
                         y - PULSE_H * (amax > 0 ? fabs(sh->amp[k]) / amax : 1));
    }
    nmrc_text_printf(t, " L%.1f %.1f Z\" fill=\"#d8d8d8\" stroke=\"black\"/>\n", x + w, y);
    char lab[96], ph[32];
    snprintf(lab, sizeof lab, "%s %.4g\xc2\xb0", phase_label(ph, e->pulse[0].phase),
             fabs(e->pulse[0].angle) * 180.0 / NMRC_PI);
    text_at(t, x + w / 2, y - PULSE_H - 5, "middle", 11, lab);
    text_at(t, x + w / 2, y - PULSE_H - 18, "middle", 10, sh->name);
}

/* A gradient: a block above (positive) or below the lane, height by
** amplitude, its shape's outline when it has one. */
static void gradient(const dw *d, const nmrc_event *e, double x, double w)
{
    nmrc_text *t = d->t;
    double y = lane_y((size_t)e->channel), s = e->amplitude < 0 ? -1 : 1;
    double h = 6 + 26 * (d->gmax > 0 ? fabs(e->amplitude) / d->gmax : 1);
    x += 4;
    w -= 8;
    nmrc_text_printf(t, "<path class=\"gradient\" d=\"M%.1f %.1f", x, y);
    if (e->shape >= 0 && d->seq->shapes[e->shape].n > 1) {
        const nmrc_shape *sh = &d->seq->shapes[e->shape];
        for (size_t k = 0; k < sh->n; k++)
            nmrc_text_printf(t, " L%.1f %.1f", x + w * (double)k / (double)(sh->n - 1),
                             y - s * h * fabs(sh->amp[k]) / 100.0);
    } else {
        nmrc_text_printf(t, " L%.1f %.1f L%.1f %.1f", x + 3, y - s * h, x + w - 3, y - s * h);
    }
    nmrc_text_printf(t, " L%.1f %.1f Z\" fill=\"#b0b0b0\" stroke=\"black\"/>\n", x + w, y);
    char lab[48];
    if (e->amp_param[0])
        snprintf(lab, sizeof lab, "%s", e->amp_param);
    else
        snprintf(lab, sizeof lab, "%.3g T/m", e->amplitude);
    text_at(t, x + w / 2, s > 0 ? y - h - 5 : y + h + 13, "middle", 10, lab);
}

/* The acquisition: a decaying FID on the observed channel. */
static void acquire(const dw *d, const nmrc_event *e, double x, double w)
{
    nmrc_text *t = d->t;
    double y = lane_y((size_t)e->channel) - 22;
    nmrc_text_printf(t, "<polyline class=\"acquire\" fill=\"none\" stroke=\"black\" points=\"");
    for (int k = 0; k <= 120; k++) {
        double u = k / 120.0;
        nmrc_text_printf(t, "%s%.1f,%.1f", k ? " " : "", x + 8 + (w - 16) * u,
                         y - 20 * exp(-3.5 * u) * cos(2 * NMRC_PI * 7 * u));
    }
    nmrc_text_printf(t, "\"/>\n");
    text_at(t, x + w / 2, y - 28, "middle", 11, "acq");
}

/* A virtual-Z: a circled z on its lane, the frame angle above. */
static void virtual_z(const dw *d, const nmrc_event *e, double x, double w)
{
    nmrc_text *t = d->t;
    double y = lane_y((size_t)e->channel) - 12, cx = x + w / 2;
    nmrc_text_printf(t, "<g class=\"vz\"><circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"white\" "
                        "stroke=\"black\" stroke-dasharray=\"2,1.5\"/>\n", cx, y);
    text_at(t, cx, y + 4, "middle", 11, "z");
    char lab[32];
    double deg = e->vz_phase * 180.0 / NMRC_PI;     /* U+2212 minus, as the phases */
    snprintf(lab, sizeof lab, "%s%.4g\xc2\xb0", deg < 0 ? "\xe2\x88\x92" : "+", fabs(deg));
    text_at(t, cx, y - 12, "middle", 10, lab);
    nmrc_text_printf(t, "</g>\n");
}

/* The label of a timed event below the lanes (name and length), and break
** marks on every lane when the delay is compressed. */
static void timed_label(const dw *d, const nmrc_event *e, double x, double w)
{
    nmrc_text *t = d->t;
    char len[32];
    double mx = x + w / 2;
    nmrc_text_printf(t, "<g class=\"delay\">\n<path d=\"M%.1f %.1f v6 M%.1f %.1f h%.1f "
                        "M%.1f %.1f v6\" stroke=\"#777\" fill=\"none\"/>\n",
                     x + 1, d->labels_y - 23, x + 1, d->labels_y - 20, w - 2, x + w - 1,
                     d->labels_y - 23);
    if (e->param[0])
        text_at(t, mx, d->labels_y, "middle", 11, e->param);
    text_at(t, mx, d->labels_y + (e->param[0] ? 13 : 0), "middle", 10,
            time_label(len, e->duration));
    if (e->kind == NMRC_EV_DELAY && compressed(d, e->duration))
        for (size_t c = 0; c < d->seq->n_channels; c++) {
            double y = lane_y(c);
            nmrc_text_printf(t, "<rect x=\"%.1f\" y=\"%.1f\" width=\"6\" height=\"4\" "
                                "fill=\"white\"/>\n<path class=\"break\" d=\"M%.1f %.1f "
                                "L%.1f %.1f M%.1f %.1f L%.1f %.1f\" stroke=\"black\"/>\n",
                             mx - 3, y - 2, mx - 6, y + 6, mx - 1, y - 6, mx + 1, y + 6,
                             mx + 6, y - 6);
        }
    nmrc_text_printf(t, "</g>\n");
}

/* A loop bracket from xb (its LOOP_BEGIN column) to xe (LOOP_END), nested
** `depth` deep, with the repeat count. */
static void bracket(const dw *d, const nmrc_event *b, double xb, double xe, int depth)
{
    nmrc_text *t = d->t;
    double y0 = lane_y(0) - PULSE_H - 34 + 5 * depth;
    double y1 = lane_y(d->seq->n_channels - 1) + 16 - 5 * depth;
    double l = xb + 7, r = xe + 7;
    nmrc_text_printf(t, "<path class=\"loop\" d=\"M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f "
                        "M%.1f %.1f L%.1f %.1f L%.1f %.1f L%.1f %.1f\" fill=\"none\" "
                        "stroke=\"black\"/>\n", l + 4, y0, l, y0, l, y1, l + 4, y1, r - 4, y0,
                     r, y0, r, y1, r - 4, y1);
    char lab[48];
    snprintf(lab, sizeof lab, "\xc3\x97%zu%s%s", b->count, b->param[0] ? " " : "", b->param);
    text_at(t, r + 2, y0 - 3, "start", 12, lab);
}

static void events(const dw *d)
{
    const nmrc_seq *seq = d->seq;
    size_t open[NMRC_SEQ_MAX_DEPTH];
    int depth = 0;
    for (size_t i = 0; i < seq->n_events; i++) {
        const nmrc_event *e = &seq->events[i];
        double x = d->x[i], w = d->w[i];
        switch (e->kind) {
        case NMRC_EV_PULSE: {
            double pw = 0;                           /* simultaneous pulses start together */
            for (int k = 0; k < e->n_pulse; k++)
                pw = fmax(pw, pulse_w(e->pulse[k].angle));
            for (int k = 0; k < e->n_pulse; k++)
                hard_pulse(d, x + (w - pw) / 2, &e->pulse[k]);
            break;
        }
        case NMRC_EV_SHAPED: shaped_pulse(d, e, x + (w - 44.0) / 2); break;
        case NMRC_EV_GRADIENT:
            gradient(d, e, x, w);
            timed_label(d, e, x, w);
            break;
        case NMRC_EV_DELAY:
            if (w > 0)
                timed_label(d, e, x, w);
            break;
        case NMRC_EV_ACQUIRE:
            acquire(d, e, x, w);
            timed_label(d, e, x, w);
            break;
        case NMRC_EV_VZ: virtual_z(d, e, x, w); break;
        case NMRC_EV_LOOP_BEGIN: open[depth++] = i; break;   /* balanced: nmrc_seq_check */
        case NMRC_EV_LOOP_END:
            depth--;
            bracket(d, &seq->events[open[depth]], d->x[open[depth]], x, depth);
            break;
        }
    }
}

/* ---- Legend and document ----------------------------------------------- */

/* The phase lists and the caption, from y on; returns the y after them. */
static double legend(const dw *d, double y)
{
    nmrc_text *t = d->t;
    const nmrc_seq *seq = d->seq;
    for (size_t i = 0; i < seq->n_phase_lists; i++, y += 16) {
        const nmrc_phase_list *l = &seq->phase_lists[i];
        nmrc_text line = {0};
        char ph[32];
        nmrc_text_printf(&line, "%s =", l->name);
        for (size_t k = 0; k < l->n && k < 32; k++)
            nmrc_text_printf(&line, " %s", phase_label(ph, l->phase[k]));
        nmrc_text_printf(&line, "%s%s", l->n > 32 ? " \xe2\x80\xa6" : "",
                         (int)i == seq->receiver_list ? "  (receiver)" : "");
        if (line.oom)
            t->oom = 1;
        else
            text_at(t, ML, y, "start", 11, line.p);
        nmrc_text_free(&line);
    }
    char dur[32], cap[160];
    snprintf(cap, sizeof cap, "duration %s, %zu scan%s", time_label(dur, span_time(seq, 0,
             seq->n_events)), seq->scans, seq->scans == 1 ? "" : "s");
    text_at(t, ML, y, "start", 11, cap);
    text_at(t, ML, y + 16, "start", 10,
            "Time axis not to scale: pulses are drawn by flip angle (narrow filled 90\xc2\xb0, "
            "wide open 180\xc2\xb0, grey: other angles, labelled), phases above them;");
    text_at(t, ML, y + 29, "start", 10,
            "delays and gradients are compressed, and // marks a delay drawn much shorter than "
            "it lasts.");
    return y + 45;
}

static void document(dw *d, const char *title)
{
    nmrc_text *t = d->t;
    const nmrc_seq *seq = d->seq;
    double legend_y = d->labels_y + 40;
    double height = legend_y + 16.0 * (double)seq->n_phase_lists + 52;
    double width = fmax(d->right + MR, 880.0);
    nmrc_text_printf(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                        "viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, Arial, sans-serif\">\n"
                        "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
                     width, height, width, height);
    text_at(t, 14, 26, "start", 16, title ? title : seq->name);
    lanes(d);
    events(d);
    legend(d, legend_y);
    nmrc_text_printf(t, "</svg>\n");
}

nmrc_status nmrc_draw_svg_buffer(const nmrc_seq *seq, const char *title, char **out,
                                 size_t *len, nmrc_ctx *ctx)
{
    if (!out)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_draw_svg_buffer: out is NULL");
    *out = NULL;
    if (!seq)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_draw_svg_buffer: no sequence");
    nmrc_status st = nmrc_seq_check(seq, ctx);
    if (st != NMRC_OK)
        return st;
    if (seq->n_channels == 0)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "sequence '%s' has no channel to draw",
                              seq->name);
    nmrc_text t = {0};
    dw d = {&t, seq, NULL, NULL, 0, 0, 0, 0};
    size_t n = seq->n_events ? seq->n_events : 1;
    d.x = malloc(n * sizeof *d.x);
    d.w = malloc(n * sizeof *d.w);
    int ok = d.x && d.w;
    if (ok) {
        layout(&d);
        document(&d, title);
    }
    free(d.x);
    free(d.w);
    if (!ok || t.oom) {
        nmrc_text_free(&t);
        return nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory drawing the sequence");
    }
    *out = t.p;
    if (len)
        *len = t.n;
    return NMRC_OK;
}

nmrc_status nmrc_draw_svg_file(const nmrc_seq *seq, const char *title, const char *path,
                               nmrc_ctx *ctx)
{
    char *svg = NULL;
    size_t len = 0;
    nmrc_status st = nmrc_draw_svg_buffer(seq, title, &svg, &len, ctx);
    if (st == NMRC_OK)
        st = nmrc_io_write_atomic(path, svg, len, ctx);
    free(svg);
    return st;
}
