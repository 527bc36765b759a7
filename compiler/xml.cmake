# Sequence IR, Bruker-style XML reader/writer with its schema, and the
# TopSpin pulse-program writer.
list(APPEND NMRC_SOURCES compiler/seq.c compiler/seq_check.c compiler/xml_text.c compiler/xml_write.c
  compiler/xml_dom.c compiler/xml_read.c compiler/xml_meta.c compiler/xml_parse.c
  compiler/topspin.c compiler/topspin_tables.c compiler/seq_library.c)

# The schema is compiled into the library so that reading and writing never
# depend on where sequences/nmrc-seq.xsd is installed.  Regenerated when
# the .xsd changes (it is a configure dependency).
set(NMRC_XSD_FILE ${CMAKE_CURRENT_SOURCE_DIR}/sequences/nmrc-seq.xsd)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${NMRC_XSD_FILE})
file(READ ${NMRC_XSD_FILE} nmrc_xsd_hex HEX)
string(LENGTH "${nmrc_xsd_hex}" nmrc_xsd_nhex)
math(EXPR nmrc_xsd_len "${nmrc_xsd_nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," nmrc_xsd_bytes "${nmrc_xsd_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
  nmrc_xsd_bytes "${nmrc_xsd_bytes}")
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/generated/nmrc_xsd.c CONTENT
"/* Generated from sequences/nmrc-seq.xsd by compiler/xml.cmake: do not edit. */
#include <stddef.h>
extern const unsigned char nmrc_xsd_text[];
extern const size_t nmrc_xsd_len;
const unsigned char nmrc_xsd_text[] = {
@nmrc_xsd_bytes@0x00};
const size_t nmrc_xsd_len = @nmrc_xsd_len@;
" @ONLY)
list(APPEND NMRC_SOURCES ${CMAKE_CURRENT_BINARY_DIR}/generated/nmrc_xsd.c)
set_source_files_properties(compiler/xml_parse.c PROPERTIES COMPILE_DEFINITIONS
  "NMRC_SHARE_SEQUENCES=\"${CMAKE_INSTALL_FULL_DATADIR}/nmrc/sequences\"")
