#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The crypto API offload (issue 8), inside the VM (scripts/vm-run; the rig
# has loaded khsm.ko, and algif_*, loop, dm-crypt, dm-integrity).
#
#  1. /proc/crypto: every khsm driver registered, self-tests passed,
#     priority = alg_priority; khsm is not chosen by cra_name at the default
#     priority; its inner transforms are not khsm (no self-calls); rmmod is
#     refused while a transform is allocated.
#  2. kcapi_test: known answers over AF_ALG with libkcapi, raw keys and key
#     tokens, policy, forgeries, revocation.
#  3. kcapi-enc / kcapi-dgst with gcm-aes-khsm, hmac-sha256-khsm and a token.
#  4. dm-crypt with authenticated encryption over dm-integrity on a loop
#     device: raw key (capi:gcm-aes-khsm-random) and HSM-resident key
#     (capi:gcm(khsm-aes)-random, the table's key is the key token): write,
#     close, reopen, read back; a flipped byte gives an I/O error; a
#     destroyed key gives I/O errors and cannot be loaded again.
#  5. Reload with alg_priority=1000: khsm wins gcm(aes); cryptsetup LUKS2
#     --cipher aes-gcm-random --integrity aead runs on khsm.  Then reload
#     with the default parameters (clean unregister and re-register).
#
# Prints TAP lines and, last, "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")" || exit 1

B=$PWD/build
KT=$B/khsm-keytoken
MODULE=${KHSM_VM_MODULE:-$(cd ../.. && pwd)/driver/khsm.ko}
W=$(mktemp -d /tmp/khsm-kcapi.XXXXXX)
export DM_DISABLE_UDEV=1
# the VM's /dev is a bare devtmpfs: process substitution needs /dev/fd
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
pass=0 fail=0 skip=0 n=0

