# CLI tests of `nmrc compile` and `nmrc analyze`:
# the paper's DM claim reported open with (kappa/4)(XX + 2 YY + ZZ) and
# refused by the fidelity gate, a compiled chloroform target that is closed,
# time-optimal and schema-valid after the XML round trip, `analyze` of the
# written file printing what `compile` printed, offsets refocused, the gate
# (exit 1, nothing written; --force), options, CSV, and compile errors as
# exact spec diagnostics with no output file left behind.
set(NMRC $<TARGET_FILE:nmrc>)
set(CSPECS ${CMAKE_CURRENT_SOURCE_DIR}/specs/compiler)
set(PAPER ${PROJECT_SOURCE_DIR}/examples/paper_dm_claim.spin)
set(CHL ${PROJECT_SOURCE_DIR}/examples/chloroform.spin)
set(OFFS ${CSPECS}/offsets.spin)
set(XSD ${PROJECT_SOURCE_DIR}/sequences/nmrc-seq.xsd)
set(CWORK ${CMAKE_CURRENT_BINARY_DIR}/cli_compiler)
file(MAKE_DIRECTORY ${CWORK})

function(nmrc_compiler_cli_test name regex)
  add_test(NAME ${name} COMMAND ${ARGN})
  set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${regex}"
    WORKING_DIRECTORY ${CWORK} ENVIRONMENT "OMP_NUM_THREADS=2")
endfunction()

nmrc_compiler_cli_test(cli_compile_help "examples?:\n  nmrc compile " ${NMRC} compile --help)
nmrc_compiler_cli_test(cli_analyze_help "example:\n  nmrc analyze " ${NMRC} analyze --help)

# The paper's cycle: open (120 degrees), no average Hamiltonian, averages to
# (kappa/4)(XX + 2 YY + ZZ); not the DM target it claims.
nmrc_compiler_cli_test(cli_analyze_paper_open
  "spin 1: cycle OPEN: net propagator = rotation by 120 deg about \\(0\\.5774, -0\\.5774, -0\\.5774\\), i\\.e\\. the toggling frame turns by 120 deg about \\(-0\\.5774, 0\\.5774, 0\\.5774\\).*NO average Hamiltonian.*H0 = \\(kappa/4\\)\\(XX \\+ 2 YY \\+ ZZ\\)"
  ${NMRC} analyze ${PAPER})
# ... and the gate refuses to write it (delta-pulse fidelity 0.018: the
# spec's own sequence misses its target); --force writes it with a warning.
add_test(NAME cli_compile_paper_gate COMMAND sh -c
  "rm -f paper.xml; \"$0\" compile \"$1\" -o paper.xml -q 2>&1; echo exit=$?; test -e paper.xml && echo written; \
   \"$0\" compile \"$1\" -o paper.xml -q --force 2>&1; echo exit=$?; test -e paper.xml && echo written"
  ${NMRC} ${PAPER})
set_tests_properties(cli_compile_paper_gate PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "warning: .*paper_dm_claim\\.spin: the sequence is not a closed cycle.*paper_dm_claim\\.spin: finite-pulse fidelity 0\\.01[0-9]+ is below the minimum 0\\.99; the sequence misses the target even with ideal pulses \\(delta-pulse fidelity 0\\.01[0-9]+\\): it is the spec's own sequence.*nothing written.*exit=1\nwarning: .*written anyway \\(--force\\)\nexit=0\nwritten\n$")

# A compiled DM + dipolar target: closed, efficiency 1, exact with delta
# pulses; the written XML validates against the schema, and `analyze` of it
# prints the duration, efficiency and fidelities `compile` printed (the
# finite-pulse sequence as written).
nmrc_compiler_cli_test(cli_compile_chloroform
  "spin 1: cycle closed\n  spin 2: cycle closed.*efficiency \\(Bennett bound / coupling time\\): 1\\.000000.*delta pulses: +1\\.000000000"
  ${NMRC} compile ${CHL} -o chl.xml --pp chl.pp --delta)
foreach(case "chl;${CHL};" "offsets;${OFFS};" "offsets_oc;${OFFS};--offset-compensation")
  list(GET case 0 id)
  list(GET case 1 spec)
  list(GET case 2 opt)
  add_test(NAME cli_compile_roundtrip_${id} COMMAND sh -c
    "set -e; \"$0\" compile \"$1\" -o rt_$3.xml --pp rt_$3.pp $4 > c_$3.txt; \
     if command -v xmllint >/dev/null; then xmllint --noout --schema \"$2\" rt_$3.xml; fi; \
     grep -q '^#include <Avance.incl>' rt_$3.pp; \"$0\" analyze rt_$3.xml > a_$3.txt; \
     pat='duration|efficiency|fidelity'; grep -E \"$pat\" c_$3.txt > c2_$3.txt; \
     grep -E \"$pat\" a_$3.txt > a2_$3.txt; test -s c2_$3.txt; cmp c2_$3.txt a2_$3.txt; \
     cat a_$3.txt; echo same"
    ${NMRC} ${spec} ${XSD} ${id} ${opt})
  set_tests_properties(cli_compile_roundtrip_${id} PROPERTIES WORKING_DIRECTORY ${CWORK}
    PASS_REGULAR_EXPRESSION "spin 2: cycle closed.*delta pulses: +0\\.9999[0-9]+\n  fidelity [^\n]*finite pulses: 0\\.99[89][0-9]+\n(.*\n)?same\n$")
