/*
** cmd_analyze.c: the `nmrc analyze` command.  Reads a sequence (XML) or
** compiles a spec, runs nmrc_analyze and prints, for the whole sequence and
** each loop cycle: closure, H0 (coupling matrix and local fields), H1, the
** coupling-time efficiency, robustness sums and the exact fidelities;
** --csv writes the same numbers machine-readably (atomically).
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "nmrc/compile.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"

#define DEG (180.0 / NMRC_PI)

/* Shared with cmd_compile.c. */
void nmrc_cli_analysis_report(FILE *fp, const nmrc_seq *seq, const nmrc_analysis *an);
int nmrc_cli_analysis_open(const nmrc_analysis *an);
void nmrc_cli_compile_error(const char *cmd, const char *path, const nmrc_model *m,
                            const nmrc_ctx *ctx);

const char nmrc_cli_help_analyze[] =
    "usage: nmrc analyze FILE.xml|FILE.spin [--csv PATH] [--set NAME=VALUE]... [--J HZ]\n"
    "\n"
    "Analyzes a pulse sequence on the heteronuclear pair it was made for\n"
    "(H_nat = kappa Z(x)Z + offsets, kappa = pi J / 2): for the whole sequence\n"
    "and for each top-level loop (one cycle) it prints whether each channel's\n"
    "cycle closes and the net rotation if not, the average Hamiltonian H0 as a\n"
    "coupling matrix and local fields, |H1| and its terms, the coupling-time\n"
    "efficiency (Bennett bound / coupling time, 1 = optimal), the first-order\n"
    "robustness sums (offset/disorder and flip-angle error) per channel, and the\n"
    "exact-propagator fidelity |Tr(V^+ U)|^2/16 against exp(-i H_target t) with\n"
    "delta pulses and with the real finite pulses.  A .spin file is compiled\n"
    "first (its explicit `sequence { }` if it has one).  An open cycle has no\n"
    "average Hamiltonian: the report says so and prints its toggling average.\n"
    "\n"
    "options:\n"
    "  --csv PATH        write the numbers as CSV (one row per scope) to PATH\n"
    "                    (- = stdout, instead of the report)\n"
    "  --set NAME=VALUE  override a spec parameter (.spin input only)\n"
    "  --J HZ            natural scalar coupling for an XML file (overrides its\n"
    "                    nmrc:natural kappa; needed if it has none)\n"
    "  -h, --help        show this help\n"
    "\n"
    "example:\n"
    "  nmrc analyze examples/paper_dm_claim.spin\n"
    "  nmrc analyze sequences/dm_z.xml --csv dm.csv\n";

static int usage(const char *msg)
{
    fprintf(stderr, "nmrc analyze: %s\nusage: nmrc analyze FILE.xml|FILE.spin [--csv PATH] "
                    "[--set NAME=VALUE]...\n", msg);
    return 2;
}

/* Nonzero when the recorded target has local fields: the compiler realizes
** them with pulses and virtual-Z, so the RF cycle is not meant to close. */
static int target_local(const nmrc_analysis *an)
{
    if (!an->has_target)
        return 0;
    for (int i = 0; i < 3; i++)
        if (an->target.a[i] != 0 || an->target.b[i] != 0)
            return 1;
    return 0;
}

int nmrc_cli_analysis_open(const nmrc_analysis *an)
{
    return (!an->whole.closed[0] || !an->whole.closed[1]) && !target_local(an);
}

static const char pauli_ch[4] = {'1', 'X', 'Y', 'Z'};

/* Prints "(kappa/n)(XX + 2 YY + ZZ)" when the coefficients c (units of kappa)
** are small integer multiples of 1/n; returns 0 if they are not. */
static int print_fraction(FILE *fp, const double c[16])
{
    for (int n = 1; n <= 16; n++) {
        int ok = 1, any = 0;
        for (int i = 1; i < 16 && ok; i++) {
            double m = c[i] * n;
            ok = fabs(m - round(m)) < 1e-9 && fabs(m) < 100;
            any |= fabs(m) > 0.5;
        }
        if (!ok || !any)
            continue;
        fprintf(fp, n == 1 ? "kappa (" : "(kappa/%d)(", n);
        int first = 1;
        for (int i = 1; i < 16; i++) {
            long m = lround(c[i] * n);
            if (!m)
                continue;
            fputs(first ? (m < 0 ? "-" : "") : (m < 0 ? " - " : " + "), fp);
            if (labs(m) != 1)
                fprintf(fp, "%ld ", labs(m));
            fprintf(fp, "%c%c", i / 4 ? pauli_ch[i / 4] : '1', pauli_ch[i % 4]);
            first = 0;
        }
        fputs(")", fp);
        return 1;
    }
    return 0;
}

/* Prints H0 as Pauli terms in units of kappa. */
static void print_h0(FILE *fp, const nmrc_aht *a, double kappa)
{
    double c[16] = {0}, scale = 0;
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++)
            c[4 * (i + 1) + j + 1] = a->T[3 * i + j] / kappa;
        c[4 * (i + 1)] = a->a[i] / kappa;
        c[i + 1] = a->b[i] / kappa;
    }
    for (int i = 1; i < 16; i++)
        scale = fmax(scale, fabs(c[i]));
    for (int i = 1; i < 16; i++) /* round-off: below 1e-12 kappa or 1e-12 of the largest */
        if (fabs(c[i]) < 1e-12 * fmax(scale, 1.0))
            c[i] = 0;
    scale = 0;
    for (int i = 1; i < 16; i++)
        scale = fmax(scale, fabs(c[i]));
    fputs("  H0 = ", fp);
    if (scale == 0) {
        fputs("0\n", fp);
        return;
    }
    if (!print_fraction(fp, c)) {
        fputs("kappa (", fp);
        int first = 1;
        for (int i = 1; i < 16; i++)
            if (c[i] != 0) {
                fprintf(fp, "%s%.6g %c%c", first ? "" : " + ", c[i], pauli_ch[i / 4], pauli_ch[i % 4]);
                first = 0;
            }
        fputs(")", fp);
    }
    fputs("   (Pauli terms; 1X = 1(x)X)\n", fp);
    fprintf(fp, "  H0 coupling matrix T (rad/s):\n");
    for (int i = 0; i < 3; i++)
        fprintf(fp, "    [ %12.6g %12.6g %12.6g ]\n", c[4 * i + 5] * kappa, c[4 * i + 6] * kappa,
                c[4 * i + 7] * kappa);
    fprintf(fp, "  H0 local fields (rad/s): spin 1 (%.6g, %.6g, %.6g), spin 2 (%.6g, %.6g, %.6g)\n",
            a->a[0], a->a[1], a->a[2], a->b[0], a->b[1], a->b[2]);
}

static void print_h1(FILE *fp, const nmrc_aht *a, double kappa)
{
    if (a->h1_norm < 1e-12 * fabs(kappa)) {
        fputs("  |H1| = 0 (below 1e-12 kappa)\n", fp);
        return;
    }
    fprintf(fp, "  |H1| = %.6g rad/s", a->h1_norm);
    int any = 0;
    for (int i = 1; i < 16; i++)
        if (fabs(a->h1[i]) > 1e-9 * a->h1_norm) {
            fprintf(fp, "%s%+.4g %c%c", any ? " " : "; terms: ", a->h1[i], pauli_ch[i / 4],
                    pauli_ch[i % 4]);
            any = 1;
        }
    fputs("\n", fp);
}

/* The offset terms: H0 local fields (all from the offsets) and the part of
** H1 the offsets make. */
static void print_offsets(FILE *fp, const nmrc_aht *a, const double off[2], double kappa)
{
    if (off[0] == 0 && off[1] == 0) {
        fputs("  offset terms: none (both offsets 0; the offset sums below give the "
              "sensitivity)\n", fp);
        return;
    }
    double f = 0;
    for (int i = 0; i < 3; i++)
        f = fmax(f, fmax(fabs(a->a[i]), fabs(a->b[i])));
    if (f < 1e-9 * fabs(kappa) && a->h1_offset_norm < 1e-9 * fabs(kappa)) {
        fputs("  offset terms: none in H0 and H1 (below 1e-9 kappa: refocused)\n", fp);
        return;
    }
    fprintf(fp, "  offset terms: H0 fields spin 1 (%.4g, %.4g, %.4g), spin 2 (%.4g, %.4g, %.4g) "
                "rad/s; H1 part %.4g rad/s", a->a[0], a->a[1], a->a[2], a->b[0], a->b[1],
            a->b[2], a->h1_offset_norm);
    int any = 0;
    for (int i = 1; i < 16; i++)
        if (fabs(a->h1_offset[i]) > 1e-9 * fmax(a->h1_offset_norm, 1e-300) &&
            fabs(a->h1_offset[i]) > 1e-12 * fabs(kappa)) {
            fprintf(fp, "%s%+.4g %c%c", any ? " " : ": ", a->h1_offset[i], pauli_ch[i / 4],
                    pauli_ch[i % 4]);
            any = 1;
        }
    fputs("\n", fp);
}

