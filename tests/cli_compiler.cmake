# CLI tests of `nmrc compile` and `nmrc analyze`:
# the paper's DM claim reported open with (kappa/4)(XX + 2 YY + ZZ), a
# compiled chloroform target that is closed, time-optimal and schema-valid
# after the XML round trip, options, CSV, and clear errors (exit codes, the
# spec line of a three-spin target, no output file left behind).
set(NMRC $<TARGET_FILE:nmrc>)
set(CSPECS ${CMAKE_CURRENT_SOURCE_DIR}/specs/compiler)
set(PAPER ${PROJECT_SOURCE_DIR}/examples/paper_dm_claim.spin)
set(CHL ${PROJECT_SOURCE_DIR}/examples/chloroform.spin)
set(XSD ${PROJECT_SOURCE_DIR}/sequences/nmrc-seq.xsd)
set(CWORK ${CMAKE_CURRENT_BINARY_DIR}/cli_compiler)
file(MAKE_DIRECTORY ${CWORK})

function(nmrc_compiler_cli_test name regex)
  add_test(NAME ${name} COMMAND ${ARGN})
  set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${regex}"
    WORKING_DIRECTORY ${CWORK} ENVIRONMENT "OMP_NUM_THREADS=2")
endfunction()

nmrc_compiler_cli_test(cli_compile_help "example:\n  nmrc compile " ${NMRC} compile --help)
nmrc_compiler_cli_test(cli_analyze_help "example:\n  nmrc analyze " ${NMRC} analyze --help)

# The paper's cycle: open (120 degrees), no average Hamiltonian, averages to
# (kappa/4)(XX + 2 YY + ZZ); not the DM target it claims.
nmrc_compiler_cli_test(cli_analyze_paper_open
  "spin 1: cycle OPEN: net propagator = rotation by 120 deg about \\(0\\.5774, -0\\.5774, -0\\.5774\\), i\\.e\\. the toggling frame turns by 120 deg about \\(-0\\.5774, 0\\.5774, 0\\.5774\\).*NO average Hamiltonian.*H0 = \\(kappa/4\\)\\(XX \\+ 2 YY \\+ ZZ\\)"
  ${NMRC} analyze ${PAPER})
nmrc_compiler_cli_test(cli_compile_paper_warns
  "warning: .*paper_dm_claim\\.spin: the sequence is not a closed cycle"
  ${NMRC} compile ${PAPER} -o paper.xml -q)

# A compiled DM + dipolar target: closed, efficiency 1, exact with delta
# pulses; the written XML validates against the schema and analyzes the same.
nmrc_compiler_cli_test(cli_compile_chloroform
  "spin 1: cycle closed\n  spin 2: cycle closed.*efficiency \\(Bennett bound / coupling time\\): 1\\.000000.*delta pulses: +1\\.000000000"
  ${NMRC} compile ${CHL} -o chl.xml --pp chl.pp)
add_test(NAME cli_compile_roundtrip COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o rt.xml --pp rt.pp -q; \
   if command -v xmllint >/dev/null; then xmllint --noout --schema \"$2\" rt.xml; fi; \
   grep -q '^#include <Avance.incl>' rt.pp; \"$0\" analyze rt.xml"
  ${NMRC} ${CHL} ${XSD})
set_tests_properties(cli_compile_roundtrip PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "spin 2: cycle closed.*efficiency \\(Bennett bound / coupling time\\): 0\\.99[0-9]+.*delta pulses: +0\\.9999.*finite pulses: 0\\.9999")

# Options: Trotter steps chosen from --max-error; plain ordering; decoupling
# and composite pulses keep the delta-pulse propagator exact.
nmrc_compiler_cli_test(cli_compile_max_error "delta pulses: +0\\.99999"
  ${NMRC} compile ${CSPECS}/zeeman_ksea.spin -o zk.xml --max-error 1e-4 --delta)
add_test(NAME cli_compile_plain_steps COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o pl.xml --order plain --steps 8 --delta -q; grep -o '8 plain Trotter steps' pl.xml"
  ${NMRC} ${CSPECS}/zeeman_ksea.spin)
