# compiler/io: sequence files: the XML writer and safe reader with the
# built-in schemas (version 2, and version 1 for old files), the TopSpin
# pulse-program writer and the SVG pulse-sequence drawing.
set(nmrc_xsd_c "/* Generated from sequences/nmrc-seq*.xsd by compiler/io/module.cmake: do not edit. */
#include <stddef.h>
")
# Embeds schema file `xsd` as the hidden NUL-terminated array `sym` and its
# length `sym`_len (without the NUL).
foreach(pair "nmrc-seq.xsd:nmrc_xsd" "nmrc-seq-1.xsd:nmrc_xsd1")
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 xsd)
  list(GET pair 1 sym)
  set(file ${PROJECT_SOURCE_DIR}/sequences/${xsd})
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  file(READ ${file} hex HEX)
  string(LENGTH "${hex}" nhex)
  math(EXPR len "${nhex} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
    bytes "${bytes}")
  string(APPEND nmrc_xsd_c "extern const unsigned char ${sym}_text[];
extern const size_t ${sym}_len;
__attribute__((visibility(\"hidden\"))) const unsigned char ${sym}_text[] = {
${bytes}0x00};
__attribute__((visibility(\"hidden\"))) const size_t ${sym}_len = ${len};
")
endforeach()
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/generated/nmrc_xsd.c CONTENT "${nmrc_xsd_c}" @ONLY)
nmrc_module(io DIR compiler/io
  SOURCES xml_text.c xml_write.c xml_write_meta.c xml_dom.c xml_read.c xml_meta.c xml_parse.c topspin.c
    topspin_tables.c draw.c ${PROJECT_BINARY_DIR}/generated/nmrc_xsd.c
  HEADERS xml.h draw.h
  DEPS core ir)