endforeach()

# Offsets: with delta pulses the construction refocuses them exactly (no
# offset terms left in H0 and H1); --offset-compensation raises the
# finite-pulse fidelity at 300 Hz / -300 Hz (and its delta fidelity stays).
nmrc_compiler_cli_test(cli_compile_offsets_delta
  "natural pair: [^\n]*offsets 942\\.478, -942\\.478 rad/s.*offset terms: none in H0 and H1 \\(below 1e-9 kappa: refocused\\).*delta pulses: +1\\.000000000"
  ${NMRC} compile ${OFFS} -o offd.xml --delta)
# --no-refocus: the bare construction, which these offsets ruin (0.33).
nmrc_compiler_cli_test(cli_compile_no_refocus "delta pulses: +0\\.33[0-9]+"
  ${NMRC} compile ${OFFS} -o offbare.xml --delta --no-refocus --min-fidelity 0)
add_test(NAME cli_compile_offset_comp COMMAND sh -c
  "set -e; f0=$(\"$0\" compile \"$1\" -o oc0.xml | sed -n 's/.*finite pulses: //p'); \
   f1=$(\"$0\" compile \"$1\" -o oc1.xml --offset-compensation | sed -n 's/.*finite pulses: //p'); \
   echo \"$f0 $f1\"; awk -v a=$f0 -v b=$f1 'BEGIN { print (b > a) ? \"raised\" : \"not raised\" }'"
  ${NMRC} ${OFFS})
