list(APPEND NMRC_SOURCES compiler/status.c)
