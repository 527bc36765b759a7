/*
** cmd_validate.c: the `nmrc validate` command.  Runs a pulse program (a
** spec compiled on the fly, or an XML sequence) on the physical NMR model
** and compares it with the ideal target: average Hamiltonian and cycle
** closure, gate fidelity with delta pulses, finite pulses and with errors
** and relaxation, state fidelity, trace distance and the battery figures.
** The report itself is written by cmd_validate_report.c.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd_validate.h"
#include "nmrc/xml.h"
#include "nmrc/consts.h"


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

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Prints a library failure and returns 1. */
static int fail(val *v, const char *what, nmrc_status st)
{
    const char *msg = v->ctx ? nmrc_ctx_errmsg(v->ctx) : "";
    fprintf(stderr, "nmrc validate: %s: %s\n", what, msg[0] ? msg : nmrc_strerror(st));
    return 1;
}

/* ---- Loading ---------------------------------------------------------------- */

static int load_model(val *v, const char *path)
{
    v->model = nmrc_cli_load_model(path, v->a.sets, v->a.n_sets);
    return v->model == NULL;
}

static int compile_spec(val *v)
{
    nmrc_compile_cfg cfg;
    nmrc_compile_cfg_default(&cfg);
    nmrc_status st = nmrc_compile_cfg_apply(&cfg, &v->model->compile, v->ctx);
    if (!st)
        st = nmrc_compile_model(v->model, &cfg, v->ctx, &v->seq);
    cfg.finite = 0;
    if (!st)
        st = nmrc_compile_model(v->model, &cfg, v->ctx, &v->seq_delta);
    return st ? fail(v, "compiling the spec", st) : 0;
}

static int load_inputs(val *v)
{
    nmrc_status st;
    if (!ends_with(v->a.input, ".xml")) {
        if (v->a.spec)
            fprintf(stderr, "nmrc validate: --spec is for XML input; ignored\n");
        return load_model(v, v->a.input) || compile_spec(v);
    }
    if (v->a.spec && load_model(v, v->a.spec))
        return 1;
    if ((st = nmrc_xml_read_file(v->a.input, v->ctx, &v->seq)))
        return fail(v, v->a.input, st);
    if (!(v->seq_delta = nmrc_seq_clone(v->seq)))
        return fail(v, "copying the sequence", NMRC_ENOMEM);
    return 0;
}

/* ---- Target, battery Hamiltonian, initial state -------------------------- */

static int setup_target(val *v)
{
    nmrc_cmat *H = nmrc_cmat_create(v->d, v->d);
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(v->d);
    nmrc_status st = H && ws ? NMRC_OK : NMRC_ENOMEM;
    if (!st && v->seq->has_target) {
        st = nmrc_nmr_seq_target(v->seq, v->sys.n_spins, H);
        v->t_target = v->seq->target_time;
    } else if (!st && !strcmp(v->seq->target_op, "identity")) {
        v->t_target = 0;
    } else if (!st) {
        nmrc_ctx_error(v->ctx, st = NMRC_EINVAL, "the sequence records no target "
                       "(nmrc:target) to validate against");
    }
    if (!st)
        st = nmrc_expmh(v->V, H, v->t_target, ws);
    if (!st && !v->model) {      /* battery = target, rad/s */
        st = nmrc_cmat_copy(v->Hb, H);
        v->units = "rad/s";
    }
    nmrc_cmat_destroy(H);
    nmrc_eigh_ws_destroy(ws);
    return st ? fail(v, "target", st) : 0;
}

static int setup_state(val *v)
{
    if (v->model) {
        nmrc_cmat *H = nmrc_simcli_hamiltonian(v->model);
        if (!H)
            return 1;
        nmrc_status st = nmrc_cmat_copy(v->Hb, H);
        nmrc_cmat_destroy(H);
        if (st != NMRC_OK)
            return 1;
        v->units = "omega";
        if (nmrc_simcli_initial_state(v->model, v->Hb, v->rho0))
            return 1;
    } else {
        nmrc_cmat_zero(v->rho0);
        NMRC_CMAT_AT(v->rho0, 1, 1) = 1;         /* |01> */
    }
    nmrc_eigh_ws *ws = nmrc_eigh_ws_create(v->d);
    nmrc_status st = ws ? nmrc_cmat_copy(v->Eb, v->Hb) : NMRC_ENOMEM;
    if (!st)
        st = nmrc_eigh(v->Eb, v->eb, ws);
    nmrc_eigh_ws_destroy(ws);
    nmrc_cmat *tmp = nmrc_cmat_create(v->d, v->d);
    if (!st && !tmp)
        st = NMRC_ENOMEM;
    if (!st)
        st = nmrc_cmat_similarity(v->rho_id, v->V, v->rho0, tmp);
    nmrc_cmat_destroy(tmp);
    if (!st)
        st = nmrc_metrics_battery(v->mws, v->rho_id, v->eb, v->Eb, &v->figs_id);
    return st ? fail(v, "ideal state", st) : 0;
}

