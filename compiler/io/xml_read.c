/*
** xml_read.c: sequence XML -> nmrc_seq, part 1: the events of
** PULSE_PROGRAM (Bruker elements with exact nmrc:* attributes, nested
** nmrc:loop, nmrc:simultaneous, nmrc:vz) and the document root, in either
** namespace version.  The input
** is already parsed safely and schema-valid (xml_parse.c); what a schema
** cannot check (names exist, numbers finite, loop depth) is checked here.
*/
#include "nmrc/xml.h"

#include <stdlib.h>
#include <string.h>

#include "xml_read.h"

#define MAX_DEPTH NMRC_SEQ_MAX_DEPTH

/* ---- Events --------------------------------------------------------------- */

/* duration (>= 0), param, ampParam and span of an event element. */
static NMRC_NODISCARD nmrc_status event_common(const nmrc_xmlr *r, xmlNode *node, nmrc_event *e)
{
    nmrc_status st = nmrc_xmlr_num(r, node, 1, "duration", &e->duration, 1);
    if (st == NMRC_OK && e->duration < 0)
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "negative duration");
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 1, "param", e->param, sizeof e->param, 0);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 1, "ampParam", e->amp_param, sizeof e->amp_param, 0);
    return st == NMRC_OK ? nmrc_xmlr_span(r, node, 1, "span", &e->span) : st;
}

/* One channel pulse of an <HF_PULSE> (angle, phase, list, amplitude). */
static NMRC_NODISCARD nmrc_status read_pulse(const nmrc_xmlr *r, xmlNode *node, nmrc_pulse *p, double *amp)
{
    nmrc_status st = nmrc_xmlr_channel(r, node, 1, NMRC_CHAN_RF, &p->channel);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 1, "angle", &p->angle, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 1, "phase", &p->phase, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 1, "amplitude", amp, 1);
    return st == NMRC_OK ? nmrc_xmlr_list_ref(r, node, &p->phase_list) : st;
}

static NMRC_NODISCARD nmrc_status read_hf_pulse(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    int shape;
    double amp;
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK)
        st = read_pulse(r, node, &e.pulse[0], &amp);
    if (st == NMRC_OK)
        st = nmrc_xmlr_shape_ref(r, node, &shape);
    if (st != NMRC_OK)
        return st;
    e.n_pulse = 1;
    if (shape >= 0) {
        e.kind = NMRC_EV_SHAPED;
        e.shape = shape;
        e.channel = e.pulse[0].channel;
        e.amplitude = amp;
    } else {
        e.pulse[0].amplitude = amp;
    }
    return nmrc_seq_append(r->seq, &e) == NMRC_OK
               ? NMRC_OK
               : nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
}

static NMRC_NODISCARD nmrc_status read_simultaneous(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    nmrc_status st = NMRC_OK;
    for (xmlNode *c = nmrc_xmlr_first(node->children); c && st == NMRC_OK; c = nmrc_xmlr_next(c)) {
        if (!nmrc_xmlr_is_elem(c, NULL, "HF_PULSE") || e.n_pulse >= NMRC_SEQ_MAX_CHANNELS)
            return nmrc_xmlr_fail(r, c, NMRC_EXML, "unexpected element in nmrc:simultaneous");
        if (e.n_pulse == 0)
            st = event_common(r, c, &e);
        if (st == NMRC_OK)
            st = read_pulse(r, c, &e.pulse[e.n_pulse], &e.pulse[e.n_pulse].amplitude);
        e.n_pulse++;
    }
    if (st == NMRC_OK && e.n_pulse < 2)
        st = nmrc_xmlr_fail(r, node, NMRC_EXML, "nmrc:simultaneous needs at least two pulses");
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static NMRC_NODISCARD nmrc_status read_grad(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK)
        st = nmrc_xmlr_channel(r, node, 1, NMRC_CHAN_GRAD, &e.channel);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 1, "amplitude", &e.amplitude, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_shape_ref(r, node, &e.shape);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* DELAY or ACQ_MULTI. */
static NMRC_NODISCARD nmrc_status read_timed(const nmrc_xmlr *r, xmlNode *node, nmrc_event_kind kind)
{
    nmrc_event e = nmrc_seq_event_init(kind);
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK && kind == NMRC_EV_ACQUIRE)
        st = nmrc_xmlr_channel(r, node, 1, NMRC_CHAN_RF, &e.channel);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static NMRC_NODISCARD nmrc_status read_vz(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_VZ);
    nmrc_status st = nmrc_xmlr_channel(r, node, 0, NMRC_CHAN_RF, &e.channel);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "phase", &e.vz_phase, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_span(r, node, 0, "span", &e.span);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}


