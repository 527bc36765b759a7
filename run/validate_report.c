/*
** validate_report.c: the verdict of a validation and its text report (what
** `nmrc validate` prints): the system and physical settings, cycle closure
** and the average Hamiltonian against the target, the fidelity and battery
** tables, PASS/FAIL.  Rendered into the caller's buffer, snprintf-style.
*/
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "validate_impl.h"

/* Relative mismatch of the analysis' H0 (scaled to the target time) and the
** target (relative to kappa for a zero target); NAN without a target. */
static double h0_mismatch(const nmrc_analysis *an)
{
    if (!an->has_target)
        return NAN;
    double num = 0, den = 0;
    for (int i = 0; i < 9; i++) {
        num += pow(an->eff_T[i] - an->target.T[i], 2);
        den += pow(an->target.T[i], 2);
    }
    for (int i = 0; i < 3; i++) {
        num += pow(an->eff_a[i] - an->target.a[i], 2) + pow(an->eff_b[i] - an->target.b[i], 2);
        den += pow(an->target.a[i], 2) + pow(an->target.b[i], 2);
    }
    if (!(den > 0))                 /* zero target: relative to kappa^2 */
        den = an->kappa * an->kappa;
    return den > 0 ? sqrt(num / den) : sqrt(num);
}

void nmrc_run_validation_verdict_(const nmrc_run_validation *v, nmrc_run_vsummary *out)
{
    const nmrc_analysis *an = v->an;
    double min = v->opt.min_fidelity;
    out->pass = 1;
    for (int r = 0; r < NMRC_RUN_VALIDATE_RUNS; r++)
        out->pass &= v->runs[r].f_process >= min && v->runs[r].f_state >= min;
    out->has_analysis = an != NULL;
    out->h0_mismatch = NAN;
    if (!an)
        return;
    for (size_t c = 0; c < 2 && c < v->seq_delta->n_channels; c++)
        out->open_cycle |= !an->whole.closed[c];
    if (!an->has_target)
        return;
    out->h0_mismatch = h0_mismatch(an);
    /* an open cycle has no average Hamiltonian: its toggling-frame mean only
    ** condemns it when the propagator misses the target too */
    out->wrong_h0 = !(out->h0_mismatch < 1e-3) &&
                    (!out->open_cycle || !(v->runs[0].f_process >= min));
}

/* ---- Report text -------------------------------------------------------------- */

