/*
** cmd_fid.c: the `nmrc fid` command.  Simulates acquisition on each
** observed nucleus (thermal 90-degree spectrum with --thermal, else the
** compiled experiment run on the physical model) and writes, per nucleus,
** a Bruker dataset, a JCAMP-DX spectrum, CSV files and an SVG picture
** (the latter three and the pulse program text in cmd_fid_output.c).
*/
#define _POSIX_C_SOURCE 200809L
#include <complex.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_fid.h"
#include "commands.h"
#include "nmrc/compile.h"
#include "nmrc/dataset.h"
#include "nmrc/fid.h"
#include "nmrc/io.h"
#include "nmrc/linalg.h"
#include "nmrc/nmr.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"


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
    int thermal;
    const char *sets[32];
    int n_sets;
    size_t td, si;
    double sw, lb, gb, phc0, phc1;
    int have_phc0;              /* --phc0 given (else automatic) */
} fid_opts;

typedef struct fid_run {
    nmrc_nmr_system sys;        /* the spin system */
    double proton_mhz;
    nmrc_seq *seq;              /* compiled or read sequence (NULL with --thermal) */
    unsigned observe;           /* observed spins */
    size_t td;
    double sw;
    size_t scans;
    int noted;                  /* the no-relaxation note was printed */
    char title[128];
} fid_run;

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
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        double deg;
        if (!strcmp(a, "--thermal"))
            o->thermal = 1;
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
            if (parse_count(a, argv[++i], &o->td))
                return 2;
        } else if (!strcmp(a, "--si")) {
            if (parse_count(a, argv[++i], &o->si))
                return 2;
        } else if (!strcmp(a, "--sw") || !strcmp(a, "--lb") || !strcmp(a, "--gb")) {
            double *dst = a[2] == 's' ? &o->sw : a[2] == 'l' ? &o->lb : &o->gb;
            if (parse_num(a, argv[++i], dst) || *dst < 0 || (dst == &o->sw && *dst == 0)) {
                fprintf(stderr, "nmrc fid: %s must be %s\n", a, dst == &o->sw ? "> 0" : ">= 0");
                return 2;
            }
        } else if (!strcmp(a, "--phc0") || !strcmp(a, "--phc1")) {
            if (parse_num(a, argv[++i], &deg))
                return 2;
            *(a[5] == '0' ? &o->phc0 : &o->phc1) = deg * NMRC_PI / 180;
            o->have_phc0 |= a[5] == '0';
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
    if (o->si && o->td && o->si < o->td) {
        fprintf(stderr, "nmrc fid: --si must be >= --td\n");
        return 2;
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Compiles the model's experiment (library calls; prints on failure). */
static nmrc_seq *compile_model(const nmrc_model *m)
{
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_compile_cfg cfg;
    nmrc_seq *seq = NULL;
    nmrc_compile_cfg_default(&cfg);
    nmrc_status st = ctx ? nmrc_compile_cfg_apply(&cfg, &m->compile, ctx) : NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_compile_model(m, &cfg, ctx, &seq);
    if (st != NMRC_OK) {
        fprintf(stderr, "nmrc fid: cannot compile the experiment: %s\n"
                        "  (use --thermal for the plain 90-degree spectra)\n",
                ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
        nmrc_seq_destroy(seq);
        seq = NULL;
    }
    nmrc_ctx_destroy(ctx);
    return seq;
}

/* The largest |frequency| (Hz) a line of the observed spins can have:
** |offset| + sum |J|/2 + 1.5 sum |b| over its couplings. */
static double line_span(const nmrc_nmr_system *sys, unsigned observe)
{
    double span = 0;
    for (size_t i = 0; i < sys->n_spins; i++) {
        if (!(observe >> i & 1u))
            continue;
        double s = fabs(sys->spins[i].offset_hz);
        for (size_t c = 0; c < sys->n_couplings; c++)
            if ((size_t)sys->couplings[c].i == i || (size_t)sys->couplings[c].j == i)
                s += fabs(sys->couplings[c].j_hz) / 2 + 1.5 * fabs(sys->couplings[c].dipolar_hz);
        span = fmax(span, s);
    }
    return span;
}

/* A sweep width covering every observed line with a margin: 2.5 x the
** line span, at least 1 kHz, rounded up to 500 Hz. */
static double auto_sw(const nmrc_nmr_system *sys, unsigned observe)
{
    double sw = fmax(1000.0, 2.5 * line_span(sys, observe));
    return 500.0 * ceil(sw / 500.0);
}

/* Fills run from the input file and options; prints and returns nonzero on
** failure. */
static int setup_run(const fid_opts *o, fid_run *r)
{
    memset(r, 0, sizeof *r);
    nmrc_ctx *ctx = nmrc_ctx_create();
    int xml = ends_with(o->input, ".xml");
    const char *spin_path = xml ? o->spec_path : o->input;
    if (!spin_path && o->n_sets) {
        fprintf(stderr, "nmrc fid: --set needs a spec: give --spec FILE.spin with an XML input\n");
        nmrc_ctx_destroy(ctx);
        return 1;
    }
    nmrc_model *m = spin_path ? nmrc_cli_load_model(spin_path, o->sets, (size_t)o->n_sets) : NULL;
    int bad = (spin_path && !m) || !ctx;
    if (!bad && m && nmrc_nmr_system_from_model(m, ctx, &r->sys) != NMRC_OK) {
        fprintf(stderr, "nmrc fid: %s\n", nmrc_ctx_errmsg(ctx));
        bad = 1;
    }
    if (!bad && !m) {
        nmrc_nmr_system_chcl3(&r->sys);
        fprintf(stderr, "nmrc fid: spin system: the default 13CHCl3 pair (1H-13C, J = 215 Hz); "
                        "--spec FILE.spin chooses another\n");
    }
    r->proton_mhz = m && m->proton_mhz > 0 ? m->proton_mhz : 400.0;
    r->observe = m ? m->readout.observe : 0;
    r->td = o->td ? o->td : m && m->readout.td ? m->readout.td : 4096;
    const char *slash = strrchr(o->input, '/');
    snprintf(r->title, sizeof r->title, "%s%s", slash ? slash + 1 : o->input,
             o->thermal ? " (thermal, 90y)" : "");
    if (!bad && !o->thermal) {
        if (xml && nmrc_xml_read_file(o->input, ctx, &r->seq) != NMRC_OK) {
            fprintf(stderr, "nmrc fid: %s\n", nmrc_ctx_errmsg(ctx));
            bad = 1;
        } else if (!xml && !(r->seq = compile_model(m)))
            bad = 1;
    }
    if (!r->observe)
        r->observe = (1u << r->sys.n_spins) - 1;
    r->sw = o->sw ? o->sw : m && m->readout.sw_hz > 0 ? m->readout.sw_hz
                                                      : auto_sw(&r->sys, r->observe);
    if (!bad && 2 * line_span(&r->sys, r->observe) > r->sw)
        fprintf(stderr, "nmrc fid: note: lines reach %.1f Hz from the carrier, beyond SW/2 = "
                        "%.1f Hz: they fold\n", line_span(&r->sys, r->observe), r->sw / 2);
    nmrc_model_destroy(m);
    nmrc_ctx_destroy(ctx);
    return bad;
}

/* Returns nonzero when rho has a detectable single-quantum coherence on the
** spins in `nucleus`: |Tr[rho sum I+]| above 1e-6 of what a 90 would give. */
static int transverse(const fid_run *r, unsigned nucleus, const nmrc_cmat *rho)
{
    size_t n = r->sys.n_spins, d = rho->n1;
    nmrc_cplx s = 0;
    double ref = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(nucleus >> i & 1u))
            continue;
        size_t bit = (size_t)1 << (n - 1 - i);
        ref += fabs(r->sys.spins[i].gamma) / NMRC_GAMMA_1H;
        for (size_t a = 0; a < d; a++)
            if (a & bit)
                s += NMRC_CMAT_AT(rho, a, a & ~bit);
    }
    return cabs(s) > 1e-6 * ref;
}

/* T1 recovery towards thermal equilibrium.  The simulator's T1 terms relax
** <Z_i> to eq_pol * Tr(rho), which is 0 for the traceless deviation state, so
** on their own they relax it to infinite temperature.  The physical state is
** 1/d + e rho_dev with eq_pol_i = e * 2 gamma_i / gamma_1H; to first order in
** e the deviation after the program is E(rho_dev) + A, where A is the part
** of E(1/d) linear in e: the central difference (E_+s(1/d) - E_-s(1/d)) / 2s
** (truncation O(s^2), rounding ~1e-16/s).  Adds A to rho. */
static NMRC_NODISCARD nmrc_status add_t1_recovery(const fid_run *r, const nmrc_nmr_options *opt,
                                   nmrc_cmat *rho, nmrc_ctx *ctx)
{
    const double s = 1e-5;
    size_t n = r->sys.n_spins, d = rho->n1;
    nmrc_cmat *id = nmrc_cmat_create(d, d);
    nmrc_cmat *out[2] = {nmrc_cmat_create(d, d), nmrc_cmat_create(d, d)};
    nmrc_status st = id && out[0] && out[1] ? NMRC_OK : NMRC_ENOMEM;
    for (int k = 0; k < 2 && st == NMRC_OK; k++) {
        nmrc_nmr_system sys = r->sys;
        for (size_t i = 0; i < n; i++)
            sys.spins[i].eq_pol = (k ? -s : s) * 2.0 * sys.spins[i].gamma / NMRC_GAMMA_1H;
        nmrc_cmat_zero(id);
        for (size_t a = 0; a < d; a++)
            NMRC_CMAT_AT(id, a, a) = 1.0 / (double)d;
        nmrc_nmr_plan *plan = NULL;
        nmrc_nmr_ws *work = NULL;
        st = nmrc_nmr_plan_create(&sys, r->seq, opt, ctx, &plan);
        if (st == NMRC_OK && !(work = nmrc_nmr_ws_create(plan)))
            st = NMRC_ENOMEM;
        if (st == NMRC_OK)
            st = nmrc_nmr_execute(plan, work, id, out[k]);
        nmrc_nmr_ws_destroy(work);
        nmrc_nmr_plan_destroy(plan);
    }
    for (size_t b = 0; b < d && st == NMRC_OK; b++)
        for (size_t a = 0; a < d; a++)
            NMRC_CMAT_AT(rho, a, b) +=
                (NMRC_CMAT_AT(out[0], a, b) - NMRC_CMAT_AT(out[1], a, b)) / (2 * s);
    nmrc_cmat_destroy(id);
    nmrc_cmat_destroy(out[0]);
    nmrc_cmat_destroy(out[1]);
    return st;
}

/* The state at the start of acquisition for the thermal experiment, or
** after running the sequence from thermal equilibrium (receiver-combined
** over the phase cycle).  Returns 0, 1 after printing on failure, or -1
** (with a note) when the program acquires on another nucleus only. */
static int prepare_state(fid_run *r, unsigned nucleus, nmrc_cmat *rho, int *read_pulse)
{
    size_t n = r->sys.n_spins, d = rho->n1;
    nmrc_cmat_zero(rho);
    for (size_t i = 0; i < n; i++)
        for (size_t a = 0; a < d; a++)
            NMRC_CMAT_AT(rho, a, a) += 2.0 / (double)d * r->sys.spins[i].gamma / NMRC_GAMMA_1H *
                                       ((a >> (n - 1 - i) & 1u) ? -1.0 : 1.0);
    r->scans = 1;
    *read_pulse = 0;
    if (!r->seq) {
        nmrc_fid_pulse(rho, n, nucleus, NMRC_PI / 2, NMRC_PI / 2);
        return 0;
    }
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_nmr_options opt;
    nmrc_nmr_options_default(&opt);
    opt.relax = n <= NMRC_NMR_LIOUVILLE_MAX_SPINS;
    if (!opt.relax && !r->noted++)
        fprintf(stderr, "nmrc fid: note: %zu spins: the sequence runs without T1/T2 (exact "
                        "superoperators up to %d spins); T2 acts during acquisition\n",
                n, NMRC_NMR_LIOUVILLE_MAX_SPINS);
    nmrc_nmr_plan *plan = NULL;
    nmrc_nmr_ws *work = NULL;
    nmrc_cmat *rho0 = nmrc_cmat_create(d, d);
    nmrc_status st = ctx && rho0 ? nmrc_nmr_plan_create(&r->sys, r->seq, &opt, ctx, &plan)
                                 : NMRC_ENOMEM;
    if (st == NMRC_OK && !(work = nmrc_nmr_ws_create(plan)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK) {
        st = nmrc_cmat_copy(rho0, rho);
        if (st == NMRC_OK)
            st = nmrc_nmr_execute(plan, work, rho0, rho);
        /* Whether the program excites the nucleus is judged before the T1
        ** recovery is added: recovery during delays leaves ~delay/T1 of
        ** transverse magnetization after a final pulse, which is no excitation. */
        int excited = st == NMRC_OK && transverse(r, nucleus, rho);
        if (st == NMRC_OK && opt.relax)
            st = add_t1_recovery(r, &opt, rho, ctx);
        r->scans = nmrc_nmr_plan_scans(plan);
        unsigned acq = nmrc_nmr_plan_observed(plan);
        if (st == NMRC_OK && acq && !(acq & nucleus)) {
            size_t a = 0, b = 0;
            while (a + 1 < n && !(acq >> a & 1u))
                a++;
            while (b + 1 < n && !(nucleus >> b & 1u))
                b++;
            fprintf(stderr, "nmrc fid: note: the program acquires on %s only; no %s FID\n",
                    r->sys.spins[a].isotope, r->sys.spins[b].isotope);
            st = NMRC_ENOTFOUND;
        }
        /* A program without an acquisition that leaves no transverse
        ** magnetization on the nucleus is read out with a 90_y. */
        if (st == NMRC_OK && !nmrc_nmr_plan_observed(plan) && !excited) {
            nmrc_fid_pulse(rho, n, nucleus, NMRC_PI / 2, NMRC_PI / 2);
            *read_pulse = 1;
        }
    }
    if (st != NMRC_OK && st != NMRC_ENOTFOUND)
        fprintf(stderr, "nmrc fid: running the sequence failed: %s\n",
                ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
    nmrc_nmr_ws_destroy(work);
    nmrc_nmr_plan_destroy(plan);
    nmrc_cmat_destroy(rho0);
    nmrc_ctx_destroy(ctx);
    return st == NMRC_ENOTFOUND ? -1 : st != NMRC_OK;
}

/* Acquires the FID of nucleus mask `nuc` from rho into fid[td]. */
static int acquire(const fid_run *r, unsigned nuc, const nmrc_cmat *rho, nmrc_cplx *fid,
                   int *exact)
{
    size_t n = r->sys.n_spins, d = rho->n1;
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_cmat *h = nmrc_cmat_create(d, d);
    int species[NMRC_NMR_MAX_SPINS];
    double t2[NMRC_NMR_MAX_SPINS];
    for (size_t i = 0; i < n; i++) {
        t2[i] = r->sys.spins[i].t2;
        species[i] = (int)i;
        for (size_t k = 0; k < i; k++)
            if (nmrc_nmr_homonuclear(&r->sys, (int)i, (int)k)) {
                species[i] = species[k];
                break;
            }
    }
    nmrc_fid_plan *plan = NULL;
    nmrc_fid_ws *ws = NULL;
    nmrc_acq acq = {nuc, r->td, r->sw, 0.0};
    nmrc_fid_system fs = {n, h, t2, species};
    nmrc_status st = ctx && h ? nmrc_nmr_hamiltonian(&r->sys, h) : NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_fid_plan_create(&fs, &acq, ctx, &plan);
    if (st == NMRC_OK && !(ws = nmrc_fid_ws_create(plan)))
        st = NMRC_ENOMEM;
    if (st == NMRC_OK)
        st = nmrc_fid_execute(plan, ws, rho, fid);
    if (st != NMRC_OK)
        fprintf(stderr, "nmrc fid: acquisition failed: %s\n",
                ctx ? nmrc_ctx_errmsg(ctx) : "out of memory");
    *exact = plan ? nmrc_fid_plan_exact(plan) : 0;
    nmrc_fid_ws_destroy(ws);
    nmrc_fid_plan_destroy(plan);
    nmrc_cmat_destroy(h);
    nmrc_ctx_destroy(ctx);
    return st != NMRC_OK;
}

/* Zero-order phase (rad) that makes fid[0] real and positive; 0 when the
** first point is negligible (e.g. antiphase signals). */
static double auto_phase(const nmrc_cplx *fid, size_t td)
{
    double m = 0;
    for (size_t k = 0; k < td; k++)
        m = fmax(m, cabs(fid[k]));
    return cabs(fid[0]) > 1e-3 * m ? -carg(fid[0]) : 0.0;
}

/* Everything for one nucleus: acquisition, spectrum, files. */
static int run_nucleus(fid_run *r, const fid_opts *o, const char *iso, unsigned nuc)
{
    size_t d = nmrc_nmr_dim(&r->sys);
    double sfo1 = 0;
    for (size_t i = 0; i < r->sys.n_spins; i++)
        if (nuc >> i & 1u)
            sfo1 = r->proton_mhz * fabs(r->sys.spins[i].gamma) / NMRC_GAMMA_1H;
    nmrc_cmat *rho = nmrc_cmat_create(d, d);
    nmrc_cplx *fid = malloc(r->td * sizeof *fid);
    nmrc_ctx *ctx = nmrc_ctx_create();
    nmrc_spectrum_plan *sp = NULL;
    nmrc_spectrum_ws *sws = NULL;
    nmrc_cplx *spec = NULL;
    char path[4096];
    int exact = 0, read_pulse = 0, bad = !rho || !fid || !ctx;
    int skip = bad ? 0 : prepare_state(r, nuc, rho, &read_pulse);
    bad = bad || skip > 0 || (!skip && acquire(r, nuc, rho, fid, &exact));
    if (skip < 0) {
        free(fid);
        nmrc_cmat_destroy(rho);
        nmrc_ctx_destroy(ctx);
        return 0;
    }
    size_t si = o->si ? o->si : 4 * r->td;
    nmrc_proc proc = {si, o->lb, o->gb, o->have_phc0 ? o->phc0 : auto_phase(fid, r->td),
                      o->phc1, 0.5};
    if (!bad && nmrc_spectrum_plan_create(r->td, r->sw, sfo1, &proc, ctx, &sp) != NMRC_OK) {
        fprintf(stderr, "nmrc fid: %s\n", nmrc_ctx_errmsg(ctx));
        bad = 1;
    }
    if (!bad) {
        si = nmrc_spectrum_size(sp);
        sws = nmrc_spectrum_ws_create(sp);
        spec = malloc(si * sizeof *spec);
        bad = !sws || !spec;
    }
    if (!bad) {
        nmrc_spectrum_execute(sp, sws, fid, spec);
        nmrc_bruker ds = {.td = r->td, .sw_h = r->sw, .sfo1 = sfo1, .bf1 = sfo1, .o1 = 0,
                          .ns = (int)r->scans, .fid = fid};
        snprintf(ds.nuc1, sizeof ds.nuc1, "%s", iso);
        snprintf(ds.pulprog, sizeof ds.pulprog, "%s", r->seq ? r->seq->name : "zg");
        for (char *p = ds.pulprog; *p; p++)
            *p = (*p == '<' || *p == '>' || *p == '\n') ? '_' : *p;
        char *pp = nmrc_cli_fid_pulse_program(r->seq, read_pulse);
        snprintf(path, sizeof path, "%s/%s", o->out, iso);
        if (nmrc_bruker_write(path, &ds, pp, ctx) != NMRC_OK) {
            fprintf(stderr, "nmrc fid: %s\n", nmrc_ctx_errmsg(ctx));
            bad = 1;
        }
        free(pp);
    }
    if (!bad)
        bad = nmrc_cli_fid_write_outputs(o->out, iso, r->title, fid, r->td, r->sw, sfo1, sp, spec, ctx);
    if (!bad)
        printf("%s: %zu points at SW %g Hz (SFO1 %.6f MHz), %s%s, phc0 %.1f deg -> %s/%s/ and "
               "%s.{jdx,svg}, %s_{fid,spectrum}.csv\n",
               iso, r->td, r->sw, sfo1, exact ? "exact" : "secular T2 approximation",
               read_pulse ? ", read out with a 90y pulse" : "", proc.phc0 * 180 / NMRC_PI + 0.0, o->out,
               iso, iso, iso);
    free(spec);
    nmrc_spectrum_ws_destroy(sws);
    nmrc_spectrum_plan_destroy(sp);
    nmrc_ctx_destroy(ctx);
    free(fid);
    nmrc_cmat_destroy(rho);
    return bad;
}

int nmrc_cli_fid(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_fid))
        return 0;
    fid_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc)
        return rc;
    fid_run r;
    if (setup_run(&o, &r)) {
        nmrc_seq_destroy(r.seq);
        return 1;
    }
    nmrc_ctx *mk = nmrc_ctx_create();
    if (!mk || nmrc_io_mkdirs(o.out, mk) != NMRC_OK) {
        fprintf(stderr, "nmrc: %s\n", mk ? nmrc_ctx_errmsg(mk) : "out of memory");
        nmrc_ctx_destroy(mk);
        nmrc_seq_destroy(r.seq);
        return 1;
    }
    nmrc_ctx_destroy(mk);
    int bad = 0;
    unsigned done = 0;
    for (size_t i = 0; i < r.sys.n_spins && !bad; i++) {
        if (!(r.observe >> i & 1u) || (done >> i & 1u))
            continue;
        unsigned nuc = 0;
        for (size_t k = 0; k < r.sys.n_spins; k++)
            if (k == i || nmrc_nmr_homonuclear(&r.sys, (int)i, (int)k))
                nuc |= 1u << k;
        done |= nuc;
        bad = run_nucleus(&r, &o, r.sys.spins[i].isotope, nuc & r.observe);
    }
    nmrc_seq_destroy(r.seq);
    return bad;
}
