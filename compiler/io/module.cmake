# compiler/io: sequence files: the XML writer and safe reader with the
# built-in schema, and the TopSpin pulse-program writer.
set(NMRC_XSD_FILE ${PROJECT_SOURCE_DIR}/sequences/nmrc-seq.xsd)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${NMRC_XSD_FILE})
file(READ ${NMRC_XSD_FILE} nmrc_xsd_hex HEX)
string(LENGTH "${nmrc_xsd_hex}" nmrc_xsd_nhex)
math(EXPR nmrc_xsd_len "${nmrc_xsd_nhex} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," nmrc_xsd_bytes "${nmrc_xsd_hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
  nmrc_xsd_bytes "${nmrc_xsd_bytes}")
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/generated/nmrc_xsd.c CONTENT
"/* Generated from sequences/nmrc-seq.xsd by compiler/io/module.cmake: do not edit. */
#include <stddef.h>
extern const unsigned char nmrc_xsd_text[];
extern const size_t nmrc_xsd_len;
__attribute__((visibility(\"hidden\"))) const unsigned char nmrc_xsd_text[] = {
@nmrc_xsd_bytes@0x00};
__attribute__((visibility(\"hidden\"))) const size_t nmrc_xsd_len = @nmrc_xsd_len@;
" @ONLY)
nmrc_module(io DIR compiler/io
  SOURCES xml_text.c xml_write.c xml_dom.c xml_read.c xml_meta.c xml_parse.c topspin.c
    topspin_tables.c ${PROJECT_BINARY_DIR}/generated/nmrc_xsd.c
  HEADERS xml.h
  DEPS core ir)
