/*
** xml_text.c: the growable text buffer the XML, TopSpin and SVG writers
** print into (see xml_text.h), with XML escaping, attribute printers and
** exact number formatting.
*/
#include "xml_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Makes room for `more` bytes plus the NUL; returns 0 (and sets oom) on failure. */
static int reserve(nmrc_text *t, size_t more)
{
    if (t->oom)
        return 0;
    if (t->n + more + 1 <= t->cap)
        return 1;
    size_t cap = t->cap ? t->cap : 4096;
    while (cap < t->n + more + 1)
        cap *= 2;
    char *p = realloc(t->p, cap);
    if (!p) {
        t->oom = 1;
        return 0;
    }
    t->p = p;
    t->cap = cap;
    return 1;
}

void nmrc_text_printf(nmrc_text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (k < 0) {
        t->oom = 1;
        return;
    }
    if (!reserve(t, (size_t)k))
        return;
    va_start(ap, fmt);
    vsnprintf(t->p + t->n, (size_t)k + 1, fmt, ap);
    va_end(ap);
    t->n += (size_t)k;
}

void nmrc_text_escape(nmrc_text *t, const char *s, int in_attribute)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': nmrc_text_printf(t, "&amp;"); break;
        case '<': nmrc_text_printf(t, "&lt;"); break;
        case '>': nmrc_text_printf(t, "&gt;"); break;
        case '"': nmrc_text_printf(t, "&quot;"); break;
        case '\r': nmrc_text_printf(t, "&#13;"); break;
        case '\t': nmrc_text_printf(t, in_attribute ? "&#9;" : "\t"); break;
        case '\n': nmrc_text_printf(t, in_attribute ? "&#10;" : "\n"); break;
        default: nmrc_text_printf(t, "%c", *s); break;
        }
    }
}

const char *nmrc_text_num(char buf[32], double x)
{
    if (x == 0) {
        snprintf(buf, 32, "0");     /* also maps -0 to 0 */
        return buf;
    }
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, 32, "%.*g", digits, x);
        if (strtod(buf, NULL) == x)
            break;
    }
    return buf;
}

void nmrc_text_indent(nmrc_text *t, int depth)
{
    nmrc_text_printf(t, "%*s", 2 * depth, "");
}

void nmrc_text_attr_str(nmrc_text *t, const char *name, const char *value)
{
    nmrc_text_printf(t, " %s=\"", name);
    nmrc_text_escape(t, value, 1);
    nmrc_text_printf(t, "\"");
}

void nmrc_text_attr_num(nmrc_text *t, const char *name, double x)
{
    char b[32];
    nmrc_text_printf(t, " %s=\"%s\"", name, nmrc_text_num(b, x));
}

void nmrc_text_num_list(nmrc_text *t, const double *x, size_t n)
{
    char b[32];
    for (size_t i = 0; i < n; i++)
        nmrc_text_printf(t, "%s%s", i ? " " : "", nmrc_text_num(b, x[i]));
}

void nmrc_text_free(nmrc_text *t)
{
    free(t->p);
    memset(t, 0, sizeof *t);
}
