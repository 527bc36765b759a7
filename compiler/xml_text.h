/*
** xml_text.h (private to the XML and TopSpin writers): a growable text
** buffer with printf-style appends that remembers out-of-memory instead of
** failing each call, and the shortest exact decimal form of a double.
*/
#ifndef NMRC_XML_TEXT_H
#define NMRC_XML_TEXT_H

#include <stddef.h>

typedef struct nmrc_text {
    char *p;        /* NUL-terminated text (owned), NULL until the first append */
    size_t n, cap;  /* bytes used (without the NUL) and allocated */
    int oom;        /* nonzero once an allocation failed; later appends are no-ops */
} nmrc_text;

/* Appends printf-formatted text to t (sets t->oom on failure). */
void nmrc_text_printf(nmrc_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends s with XML escaping (&, <, >, " and, in attributes, tab/newline/CR
** as character references so that they survive attribute normalization). */
void nmrc_text_escape(nmrc_text *t, const char *s, int in_attribute);

/* Writes the shortest "%.*g" form of x (15..17 digits) that reads back as
** exactly x into buf[32] and returns buf.  x must be finite. */
const char *nmrc_text_num(char buf[32], double x);

/* Frees the text and resets *t to empty. */
void nmrc_text_free(nmrc_text *t);

#endif /* NMRC_XML_TEXT_H */
