/*
** cmd_draw.c: the `nmrc draw` command: reads a sequence XML and writes its
** pulse-sequence picture as SVG with the library's nmrc_draw_svg_file
** (compiler/io/draw.c, docs/draw.md).  Options and messages only.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nmrc/draw.h"
#include "nmrc/xml.h"

const char nmrc_cli_help_draw[] =
    "usage: nmrc draw SEQ.xml -o OUT.svg [--title TEXT]\n"
    "\n"
    "Draws a pulse sequence (an nmrc XML file, e.g. from `nmrc compile`) as an\n"
    "SVG picture in the style of a paper's pulse-sequence figure: one lane per\n"
    "channel (f1, f2, ... labelled with their nuclei; gradients), pulses as\n"
    "boxes (90 degrees narrow and filled, 180 wide and open, other angles grey\n"
    "and labelled) with their phases, delays with their TopSpin names and\n"
    "lengths, loops as brackets with their counts, acquisition as a decaying\n"
    "FID, virtual-Z marked as a circled z with its angle.  The time axis is not\n"
    "to scale (the picture says so): delays are compressed and a // marks one\n"
    "drawn much shorter than it lasts.  The file is written atomically.\n"
    "\n"
    "options:\n"
    "  -o, --output PATH  the SVG file to write (- = stdout); required\n"
    "  --title TEXT       the picture's title (default: the sequence's name)\n"
    "  -h, --help         show this help\n"
    "\n"
    "example:\n"
    "  nmrc draw sequences/xy8.xml -o xy8.svg\n"
    "  nmrc draw sequences/x_dephasing.xml -o xdeph.svg --title \"X dephasing\"\n";

static int usage(const char *msg)
{
    fprintf(stderr, "nmrc draw: %s\nusage: nmrc draw SEQ.xml -o OUT.svg [--title TEXT]\n", msg);
    return 2;
}

/* The picture to stdout; returns nonzero after printing on failure. */
static int to_stdout(const nmrc_seq *seq, const char *title, nmrc_ctx *ctx)
{
    char *svg = NULL;
    size_t len = 0;
    nmrc_status st = nmrc_draw_svg_buffer(seq, title, &svg, &len, ctx);
    if (st == NMRC_OK && (fwrite(svg, 1, len, stdout) != len || fflush(stdout) != 0))
        st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write to stdout");
    free(svg);
    return st != NMRC_OK;
}

int nmrc_cli_draw(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_draw))
        return 0;
    const char *in = NULL, *out = NULL, *title = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-o") || !strcmp(a, "--output") || !strcmp(a, "--title")) {
            if (i + 1 >= argc)
                return usage("an option needs a value");
            *(strcmp(a, "--title") ? &out : &title) = argv[++i];
        } else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "nmrc draw: unknown option '%s'\n", a);
            return 2;
        } else if (in) {
            return usage("one sequence file at a time");
        } else {
            in = a;
        }
    }
    if (!in || !out)
        return usage(!in ? "no sequence file" : "no output: give -o OUT.svg");
    size_t n = strlen(in);
    if (n >= 5 && !strcmp(in + n - 5, ".spin")) {
        fprintf(stderr, "nmrc draw: %s: draw reads a sequence file; compile the spec first "
                        "(nmrc compile %s -o SEQ.xml)\n", in, in);
        return 1;
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *seq = NULL;
    int rc = 1;
    if (!ctx) {
        fprintf(stderr, "nmrc draw: out of memory\n");
        return 1;
    }
    if (nmrc_xml_read_file(in, ctx, &seq) != NMRC_OK)
        fprintf(stderr, "nmrc draw: %s\n", nmrc_ctx_errmsg(ctx));
    else if (!strcmp(out, "-") ? to_stdout(seq, title, ctx)
                               : nmrc_draw_svg_file(seq, title, out, ctx) != NMRC_OK)
        fprintf(stderr, "nmrc draw: %s: %s\n", out, nmrc_ctx_errmsg(ctx));
    else
        rc = 0;
    nmrc_seq_destroy(seq);
    nmrc_ctx_destroy(ctx);
    return rc;
}
