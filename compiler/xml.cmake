# Sequence IR, Bruker-style XML reader/writer and TopSpin pulse-program
# writer (owner: xml helper).
list(APPEND NMRC_SOURCES compiler/seq.c)
