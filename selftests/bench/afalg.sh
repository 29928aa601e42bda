#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The AF_ALG benchmark of the crypto API offload (issue 8), inside the VM
# (selftests/bench/run.sh runs afalg*.sh; `make bench`).  Reloads khsm for
# a fresh token, makes an AES-256 key and an HMAC key inside it with
# KHSM_CKA_KERNEL_USE, and hands their key tokens to afalg_bench, which
# prints the table.  Not a test.
#
# Under TCG, on a host shared with other work, one measurement can be off
# by half: each cell is the best of many short slices, taken in turns
# across all algorithms.  Environment: KHSM_AFALG_SLICE (seconds, default
# 0.3), KHSM_AFALG_ROUNDS (default 10).
set -uo pipefail
cd "$(dirname "$0")" || exit 1

KT=../kcapi/build/khsm-keytoken
MODULE=${KHSM_VM_MODULE:-../../driver/khsm.ko}
# the VM's /dev is a bare devtmpfs: process substitution needs /dev/fd
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# shellcheck disable=SC2086 # KHSM_MODPARAMS: name=value words
if [ -x "$KT" ] && rmmod khsm && insmod "$MODULE" ${KHSM_MODPARAMS:-} &&
   "$KT" reset >/dev/null; then
	read -r _ KHSM_AES_TOKEN < <("$KT" create aes "$(printf '42%.0s' {1..32})")
	read -r _ KHSM_HMAC_TOKEN < <("$KT" create generic "$(printf '24%.0s' {1..32})")
	export KHSM_AES_TOKEN KHSM_HMAC_TOKEN
else
	echo "afalg.sh: no key tokens (khsm-keytoken missing, or the reload failed)"
fi
exec build/afalg_bench -t "${KHSM_AFALG_SLICE:-0.3}" -r "${KHSM_AFALG_ROUNDS:-10}"
