/*
** diag.c: spec lifecycle, source files and diagnostics.  A diagnostic is
** formatted once, when recorded, as `path:line:col: error: message`, the
** source line indented by two spaces and a caret line `^~~~` under the
** span; nmrc_spec_format_error formats a later stage's error about a spec
** construct the same way.  Also the small shared helpers (array growth,
** edit distance).
*/
#define _XOPEN_SOURCE 700
#include "ast.h"
#include "nmrc/io.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nmrc_grow(void **p, size_t *cap, size_t need, size_t elsize)
{
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 16;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2)
            return -1;
        ncap *= 2;
    }
    if (ncap > SIZE_MAX / elsize)
        return -1;
    void *q = realloc(*p, ncap * elsize);
    if (!q)
        return -1;
    *p = q;
    *cap = ncap;
    return 0;
}

nmrc_spec *nmrc_spec_new(void)
{
    return calloc(1, sizeof(nmrc_spec));
}

void nmrc_spec_destroy(nmrc_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->n_files; i++) {
        free(spec->files[i].path);
        free(spec->files[i].real);
        free(spec->files[i].text);
    }
    free(spec->files);
    free(spec->ex);
    free(spec->st);
    free(spec->names);
    free(spec->args);
    for (size_t i = 0; i < spec->n_diags; i++)
        free(spec->diags[i]);
    free(spec->ov);
    nmrc_index_free(&spec->params);
    nmrc_index_free(&spec->spins);
    free(spec);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

int nmrc_spec_add_file(nmrc_spec *spec, const char *path, const char *text, size_t len)
{
    /* A UTF-8 byte-order mark opening the file is dropped, so that lines
    ** and columns count from the first real character (as in XML). */
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3)) {
        text += 3;
        len -= 3;
    }
    if (spec->n_files >= UINT32_MAX ||
        nmrc_grow((void **)&spec->files, &spec->cap_files, spec->n_files + 1,
                  sizeof *spec->files)) {
        spec->oom = 1;
        return -1;
    }
    nmrc_srcfile *f = &spec->files[spec->n_files];
    memset(f, 0, sizeof *f);
    f->path = dup_bytes(path, strlen(path));
    f->text = dup_bytes(text, len);
    f->len = len;
    if (!f->path || !f->text) {
        free(f->path);
        free(f->text);
        spec->oom = 1;
        return -1;
    }
    return (int)spec->n_files++;
}

int nmrc_load_file(nmrc_spec *spec, const char *path, char *err, size_t errsize)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    char *buf = NULL;
    size_t n = 0;
    nmrc_status st = ctx ? nmrc_io_read_file(path, NMRC_MAX_FILE_BYTES, ctx, &buf, &n)
                         : NMRC_ENOMEM;
    if (st != NMRC_OK) {
        /* the reason without core's "PATH: " prefix: callers quote the path */
        const char *msg = ctx ? nmrc_ctx_errmsg(ctx) : "out of memory";
        size_t k = strlen(path);
        if (!strncmp(msg, path, k) && !strncmp(msg + k, ": ", 2))
            msg += k + 2;
        snprintf(err, errsize, "%s", st == NMRC_ELIMIT ? "file too large (limit 1 MiB)" : msg);
        nmrc_ctx_destroy(ctx);
        return -1;
    }
    nmrc_ctx_destroy(ctx);
    int idx = nmrc_spec_add_file(spec, path, buf, n);
    free(buf);
    if (idx < 0) {
        snprintf(err, errsize, "out of memory");
        return -1;
    }
    spec->files[idx].real = realpath(path, NULL);
    return idx;
}

/* A growing output buffer for formatting one diagnostic. */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    int bad;
} sbuf;

