/*
** seq_library.c: the built-in sequence library (the files sequences/NAME.xml are written
** from these builders by sequences/gen_library.c, and nmrc_library_load
** falls back to them, e.g. for udd<n> with any n).  Every sequence runs on
** a 1H-13C pair (13CHCl3, J = 215 Hz) and records the target it realizes.
** Physics: docs/compiler.md, docs/sequences.md and docs/nmr-model.md (gradients).
*/
#include "nmrc/library.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/defs.h"

#define J_CH 215.0                      /* Hz, 13CHCl3 */
#define KAPPA (NMRC_PI * J_CH / 2.0)         /* rad/s: H_nat = kappa Z(x)Z */
#define RF90_H 10e-6                    /* s */
#define RF90_C 15e-6
#define TAU 500e-6                      /* s, delay unit of the cycles */
#define X 0.0
#define Y (NMRC_PI / 2)
#define MX NMRC_PI
#define MY (3 * NMRC_PI / 2)

/* ---- Builders ------------------------------------------------------------ */

typedef struct lib {
    nmrc_seq *seq;
    int h, c;               /* channel indices of 1H and 13C */
    nmrc_status st;         /* first failure (sticky) */
} lib;

/* Sets TopSpin parameter `name` of the sequence being built (sticky status). */
static void lib_param(lib *L, const char *name, double value, const char *unit,
                      const char *comment)
{
    if (L->st == NMRC_OK)
        L->st = nmrc_seq_set_param(L->seq, name, value, unit, comment);
}

static void lib_start(lib *L, const char *name, const char *description)
{
    L->st = NMRC_OK;
    L->seq = nmrc_seq_create(name);
    if (!L->seq) {
        L->st = NMRC_ENOMEM;
        return;
    }
    snprintf(L->seq->description, sizeof L->seq->description, "%s", description);
    L->st = nmrc_seq_rf_channel(L->seq, "1H", RF90_H, &L->h);
    if (L->st == NMRC_OK)
        L->st = nmrc_seq_rf_channel(L->seq, "13C", RF90_C, &L->c);
    L->seq->nat_kappa = KAPPA;
    lib_param(L, "P1", RF90_H * 1e6, "us", "f1 channel - 90 degree high power pulse");
    lib_param(L, "P3", RF90_C * 1e6, "us", "f2 channel - 90 degree high power pulse");
}

static void append(lib *L, const nmrc_event *e)
{
    if (L->st == NMRC_OK)
        L->st = nmrc_seq_append(L->seq, e);
}

/* Delta pulses: theta_h phi_h on 1H and theta_c phi_c on 13C at once (an
** angle of 0 leaves that channel out). */
static void pulse2(lib *L, double th, double ph, double tc, double pc)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    if (th != 0)
        e.pulse[e.n_pulse++] = (nmrc_pulse){L->h, th, ph, -1, 0};
    if (tc != 0)
        e.pulse[e.n_pulse++] = (nmrc_pulse){L->c, tc, pc, -1, 0};
    append(L, &e);
}

static void pulse_h(lib *L, double theta, double phase)
{
    pulse2(L, theta, phase, 0, 0);
}

/* A finite rectangular 1H pulse at amplitude 1/(4 rf90). */
static void finite_h(lib *L, double theta, double phase)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_PULSE);
    double amp = 1.0 / (4.0 * RF90_H);
    e.n_pulse = 1;
    e.pulse[0] = (nmrc_pulse){L->h, theta, phase, -1, amp};
    e.duration = theta / (2 * NMRC_PI * amp);
    append(L, &e);
}

static void delay(lib *L, double tau, const char *param)
{
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_DELAY);
    e.duration = tau;
    snprintf(e.param, sizeof e.param, "%s", param);
    append(L, &e);
}

static void loop(lib *L, size_t count, const char *param)
{
    nmrc_event e = nmrc_seq_event_init(count ? NMRC_EV_LOOP_BEGIN : NMRC_EV_LOOP_END);
    e.count = count;
    snprintf(e.param, sizeof e.param, "%s", param);
    append(L, &e);
}

/* Target H = sum T_ab s_a s_b + a.s(x)1 (rad/s) for `time` s. */
static void target(lib *L, const double T[9], const double a[3], double time)
{
    nmrc_seq *s = L->seq;
    s->has_target = 1;
    s->target_spins = 2;
    s->target_time = time;
    for (int i = 0; i < 9; i++)
        s->target_tensor[i] = T ? T[i] : 0;
    for (int i = 0; i < 3; i++)
        s->target_field[0][i] = a ? a[i] : 0;
}

