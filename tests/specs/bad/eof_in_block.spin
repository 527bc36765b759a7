# The end of the file comes before the closing brace.
noise {
  dephase X H rate 0.1