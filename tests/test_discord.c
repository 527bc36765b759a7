/*
** test_discord.c: quantum discord with measurement on A against closed
** forms (Bell, Werner: Ollivier-Zurek; Bell-diagonal: Luo 2008; pure states:
** the entanglement entropy), zero-discord classical-quantum states with a
** tilted measurement basis, and random non-X states against an independent
** brute-force scan of the whole Bloch sphere.
*/
#include "nmrc_test.h"
#include "metrics_test_util.h"

static double xlog2x(double x) { return x > 0 ? x * log2(x) : 0; }

/* Entropy in bits of a 2 x 2 Hermitian PSD matrix m divided by its trace. */
static double s2_bits(const nmrc_cplx m[4])
{
    double tr = creal(m[0] + m[3]), df = creal(m[0] - m[3]), r;
    if (tr <= 0)
        return 0;
    r = sqrt(df * df + 4 * creal(m[2] * conj(m[2]))) / tr;
    r = fmin(r, 1);
    return -xlog2x(0.5 * (1 + r)) - xlog2x(0.5 * (1 - r));
}

/* Independent conditional entropy sum_k p_k S(rho_B|k), bits, for the
** projectors |n_k><n_k| on A: |n_+> = (cos th/2, e^{i ph} sin th/2),
** |n_-> orthogonal; rho_B|k = <n_k|_A rho |n_k>_A / p_k. */
static double brute_cond(const nmrc_cmat *rho, double th, double ph)
{
    nmrc_cplx n[2][2] = {{cos(th / 2), cexp(I * ph) * sin(th / 2)},
                         {-cexp(-I * ph) * sin(th / 2), cos(th / 2)}};
    double f = 0;
    for (int k = 0; k < 2; k++) {
        nmrc_cplx m[4] = {0}; /* column-major 2 x 2 */
        for (int b = 0; b < 2; b++)
            for (int bp = 0; bp < 2; bp++)
                for (int a = 0; a < 2; a++)
                    for (int ap = 0; ap < 2; ap++)
                        m[b + 2 * bp] += conj(n[k][a]) * AT(rho, 2 * a + b, 2 * ap + bp) * n[k][ap];
        f += creal(m[0] + m[3]) * s2_bits(m);
    }
    return f;
}

/* brute_cond at the axis n (unit 3-vector). */
static double brute_cond_axis(const nmrc_cmat *rho, const double n[3])
{
    return brute_cond(rho, acos(fmax(-1, fmin(1, n[2]))), atan2(n[1], n[0]));
}

/* Brute-force minimum over the sphere: a 240 x 480 scan of the upper
** hemisphere, then 12 zooms of a 21 x 21 grid in the tangent plane at the
** best axis (no pole singularity), the step shrinking 4x per zoom. */
static double brute_min(const nmrc_cmat *rho)
{
    double best = INFINITY, n0[3] = {0, 0, 1}, step = 0.5 * NMRC_PI / 240;
    for (int i = 0; i <= 240; i++)
        for (int j = 0; j < 480; j++) {
            double th = 0.5 * NMRC_PI * i / 240, ph = 2 * NMRC_PI * j / 480, f = brute_cond(rho, th, ph);
            if (f < best) {
                best = f;
                n0[0] = sin(th) * cos(ph), n0[1] = sin(th) * sin(ph), n0[2] = cos(th);
            }
        }
    for (int z = 0; z < 12; z++) {
        double e1[3], e2[3], c[3] = {n0[0], n0[1], n0[2]}, t[3] = {1, 0, 0}, dot, nr;
        if (fabs(c[0]) > 0.8)
            t[0] = 0, t[1] = 1;
        dot = t[0] * c[0] + t[1] * c[1] + t[2] * c[2];
        for (int k = 0; k < 3; k++)
            e1[k] = t[k] - dot * c[k];
        nr = sqrt(e1[0] * e1[0] + e1[1] * e1[1] + e1[2] * e1[2]);
        for (int k = 0; k < 3; k++)
            e1[k] /= nr;
        e2[0] = c[1] * e1[2] - c[2] * e1[1];
        e2[1] = c[2] * e1[0] - c[0] * e1[2];
        e2[2] = c[0] * e1[1] - c[1] * e1[0];
        for (int i = -10; i <= 10; i++)
            for (int j = -10; j <= 10; j++) {
                double n[3], f;
                for (int k = 0; k < 3; k++)
                    n[k] = c[k] + step * (i * e1[k] + j * e2[k]) / 5;
                nr = sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
                for (int k = 0; k < 3; k++)
                    n[k] /= nr;
                f = brute_cond_axis(rho, n);
                if (f < best)
                    best = f, n0[0] = n[0], n0[1] = n[1], n0[2] = n[2];
            }
        step /= 4;
    }
    return best;
}

