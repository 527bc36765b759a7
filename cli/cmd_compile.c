/*
** cmd_compile.c: the `nmrc compile` command.  Resolves a .spin spec,
** compiles its two-spin target (or its explicit sequence) with the AHT
** compiler, reports the analysis of the sequence as written (and says
** plainly when the cycle is open), refuses to write below --min-fidelity
** (nmrc_compile_gate), and writes the Bruker-style XML and the TopSpin
** pulse program as one set (both or neither).
*/
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nmrc/compile.h"
#include "nmrc/spec.h"
#include "nmrc/xml.h"

/* Shared with cmd_analyze.c. */
void nmrc_cli_analysis_report(FILE *fp, const nmrc_seq *seq, const nmrc_analysis *an);
int nmrc_cli_analysis_open(const nmrc_analysis *an);
void nmrc_cli_compile_error(const char *cmd, const char *path, const nmrc_model *m,
                            const nmrc_ctx *ctx);

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
    "its `evolve` grid, else omega t = 1.  The spins' offsets are refocused: every\n"
    "coupling interval is held half in its frames and half in the negated ones (one\n"
    "pi pulse per channel), so with ideal pulses the sequence is the target for any\n"
    "offsets.  Pulses get their real lengths from the spins' p90 (delays shortened\n"
    "to keep the pulse centres).  Prints the analysis of the sequence as written\n"
    "(see nmrc analyze: finite pulses when p90 is known), refuses to write when its\n"
    "fidelity is below --min-fidelity, and writes the XML and the TopSpin program\n"
    "together (both or neither).  Targets coupling more than two spins are not\n"
    "supported yet (the error shows the line).\n"
    "\n"
    "options:\n"
    "  -o OUT.xml                 Bruker-style XML output (required; - = stdout)\n"
    "  --pp OUT.pp                also write a TopSpin pulse program (- = stdout)\n"
    "  --order plain|symmetric    Trotter ordering (default symmetric = palindromic; plain\n"
    "                             errs as N^-2 instead of N^-4)\n"
    "  --steps N                  Trotter steps (default: the N with the best fidelity;\n"
    "                             more steps cut the Trotter error but add pulse error)\n"
    "  --max-error E              choose the fewest steps whose error bound\n"
    "                             ||U - U_target|| <= E\n"
    "  --composite bb1|corpse|scrofulous   replace every hard pulse (against RF amplitude\n"
    "                             errors, see nmrc validate --rf-scale; the longer trains\n"
    "                             lower the fidelity with exact RF, which the report shows)\n"
    "  --decouple cpmg|xy4|xy8|xy16|udd<n>  replace every delay by a decoupling block of pi\n"
    "                             pulses on both channels (keeps kappa ZZ); n even; its\n"
    "                             pulses lower the finite-pulse fidelity, and the offsets\n"
    "                             are refocused without it\n"
    "  --offset-compensation      choose the phase (phi or phi + 180) of every lone pi\n"
    "                             pulse against the offset errors of the finite pulses\n"
    "                             (spec offsets +-100 Hz); no pulse or time added\n"
    "  --min-fidelity F           write nothing and exit 1 when the fidelity of the\n"
    "                             sequence as written (finite pulses when p90 is known,\n"
    "                             else delta) is below F (default 0.99)\n"
    "  --force                    write even below --min-fidelity (with a warning)\n"
    "  --no-refocus               the bare construction: no refocusing pi pulses (exact\n"
    "                             on resonance only; fewer pulses, so less sensitive to RF\n"
    "                             amplitude errors when the offsets are known to be ~0)\n"
    "  --delta                    keep ideal delta pulses (no pulse lengths)\n"
    "  --unroll                   do not write repeated blocks as a loop\n"
    "  --charge WT                emit the protocol's charging pulse for omega*t = WT\n"
    "                             instead: collective rotation by 2 w WT about the\n"
    "                             charge axis on both channels at once\n"
    "  --set NAME=VALUE           override a spec parameter\n"
    "  -q, --quiet                do not print the analysis\n"
    "  -h, --help                 show this help\n"
    "\n"
    "examples:\n"
    "  nmrc compile examples/chloroform.spin -o dm.xml --pp dm.pp\n"
    "  nmrc compile examples/chloroform.spin -o oc.xml --pp oc.pp --offset-compensation \\\n"
    "      --min-fidelity 0.999\n";

static int usage(const char *msg)
{
    fprintf(stderr, "nmrc compile: %s\nusage: nmrc compile FILE.spin -o OUT.xml [--pp OUT.pp] "
                    "[options] (see nmrc compile --help)\n", msg);
    return 2;
}

