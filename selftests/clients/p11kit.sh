# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# p11-kit: the module file that userlib/pkcs11's `make install` puts in
# p11-kit's config directory registers khsm, and p11-kit-aware programs
# (p11-kit itself, p11tool without --provider) then find the khsm token.
# In the VM, where the root is a throwaway overlay, the tests run
# `make install` themselves if the host did not.

p11kit_tests() {
	command -v p11-kit >/dev/null || { skip "p11-kit absent"; return; }
	if ! p11-kit list-modules 2>/dev/null | grep -q '^khsm: '; then
		if [ "$(hostname)" = khsm-vm ]; then
			make -s -C "$REPO/userlib/pkcs11" install >"$W/out" 2>&1 ||
				{ fail "make install in the VM"; return; }
		else
			skip "khsm not registered with p11-kit (make -C userlib/pkcs11 install)"
			return
		fi
	fi
	if run p11-kit list-modules && has '^khsm: ' &&
	   has "token: $TOKEN_LABEL"; then
		pass "p11-kit list-modules: khsm and its token"
	else
		fail "p11-kit list-modules"
	fi
	if command -v p11tool >/dev/null && run p11tool --list-tokens &&
	   has "Label: $TOKEN_LABEL"; then
		pass "p11tool (through p11-kit) finds the khsm token"
	else
		fail "p11tool without --provider"
	fi
}