static void print_scope(FILE *fp, const char *title, const nmrc_aht *a, double kappa, int local)
{
    fprintf(fp, "%s: duration %.6g s, of which delays %.6g s\n", title, a->duration,
            a->delay_time);
    for (int s = 0; s < 2; s++) {
        if (a->closed[s])
            fprintf(fp, "  spin %d: cycle closed\n", s + 1);
        else
            fprintf(fp, "  spin %d: cycle OPEN: net propagator = rotation by %.4g deg about "
                        "(%.4f, %.4f, %.4f), i.e. the toggling frame turns by %.4g deg about "
                        "(%.4f, %.4f, %.4f)\n", s + 1, a->net_angle[s] * DEG, a->net_axis[s][0],
                    a->net_axis[s][1], a->net_axis[s][2], a->net_angle[s] * DEG,
                    -a->net_axis[s][0], -a->net_axis[s][1], -a->net_axis[s][2]);
    }
    if ((!a->closed[0] || !a->closed[1]) && local)
        fputs("  (the target has local fields, which the pulses and virtual-Z realize, so the\n"
              "  RF cycle is not meant to close; H0 below is the natural Hamiltonian's\n"
              "  toggling-frame average only; judge the sequence by the fidelity)\n", fp);
    else if (!a->closed[0] || !a->closed[1])
        fputs("  the cycle is not closed, so it has NO average Hamiltonian; its toggling-frame\n"
              "  average (what the delays average to in the pulses' frame) is:\n", fp);
    print_h0(fp, a, kappa);
    print_h1(fp, a, kappa);
    fprintf(fp, "  coupling-time efficiency (Bennett bound / coupling time): %.6f\n",
            a->efficiency);
    for (int s = 0; s < 2; s++)
        fprintf(fp, "  robustness spin %d: offset sum (%.3g, %.3g, %.3g), flip-angle sum "
                    "(%.3g, %.3g, %.3g) rad%s\n", s + 1,
                a->offset_cond[s][0], a->offset_cond[s][1], a->offset_cond[s][2],
                a->flip_cond[s][0], a->flip_cond[s][1], a->flip_cond[s][2],
                (hypot(hypot(a->offset_cond[s][0], a->offset_cond[s][1]), a->offset_cond[s][2])
                     < 1e-9 &&
                 hypot(hypot(a->flip_cond[s][0], a->flip_cond[s][1]), a->flip_cond[s][2]) < 1e-9)
                    ? " -- first-order robust" : "");
}

void nmrc_cli_analysis_report(FILE *fp, const nmrc_seq *seq, const nmrc_analysis *an)
{
    fprintf(fp, "sequence %s: %zu events, %s pulses\n", seq->name, seq->n_events,
            an->collective ? "collective (one RF channel)" : "per-channel");
    fprintf(fp, "natural pair: kappa = %.6g rad/s (J = %.6g Hz), offsets %.6g, %.6g rad/s\n",
            an->kappa, 2 * an->kappa / NMRC_PI, an->offset[0], an->offset[1]);
    print_scope(fp, "whole sequence", &an->whole, an->kappa, target_local(an));
    print_offsets(fp, &an->whole, an->offset, an->kappa);
    for (size_t c = 0; c < an->n_cycles; c++) {
        char title[64];
        snprintf(title, sizeof title, "cycle %zu (loop body, repeated %zu times)", c + 1,
                 an->cycle_repeat[c]);
        print_scope(fp, title, &an->cycles[c], an->kappa, target_local(an));
        print_offsets(fp, &an->cycles[c], an->offset, an->kappa);
    }
    if (!an->has_target) {
        fputs("target: none recorded (no fidelity)\n", fp);
        return;
    }
    const nmrc_target2 *t = &an->target;
    fprintf(fp, "target for t = %.6g s: T (rad/s) [%.6g %.6g %.6g; %.6g %.6g %.6g; %.6g %.6g "
                "%.6g], fields (%.6g, %.6g, %.6g) (%.6g, %.6g, %.6g)\n", t->time,
            t->T[0], t->T[1], t->T[2], t->T[3], t->T[4], t->T[5], t->T[6], t->T[7], t->T[8],
            t->a[0], t->a[1], t->a[2], t->b[0], t->b[1], t->b[2]);
    double dev = 0, nrm = 0;
    for (int i = 0; i < 9; i++)
        dev = fmax(dev, fabs(an->eff_T[i] - t->T[i])), nrm = fmax(nrm, fabs(t->T[i]));
    fprintf(fp, "  realized H0 * duration / t vs target coupling: max deviation %.3g rad/s "
                "(target max %.3g)\n", dev, nrm);
    fprintf(fp, "  target's Bennett bound / sequence duration: %.6f\n", an->target_efficiency);
    fprintf(fp, "  fidelity |Tr(V^+U)|^2/16, delta pulses:  %.9f\n", an->fidelity_delta);
    if (isnan(an->fidelity_finite))
        fprintf(fp, "  fidelity, finite pulses: n/a (%s)\n", an->finite_note);
    else
        fprintf(fp, "  fidelity |Tr(V^+U)|^2/16, finite pulses: %.9f\n", an->fidelity_finite);
}

