/*
** cmd_validate.c: the `nmrc validate` command: options, then
** nmrc_run_validate (a pulse program, a spec compiled on the fly or an XML
** sequence, run on the physical NMR model with delta pulses, finite pulses
** and errors plus relaxation, against the ideal target) and its report
** (nmrc_run_validation_report) on stdout and --report.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"


const char nmrc_cli_help_validate[] =
    "usage: nmrc validate FILE.spin|SEQ.xml [--spec FILE.spin] [--set NAME=VALUE]...\n"
    "                     [--report PATH] [--min-fidelity F] [--rf-scale S]\n"
    "                     [--b1-sigma S] [--b1-nodes N] [--no-relax]\n"
    "\n"
    "Runs the pulse program on the physical NMR model (offsets, J couplings, finite\n"
    "pulses, T1/T2, RF errors; docs/nmr-model.md) and compares it with the ideal\n"
    "evolution exp(-i H_target t):\n"
    "  - cycle closure and the average Hamiltonian (delta pulses, toggling frame);\n"
    "  - process fidelity |Tr(V^+ U)|^2/d^2 and average gate fidelity with delta\n"
    "    pulses, with the real finite pulses, and with RF errors plus relaxation\n"
    "    (then through the Choi matrix of the non-unitary process);\n"
    "  - state fidelity and trace distance of the final state from the spec's\n"
    "    initial state, and energy, ergotropy, anti-ergotropy, capacity and l1\n"
    "    coherence (energy basis) of the realized state against the ideal one.\n"
    "A .spin file is compiled first.  An XML sequence carries its target\n"
    "(nmrc:target); its spin system comes from --spec, else the default 13CHCl3\n"
    "pair (1H, 13C on resonance, J = 215 Hz, 1H T1 2 s T2 0.8 s, 13C T1 5 s\n"
    "T2 0.3 s) with the initial state |01> and the target as battery Hamiltonian.\n"
    "The report goes to stdout and, with --report, to PATH.  Exit status 1 when a\n"
    "process or state fidelity is below --min-fidelity.\n"
    "\n"
    "options:\n"
    "  --spec FILE.spin   spin system, initial state and battery for an XML sequence\n"
    "  --set NAME=VALUE   override a spec parameter (repeatable)\n"
    "  --report PATH      also write the report to PATH (atomically)\n"
    "  --min-fidelity F   pass mark for every process and state fidelity (default 0.99)\n"
    "  --rf-scale S       RF amplitude miscalibration factor, all channels (default 1)\n"
    "  --b1-sigma S       relative B1 inhomogeneity (Gaussian, Gauss-Hermite average)\n"
    "  --b1-nodes N       Gauss-Hermite nodes for --b1-sigma (default 9)\n"
    "  --no-relax         leave T1/T2 out of the physical run\n"
    "\n"
    "example:\n"
    "  nmrc validate examples/chloroform.spin --report validate.txt\n";

#define MAX_SETS 32

typedef struct vargs {
    const char *input, *spec, *report;
    const char *sets[MAX_SETS];
    size_t n_sets;
    double min_fid, rf_scale;
    double b1_sigma;
    size_t b1_nodes;
    int no_relax;
} vargs;

static double num_arg(const char *s, const char *opt, int *bad)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || *end || !isfinite(v)) {
        fprintf(stderr, "nmrc validate: %s needs a number, got '%s'\n", opt, s);
        *bad = 1;
    }
    return v;
}

static int parse_args(int argc, char **argv, vargs *a)
{
    int bad = 0;
    memset(a, 0, sizeof *a);
    a->min_fid = 0.99;
    a->rf_scale = 1;
    a->b1_nodes = 9;
    for (int i = 1; i < argc && !bad; i++) {
        const char *o = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(o, "--no-relax"))
            a->no_relax = 1;
        else if (o[0] == '-' && o[1] == '-' && !more)
            fprintf(stderr, "nmrc validate: %s needs a value\n", o), bad = 1;
        else if (!strcmp(o, "--spec"))
            a->spec = argv[++i];
        else if (!strcmp(o, "--report"))
            a->report = argv[++i];
        else if (!strcmp(o, "--set") && a->n_sets < MAX_SETS)
            a->sets[a->n_sets++] = argv[++i];
        else if (!strcmp(o, "--min-fidelity"))
            a->min_fid = num_arg(argv[++i], o, &bad);
        else if (!strcmp(o, "--rf-scale"))
            a->rf_scale = num_arg(argv[++i], o, &bad);
        else if (!strcmp(o, "--b1-sigma"))
            a->b1_sigma = num_arg(argv[++i], o, &bad);
        else if (!strcmp(o, "--b1-nodes"))
            a->b1_nodes = (size_t)num_arg(argv[++i], o, &bad);
        else if (o[0] == '-' || a->input)
            fprintf(stderr, "nmrc validate: unexpected argument '%s'\n", o), bad = 1;
        else
            a->input = o;
    }
    if (!bad && !a->input)
        fprintf(stderr, "nmrc validate: no input file (run `nmrc validate --help`)\n"), bad = 1;
    if (!bad && (!(a->min_fid >= 0 && a->min_fid <= 1) || !(a->rf_scale > 0) ||
                 !(a->b1_sigma >= 0) || a->b1_nodes < 1 || a->b1_nodes > 64))
        fprintf(stderr, "nmrc validate: need 0 <= F <= 1, S > 0, sigma >= 0, 1..64 nodes\n"),
            bad = 1;
    return bad ? 2 : 0;
}

/* Writes the report to stdout and, with --report, atomically to that path;
** returns nonzero when a fidelity is below --min-fidelity or the file cannot
** be written. */
static int emit(const vargs *a, const nmrc_run_validation *v)
{
    size_t len = nmrc_run_validation_report(v, NULL, 0);
    char *buf = malloc(len + 1);
    if (!buf)
        return fprintf(stderr, "nmrc validate: out of memory\n"), 1;
    nmrc_run_validation_report(v, buf, len + 1);
    fputs(buf, stdout);
    nmrc_run_vsummary s;
    nmrc_run_validation_summary(v, &s);
    int rc = !s.pass;
    if (a->report) {
        nmrc_cli_out out;
        if (nmrc_cli_out_open(&out, a->report)) {
            rc = 1;
        } else {
            fputs(buf, out.fp);
            if (nmrc_cli_out_commit(&out))
                rc = 1;
        }
    }
    free(buf);
    return rc;
}

