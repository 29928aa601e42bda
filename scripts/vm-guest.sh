#!/bin/bash
# PID 1 inside the VM started by scripts/vm-run (after switch_root onto the
# host root overlay). Loads the crypto modules and khsm, runs the command,
# writes its exit status and dmesg to the results share, and powers off.
# Not set -e: whatever happens we must reach the power-off at the end.
set -uo pipefail

# mount unless already mounted (the initramfs moves /dev, /proc and /sys over)
mnt() { [[ -r /proc/self/mounts && $(</proc/self/mounts) == *" ${*: -1} "* ]] || mount "$@"; }
mnt -t proc proc /proc
mnt -t sysfs sys /sys
mnt -t devtmpfs dev /dev
mkdir -p /dev/pts /dev/shm
mnt -t devpts devpts /dev/pts
mnt -t tmpfs -o mode=1777 shm /dev/shm
# A repository that lives under the host's /tmp (a CI clone, say) would
# vanish under the guest's fresh /tmp: carry it across with a bind mount.
repo=$(cd "${0%/*}/.." && pwd)
if [[ $repo == /tmp/* ]]; then
	mkdir -p /mnt/khsm-repo && mount --bind "$repo" /mnt/khsm-repo
fi
mnt -t tmpfs -o mode=1777 tmp /tmp
if [[ $repo == /tmp/* ]]; then
	mkdir -p "$repo" && mount --bind /mnt/khsm-repo "$repo"
fi
mnt -t tmpfs -o mode=0755 run /run
mnt -t debugfs debugfs /sys/kernel/debug
mkdir -p /run/results
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 results /run/results
ip link set lo up 2>/dev/null || busybox ip link set lo up
hostname khsm-vm

# The command and the environment vm-run chose for us (cmd=(...), exports).
cmd=()
# shellcheck source=/dev/null
source /run/results/env
export PATH=$PATH:/usr/sbin:/sbin HOME=/root

status=0
# Two batches in parallel: loading runs the crypto self-tests, slow under TCG.
modprobe -a aesni_intel gcm ghash-clmulni-intel sha256_ssse3 sha512_ssse3 cmac ctr cbc \
	ecb hmac ccm authenc || echo "vm-guest: some crypto modules failed to load" &
modprobe -a crypto_user algif_aead algif_hash algif_skcipher algif_rng loop dm-crypt \
	dm-integrity || echo "vm-guest: some af_alg/dm modules failed to load"
wait
if [[ -n ${KHSM_VM_MODULE:-} ]]; then
	# shellcheck disable=SC2086 # KHSM_MODPARAMS: name=value words
	insmod "$KHSM_VM_MODULE" ${KHSM_MODPARAMS:-} || { echo "vm-guest: insmod $KHSM_VM_MODULE failed"; status=125; }
fi

cd "${0%/*}/.." || status=126
if [[ $status -eq 0 ]]; then
	echo "vm-guest: up after $(cut -d' ' -f1 </proc/uptime) s; running: ${cmd[*]}"
	"${cmd[@]}"
	status=$?
fi

sleep 30 &	# exec'd now: power-off takes the 9p root away
echo "$status" >/run/results/status
dmesg >/run/results/dmesg
sync
echo o >/proc/sysrq-trigger
wait