ok() { n=$((n + 1)); pass=$((pass + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fail=$((fail + 1)); echo "not ok $n - $*"; }
skp() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n - # SKIP $*"; }
t() {	# t NAME CMD...: one test from a command's exit status
	local name=$1; shift
	if "$@"; then ok "$name"; else nok "$name"; fi
}
finish() {
	cleanup
	echo "kcapi: $pass passed, $fail failed, $skip skipped"
	[ "$fail" -eq 0 ]
	exit $?
}
cleanup() {
	local d
	hold_stop
	for d in kc_tok kc_raw kc_luks kc_tok_int kc_raw_int; do
		dmsetup remove "$d" >/dev/null 2>&1
	done
	cryptsetup close kc_luks >/dev/null 2>&1
	losetup -D >/dev/null 2>&1
	rm -rf "$W"
}

for p in kcapi_test khsm-keytoken; do
	[ -x "$B/$p" ] || { nok "$B/$p built (make -C selftests/kcapi)"; finish; }
done
if [ ! -c /dev/hsm ]; then
	skp "/dev/hsm absent"
	finish
fi

# ---- /proc/crypto helpers ----------------------------------------------

# field DRIVER FIELD: a field of the /proc/crypto entry of DRIVER
field() {
	awk -v d="$1" -v f="$2" '
		/^name/ { inent = 0 }
		$1 == "driver" && $3 == d { inent = 1 }
		inent && $1 == f { sub(/^[^:]*: /, ""); print; exit }
	' /proc/crypto
}

# drivers of cra_name NAME, one per line
drivers_of() {
	awk -v n="$1" '$1 == "name" { cur = $3 } $1 == "driver" && cur == n { print $3 }' /proc/crypto
}

# hold aead|hash NAME [HEXKEY]: keep a transform allocated (coprocess)
HOLD_PID=
hold_start() {
	coproc HOLD { exec "$B/kcapi_test" hold "$@" 2>&1; }
	local line=
	read -r -t 60 line <&"${HOLD[0]}"
	[ "$line" = ready ] || { echo "# hold $*: $line"; hold_stop; return 1; }
}
hold_stop() {
	[ -n "${HOLD_PID:-}" ] || return 0
	eval "exec ${HOLD[1]}>&-" 2>/dev/null
	wait "$HOLD_PID" 2>/dev/null
	HOLD_PID=
}

# ---- 1. registrations ----------------------------------------------------

prio=$(cat /sys/module/khsm/parameters/alg_priority 2>/dev/null)
DRIVERS="gcm-aes-khsm rfc4106-gcm-aes-khsm gcm-aes-token-khsm
	 hmac-sha256-khsm hmac-sha384-khsm hmac-sha512-khsm
	 hmac-sha256-token-khsm hmac-sha384-token-khsm hmac-sha512-token-khsm"
for d in $DRIVERS; do
	st=$(field "$d" selftest) m=$(field "$d" module) p=$(field "$d" priority)
	a=$(field "$d" async)
	if [ "$st" = passed ] && [ "$m" = khsm ] && [ "$p" = "$prio" ] &&
	   [ "$a" = yes ]; then
		ok "/proc/crypto: $d registered, self-test passed, priority $p, async"
	else
		nok "/proc/crypto: $d: selftest '$st' module '$m' priority '$p' (want $prio) async '$a'"
	fi
done
t "dmesg: no self-test failure" bash -c "! dmesg | grep -E 'alg: .*(failed|error)'"

# The inner transform of gcm-aes-khsm is not khsm: holding one raises the
# refcnt of exactly one non-khsm gcm(aes) driver.
declare -A before
for d in $(drivers_of 'gcm(aes)'); do before[$d]=$(field "$d" refcnt); done
if hold_start aead gcm-aes-khsm; then
	up=
	for d in $(drivers_of 'gcm(aes)'); do
		[ "$(field "$d" refcnt)" -gt "${before[$d]}" ] && up="$up $d"
	done
	hold_stop
	case "$up" in
	*" gcm-aes-khsm"*) inner=${up/ gcm-aes-khsm/} ;;
	*) inner="?$up" ;;
	esac
	inner=${inner# }
	if [ -n "$inner" ] && [[ $inner != *khsm* ]] && [[ $inner != *" "* ]]; then
		ok "gcm-aes-khsm runs on $inner, not on itself"
	else
		nok "gcm-aes-khsm's inner transform: drivers whose refcnt rose: '$up'"
	fi
else
	nok "hold gcm-aes-khsm"
fi

# At the default priority a user asking for gcm(aes) or hmac(sha384) by name
# does not get khsm (hmac(sha384) has no instance until someone asks: the
# registration made the kernel's own exist first).
if [ "$prio" -lt 100 ]; then
	for spec in "aead gcm(aes) gcm-aes-khsm $(printf '%032d' 0)" \
		    "hash hmac(sha384) hmac-sha384-khsm 00112233" \
		    "hash hmac(sha512) hmac-sha512-khsm 00112233"; do
		read -r kind name drv key <<<"$spec"
		r0=$(field "$drv" refcnt)
		if hold_start "$kind" "$name" "$key"; then
			r1=$(field "$drv" refcnt)
			hold_stop
			t "$name by name is not served by $drv at priority $prio ($r0 -> $r1)" \
				[ "$r1" = "$r0" ]
		else
			nok "hold $name"
		fi
	done
else
	skp "priority $prio: khsm may win by name"
fi

# Unloading with a transform allocated is refused (the crypto API holds a
# reference on cra_module per transform).
if hold_start aead gcm-aes-khsm; then
	t "rmmod refused while a gcm-aes-khsm transform exists" \
		bash -c '! rmmod khsm 2>/dev/null'
	hold_stop
else
	nok "hold gcm-aes-khsm for rmmod"
fi
[ -c /dev/hsm ] || { nok "khsm still loaded"; finish; }

# ---- 2. libkcapi C tests ---------------------------------------------------

out=$W/kcapi_test.out
"$B/kcapi_test" >"$out" 2>&1
rc=$?
grep -vE '^TAP|^#' "$out" | sed 's/^/    /'
line=$(grep -E '^# kcapi_test: [0-9]+ passed' "$out")
if [ -n "$line" ]; then
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
	s=$(sed -E 's/.* ([0-9]+) skipped.*/\1/' <<<"$line")
	pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s)) n=$((n + p + f + s))
	echo "# kcapi_test: $p passed, $f failed, $s skipped (exit $rc)"
	[ "$rc" -eq 0 ] || [ "$f" -gt 0 ] || nok "kcapi_test exit $rc"
else
	nok "kcapi_test ran to its summary (exit $rc)"
fi

# ---- 3. kcapi-enc, kcapi-dgst ------------------------------------------------

bin() { xxd -r -p <<<"$1" >"$2"; }

