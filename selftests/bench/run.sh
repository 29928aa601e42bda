#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The khsm benchmarks, inside the VM (scripts/bench.sh boots it; `make bench`).
# Prints tables; measures, never tests: the exit status only says whether
# the programs could run.
#
#  1. kernel memory per small data object (p11mem), first, while quiet;
#  2. p11bench through khsm-pkcs11.so and through SoftHSMv2 (a throwaway
#     token in /tmp), both in one process, measured in turns, as one table
#     with the ratios and the goals of issue 9 (table.awk);
#  3. the resource bounds (p11bounds): objects per application, then
#     (reloading khsm with a small max_object_memory) memory per token;
#  4. the crypto API engineer's afalg* benchmarks, if present (before 3's
#     reload; afalg.sh reloads khsm itself).
#
# The rig (scripts/vm-guest.sh) has just loaded khsm.ko with $KHSM_MODPARAMS:
# the token is fresh and uninitialised; p11bench initialises it through
# the library (C_InitToken, C_InitPIN).
#
# Environment: KHSM_BENCH_TIME (seconds per measurement, default 0.25),
# KHSM_BENCH_REPS (measurements per row and module, the best kept; 4),
# KHSM_BENCH_SETS (find-set sizes, default 1000,10000,100000),
# KHSM_BENCH_MEM_OBJECTS (default 100000).
set -uo pipefail
cd "$(dirname "$0")" || exit 1

B=build
KHSM_P11=$(cd ../../userlib/pkcs11 && pwd)/khsm-pkcs11.so
SOFTHSM=/usr/lib/softhsm/libsofthsm2.so
T=${KHSM_BENCH_TIME:-0.25}
REPS=${KHSM_BENCH_REPS:-4}
SETS=${KHSM_BENCH_SETS:-1000,10000,100000}
MEM_N=${KHSM_BENCH_MEM_OBJECTS:-100000}
BOUND_MEM=$((4 << 20))
OUT=$(mktemp -d /tmp/khsm-bench.XXXXXX)
status=0

for p in p11bench p11mem p11bounds; do
	[ -x "$B/$p" ] || { echo "run.sh: $B/$p missing: run make first"; exit 1; }
done
[ -f "$KHSM_P11" ] || { echo "run.sh: $KHSM_P11 missing: run make first"; exit 1; }

[ -c /dev/hsm ] || { echo "run.sh: no /dev/hsm"; exit 1; }
[ -r /sys/kernel/debug/khsm/ioctls ] ||
	echo "run.sh: note: no /sys/kernel/debug/khsm/ioctls: ioctls/op not counted"

# SoftHSMv2 with its own token directory
export SOFTHSM2_CONF=$OUT/softhsm2.conf
mkdir -p "$OUT/tokens"
cat >"$SOFTHSM2_CONF" <<EOF
directories.tokendir = $OUT/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
EOF

t0=$SECONDS
section() { printf '\n==== [%3d s] %s\n' "$((SECONDS - t0))" "$*"; }

section "kernel memory per object (khsm)"
$B/p11mem -v -n "$MEM_N" "$KHSM_P11" || status=1

section "p11bench: khsm-pkcs11.so (A) and SoftHSMv2 $(dpkg-query -W -f '${Version}' softhsm2 2>/dev/null) (B), measured in turns"
$B/p11bench -T -t "$T" -k "$REPS" -s "$SETS" "$KHSM_P11" "$SOFTHSM" >"$OUT/bench.tsv" ||
	status=1
grep -v '^row' "$OUT/bench.tsv" | sed 's/^note\t/# /'

section "khsm vs SoftHSMv2, ops/s through PKCS#11 ($T s per measurement, best of $REPS, $(nproc) vCPUs, TCG)"
awk -F'\t' -f table.awk "$OUT/bench.tsv"

section "process memory per object (SoftHSMv2 keeps its objects in the process)"
$B/p11mem -q -n 10000 "$SOFTHSM" || status=1

section "resource bounds (khsm): objects per application (max_objects)"
$B/p11bounds "$KHSM_P11" || status=1

# The crypto API engineer's benchmarks: a script if there is one, else the
# programs themselves.
for a in afalg*.sh; do
	[ -x "$a" ] || continue
	section "$a"
	./"$a" || status=1
	ran_afalg=1
done
if [ -z "${ran_afalg:-}" ]; then
	for a in "$B"/afalg*; do
		[ -x "$a" ] || continue
		section "$(basename "$a")"
		"$a" || status=1
	done
fi

# Last, as it reloads khsm: the bound on the token's object memory.
if [ -n "${KHSM_VM_MODULE:-}" ]; then
	section "resource bounds (khsm): object memory of the token (max_object_memory=$BOUND_MEM)"
	# shellcheck disable=SC2086 # KHSM_MODPARAMS: name=value words
	if rmmod khsm && insmod "$KHSM_VM_MODULE" ${KHSM_MODPARAMS:-} \
		max_object_memory="$BOUND_MEM"; then
		$B/p11bounds "$KHSM_P11" || status=1
	else
		echo "run.sh: cannot reload khsm"; status=1
	fi
fi

section "bench done in $((SECONDS - t0)) s"
rm -rf "$OUT"
exit $status
