/*
** xml_read.c: nmrc sequence XML -> nmrc_seq, through libxml2 with safe
** settings (no DOCTYPE or entities, no network, bounded size, UTF-8 only)
** and validation against the built-in schema (sequences/nmrc-seq.xsd).
** The nmrc:* attributes are authoritative; the Bruker blocks are only read
** for the shape name of a shaped pulse.
*/
#define _POSIX_C_SOURCE 200809L     /* strtok_r */

#include "nmrc/xml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "xml_read.h"

#define MAX_DEPTH 64    /* loop nesting */

/* ---- Errors ------------------------------------------------------------ */

typedef struct reader {
    const char *name;   /* file name for messages */
    nmrc_ctx *ctx;
    nmrc_seq *seq;
} reader;

/* Records "name:line: message" in the context and returns status. */
static nmrc_status fail(const reader *r, const xmlNode *node, nmrc_status st, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static nmrc_status fail(const reader *r, const xmlNode *node, nmrc_status st, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nmrc_ctx_error(r->ctx, st, "%s:%ld: %s", r->name, node ? xmlGetLineNo(node) : 0L, msg);
}

/* Is node an element called `name` in namespace ns (NULL = none)? */
static int is_elem(const xmlNode *node, const char *ns, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, name) != 0)
        return 0;
    if (!ns)
        return node->ns == NULL;
    return node->ns && node->ns->href && strcmp((const char *)node->ns->href, ns) == 0;
}

static xmlNode *first_elem(xmlNode *node)
{
    while (node && node->type != XML_ELEMENT_NODE)
        node = node->next;
    return node;
}

static xmlNode *next_elem(xmlNode *node)
{
    return node ? first_elem(node->next) : NULL;
}

/* ---- Attributes ---------------------------------------------------------- */

/* Copies attribute `name` (namespace NS when qualified) into dst[size].
** Missing: "" if optional, error if required.  Too long: error. */
static nmrc_status get_str(const reader *r, xmlNode *node, int qualified, const char *name,
                           char *dst, size_t size, int required)
{
    xmlChar *v = qualified ? xmlGetNsProp(node, BAD_CAST name, BAD_CAST NMRC_XML_NS)
                           : xmlGetNoNsProp(node, BAD_CAST name);
    dst[0] = 0;
    if (!v)
        return required ? fail(r, node, NMRC_EINVAL, "missing attribute '%s'", name) : NMRC_OK;
    size_t n = strlen((const char *)v);
    if (n >= size) {
        xmlFree(v);
        return fail(r, node, NMRC_EINVAL, "attribute '%s' longer than %zu bytes", name, size - 1);
    }
    memcpy(dst, v, n + 1);
    xmlFree(v);
    return NMRC_OK;
}

/* Parses a finite double from the whole of s (surrounding blanks allowed). */
static int parse_num(const char *s, double *x)
{
    char *end;
    errno = 0;
    *x = strtod(s, &end);
    if (end == s || !isfinite(*x))
        return 0;
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    return *end == 0;
}

static nmrc_status get_num(const reader *r, xmlNode *node, int qualified, const char *name,
                           double *x, int required)
{
    char buf[64];
    nmrc_status st = get_str(r, node, qualified, name, buf, sizeof buf, required);
    *x = 0;
    if (st != NMRC_OK || !buf[0])
        return st;
    if (!parse_num(buf, x))
        return fail(r, node, NMRC_EINVAL, "attribute '%s': '%s' is not a finite number", name,
                    buf);
    return NMRC_OK;
}

static nmrc_status get_span(const reader *r, xmlNode *node, int qualified, const char *name,
                            nmrc_span *sp)
{
    char buf[48];
    unsigned long v[4];
    nmrc_status st = get_str(r, node, qualified, name, buf, sizeof buf, 0);
    memset(sp, 0, sizeof *sp);
    if (st != NMRC_OK || !buf[0])
        return st;
    char *p = buf;
    for (int k = 0; k < 4; k++) {
        char *end;
        errno = 0;
        v[k] = strtoul(p, &end, 10);
        if (end == p || errno || v[k] > UINT32_MAX || *end != (k < 3 ? ':' : 0))
            return fail(r, node, NMRC_EINVAL, "bad span '%s'", buf);
        p = end + 1;
    }
    sp->file = (uint32_t)v[0];
    sp->line = (uint32_t)v[1];
    sp->col = (uint32_t)v[2];
    sp->len = (uint32_t)v[3];
    return NMRC_OK;
}

