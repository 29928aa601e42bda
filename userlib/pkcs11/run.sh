#!/bin/bash
# The PKCS#11 library's own checks (test-lib, test-ops; see Documentation/
# pkcs11.rst), with one closing line "p11lib: N passed, N failed, N skipped"
# for scripts/guest-tests.sh.  test-ops reinitializes the token: run in the
# VM (scripts/vm-run).  Built on the host by `make -C userlib/pkcs11`.
set -uo pipefail
cd "$(dirname "$0")"

[ -x test-lib ] && [ -x test-ops ] && [ -f khsm-pkcs11.so ] ||
	make -s >&2 || { echo "p11lib: 0 passed, 1 failed"; exit 1; }

pass=0 fail=0 skip=0
for t in test-lib test-ops; do
	echo "=== p11lib/$t"
	out=$(mktemp)
	"./$t" ./khsm-pkcs11.so 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	p=$(grep -cE '^ok [0-9]+' "$out")
	f=$(grep -cE '^not ok [0-9]+' "$out")
	s=$(grep -cE '^1\.\.0 # SKIP' "$out")
	if ! grep -qE '^1\.\.[0-9]+' "$out"; then
		echo "=== p11lib/$t: no plan (exit $rc): 1 failure"
		f=$((f + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "=== p11lib/$t: exit $rc with no failed check: 1 failure"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
	rm -f "$out"
done
echo "p11lib: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
