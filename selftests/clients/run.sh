#!/bin/bash
# Real PKCS#11 clients against khsm, checking results, not only exit codes:
# pkcs11-tool (OpenSC), p11tool (GnuTLS), p11-kit, openssl with the pkcs11
# engine.  Runs in the VM (scripts/vm-run); ends with one line
# "clients: N passed, N failed, N skipped", exit non-zero on a failure.
# Also runs on the host against SoftHSMv2 (KHSM_PKCS11_MODULE,
# SOFTHSM2_CONF) to check the tests themselves.
set -uo pipefail
cd "$(dirname "$0")" || exit 1
# shellcheck source-path=SCRIPTDIR
. ./lib.sh
. ./pkcs11-tool.sh
. ./p11tool.sh
. ./p11kit.sh
. ./openssl.sh

if [ ! -x "$SETUP" ]; then
	make -s -C "$REPO/selftests/pkcs11" build/p11-setup >&2
fi
# a fresh, initialized token (SO PIN, user PIN) for the clients
if ! run "$SETUP"; then
	fail "token set-up (C_InitToken, C_InitPIN) through $MOD"
	echo "clients: $passed passed, $failed failed, $skipped skipped"
	exit 1
fi
pass "token set-up through the module"

pkcs11_tool_tests
p11tool_tests
p11kit_tests
openssl_tests

echo "clients: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