/* Target: the rotation theta about (cos phi, sin phi, 0) on 1H in `time`. */
static void target_rotation(lib *L, double theta, double phi, double time)
{
    double a[3] = {theta / (2 * time) * cos(phi), theta / (2 * time) * sin(phi), 0};
    target(L, NULL, a, time);
}

/* ---- The sequences ---------------------------------------------------------- */

/* 1H 90_x tau 90_y 2tau 90_-y tau 90_-x with the given 13C phases. */
static void palindrome(lib *L, const double c[4], const double T[9])
{
    static const double h[4] = {X, Y, MY, MX};
    lib_param(L, "D2", TAU, "s", "tau");
    lib_param(L, "D3", 2 * TAU, "s", "2 tau");
    pulse2(L, NMRC_PI / 2, h[0], NMRC_PI / 2, c[0]);
    delay(L, TAU, "d2");
    pulse2(L, NMRC_PI / 2, h[1], NMRC_PI / 2, c[1]);
    delay(L, 2 * TAU, "d3");
    pulse2(L, NMRC_PI / 2, h[2], NMRC_PI / 2, c[2]);
    delay(L, TAU, "d2");
    pulse2(L, NMRC_PI / 2, h[3], NMRC_PI / 2, c[3]);
    target(L, T, NULL, 4 * TAU);
}

static void build_dm_z(lib *L)
{
    static const double c[4] = {Y, MX, X, MY};
    double T[9] = {0, KAPPA / 2, 0, -KAPPA / 2, 0, 0, 0, 0, 0};
    palindrome(L, c, T);
}

static void build_ksea_z(lib *L)
{
    static const double c[4] = {MY, MX, X, Y};
    double T[9] = {0, KAPPA / 2, 0, KAPPA / 2, 0, 0, 0, 0, 0};
    palindrome(L, c, T);
}

static void build_xy_z(lib *L)
{
    static const double c[4] = {X, Y, MY, MX};
    double T[9] = {KAPPA / 2, 0, 0, 0, KAPPA / 2, 0, 0, 0, 0};
    palindrome(L, c, T);
}

/* The paper's cycle, collective pulses: (pi/2)_x tau (pi/2)_y tau (pi/2)_-x
** tau (pi/2)_-y tau.  Target: the DM_z it claims (D = kappa/2). */
static void build_paper_dm(lib *L)
{
    static const double ph[4] = {X, Y, MX, MY};
    double T[9] = {0, KAPPA / 2, 0, -KAPPA / 2, 0, 0, 0, 0, 0};
    lib_param(L, "D2", TAU, "s", "tau");
    for (int k = 0; k < 4; k++) {
        pulse2(L, NMRC_PI / 2, ph[k], NMRC_PI / 2, ph[k]);
        delay(L, TAU, "d2");
    }
    target(L, T, NULL, 4 * TAU);
}

/* Collective pulses with delays: a solid-echo cycle given as
** delays[0] p[0] delays[1] p[1] ... delays[n]. */
static void collective_cycle(lib *L, const double *ph, int n, const double *units)
{
    double T[9] = {KAPPA / 3, 0, 0, 0, KAPPA / 3, 0, 0, 0, KAPPA / 3}, total = 0;
    lib_param(L, "D2", TAU, "s", "tau");
    lib_param(L, "D3", 2 * TAU, "s", "2 tau");
    for (int k = 0; k <= n; k++) {
        delay(L, units[k] * TAU, units[k] == 1 ? "d2" : "d3");
        total += units[k] * TAU;
        if (k < n)
            pulse2(L, NMRC_PI / 2, ph[k], NMRC_PI / 2, ph[k]);
    }
    target(L, T, NULL, total);
}

static void build_wahuha(lib *L)
{
    static const double ph[4] = {X, MY, Y, MX}, units[5] = {1, 1, 2, 1, 1};
    collective_cycle(L, ph, 4, units);
}

static void build_mrev8(lib *L)
{
    static const double ph[8] = {MX, Y, MY, X, X, Y, MY, MX};
    static const double units[9] = {1, 1, 2, 1, 2, 1, 2, 1, 1};
    collective_cycle(L, ph, 8, units);
}

