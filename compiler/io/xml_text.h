/*
** xml_text.h (private to the XML, TopSpin and SVG writers): a growable
** text buffer with printf-style appends that remembers out-of-memory instead
** of failing each call, XML attribute printers, the shortest exact decimal
** form of a double, and the buffer-then-atomic-file step the writers'
** *_write_file share.
*/
#ifndef NMRC_XML_TEXT_H
#define NMRC_XML_TEXT_H

#include "core/defs.h"

#include <stddef.h>

#include "nmrc/seq.h"
#include "nmrc/status.h"

typedef struct nmrc_text {
    char *p;        /* NUL-terminated text (owned), NULL until the first append */
    size_t n, cap;  /* bytes used (without the NUL) and allocated */
    int oom;        /* nonzero once an allocation failed; later appends are no-ops */
} nmrc_text;

/* Appends printf-formatted text to t (sets t->oom on failure). */
NMRC_INTERNAL void nmrc_text_printf(nmrc_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends s with XML escaping (&, <, >, " and, in attributes, tab/newline/CR
** as character references so that they survive attribute normalization). */
NMRC_INTERNAL void nmrc_text_escape(nmrc_text *t, const char *s, int in_attribute);

/* Writes the shortest "%.*g" form of x (15..17 digits) that reads back as
** exactly x into buf[32] and returns buf.  x must be finite. */
NMRC_INTERNAL const char *nmrc_text_num(char buf[32], double x);

/* Appends 2 * depth spaces. */
NMRC_INTERNAL void nmrc_text_indent(nmrc_text *t, int depth);

/* Appends ` name="value"` with value escaped as an attribute. */
NMRC_INTERNAL void nmrc_text_attr_str(nmrc_text *t, const char *name, const char *value);

/* Appends ` name="x"` with x in the shortest exact form (nmrc_text_num). */
NMRC_INTERNAL void nmrc_text_attr_num(nmrc_text *t, const char *name, double x);

/* Appends x[0..n-1] separated by single spaces, each in its shortest exact form. */
NMRC_INTERNAL void nmrc_text_num_list(nmrc_text *t, const double *x, size_t n);

/* Frees the text and resets *t to empty. */
NMRC_INTERNAL void nmrc_text_free(nmrc_text *t);

/* A whole-program writer: nmrc_xml_write_buffer or nmrc_topspin_write_buffer. */
typedef nmrc_status (*nmrc_text_writer)(const nmrc_seq *seq, char **out, size_t *len,
                                        nmrc_ctx *ctx);

/* Writes seq with `writer` into a buffer, then the buffer to path with
** nmrc_io_write_atomic (core/io.c); frees the buffer.  Returns the
** writer's status or the atomic write's. */
NMRC_INTERNAL NMRC_NODISCARD nmrc_status nmrc_text_write_file(nmrc_text_writer writer, const nmrc_seq *seq, const char *path,
                                 nmrc_ctx *ctx);

#endif /* NMRC_XML_TEXT_H */
