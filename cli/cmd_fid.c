/*
** cmd_fid.c: the `nmrc fid` command: options, then the FID run of the run
** API (nmrc_run_fid_plan_create: thermal 90-degree spectrum with --thermal,
** else the program on the physical model; execute per nucleus) and, per
** nucleus, the files of cmd_fid_output.c: the Bruker dataset, a JCAMP-DX
** spectrum, CSV files and an SVG picture.
*/
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fid.h"
#include "commands.h"

const char nmrc_cli_help_fid[] =
    "usage: nmrc fid FILE.spin|SEQ.xml --out DIR [options]\n\n"
    "Simulates the FID of every observed nucleus and writes into DIR, per nucleus X:\n"
    "  DIR/X/{acqus,fid,pulseprogram,pdata/1/procs}  Bruker dataset (float64, DTYPA=2)\n"
    "  DIR/X.jdx              JCAMP-DX spectrum (real part, Hz axis)\n"
    "  DIR/X_fid.csv          t,re,im\n"
    "  DIR/X_spectrum.csv     hz,ppm,re,im\n"
    "  DIR/X.svg              picture of the FID and the spectrum\n\n"
    "options:\n"
    "  --out DIR          output folder (made if needed)\n"
    "  --thermal          plain 90-degree (phase y) spectrum from thermal equilibrium\n"
    "                     instead of the compiled experiment\n"
    "  --set NAME=VALUE   override a spec parameter (repeatable)\n"
    "  --spec FILE.spin   spin system for an XML sequence (default: 13CHCl3 pair)\n"
    "  --td N             complex points (default: readout td, else 4096)\n"
    "  --sw HZ            sweep width (default: readout sw, else from the shifts and J)\n"
    "  --si N             spectrum points after zero filling (default: 4 x td)\n"
    "  --lb HZ            exponential line broadening (default 0)\n"
    "  --gb HZ            Gaussian broadening (default 0)\n"
    "  --phc0 DEG, --phc1 DEG   zero- and first-order phase (default phc0: the phase\n"
    "                     that makes the first FID point real and positive)\n\n"
    "example:\n  nmrc fid examples/chloroform.spin --thermal --out out/chcl3\n";

typedef struct fid_opts {
    const char *input, *out, *spec_path;
    const char *sets[32];
    int n_sets;
    nmrc_run_fid_opts run;      /* thermal, td, sw, si, lb, gb, phases */
} fid_opts;

static int parse_num(const char *opt, const char *s, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(x)) {
        fprintf(stderr, "nmrc fid: %s needs a number, got '%s'\n", opt, s);
        return 1;
    }
    *out = x;
    return 0;
}

static int parse_count(const char *opt, const char *s, size_t *out)
{
    double x;
    if (parse_num(opt, s, &x))
        return 1;
    if (x < 1 || x > 16777216 || x != floor(x)) {
        fprintf(stderr, "nmrc fid: %s must be a whole number from 1 to 16777216\n", opt);
        return 1;
    }
    *out = (size_t)x;
    return 0;
}

static int parse_args(int argc, char **argv, fid_opts *o)
{
    memset(o, 0, sizeof *o);
    nmrc_run_fid_opts_default(&o->run);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        double deg;
        if (!strcmp(a, "--thermal"))
            o->run.thermal = 1;
        else if (a[0] == '-' && a[1] == '-' && !has) {
            fprintf(stderr, "nmrc fid: %s needs a value (or unknown option)\n", a);
            return 2;
        } else if (!strcmp(a, "--out"))
            o->out = argv[++i];
        else if (!strcmp(a, "--spec"))
            o->spec_path = argv[++i];
        else if (!strcmp(a, "--set")) {
            if (o->n_sets == 32) {
                fprintf(stderr, "nmrc fid: too many --set\n");
                return 2;
            }
            o->sets[o->n_sets++] = argv[++i];
        } else if (!strcmp(a, "--td")) {
            if (parse_count(a, argv[++i], &o->run.td))
                return 2;
        } else if (!strcmp(a, "--si")) {
            if (parse_count(a, argv[++i], &o->run.si))
                return 2;
        } else if (!strcmp(a, "--sw") || !strcmp(a, "--lb") || !strcmp(a, "--gb")) {
            double *sw = &o->run.sw_hz;
            double *dst = a[2] == 's' ? sw : a[2] == 'l' ? &o->run.lb_hz : &o->run.gb_hz;
            if (parse_num(a, argv[++i], dst) || *dst < 0 || (dst == sw && *dst == 0)) {
                fprintf(stderr, "nmrc fid: %s must be %s\n", a, dst == sw ? "> 0" : ">= 0");
                return 2;
            }
        } else if (!strcmp(a, "--phc0") || !strcmp(a, "--phc1")) {
            if (parse_num(a, argv[++i], &deg))
                return 2;
            *(a[5] == '0' ? &o->run.phc0 : &o->run.phc1) = deg * NMRC_PI / 180;
            if (a[5] == '0')
                o->run.auto_phc0 = 0;
        } else if (a[0] == '-') {
            fprintf(stderr, "nmrc fid: unknown option '%s' (see nmrc fid --help)\n", a);
            return 2;
        } else if (!o->input)
            o->input = a;
        else {
            fprintf(stderr, "nmrc fid: more than one input file\n");
            return 2;
        }
    }
    if (!o->input || !o->out) {
        fprintf(stderr, "usage: nmrc fid FILE.spin|SEQ.xml --out DIR [--thermal] (see --help)\n");
        return 2;
    }
    if (o->run.si && o->run.td && o->run.si < o->run.td) {
        fprintf(stderr, "nmrc fid: --si must be >= --td\n");
        return 2;
    }
    return 0;
}