/* Parses the whitespace-separated numbers in node's text into a new array
** *out (NULL when empty; caller frees) of *n values; exactly `want` values
** unless want is 0. */
static nmrc_status get_list(const reader *r, xmlNode *node, size_t want, double **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    xmlChar *text = xmlNodeGetContent(node);
    if (!text)
        return fail(r, node, NMRC_ENOMEM, "out of memory");
    size_t cap = 0;
    for (const char *s = (const char *)text; *s; s++)
        cap += (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') &&
               (s == (const char *)text || s[-1] == ' ' || s[-1] == '\t' || s[-1] == '\n' ||
                s[-1] == '\r');
    double *x = cap ? malloc(cap * sizeof *x) : NULL;
    nmrc_status st = (cap && !x) ? fail(r, node, NMRC_ENOMEM, "out of memory") : NMRC_OK;
    char *save = NULL;
    for (char *tok = strtok_r((char *)text, " \t\r\n", &save); st == NMRC_OK && tok;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (!parse_num(tok, &x[*n]))
            st = fail(r, node, NMRC_EINVAL, "'%s' is not a finite number", tok);
        else
            (*n)++;
    }
    xmlFree(text);
    if (st == NMRC_OK && want && *n != want)
        st = fail(r, node, NMRC_EINVAL, "expected %zu numbers, found %zu", want, *n);
    if (st != NMRC_OK) {
        free(x);
        *n = 0;
        return st;
    }
    *out = x;
    return NMRC_OK;
}

/* Fixed-length list into dst[want]. */
static nmrc_status get_fixed(const reader *r, xmlNode *node, double *dst, size_t want)
{
    double *x;
    size_t n;
    nmrc_status st = get_list(r, node, want, &x, &n);
    if (st == NMRC_OK)
        memcpy(dst, x, want * sizeof *dst);
    free(x);
    return st;
}

/* ---- Lookups -------------------------------------------------------------- */

static nmrc_status channel_attr(const reader *r, xmlNode *node, int qualified,
                                nmrc_chan_kind kind, int *index)
{
    char name[8];
    nmrc_status st = get_str(r, node, qualified, "channel", name, sizeof name, 1);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < r->seq->n_channels; i++) {
        if (strcmp(r->seq->channels[i].name, name) == 0) {
            if (r->seq->channels[i].kind != kind)
                return fail(r, node, NMRC_EINVAL, "channel '%s' is not %s channel", name,
                            kind == NMRC_CHAN_RF ? "an RF" : "a gradient");
            *index = (int)i;
            return NMRC_OK;
        }
    }
    return fail(r, node, NMRC_EINVAL, "unknown channel '%s'", name);
}

static nmrc_status list_attr(const reader *r, xmlNode *node, int *index)
{
    char name[16];
    nmrc_status st = get_str(r, node, 1, "list", name, sizeof name, 0);
    *index = -1;
    if (st != NMRC_OK || !name[0])
        return st;
    for (size_t i = 0; i < r->seq->n_phase_lists; i++)
        if (strcmp(r->seq->phase_lists[i].name, name) == 0) {
            *index = (int)i;
            return NMRC_OK;
        }
    return fail(r, node, NMRC_EINVAL, "unknown phase list '%s'", name);
}

/* The shape named by the <Shape> block of a pulse: -1 for Quantity 0. */
static nmrc_status shape_of(const reader *r, xmlNode *pulse, int *index)
{
    *index = -1;
    xmlNode *sh = first_elem(pulse->children);
    while (sh && !is_elem(sh, NULL, "Shape"))
        sh = next_elem(sh);
    xmlNode *val = sh ? first_elem(sh->children) : NULL;
    while (val && !is_elem(val, NULL, "Val"))
        val = next_elem(val);
    if (!val)
        return NMRC_OK;
    xmlChar *name = xmlNodeGetContent(val);
    if (!name)
        return fail(r, val, NMRC_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->seq->n_shapes; i++)
        if (strcmp(r->seq->shapes[i].name, (const char *)name) == 0)
            *index = (int)i;
    nmrc_status st = *index < 0 ? fail(r, val, NMRC_EINVAL, "unknown shape '%.64s'",
                                       (const char *)name)
                                : NMRC_OK;
    xmlFree(name);
    return st;
}

/* ---- Events --------------------------------------------------------------- */