static void sb_put(sbuf *b, const char *s, size_t n)
{
    if (b->bad || nmrc_grow((void **)&b->p, &b->cap, b->n + n + 1, 1)) {
        b->bad = 1;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_vprintf(sbuf *b, const char *fmt, va_list ap)
{
    char tmp[512];
    va_list aq;
    va_copy(aq, ap);
    int k = vsnprintf(tmp, sizeof tmp, fmt, aq);
    va_end(aq);
    if (k < 0)
        return;
    sb_put(b, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
}

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Appends the source line of span and the caret line.  A line longer than
** 200 bytes is shown as a 200-byte window around the column, with "..." on
** the cut sides (the caret moves with it). */
static void put_source(sbuf *b, const nmrc_srcfile *f, nmrc_span sp)
{
    const char *s = f->text, *end = f->text + f->len;
    for (uint32_t l = 1; l < sp.line && s < end; l++) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        s = nl ? nl + 1 : end;
    }
    const char *e = memchr(s, '\n', (size_t)(end - s));
    size_t n = e ? (size_t)(e - s) : (size_t)(end - s);
    if (n > 0 && s[n - 1] == '\r')
        n--;
    size_t col = sp.col ? sp.col - 1 : 0, ws = 0, we = n;
    if (n > 200) {
        ws = col > 100 ? col - 100 : 0;
        we = ws + 200 < n ? ws + 200 : n;
    }
    sb_put(b, ws ? "  ..." : "  ", ws ? 5 : 2);
    for (size_t i = ws; i < we; i++) {
        unsigned char c = (unsigned char)s[i];
        sb_put(b, (c == '\t' || (c >= 0x20 && c < 0x7f) || c >= 0x80) ? (const char *)&s[i] : "?",
               1);
    }
    sb_put(b, we < n ? "...\n  " : "\n  ", we < n ? 6 : 3);
    if (ws)
        sb_put(b, "   ", 3);
    /* one caret column per character: UTF-8 continuation bytes take none */
    for (size_t i = ws; i < col; i++)
        if (i >= n || ((unsigned char)s[i] & 0xC0) != 0x80)
            sb_put(b, i < n && s[i] == '\t' ? "\t" : " ", 1);
    size_t len = sp.len ? sp.len : 1;
    size_t lim = we > col ? we - col : 1;
    if (len > lim)
        len = lim;
    sb_put(b, "^", 1);
    for (size_t i = 1; i < len; i++)
        if (col + i >= n || ((unsigned char)s[col + i] & 0xC0) != 0x80)
            sb_put(b, "~", 1);
    sb_put(b, "\n", 1);
}

int nmrc_diag(nmrc_spec *spec, nmrc_span span, const char *fmt, ...)
{
    spec->n_errors++;
    if (spec->n_diags >= NMRC_MAX_DIAGS)
        return -1;
    sbuf b = {0};
    const nmrc_srcfile *f = span.file < spec->n_files ? &spec->files[span.file] : NULL;
    if (f && span.line > 0)
        sb_printf(&b, "%s:%u:%u: error: ", f->path, (unsigned)span.line, (unsigned)span.col);
    else if (f)
        sb_printf(&b, "%s: error: ", f->path);
    else
        sb_printf(&b, "error: ");
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(&b, fmt, ap);
    va_end(ap);
    sb_put(&b, "\n", 1);
    if (f && span.line > 0)
        put_source(&b, f, span);
    if (b.bad) {
        free(b.p);
        spec->oom = 1;
        return -1;
    }
    spec->diags[spec->n_diags++] = b.p;
    return spec->n_diags >= NMRC_MAX_DIAGS ? -1 : 0;
}

char *nmrc_spec_format_error(const char *path, const nmrc_errpos *pos, const char *message)
{
    sbuf b = {0};
    nmrc_span sp = {pos ? pos->file : 0, pos ? pos->line : 0, pos ? pos->col : 0,
                    pos ? pos->len : 0};
    if (path && sp.line > 0)
        sb_printf(&b, "%s:%u:%u: error: ", path, (unsigned)sp.line, (unsigned)sp.col);
    else if (path)
        sb_printf(&b, "%s: error: ", path);
    else
        sb_printf(&b, "error: ");
    sb_put(&b, message, strlen(message));
    sb_put(&b, "\n", 1);
    nmrc_ctx *ctx = path && sp.line > 0 ? nmrc_ctx_create() : NULL;
    nmrc_srcfile f = {(char *)path, NULL, NULL, 0};
    if (ctx && nmrc_io_read_file(path, NMRC_MAX_FILE_BYTES, ctx, &f.text, &f.len) == NMRC_OK)
        put_source(&b, &f, sp); /* the file as it is now: the source line and caret */
    free(f.text);
    nmrc_ctx_destroy(ctx);
    if (b.bad) {
        free(b.p);
        return NULL;
    }
    return b.p;
}

size_t nmrc_spec_diag_count(const nmrc_spec *spec)
{
    return spec ? spec->n_diags : 0;
}

const char *nmrc_spec_diag_text(const nmrc_spec *spec, size_t i)
{
    return spec && i < spec->n_diags ? spec->diags[i] : "";
}

void nmrc_spec_diag_clear(nmrc_spec *spec)
{
    if (!spec)
        return;
    for (size_t i = 0; i < spec->n_diags; i++)
        free(spec->diags[i]);
    spec->n_diags = 0;
    spec->n_errors = 0;
}

nmrc_span nmrc_span_join(nmrc_span a, nmrc_span b)
{
    if (a.file != b.file || b.line < a.line || (b.line == a.line && b.col < a.col))
        return a;
    if (b.line != a.line) {
        a.len = 0xffffu;  /* to the end of a's line; clamped when shown */
        return a;
    }
    uint32_t end = b.col + b.len;
    a.len = end > a.col ? end - a.col : a.len;
    return a;
}

int nmrc_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    int row[65];
    if (la > 64 || lb > 64)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            int best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > 99 ? 99 : row[lb];
}