/* Acquires nucleus k and writes its files; prints on failure. */
static int run_nucleus(const fid_opts *o, const nmrc_run_fid_plan *plan, nmrc_run_fid_ws *ws,
                       size_t k, const char *title, nmrc_ctx *ctx)
{
    nmrc_run_fid_info f;
    if (nmrc_run_fid_plan_info(plan, k, ctx, &f) != NMRC_OK)
        return nmrc_cli_fail("fid", NMRC_EINVAL, ctx);
    if (!f.acquired) {
        fprintf(stderr, "nmrc fid: note: the program acquires on %s only; no %s FID\n",
                f.acquired_on, f.nucleus);
        return 0;
    }
    nmrc_cplx *fid = malloc(f.td * sizeof *fid), *spec = malloc(f.si * sizeof *spec);
    nmrc_status st = fid && spec ? nmrc_run_fid_execute(plan, ws, k, ctx, fid, spec)
                                 : nmrc_ctx_error(ctx, NMRC_ENOMEM, "out of memory");
    int bad = st != NMRC_OK ? nmrc_cli_fail("fid", st, ctx)
                            : nmrc_cli_fid_write_dataset(o->out, plan, &f, fid, ctx) ||
                                  nmrc_cli_fid_write_outputs(o->out, f.nucleus, title, fid, f.td,
                                                             f.sw_hz, f.sfo1_mhz,
                                                             nmrc_run_fid_plan_spectrum(plan, k),
                                                             spec, ctx);
    if (!bad)
        printf("%s: %zu points at SW %g Hz (SFO1 %.6f MHz), %s%s, phc0 %.1f deg -> %s/%s/ and "
               "%s.{jdx,svg}, %s_{fid,spectrum}.csv\n",
               f.nucleus, f.td, f.sw_hz, f.sfo1_mhz, f.exact ? "exact" : "secular T2 approximation",
               f.read_pulse ? ", read out with a 90y pulse" : "", f.phc0 * 180 / NMRC_PI + 0.0,
               o->out, f.nucleus, f.nucleus, f.nucleus);
    free(fid);
    free(spec);
    return bad;
}

/* Loads the input (and its XML program) and plans the run; prints on
** failure and returns NULL. */
static nmrc_run_fid_plan *plan_run(const fid_opts *o, nmrc_run_input **in, nmrc_ctx *ctx)
{
    int xml = nmrc_cli_is_xml(o->input);
    if (xml && !o->spec_path && o->n_sets) {
        fprintf(stderr, "nmrc fid: --set needs a spec: give --spec FILE.spin with an XML input\n");
        return NULL;
    }
    *in = nmrc_cli_load(o->input, xml ? o->spec_path : NULL, o->sets, (size_t)o->n_sets, 0);
    if (!*in)
        return NULL;
    if (xml && !o->spec_path)
        fprintf(stderr, "nmrc fid: spin system: the default 13CHCl3 pair (1H-13C, J = 215 Hz); "
                        "--spec FILE.spin chooses another\n");
    nmrc_run_fid_plan *plan = NULL;
    nmrc_status st = xml && !o->run.thermal ? nmrc_run_load_sequence(*in, ctx) : NMRC_OK;
    if (st == NMRC_OK)
        st = nmrc_run_fid_plan_create(*in, &o->run, ctx, &plan);
    if (st != NMRC_OK)
        nmrc_cli_fail("fid", st, ctx);
    return plan;
}

/* The notes of the plan, then the output folder. */
static int prepare_output(const fid_opts *o, const nmrc_run_fid_plan *plan, nmrc_ctx *ctx)
{
    nmrc_run_fid_summary s;
    nmrc_run_fid_plan_summary(plan, &s);
    if (s.folds)
        fprintf(stderr, "nmrc fid: note: lines reach %.1f Hz from the carrier, beyond SW/2 = "
                        "%.1f Hz: they fold\n", s.line_span_hz, s.sw_hz / 2);
    if (nmrc_io_mkdirs(o->out, ctx) != NMRC_OK)
        return fprintf(stderr, "nmrc: %s\n", nmrc_ctx_errmsg(ctx)), 1;
    if (!s.thermal && !s.relax)
        fprintf(stderr, "nmrc fid: note: %zu spins: the sequence runs without T1/T2 (exact "
                        "superoperators up to %d spins); T2 acts during acquisition\n",
                s.n_spins, NMRC_NMR_LIOUVILLE_MAX_SPINS);
    return 0;
}

int nmrc_cli_fid(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_fid))
        return 0;
    fid_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_run_input *in = NULL;
    nmrc_run_fid_plan *plan = ctx ? plan_run(&o, &in, ctx) : NULL;
    nmrc_run_fid_ws *ws = plan ? nmrc_run_fid_ws_create(plan) : NULL;
    nmrc_run_fid_summary s;
    char title[128];
    const char *slash = strrchr(o.input, '/');
    snprintf(title, sizeof title, "%s%s", slash ? slash + 1 : o.input,
             o.run.thermal ? " (thermal, 90y)" : "");
    int bad = !ws;
    if (plan && !ws)
        fprintf(stderr, "nmrc fid: out of memory\n");
    if (!bad)
        bad = prepare_output(&o, plan, ctx);
    if (!bad)
        nmrc_run_fid_plan_summary(plan, &s);
    for (size_t k = 0; !bad && k < s.n_nuclei; k++)
        bad = run_nucleus(&o, plan, ws, k, title, ctx);
    nmrc_run_fid_ws_destroy(ws);
    nmrc_run_fid_plan_destroy(plan);
    nmrc_run_input_destroy(in);
    nmrc_ctx_destroy(ctx);
    return bad;
}