"$KT" reset >/dev/null || nok "khsm-keytoken reset"
K3=feffe9928665731c6d6a8f9467308308
IV3=cafebabefacedbaddecaf888
A4=feedfacedeadbeeffeedfacedeadbeefabaddad2
P4=d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39
C4=42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091
T4=5bc94fbc3221a5db94fae95ae7121a47
T4BAD=5bc94fbc3221a5db94fae95ae7121a48
bin "$K3" "$W/k3"
bin "$P4" "$W/p4"
bin "$C4" "$W/c4"
read -r _ TOK3 < <("$KT" create aes "$K3" allow=gcm)
bin "${TOK3:-00}" "$W/tok3"

# same() NAME GOT WANT: a test that shows what it got when it fails
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1: got '$2'"; fi
}

# kcapi-enc writes the AAD, then the ciphertext (and tag) or plaintext
enc_test() {	# enc_test CIPHER KEYFILE
	local got
	got=$(kcapi-enc -e -c "$1" --iv "$IV3" --aad "$A4" --taglen 16 \
		--keyfd 3 3<"$2" <"$W/p4" 2>&1 | xxd -p | tr -d '\n')
	same "kcapi-enc -c $1: GCM TC4 ciphertext and tag" "$got" "$A4$C4$T4"
	got=$(kcapi-enc -d -c "$1" --iv "$IV3" --aad "$A4" --tag "$T4" \
		--keyfd 3 3<"$2" <"$W/c4" 2>&1 | xxd -p | tr -d '\n')
	same "kcapi-enc -d -c $1: GCM TC4 plaintext" "$got" "$A4$P4"
	kcapi-enc -d -c "$1" --iv "$IV3" --aad "$A4" --tag "$T4BAD" \
		--keyfd 3 3<"$2" <"$W/c4" >"$W/bad.out" 2>"$W/bad.err"
	rc=$?
	t "kcapi-enc -d -c $1: a wrong tag fails (exit $rc, $(head -c 80 "$W/bad.err"))" \
		[ "$rc" -ne 0 ] && [ ! -s "$W/bad.out" ]
}
enc_test gcm-aes-khsm "$W/k3"
enc_test 'gcm(khsm-aes)' "$W/tok3"

printf Jefe >"$W/jefe"
MAC2=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843
got=$(printf 'what do ya want for nothing?' |
	kcapi-dgst -c hmac-sha256-khsm --keyfd 3 --hex 3<"$W/jefe" 2>&1)
same "kcapi-dgst -c hmac-sha256-khsm: RFC 4231 TC2" "$got" "$MAC2"
read -r _ TOKJ < <("$KT" create generic "$(xxd -p "$W/jefe")")
bin "${TOKJ:-00}" "$W/tokj"
got=$(printf 'what do ya want for nothing?' |
	kcapi-dgst -c 'hmac(khsm-sha256)' --keyfd 3 --hex 3<"$W/tokj" 2>&1)
same "kcapi-dgst -c hmac(khsm-sha256) with a key token: RFC 4231 TC2" \
	"$got" "$MAC2"

# ---- 4. dm-crypt -----------------------------------------------------------

IMG=$W/disk.img
SIZE_MB=16
LOOP=

# integrity_up NAME: dm-integrity with 28-byte external tags (12-byte random
# IV + 16-byte GCM tag, what dm-crypt's integrity:28:aead wants) on $LOOP;
# prints its data sectors.  A zeroed superblock is formatted on first load.
integrity_up() {
	local sect
	dmsetup create "$1" --table "0 8 integrity $LOOP 0 28 D 0" || return 1
	sect=$(dmsetup status "$1" | awk '{ print $5 }')
	dmsetup remove "$1" || return 1
	dmsetup create "$1" --table "0 $sect integrity $LOOP 0 28 D 0" || return 1
	echo "$sect"
}

# crypt_up NAME CIPHER KEYHEX SECTORS INTEGRITY-DEV
crypt_up() {
	dmsetup create "$1" --table \
		"0 $4 crypt capi:$2-random $3 0 /dev/mapper/$5 0 1 integrity:28:aead"
}

stack_down() {	# stack_down CRYPT INTEGRITY
	dmsetup remove "$1" 2>/dev/null
	dmsetup remove "$2" 2>/dev/null
}