set_tests_properties(cli_compile_offset_comp PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^0\\.99[0-9]+ 0\\.99[0-9]+\nraised\n$")

# The gate: below --min-fidelity compile exits 1, says the figure and what
# to change, and leaves the previous files as they were, with no temporary
# file; --force writes both with a warning.
add_test(NAME cli_compile_gate COMMAND sh -c
  "rm -rf gate; mkdir gate; echo old > gate/g.xml; echo old > gate/g.pp; \
   \"$0\" compile \"$1\" -o gate/g.xml --pp gate/g.pp --min-fidelity 0.9999 -q 2>&1; echo exit=$?; \
   ls gate; cat gate/g.xml gate/g.pp; \
   \"$0\" compile \"$1\" -o gate/g.xml --pp gate/g.pp --min-fidelity 0.9999 -q --force 2>&1; \
   echo exit=$?; ls gate; head -c 5 gate/g.xml; echo; grep -c Avance gate/g.pp"
  ${NMRC} ${OFFS})
set_tests_properties(cli_compile_gate PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "offsets\\.spin: finite-pulse fidelity 0\\.998[0-9]+ is below the minimum 0\\.9999; the finite pulses lose it \\(delta-pulse fidelity 0\\.9999[0-9]+\\): shorten p90 \\(the loss falls as p90\\^2\\), add --offset-compensation; nothing written \\(--min-fidelity sets the minimum, --force writes anyway\\)\nexit=1\ng\\.pp\ng\\.xml\nold\nold\nnmrc compile: warning: [^\n]*below the minimum 0\\.9999[^\n]*written anyway \\(--force\\)\nexit=0\ng\\.pp\ng\\.xml\n<\\?xml\n1\n$")
# Both files or neither: a .pp that cannot be written leaves the old XML.
add_test(NAME cli_compile_set_whole COMMAND sh -c
  "rm -rf set; mkdir set; echo old > set/s.xml; \"$0\" compile \"$1\" -o set/s.xml --pp set/missing/s.pp -q 2>&1; \
   echo exit=$?; ls set; cat set/s.xml"
  ${NMRC} ${CHL})
set_tests_properties(cli_compile_set_whole PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "cannot write set/missing/s\\.pp: No such file or directory\nexit=1\ns\\.xml\nold\n$")
# The examples of `nmrc compile --help` pass the gate, and no option in them
# lowers the fidelity: the second (with --offset-compensation) is at least
# the first.
add_test(NAME cli_compile_help_fidelity COMMAND sh -c
  "set -e; ln -sfn \"$1\" examples; \"$0\" compile --help | sed -n '/^examples:/,$p' | \
   sed -e :a -e '/\\\\$/N; s/\\\\\\n *//; ta' | sed -n 's/^  nmrc //p' > help_ex.txt; \
   while read -r line; do \"$0\" $line | sed -n 's/.*finite pulses: //p'; done < help_ex.txt > help_fid.txt; \
   cat help_fid.txt; awk 'NR == 1 { a = $1 } NR == 2 { b = $1 } END { print (NR == 2 && a >= 0.99 && b >= a) ? \"ok\" : \"bad\" }' help_fid.txt"
  ${NMRC} ${PROJECT_SOURCE_DIR}/examples)
set_tests_properties(cli_compile_help_fidelity PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^0\\.99[0-9]+\n0\\.99[0-9]+\nok\n$")

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

# CSV: header and the whole-sequence row of the paper's cycle (open, 120 deg).
add_test(NAME cli_analyze_csv COMMAND sh -c "set -e; \"$0\" analyze \"$1\" --csv p.csv >/dev/null; cat p.csv"
  ${NMRC} ${PAPER})
set_tests_properties(cli_analyze_csv PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^scope,repeat,duration_s,free_s,closed_1,net_angle_deg_1,[^\n]*,fidelity_delta,fidelity_finite,target_efficiency,h1_offset_norm\nwhole,1,[^,]+,[^,]+,0,119\\.99999")

# Compile errors about a spec construct (a third spin, a natural dipolar
# coupling, a pulse on another spin, a zero target, pulses too long for the
# delays) are spec diagnostics, exactly: file:line:col: error:, the source
# line and a caret; exit 1 and no output file (final or temporary).
file(GLOB cbad RELATIVE ${PROJECT_SOURCE_DIR} ${CSPECS}/bad/*.spin)
foreach(spec tests/specs/compiler/three_spins.spin ${cbad})
  string(REGEX REPLACE "\\.spin$" ".err" err ${spec})
  get_filename_component(id ${spec} NAME_WE)
  add_test(NAME cli_compile_diag_${id} COMMAND ${CMAKE_COMMAND} -DNMRC=$<TARGET_FILE:nmrc>
    -DSRC=${PROJECT_SOURCE_DIR} -DSPEC=${spec} -DERR=${err} -DOUT=${CWORK}/diag_${id}
    -P ${CMAKE_CURRENT_SOURCE_DIR}/specs/compile_diag.cmake)
endforeach()
# `nmrc analyze` of a spec prints the same diagnostic.
add_test(NAME cli_analyze_diag COMMAND ${NMRC} analyze tests/specs/compiler/three_spins.spin)
set_tests_properties(cli_analyze_diag PROPERTIES WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
  PASS_REGULAR_EXPRESSION "^tests/specs/compiler/three_spins\\.spin:12:3: error: this target term involves spin F, a third spin: targets on more than two spins are not supported yet\n    tensor C F \\[\\(0, 0, 0\\), \\(0, 0, 0\\), \\(0, 0, 1\\)\\]\n    \\^~~~~~\n$")
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
# compile applies the passes to a library sequence too: decoupling blocks
# (pi pulses on both channels) and the spec's p90 as pulse lengths.
add_test(NAME cli_compile_library_passes COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o libdd.xml --decouple xy4 --min-fidelity 0 -q; \
   \"$0\" analyze libdd.xml | grep -E '^sequence|finite pulses'; grep -c 'nmrc:duration=.2.99999[0-9]*e-05' libdd.xml"
  ${NMRC} ${CSPECS}/library_dm.spin)
set_tests_properties(cli_compile_library_passes PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "^sequence dm_z: 31 events[^\n]*\n  fidelity [^\n]*finite pulses: 0\\.99[0-9]+\n[1-9][0-9]*\n$")

# --charge: the protocol's charging pulse alone, judged against
# exp(-i w omega t (X1 + X2)): exact as a delta pulse; one simultaneous pulse.
add_test(NAME cli_compile_charge COMMAND sh -c
  "set -e; \"$0\" compile \"$1\" -o ch.xml --pp ch.pp --charge 0.7854 --delta; grep -c ':f1 (p[0-9]* ph[0-9]*):f2' ch.pp"
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
  "set -e; \"$0\" compile \"$1\" -o opt.xml --min-fidelity 0; grep -o '3 plain Trotter steps' opt.xml"
  ${NMRC} ${CSPECS}/options.spin)
set_tests_properties(cli_compile_spec_options PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "robustness spin 1: [^\n]*-- first-order robust\n  robustness spin 2: [^\n]*-- first-order robust.*\n3 plain Trotter steps\n$")

# An XML file without nmrc:natural data: clear error, and --J supplies kappa.
add_test(NAME cli_analyze_xml_needs_j COMMAND sh -c
  "sed '/<nmrc:natural /d' \"$1\" > nonat.xml; \"$0\" analyze nonat.xml; echo exit=$?; \"$0\" analyze nonat.xml --J 215"
  ${NMRC} ${PROJECT_SOURCE_DIR}/sequences/dm_z.xml)
set_tests_properties(cli_analyze_xml_needs_j PROPERTIES WORKING_DIRECTORY ${CWORK}
  PASS_REGULAR_EXPRESSION "kappa is unknown .*--J HZ.*exit=1.*kappa = 337\\.721 rad/s \\(J = 215 Hz\\).*H0 = \\(kappa/2\\)\\(XY - YX\\)")