static void csv_row(FILE *fp, const char *scope, size_t rep, const nmrc_aht *a, double fd,
                    double ff, double te)
{
    fprintf(fp, "%s,%zu,%.17g,%.17g", scope, rep, a->duration, a->delay_time);
    for (int s = 0; s < 2; s++)
        fprintf(fp, ",%d,%.17g,%.17g,%.17g,%.17g", a->closed[s], a->net_angle[s] * DEG,
                a->net_axis[s][0], a->net_axis[s][1], a->net_axis[s][2]);
    for (int i = 0; i < 9; i++)
        fprintf(fp, ",%.17g", a->T[i]);
    for (int i = 0; i < 3; i++)
        fprintf(fp, ",%.17g", a->a[i]);
    for (int i = 0; i < 3; i++)
        fprintf(fp, ",%.17g", a->b[i]);
    fprintf(fp, ",%.17g,%.17g", a->h1_norm, a->efficiency);
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 3; i++)
            fprintf(fp, ",%.17g", a->offset_cond[s][i]);
    for (int s = 0; s < 2; s++)
        for (int i = 0; i < 3; i++)
            fprintf(fp, ",%.17g", a->flip_cond[s][i]);
    fprintf(fp, ",%.17g,%.17g,%.17g,%.17g\n", fd, ff, te, a->h1_offset_norm);
}

