/*
** consts.c: the table of nuclei behind nmrc/consts.h.  Gyromagnetic ratios
** in rad s^-1 T^-1; every other file takes them from here.
*/
#include <string.h>

#include "core/defs.h"

/* 1H: CODATA 2018 proton value gamma_p = 2.6752218744e8.  The others: IUPAC
** recommendations, R. K. Harris et al., Pure Appl. Chem. 73, 1795 (2001),
** Table 1 (gamma / 10^7). */
static const struct {
    const char *name;
    double gamma;
} isotopes[] = {
    {"1H", NMRC_GAMMA_1H},   {"2H", 41.0662791e6},   {"3He", -203.801587e6},
    {"7Li", 103.977013e6},   {"13C", 67.28284e6},    {"15N", -27.1261804e6},
    {"17O", -36.2808e6},     {"19F", 251.8148e6},    {"23Na", 70.808493e6},
    {"29Si", -53.1900e6},    {"31P", 108.394e6},     {"129Xe", -74.52103e6},
};

#define N_ISOTOPES (sizeof isotopes / sizeof isotopes[0])

double nmrc_isotope_gamma(const char *isotope)
{
    for (size_t i = 0; isotope && i < N_ISOTOPES; i++)
        if (!strcmp(isotopes[i].name, isotope))
            return isotopes[i].gamma;
    return 0.0;
}

const char *nmrc_isotope_name(size_t k)
{
    return k < N_ISOTOPES ? isotopes[k].name : NULL;
}
