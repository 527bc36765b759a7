# Statements, but no spin: every command needs a spin system.
system {
  field 400 MHz
}
omega = 50 Hz
temperature 0.5
