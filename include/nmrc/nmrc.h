/*
** nmrc/nmrc.h: umbrella header for the nmrc library.
** Include this one header to use the spec front end, the sequence IR and
** compiler, the simulators, and the run API (what the commands do).
*/
#ifndef NMRC_NMRC_H
#define NMRC_NMRC_H

#include "nmrc/status.h"
#include "nmrc/consts.h"
#include "nmrc/io.h"
#include "nmrc/cmat.h"
#include "nmrc/model.h"
#include "nmrc/spec.h"
#include "nmrc/seq.h"
#include "nmrc/battery.h"
#include "nmrc/compile.h"
#include "nmrc/fid.h"
#include "nmrc/dataset.h"
#include "nmrc/draw.h"
#include "nmrc/library.h"
#include "nmrc/linalg.h"
#include "nmrc/metrics.h"
#include "nmrc/nmr.h"
#include "nmrc/run.h"
#include "nmrc/sim.h"
#include "nmrc/xml.h"

#endif /* NMRC_NMRC_H */
