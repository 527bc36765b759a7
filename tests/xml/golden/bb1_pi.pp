; bb1_pi
;
; BB1 (Wimperis) broadband pi_x on 1H: 180_0 180_104.48 360_313.43
; 180_104.48 with finite pulses (rf90 10 us). Flip-angle (amplitude) error
; infidelity scales as eps^6. Target: the ideal 180_x rotation.
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
  (p2 ph1):f1
  (p2 ph2):f1
  (p11 ph3):f1
  (p2 ph2):f1
  go=2 ph31  ; acquisition (the sequence itself has none)
  wr #0
exit

ph1=0
ph2=(65536) 19020
ph3=(65536) 57059
ph31=0

;pl1 : f1 channel - power level for pulse (default)  [calibrate: p1 = 90 degrees]
;pl2 : f2 channel - power level for pulse (default)  [calibrate: p3 = 90 degrees]
;p2 : f1 channel - 180 degree high power pulse  [20 usec]
;p11 : f1 channel - 360 degree high power pulse  [40 usec]
;d1 : relaxation delay; 1-5 * T1  [1 sec]
;p1 : f1 channel - 90 degree high power pulse  [10 usec]
;p3 : f2 channel - 90 degree high power pulse  [15 usec]
;ns: 1 * n
