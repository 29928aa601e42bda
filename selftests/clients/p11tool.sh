# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# GnuTLS p11tool against khsm: tokens, mechanisms, objects, a secret key
# written and deleted.  Key-pair generation needs EC/RSA, which khsm does not
# have yet: it must fail cleanly (to be a real key test with EC/RSA).

P11=(p11tool --provider "$MOD")

p11_url() {	# the token's URL from --list-tokens
	"${P11[@]}" --list-tokens 2>/dev/null |
		sed -n 's/^[[:space:]]*URL: \(pkcs11:.*token=khsm%20selftest.*\)$/\1/p' |
		head -n1
}

p11tool_tests() {
	local url key=00112233445566778899aabbccddeeff
	command -v p11tool >/dev/null || { skip "p11tool absent"; return; }
	export GNUTLS_PIN=$USER_PIN

	if run "${P11[@]}" --list-tokens && has "Label: $TOKEN_LABEL" &&
	   has 'Manufacturer: ' && url=$(p11_url) && [ -n "$url" ]; then
		pass "p11tool --list-tokens: the khsm token"
	else
		fail "p11tool --list-tokens"
		return
	fi

	if run "${P11[@]}" --list-mechanisms "$url" && has 'CKM_AES_GCM' &&
	   has 'CKM_SHA256_HMAC' && has 'CKM_AES_KEY_GEN'; then
		pass "p11tool --list-mechanisms"
	else
		fail "p11tool --list-mechanisms"
	fi

	if run "${P11[@]}" --login --write --secret-key "$key" \
		--label p11tool-sk "$url" &&
	   run "${P11[@]}" --login --list-all "$url" &&
	   has 'Type: Secret key' && has 'Label: p11tool-sk'; then
		pass "p11tool --write --secret-key, --list-all shows it"
	else
		fail "p11tool --write --secret-key / --list-all"
	fi
	# the key written is the key given: its value, where readable
	if run pkcs11-tool --module "$MOD" --login --pin "$USER_PIN" \
		--read-object --type secrkey --label p11tool-sk -o "$W/sk"; then
		if [ "$(hex "$W/sk")" = "$key" ]; then
			pass "p11tool's secret key holds the value given"
		else
			fail "p11tool's secret key: value $(hex "$W/sk")"
		fi
	else
		skip "p11tool's secret key is not extractable: value unchecked"
	fi

	if run "${P11[@]}" --login --batch --delete "$url;object=p11tool-sk" &&
	   run "${P11[@]}" --login --list-all "$url" &&
	   ! has 'Label: p11tool-sk'; then
		pass "p11tool --delete"
	else
		fail "p11tool --delete"
	fi

	# no EC/RSA in khsm yet: key-pair generation fails cleanly
	run "${P11[@]}" --login --generate-privkey ECDSA --curve secp256r1 \
		--label p11tool-ec "$url"
	if [ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] &&
	   run "${P11[@]}" --login --list-all "$url" &&
	   ! has 'Label: p11tool-ec'; then
		pass "p11tool --generate-privkey ECDSA: refused cleanly (no EC yet)"
	else
		fail "p11tool --generate-privkey ECDSA (want a clean failure)"
	fi
	unset GNUTLS_PIN
}
