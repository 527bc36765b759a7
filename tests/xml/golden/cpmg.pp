; cpmg
;
; CPMG on 1H: 90_x then 4 echoes [tau 180_y tau] (a loop). The pi pulses
; refocus the 1H offset and the heteronuclear coupling, so the target is the
; bare 90_x rotation of 1H over the 8 tau block.
;
; Written by nmrc from its sequence IR.  Channels: f1 = 1H f2 = 13C.
;
;$CLASS=HighRes
;$DIM=1D
;$TYPE=
;$SUBTYPE=
;$COMMENT=

#include <Avance.incl>

1 ze
2 d1 pl1:f1 pl2:f2
  (p1 ph1):f1
3 d2
  (p2 ph2):f1
  d2
  lo to 3 times l1
  go=2 ph31  ; acquisition (the sequence itself has none)
  wr #0
exit

ph1=0
ph2=1
ph31=0

;pl1 : f1 channel - power level for pulse (default)  [calibrate: p1 = 90 degrees]
;pl2 : f2 channel - power level for pulse (default)  [calibrate: p3 = 90 degrees]
;p1 : f1 channel - 90 degree high power pulse  [10 usec]
;p2 : f1 channel - 180 degree high power pulse  [20 usec]
;d1 : relaxation delay; 1-5 * T1  [1 sec]
;d2 : tau  [500 usec]
;l1 : echoes  [4]
;p3 : f2 channel - 90 degree high power pulse  [15 usec]
;ns: 1 * n
