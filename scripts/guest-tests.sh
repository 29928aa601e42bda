#!/bin/bash
# Runs inside the VM (scripts/vm-run): every test suite in turn, each in a
# fresh module state, then one closing line summing them up.
set -uo pipefail
cd "$(dirname "$0")/.."

suites=(
	selftests/run.sh		# /dev/hsm ioctls (kselftest)
	userlib/pkcs11/run.sh		# khsm-pkcs11.so's own tests
	selftests/pkcs11/run.sh		# PKCS#11 compliance rules (seed report IDs)
	selftests/clients/run.sh	# pkcs11-tool, p11tool, openssl, p11-kit
	selftests/kcapi/run.sh		# crypto API offload: AF_ALG, dm-crypt
)

module=${KHSM_VM_MODULE:-driver/khsm.ko}
passed=0 failed=0 skipped=0
for s in "${suites[@]}"; do
	[ -x "$s" ] || continue
	echo "=== $s"
	# A fresh token for each suite: reload the module.
	rmmod khsm 2>/dev/null && insmod "$module" ${KHSM_MODPARAMS:-}
	out=$(mktemp)
	"$s" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	line=$(grep -E '^([A-Za-z0-9_]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -n1)
	p=$(sed -E 's/^([A-Za-z0-9_]+: )?([0-9]+) passed.*/\2/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	k=$(sed -nE 's/.* ([0-9]+) skipped.*/\1/p' <<<"$line")
	if [ -z "$line" ]; then
		echo "=== $s: no summary line (exit $rc)"
		p=0 f=1
	elif [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then
		echo "=== $s: exit $rc with no failed test counted"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + ${k:-0}))
	rm -f "$out"
done

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
