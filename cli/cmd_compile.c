/*
** cmd_compile.c: the `nmrc compile` command.  Resolves a .spin spec,
** compiles its two-spin target (or its explicit sequence) with the AHT
** compiler, reports the key analysis figures (and says plainly when the
** cycle is open), and writes the Bruker-style XML and optionally the
** TopSpin pulse program, each atomically.
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nmrc/compile.h"
#include "nmrc/xml.h"

/* Shared with cmd_analyze.c. */
void nmrc_cli_analysis_report(FILE *fp, const nmrc_seq *seq, const nmrc_analysis *an);
int nmrc_cli_analysis_open(const nmrc_analysis *an);

const char nmrc_cli_help_compile[] =
    "usage: nmrc compile FILE.spin -o OUT.xml [--pp OUT.pp] [options]\n"
    "\n"
    "Compiles the spec's two-spin target Hamiltonian into a pulse sequence for\n"
    "the spec's heteronuclear pair (natural coupling kappa Z(x)Z, kappa = pi J/2):\n"
    "the bilinear part by the SVD construction at the Bennett bound ||T||_* t/|kappa|\n"
    "(DM_z, KSEA_z and XX+YY-type targets as the closed 8-pulse palindromes), local\n"
    "fields by virtual-Z (z) and short pulses (x, y), Trotterized when they do not\n"
    "commute.  A spec with an explicit `sequence { }` is converted as written.\n"
    "The evolution time is the spec's `compile { time }` (omega t), else the end of\n"
    "its `evolve` grid, else omega t = 1.  Pulses get their real lengths from the\n"
    "spins' p90 (delays shortened to keep the pulse centres).  Prints the analysis\n"
    "(see nmrc analyze) and writes the XML and the TopSpin program atomically.\n"
    "Targets coupling more than two spins are not supported yet (error names the line).\n"
    "\n"
    "options:\n"
    "  -o OUT.xml                 Bruker-style XML output (required; - = stdout)\n"
    "  --pp OUT.pp                also write a TopSpin pulse program (- = stdout)\n"
    "  --order plain|symmetric    Trotter ordering (default symmetric = palindromic)\n"
    "  --steps N                  Trotter steps\n"
    "  --max-error E              choose the fewest steps whose error bound\n"
    "                             ||U - U_target|| <= E\n"
    "  --composite bb1|corpse|scrofulous   replace every hard pulse\n"
    "  --decouple cpmg|xy4|xy8|xy16|udd<n>  replace every delay by a decoupling block of pi\n"
    "                             pulses on both channels (keeps kappa ZZ, refocuses\n"
    "                             offsets); n even\n"
    "  --offset-compensation      append the sequence with all phases + 180 degrees\n"
    "  --delta                    keep ideal delta pulses (no pulse lengths)\n"
    "  --unroll                   do not write repeated blocks as a loop\n"
    "  --charge WT                emit the protocol's charging pulse for omega*t = WT\n"
    "                             instead: collective rotation by 2 w WT about the\n"
    "                             charge axis on both channels at once\n"
    "  --set NAME=VALUE           override a spec parameter\n"
    "  -q, --quiet                do not print the analysis\n"
    "  -h, --help                 show this help\n"
    "\n"
    "example:\n"
    "  nmrc compile examples/chloroform.spin -o dm.xml --pp dm.pp\n"
    "  nmrc compile examples/chloroform.spin -o oc.xml --offset-compensation --composite bb1\n";

static int usage(const char *msg)
{
    fprintf(stderr, "nmrc compile: %s\nusage: nmrc compile FILE.spin -o OUT.xml [--pp OUT.pp] "
                    "[options] (see nmrc compile --help)\n", msg);
    return 2;
}

typedef struct args {
    const char *path, *xml, *pp;
    const char **sets;
    int n_sets, quiet, delta, unroll;
    /* command-line overrides of the spec's compile { } block */
    const char *order, *composite, *decouple;
    int steps, offset_comp, charge;
    double max_error, charge_wt;
} args;

static int parse_positive(const char *s, double *v)
{
    char *end;
    errno = 0;
    *v = strtod(s, &end);
    return !(*end == '\0' && end != s && errno == 0 && isfinite(*v) && *v > 0);
}

