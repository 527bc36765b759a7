# A product state needs one digit per spin.
system { spin A 1H; spin B 13C }
initial product "011"