/* duration (>= 0), param, ampParam and span of an event element. */
static nmrc_status event_common(const reader *r, xmlNode *node, nmrc_event *e)
{
    nmrc_status st = get_num(r, node, 1, "duration", &e->duration, 1);
    if (st == NMRC_OK && e->duration < 0)
        st = fail(r, node, NMRC_EINVAL, "negative duration");
    if (st == NMRC_OK)
        st = get_str(r, node, 1, "param", e->param, sizeof e->param, 0);
    if (st == NMRC_OK)
        st = get_str(r, node, 1, "ampParam", e->amp_param, sizeof e->amp_param, 0);
    return st == NMRC_OK ? get_span(r, node, 1, "span", &e->span) : st;
}

/* One channel pulse of an <HF_PULSE> (angle, phase, list, amplitude). */
static nmrc_status read_pulse(const reader *r, xmlNode *node, nmrc_pulse *p, double *amp)
{
    nmrc_status st = channel_attr(r, node, 1, NMRC_CHAN_RF, &p->channel);
    if (st == NMRC_OK)
        st = get_num(r, node, 1, "angle", &p->angle, 1);
    if (st == NMRC_OK)
        st = get_num(r, node, 1, "phase", &p->phase, 1);
    if (st == NMRC_OK)
        st = get_num(r, node, 1, "amplitude", amp, 1);
    return st == NMRC_OK ? list_attr(r, node, &p->phase_list) : st;
}

static nmrc_status read_hf_pulse(const reader *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    int shape;
    double amp;
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK)
        st = read_pulse(r, node, &e.pulse[0], &amp);
    if (st == NMRC_OK)
        st = shape_of(r, node, &shape);
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
    return nmrc_seq_append(r->seq, &e) == NMRC_OK ? NMRC_OK
                                                 : fail(r, node, NMRC_ENOMEM, "out of memory");
}

