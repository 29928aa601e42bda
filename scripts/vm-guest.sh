#!/bin/bash
# PID 1 inside the VM started by scripts/vm-run (after switch_root onto the
# host root overlay). Loads the crypto modules and khsm, runs the command,
# writes its exit status and dmesg to the results share, and powers off.
# Not set -e: whatever happens we must reach the power-off at the end.
set -uo pipefail

mnt() { mountpoint -q "${@: -1}" || mount "$@"; }
echo "T start $(cut -d" " -f1 /proc/uptime)"; mnt -t proc proc /proc
mnt -t sysfs sys /sys
mnt -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mnt -t devpts devpts /dev/pts
mnt -t tmpfs -o mode=1777 shm /dev/shm
mnt -t tmpfs -o mode=1777 tmp /tmp
mnt -t tmpfs -o mode=0755 run /run
mnt -t debugfs debugfs /sys/kernel/debug
mkdir -p /run/results
echo "T premount $(cut -d" " -f1 /proc/uptime)"; mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /run/results; echo "T postmount $(cut -d" " -f1 /proc/uptime)"
ip link set lo up 2>/dev/null || busybox ip link set lo up
hostname khsm-vm ; echo "T postip $(cut -d" " -f1 /proc/uptime)"

# The command and the environment vm-run chose for us (cmd=(...), exports).
source /run/results/env

status=0
t0=$(cut -d" " -f1 /proc/uptime)
modprobe -a aesni_intel gcm ghash-clmulni-intel sha256_ssse3 sha512_ssse3 cmac ctr cbc \
	 ecb hmac ccm authenc crypto_user algif_aead algif_hash algif_skcipher algif_rng \
	 loop dm-crypt dm-integrity || echo "vm-guest: some modprobes failed"
echo "T mods $t0 $(cut -d" " -f1 /proc/uptime)"
if [[ -n ${KHSM_VM_MODULE:-} ]]; then
	insmod "$KHSM_VM_MODULE" || { echo "vm-guest: insmod $KHSM_VM_MODULE failed"; status=125; }
fi

if [[ $status -eq 0 ]]; then
	cd "$(dirname "$0")/.."
	echo "vm-guest: up after $(cut -d' ' -f1 /proc/uptime) s; running: ${cmd[*]}"
	"${cmd[@]}"
	status=$?
fi

echo "$status" >/run/results/status
dmesg >/run/results/dmesg
sync
echo o >/proc/sysrq-trigger
sleep 10