static int setup(val *v)
{
    nmrc_status st;
    if (load_inputs(v))
        return 1;
    if (v->model)
        st = nmrc_nmr_system_from_model(v->model, v->ctx, &v->sys);
    else
        nmrc_nmr_system_chcl3(&v->sys), st = NMRC_OK;
    if (st)
        return fail(v, "spin system", st);
    if (v->sys.n_spins != 2)
        return fprintf(stderr, "nmrc validate: validation compares two-spin targets; the "
                               "system has %zu spins\n", v->sys.n_spins), 1;
    v->d = nmrc_nmr_dim(&v->sys);
    v->V = nmrc_cmat_create(v->d, v->d);
    v->Hb = nmrc_cmat_create(v->d, v->d);
    v->Eb = nmrc_cmat_create(v->d, v->d);
    v->rho0 = nmrc_cmat_create(v->d, v->d);
    v->rho_id = nmrc_cmat_create(v->d, v->d);
    v->rho = nmrc_cmat_create(v->d, v->d);
    v->eb = malloc(v->d * sizeof *v->eb);
    v->mws = nmrc_metrics_ws_create(v->sys.n_spins);
    if (!v->V || !v->Hb || !v->Eb || !v->rho0 || !v->rho_id || !v->rho || !v->eb || !v->mws)
        return fail(v, "setup", NMRC_ENOMEM);
    return setup_target(v) || setup_state(v);
}

/* ---- Runs -------------------------------------------------------------------- */

/* State figures of v->rho against the ideal state. */
static NMRC_NODISCARD nmrc_status state_figs(val *v, vrun *r)
{
    nmrc_cmat_hermitize(v->rho);
    nmrc_status st = nmrc_metrics_fidelity(v->mws, v->rho_id, v->rho, &r->f_state);
    if (!st)
        st = nmrc_metrics_trace_distance(v->mws, v->rho_id, v->rho, &r->tdist);
    if (!st)
        st = nmrc_metrics_battery(v->mws, v->rho, v->eb, v->Eb, &r->figs);
    return st;
}

/* Plans seq with opt, then fills r: unitary fidelity for a unitary plan,
** else the Choi process fidelity of the averaged process. */
static int run_one(val *v, const nmrc_seq *seq, const nmrc_nmr_options *opt, vrun *r)
{
    nmrc_nmr_plan *plan = NULL;
    nmrc_nmr_ws *w = NULL;
    size_t d = v->d;
    nmrc_cmat *M = NULL;
    nmrc_status st = nmrc_nmr_plan_create(&v->sys, seq, opt, v->ctx, &plan);
    if (!st && !(w = nmrc_nmr_ws_create(plan)))
        st = NMRC_ENOMEM;
    int unitary = !st && nmrc_nmr_plan_is_unitary(plan);
    if (!st && !(M = unitary ? nmrc_cmat_create(d, d) : nmrc_cmat_create(d * d, d * d)))
        st = NMRC_ENOMEM;
    if (!st && unitary) {
        st = nmrc_nmr_execute_unitary(plan, w, M);
        r->f_pro = nmrc_nmr_unitary_fidelity(M, v->V);
    } else if (!st) {
        st = nmrc_nmr_execute_process(plan, w, M);
        r->f_pro = nmrc_nmr_process_fidelity(M, v->V);
    }
    if (!st)
        st = nmrc_nmr_execute(plan, w, v->rho0, v->rho);
    if (!st)
        st = state_figs(v, r);
    r->f_avg = nmrc_nmr_average_fidelity(r->f_pro, d);
    nmrc_cmat_destroy(M);
    nmrc_nmr_ws_destroy(w);
    nmrc_nmr_plan_destroy(plan);
    return st ? fail(v, r->name, st) : 0;
}

/* 90-degree pulse length for a nucleus: the spec's p90 of a spin with that
** isotope, else 10 us (1H) / 15 us (13C) for the default pair, else 0. */
static double default_rf90(const val *v, const char *nucleus)
{
    if (v->model) {
        for (size_t i = 0; i < v->model->n_spins; i++)
            if (!strcmp(v->model->spins[i].isotope, nucleus) && v->model->spins[i].p90 > 0)
                return v->model->spins[i].p90;
        return 0;
    }
    return !strcmp(nucleus, "1H") ? 10e-6 : !strcmp(nucleus, "13C") ? 15e-6 : 0;
}

