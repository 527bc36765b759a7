/*
** fid_model.c: helpers around acquisition: the receiver (scans with phase
** and DC offset), the acquisition Hamiltonian of a model, ideal pulses, the
** thermal deviation state and species (of a model or a physical spin
** system) and Larmor frequencies.
*/
#include <complex.h>
#include <math.h>
#include <string.h>

#include "nmrc/fid.h"
#include "nmrc/nmr.h"


/* Sign (+1 up, -1 down) of spin i in basis state a; spin 0 is the MSB. */
static int spin_sign(size_t a, size_t i, size_t n)
{
    return (a >> (n - 1 - i)) & 1u ? -1 : 1;
}

void nmrc_fid_receive(nmrc_cplx *acc, const nmrc_cplx *s, size_t td, double rcv_phase,
                      nmrc_cplx dc)
{
    nmrc_cplx r = cexp(-I * rcv_phase);
    for (size_t k = 0; k < td; k++)
        acc[k] += r * (s[k] + dc);
}

/* ---- Model helpers ------------------------------------------------------ */

nmrc_status nmrc_fid_hamiltonian(const nmrc_model *m, nmrc_ctx *ctx, nmrc_cmat *h)
{
    nmrc_nmr_system sys;
    nmrc_status st = nmrc_nmr_system_from_model(m, ctx, &sys);
    if (st != NMRC_OK)
        return st;
    if (h->n1 != nmrc_nmr_dim(&sys) || h->n2 != h->n1)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "fid: Hamiltonian must be %zux%zu",
                              nmrc_nmr_dim(&sys), nmrc_nmr_dim(&sys));
    return nmrc_nmr_hamiltonian(&sys, h);
}

void nmrc_fid_pulse(nmrc_cmat *rho, size_t n_spins, unsigned mask, double angle, double phase)
{
    double c = cos(angle / 2), s = sin(angle / 2);
    nmrc_cplx r00 = c, r01 = -I * s * cexp(-I * phase), r10 = -I * s * cexp(I * phase), r11 = c;
    size_t d = rho->n1;
    for (size_t i = 0; i < n_spins; i++) {
        if (!(mask >> i & 1u))
            continue;
        size_t bit = (size_t)1 << (n_spins - 1 - i);
        for (size_t j = 0; j < d; j++)
            for (size_t a = 0; a < d; a++) {
                if (a & bit)
                    continue;
                nmrc_cplx x0 = NMRC_CMAT_AT(rho, a, j), x1 = NMRC_CMAT_AT(rho, a | bit, j);
                NMRC_CMAT_AT(rho, a, j) = r00 * x0 + r01 * x1;
                NMRC_CMAT_AT(rho, a | bit, j) = r10 * x0 + r11 * x1;
            }
        for (size_t b = 0; b < d; b++) {
            if (b & bit)
                continue;
            for (size_t a = 0; a < d; a++) {
                nmrc_cplx x0 = NMRC_CMAT_AT(rho, a, b), x1 = NMRC_CMAT_AT(rho, a, b | bit);
                NMRC_CMAT_AT(rho, a, b) = x0 * conj(r00) + x1 * conj(r01);
                NMRC_CMAT_AT(rho, a, b | bit) = x0 * conj(r10) + x1 * conj(r11);
            }
        }
    }
}

/* Species numbers (same isotope string = same number) of n spins. */
static void species_of(size_t n, const char *const *iso, int *species)
{
    for (size_t i = 0; i < n; i++) {
        species[i] = (int)i;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(iso[k], iso[i])) {
                species[i] = species[k];
                break;
            }
    }
}

void nmrc_fid_species(const nmrc_model *m, int *species, double *t2)
{
    const char *iso[NMRC_MAX_SPINS];
    for (size_t i = 0; i < m->n_spins; i++) {
        iso[i] = m->spins[i].isotope;
        if (t2)
            t2[i] = m->spins[i].t2;
    }
    species_of(m->n_spins, iso, species);
}

void nmrc_fid_system_species(const nmrc_nmr_system *sys, int *species, double *t2)
{
    const char *iso[NMRC_NMR_MAX_SPINS];
    for (size_t i = 0; i < sys->n_spins; i++) {
        iso[i] = sys->spins[i].isotope;
        if (t2)
            t2[i] = sys->spins[i].t2;
    }
    species_of(sys->n_spins, iso, species);
}

