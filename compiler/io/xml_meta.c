/*
** xml_meta.c: sequence XML -> nmrc_seq, part 2: the nmrc metadata before
** PULSE_PROGRAM (description, conventions, target, natural system, spin
** system, channels, TopSpin parameters, phase lists, shapes, experiment
** set, figures), each child of the root read by nmrc_xmlr_meta.
*/
#include "nmrc/xml.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_read.h"

/* ---- Metadata ------------------------------------------------------------ */

static NMRC_NODISCARD nmrc_status read_description(const nmrc_xmlr *r, xmlNode *node)
{
    xmlChar *text = xmlNodeGetContent(node);
    if (!text)
        return nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    size_t n = strlen((const char *)text);
    nmrc_status st = NMRC_OK;
    if (n >= sizeof r->seq->description)
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "description longer than %zu bytes",
                  sizeof r->seq->description - 1);
    else
        memcpy(r->seq->description, text, n + 1);
    xmlFree(text);
    return st;
}

/* target = coupling { field } ; attributes spins, time, operation. */
static NMRC_NODISCARD nmrc_status read_target(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_seq *seq = r->seq;
    char spins[24];
    xmlNode *first = nmrc_xmlr_first(node->children);
    nmrc_status st =
        nmrc_xmlr_str(r, node, 0, "operation", seq->target_op, sizeof seq->target_op, 0);
    if (st != NMRC_OK || !first)
        return st;              /* a named operation only */
    if (!nmrc_xmlr_is_nmrc(r, first, "coupling"))
        return nmrc_xmlr_fail(r, node, NMRC_EXML, "a target Hamiltonian needs nmrc:coupling first");
    st = nmrc_xmlr_str(r, node, 0, "spins", spins, sizeof spins, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "time", &seq->target_time, 1);
    if (st != NMRC_OK)
        return st;
    char *end;
    unsigned long n = strtoul(spins, &end, 10);
    if (end == spins || *end || n > NMRC_MAX_SPINS)
        return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "target spins '%s' out of range", spins);
    seq->target_spins = n;
    seq->has_target = 1;
    for (xmlNode *c = nmrc_xmlr_first(node->children); c && st == NMRC_OK; c = nmrc_xmlr_next(c)) {
        if (nmrc_xmlr_is_nmrc(r, c, "coupling")) {
            st = nmrc_xmlr_fixed(r, c, seq->target_tensor, 9);
            continue;
        }
        char idx[24];
        st = nmrc_xmlr_str(r, c, 0, "spin", idx, sizeof idx, 1);
        unsigned long k = st == NMRC_OK ? strtoul(idx, &end, 10) : 0;
        if (st == NMRC_OK && (end == idx || *end || k >= NMRC_MAX_SPINS))
            st = nmrc_xmlr_fail(r, c, NMRC_EINVAL, "field spin '%s' out of range", idx);
        if (st == NMRC_OK)
            st = nmrc_xmlr_fixed(r, c, seq->target_field[k], 3);
    }
    return st;
}

static NMRC_NODISCARD nmrc_status read_natural(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_status st = nmrc_xmlr_num(r, node, 0, "kappa", &r->seq->nat_kappa, 1);
    return st == NMRC_OK ? nmrc_xmlr_fixed(r, node, r->seq->nat_offset, NMRC_SEQ_MAX_CHANNELS) : st;
}

/* The conventions of a version-2 file: fixed by the version and checked by
** the schema, so nothing is kept. */
static NMRC_NODISCARD nmrc_status read_conventions(const nmrc_xmlr *r, xmlNode *node)
{
    (void)r;
    (void)node;
    return NMRC_OK;
}

/* spin = label nucleus offset [T1] [T2] [p90] */
static NMRC_NODISCARD nmrc_status read_spin(const nmrc_xmlr *r, xmlNode *node, nmrc_seq_spin *s)
{
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "label", s->label, sizeof s->label, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "nucleus", s->nucleus, sizeof s->nucleus, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "offset", &s->offset_hz, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "T1", &s->t1, 0);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "T2", &s->t2, 0);
    return st == NMRC_OK ? nmrc_xmlr_num(r, node, 0, "p90", &s->p90, 0) : st;
}

/* couple = i j J [dipolar] [weak] */
static NMRC_NODISCARD nmrc_status read_couple(const nmrc_xmlr *r, xmlNode *node,
                                              nmrc_seq_coupling *c)
{
    double ij[2];
    nmrc_status st = nmrc_xmlr_num(r, node, 0, "i", &ij[0], 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "j", &ij[1], 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "J", &c->j_hz, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "dipolar", &c->dipolar_hz, 0);
    xmlChar *weak = xmlGetProp(node, (const xmlChar *)"weak");
    c->weak = weak && (!xmlStrcmp(weak, (const xmlChar *)"true") ||
                       !xmlStrcmp(weak, (const xmlChar *)"1"));
    xmlFree(weak);
    if (st == NMRC_OK && !(ij[0] >= 0 && ij[1] >= 0 && ij[0] < NMRC_MAX_SPINS &&
                           ij[1] < NMRC_MAX_SPINS && ij[0] == (int)ij[0] && ij[1] == (int)ij[1]))
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "coupling spins out of range");
    c->i = (int)ij[0];
    c->j = (int)ij[1];
    return st;
}

