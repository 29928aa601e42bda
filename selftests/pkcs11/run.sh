#!/bin/bash
# Run every PKCS#11 compliance test program against the module under test
# ($KHSM_PKCS11_MODULE, default userlib/pkcs11/khsm-pkcs11.so) and print
# one closing line "N passed, N failed, N skipped".  Exit non-zero on any
# failure.  Runs in the VM (scripts/vm-run) or, against SoftHSMv2, on the
# host:
#   KHSM_PKCS11_MODULE=/usr/lib/softhsm/libsofthsm2.so \
#   SOFTHSM2_CONF=/path/softhsm2.conf selftests/pkcs11/run.sh
# Programs to run may be named as arguments (e.g. rules_sign attr_props).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1	# the repository root: the module's default path

B=selftests/pkcs11/build
tests=(rules_session rules_sign rules_verify rules_digest rules_encrypt
       rules_decrypt rules_derive rules_attrib attr_props concurrency
       badinput lifecycle)
[ $# -gt 0 ] && tests=("$@")

# Built on the host by `make user`; build here only if that was not done.
if [ ! -x "$B/lifecycle" ]; then
	make -s -C selftests/pkcs11 >&2 || { echo "0 passed, 1 failed"; exit 1; }
fi
export KHSM_PKCS11_MODULE=${KHSM_PKCS11_MODULE:-$PWD/userlib/pkcs11/khsm-pkcs11.so}
[ -e /dev/hsm ] || [[ $KHSM_PKCS11_MODULE != */khsm-pkcs11.so ]] ||
	echo "run.sh: warning: no /dev/hsm (run me in the VM: scripts/vm-run)" >&2

pass=0 fail=0 skip=0
for t in "${tests[@]}"; do
	echo "=== pkcs11/$t"
	out=$(mktemp)
	"$B/$t" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	tot=$(grep -E '^# Totals: ' "$out" | tail -n1)
	p=$(sed -nE 's/.*Totals: pass:([0-9]+).*/\1/p' <<<"$tot")
	f=$(sed -nE 's/.* fail:([0-9]+).*/\1/p' <<<"$tot")
	s=$(sed -nE 's/.* skip:([0-9]+).*/\1/p' <<<"$tot")
	e=$(sed -nE 's/.* error:([0-9]+).*/\1/p' <<<"$tot")
	if [ -z "$tot" ] || [ -z "$p" ]; then
		echo "=== pkcs11/$t: no totals (exit $rc): counted as 1 failure"
		p=0 f=1 s=0 e=0
	elif [ "$rc" -ne 0 ] && [ "$((f + e))" -eq 0 ]; then
		echo "=== pkcs11/$t: exit $rc with no failed test: 1 failure"
		f=1
	fi
	pass=$((pass + p)) fail=$((fail + f + e)) skip=$((skip + s))
	rm -f "$out"
done
echo "pkcs11: $pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