/* Loads the input and validates it; prints on failure (NULL). */
static nmrc_run_validation *validate(const vargs *a, nmrc_run_input **in, nmrc_ctx *ctx)
{
    int xml = nmrc_cli_is_xml(a->input);
    if (!xml && a->spec)
        fprintf(stderr, "nmrc validate: --spec is for XML input; ignored\n");
    /* an XML input without --spec has no spec for --set: the overrides are unused */
    const char *spec = xml ? a->spec : NULL;
    size_t n_sets = xml && !spec ? 0 : a->n_sets;
    if (!(*in = nmrc_cli_load(a->input, spec, a->sets, n_sets, 0)))
        return NULL;
    nmrc_status st = xml ? nmrc_run_load_sequence(*in, ctx) : NMRC_OK;
    if (st != NMRC_OK) { /* the XML reader's message */
        fprintf(stderr, "nmrc validate: %s: %s\n", a->input, nmrc_ctx_errmsg(ctx));
        return NULL;
    }
    nmrc_run_validate_opts opt;
    nmrc_run_validate_opts_default(&opt);
    opt.min_fidelity = a->min_fid, opt.rf_scale = a->rf_scale;
    opt.b1_sigma = a->b1_sigma, opt.b1_nodes = a->b1_nodes, opt.relax = !a->no_relax;
    nmrc_run_validation *v = NULL;
    if ((st = nmrc_run_validate(*in, &opt, ctx, &v)) != NMRC_OK)
        nmrc_cli_fail("validate", st, ctx);
    return v;
}

int nmrc_cli_validate(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_validate))
        return 0;
    vargs a;
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc;
    nmrc_ctx *ctx = nmrc_ctx_create();
    if (!ctx)
        return fprintf(stderr, "nmrc validate: out of memory\n"), 1;
    nmrc_run_input *in = NULL;
    nmrc_run_validation *v = validate(&a, &in, ctx);
    rc = v ? emit(&a, v) : 1;
    nmrc_run_validation_destroy(v);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
    return rc ? 1 : 0;
}