/* The finite-pulse run: the program as written when it has finite pulses;
** else every pulse gets its channel's 90-degree length (the channel's rf90,
** else the spec's p90 or the default pair's), filled into v->seq. */
static void finite_options(val *v, nmrc_nmr_options *o)
{
    nmrc_nmr_options_default(o);
    for (size_t e = 0; e < v->seq->n_events; e++)
        if ((v->seq->events[e].kind == NMRC_EV_PULSE || v->seq->events[e].kind == NMRC_EV_SHAPED)
            && v->seq->events[e].duration > 0)
            return;
    int all = 1;
    for (size_t c = 0; c < v->seq->n_channels; c++) {
        nmrc_channel *ch = &v->seq->channels[c];
        if (ch->kind == NMRC_CHAN_RF && !(ch->rf90 > 0))
            ch->rf90 = default_rf90(v, ch->nucleus);
        all &= ch->kind != NMRC_CHAN_RF || ch->rf90 > 0;
    }
    if (all)
        o->pulses = NMRC_NMR_PULSES_FINITE;
    else
        v->runs[1].name = "finite (no p90)";
}

static int run_all(val *v)
{
    nmrc_nmr_options o;
    nmrc_nmr_options_default(&o);
    o.pulses = NMRC_NMR_PULSES_DELTA;
    v->runs[0].name = "delta pulses";
    v->runs[1].name = "finite pulses";
    v->runs[2].name = "+ RF errors, T1/T2";
    if (run_one(v, v->seq_delta, &o, &v->runs[0]))
        return 1;
    finite_options(v, &o);      /* may rename run 1 */
    if (run_one(v, v->seq, &o, &v->runs[1]))
        return 1;
    o.relax = !v->a.no_relax;
    for (size_t c = 0; c < NMRC_SEQ_MAX_CHANNELS; c++)
        o.rf_scale[c] = v->a.rf_scale;
    nmrc_status st = NMRC_OK;
    if (v->a.b1_sigma > 0)
        st = nmrc_nmr_b1_gauss_hermite(v->a.b1_sigma, v->a.b1_nodes, v->ctx, &o.b1);
    if (st)
        return fail(v, "B1 distribution", st);
    return run_one(v, v->seq, &o, &v->runs[2]);
}

/* Average-Hamiltonian analysis of the delta-pulse program (compiler/analyze). */
static void analyze(val *v)
{
    nmrc_pair pair, *pp = NULL;
    if (!(v->seq_delta->nat_kappa != 0)) {
        memset(&pair, 0, sizeof pair);
        const nmrc_nmr_coupling *c = &v->sys.couplings[0];
        pair.kappa = v->sys.n_couplings ? NMRC_PI * c->j_hz / 2 + NMRC_PI * c->dipolar_hz : 0;
        for (int s = 0; s < 2; s++) {
            pair.offset[s] = NMRC_PI * v->sys.spins[s].offset_hz;
            snprintf(pair.nucleus[s], sizeof pair.nucleus[s], "%s", v->sys.spins[s].isotope);
            pair.spin[s] = s;
        }
        pp = &pair;
    }
    if (nmrc_analyze(v->seq_delta, pp, v->ctx, &v->an) != NMRC_OK)
        v->an = NULL;
}

static void val_free(val *v)
{
    nmrc_analysis_destroy(v->an);
    nmrc_metrics_ws_destroy(v->mws);
    nmrc_cmat_destroy(v->V);
    nmrc_cmat_destroy(v->Hb);
    nmrc_cmat_destroy(v->Eb);
    nmrc_cmat_destroy(v->rho0);
    nmrc_cmat_destroy(v->rho_id);
    nmrc_cmat_destroy(v->rho);
    free(v->eb);
    nmrc_seq_destroy(v->seq);
    nmrc_seq_destroy(v->seq_delta);
    nmrc_model_destroy(v->model);
    nmrc_ctx_destroy(v->ctx);
}

int nmrc_cli_validate(int argc, char **argv)
{
    if (nmrc_cli_want_help(argc, argv, nmrc_cli_help_validate))
        return 0;
    val v;
    memset(&v, 0, sizeof v);
    int rc = parse_args(argc, argv, &v.a);
    if (rc)
        return rc;
    if (!(v.ctx = nmrc_ctx_create()))
        return fprintf(stderr, "nmrc validate: out of memory\n"), 1;
    rc = setup(&v) || run_all(&v);
    if (!rc) {
        analyze(&v);
        rc = nmrc_cli_validate_emit(&v);
    }
    val_free(&v);
    return rc ? 1 : 0;
}
