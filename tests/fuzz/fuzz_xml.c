/*
** fuzz_xml.c: libFuzzer target for the sequence XML reader.  Any input must
** be rejected cleanly or read; what is read must survive write -> read ->
** write unchanged (nmrc_seq_equal and byte-identical text), and the TopSpin
** writer must not crash on it.  Built with -DNMRC_FUZZ_REPLAY it is a plain
** C program that replays the files named on its command line (folders are
** walked one level), used by the ctest on tests/fuzz/corpus_xml.
*/
#define _POSIX_C_SOURCE 200809L     /* opendir */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nmrc/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks the round trip of a sequence the reader accepted. */
static void round_trip(const nmrc_seq *s, nmrc_ctx *ctx)
{
    char *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    if (nmrc_xml_write_buffer(s, &a, &na, ctx) != NMRC_OK)
        return;                         /* legal: e.g. a loop the writer refuses */
    nmrc_seq *t = NULL;
    if (nmrc_xml_read_memory(a, na, "round-trip", ctx, &t) != NMRC_OK) {
        fprintf(stderr, "re-read failed: %s\n", nmrc_ctx_errmsg(ctx));
        abort();
    }
    if (!nmrc_seq_equal(s, t))
        abort();
    if (nmrc_xml_write_buffer(t, &b, &nb, ctx) != NMRC_OK || nb != na || memcmp(a, b, na) != 0)
        abort();
    nmrc_seq_destroy(t);
    free(a);
    free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *s = NULL;
    if (!ctx)
        return 0;
    if (nmrc_xml_read_memory((const char *)data, size, "fuzz", ctx, &s) == NMRC_OK) {
        round_trip(s, ctx);
        char *pp = NULL;
        if (nmrc_topspin_write_buffer(s, &pp, NULL, ctx) == NMRC_OK && (!pp || !*pp))
            abort();
        free(pp);
        nmrc_seq_destroy(s);
    } else if (s || nmrc_ctx_errmsg(ctx)[0] == 0) {
        abort();                        /* a failure must say why and return no sequence */
    }
    nmrc_ctx_destroy(ctx);
    return 0;
}

#ifdef NMRC_FUZZ_REPLAY
#include <dirent.h>

static int replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        fprintf(stderr, "%s: cannot open\n", path);
        return 1;
    }
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    size_t k;
    while (buf && (k = fread(buf + n, 1, cap - n, fp)) > 0) {
        n += k;
        if (n == cap) {
            unsigned char *q = realloc(buf, cap *= 2);
            if (!q) {
                free(buf);
                buf = NULL;
            }
            buf = q;
        }
    }
    fclose(fp);
    if (!buf)
        return 1;
    LLVMFuzzerTestOneInput(buf, n);
    free(buf);
    return 0;
}

int main(int argc, char **argv)
{
    int bad = 0, files = 0;
    for (int i = 1; i < argc; i++) {
        DIR *d = opendir(argv[i]);
        if (!d) {
            bad |= replay_file(argv[i]);
            files++;
            continue;
        }
        struct dirent *ent;
        while ((ent = readdir(d)) != NULL) {
            if (ent->d_name[0] == '.')
                continue;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", argv[i], ent->d_name);
            bad |= replay_file(path);
            files++;
        }
        closedir(d);
    }
    printf("replayed %d inputs\n", files);
    return bad || files == 0;
}
#endif
