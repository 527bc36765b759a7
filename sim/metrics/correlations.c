/*
** correlations.c: two-qubit correlation measures of a 4 x 4 state (A = left
** factor): mutual information (Eq. C1), Wootters concurrence (Eq. D1) and
** quantum discord with a projective measurement on A (Eqs. C2-C5),
** minimized over the whole Bloch sphere by a grid search refined with
** Nelder-Mead.
*/
#include <complex.h>
#include <lapacke.h>
#include <math.h>

#include "metrics_impl.h"
#include "nmrc/consts.h"

/* ---- Pauli (Bloch) representation ----------------------------------------- */

/* rho = (1/4)(1 + a.s x 1 + 1 x b.s + sum_ij T_ij s_i x s_j). */
typedef struct bloch2 {
    double a[3], b[3], T[3][3];
} bloch2;

/* Pauli matrices X, Y, Z (row-major 2 x 2) and the identity. */
static const nmrc_cplx pauli[4][2][2] = {
    {{1, 0}, {0, 1}},
    {{0, 1}, {1, 0}},
    {{0, -I}, {I, 0}},
    {{1, 0}, {0, -1}},
};

/* Returns Re Tr[rho (P_mu x P_nu)] for mu, nu in 0..3 (0 = identity). */
static double pauli_expect(const nmrc_cmat *rho, int mu, int nu)
{
    nmrc_cplx s = 0;
    for (int r = 0; r < 4; r++)
        for (int c = 0; c < 4; c++) {
            nmrc_cplx op = pauli[mu][c >> 1][r >> 1] * pauli[nu][c & 1][r & 1];
            if (op != 0)
                s += NMRC_CMAT_AT(rho, r, c) * op;
        }
    return creal(s);
}

static void to_bloch(const nmrc_cmat *rho, bloch2 *q)
{
    for (int i = 0; i < 3; i++) {
        q->a[i] = pauli_expect(rho, i + 1, 0);
        q->b[i] = pauli_expect(rho, 0, i + 1);
        for (int j = 0; j < 3; j++)
            q->T[i][j] = pauli_expect(rho, i + 1, j + 1);
    }
}

