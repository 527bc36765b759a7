; x_dephasing
;
; X-dephasing sandwich: (pi/2)_y - z gradient (1 ms, 0.05 T/m) - (pi/2)_-y
; on 1H and 13C. The gradient dephases transverse magnetization (Z noise);
; the pulses turn it into dephasing about X, the paper's Pauli-X noise.
; Target operation: x_dephasing (a channel, not a unitary).
;
; Written by nmrc from its sequence IR.  Channels: f1 = 1H f2 = 13C.
;
;$CLASS=HighRes
;$DIM=1D
;$TYPE=
;$SUBTYPE=
;$COMMENT=

#include <Avance.incl>
#include <Grad.incl>

1 ze
2 d1 pl1:f1 pl2:f2
  50u UNBLKGRAD
  (p1 ph1):f1 (p3 ph1):f2
  p16:gp1
  (p1 ph2):f1 (p3 ph2):f2
  go=2 ph31  ; acquisition (the sequence itself has none)
  wr #0
  4u BLKGRAD
exit

ph1=1
ph2=3
ph31=0

;pl1 : f1 channel - power level for pulse (default)  [calibrate: p1 = 90 degrees]
;pl2 : f2 channel - power level for pulse (default)  [calibrate: p3 = 90 degrees]
;p1 : f1 channel - 90 degree high power pulse  [10 usec]
;p3 : f2 channel - 90 degree high power pulse  [15 usec]
;p16 : gradient pulse length  [1000 usec]
;d1 : relaxation delay; 1-5 * T1  [1 sec]
;gpz1: 10%  (gradient amplitude 0.05 T/m)
;gpnam1: RECT.1
;ns: 1 * n