unsigned nmrc_fid_isotope_mask(const nmrc_model *m, const char *isotope)
{
    unsigned mask = 0;
    for (size_t i = 0; i < m->n_spins && i < 32; i++)
        if (!strcmp(m->spins[i].isotope, isotope))
            mask |= 1u << i;
    return mask;
}

double nmrc_fid_larmor_mhz(const nmrc_model *m, const char *isotope)
{
    for (size_t i = 0; i < m->n_spins; i++)
        if (!strcmp(m->spins[i].isotope, isotope) && m->proton_mhz > 0)
            return m->proton_mhz * fabs(m->spins[i].gamma) / NMRC_GAMMA_1H;
    return 0;
}

/* The thermal deviation of n spins with gyromagnetic ratios gamma[] after
** the pulse into rho; returns the index of the first spin without gamma, or n. */
static size_t thermal_state(size_t n, const double *gamma, unsigned pulsed, double angle,
                            double phase, nmrc_cmat *rho)
{
    size_t d = (size_t)1 << n;
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++)
            NMRC_CMAT_AT(rho, i, j) = 0;
    double scale = 2.0 / (double)d;
    for (size_t i = 0; i < n; i++) {
        if (!(gamma[i] != 0) || !isfinite(gamma[i]))
            return i;
        double c = scale * gamma[i] / NMRC_GAMMA_1H;
        /* U Z U^+ = cos(a) Z + sin(a) (sin(phi) X - cos(phi) Y) for a pulse a_phi. */
        double cz = pulsed >> i & 1u ? cos(angle) : 1.0, st = pulsed >> i & 1u ? sin(angle) : 0.0;
        nmrc_cplx cx = st * sin(phase), cy = -st * cos(phase);
        size_t bit = (size_t)1 << (n - 1 - i);
        for (size_t a = 0; a < d; a++) {
            NMRC_CMAT_AT(rho, a, a) += c * cz * spin_sign(a, i, n);
            if (!(a & bit)) {
                /* <a|X|a+bit> = 1, <a|Y|a+bit> = -i, Y hermitian. */
                NMRC_CMAT_AT(rho, a, a | bit) += c * (cx - I * cy);
                NMRC_CMAT_AT(rho, a | bit, a) += c * (cx + I * cy);
            }
        }
    }
    return n;
}

/* Checks n spins and the state's shape for the thermal state. */
static NMRC_NODISCARD nmrc_status thermal_check(size_t n, const nmrc_cmat *rho, nmrc_ctx *ctx)
{
    if (n < 1 || n > NMRC_NMR_MAX_SPINS)
        return nmrc_ctx_error(ctx, NMRC_ELIMIT, "fid: %zu spins (1 to %d supported)", n,
                              NMRC_NMR_MAX_SPINS);
    size_t d = (size_t)1 << n;
    if (rho->n1 != d || rho->n2 != d)
        return nmrc_ctx_error(ctx, NMRC_EBADLEN, "fid: state must be %zux%zu", d, d);
    return NMRC_OK;
}

nmrc_status nmrc_fid_thermal_state(const nmrc_model *m, unsigned pulsed, double angle,
                                   double phase, nmrc_ctx *ctx, nmrc_cmat *rho)
{
    double gamma[NMRC_NMR_MAX_SPINS] = {0};
    nmrc_status st = thermal_check(m->n_spins, rho, ctx);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < m->n_spins; i++)
        gamma[i] = m->spins[i].gamma;
    size_t bad = thermal_state(m->n_spins, gamma, pulsed, angle, phase, rho);
    if (bad < m->n_spins)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: spin %s has no gyromagnetic ratio",
                              m->spins[bad].label);
    return NMRC_OK;
}

nmrc_status nmrc_fid_system_thermal_state(const nmrc_nmr_system *sys, unsigned pulsed,
                                          double angle, double phase, nmrc_ctx *ctx,
                                          nmrc_cmat *rho)
{
    double gamma[NMRC_NMR_MAX_SPINS] = {0};
    nmrc_status st = thermal_check(sys->n_spins, rho, ctx);
    if (st != NMRC_OK)
        return st;
    for (size_t i = 0; i < sys->n_spins; i++)
        gamma[i] = sys->spins[i].gamma;
    size_t bad = thermal_state(sys->n_spins, gamma, pulsed, angle, phase, rho);
    if (bad < sys->n_spins)
        return nmrc_ctx_error(ctx, NMRC_EINVAL, "fid: spin %zu (%s) has no gyromagnetic ratio",
                              bad, sys->spins[bad].isotope);
    return NMRC_OK;
}
