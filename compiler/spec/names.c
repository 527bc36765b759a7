/*
** names.c: a small open-addressing hash index from names to array
** positions, so that looking up parameters and spin labels stays O(1) on
** large (fuzzed) specs.  The index stores positions only; the caller's
** key_of callback returns the name at a position, so the arrays may move.
*/
#include "ast.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static int key_is(const char *k, const char *s, size_t n)
{
    return k && strlen(k) == n && memcmp(k, s, n) == 0;
}

long nmrc_index_find(const nmrc_index *ix, const char *s, size_t n, nmrc_key_fn key_of,
                     const void *ctx)
{
    if (!ix->cap)
        return -1;
    for (size_t i = hash(s, n) & (ix->cap - 1), k = 0; k < ix->cap; i = (i + 1) & (ix->cap - 1), k++) {
        size_t v = ix->slot[i];
        if (v == 0)
            return -1;
        if (key_is(key_of(ctx, v - 1), s, n))
            return (long)(v - 1);
    }
    return -1;
}

static void place(size_t *slot, size_t cap, uint64_t h, size_t v)
{
    size_t i = h & (cap - 1);
    while (slot[i])
        i = (i + 1) & (cap - 1);
    slot[i] = v;
}

int nmrc_index_add(nmrc_index *ix, size_t pos, nmrc_key_fn key_of, const void *ctx)
{
    if (2 * (ix->n + 1) > ix->cap) {
        size_t ncap = ix->cap ? 2 * ix->cap : 64;
        size_t *ns = calloc(ncap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < ix->cap; i++)
            if (ix->slot[i]) {
                const char *k = key_of(ctx, ix->slot[i] - 1);
                place(ns, ncap, hash(k, strlen(k)), ix->slot[i]);
            }
        free(ix->slot);
        ix->slot = ns;
        ix->cap = ncap;
    }
    const char *k = key_of(ctx, pos);
    place(ix->slot, ix->cap, hash(k, strlen(k)), pos + 1);
    ix->n++;
    return 0;
}

void nmrc_index_free(nmrc_index *ix)
{
    free(ix->slot);
    memset(ix, 0, sizeof *ix);
}

const char *nmrc_stmt_key(const void *ctx, size_t pos)
{
    const nmrc_spec *spec = ctx;
    if (pos >= spec->n_st || spec->st[pos].n_names == 0)
        return NULL;
    return spec->names[spec->st[pos].name0].s;
}

const char *nmrc_ptable_key(const void *ctx, size_t pos)
{
    const nmrc_ptable *pt = ctx;
    return pos < pt->n ? pt->name[pos] : NULL;
}