/* CPMG on 1H: 90_x [tau 180_y tau] x 4; target the 90_x (coupling refocused). */
static void build_cpmg(lib *L)
{
    lib_param(L, "D2", TAU, "s", "tau");
    lib_param(L, "L1", 4, "", "echoes");
    pulse_h(L, NMRC_PI / 2, X);
    loop(L, 4, "l1");
    delay(L, TAU, "d2");
    pulse_h(L, NMRC_PI, Y);
    delay(L, TAU, "d2");
    loop(L, 0, "");
    target_rotation(L, NMRC_PI / 2, X, 8 * TAU);
}

/* XY-4/8/16 on 1H: tau/2 P1 tau P2 ... Pn tau/2; net identity. */
static void build_xy(lib *L, int n)
{
    static const double xy8[8] = {X, Y, X, Y, Y, X, Y, X};
    lib_param(L, "D2", TAU, "s", "tau");
    lib_param(L, "D4", TAU / 2, "s", "tau / 2");
    delay(L, TAU / 2, "d4");
    for (int k = 0; k < n; k++) {
        double ph = xy8[k % 8] + (k >= 8 ? NMRC_PI : 0);   /* XY-16: inverted second half */
        pulse_h(L, NMRC_PI, ph);
        delay(L, k + 1 < n ? TAU : TAU / 2, k + 1 < n ? "d2" : "d4");
    }
    target(L, NULL, NULL, n * TAU);
}

/* UDD_n on 1H in a block of 2 ms: pi_y at T sin^2(pi j / (2n + 2)). */
static NMRC_NODISCARD nmrc_status build_udd(lib *L, int n, nmrc_ctx *ctx)
{
    double t[64], ph[64], T = 2e-3, prev = 0;
    int m = nmrc_decouple_times(NMRC_DECOUPLE_UDD, n, T, t, ph);
    if (m != n)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "udd%d: n must be 1..64", n);
    for (int j = 0; j < m; j++) {
        delay(L, t[j] - prev, "");
        pulse_h(L, NMRC_PI, ph[j]);
        prev = t[j];
    }
    delay(L, T - prev, "");
    if (n % 2)
        target_rotation(L, NMRC_PI, ph[0], T);
    else
        target(L, NULL, NULL, T);
    return NMRC_OK;
}

/* A composite theta_0 on 1H with finite pulses; target the plain rotation. */
static void build_composite(lib *L, nmrc_composite_kind kind, double theta)
{
    double angle[4], phase[4], total = 0;
    int n = nmrc_composite_expand(kind, theta, 0, angle, phase);
    for (int k = 0; k < n; k++) {
        double ph = fmod(phase[k], 2 * NMRC_PI);
        finite_h(L, angle[k], ph < 0 ? ph + 2 * NMRC_PI : ph);
        total += angle[k] * 4.0 * RF90_H / (2 * NMRC_PI);
    }
    target_rotation(L, theta, 0, total);
}

/* (pi/2)_y - G - (pi/2)_-y on both channels: z-gradient dephasing becomes
** X dephasing. */
static void build_x_dephasing(lib *L)
{
    int g = 0;
    nmrc_event e = nmrc_seq_event_init(NMRC_EV_GRADIENT);
    if (L->st == NMRC_OK)
        L->st = nmrc_seq_grad_channel(L->seq, 'z', &g);
    lib_param(L, "P16", 1000, "us", "gradient pulse length");
    lib_param(L, "GPZ1", 10, "%", "0.05 T/m of a 0.5 T/m gradient");
    pulse2(L, NMRC_PI / 2, Y, NMRC_PI / 2, Y);
    e.channel = g;
    e.duration = 1e-3;
    e.amplitude = 0.05;
    snprintf(e.param, sizeof e.param, "p16");
    snprintf(e.amp_param, sizeof e.amp_param, "gpz1");
    append(L, &e);
    pulse2(L, NMRC_PI / 2, MY, NMRC_PI / 2, MY);
    snprintf(L->seq->target_op, sizeof L->seq->target_op, "x_dephasing");
}

/* ---- The table ---------------------------------------------------------------- */

typedef struct entry {
    const char *name;
    const char *description;
} entry;