set_tests_properties(cli_compile_plain_steps PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^8 plain Trotter steps\n$")
nmrc_compiler_cli_test(cli_compile_decouple_xy8
  "cycle closed.*efficiency \\(Bennett bound / coupling time\\): 1\\.000000.*delta pulses: +1\\.000000000"
  ${NMRC} compile ${CHL} -o dd.xml --decouple xy8 --delta)
nmrc_compiler_cli_test(cli_compile_composite_bb1 "delta pulses: +1\\.000000000"
  ${NMRC} compile ${CHL} -o bb1.xml --composite bb1 --delta)
nmrc_compiler_cli_test(cli_compile_offset_comp "delta pulses: +1\\.000000000"
  ${NMRC} compile ${CHL} -o oc.xml --offset-compensation --set eps=0)

# CSV: header and the whole-sequence row of the paper's cycle (open, 120 deg).
add_test(NAME cli_analyze_csv COMMAND sh -c "set -e; \"$0\" analyze \"$1\" --csv p.csv >/dev/null; cat p.csv"
  ${NMRC} ${PAPER})
set_tests_properties(cli_analyze_csv PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^scope,repeat,duration_s,free_s,closed_1,net_angle_deg_1,[^\n]*,fidelity_delta,fidelity_finite,target_efficiency\nwhole,1,[^,]+,[^,]+,0,119\\.99999")

# Errors: a third spin names its spec line, exit 1, and no output file.
add_test(NAME cli_compile_three_spins COMMAND sh -c
  "rm -f three.xml; \"$0\" compile \"$1\" -o three.xml; rc=$?; \
   test -e three.xml && echo 'output written'; echo exit=$rc"
  ${NMRC} ${CSPECS}/three_spins.spin)
set_tests_properties(cli_compile_three_spins PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "three_spins\\.spin:12:3: this target term involves spin F, a third spin: targets on more than two spins are not supported yet\nexit=1\n$")
add_test(NAME cli_compile_usage COMMAND sh -c "\"$0\" compile \"$1\"; echo exit=$?" ${NMRC} ${CHL})
set_tests_properties(cli_compile_usage PROPERTIES
  PASS_REGULAR_EXPRESSION "no output: give -o OUT\\.xml.*exit=2")
add_test(NAME cli_compile_bad_udd COMMAND sh -c "\"$0\" compile \"$1\" -o u.xml --decouple udd3; echo exit=$?"
  ${NMRC} ${CHL})
set_tests_properties(cli_compile_bad_udd PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "udd<n> needs an even n.*exit=1")
add_test(NAME cli_analyze_missing COMMAND sh -c "\"$0\" analyze nonexistent.xml; echo exit=$?" ${NMRC})
set_tests_properties(cli_analyze_missing PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "nmrc analyze: nonexistent\\.xml: .*exit=1")

# A spec naming a library sequence: the library's DM_z palindrome judged
# against the spec's own DM target (same length): exact with delta pulses.
nmrc_compiler_cli_test(cli_analyze_library_by_name
  "sequence dm_z: .*H0 = \\(kappa/2\\)\\(XY - YX\\).*delta pulses: +1\\.000000000"
  ${NMRC} analyze ${CSPECS}/library_dm.spin)

# --charge: the protocol's charging pulse alone, judged against
# exp(-i w omega t (X1 + X2)): exact as a delta pulse; one simultaneous pulse.
add_test(NAME cli_compile_charge COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o ch.xml --pp ch.pp --charge 0.7854; grep -c ':f1 (p[0-9]* ph[0-9]*):f2' ch.pp"
  ${NMRC} ${CHL})
set_tests_properties(cli_compile_charge PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "fields \\(168\\.861, 0, 0\\) \\(168\\.861, 0, 0\\).*delta pulses: +1\\.000000000.*\n1\n$")

# Three of the paper's cycles close (3 x 120 degrees) and average to the
# isotropic (kappa/3)(XX + YY + ZZ); one iteration (the loop body) is open.
nmrc_compiler_cli_test(cli_analyze_paper_three_cycles
  "whole sequence: [^\n]*\n  spin 1: cycle closed\n  spin 2: cycle closed\n  H0 = \\(kappa/3\\)\\(XX \\+ YY \\+ ZZ\\).*cycle 1 \\(loop body, repeated 3 times\\)[^\n]*\n  spin 1: cycle OPEN: net propagator = rotation by 120 deg.*H0 = \\(kappa/4\\)\\(XX \\+ 2 YY \\+ ZZ\\)"
  ${NMRC} analyze ${CSPECS}/paper_x3.spin)

# Every compile { } option from the spec: plain order, 3 steps, BB1, XY-8,
# offset compensation; offsets and flip errors cancel to first order.
add_test(NAME cli_compile_spec_options COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o opt.xml; grep -o '3 plain Trotter steps' opt.xml"
  ${NMRC} ${CSPECS}/options.spin)
set_tests_properties(cli_compile_spec_options PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "robustness spin 1: [^\n]*-- first-order robust\n  robustness spin 2: [^\n]*-- first-order robust.*\n3 plain Trotter steps\n$")

# An XML file without nmrc:natural data: clear error, and --J supplies kappa.
add_test(NAME cli_analyze_xml_needs_j COMMAND sh -c
  "sed '/<nmrc:natural /d' \"$1\" > nonat.xml; \"$0\" analyze nonat.xml; echo exit=$?; \"$0\" analyze nonat.xml --J 215"
  ${NMRC} ${PROJECT_SOURCE_DIR}/sequences/dm_z.xml)
set_tests_properties(cli_analyze_xml_needs_j PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "kappa is unknown .*--J HZ.*exit=1.*kappa = 337\\.721 rad/s \\(J = 215 Hz\\).*H0 = \\(kappa/2\\)\\(XY - YX\\)")