/* Entropy of a 4 x 4 state in bits (for closed forms). */
static double s4_bits(const nmrc_cmat *rho)
{
    nmrc_eigh_ws *e = nmrc_eigh_ws_create(4);
    nmrc_cmat *c = mat(4);
    double w[4], s = 0;
    assert_int_equal(nmrc_cmat_copy(c, rho), NMRC_OK);
    assert_int_equal(nmrc_eigvalsh(c, w, e), NMRC_OK);
    for (int k = 0; k < 4; k++)
        s -= xlog2x(fmax(w[k], 0));
    nmrc_cmat_destroy(c);
    nmrc_eigh_ws_destroy(e);
    return s;
}

/* ---- Closed forms ------------------------------------------------------------- */

static void test_bell(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4);
    nmrc_cplx v[4];
    nmrc_discord_result r;
    double d;
    (void)state;
    for (int k = 0; k < 4; k++) {
        bell(k, v);
        projector(rho, v);
        assert_int_equal(nmrc_metrics_discord_full(ws, rho, &r), NMRC_OK);
        assert_close(r.discord, 1, 1e-12, 0); /* one bit */
        assert_close(r.mutual_info, 2, 1e-12, 0);
        assert_close(r.classical, 1, 1e-12, 0);
        assert_int_equal(nmrc_metrics_discord(ws, rho, &d), NMRC_OK);
        assert_true(d == r.discord);
    }
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* Werner p |psi-><psi-| + (1-p) 1/4 (Ollivier-Zurek 2001):
** D = (1-p)/4 log2(1-p) - (1+p)/2 log2(1+p) + (1+3p)/4 log2(1+3p). */
static void test_werner(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4);
    double d;
    (void)state;
    for (int i = 0; i <= 20; i++) {
        double p = i / 20.0;
        double ref = 0.25 * xlog2x(1 - p) - 0.5 * xlog2x(1 + p) + 0.25 * xlog2x(1 + 3 * p);
        werner(p, rho);
        assert_int_equal(nmrc_metrics_discord(ws, rho, &d), NMRC_OK);
        assert_close(d, ref, 1e-11, 1e-13);
    }
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* Bell-diagonal rho = (1 + sum c_i s_i s_i)/4 (Luo, PRA 77, 042303 (2008)):
** D = sum_k l_k log2(4 l_k) - [(1-c)/2 log2(1-c) + (1+c)/2 log2(1+c)],
** c = max |c_i|, l_k the eigenvalues. */
static void test_bell_diagonal(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4);
    double d;
    (void)state;
    for (int trial = 0; trial < 30; trial++) {
        double l[4], sum = 0, c1, c2, c3, c, ref = 0;
        nmrc_cplx v[4];
        for (int k = 0; k < 4; k++)
            sum += l[k] = urand() + (k == trial % 4 ? 1.0 : 0.0);
        nmrc_cmat_zero(rho);
        for (int k = 0; k < 4; k++) {
            l[k] /= sum;
            ref += l[k] * log2(4 * l[k]);
            bell(k, v);
            for (int i = 0; i < 4; i++)
                for (int j = 0; j < 4; j++)
                    AT(rho, i, j) += l[k] * v[i] * conj(v[j]);
        }
        /* phi+: (1,-1,1), phi-: (-1,1,1), psi+: (1,1,-1), psi-: (-1,-1,-1) */
        c1 = l[0] - l[1] + l[2] - l[3];
        c2 = -l[0] + l[1] + l[2] - l[3];
        c3 = l[0] + l[1] - l[2] - l[3];
        c = fmax(fabs(c1), fmax(fabs(c2), fabs(c3)));
        ref -= 0.5 * xlog2x(1 - c) + 0.5 * xlog2x(1 + c);
        assert_int_equal(nmrc_metrics_discord(ws, rho, &d), NMRC_OK);
        assert_close(d, ref, 1e-10, 1e-12);
    }
    nmrc_cmat_destroy(rho);
    nmrc_metrics_ws_destroy(ws);
}

/* Pure states: D = S(rho_A) (bits), for generic (non-X) pure states; and
** products of mixed qubits have D = 0. */
static void test_pure_and_product(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *qa = mat(2), *qb = mat(2);
    nmrc_cplx v[4];
    double d;
    (void)state;
    for (int trial = 0; trial < 20; trial++) {
        nmrc_cplx m[4];
        random_vec(v, 4);
        projector(rho, v);
        assert_int_equal(nmrc_metrics_partial_trace(rho, 2, 1u, qa), NMRC_OK);
        memcpy(m, qa->data, sizeof m);
        assert_int_equal(nmrc_metrics_discord(ws, rho, &d), NMRC_OK);
        assert_close(d, s2_bits(m), 1e-10, 1e-12);
        random_state(qa, 1 + trial % 2);
        random_state(qb, 2);
        assert_int_equal(nmrc_cmat_kron(rho, qa, qb), NMRC_OK);
        assert_int_equal(nmrc_metrics_discord(ws, rho, &d), NMRC_OK);
        assert_close(d, 0, 0, 1e-12);
    }
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(qa);
    nmrc_cmat_destroy(qb);
    nmrc_metrics_ws_destroy(ws);
}