# dm_round NAME CIPHER KEYHEX DRIVER: the whole volume life on a fresh image
dm_round() {
	local name=$1 cipher=$2 key=$3 drv=$4 sect r0 r1 data=$W/data.bin
	rm -f "$IMG"
	truncate -s ${SIZE_MB}M "$IMG"
	LOOP=$(losetup -f --show "$IMG") || { nok "$name: losetup"; return 1; }
	sect=$(integrity_up "${name}_int") || { nok "$name: dm-integrity"; return 1; }
	r0=$(field "$drv" refcnt)
	if ! crypt_up "$name" "$cipher" "$key" "$sect" "${name}_int"; then
		nok "$name: dm-crypt table with capi:$cipher-random"
		stack_down "$name" "${name}_int"
		return 1
	fi
	r1=$(field "$drv" refcnt)
	t "$name: dm-crypt capi:$cipher-random is served by $drv (refcnt $r0 -> $r1)" \
		[ "$r1" -gt "$r0" ]
	head -c 1M /dev/urandom >"$data"
	cp "$IMG" "$W/img.before"
	t "$name: write 1 MiB" dd if="$data" of="/dev/mapper/$name" bs=64k \
		oflag=direct status=none
	stack_down "$name" "${name}_int"
	# sectors are 16-byte aligned in the file: look for plaintext blocks
	t "$name: the backing file holds no plaintext" \
		bash -c "! xxd -p -c 16 '$IMG' | grep -qxF -e \$(head -c 16 '$data' | xxd -p) -e \$(tail -c 16 '$data' | xxd -p)"

	# reopen, read back
	integrity_up "${name}_int" >/dev/null &&
		crypt_up "$name" "$cipher" "$key" "$sect" "${name}_int"
	t "$name: reopened volume reads back what was written" \
		cmp -n 1048576 "$data" "/dev/mapper/$name"
	stack_down "$name" "${name}_int"

	# a flipped byte in a written sector: EIO, not wrong data
	off=$(cmp -l "$W/img.before" "$IMG" | awk 'NR == 5000 { print $1 - 1; exit }')
	rm -f "$W/img.before"
	if [ -n "$off" ]; then
		b=$(dd if="$IMG" bs=1 skip="$off" count=1 status=none | xxd -p)
		printf '%b' "\\x$(printf %02x $((0x$b ^ 0x01)))" |
			dd of="$IMG" bs=1 seek="$off" conv=notrunc status=none
		integrity_up "${name}_int" >/dev/null &&
			crypt_up "$name" "$cipher" "$key" "$sect" "${name}_int"
		t "$name: a flipped byte at $off of the backing file gives an I/O error" \
			bash -c "! dd if=/dev/mapper/$name of=/dev/null bs=1M count=1 iflag=direct status=none 2>/dev/null"
		stack_down "$name" "${name}_int"
	else
		nok "$name: find a written byte in the backing file"
	fi
	losetup -d "$LOOP"
}

if modprobe -q dm-crypt && modprobe -q dm-integrity; then
	RAWKEY=$(head -c 32 /dev/urandom | xxd -p -c 64)
	dm_round kc_raw gcm-aes-khsm "$RAWKEY" gcm-aes-khsm

	# HSM-resident: the key is generated inside khsm; dm-crypt's key is the
	# 64-byte key token, the AES key never leaves the module.
	read -r HD TOKD < <("$KT" generate aes 32 allow=gcm)
	if [ -n "${TOKD:-}" ]; then
		dm_round kc_tok 'gcm(khsm-aes)' "$TOKD" gcm-aes-token-khsm
		# destroy the key while the volume is open: I/O errors, no crash
		rm -f "$IMG"; truncate -s ${SIZE_MB}M "$IMG"
		LOOP=$(losetup -f --show "$IMG")
		sect=$(integrity_up kc_tok_int) &&
			crypt_up kc_tok 'gcm(khsm-aes)' "$TOKD" "$sect" kc_tok_int
		dd if=/dev/zero of=/dev/mapper/kc_tok bs=64k count=4 oflag=direct status=none
		t "kc_tok: dm-crypt's key is the key token" \
			bash -c "dmsetup table --showkeys kc_tok | grep -qw '$TOKD'"
		t "kc_tok: the volume works before the key is destroyed" \
			dd if=/dev/mapper/kc_tok of=/dev/null bs=64k count=4 iflag=direct status=none
		"$KT" destroy "$HD"
		t "kc_tok: after C_DestroyObject, reads fail (I/O error)" \
			bash -c '! dd if=/dev/mapper/kc_tok of=/dev/null bs=64k count=4 iflag=direct status=none 2>/dev/null'
		t "kc_tok: after C_DestroyObject, writes fail (I/O error)" \
			bash -c '! dd if=/dev/zero of=/dev/mapper/kc_tok bs=64k count=1 oflag=direct status=none 2>/dev/null'
		dmsetup remove kc_tok
		t "kc_tok: the token of a destroyed key cannot be loaded again" \
			bash -c "! dmsetup create kc_tok --table '0 $sect crypt capi:gcm(khsm-aes)-random $TOKD 0 /dev/mapper/kc_tok_int 0 1 integrity:28:aead' 2>/dev/null"
		dmsetup remove kc_tok 2>/dev/null
		dmsetup remove kc_tok_int
		losetup -d "$LOOP"
	else
		nok "khsm-keytoken generate aes 32"
	fi
