# Nothing but comments and white space: not a spec.

   # (a spec needs at least a system block with one spin)
;