static nmrc_status read_simultaneous(const reader *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    nmrc_status st = NMRC_OK;
    for (xmlNode *c = first_elem(node->children); c && st == NMRC_OK; c = next_elem(c)) {
        if (!is_elem(c, NULL, "HF_PULSE") || e.n_pulse >= NMRC_SEQ_MAX_CHANNELS)
            return fail(r, c, NMRC_EXML, "unexpected element in nmrc:simultaneous");
        if (e.n_pulse == 0)
            st = event_common(r, c, &e);
        if (st == NMRC_OK)
            st = read_pulse(r, c, &e.pulse[e.n_pulse], &e.pulse[e.n_pulse].amplitude);
        e.n_pulse++;
    }
    if (st == NMRC_OK && e.n_pulse < 2)
        st = fail(r, node, NMRC_EXML, "nmrc:simultaneous needs at least two pulses");
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static nmrc_status read_grad(const reader *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK)
        st = channel_attr(r, node, 1, NMRC_CHAN_GRAD, &e.channel);
    if (st == NMRC_OK)
        st = get_num(r, node, 1, "amplitude", &e.amplitude, 1);
    if (st == NMRC_OK)
        st = shape_of(r, node, &e.shape);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* DELAY or ACQ_MULTI. */
static nmrc_status read_timed(const reader *r, xmlNode *node, nmrc_event_kind kind)
{
    nmrc_event e = nmrc_seq_event_init(kind);
    nmrc_status st = event_common(r, node, &e);
    if (st == NMRC_OK && kind == NMRC_EV_ACQUIRE)
        st = channel_attr(r, node, 1, NMRC_CHAN_RF, &e.channel);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static nmrc_status read_vz(const reader *r, xmlNode *node)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_VZ);
    nmrc_status st = channel_attr(r, node, 0, NMRC_CHAN_RF, &e.channel);
    if (st == NMRC_OK)
        st = get_num(r, node, 0, "phase", &e.vz_phase, 1);
    if (st == NMRC_OK)
        st = get_span(r, node, 0, "span", &e.span);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static nmrc_status read_events(const reader *r, xmlNode *parent, int depth);

static nmrc_status read_loop(const reader *r, xmlNode *node, int depth)
{
    nmrc_event b = nmrc_seq_event_init(NMRC_EV_LOOP_BEGIN);
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_LOOP_END);
    char buf[24];
    if (depth >= MAX_DEPTH)
        return fail(r, node, NMRC_ELIMIT, "loops nested deeper than %d", MAX_DEPTH);
    nmrc_status st = get_str(r, node, 0, "count", buf, sizeof buf, 1);
    char *end;
    unsigned long long n = st == NMRC_OK ? strtoull(buf, &end, 10) : 0;
    if (st == NMRC_OK && (end == buf || *end || n < 1 || n > 1000000000ull))
        st = fail(r, node, NMRC_EINVAL, "loop count '%s' out of range 1..1e9", buf);
    b.count = (size_t)n;
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "param", b.param, sizeof b.param, 0);
    if (st == NMRC_OK)
        st = get_span(r, node, 0, "span", &b.span);
    if (st == NMRC_OK)
        st = get_span(r, node, 0, "endSpan", &e.span);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &b) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    if (st == NMRC_OK)
        st = read_events(r, node, depth + 1);
    if (st == NMRC_OK && nmrc_seq_append(r->seq, &e) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* event = DELAY | HF_PULSE | GRAD_PULSE | ACQ_MULTI | nmrc:simultaneous
**       | nmrc:vz | nmrc:loop ; */
static nmrc_status read_events(const reader *r, xmlNode *parent, int depth)
{
    nmrc_status st = NMRC_OK;
    for (xmlNode *c = first_elem(parent->children); c && st == NMRC_OK; c = next_elem(c)) {
        if (is_elem(c, NULL, "DELAY"))
            st = read_timed(r, c, NMRC_EV_DELAY);
        else if (is_elem(c, NULL, "ACQ_MULTI"))
            st = read_timed(r, c, NMRC_EV_ACQUIRE);
        else if (is_elem(c, NULL, "HF_PULSE"))
            st = read_hf_pulse(r, c);
        else if (is_elem(c, NULL, "GRAD_PULSE"))
            st = read_grad(r, c);
        else if (is_elem(c, NMRC_XML_NS, "simultaneous"))
            st = read_simultaneous(r, c);
        else if (is_elem(c, NMRC_XML_NS, "vz"))
            st = read_vz(r, c);
        else if (is_elem(c, NMRC_XML_NS, "loop"))
            st = read_loop(r, c, depth);
        else
            st = fail(r, c, NMRC_EXML, "unexpected element <%s>", (const char *)c->name);
    }
    return st;
}

/* ---- Metadata ------------------------------------------------------------ */

static nmrc_status read_description(const reader *r, xmlNode *node)
{
    xmlChar *text = xmlNodeGetContent(node);
    if (!text)
        return fail(r, node, NMRC_ENOMEM, "out of memory");
    size_t n = strlen((const char *)text);
    nmrc_status st = NMRC_OK;
    if (n >= sizeof r->seq->description)
        st = fail(r, node, NMRC_EINVAL, "description longer than %zu bytes",
                  sizeof r->seq->description - 1);
    else
        memcpy(r->seq->description, text, n + 1);
    xmlFree(text);
    return st;
}

/* target = coupling { field } ; attributes spins, time, operation. */
static nmrc_status read_target(const reader *r, xmlNode *node)
{
    nmrc_seq *seq = r->seq;
    char spins[24];
    xmlNode *first = first_elem(node->children);
    nmrc_status st = get_str(r, node, 0, "operation", seq->target_op, sizeof seq->target_op, 0);
    if (st != NMRC_OK || !first)
        return st;              /* a named operation only */
    if (!is_elem(first, NMRC_XML_NS, "coupling"))
        return fail(r, node, NMRC_EXML, "a target Hamiltonian needs nmrc:coupling first");
    st = get_str(r, node, 0, "spins", spins, sizeof spins, 1);
    if (st == NMRC_OK)
        st = get_num(r, node, 0, "time", &seq->target_time, 1);
    if (st != NMRC_OK)
        return st;
    char *end;
    unsigned long n = strtoul(spins, &end, 10);
    if (end == spins || *end || n > NMRC_MAX_SPINS)
        return fail(r, node, NMRC_EINVAL, "target spins '%s' out of range", spins);
    seq->target_spins = n;
    seq->has_target = 1;
    for (xmlNode *c = first_elem(node->children); c && st == NMRC_OK; c = next_elem(c)) {
        if (is_elem(c, NMRC_XML_NS, "coupling")) {
            st = get_fixed(r, c, seq->target_tensor, 9);
            continue;
        }
        char idx[24];
        st = get_str(r, c, 0, "spin", idx, sizeof idx, 1);
        unsigned long k = st == NMRC_OK ? strtoul(idx, &end, 10) : 0;
        if (st == NMRC_OK && (end == idx || *end || k >= NMRC_MAX_SPINS))
            st = fail(r, c, NMRC_EINVAL, "field spin '%s' out of range", idx);
        if (st == NMRC_OK)
            st = get_fixed(r, c, seq->target_field[k], 3);
    }
    return st;
}

static nmrc_status read_natural(const reader *r, xmlNode *node)
{
    nmrc_status st = get_num(r, node, 0, "kappa", &r->seq->nat_kappa, 1);
    return st == NMRC_OK ? get_fixed(r, node, r->seq->nat_offset, NMRC_SEQ_MAX_CHANNELS) : st;
}

static nmrc_status read_channel(const reader *r, xmlNode *node)
{
    nmrc_seq *seq = r->seq;
    if (seq->n_channels >= NMRC_SEQ_MAX_CHANNELS)
        return fail(r, node, NMRC_ELIMIT, "more than %d channels", NMRC_SEQ_MAX_CHANNELS);
    nmrc_channel c;
    char type[16], axis[4];
    memset(&c, 0, sizeof c);
    nmrc_status st = get_str(r, node, 0, "name", c.name, sizeof c.name, 1);
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "type", type, sizeof type, 1);
    if (st == NMRC_OK && strcmp(type, "rf") == 0) {
        c.kind = NMRC_CHAN_RF;
        st = get_str(r, node, 0, "nucleus", c.nucleus, sizeof c.nucleus, 1);
        if (st == NMRC_OK)
            st = get_num(r, node, 0, "rf90", &c.rf90, 1);
    } else if (st == NMRC_OK) {
        c.kind = NMRC_CHAN_GRAD;
        st = get_str(r, node, 0, "axis", axis, sizeof axis, 1);
        c.axis = axis[0];
        if (st == NMRC_OK && (strlen(axis) != 1 || !strchr("xyz", axis[0])))
            st = fail(r, node, NMRC_EINVAL, "gradient axis must be x, y or z");
    }
    for (size_t i = 0; st == NMRC_OK && i < seq->n_channels; i++)
        if (strcmp(seq->channels[i].name, c.name) == 0)
            st = fail(r, node, NMRC_EINVAL, "duplicate channel '%s'", c.name);
    if (st == NMRC_OK)
        seq->channels[seq->n_channels++] = c;
    return st;
}

