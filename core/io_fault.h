/*
** core/io_fault.h (private, tests only): fault injection for the output-set
** commit of core/io.c, so a test can make a rename fail after some members
** are in place and check that the set is restored.  Not installed.
*/
#ifndef NMRC_CORE_IO_FAULT_H
#define NMRC_CORE_IO_FAULT_H

#include "core/defs.h"

/* The next nmrc_io_write_set fails its rename number k (0-based) with EIO as
** if the file system had refused it; k < 0 (the default) disables this.
** Applies to one call, then resets itself.  Not thread-safe: tests only. */
NMRC_INTERNAL void nmrc_io_fault_rename(int k);

#endif