typedef struct args {
    const char *path, *xml, *pp;
    const char **sets;
    int n_sets, quiet, delta, unroll, force, no_refocus;
    double min_fidelity;        /* --min-fidelity, default NMRC_COMPILE_MIN_FIDELITY */
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
        else if (!strcmp(o, "--force"))
            a->force = 1;
        else if (!strcmp(o, "--no-refocus"))
            a->no_refocus = 1;
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
        } else if (!strcmp(o, "--min-fidelity")) {
            char *end;
            v = strtod(argv[++i], &end);
            if (*end || end == argv[i] || !(v >= 0 && v <= 1))
                return usage("--min-fidelity needs a number in [0, 1]");
            a->min_fidelity = v;
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
    if (a->no_refocus)
        cfg->refocus = 0;
    return st;
}

void nmrc_cli_compile_error(const char *cmd, const char *path, const nmrc_model *m,
                            const nmrc_ctx *ctx)
{
    nmrc_errpos pos;
    const char *text, *msg = nmrc_ctx_errmsg(ctx);
    if (m && nmrc_ctx_errpos(ctx, &pos, &text)) { /* a spec construct: as a spec diagnostic */
        const char *file = pos.file < m->n_files ? m->files[pos.file] : path;
        char *d = nmrc_spec_format_error(file, &pos, text);
        if (d) {
            fputs(d, stderr);
            free(d);
            return;
        }
    }
    if (!strncmp(msg, path, strlen(path))) /* message already names the file */
        fprintf(stderr, "nmrc %s: %s\n", cmd, msg);
    else
        fprintf(stderr, "nmrc %s: %s: %s\n", cmd, path, msg);
}

/* Renders the XML and the TopSpin program; writes the files as one set
** (core's nmrc_io_write_set), then the "-" ones to stdout.  Returns nonzero
** after printing on failure. */
static int write_outputs(const nmrc_seq *seq, const args *a, nmrc_ctx *ctx)
{
    const char *paths[2] = {a->xml, a->pp}, *files[2];
    char *buf[2] = {NULL, NULL};
    const void *data[2];
    size_t len[2] = {0, 0}, lens[2], nf = 0;
    nmrc_status st = nmrc_xml_write_buffer(seq, &buf[0], &len[0], ctx);
    if (st == NMRC_OK && a->pp)
        st = nmrc_topspin_write_buffer(seq, &buf[1], &len[1], ctx);
    for (int k = 0; k < 2 && st == NMRC_OK; k++)
        if (paths[k] && strcmp(paths[k], "-"))
            files[nf] = paths[k], data[nf] = buf[k], lens[nf++] = len[k];
    if (st == NMRC_OK)
        st = nmrc_io_write_set(nf, files, data, lens, ctx);
    for (int k = 0; k < 2 && st == NMRC_OK; k++)
        if (paths[k] && !strcmp(paths[k], "-") &&
            (fwrite(buf[k], 1, len[k], stdout) != len[k] || fflush(stdout)))
            st = nmrc_ctx_error(ctx, NMRC_EIO, "cannot write to stdout");
    free(buf[0]);
    free(buf[1]);
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc compile: %s\n", nmrc_ctx_errmsg(ctx));
    return st != NMRC_OK;
}

/* Applies the fidelity gate; returns nonzero (after printing why) when
** nothing may be written. */
static int gate(const args *a, const nmrc_model *m, const nmrc_analysis *an,
                const nmrc_compile_cfg *cfg)
{
    nmrc_gate g;
    nmrc_compile_gate(m, an, cfg, a->min_fidelity, &g);
    if (g.pass)
        return 0;
    if (a->force) {
        fprintf(stderr, "nmrc compile: warning: %s: %s; written anyway (--force)\n", a->path,
                g.verdict);
        return 0;
    }
    fprintf(stderr, "nmrc compile: %s: %s; nothing written (--min-fidelity sets the minimum, "
                    "--force writes anyway)\n", a->path, g.verdict);
    return 1;
}

static int run(const args *a, nmrc_model *m, nmrc_ctx *ctx)
{
    nmrc_compile_cfg cfg;
    nmrc_pair pair;
    nmrc_target2 tg;
    nmrc_seq *seq = NULL;
    nmrc_analysis *an = NULL;
    nmrc_status st = make_cfg(a, m, &cfg, ctx);
    if (st == NMRC_OK)
        st = nmrc_compile_extract(m, &pair, &tg, ctx);
    if (st == NMRC_OK)
        st = a->charge ? nmrc_compile_charge_model(m, &cfg, a->charge_wt, ctx, &seq)
                       : nmrc_compile_model(m, &cfg, ctx, &seq);
    if (st == NMRC_OK) /* the analysis of the sequence as it is written */
        st = nmrc_analyze(seq, &pair, ctx, &an);
    if (st != NMRC_OK) {
        nmrc_cli_compile_error("compile", a->path, m, ctx);
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
    if (cfg.offset_compensation && !(cfg.finite && (pair.p90[0] > 0 || pair.p90[1] > 0)))
        fprintf(stderr, "nmrc compile: note: %s: --offset-compensation acts on finite pulses; "
                        "with delta pulses the offsets are refocused exactly already\n",
                a->path);
    int rc = gate(a, m, an, &cfg) || write_outputs(seq, a, ctx);
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
    a.min_fidelity = NMRC_COMPILE_MIN_FIDELITY;
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