static const entry library[] = {
    {"paper_dm", "The cycle the paper claims makes a DM interaction: collective (pi/2)_x tau "
                 "(pi/2)_y tau (pi/2)_-x tau (pi/2)_-y tau on 1H and 13C. It is NOT a closed "
                 "cycle (net 120 degree rotation about (-1,1,1)/sqrt3) and its toggling-frame "
                 "average is (kappa/4)(XX + 2YY + ZZ), symmetric, so no DM term. Kept as the "
                 "documented counter-example; its target is the claimed DM_z, D = kappa/2."},
    {"dm_z", "Closed, time-symmetric 8-pulse palindrome realizing the DM interaction "
             "(kappa/2)(XY - YX) from kappa ZZ: 1H 90_x tau 90_y 2tau 90_-y tau 90_-x, 13C 90_y "
             "tau 90_-x 2tau 90_x tau 90_-y (simultaneous). Exact to all orders for delta "
             "pulses and time-optimal (Bennett bound)."},
    {"ksea_z", "Closed, time-symmetric palindrome realizing KSEA_z, (kappa/2)(XY + YX): 1H "
               "90_x tau 90_y 2tau 90_-y tau 90_-x, 13C 90_-y tau 90_-x 2tau 90_x tau 90_y. "
               "Exact for delta pulses and time-optimal."},
    {"xy_z", "Closed, time-symmetric palindrome realizing the XY (flip-flop) coupling "
             "(kappa/2)(XX + YY): the same pulses 90_x tau 90_y 2tau 90_-y tau 90_-x on 1H and "
             "13C. Exact for delta pulses and time-optimal."},
    {"wahuha", "WAHUHA (Waugh-Huber-Haeberlen): tau 90_x tau 90_-y 2tau 90_y tau 90_-x tau, "
               "collective on both channels. Averages any secular dipolar coupling to zero "
               "(H0 and H1) and scales offsets by 1/sqrt3; applied to kappa ZZ it gives the "
               "isotropic (kappa/3)(XX + YY + ZZ), its target."},
    {"mrev8", "MREV-8: tau -x tau y 2tau -y tau x 2tau x tau y 2tau -y tau -x tau, collective "
              "on both channels. Dipolar H0 = 0 with better pulse-error tolerance than WAHUHA, "
              "offset scaling sqrt2/3; applied to kappa ZZ it gives (kappa/3)(XX + YY + ZZ), "
              "its target."},
    {"cpmg", "CPMG on 1H: 90_x then 4 echoes [tau 180_y tau] (a loop). The pi pulses refocus "
             "the 1H offset and the heteronuclear coupling, so the target is the bare 90_x "
             "rotation of 1H over the 8 tau block."},
    {"xy4", "XY-4 dynamical decoupling on 1H: tau/2 X tau Y tau X tau Y tau/2 (pi pulses). "
            "Refocuses offsets and the coupling, robust to pulse phase and amplitude errors to "
            "first order; target: the identity over 4 tau."},
    {"xy8", "XY-8 on 1H: XYXY YXYX pi pulses spaced tau (tau/2 at the ends). The time-"
            "symmetric XY-4 pair: pulse errors cancel to second order; target: identity over "
            "8 tau."},
    {"xy16", "XY-16 on 1H: XY-8 followed by its phase-inverted copy (-X-Y-X-Y -Y-X-Y-X), "
             "cancelling the remaining pulse-error terms; target: identity over 16 tau."},
    {"udd4", "Uhrig dynamical decoupling UDD_4 on 1H: pi_y pulses at t_j = T sin^2(pi j/10), "
             "j = 1..4, in a 2 ms block; suppresses dephasing to order 4 in T. Even n: target "
             "identity. Any udd<n> (1..64) can be loaded by name; it is generated."},
    {"udd8", "Uhrig dynamical decoupling UDD_8 on 1H: pi_y pulses at t_j = T sin^2(pi j/18), "
             "j = 1..8, in a 2 ms block; target identity."},
    {"bb1_pi", "BB1 (Wimperis) broadband pi_x on 1H: 180_0 180_104.48 360_313.43 180_104.48 "
               "with finite pulses (rf90 10 us). Flip-angle (amplitude) error infidelity "
               "scales as eps^6. Target: the ideal 180_x rotation."},
    {"bb1_pi2", "BB1 (Wimperis) broadband (pi/2)_x on 1H: 90_0 180_97.18 360_291.54 180_97.18 "
                "with finite pulses. Target: the ideal 90_x rotation."},
    {"corpse_pi", "CORPSE pi_x on 1H: 420_0 300_180 60_0 (finite pulses); compensates "
                  "off-resonance errors. Target: the ideal 180_x rotation."},
    {"corpse_pi2", "CORPSE (pi/2)_x on 1H: 384.3_0 318.6_180 24.3_0 (finite pulses); "
                   "compensates off-resonance errors. Target: the ideal 90_x rotation."},
    {"scrofulous_pi", "SCROFULOUS pi_x on 1H: 180_60 180_300 180_60 (finite pulses); "
                      "compensates amplitude errors. Target: the ideal 180_x rotation."},
    {"scrofulous_pi2", "SCROFULOUS (pi/2)_x on 1H: 115.18_61.95 180_280.57 115.18_61.95 "
                       "(finite pulses). Target: the ideal 90_x rotation."},
    {"x_dephasing", "X-dephasing sandwich: (pi/2)_y - z gradient (1 ms, 0.05 T/m) - (pi/2)_-y "
                    "on 1H and 13C. The gradient dephases transverse magnetization (Z noise); "
                    "the pulses turn it into dephasing about X, the paper's Pauli-X noise. "
                    "Target operation: x_dephasing (a channel, not a unitary)."},
};