/* rho = p |n><n| (x) s1 + (1-p) |n_perp><n_perp| (x) s2 with non-commuting
** s1, s2 and a tilted axis n: classical on A, so D = 0 at the axis n only
** (an X-state or z/x-only search gives D > 0).  The same state with the
** factors swapped is classical on B: measuring A then disturbs, D > 0. */
static void test_classical_quantum(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *sw = mat(4), *s1 = mat(2), *s2 = mat(2), *pa = mat(2),
              *pb = mat(2), *t = mat(4);
    nmrc_discord_result r;
    (void)state;
    for (int trial = 0; trial < 10; trial++) {
        double th = 0.2 + 2.7 * urand(), ph = 2 * NMRC_PI * urand(), p = 0.2 + 0.6 * urand();
        nmrc_cplx np[2] = {cos(th / 2), cexp(I * ph) * sin(th / 2)};
        nmrc_cplx nm[2] = {-cexp(-I * ph) * sin(th / 2), cos(th / 2)};
        double dot, ax[3];
        random_state(s1, 1 + trial % 2);
        random_state(s2, 2);
        projector(pa, np);
        projector(pb, nm);
        nmrc_cmat_scale(pa, p);
        nmrc_cmat_scale(pb, 1 - p);
        assert_int_equal(nmrc_cmat_kron(rho, pa, s1), NMRC_OK);
        assert_int_equal(nmrc_cmat_kron(t, pb, s2), NMRC_OK);
        assert_int_equal(nmrc_cmat_axpy(rho, 1.0, t), NMRC_OK);
        assert_int_equal(nmrc_metrics_discord_full(ws, rho, &r), NMRC_OK);
        assert_close(r.discord, 0, 0, 1e-10);
        ax[0] = sin(r.theta) * cos(r.phi), ax[1] = sin(r.theta) * sin(r.phi);
        ax[2] = cos(r.theta);
        dot = ax[0] * sin(th) * cos(ph) + ax[1] * sin(th) * sin(ph) + ax[2] * cos(th);
        assert_close(fabs(dot), 1, 1e-4, 0);
        /* swap the factors: rho'[(b,a),(b',a')] = rho[(a,b),(a',b')] */
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++)
                AT(sw, ((i & 1) << 1) | (i >> 1), ((j & 1) << 1) | (j >> 1)) = AT(rho, i, j);
        assert_int_equal(nmrc_metrics_discord_full(ws, sw, &r), NMRC_OK);
        assert_true(r.discord > 1e-4);
        assert_close(r.cond_entropy, brute_min(sw), 1e-10, 1e-12);
    }
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(sw);
    nmrc_cmat_destroy(s1);
    nmrc_cmat_destroy(s2);
    nmrc_cmat_destroy(pa);
    nmrc_cmat_destroy(pb);
    nmrc_cmat_destroy(t);
    nmrc_metrics_ws_destroy(ws);
}

/* Random full-rank and low-rank states (no X structure): the optimizer's
** minimum equals the brute-force minimum, is never above it, and its
** reported axis reproduces it in the independent formula. */
static void test_random_vs_brute(void **state)
{
    nmrc_metrics_ws *ws = nmrc_metrics_ws_create(2);
    nmrc_cmat *rho = mat(4), *q = mat(2);
    nmrc_discord_result r;
    double worst = 0;
    (void)state;
    for (int trial = 0; trial < 24; trial++) {
        double b, sa, sb;
        nmrc_cplx m[4];
        random_state(rho, 1 + trial % 4);
        assert_int_equal(nmrc_metrics_discord_full(ws, rho, &r), NMRC_OK);
        b = brute_min(rho);
        assert_true(r.cond_entropy <= b + 1e-12);
        assert_close(r.cond_entropy, b, 1e-10, 1e-12);
        worst = fmax(worst, fabs(b - r.cond_entropy));
        assert_close(brute_cond(rho, r.theta, r.phi), r.cond_entropy, 1e-12, 1e-14);
        assert_int_equal(nmrc_metrics_partial_trace(rho, 2, 1u, q), NMRC_OK);
        memcpy(m, q->data, sizeof m);
        sa = s2_bits(m);
        assert_int_equal(nmrc_metrics_partial_trace(rho, 2, 2u, q), NMRC_OK);
        memcpy(m, q->data, sizeof m);
        sb = s2_bits(m);
        assert_close(r.mutual_info, sa + sb - s4_bits(rho), 1e-12, 1e-13);
        assert_close(r.classical, sb - b, 1e-10, 1e-12);
        assert_true(r.discord >= 0);
        assert_close(r.classical + r.discord, r.mutual_info, 1e-13, 1e-14);
        assert_true(r.n_evals < 2000);
    }
    print_message("discord: |optimizer - brute-force minimum| <= %.2e bits\n", worst);
    nmrc_cmat_destroy(rho);
    nmrc_cmat_destroy(q);
    nmrc_metrics_ws_destroy(ws);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bell),
        cmocka_unit_test(test_werner),
        cmocka_unit_test(test_bell_diagonal),
        cmocka_unit_test(test_pure_and_product),
        cmocka_unit_test(test_classical_quantum),
        cmocka_unit_test(test_random_vs_brute),
    };
    rng_state = 0x2545F4914F6CDD1Dull;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