/* Parses argv; returns 0, or the usage exit status after printing. */
static int parse_args(int argc, char **argv, args *a)
{
    for (int i = 1; i < argc; i++) {
        const char *o = argv[i];
        int has = i + 1 < argc;
        double v;
        if (!strcmp(o, "-q") || !strcmp(o, "--quiet"))
            a->quiet = 1;
        else if (!strcmp(o, "--delta"))
            a->delta = 1;
        else if (!strcmp(o, "--unroll"))
            a->unroll = 1;
        else if (!strcmp(o, "--offset-compensation"))
            a->offset_comp = 1;
        else if (o[0] == '-' && o[1] && !has)
            return usage("option needs a value (or is unknown)");
        else if (!strcmp(o, "-o"))
            a->xml = argv[++i];
        else if (!strcmp(o, "--pp"))
            a->pp = argv[++i];
        else if (!strcmp(o, "--set"))
            a->sets[a->n_sets++] = argv[++i];
        else if (!strcmp(o, "--order")) {
            a->order = argv[++i];
            if (strcmp(a->order, "plain") && strcmp(a->order, "symmetric"))
                return usage("--order must be plain or symmetric");
        } else if (!strcmp(o, "--steps")) {
            if (parse_positive(argv[++i], &v) || v != floor(v) || v > 100000)
                return usage("--steps needs an integer in 1..100000");
            a->steps = (int)v;
        } else if (!strcmp(o, "--max-error")) {
            if (parse_positive(argv[++i], &v))
                return usage("--max-error needs a positive number");
            a->max_error = v;
        } else if (!strcmp(o, "--charge")) {
            char *end;
            a->charge_wt = strtod(argv[++i], &end);
            if (*end || end == argv[i] || !isfinite(a->charge_wt) || a->charge_wt < 0)
                return usage("--charge needs omega*t >= 0");
            a->charge = 1;
        } else if (!strcmp(o, "--composite"))
            a->composite = argv[++i];
        else if (!strcmp(o, "--decouple"))
            a->decouple = argv[++i];
        else if (o[0] == '-' && o[1])
            return usage("unknown option");
        else if (a->path)
            return usage("more than one input file");
        else
            a->path = o;
    }
    if (!a->path)
        return usage("no input file");
    if (!a->xml)
        return usage("no output: give -o OUT.xml");
    return 0;
}

/* The spec's compile { } options, then the command line on top. */
static NMRC_NODISCARD nmrc_status make_cfg(const args *a, const nmrc_model *m, nmrc_compile_cfg *cfg,
                            nmrc_ctx *ctx)
{
    nmrc_compile_cfg_default(cfg);
    cfg->library_dir = NMRC_SOURCE_DIR "/sequences";
    nmrc_status st = nmrc_compile_cfg_apply(cfg, &m->compile, ctx);
    if (st == NMRC_OK && a->composite)
        st = nmrc_composite_parse(a->composite, &cfg->composite, ctx);
    if (st == NMRC_OK && a->decouple)
        st = nmrc_decouple_parse(a->decouple, &cfg->decouple, &cfg->udd_n, ctx);
    if (a->order)
        cfg->symmetric = !strcmp(a->order, "symmetric");
    if (a->steps)
        cfg->steps = a->steps, cfg->max_error = 0;
    if (a->max_error > 0)
        cfg->max_error = a->max_error, cfg->steps = 0;
    if (a->offset_comp)
        cfg->offset_compensation = 1;
    if (a->delta)
        cfg->finite = cfg->finite_steps = 0;
    if (a->unroll)
        cfg->loops = 0;
    return st;
}

/* --charge WT: the protocol's charging pulse alone (collective rotation by
** 2 w WT about the charge axis on both channels), target
** H_ch = w omega (cos a X + sin a Y) on each spin for WT/omega, composite
** pulses as asked. */
static NMRC_NODISCARD nmrc_status charging_sequence(const args *a, const nmrc_model *m, const nmrc_pair *pair,
                                     const nmrc_compile_cfg *cfg, nmrc_ctx *ctx, nmrc_seq **out)
{
    if (!m->has_charge)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "--charge: the spec has no `charge { }` block");
    int chan[2];
    nmrc_seq *seq = NULL, *next = NULL;
    nmrc_status st = nmrc_compile_new_seq(pair, "charging", ctx, &seq, chan);
    if (st == NMRC_OK)
        st = nmrc_compile_charging(seq, m->charge.strength, m->charge.phase, a->charge_wt, ctx);
    if (st == NMRC_OK && cfg->composite != NMRC_COMPOSITE_NONE) {
        st = nmrc_compile_composite(seq, cfg->composite, ctx, &next);
        if (st == NMRC_OK) {
            nmrc_seq_destroy(seq);
            seq = next;
        }
    }
    if (st != NMRC_OK) {
        nmrc_seq_destroy(seq);
        return st;
    }
    nmrc_target2 tg = {{0}, {0}, {0}, a->charge_wt / m->omega};
    double w = m->charge.strength * m->omega;
    tg.a[0] = tg.b[0] = w * cos(m->charge.phase);
    tg.a[1] = tg.b[1] = w * sin(m->charge.phase);
    nmrc_compile_set_target(seq, pair, &tg);
    snprintf(seq->description, sizeof seq->description,
             "charging pulse of the protocol: collective rotation by 2 w omega t = %.6g rad "
             "about the charge axis on both channels", 2 * m->charge.strength * a->charge_wt);
    *out = seq;
    return NMRC_OK;
}

