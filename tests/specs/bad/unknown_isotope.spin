# An isotope that is not in the table.
system { spin X 17Q }
