# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the client tests: where things are, the token, the counters.
# Sourced by run.sh; each test is a function that calls pass/fail.

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MOD=${KHSM_PKCS11_MODULE:-$REPO/userlib/pkcs11/khsm-pkcs11.so}
SETUP=$REPO/selftests/pkcs11/build/p11-setup
USER_PIN=${KHSM_TEST_USER_PIN:-khsm-test-user-pin}
SO_PIN=${KHSM_TEST_SO_PIN:-khsm-test-so-pin}
TOKEN_LABEL="khsm selftest"
TOKEN_URI="pkcs11:token=khsm%20selftest"
ENGINE=$(find /usr/lib/*/engines-3 -name pkcs11.so 2>/dev/null | head -n1)
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
export KHSM_PKCS11_MODULE=$MOD

passed=0 failed=0 skipped=0

pass() { echo "ok - $*"; passed=$((passed + 1)); }
skip() { echo "ok - # SKIP $*"; skipped=$((skipped + 1)); }
fail() {
	echo "not ok - $*"
	failed=$((failed + 1))
	# what the last command said
	[ -s "$W/out" ] && sed 's/^/#   /' "$W/out" | tail -n 15
	return 0
}

# run CMD...: run it, output (both streams) in $W/out, its status in $rc.
# A status of 128 or more is a signal: a crash, never acceptable.
run() {
	"$@" >"$W/out" 2>&1
	rc=$?
	if [ "$rc" -ge 128 ]; then
		echo "# $* died of signal $((rc - 128))" | cut -c1-160
	fi
	return "$rc"
}

# has PATTERN: the last output matches the extended regex
has() { grep -qE -- "$1" "$W/out"; }

hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }
