/*
** nmr_validate.c: figures that compare what the physical model realized
** with the ideal target: unitary and process (Choi) fidelities, the average
** gate fidelity and the target Hamiltonian recorded in a sequence.
*/
#include "nmr_internal.h"

#include <math.h>

double nmrc_nmr_unitary_fidelity(const nmrc_cmat *U, const nmrc_cmat *V)
{
    size_t d = U->n1;
    if (U->n2 != d || V->n1 != d || V->n2 != d)
        return NAN;
    nmrc_cplx tr = 0;   /* Tr(V^+ U) = sum_ij conj(V_ij) U_ij */
    for (size_t j = 0; j < d; j++)
        for (size_t i = 0; i < d; i++)
            tr += conj(NMRC_CMAT_AT(V, i, j)) * NMRC_CMAT_AT(U, i, j);
    double f = cabs(tr) / (double)d;
    return f * f;
}

double nmrc_nmr_process_fidelity(const nmrc_cmat *S, const nmrc_cmat *V)
{
    size_t d = V->n1;
    if (V->n2 != d || S->n1 != d * d || S->n2 != d * d)
        return NAN;
    nmrc_cplx sum = 0;
    for (size_t l = 0; l < d; l++)
        for (size_t k = 0; k < d; k++) {
            size_t col = k + d * l;  /* E(|k><l|) is column col of S */
            for (size_t b = 0; b < d; b++) {
                nmrc_cplx vb = NMRC_CMAT_AT(V, b, l);
                for (size_t a = 0; a < d; a++)
                    sum += conj(NMRC_CMAT_AT(V, a, k)) * NMRC_CMAT_AT(S, a + d * b, col) * vb;
            }
        }
    return creal(sum) / ((double)d * (double)d);
}

double nmrc_nmr_average_fidelity(double f_pro, size_t d)
{
    return ((double)d * f_pro + 1) / ((double)d + 1);
}

nmrc_status nmrc_nmr_seq_target(const nmrc_seq *seq, size_t n_spins, nmrc_cmat *H)
{
    if (!seq->has_target || n_spins < 2 || n_spins > NMRC_NMR_MAX_SPINS)
        return NMRC_EINVAL;
    size_t d = (size_t)1 << n_spins;
    if (H->n1 != d || H->n2 != d)
        return NMRC_EBADLEN;
    nmrc_cmat_zero(H);
    nmrc_nmri_add_pair(H, n_spins, 0, 1, seq->target_tensor);
    for (size_t i = 0; i < n_spins && i < NMRC_MAX_SPINS; i++)
        nmrc_nmri_add_local(H, n_spins, (int)i, seq->target_field[i][0], seq->target_field[i][1],
                            seq->target_field[i][2]);
    return NMRC_OK;
}