static double norm3(const double v[3]) { return sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

/* Checks a 4 x 4 state and a workspace. */
static NMRC_NODISCARD nmrc_status check4(const nmrc_cmat *rho, const nmrc_metrics_ws *ws)
{
    if (!ws)
        return NMRC_EBADLEN;
    return nmrc_mx_check_state(rho, 4);
}

/* S(A), S(B) (bits, from the Bloch vectors) and S(AB) (bits). */
static NMRC_NODISCARD nmrc_status entropies(const nmrc_cmat *rho, const bloch2 *q, double s[3],
                             nmrc_metrics_ws *ws)
{
    nmrc_status st = nmrc_mx_eigvals(rho, 0, ws->w[0], ws);
    if (st)
        return st;
    s[0] = nmrc_mx_qubit_entropy_bits(norm3(q->a));
    s[1] = nmrc_mx_qubit_entropy_bits(norm3(q->b));
    s[2] = nmrc_mx_entropy_nats(ws->w[0], 4) / log(2.0);
    return NMRC_OK;
}

nmrc_status nmrc_metrics_mutual_info(nmrc_metrics_ws *ws, const nmrc_cmat *rho4, double *out)
{
    bloch2 q;
    double s[3];
    nmrc_status st = check4(rho4, ws);
    if (st)
        return st;
    to_bloch(rho4, &q);
    st = entropies(rho4, &q, s, ws);
    if (!st)
        *out = s[0] + s[1] - s[2];
    return st;
}

/* ---- Concurrence ---------------------------------------------------------- */

nmrc_status nmrc_metrics_concurrence(nmrc_metrics_ws *ws, const nmrc_cmat *rho4, double *out)
{
    /* Y x Y in the basis |00>,|01>,|10>,|11>: -1 at (0,3),(3,0), +1 at (1,2),(2,1). */
    static const double yy[4] = {-1, 1, 1, -1}; /* yy[i] = (Y x Y)_{i, 3-i} */
    nmrc_cplx tau[16], work[64];
    double lam[4], rwork[20], c, floor;
    nmrc_cmat W;
    nmrc_status st = check4(rho4, ws);
    if (st)
        return st;
    W = nmrc_mx_copy_to_buf(ws, 0, rho4);
    st = nmrc_eigh(&W, ws->w[0], nmrc_mx_eig_for(ws, 4));
    if (st)
        return st;
    floor = nmrc_mx_eig_floor(ws->w[0], 4);
    for (int k = 0; k < 4; k++) { /* W = V diag(sqrt(lambda)), rho = W W^+ */
        double sl = ws->w[0][k] > floor ? sqrt(ws->w[0][k]) : 0;
        for (int i = 0; i < 4; i++)
            NMRC_CMAT_AT(&W, i, k) *= sl;
    }
    for (int l = 0; l < 4; l++) /* tau = W^T (Y x Y) W, complex symmetric */
        for (int k = 0; k < 4; k++) {
            nmrc_cplx s = 0;
            for (int i = 0; i < 4; i++)
                s += NMRC_CMAT_AT(&W, i, k) * yy[i] * NMRC_CMAT_AT(&W, 3 - i, l);
            tau[k + 4 * l] = s;
        }
    if (LAPACKE_zgesvd_work(LAPACK_COL_MAJOR, 'N', 'N', 4, 4, tau, 4, lam, NULL, 1, NULL, 1, work,
                            64, rwork) != 0)
        return NMRC_ELAPACK;
    c = lam[0] - lam[1] - lam[2] - lam[3]; /* singular values come in descending order */
    *out = c > 0 ? c : 0;
    return NMRC_OK;
}

/* ---- Discord ---------------------------------------------------------------- */

#define GRID_NTH 15   /* polar angles 0 .. pi/2 (hemisphere: n and -n are one measurement) */
#define GRID_NPH 24   /* azimuths 0 .. 2 pi */
#define N_SEEDS 4     /* Nelder-Mead starts */
#define SEED_COS 0.94 /* seeds must differ by > ~20 degrees (|n1.n2| below this) */
#define NM_STEP 0.12  /* initial simplex size, rad (about one grid step) */
#define NM_MAXIT 500

static void axis(double th, double ph, double n[3])
{
    n[0] = sin(th) * cos(ph);
    n[1] = sin(th) * sin(ph);
    n[2] = cos(th);
}

/* Conditional entropy sum_{s=+-1} p_s S(rho_B|s) in bits after measuring A
** along the unit vector n: p_s = (1 + s a.n)/2, Bloch vector of B
** (b + s T^T n)/(1 + s a.n). */
static double cond_entropy(const bloch2 *q, const double n[3])
{
    double an = q->a[0] * n[0] + q->a[1] * n[1] + q->a[2] * n[2], f = 0;
    for (int s = -1; s <= 1; s += 2) {
        double den = 1 + s * an, v[3];
        if (den <= 1e-300)
            continue;
        for (int j = 0; j < 3; j++)
            v[j] = q->b[j] + s * (q->T[0][j] * n[0] + q->T[1][j] * n[1] + q->T[2][j] * n[2]);
        f += 0.5 * den * nmrc_mx_qubit_entropy_bits(norm3(v) / den);
    }
    return f;
}

/* A local chart around the seed axis n0: x = (u, v) -> normalize(n0 + u e1 + v e2). */
typedef struct chart {
    double n0[3], e1[3], e2[3];
} chart;

static void chart_make(chart *c, const double n0[3])
{
    double t[3] = {1, 0, 0}, dot, nrm;
    if (fabs(n0[0]) > 0.8) {
        t[0] = 0;
        t[1] = 1;
    }
    dot = t[0] * n0[0] + t[1] * n0[1] + t[2] * n0[2];
    for (int i = 0; i < 3; i++) {
        c->n0[i] = n0[i];
        c->e1[i] = t[i] - dot * n0[i];
    }
    nrm = norm3(c->e1);
    for (int i = 0; i < 3; i++)
        c->e1[i] /= nrm;
    c->e2[0] = n0[1] * c->e1[2] - n0[2] * c->e1[1];
    c->e2[1] = n0[2] * c->e1[0] - n0[0] * c->e1[2];
    c->e2[2] = n0[0] * c->e1[1] - n0[1] * c->e1[0];
}

static void chart_axis(const chart *c, const double x[2], double n[3])
{
    double nrm;
    for (int i = 0; i < 3; i++)
        n[i] = c->n0[i] + x[0] * c->e1[i] + x[1] * c->e2[i];
    nrm = norm3(n);
    for (int i = 0; i < 3; i++)
        n[i] /= nrm;
}

static double chart_eval(const bloch2 *q, const chart *c, const double x[2], int *nev)
{
    double n[3];
    chart_axis(c, x, n);
    (*nev)++;
    return cond_entropy(q, n);
}

/* Puts the simplex vertex with the lowest value first and the highest last. */
static void nm_order(double x[3][2], double f[3])
{
    for (int i = 1; i < 3; i++)
        for (int j = i; j > 0 && f[j] < f[j - 1]; j--) {
            double tf = f[j], t0 = x[j][0], t1 = x[j][1];
            f[j] = f[j - 1];
            x[j][0] = x[j - 1][0];
            x[j][1] = x[j - 1][1];
            f[j - 1] = tf;
            x[j - 1][0] = t0;
            x[j - 1][1] = t1;
        }
}

static double nm_size(double x[3][2])
{
    double s = 0;
    for (int i = 1; i < 3; i++)
        s = fmax(s, fabs(x[i][0] - x[0][0]) + fabs(x[i][1] - x[0][1]));
    return s;
}

/* Point c + t (x_worst - c), c = centroid of the two best vertices. */
static void nm_point(double x[3][2], double t, double out[2])
{
    for (int k = 0; k < 2; k++) {
        double c = 0.5 * (x[0][k] + x[1][k]);
        out[k] = c + t * (x[2][k] - c);
    }
}

/* Replaces the worst vertex by (xn, fn). */
static void nm_replace_worst(double x[3][2], double f[3], const double xn[2], double fn)
{
    x[2][0] = xn[0];
    x[2][1] = xn[1];
    f[2] = fn;
}

/* One Nelder-Mead step (reflect, expand, contract or shrink). */
static void nm_step(const bloch2 *q, const chart *c, double x[3][2], double f[3], int *nev)
{
    double xr[2], xe[2], xc[2], fr, fe, fc;
    nm_point(x, -1.0, xr);
    fr = chart_eval(q, c, xr, nev);
    if (fr < f[0]) {
        nm_point(x, -2.0, xe);
        fe = chart_eval(q, c, xe, nev);
        if (fe < fr)
            nm_replace_worst(x, f, xe, fe);
        else
            nm_replace_worst(x, f, xr, fr);
        return;
    }
    if (fr < f[1]) {
        nm_replace_worst(x, f, xr, fr);
        return;
    }
    nm_point(x, fr < f[2] ? -0.5 : 0.5, xc);
    fc = chart_eval(q, c, xc, nev);
    if (fc < fmin(fr, f[2])) {
        nm_replace_worst(x, f, xc, fc);
        return;
    }
    for (int i = 1; i < 3; i++) { /* shrink towards the best vertex */
        x[i][0] = 0.5 * (x[i][0] + x[0][0]);
        x[i][1] = 0.5 * (x[i][1] + x[0][1]);
        f[i] = chart_eval(q, c, x[i], nev);
    }
}

/* Minimizes the conditional entropy from seed axis n0; returns the minimum
** and writes its axis into nbest. */
static double nelder_mead(const bloch2 *q, const double n0[3], double nbest[3], int *nev)
{
    chart c;
    double x[3][2] = {{0, 0}, {NM_STEP, 0}, {0, NM_STEP}}, f[3];
    chart_make(&c, n0);
    for (int i = 0; i < 3; i++)
        f[i] = chart_eval(q, &c, x[i], nev);
    for (int it = 0; it < NM_MAXIT; it++) {
        double size;
        nm_order(x, f);
        size = nm_size(x);
        if (size <= 1e-10 || (size <= 1e-6 && f[2] - f[0] <= 1e-15 * fmax(1.0, f[0])))
            break;
        nm_step(q, &c, x, f, nev);
    }
    nm_order(x, f);
    chart_axis(&c, x[0], nbest);
    return f[0];
}

/* Grid values over the hemisphere; returns the number of points. */
static int grid_scan(const bloch2 *q, double vals[], double axes[][3], int *nev)
{
    int m = 0;
    for (int i = 0; i < GRID_NTH; i++) {
        double th = 0.5 * NMRC_PI * i / (GRID_NTH - 1);
        for (int j = 0; j < (i == 0 ? 1 : GRID_NPH); j++) {
            axis(th, 2 * NMRC_PI * j / GRID_NPH, axes[m]);
            vals[m] = cond_entropy(q, axes[m]);
            (*nev)++;
            m++;
        }
    }
    return m;
}

/* Picks up to N_SEEDS grid points in increasing value, pairwise separated. */
static int pick_seeds(const double vals[], double axes[][3], int m, int seeds[])
{
    int ns = 0;
    for (int pass = 0; pass < N_SEEDS; pass++) {
        int best = -1;
        for (int k = 0; k < m; k++) {
            int ok = 1;
            for (int s = 0; s < ns && ok; s++) {
                const double *u = axes[seeds[s]];
                double dot = u[0] * axes[k][0] + u[1] * axes[k][1] + u[2] * axes[k][2];
                ok = fabs(dot) < SEED_COS;
            }
            if (ok && (best < 0 || vals[k] < vals[best]))
                best = k;
        }
        if (best < 0)
            break;
        seeds[ns++] = best;
    }
    return ns;
}

/* Minimum conditional entropy over all axes; writes the axis as angles. */
static double min_cond_entropy(const bloch2 *q, nmrc_discord_result *r)
{
    double vals[1 + (GRID_NTH - 1) * GRID_NPH], axes[1 + (GRID_NTH - 1) * GRID_NPH][3];
    double best[3], fbest;
    int seeds[N_SEEDS], nev = 0, m = grid_scan(q, vals, axes, &nev);
    int ns = pick_seeds(vals, axes, m, seeds);
    fbest = vals[seeds[0]];
    for (int i = 0; i < 3; i++)
        best[i] = axes[seeds[0]][i];
    for (int s = 0; s < ns; s++) {
        double n[3], f = nelder_mead(q, axes[seeds[s]], n, &nev);
        if (f < fbest) {
            fbest = f;
            best[0] = n[0], best[1] = n[1], best[2] = n[2];
        }
    }
    if (best[2] < 0) /* report the representative in the upper hemisphere */
        best[0] = -best[0], best[1] = -best[1], best[2] = -best[2];
    r->theta = acos(fmin(1.0, best[2]));
    r->phi = atan2(best[1], best[0]);
    r->n_evals = nev;
    return fbest;
}

nmrc_status nmrc_metrics_discord_full(nmrc_metrics_ws *ws, const nmrc_cmat *rho4,
                                      nmrc_discord_result *out)
{
    bloch2 q;
    double s[3], d;
    nmrc_status st = check4(rho4, ws);
    if (st)
        return st;
    to_bloch(rho4, &q);
    st = entropies(rho4, &q, s, ws);
    if (st)
        return st;
    out->cond_entropy = min_cond_entropy(&q, out);
    out->mutual_info = s[0] + s[1] - s[2];
    out->classical = s[1] - out->cond_entropy;
    d = out->mutual_info - out->classical;
    out->discord = (d < 0 && d > -1e-12) ? 0 : d; /* rounding of a zero discord */
    return NMRC_OK;
}

nmrc_status nmrc_metrics_discord(nmrc_metrics_ws *ws, const nmrc_cmat *rho4, double *out)
{
    nmrc_discord_result r;
    nmrc_status st = nmrc_metrics_discord_full(ws, rho4, &r);
    if (!st)
        *out = r.discord;
    return st;
}