/* Writes the XML (pp = 0) or TopSpin program (pp = 1) atomically to path,
** or to stdout for "-".  Returns nonzero after printing on failure. */
static int write_output(const nmrc_seq *seq, const char *path, int pp, nmrc_ctx *ctx)
{
    nmrc_status st;
    if (strcmp(path, "-")) {
        st = pp ? nmrc_topspin_write_file(seq, path, ctx) : nmrc_xml_write_file(seq, path, ctx);
    } else {
        char *buf = NULL;
        size_t len = 0;
        st = pp ? nmrc_topspin_write_buffer(seq, &buf, &len, ctx)
                : nmrc_xml_write_buffer(seq, &buf, &len, ctx);
        if (st == NMRC_OK && (fwrite(buf, 1, len, stdout) != len || fflush(stdout)))
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write to stdout");
        free(buf);
    }
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc compile: %s: %s\n", path, nmrc_ctx_errmsg(ctx));
    return st != NMRC_OK;
}

static int run(const args *a, nmrc_model *m, nmrc_ctx *ctx)
{
    nmrc_compile_cfg cfg;
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = NULL;
    nmrc_analysis *an = NULL;
    nmrc_status st = make_cfg(a, m, &cfg, ctx);
    int finite = cfg.finite;
    cfg.finite = 0; /* analyze the ideal sequence; finite pulses come last */
    if (st == NMRC_OK)
        st = nmrc_compile_extract(m, &pair, &tg, ctx);
    if (st == NMRC_OK && a->charge)
        st = charging_sequence(a, m, &pair, &cfg, ctx, &seq);
    else if (st == NMRC_OK)
        st = nmrc_compile_model(m, &cfg, ctx, &seq);
    if (st == NMRC_OK)
        st = nmrc_analyze(seq, &pair, ctx, &an);
    if (st == NMRC_OK && finite && (pair.p90[0] > 0 || pair.p90[1] > 0)) {
        nmrc_seq *fin = NULL;
        st = nmrc_compile_finite(seq, ctx, &fin);
        nmrc_seq_destroy(seq);
        seq = fin;
    }
    if (st != NMRC_OK) {
        const char *msg = nmrc_ctx_errmsg(ctx);
        if (!strncmp(msg, a->path, strlen(a->path))) /* message already names the file */
            fprintf(stderr, "nmrc compile: %s\n", msg);
        else
            fprintf(stderr, "nmrc compile: %s: %s\n", a->path, msg);
        nmrc_analysis_destroy(an);
        nmrc_seq_destroy(seq);
        return 1;
    }
    int to_stdout = !strcmp(a->xml, "-") || (a->pp && !strcmp(a->pp, "-"));
    if (!a->quiet) /* the report moves to stderr when a program goes to stdout */
        nmrc_cli_analysis_report(to_stdout ? stderr : stdout, seq, an);
    if (nmrc_cli_analysis_open(an))
        fprintf(stderr, "nmrc compile: warning: %s: the sequence is not a closed cycle; it has "
                        "no average Hamiltonian (see the report)\n", a->path);
    int rc = write_output(seq, a->xml, 0, ctx) || (a->pp && write_output(seq, a->pp, 1, ctx));
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
    return rc;
}

int nmrc_cli_compile(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_compile))
        return 0;
    args a;
    memset(&a, 0, sizeof a);
    a.sets = calloc((size_t)argc, sizeof *a.sets);
    if (!a.sets)
        return 1;
    int rc = parse_args(argc, argv, &a);
    if (rc) {
        free(a.sets);
        return rc;
    }
    nmrc_model *m = nmrc_cli_load_model(a.path, a.sets, (size_t)a.n_sets);
    nmrc_ctx *ctx = nmrc_ctx_create();
    rc = (m && ctx) ? run(&a, m, ctx) : 1;
    nmrc_ctx_destroy(ctx);
    nmrc_model_destroy(m);
    free(a.sets);
    return rc;
}