static NMRC_NODISCARD nmrc_status read_loop(const nmrc_xmlr *r, xmlNode *node, int depth)
{
    nmrc_event b = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN);
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    char buf[24];
    if (depth >= MAX_DEPTH)
        return nmrc_xmlr_fail(r, node, NMRC_ELIMIT, "loops nested deeper than %d", MAX_DEPTH);
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "count", buf, sizeof buf, 1);
    char *end;
    unsigned long long n = st == NMRC_OK ? strtoull(buf, &end, 10) : 0;
    if (st == NMRC_OK && (end == buf || *end || n < 1 || n > 1000000000ull))
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "loop count '%s' out of range 1..1e9", buf);
    b.count = (size_t)n;
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "param", b.param, sizeof b.param, 0);
    if (st == NMRC_OK)
        st = nmrc_xmlr_span(r, node, 0, "span", &b.span);
    if (st == NMRC_OK)
        st = nmrc_xmlr_span(r, node, 0, "endSpan", &e.span);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &b) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK)
        st = nmrc_xmlr_events(r, node, depth + 1);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* event = DELAY | HF_PULSE | GRAD_PULSE | ACQ_MULTI | nmrc:simultaneous
**       | nmrc:vz | nmrc:loop ; */
nmrc_status nmrc_xmlr_events(const nmrc_xmlr *r, xmlNode *parent, int depth)
{
    nmrc_status st = NMRC_OK;
    for (xmlNode *c = nmrc_xmlr_first(parent->children); c && st == NMRC_OK;
         c = nmrc_xmlr_next(c)) {
        if (nmrc_xmlr_is_elem(c, NULL, "DELAY"))
            st = read_timed(r, c, NMRC_EV_DELAY);
        else if (nmrc_xmlr_is_elem(c, NULL, "ACQ_MULTI"))
            st = read_timed(r, c, NMRC_EV_ACQUIRE);
        else if (nmrc_xmlr_is_elem(c, NULL, "HF_PULSE"))
            st = read_hf_pulse(r, c);
        else if (nmrc_xmlr_is_elem(c, NULL, "GRAD_PULSE"))
            st = read_grad(r, c);
        else if (nmrc_xmlr_is_nmrc(r, c, "simultaneous"))
            st = read_simultaneous(r, c);
        else if (nmrc_xmlr_is_nmrc(r, c, "vz"))
            st = read_vz(r, c);
        else if (nmrc_xmlr_is_nmrc(r, c, "loop"))
            st = read_loop(r, c, depth);
        else
            st = nmrc_xmlr_fail(r, c, NMRC_EXML, "unexpected element <%s>", (const char *)c->name);
    }
    return st;
}

/* ---- Document ------------------------------------------------------------- */

nmrc_status nmrc_xml_doc_to_seq(xmlDoc *doc, const char *name, nmrc_ctx *ctx, nmrc_seq **out)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    nmrc_xmlr r = {name, ctx, NULL, NMRC_XML_NS};
    *out = NULL;
    if (nmrc_xmlr_is_elem(root, NMRC_XML_NS_1, "sequence"))
        r.ns = NMRC_XML_NS_1;   /* a version-1 file: the same elements, fewer of them */
    if (!nmrc_xmlr_is_nmrc(&r, root, "sequence"))
        return nmrc_xmlr_fail(&r, root, NMRC_EXML, "root element is not nmrc:sequence in "
                              "namespace " NMRC_XML_NS " (or " NMRC_XML_NS_1 ")");
    r.seq = nmrc_seq_create("");
    if (!r.seq)
        return nmrc_xmlr_fail(&r, root, NMRC_ENOMEM, "out of memory");
    char scans[24];
    nmrc_status st = nmrc_xmlr_str(&r, root, 0, "name", r.seq->name, sizeof r.seq->name, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(&r, root, 0, "scans", scans, sizeof scans, 1);
    if (st == NMRC_OK) {
        char *end;
        unsigned long long n = strtoull(scans, &end, 10);
        if (end == scans || *end || n < 1 || n > 1000000000ull)
            st = nmrc_xmlr_fail(&r, root, NMRC_EINVAL, "scans '%s' out of range", scans);
        r.seq->scans = (size_t)n;
    }
    for (xmlNode *c = nmrc_xmlr_first(root->children); c && st == NMRC_OK; c = nmrc_xmlr_next(c))
        st = nmrc_xmlr_meta(&r, c);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(r.seq);
        return st;
    }
    *out = r.seq;
    return NMRC_OK;
}
