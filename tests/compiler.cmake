# AHT compiler and analysis tests: frame recipe,
# palindromes, SVD at the Bennett bound, Trotter and composite exponents,
# offsets refocused by the construction, the gate.
foreach(t test_aht test_compile test_composite test_offsets)
  if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${t}.c)
    nmrc_add_unit_test(${t} ${t}.c)
  endif()
endforeach()