const char *nmrc_library_name(size_t k)
{
    return k < sizeof library / sizeof library[0] ? library[k].name : NULL;
}

/* Builds library entry k's events and target into L. */
static NMRC_NODISCARD nmrc_status build_entry(lib *L, size_t k, nmrc_ctx *ctx)
{
    static const nmrc_composite_kind comp[3] = {NMRC_COMPOSITE_BB1, NMRC_COMPOSITE_CORPSE,
                                                NMRC_COMPOSITE_SCROFULOUS};
    const char *n = library[k].name;
    if (strcmp(n, "paper_dm") == 0) build_paper_dm(L);
    else if (strcmp(n, "dm_z") == 0) build_dm_z(L);
    else if (strcmp(n, "ksea_z") == 0) build_ksea_z(L);
    else if (strcmp(n, "xy_z") == 0) build_xy_z(L);
    else if (strcmp(n, "wahuha") == 0) build_wahuha(L);
    else if (strcmp(n, "mrev8") == 0) build_mrev8(L);
    else if (strcmp(n, "cpmg") == 0) build_cpmg(L);
    else if (strncmp(n, "xy", 2) == 0) build_xy(L, atoi(n + 2));
    else if (strncmp(n, "udd", 3) == 0) return build_udd(L, atoi(n + 3), ctx);
    else if (strcmp(n, "x_dephasing") == 0) build_x_dephasing(L);
    else {
        int c = n[0] == 'b' ? 0 : n[0] == 'c' ? 1 : 2;
        int half = strstr(n, "pi2") != NULL;
        build_composite(L, comp[c], half ? NMRC_PI / 2 : NMRC_PI);
    }
    return NMRC_OK;
}

/* Description for a generated udd<n> (not in the table). */
static void udd_description(char *buf, size_t size, int n)
{
    snprintf(buf, size, "Uhrig dynamical decoupling UDD_%d on 1H: pi_y pulses at t_j = T "
                        "sin^2(pi j/%d), j = 1..%d, in a 2 ms block (generated). Target: %s.",
             n, 2 * n + 2, n, n % 2 ? "the net pi_y rotation" : "identity");
}

nmrc_status nmrc_library_build(const char *name, nmrc_ctx *ctx, nmrc_seq **out)
{
    lib L;
    if (!out || !name)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "nmrc_library_build: NULL argument");
    *out = NULL;
    size_t k = 0, n = sizeof library / sizeof library[0];
    while (k < n && strcmp(library[k].name, name) != 0)
        k++;
    char *end;
    long udd = strncmp(name, "udd", 3) == 0 ? strtol(name + 3, &end, 10) : 0;
    int is_udd = udd >= 1 && udd <= 64 && *end == 0 && name[3] != '0' && name[3] != '+';
    if (k == n && !is_udd)
        return nmrc_ctx_error(ctx, NMRC_ENOTFOUND, "no built-in sequence '%s'", name);
    char desc[512];
    if (k == n)
        udd_description(desc, sizeof desc, (int)udd);
    lib_start(&L, name, k < n ? library[k].description : desc);
    nmrc_status st = L.st;
    if (st == NMRC_OK)
        st = k < n ? build_entry(&L, k, ctx) : build_udd(&L, (int)udd, ctx);
    if (st == NMRC_OK)
        st = L.st;
    if (st == NMRC_OK)
        st = nmrc_seq_check(L.seq, ctx);
    if (st != NMRC_OK) {
        nmrc_seq_destroy(L.seq);
        return st == NMRC_ENOMEM ? nmrc_ctx_error(ctx, st, "out of memory building '%s'", name)
                                 : st;
    }
    *out = L.seq;
    return NMRC_OK;
}
