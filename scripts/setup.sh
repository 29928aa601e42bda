#!/bin/bash
# Install everything khsm needs to build and test on Debian 12. Safe to re-run.
set -euo pipefail

packages=(
	# build
	build-essential libc6-dev pkg-config git sparse python3
	# the kernel we build against and boot in the VM
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 kmod
	# VM rig (scripts/vm-run)
	qemu-system-x86 busybox-static cpio gzip e2fsprogs
	# real clients and peers used by the tests
	softhsm2 opensc gnutls-bin libengine-pkcs11-openssl p11-kit libp11-kit-dev
	libkcapi-dev kcapi-tools keyutils cryptsetup-bin
	# device-tree binding checks
	dt-schema device-tree-compiler
)

sudo=
[[ $(id -u) -eq 0 ]] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${packages[@]}"

# The headers for the exact kernel we boot must be there, or modules won't load.
kver=$("$(dirname "$0")/kver.sh")
[[ -d /lib/modules/$kver/build ]] || $sudo apt-get install -y -q "linux-headers-$kver"
echo "setup.sh: ready for kernel $kver"
