#!/bin/sh
# The whole suite: unit tests (Criterion) then end-to-end tests (real PDF oracles).
# Ends with one line "N passed, N failed" over both.
# ROLEPRESS_BUILD selects the build directory (e.g. build/sanitize for make check-sanitize).
cd "$(dirname "$0")/.." || exit 2
build=${ROLEPRESS_BUILD:-build}
# Criterion translates its report; its summary line is read below in English
LANGUAGE=en
export LANGUAGE
unit_out=$("$build"/unit-tests 2>&1)
unit_rc=$?
printf '%s\n' "$unit_out"
synth=$(printf '%s\n' "$unit_out" | grep 'Synthesis:' | tail -1)
u_pass=$(printf '%s' "$synth" | sed -n 's/.*Passing: \([0-9]*\).*/\1/p')
u_fail=$(printf '%s' "$synth" | sed -n 's/.*Failing: \([0-9]*\).*Crashing: \([0-9]*\).*/\1 \2/p')
u_fail=$(( ${u_fail% *} + ${u_fail#* } ))
[ -n "$u_pass" ] || { u_pass=0; u_fail=$((u_fail + 1)); }
e2e_out=$(python3 tests/e2e.py 2>&1)
e2e_rc=$?
printf '%s\n' "$e2e_out"
e_line=$(printf '%s\n' "$e2e_out" | grep '^e2e: ' | tail -1)
e_pass=$(printf '%s' "$e_line" | sed -n 's/^e2e: \([0-9]*\) passed.*/\1/p')
e_fail=$(printf '%s' "$e_line" | sed -n 's/.* \([0-9]*\) failed$/\1/p')
[ -n "$e_pass" ] || { e_pass=0; e_fail=1; }
echo "$((u_pass + e_pass)) passed, $((u_fail + e_fail)) failed"
[ "$unit_rc" -eq 0 ] && [ "$e2e_rc" -eq 0 ]