/* system = spin { spin } { couple } ; attribute field.  Checked as a whole
** (isotopes known, labels unique, T2 <= 2 T1, pairs distinct with i < j). */
static NMRC_NODISCARD nmrc_status read_system(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_seq_system *sys = &r->seq->system;
    nmrc_status st = nmrc_xmlr_num(r, node, 0, "field", &sys->b0, 0);
    for (xmlNode *c = nmrc_xmlr_first(node->children); c && st == NMRC_OK; c = nmrc_xmlr_next(c)) {
        if (nmrc_xmlr_is_nmrc(r, c, "spin") && sys->n_spins < NMRC_MAX_SPINS)
            st = read_spin(r, c, &sys->spins[sys->n_spins++]);
        else if (nmrc_xmlr_is_nmrc(r, c, "couple") && sys->n_couplings < NMRC_SEQ_MAX_COUPLINGS)
            st = read_couple(r, c, &sys->couplings[sys->n_couplings++]);
        else
            st = nmrc_xmlr_fail(r, c, NMRC_EXML, "unexpected element <%s> in nmrc:system",
                                (const char *)c->name);
    }
    if (st == NMRC_OK && (st = nmrc_seq_system_check(sys, r->ctx)) != NMRC_OK) {
        char msg[512];      /* the check's message, given the file and line */
        snprintf(msg, sizeof msg, "%s", nmrc_ctx_errmsg(r->ctx));
        st = nmrc_xmlr_fail(r, node, st, "%s", msg);
    }
    return st;
}

static NMRC_NODISCARD nmrc_status read_channel(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_seq *seq = r->seq;
    if (seq->n_channels >= NMRC_SEQ_MAX_CHANNELS)
        return nmrc_xmlr_fail(r, node, NMRC_ELIMIT, "more than %d channels", NMRC_SEQ_MAX_CHANNELS);
    nmrc_channel c;
    char type[16], axis[4];
    memset(&c, 0, sizeof c);
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "name", c.name, sizeof c.name, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "type", type, sizeof type, 1);
    if (st == NMRC_OK && strcmp(type, "rf") == 0) {
        c.kind = NMRC_CHAN_RF;
        st = nmrc_xmlr_str(r, node, 0, "nucleus", c.nucleus, sizeof c.nucleus, 1);
        if (st == NMRC_OK)
            st = nmrc_xmlr_num(r, node, 0, "rf90", &c.rf90, 1);
    } else if (st == NMRC_OK) {
        c.kind = NMRC_CHAN_GRAD;
        st = nmrc_xmlr_str(r, node, 0, "axis", axis, sizeof axis, 1);
        c.axis = axis[0];
        if (st == NMRC_OK && (strlen(axis) != 1 || !strchr("xyz", axis[0])))
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "gradient axis must be x, y or z");
    }
    for (size_t i = 0; st == NMRC_OK && i < seq->n_channels; i++)
        if (strcmp(seq->channels[i].name, c.name) == 0)
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "duplicate channel '%s'", c.name);
    if (st == NMRC_OK)
        seq->channels[seq->n_channels++] = c;
    return st;
}

/* Reads the attributes name and value (required) and unit (optional) of a
** parameter or figure element into the given buffers. */
static NMRC_NODISCARD nmrc_status read_name_value(const nmrc_xmlr *r, xmlNode *node, char *name, size_t n_name,
                                   double *value, char *unit, size_t n_unit)
{
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "name", name, n_name, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_num(r, node, 0, "value", value, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "unit", unit, n_unit, 0);
    return st;
}

static NMRC_NODISCARD nmrc_status read_parameter(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_param p;
    memset(&p, 0, sizeof p);
    nmrc_status st = read_name_value(r, node, p.name, sizeof p.name, &p.value, p.unit,
                                     sizeof p.unit);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "comment", p.comment, sizeof p.comment, 0);
    if (st == NMRC_OK && nmrc_seq_find_param(r->seq, p.name))
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "duplicate parameter '%s'", p.name);
    if (st == NMRC_OK && nmrc_seq_set_param(r->seq, p.name, p.value, p.unit, p.comment))
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static NMRC_NODISCARD nmrc_status read_phase_list(const nmrc_xmlr *r, xmlNode *node)
{
    /* Both buffers start empty: when `name` is missing, `receiver` is never
    ** read, and recv used to be compared uninitialised below. */
    char name[8] = "", recv[8] = "";
    double *x = NULL;
    size_t n = 0;
    int index = -1;
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "name", name, sizeof name, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "receiver", recv, sizeof recv, 0);
    for (size_t i = 0; st == NMRC_OK && i < r->seq->n_phase_lists; i++)
        if (strcmp(r->seq->phase_lists[i].name, name) == 0)
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "duplicate phase list '%s'", name);
    if (st == NMRC_OK)
        st = nmrc_xmlr_list(r, node, 0, &x, &n);
    if (st == NMRC_OK && nmrc_seq_add_phase_list(r->seq, name, x, n, &index) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    free(x);
    if (st != NMRC_OK)
        return st;
    int is_recv = strcmp(recv, "true") == 0 || strcmp(recv, "1") == 0;
    if (is_recv && r->seq->receiver_list >= 0)
        return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "two receiver phase lists");
    if (is_recv)
        r->seq->receiver_list = index;
    return NMRC_OK;
}