else
	skp "dm-crypt or dm-integrity unavailable"
fi

# ---- 5. alg_priority=1000: khsm wins gcm(aes); cryptsetup LUKS2 ----------

reload() {	# reload [PARAMS...]
	rmmod khsm || return 1
	# shellcheck disable=SC2068
	insmod "$MODULE" $@ || return 1
	[ -c /dev/hsm ]
}

# A token names (handle, serial); a fresh load hands out the same pairs
# again, so only the per-load secret tells an old token from a new one.
# shellcheck disable=SC2086 # KHSM_MODPARAMS: name=value words
reload ${KHSM_MODPARAMS:-} && "$KT" reset >/dev/null
read -r OLDH OLDTOK < <("$KT" create aes "$K3")
if reload alg_priority=1000; then
	ok "rmmod and insmod with alg_priority=1000 (clean unregister, re-register)"
	"$KT" reset >/dev/null
	read -r NEWH NEWTOK < <("$KT" create aes "$K3")
	err=$("$B/kcapi_test" hold aead 'gcm(khsm-aes)' "${OLDTOK:-00}" </dev/null 2>&1)
	t "a token of the previous module load is rejected (handle $OLDH, now $NEWH; same name: $([ "${OLDTOK:0:32}" = "${NEWTOK:0:32}" ] && echo yes || echo no); $err)" \
		grep -q 'rejected' <<<"$err"
	t "... while the new load's token for the same key works" \
		"$B/kcapi_test" hold aead 'gcm(khsm-aes)' "${NEWTOK:-00}" \
		</dev/null >/dev/null
	t "/proc/crypto: gcm-aes-khsm at priority 1000, self-test passed" \
		[ "$(field gcm-aes-khsm priority)/$(field gcm-aes-khsm selftest)" = 1000/passed ]
	r0=$(field gcm-aes-khsm refcnt)
	rm -f "$IMG"; truncate -s 40M "$IMG"
	LOOP=$(losetup -f --show "$IMG")
	head -c 32 /dev/urandom >"$W/pass"
	if cryptsetup luksFormat --batch-mode --type luks2 --cipher aes-gcm-random \
		--integrity aead --key-size 256 --pbkdf pbkdf2 \
		--pbkdf-force-iterations 1000 --luks2-metadata-size 16k \
		--luks2-keyslots-size 256k --integrity-no-wipe \
		--key-file "$W/pass" "$LOOP" >"$W/luks.log" 2>&1; then
		ok "cryptsetup luksFormat --cipher aes-gcm-random --integrity aead"
		cryptsetup open --key-file "$W/pass" "$LOOP" kc_luks
		r1=$(field gcm-aes-khsm refcnt)
		t "LUKS2 volume's gcm(aes) is gcm-aes-khsm (refcnt $r0 -> $r1)" \
			[ "$r1" -gt "$r0" ]
		head -c 512K /dev/urandom >"$W/data.bin"
		dd if="$W/data.bin" of=/dev/mapper/kc_luks bs=64k oflag=direct status=none
		cryptsetup close kc_luks
		cryptsetup open --key-file "$W/pass" "$LOOP" kc_luks
		t "LUKS2: reopened volume reads back what was written" \
			cmp -n 524288 "$W/data.bin" /dev/mapper/kc_luks
		cryptsetup close kc_luks
	else
		nok "cryptsetup luksFormat: $(tail -3 "$W/luks.log" | tr '\n' ' ')"
	fi
	losetup -d "$LOOP"
else
	nok "reload with alg_priority=1000"
fi
# shellcheck disable=SC2086 # KHSM_MODPARAMS: name=value words
t "reload with the default parameters" reload ${KHSM_MODPARAMS:-}

finish
