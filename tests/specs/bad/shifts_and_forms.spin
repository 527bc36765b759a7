# Chemical shifts, carriers and coupling forms: 'shift' and 'offset' on one
# spin; a shift in Hz; a carrier for an isotope no spin has, one for an
# isotope whose spins use offsets only, one given twice; 'strong' on a
# heteronuclear coupling; 'homonuclear' twice.
system {
  field 400 MHz
  spin H 1H   offset 10 Hz  shift 4.7 ppm
  spin C1 13C shift 120 Hz
  spin C2 13C shift 30 ppm
  spin N 15N  offset 0 Hz
  carrier 19F 100 ppm
  carrier 15N 118 ppm
  carrier 13C 100 ppm
  carrier 13C 90 ppm
  homonuclear weak
  homonuclear strong
  couple H C2 J 140 Hz strong
}
