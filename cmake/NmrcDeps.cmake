# Finds nmrc's dependencies as imported targets; each failure names the
# Debian package that provides the missing piece.
find_package(PkgConfig)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "nmrc: pkg-config not found (Debian package: pkg-config)")
endif()

macro(nmrc_require_pc var module debpkg)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "nmrc: ${module} not found (Debian package: ${debpkg})")
  endif()
endmacro()

nmrc_require_pc(NMRC_XML2   libxml-2.0 libxml2-dev)
nmrc_require_pc(NMRC_FFTW3  fftw3      libfftw3-dev)
nmrc_require_pc(NMRC_LAPACKE lapacke   liblapacke-dev)
nmrc_require_pc(NMRC_BLAS   openblas   libopenblas-dev)

if(NMRC_ENABLE_OPENMP)
  find_package(OpenMP COMPONENTS C)
endif()
find_library(NMRC_LIBM m)

# Linking order: LAPACKE before its BLAS/LAPACK provider (OpenBLAS).
function(nmrc_link_deps target)
  target_link_libraries(${target} PUBLIC PkgConfig::NMRC_XML2 PkgConfig::NMRC_FFTW3
    PkgConfig::NMRC_LAPACKE PkgConfig::NMRC_BLAS)
  if(NMRC_LIBM)
    target_link_libraries(${target} PUBLIC ${NMRC_LIBM})
  endif()
  if(OpenMP_C_FOUND)
    target_link_libraries(${target} PUBLIC OpenMP::OpenMP_C)
  endif()
endfunction()
