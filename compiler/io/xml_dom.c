/*
** xml_dom.c: small tools of the XML reader on a libxml2 tree: element
** tests, attributes as strings, finite numbers and spans, number lists, and
** name lookups of channels, phase lists and shapes, all failing with
** "file:line: message" (see xml_read.h).
*/
#define _POSIX_C_SOURCE 200809L     /* strtok_r */

#include "nmrc/xml.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xml_read.h"

/* ---- Errors ------------------------------------------------------------ */

nmrc_status nmrc_xmlr_fail(const nmrc_xmlr *r, const xmlNode *node, nmrc_status st,
                           const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nmrc_ctx_error(r->ctx, st, "%s:%ld: %s", r->name, node ? xmlGetLineNo(node) : 0L, msg);
}

/* Is node an element called `name` in namespace ns (NULL = none)? */
int nmrc_xmlr_is_elem(const xmlNode *node, const char *ns, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, name) != 0)
        return 0;
    if (!ns)
        return node->ns == NULL;
    return node->ns && node->ns->href && strcmp((const char *)node->ns->href, ns) == 0;
}

int nmrc_xmlr_is_nmrc(const nmrc_xmlr *r, const xmlNode *node, const char *name)
{
    return nmrc_xmlr_is_elem(node, r->ns, name);
}

xmlNode *nmrc_xmlr_first(xmlNode *node)
{
    while (node && node->type != XML_ELEMENT_NODE)
        node = node->next;
    return node;
}

xmlNode *nmrc_xmlr_next(xmlNode *node)
{
    return node ? nmrc_xmlr_first(node->next) : NULL;
}

/* ---- Attributes ---------------------------------------------------------- */

/* Copies attribute `name` (namespace NS when qualified) into dst[size].
** Missing: "" if optional, error if required.  Too long: error. */
nmrc_status nmrc_xmlr_str(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                          char *dst, size_t size, int required)
{
    xmlChar *v = qualified ? xmlGetNsProp(node, BAD_CAST name, BAD_CAST r->ns)
                           : xmlGetNoNsProp(node, BAD_CAST name);
    dst[0] = 0;
    if (!v)
        return required ? nmrc_xmlr_fail(r, node, NMRC_EINVAL, "missing attribute '%s'", name)
                        : NMRC_OK;
    size_t n = strlen((const char *)v);
    if (n >= size) {
        xmlFree(v);
        return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "attribute '%s' longer than %zu bytes", name,
                              size - 1);
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

nmrc_status nmrc_xmlr_num(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                          double *x, int required)
{
    char buf[64];
    nmrc_status st = nmrc_xmlr_str(r, node, qualified, name, buf, sizeof buf, required);
    *x = 0;
    if (st != NMRC_OK || !buf[0])
        return st;
    if (!parse_num(buf, x))
        return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "attribute '%s': '%s' is not a finite number",
                              name, buf);
    return NMRC_OK;
}