static nmrc_status read_parameter(const reader *r, xmlNode *node)
{
    nmrc_param p;
    memset(&p, 0, sizeof p);
    nmrc_status st = get_str(r, node, 0, "name", p.name, sizeof p.name, 1);
    if (st == NMRC_OK)
        st = get_num(r, node, 0, "value", &p.value, 1);
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "unit", p.unit, sizeof p.unit, 0);
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "comment", p.comment, sizeof p.comment, 0);
    if (st == NMRC_OK && nmrc_seq_find_param(r->seq, p.name))
        st = fail(r, node, NMRC_EINVAL, "duplicate parameter '%s'", p.name);
    if (st == NMRC_OK && nmrc_seq_set_param(r->seq, p.name, p.value, p.unit, p.comment))
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static nmrc_status read_phase_list(const reader *r, xmlNode *node)
{
    char name[8], recv[8];
    double *x = NULL;
    size_t n = 0;
    int index = -1;
    nmrc_status st = get_str(r, node, 0, "name", name, sizeof name, 1);
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "receiver", recv, sizeof recv, 0);
    for (size_t i = 0; st == NMRC_OK && i < r->seq->n_phase_lists; i++)
        if (strcmp(r->seq->phase_lists[i].name, name) == 0)
            st = fail(r, node, NMRC_EINVAL, "duplicate phase list '%s'", name);
    if (st == NMRC_OK)
        st = get_list(r, node, 0, &x, &n);
    if (st == NMRC_OK && nmrc_seq_add_phase_list(r->seq, name, x, n, &index) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    free(x);
    int is_recv = strcmp(recv, "true") == 0 || strcmp(recv, "1") == 0;
    if (st == NMRC_OK && is_recv && r->seq->receiver_list >= 0)
        st = fail(r, node, NMRC_EINVAL, "two receiver phase lists");
    if (st == NMRC_OK && is_recv)
        r->seq->receiver_list = index;
    return st;
}

