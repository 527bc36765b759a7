# CLI tests of the simulation commands: battery, map, thermal, dephase and
# state on examples/battery.spin (headers, the paper's Fig. 6 numbers, fast
# kernel = dense path, error messages).  Full paper maps stay out (CI time).
set(BAT ${PROJECT_SOURCE_DIR}/examples/battery.spin)
set(NMRC $<TARGET_FILE:nmrc>)

function(nmrc_cli_test name regex)
  add_test(NAME ${name} COMMAND ${ARGN})
  set_tests_properties(${name} PROPERTIES PASS_REGULAR_EXPRESSION "${regex}"
    ENVIRONMENT "OMP_NUM_THREADS=2")
endfunction()

foreach(cmd battery thermal dephase map state)
  nmrc_cli_test(cli_${cmd}_help "examples?:\n  nmrc ${cmd} " ${NMRC} ${cmd} --help)
endforeach()

# battery: header, first row at t = 0 has zero ergotropy; the paper's Fig. 6
# (Delta = 1, eps = 0.1, T = 0.5): xi_max ~ 2 at wt = pi/4 for B = 0 and ~ 8
# at wt = pi/2 for B = 2.
nmrc_cli_test(cli_battery_csv
  "(^|\n)t,energy,ergotropy,antiergotropy,capacity,coherence\n0,-?[0-9.e-]+,0,-"
  ${NMRC} battery ${BAT} --set D=0.3 --set T=0.7 --csv -)
nmrc_cli_test(cli_battery_fig6_b0 "ergotropy max +1\\.959[0-9]* at wt = 0\\.785398"
  ${NMRC} battery ${BAT} --set T=0.5 --csv -)
nmrc_cli_test(cli_battery_fig6_b2 "ergotropy max +7\\.838[0-9]* at wt = 1\\.5708"
  ${NMRC} battery ${BAT} --set T=0.5 --set B=2 --csv -)

# The dense path (initial charged 0: same state, general code) agrees with
# the Fourier kernel to the CSV's 12 digits.
file(READ ${BAT} bat_text)
string(REPLACE "initial gibbs" "initial charged 0" bat_text "${bat_text}")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/battery_dense.spin "${bat_text}")
add_test(NAME cli_battery_dense_equals_fast COMMAND sh -c
  "set -e; \"$0\" battery \"$1\" --set D=0.3 --set B=0.4 --set G=-0.2 --csv - > fast.csv; \
   \"$0\" battery \"$2\" --set D=0.3 --set B=0.4 --set G=-0.2 --csv - > dense.csv; \
   paste -d, fast.csv dense.csv | awk -F, 'NR>1{for(i=1;i<=6;i++){d=$i-$(i+6);if(d<0)d=-d;if(d>m)m=d}}END{print (NR==1002 && m<1e-9) ? \"agree \" m : \"differ \" m \" rows \" NR}'"
  ${NMRC} ${BAT} ${CMAKE_CURRENT_BINARY_DIR}/battery_dense.spin)
