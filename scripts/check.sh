#!/bin/bash
# `make check`: every test of khsm.  Static gates on the host, then all
# the suites in ONE VM boot (a boot costs 10-15 s under TCG).
set -euo pipefail
cd "$(dirname "$0")/.."

fail=0
gate() {	# gate NAME CMD...: run a host-side check, remember a failure
	local name=$1; shift
	if "$@"; then
		echo "ok - $name"
	else
		echo "not ok - $name"
		fail=1
	fi
}

# sparse: the module build with C=2 must print no warning at all
sparse_clean() {
	local log
	log=$(make -s sparse 2>&1) || { echo "$log"; return 1; }
	if grep -E 'warning:|error:' <<<"$log"; then return 1; fi
}

# checkpatch: no errors or warnings (CHECKs are advice)
checkpatch_clean() {
	local log
	log=$(scripts/checkpatch.sh 2>&1) || true
	if grep -E ': (ERROR|WARNING):' <<<"$log"; then return 1; fi
}

gate "sparse (make C=2) clean" sparse_clean
gate "checkpatch clean" checkpatch_clean
gate "devicetree binding and example" scripts/dt-check.sh

# All suites in one boot; guest-tests.sh prints the closing summary line.
# PBKDF2 at its production cost makes each login take seconds under TCG;
# the suites log in hundreds of times, so they run with the binding's
# minimum (the PIN tests check the parameter itself).
export KHSM_MODPARAMS=${KHSM_MODPARAMS-"pin_kdf_iterations=1000 max_objects=3000"}
scripts/vm-run --timeout "${KHSM_VM_TIMEOUT:-3000}" -- scripts/guest-tests.sh || fail=1

if [ "$fail" -ne 0 ]; then
	echo "make check: FAILED"
	exit 1
fi
echo "make check: all passed"