static nmrc_status read_shape(const reader *r, xmlNode *node)
{
    char name[NMRC_NAME_MAX];
    double *amp = NULL, *ph = NULL;
    size_t na = 0, np = 0;
    nmrc_status st = get_str(r, node, 0, "name", name, sizeof name, 1);
    xmlNode *a = first_elem(node->children), *p = next_elem(a);
    if (st == NMRC_OK && (!is_elem(a, NMRC_XML_NS, "amplitude") || !is_elem(p, NMRC_XML_NS, "phase")))
        st = fail(r, node, NMRC_EXML, "shape needs nmrc:amplitude and nmrc:phase");
    for (size_t i = 0; st == NMRC_OK && i < r->seq->n_shapes; i++)
        if (strcmp(r->seq->shapes[i].name, name) == 0)
            st = fail(r, node, NMRC_EINVAL, "duplicate shape '%s'", name);
    if (st == NMRC_OK)
        st = get_list(r, a, 0, &amp, &na);
    if (st == NMRC_OK)
        st = get_list(r, p, 0, &ph, &np);
    if (st == NMRC_OK && na != np)
        st = fail(r, node, NMRC_EINVAL, "shape '%s': %zu amplitudes but %zu phases", name, na, np);
    if (st == NMRC_OK && nmrc_seq_add_shape(r->seq, name, amp, ph, na, NULL) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    free(amp);
    free(ph);
    return st;
}

static nmrc_status read_experiment(const reader *r, xmlNode *node)
{
    nmrc_experiment x;
    char prep[24];
    memset(&x, 0, sizeof x);
    nmrc_status st = get_num(r, node, 0, "weight", &x.weight, 1);
    if (st == NMRC_OK)
        st = get_str(r, node, 0, "prepend", prep, sizeof prep, 0);
    if (st == NMRC_OK) {
        char *end;
        long v = prep[0] ? strtol(prep, &end, 10) : -1;
        if (prep[0] && (end == prep || *end || v < -1 || v > INT_MAX))
            st = fail(r, node, NMRC_EINVAL, "prepend '%s' out of range", prep);
        x.prepend = (int)v;
    }
    if (st == NMRC_OK)
        st = get_fixed(r, node, x.phase_offset, NMRC_SEQ_MAX_CHANNELS);
    if (st == NMRC_OK && nmrc_seq_add_experiment(r->seq, &x) != NMRC_OK)
        st = fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* One child of the root, in schema order. */
static nmrc_status read_meta(const reader *r, xmlNode *c)
{
    static const struct {
        const char *name;
        nmrc_status (*fn)(const reader *, xmlNode *);
    } table[] = {
        {"description", read_description}, {"target", read_target},
        {"natural", read_natural},         {"channel", read_channel},
        {"parameter", read_parameter},     {"phaseList", read_phase_list},
        {"shape", read_shape},             {"experiment", read_experiment},
    };
    if (is_elem(c, NULL, "PULSE_PROGRAM"))
        return read_events(r, c, 0);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (is_elem(c, NMRC_XML_NS, table[i].name))
            return table[i].fn(r, c);
    return fail(r, c, NMRC_EXML, "unexpected element <%s>", (const char *)c->name);
}

/* ---- Document ------------------------------------------------------------- */

nmrc_status nmrc_xml_doc_to_seq(xmlDoc *doc, const char *name, nmrc_ctx *ctx, nmrc_seq **out)
{
    reader r = {name, ctx, NULL};
    xmlNode *root = xmlDocGetRootElement(doc);
    *out = NULL;
    if (!is_elem(root, NMRC_XML_NS, "sequence"))
        return fail(&r, root, NMRC_EXML, "root element is not nmrc:sequence");
    r.seq = nmrc_seq_create("");
    if (!r.seq)
        return fail(&r, root, NMRC_ENOMEM, "out of memory");
    char scans[24];
    nmrc_status st = get_str(&r, root, 0, "name", r.seq->name, sizeof r.seq->name, 1);
    if (st == NMRC_OK)
        st = get_str(&r, root, 0, "scans", scans, sizeof scans, 1);
    if (st == NMRC_OK) {
        char *end;
        unsigned long long n = strtoull(scans, &end, 10);
        if (end == scans || *end || n < 1 || n > 1000000000ull)
            st = fail(&r, root, NMRC_EINVAL, "scans '%s' out of range", scans);
        r.seq->scans = (size_t)n;
    }
    for (xmlNode *c = first_elem(root->children); c && st == NMRC_OK; c = next_elem(c))
        st = read_meta(&r, c);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(r.seq);
        return st;
    }
    *out = r.seq;
    return NMRC_OK;
}