static NMRC_NODISCARD nmrc_status read_shape(const nmrc_xmlr *r, xmlNode *node)
{
    char name[NMRC_NAME_MAX];
    double *amp = NULL, *ph = NULL;
    size_t na = 0, np = 0;
    nmrc_status st = nmrc_xmlr_str(r, node, 0, "name", name, sizeof name, 1);
    xmlNode *a = nmrc_xmlr_first(node->children), *p = nmrc_xmlr_next(a);
    if (st == NMRC_OK && (!nmrc_xmlr_is_nmrc(r, a, "amplitude") ||
                          !nmrc_xmlr_is_nmrc(r, p, "phase")))
        st = nmrc_xmlr_fail(r, node, NMRC_EXML, "shape needs nmrc:amplitude and nmrc:phase");
    for (size_t i = 0; st == NMRC_OK && i < r->seq->n_shapes; i++)
        if (strcmp(r->seq->shapes[i].name, name) == 0)
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "duplicate shape '%s'", name);
    if (st == NMRC_OK)
        st = nmrc_xmlr_list(r, a, 0, &amp, &na);
    if (st == NMRC_OK)
        st = nmrc_xmlr_list(r, p, 0, &ph, &np);
    if (st == NMRC_OK && na != np)
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "shape '%s': %zu amplitudes but %zu phases", name,
                            na, np);
    if (st == NMRC_OK && nmrc_seq_add_shape(r->seq, name, amp, ph, na, NULL) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    free(amp);
    free(ph);
    return st;
}

static NMRC_NODISCARD nmrc_status read_experiment(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_experiment x;
    char prep[24];
    memset(&x, 0, sizeof x);
    nmrc_status st = nmrc_xmlr_num(r, node, 0, "weight", &x.weight, 1);
    if (st == NMRC_OK)
        st = nmrc_xmlr_str(r, node, 0, "prepend", prep, sizeof prep, 0);
    if (st == NMRC_OK) {
        char *end;
        long v = prep[0] ? strtol(prep, &end, 10) : -1;
        if (prep[0] && (end == prep || *end || v < -1 || v > INT_MAX))
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "prepend '%s' out of range", prep);
        x.prepend = (int)v;
    }
    if (st == NMRC_OK)
        st = nmrc_xmlr_fixed(r, node, x.phase_offset, NMRC_SEQ_MAX_CHANNELS);
    if (st == NMRC_OK && nmrc_seq_add_experiment(r->seq, &x) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

static NMRC_NODISCARD nmrc_status read_figure(const nmrc_xmlr *r, xmlNode *node)
{
    nmrc_figure f;
    memset(&f, 0, sizeof f);
    nmrc_status st = read_name_value(r, node, f.name, sizeof f.name, &f.value, f.unit,
                                     sizeof f.unit);
    for (size_t i = 0; st == NMRC_OK && i < r->seq->n_figures; i++)
        if (strcmp(r->seq->figures[i].name, f.name) == 0)
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "duplicate figure '%s'", f.name);
    if (st == NMRC_OK && nmrc_seq_set_figure(r->seq, f.name, f.value, f.unit) != NMRC_OK)
        st = nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    return st;
}

/* One child of the root, in schema order. */
nmrc_status nmrc_xmlr_meta(const nmrc_xmlr *r, xmlNode *c)
{
    static const struct {
        const char *name;
        nmrc_status (*fn)(const nmrc_xmlr *, xmlNode *);
    } table[] = {
        {"description", read_description}, {"conventions", read_conventions},
        {"target", read_target},           {"natural", read_natural},
        {"system", read_system},           {"channel", read_channel},
        {"parameter", read_parameter},     {"phaseList", read_phase_list},
        {"shape", read_shape},             {"experiment", read_experiment},
        {"figure", read_figure},
    };
    if (nmrc_xmlr_is_elem(c, NULL, "PULSE_PROGRAM"))
        return nmrc_xmlr_events(r, c, 0);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        if (nmrc_xmlr_is_nmrc(r, c, table[i].name))
            return table[i].fn(r, c);
    return nmrc_xmlr_fail(r, c, NMRC_EXML, "unexpected element <%s>", (const char *)c->name);
}
