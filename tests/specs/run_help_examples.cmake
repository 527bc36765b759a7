# run_help_examples.cmake: runs every example that `nmrc --help` and
# `nmrc COMMAND --help` print (README: "every command has nmrc COMMAND --help
# with an example") and fails when one exits non-zero.  The examples run in
# WORK, where examples/, sequences/ and bench/ link to the source tree, so the
# files they write stay out of the source folder.  Used by tests/docs.cmake:
#   cmake -DNMRC=path/to/nmrc -DSRC=source-dir -DWORK=scratch-dir -P run_help_examples.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
foreach(d examples sequences bench)
  file(CREATE_LINK ${SRC}/${d} ${WORK}/${d} SYMBOLIC)
endforeach()

# The commands: the lines of `nmrc --help` between "commands:" and the next blank line.
execute_process(COMMAND ${NMRC} --help OUTPUT_VARIABLE top RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nmrc --help: exit status ${rc}")
endif()
string(REGEX MATCH "commands:\n([^\n]+\n)+" block "${top}")
string(REGEX MATCHALL "\n  [a-z]+ " names "${block}")
set(helps "")
foreach(n ${names})
  string(STRIP "${n}" n)
  list(APPEND helps ${n})
endforeach()
list(LENGTH helps count)
if(count LESS 5)
  message(FATAL_ERROR "found only ${count} commands in nmrc --help:\n${top}")
endif()

set(ran 0)
foreach(cmd "" ${helps})
  if(cmd STREQUAL "")
    set(help "${top}")
  else()
    execute_process(COMMAND ${NMRC} ${cmd} --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "nmrc ${cmd} --help: exit status ${rc}")
    endif()
  endif()
  # Example lines follow "example:" or "examples:"; a trailing backslash continues a line.
  string(REGEX MATCH "examples?:\n.*" ex "${help}")
  string(REGEX REPLACE "\\\\\n *" " " ex "${ex}")
  string(REGEX MATCHALL "\n  nmrc [^\n]+" lines "${ex}")
  if(NOT cmd STREQUAL "" AND NOT lines)
    message(FATAL_ERROR "nmrc ${cmd} --help prints no example")
  endif()
  foreach(line ${lines})
    string(STRIP "${line}" line)
    string(REGEX REPLACE "^nmrc " "" args "${line}")
    separate_arguments(argv UNIX_COMMAND "${args}")
    execute_process(COMMAND ${NMRC} ${argv} WORKING_DIRECTORY ${WORK}
      RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "help example failed (exit ${rc}): ${line}\n${err}")
    endif()
    math(EXPR ran "${ran} + 1")
  endforeach()
endforeach()
message(STATUS "${ran} help examples ran")