nmrc_status nmrc_xmlr_span(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                           nmrc_span *sp)
{
    char buf[48];
    unsigned long v[4];
    nmrc_status st = nmrc_xmlr_str(r, node, qualified, name, buf, sizeof buf, 0);
    memset(sp, 0, sizeof *sp);
    if (st != NMRC_OK || !buf[0])
        return st;
    char *p = buf;
    for (int k = 0; k < 4; k++) {
        char *end;
        errno = 0;
        v[k] = strtoul(p, &end, 10);
        if (end == p || errno || v[k] > UINT32_MAX || *end != (k < 3 ? ':' : 0))
            return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "bad span '%s'", buf);
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
nmrc_status nmrc_xmlr_list(const nmrc_xmlr *r, xmlNode *node, size_t want, double **out,
                           size_t *n)
{
    *out = NULL;
    *n = 0;
    xmlChar *text = xmlNodeGetContent(node);
    if (!text)
        return nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory");
    size_t cap = 0;
    for (const char *s = (const char *)text; *s; s++)
        cap += (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') &&
               (s == (const char *)text || s[-1] == ' ' || s[-1] == '\t' || s[-1] == '\n' ||
                s[-1] == '\r');
    double *x = cap ? malloc(cap * sizeof *x) : NULL;
    nmrc_status st = (cap && !x) ? nmrc_xmlr_fail(r, node, NMRC_ENOMEM, "out of memory") : NMRC_OK;
    char *save = NULL;
    for (char *tok = strtok_r((char *)text, " \t\r\n", &save); st == NMRC_OK && tok;
         tok = strtok_r(NULL, " \t\r\n", &save)) {
        if (!parse_num(tok, &x[*n]))
            st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "'%s' is not a finite number", tok);
        else
            (*n)++;
    }
    xmlFree(text);
    if (st == NMRC_OK && want && *n != want)
        st = nmrc_xmlr_fail(r, node, NMRC_EINVAL, "expected %zu numbers, found %zu", want, *n);
    if (st != NMRC_OK) {
        free(x);
        *n = 0;
        return st;
    }
    *out = x;
    return NMRC_OK;
}

/* Fixed-length list into dst[want]. */
nmrc_status nmrc_xmlr_fixed(const nmrc_xmlr *r, xmlNode *node, double *dst, size_t want)
{
    double *x;
    size_t n;
    nmrc_status st = nmrc_xmlr_list(r, node, want, &x, &n);
    if (st == NMRC_OK)
        memcpy(dst, x, want * sizeof *dst);
    free(x);
    return st;
}

/* ---- Lookups -------------------------------------------------------------- */

nmrc_status nmrc_xmlr_channel(const nmrc_xmlr *r, xmlNode *node, int qualified,
                              nmrc_chan_kind kind, int *index)
{
    char name[8];
    nmrc_status st = nmrc_xmlr_str(r, node, qualified, "channel", name, sizeof name, 1);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < r->seq->n_channels; i++) {
        if (strcmp(r->seq->channels[i].name, name) == 0) {
            if (r->seq->channels[i].kind != kind)
                return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "channel '%s' is not %s channel", name,
                            kind == NMRC_CHAN_RF ? "an RF" : "a gradient");
            *index = (int)i;
            return NMRC_OK;
        }
    }
    return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "unknown channel '%s'", name);
}

nmrc_status nmrc_xmlr_list_ref(const nmrc_xmlr *r, xmlNode *node, int *index)
{
    char name[16];
    nmrc_status st = nmrc_xmlr_str(r, node, 1, "list", name, sizeof name, 0);
    *index = -1;
    if (st != NMRC_OK || !name[0])
        return st;
    for (size_t i = 0; i < r->seq->n_phase_lists; i++)
        if (strcmp(r->seq->phase_lists[i].name, name) == 0) {
            *index = (int)i;
            return NMRC_OK;
        }
    return nmrc_xmlr_fail(r, node, NMRC_EINVAL, "unknown phase list '%s'", name);
}

/* The shape named by the <Shape> block of a pulse: -1 for Quantity 0. */
nmrc_status nmrc_xmlr_shape_ref(const nmrc_xmlr *r, xmlNode *pulse, int *index)
{
    *index = -1;
    xmlNode *sh = nmrc_xmlr_first(pulse->children);
    while (sh && !nmrc_xmlr_is_elem(sh, NULL, "Shape"))
        sh = nmrc_xmlr_next(sh);
    xmlNode *val = sh ? nmrc_xmlr_first(sh->children) : NULL;
    while (val && !nmrc_xmlr_is_elem(val, NULL, "Val"))
        val = nmrc_xmlr_next(val);
    if (!val)
        return NMRC_OK;
    xmlChar *name = xmlNodeGetContent(val);
    if (!name)
        return nmrc_xmlr_fail(r, val, NMRC_ENOMEM, "out of memory");
    for (size_t i = 0; i < r->seq->n_shapes; i++)
        if (strcmp(r->seq->shapes[i].name, (const char *)name) == 0)
            *index = (int)i;
    nmrc_status st = *index < 0 ? nmrc_xmlr_fail(r, val, NMRC_EINVAL, "unknown shape '%.64s'",
                                       (const char *)name)
                                : NMRC_OK;
    xmlFree(name);
    return st;
}
