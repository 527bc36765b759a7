# Battery kernel tests (sim/charge.c, sim/charge_map.c); CLI tests of the
# battery/thermal/dephase/map/state commands are in cli_battery.cmake.
nmrc_add_unit_test(test_charge test_charge.c)
