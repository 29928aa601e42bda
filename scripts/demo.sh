#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The khsm demo, run inside the VM by `make demo` (scripts/vm-run -- scripts/demo.sh):
# initialise the token, show what it is, then let khsmctl generate an AES key,
# encrypt and decrypt with it, and make and check an HMAC, all inside the kernel.
set -euo pipefail

cd "$(dirname "$0")/.."
khsmctl=userlib/build/khsmctl
[[ -x $khsmctl ]] || { echo "demo.sh: $khsmctl not built (make user)" >&2; exit 1; }

export KHSM_SO_PIN=${KHSM_SO_PIN:-demo-so-pin}
export KHSM_USER_PIN=${KHSM_USER_PIN:-demo-user-pin}

step() { printf '\n== %s\n' "$*"; }

step "khsm.ko is loaded: /dev/hsm"
ls -l /dev/hsm

step "khsmctl init-token: SO PIN and user PIN (PBKDF2 hashes kept in the kernel)"
$khsmctl -l "khsm demo" init-token

step "khsmctl info"
$khsmctl info

step "khsmctl mechs"
$khsmctl mechs

step "khsmctl demo"
$khsmctl demo

step "done: the kernel log is clean if vm-run says nothing more"
