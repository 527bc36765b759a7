# FID, spectrum and Bruker/JCAMP tests (helper "fid").
foreach(t test_fid test_spectrum test_bruker)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c)
    nmrc_add_unit_test(${t} ${t}.c)
  endif()
endforeach()
