/*
** xml_read.h (private): the reader's internals shared by xml_dom.c
** (attribute and list parsing, lookups), xml_read.c (events, document) and
** xml_meta.c (metadata), and the step from a parsed, schema-valid libxml2
** document to an nmrc_seq used by xml_parse.c.
*/
#ifndef NMRC_XML_READ_H
#define NMRC_XML_READ_H

#include "core/defs.h"

#include <libxml/tree.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

/* Reading state: the file name for messages, the context, the sequence
** being filled, and the file's nmrc namespace (NMRC_XML_NS or, for a
** version-1 file, NMRC_XML_NS_1). */
typedef struct nmrc_xmlr {
    const char *name;
    nmrc_ctx *ctx;
    nmrc_seq *seq;
    const char *ns;
} nmrc_xmlr;

/* Builds a sequence from doc (not modified) into *out (caller owns).
** `name` prefixes messages ("name:line: ...").  Returns NMRC_OK,
** NMRC_EXML, NMRC_EINVAL, NMRC_ELIMIT or NMRC_ENOMEM; *out NULL on failure. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xml_doc_to_seq(xmlDoc *doc, const char *name, nmrc_ctx *ctx, nmrc_seq **out);

/* Records "name:line: message" (line of node) in r->ctx; returns st. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_fail(const nmrc_xmlr *r, const xmlNode *node, nmrc_status st,
                           const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Nonzero if node is an element `name` in namespace ns (NULL = none). */
NMRC_INTERNAL int nmrc_xmlr_is_elem(const xmlNode *node, const char *ns, const char *name);

/* Nonzero if node is the nmrc element `name` (in the file's namespace r->ns). */
NMRC_INTERNAL int nmrc_xmlr_is_nmrc(const nmrc_xmlr *r, const xmlNode *node, const char *name);

/* The first element among node and its following siblings, or NULL. */
NMRC_INTERNAL xmlNode *nmrc_xmlr_first(xmlNode *node);

/* The next element sibling of node, or NULL. */
NMRC_INTERNAL xmlNode *nmrc_xmlr_next(xmlNode *node);

/* Copies attribute `name` (in the nmrc namespace when qualified) into
** dst[size]; missing: "" when optional, an error when required; too long:
** an error. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_str(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                          char *dst, size_t size, int required);

/* Attribute as a finite double (0 when optional and missing). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_num(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                          double *x, int required);

/* Optional "file:line:col:len" attribute (zeros when missing). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_span(const nmrc_xmlr *r, xmlNode *node, int qualified, const char *name,
                           nmrc_span *sp);

/* The whitespace-separated finite numbers of node's text in a new array
** *out (caller frees; NULL when empty) of *n values; exactly `want` unless
** want is 0. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_list(const nmrc_xmlr *r, xmlNode *node, size_t want, double **out,
                           size_t *n);

/* Exactly `want` numbers of node's text into dst[want]. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_fixed(const nmrc_xmlr *r, xmlNode *node, double *dst, size_t want);

/* Index of the channel named by attribute "channel" (must be of `kind`). */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_channel(const nmrc_xmlr *r, xmlNode *node, int qualified,
                              nmrc_chan_kind kind, int *index);

/* Index of the phase list named by nmrc:list, -1 when absent. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_list_ref(const nmrc_xmlr *r, xmlNode *node, int *index);

/* Index of the shape a pulse's <Shape> block names, -1 for a hard pulse. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_shape_ref(const nmrc_xmlr *r, xmlNode *pulse, int *index);

/* Reads the events under parent (nesting depth `depth`) into r->seq. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_events(const nmrc_xmlr *r, xmlNode *parent, int depth);

/* Reads one metadata child of the root (or PULSE_PROGRAM) into r->seq. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_xmlr_meta(const nmrc_xmlr *r, xmlNode *c);

#endif /* NMRC_XML_READ_H */
