# End-to-end physics audit: tests/audit/audit.py runs the `nmrc` program
# (battery, thermal, dephase, state, compile/analyze, paper_dm, fid) and
# compares its outputs with an independent numpy reference (tests/audit/ref.py).
# Needs /usr/bin/python3 with numpy; otherwise each test is skipped (exit 77).
set(NMRC_AUDIT_PY /usr/bin/python3)
foreach(part battery battery_initial map thermal dephase noise state compile general validate paper_dm library fid fid_compiled recovery gradient)
  if(EXISTS ${NMRC_AUDIT_PY})
    add_test(NAME audit_${part} COMMAND ${NMRC_AUDIT_PY}
      ${CMAKE_CURRENT_SOURCE_DIR}/audit/audit.py $<TARGET_FILE:nmrc> ${PROJECT_SOURCE_DIR}
      ${part} ${CMAKE_CURRENT_BINARY_DIR}/audit_${part})
  else()
    add_test(NAME audit_${part} COMMAND sh -c
      "echo 'SKIP: /usr/bin/python3 not found (Debian: python3-numpy)'; exit 77")
  endif()
  set_tests_properties(audit_${part} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120
    ENVIRONMENT "OMP_NUM_THREADS=2")
endforeach()
