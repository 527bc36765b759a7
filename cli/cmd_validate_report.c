/*
** cmd_validate_report.c: the text report of `nmrc validate`: the system and
** physical settings, cycle closure and the average Hamiltonian against the
** target, the fidelity and battery tables, and the PASS/FAIL verdict.
*/
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd_validate.h"
#include "nmrc/consts.h"


/* ---- Report -------------------------------------------------------------------- */

static const char *const AX = "xyz";

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

static void report_header(const val *v, FILE *fp)
{
    fprintf(fp, "nmrc validate: %s\n", v->a.input);
    fprintf(fp, "  sequence : %s (%zu events, %zu channels)\n", v->seq->name, v->seq->n_events,
            v->seq->n_channels);
    for (size_t i = 0; i < v->sys.n_spins; i++) {
        const nmrc_nmr_spin *s = &v->sys.spins[i];
        fprintf(fp, "  spin %zu   : %-4s offset %g Hz, T1 %g s, T2 %g s\n", i, s->isotope,
                s->offset_hz, s->t1, s->t2);
    }
    for (size_t c = 0; c < v->sys.n_couplings; c++)
        fprintf(fp, "  coupling : spins %d-%d  J %g Hz  dipolar %g Hz\n", v->sys.couplings[c].i,
                v->sys.couplings[c].j, v->sys.couplings[c].j_hz,
                v->sys.couplings[c].dipolar_hz);
    fprintf(fp, "  system   : %s\n", v->model ? "from the spec" : "default 13CHCl3 pair");
    fprintf(fp, "  target   : exp(-i H t), t = %.6g s%s\n", v->t_target,
            v->seq->has_target ? "" : " (named operation)");
    fprintf(fp, "  initial  : %s\n", v->model ? "the spec's initial state" : "|01>");
    fprintf(fp, "  physical : RF scale %g, B1 sigma %g", v->a.rf_scale, v->a.b1_sigma);
    if (v->a.b1_sigma > 0)
        fprintf(fp, " (%zu Gauss-Hermite nodes)", v->a.b1_nodes);
    fprintf(fp, ", T1/T2 %s\n", v->a.no_relax ? "off" : "on");
}

static void report_aht(const val *v, FILE *fp, int *open, int *wrong)
{
    const nmrc_analysis *an = v->an;
    fprintf(fp, "\naverage Hamiltonian (delta pulses, toggling frame, rad/s):\n");
    if (!an) {
        fprintf(fp, "  not available: %s\n", nmrc_ctx_errmsg(v->ctx));
        return;
    }
    for (size_t c = 0; c < 2 && c < v->seq_delta->n_channels; c++) {
        const double *ax = an->whole.net_axis[c];
        if (an->whole.closed[c])
            fprintf(fp, "  channel %-4s: cycle closed\n", v->seq_delta->channels[c].name);
        else
            fprintf(fp, "  channel %-4s: OPEN CYCLE - net rotation %.1f deg about (%.3f, %.3f, "
                    "%.3f): no average Hamiltonian exists\n", v->seq_delta->channels[c].name,
                    an->whole.net_angle[c] * 180 / NMRC_PI, ax[0], ax[1], ax[2]);
        *open |= !an->whole.closed[c];
    }
    if (!an->has_target)
        return;
    fprintf(fp, "  H0 bilinear part scaled to the target time   vs target\n");
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++)
            if (fabs(an->eff_T[3 * a + b]) > 1e-9 || fabs(an->target.T[3 * a + b]) > 1e-9)
                fprintf(fp, "    %c%c  %14.6g   %14.6g\n", AX[a], AX[b], an->eff_T[3 * a + b],
                        an->target.T[3 * a + b]);
    for (int a = 0; a < 3; a++)
        if (fabs(an->eff_a[a]) + fabs(an->target.a[a]) + fabs(an->eff_b[a]) +
                fabs(an->target.b[a]) > 1e-9)
            fprintf(fp, "    %c1  %14.6g   %14.6g\n    %c2  %14.6g   %14.6g\n", AX[a],
                    an->eff_a[a], an->target.a[a], AX[a], an->eff_b[a], an->target.b[a]);
    double mis = h0_mismatch(an);
    /* an open cycle has no average Hamiltonian: its toggling-frame mean only
    ** condemns it when the propagator misses the target too */
    *wrong = !(mis < 1e-3) && (!*open || !(v->runs[0].f_pro >= v->a.min_fid));
    fprintf(fp, "  relative mismatch |H0 - H_target| / |H_target| = %.3g  %s\n", mis,
            *wrong ? "WRONG AVERAGE HAMILTONIAN"
                   : !(mis < 1e-3) ? "(open cycle: the net rotation is part of the target)"
                                   : "(ok)");
}

static void report_runs(const val *v, FILE *fp)
{
    fprintf(fp, "\nfidelity                 process    average    state      trace dist\n");
    for (int r = 0; r < 3; r++)
        fprintf(fp, "  %-20s  %.7f  %.7f  %.7f  %.3e\n", v->runs[r].name, v->runs[r].f_pro,
                v->runs[r].f_avg, v->runs[r].f_state, v->runs[r].tdist);
    fprintf(fp, "\nbattery (units: %s)   ideal        delta        finite       physical\n",
            v->units);
    static const char *const names[] = {"energy", "ergotropy", "anti-ergotropy", "capacity",
                                        "coherence"};
    for (int k = 0; k < 5; k++) {
        const nmrc_battery_figs *f[4] = {&v->figs_id, &v->runs[0].figs, &v->runs[1].figs,
                                         &v->runs[2].figs};
        fprintf(fp, "  %-16s", names[k]);
        for (int r = 0; r < 4; r++) {
            double x = k == 0 ? f[r]->energy : k == 1 ? f[r]->ergotropy
                     : k == 2 ? f[r]->antiergotropy : k == 3 ? f[r]->capacity : f[r]->coherence;
            fprintf(fp, " %12.6g", x);
        }
        fputc('\n', fp);
    }
}

/* Writes the whole report to fp; returns nonzero when validation fails. */
static int report(const val *v, FILE *fp)
{
    int open = 0, wrong = 0, low = 0;
    report_header(v, fp);
    report_aht(v, fp, &open, &wrong);
    report_runs(v, fp);
    fprintf(fp, "\nverdict: ");
    for (int r = 0; r < 3; r++)
        for (int kind = 0; kind < 2; kind++) {
            double f = kind ? v->runs[r].f_state : v->runs[r].f_pro;
            if (f >= v->a.min_fid)
                continue;
            fprintf(fp, "%s%s fidelity %.6f < %.6g (%s)", low ? "; " : "FAIL: ",
                    kind ? "state" : "process", f, v->a.min_fid, v->runs[r].name);
            low = 1;
        }
    if (!low)
        fprintf(fp, "PASS: every process and state fidelity >= %.6g", v->a.min_fid);
    if (open)
        fprintf(fp, "; the cycle is open");
    if (wrong)
        fprintf(fp, "; the average Hamiltonian is not the target");
    fputc('\n', fp);
    return low;
}

int nmrc_cli_validate_emit(const val *v)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return fprintf(stderr, "nmrc validate: out of memory\n"), 1;
    int low = report(v, mem);
    fclose(mem);
    fputs(buf, stdout);
    int rc = low;
    if (v->a.report) {
        nmrc_cli_out out;
        if (nmrc_cli_out_open(&out, v->a.report)) {
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