set_tests_properties(cli_battery_dense_equals_fast PROPERTIES PASS_REGULAR_EXPRESSION "(^|\n)agree"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# map: header with the swept names, Fig. 11 corner value.
nmrc_cli_test(cli_map_small
  "(^|\n)D,G,ergotropy_max,t_ergotropy_max,antiergotropy_min,capacity,coherence_max\n-10,-10,39\\.9558[0-9]*,1\\.5707963"
  ${NMRC} map ${BAT} --sweep D=-10:10:5 --sweep G=-10:10:3 --set Delta=-1 --set eps=0.5
  --set T=1 --csv -)
nmrc_cli_test(cli_map_one_sweep "needs two --sweep" ${NMRC} map ${BAT} --sweep D=0:1:3)
nmrc_cli_test(cli_map_unknown_param "nmrc map: --sweep: .*Q" ${NMRC} map ${BAT}
  --sweep Q=0:1:2 --sweep D=0:1:2)
nmrc_cli_test(cli_map_bad_sweep "bad --sweep 'D=0:1'" ${NMRC} map ${BAT} --sweep D=0:1
  --sweep G=0:1:2)

# thermal: near T = 0 the ground state of the Fig. 5 set is a Bell state.
nmrc_cli_test(cli_thermal_csv
  "(^|\n)T,coherence,discord,concurrence,energy,entropy\n0\\.05,0\\.99999[0-9]*,0\\.99999[0-9]*,0\\.99999"
  ${NMRC} thermal ${BAT} --sweep T=0.05:4:4 --csv -)
nmrc_cli_test(cli_thermal_no_sweep "needs exactly one --sweep" ${NMRC} thermal ${BAT})

# dephase: header and the Gibbs state's measures at t = 0.
nmrc_cli_test(cli_dephase_csv
  "(^|\n)t,coherence,discord,concurrence,purity\n0,0\\.5136708[0-9]*,0\\.2194215[0-9]*,0\\.29895[0-9]*,0\\.4678351"
  ${NMRC} dephase ${BAT} --csv -)
nmrc_cli_test(cli_dephase_bad_pair "bad --pair '0,0'" ${NMRC} dephase ${BAT} --pair 0,0)

# state: the Gibbs matrix and its summary; charged to pi/4.
nmrc_cli_test(cli_state_gibbs "(^|\n)row,col,re,im\n0,0,0\\.0896610[0-9]*,0\n"
  ${NMRC} state ${BAT} --csv -)
nmrc_cli_test(cli_state_summary "initial state \\(Gibbs\\).*trace 1, purity 0\\.467835"
  ${NMRC} state ${BAT} --csv -)
nmrc_cli_test(cli_state_at "charged to wt = 0\\.785398.*ergotropy 1\\.27052"
  ${NMRC} state ${BAT} --at t=0.785398 --csv -)
nmrc_cli_test(cli_state_bad_at "bad --at 't=x'" ${NMRC} state ${BAT} --at t=x)

# Errors: clear message, no crash.
nmrc_cli_test(cli_battery_unknown_option "unknown option '--bogus'" ${NMRC} battery ${BAT}
  --bogus)
nmrc_cli_test(cli_battery_no_file "missing FILE.spin" ${NMRC} battery)
nmrc_cli_test(cli_battery_missing_file "no_such_file\\.spin" ${NMRC} battery
  ${CMAKE_CURRENT_BINARY_DIR}/no_such_file.spin)
nmrc_cli_test(cli_battery_negative_T "[Tt]emperature" ${NMRC} battery ${BAT} --set T=-1)
nmrc_cli_test(cli_battery_unwritable "cannot write /nonexistent_dir/x\\.csv" ${NMRC} battery
  ${BAT} --csv /nonexistent_dir/x.csv)

# --csv to a FIFO (or a device such as /dev/null) writes in place instead of
# renaming a temporary file over it; the FIFO survives and gets the CSV.
add_test(NAME cli_battery_csv_fifo COMMAND sh -c
  "set -e; rm -f bat.fifo bat.fifo.out; mkfifo bat.fifo; cat bat.fifo > bat.fifo.out & \
   \"$0\" battery \"$1\" --csv bat.fifo 2>/dev/null; wait; test -p bat.fifo; \
   echo fifo rows $(wc -l < bat.fifo.out); rm -f bat.fifo bat.fifo.out"
  ${NMRC} ${BAT})
set_tests_properties(cli_battery_csv_fifo PROPERTIES PASS_REGULAR_EXPRESSION "fifo rows 1002"
  WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# Three independent spins in a field B (dense path, N != 2): the ergotropy
# maximum is the capacity 6 B tanh(B/T) = 1.386351 at wt = pi/2 (B = 0.5, T = 1).
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/battery_three.spin
"param B = 0.5\nsystem {\n  spin a 1H\n  spin b 1H\n  spin c 1H\n}\ntarget { zeeman B }\n\
charge { strength 1  axis x  time 0 : pi : 201 }\ntemperature 1\n")
nmrc_cli_test(cli_battery_three_spins
  "ergotropy max +1\\.38635 at wt = 1\\.5708.*capacity +1\\.38635"
  ${NMRC} battery ${CMAKE_CURRENT_BINARY_DIR}/battery_three.spin --csv -)

# thermal --sweep T on a spec without a parameter T sets the temperature
# itself; a single spin pair in B (Z1 + Z2) has no entanglement at any T.
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/thermal_literal.spin
"system {\n  spin a 1H\n  spin b 13C\n}\ntarget { zeeman 0.5 }\ntemperature 2\n")
nmrc_cli_test(cli_thermal_literal_T "(^|\n)T,coherence,discord,concurrence,energy,entropy\n0\\.5,0,[0-9.e-]+,0,-0\\.7615941"
  ${NMRC} thermal ${CMAKE_CURRENT_BINARY_DIR}/thermal_literal.spin --sweep T=0.5:1:2 --csv -)
nmrc_cli_test(cli_thermal_unknown_param "defines no parameter 'X'" ${NMRC} thermal
  ${CMAKE_CURRENT_BINARY_DIR}/thermal_literal.spin --sweep X=0:1:2)
