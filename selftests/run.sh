#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the khsm selftests (inside the VM: scripts/vm-run -- selftests/run.sh),
# each program's TAP output in turn, and end with exactly one line
#   N passed, N failed, N skipped
# counting test cases.  Exit status is non-zero if any test case failed.
#
#   selftests/run.sh [TEST...]     default: all, in the order below
#
# fuzz may leave the PINs locked and unload reloads the module, so those two
# run last, in that order.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
all=(abi core token session object mech state policy multiproc fuzz unload)
tests=("$@")
[[ ${#tests[@]} -gt 0 ]] || tests=("${all[@]}")

pass=0 fail=0 skip=0
for t in "${tests[@]}"; do
	bin=$here/build/$t
	echo "# ==== $t"
	if [[ ! -x $bin ]]; then
		echo "not ok 1 $t # program not built (make -C selftests)"
		fail=$((fail + 1))
		continue
	fi
	out=$(mktemp)
	timeout --foreground 1800 "$bin" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^ok [0-9]+' "$out")
	s=$(grep -cE '^ok [0-9]+.*# SKIP' "$out")
	f=$(grep -cE '^not ok [0-9]+' "$out")
	p=$((p - s))
	if [[ $rc -eq 4 && $((p + f + s)) -eq 0 ]]; then
		s=1		# the whole program skipped (no /dev/hsm, not root)
	elif [[ $rc -ne 0 && $f -eq 0 ]]; then
		echo "not ok - $t exited $rc without a failing test case"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	rm -f "$out"
done

echo "$pass passed, $fail failed, $skip skipped"
[[ $fail -eq 0 ]]