static int write_csv(const char *path, const nmrc_analysis *an)
{
    nmrc_cli_out out;
    if (nmrc_cli_out_open(&out, path))
        return 1;
    FILE *fp = out.fp;
    fputs("scope,repeat,duration_s,free_s", fp);
    for (int s = 1; s <= 2; s++)
        fprintf(fp, ",closed_%d,net_angle_deg_%d,net_axis_x_%d,net_axis_y_%d,net_axis_z_%d", s, s,
                s, s, s);
    const char *ax = "xyz";
    for (int i = 0; i < 9; i++)
        fprintf(fp, ",T_%c%c", ax[i / 3], ax[i % 3]);
    fputs(",a_x,a_y,a_z,b_x,b_y,b_z,h1_norm,efficiency", fp);
    for (int s = 1; s <= 2; s++)
        fprintf(fp, ",offset_x_%d,offset_y_%d,offset_z_%d", s, s, s);
    for (int s = 1; s <= 2; s++)
        fprintf(fp, ",flip_x_%d,flip_y_%d,flip_z_%d", s, s, s);
    fputs(",fidelity_delta,fidelity_finite,target_efficiency,h1_offset_norm\n", fp);
    csv_row(fp, "whole", 1, &an->whole, an->fidelity_delta, an->fidelity_finite,
            an->target_efficiency);
    for (size_t c = 0; c < an->n_cycles; c++) {
        char scope[32];
        snprintf(scope, sizeof scope, "cycle%zu", c + 1);
        csv_row(fp, scope, an->cycle_repeat[c], &an->cycles[c], NAN, NAN, NAN);
    }
    return nmrc_cli_out_commit(&out);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Compiles a spec (its sequence or target) with ideal pulses, so the report
** is the exact AHT of the construction (the finite pulses from p90 enter the
** finite fidelity; `nmrc analyze` of the XML that `nmrc compile` writes
** reports the finite-pulse sequence itself).  Compile errors are printed
** here. */
static NMRC_NODISCARD nmrc_status load_spec(const char *path, const char **sets, int n_sets, nmrc_ctx *ctx,
                             nmrc_seq **seq, nmrc_pair *pair, int *printed)
{
    *printed = 1; /* every failure below is printed here */
    nmrc_model *m = nmrc_cli_load_model(path, sets, (size_t)n_sets);
    if (!m)
        return NMRC_ESYNTAX;
    nmrc_compile_cfg cfg;
    nmrc_target2 tg;
    nmrc_compile_cfg_default(&cfg);
    cfg.library_dir = NMRC_SOURCE_DIR "/sequences";
    nmrc_status st = nmrc_compile_cfg_apply(&cfg, &m->compile, ctx);
    cfg.finite = 0;
    if (st == NMRC_OK)
        st = nmrc_compile_extract(m, pair, &tg, ctx);
    if (st == NMRC_OK)
        st = nmrc_compile_model(m, &cfg, ctx, seq);
    if (st != NMRC_OK)
        nmrc_cli_compile_error("analyze", path, m, ctx);
    *printed = st != NMRC_OK;
    nmrc_model_destroy(m);
    return st;
}

/* Command-line arguments of `nmrc analyze`. */
typedef struct an_args {
    const char *path, *csv;
    double j_hz;                /* --J, 0 = none */
    const char **sets;          /* --set NAME=VALUE, argc entries allocated */
    int n_sets;
} an_args;

/* Parses argv into a (a->sets already allocated); returns 0, or the usage
** exit status after printing. */
static int parse_args(int argc, char **argv, an_args *a)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--csv") && i + 1 < argc)
            a->csv = argv[++i];
        else if (!strcmp(argv[i], "--set") && i + 1 < argc)
            a->sets[a->n_sets++] = argv[++i];
        else if (!strcmp(argv[i], "--J") && i + 1 < argc) {
            char *end;
            a->j_hz = strtod(argv[++i], &end);
            if (*end || end == argv[i] || !isfinite(a->j_hz) || a->j_hz == 0)
                return usage("--J needs a nonzero coupling in Hz");
        }
        else if (argv[i][0] == '-' && argv[i][1])
            return usage(i + 1 < argc || strcmp(argv[i], "--csv") ? "unknown option"
                                                                 : "--csv needs a PATH");
        else if (a->path)
            return usage("more than one input file");
        else
            a->path = argv[i];
    }
    return a->path ? 0 : usage("no input file");
}

int nmrc_cli_analyze(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_analyze))
        return 0;
    an_args a = {NULL, NULL, 0, calloc((size_t)argc, sizeof *a.sets), 0};
    int rc = 1, printed = 0;
    if (!a.sets)
        return 1;
    int bad = parse_args(argc, argv, &a);
    if (bad) {
        free(a.sets);
        return bad;
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_seq *seq = NULL;
    nmrc_analysis *an = NULL;
    nmrc_pair pair, *pp = NULL;
    nmrc_status st;
    if (ends_with(a.path, ".xml")) {
        if (a.n_sets) {
            fprintf(stderr, "nmrc analyze: --set applies to .spin input only\n");
            st = NMRC_EINVAL, printed = 1;
        } else
            st = nmrc_xml_read_file(a.path, ctx, &seq);
        if (st == NMRC_OK && a.j_hz != 0) { /* natural pair from --J, offsets from the file */
            memset(&pair, 0, sizeof pair);
            pair.kappa = NMRC_PI * a.j_hz / 2;
            for (size_t c = 0, k = 0; c < seq->n_channels && k < 2; c++)
                if (seq->channels[c].kind == NMRC_CHAN_RF)
                    pair.offset[k++] = seq->nat_offset[c];
            pp = &pair;
        }
    } else {
        st = load_spec(a.path, a.sets, a.n_sets, ctx, &seq, &pair, &printed);
        pp = &pair;
    }
    if (st == NMRC_OK)
        st = nmrc_analyze(seq, pp, ctx, &an);
    if (st == NMRC_OK) {
        if (!a.csv || strcmp(a.csv, "-")) /* --csv -: the numbers alone on stdout */
            nmrc_cli_analysis_report(stdout, seq, an);
        rc = a.csv ? write_csv(a.csv, an) : 0;
    } else if (!printed) {
        fprintf(stderr, "nmrc analyze: %s: %s\n", a.path, nmrc_ctx_errmsg(ctx));
    }
    nmrc_analysis_destroy(an);
    nmrc_seq_destroy(seq);
    nmrc_ctx_destroy(ctx);
    free(a.sets);
    return rc;
}