/* An snprintf-style writer: keeps what fits in buf, counts all. */
typedef struct text {
    char *buf;
    size_t size, len;
} text;

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(text *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(t->len < t->size ? t->buf + t->len : NULL,
                      t->len < t->size ? t->size - t->len : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        t->len += (size_t)n;
}

static const char *const AX = "xyz";

static void report_header(const nmrc_run_validation *v, text *t)
{
    put(t, "nmrc validate: %s\n", v->input);
    put(t, "  sequence : %s (%zu events, %zu channels)\n", v->seq->name, v->seq->n_events,
        v->seq->n_channels);
    for (size_t i = 0; i < v->sys.n_spins; i++) {
        const nmrc_nmr_spin *s = &v->sys.spins[i];
        put(t, "  spin %zu   : %-4s offset %g Hz, T1 %g s, T2 %g s\n", i, s->isotope,
            s->offset_hz, s->t1, s->t2);
    }
    for (size_t c = 0; c < v->sys.n_couplings; c++)
        put(t, "  coupling : spins %d-%d  J %g Hz  dipolar %g Hz\n", v->sys.couplings[c].i,
            v->sys.couplings[c].j, v->sys.couplings[c].j_hz, v->sys.couplings[c].dipolar_hz);
    put(t, "  system   : %s\n", v->from_spec ? "from the spec" : "default 13CHCl3 pair");
    put(t, "  target   : exp(-i H t), t = %.6g s%s\n", v->t_target,
        v->seq->has_target ? "" : " (named operation)");
    put(t, "  initial  : %s\n", v->from_spec ? "the spec's initial state" : "|01>");
    put(t, "  physical : RF scale %g, B1 sigma %g", v->opt.rf_scale, v->opt.b1_sigma);
    if (v->opt.b1_sigma > 0)
        put(t, " (%zu Gauss-Hermite nodes)", v->opt.b1_nodes);
    put(t, ", T1/T2 %s\n", v->opt.relax ? "on" : "off");
}

static void report_aht(const nmrc_run_validation *v, const nmrc_run_vsummary *s, text *t)
{
    const nmrc_analysis *an = v->an;
    put(t, "\naverage Hamiltonian (delta pulses, toggling frame, rad/s):\n");
    if (!an) {
        put(t, "  not available: %s\n", v->an_error ? v->an_error : "");
        return;
    }
    for (size_t c = 0; c < 2 && c < v->seq_delta->n_channels; c++) {
        const double *ax = an->whole.net_axis[c];
        if (an->whole.closed[c])
            put(t, "  channel %-4s: cycle closed\n", v->seq_delta->channels[c].name);
        else
            put(t, "  channel %-4s: OPEN CYCLE - net rotation %.1f deg about (%.3f, %.3f, "
                "%.3f): no average Hamiltonian exists\n", v->seq_delta->channels[c].name,
                an->whole.net_angle[c] * 180 / NMRC_PI, ax[0], ax[1], ax[2]);
    }
    if (!an->has_target)
        return;
    put(t, "  H0 bilinear part scaled to the target time   vs target\n");
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (fabs(an->eff_T[3 * a + b]) > 1e-9 || fabs(an->target.T[3 * a + b]) > 1e-9)
                put(t, "    %c%c  %14.6g   %14.6g\n", AX[a], AX[b], an->eff_T[3 * a + b],
                    an->target.T[3 * a + b]);
    for (int a = 0; a < 3; a++)
        if (fabs(an->eff_a[a]) + fabs(an->target.a[a]) + fabs(an->eff_b[a]) +
                fabs(an->target.b[a]) > 1e-9)
            put(t, "    %c1  %14.6g   %14.6g\n    %c2  %14.6g   %14.6g\n", AX[a], an->eff_a[a],
                an->target.a[a], AX[a], an->eff_b[a], an->target.b[a]);
    double mis = s->h0_mismatch;
    put(t, "  relative mismatch |H0 - H_target| / |H_target| = %.3g  %s\n", mis,
        s->wrong_h0 ? "WRONG AVERAGE HAMILTONIAN"
                    : !(mis < 1e-3) ? "(open cycle: the net rotation is part of the target)"
                                    : "(ok)");
}

static void report_runs(const nmrc_run_validation *v, text *t)
{
    put(t, "\nfidelity                 process    average    state      trace dist\n");
    for (int r = 0; r < NMRC_RUN_VALIDATE_RUNS; r++)
        put(t, "  %-20s  %.7f  %.7f  %.7f  %.3e\n", v->runs[r].name, v->runs[r].f_process,
            v->runs[r].f_average, v->runs[r].f_state, v->runs[r].trace_distance);
    put(t, "\nbattery (units: %s)   ideal        delta        finite       physical\n", v->units);
    static const char *const names[] = {"energy", "ergotropy", "anti-ergotropy", "capacity",
                                        "coherence"};
    for (int k = 0; k < 5; k++) {
        const nmrc_battery_figs *f[4] = {&v->figs_id, &v->runs[0].battery, &v->runs[1].battery,
                                         &v->runs[2].battery};
        put(t, "  %-16s", names[k]);
        for (int r = 0; r < 4; r++) {
            double x = k == 0 ? f[r]->energy : k == 1 ? f[r]->ergotropy
                     : k == 2 ? f[r]->antiergotropy : k == 3 ? f[r]->capacity : f[r]->coherence;
            put(t, " %12.6g", x);
        }
        put(t, "\n");
    }
}

size_t nmrc_run_validation_report(const nmrc_run_validation *v, char *buf, size_t size)
{
    text t = {buf, buf ? size : 0, 0};
    nmrc_run_vsummary s;
    int low = 0;
    double min = v->opt.min_fidelity;
    nmrc_run_validation_summary(v, &s);
    if (t.size)
        buf[0] = '\0';
    report_header(v, &t);
    report_aht(v, &s, &t);
    report_runs(v, &t);
    put(&t, "\nverdict: ");
    for (int r = 0; r < NMRC_RUN_VALIDATE_RUNS; r++)
        for (int kind = 0; kind < 2; kind++) {
            double f = kind ? v->runs[r].f_state : v->runs[r].f_process;
            if (f >= min)
                continue;
            put(&t, "%s%s fidelity %.6f < %.6g (%s)", low ? "; " : "FAIL: ",
                kind ? "state" : "process", f, min, v->runs[r].name);
            low = 1;
        }
    if (!low)
        put(&t, "PASS: every process and state fidelity >= %.6g", min);
    if (s.open_cycle)
        put(&t, "; the cycle is open");
    if (s.wrong_h0)
        put(&t, "; the average Hamiltonian is not the target");
    put(&t, "\n");
    return t.len;
}
