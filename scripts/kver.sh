#!/bin/bash
# Print the version of the Debian kernel that linux-image-amd64 installed
# (e.g. 6.1.0-56-amd64). Everything else (vm-run, module builds) uses this.
set -euo pipefail

# The metapackage depends on exactly one versioned image: linux-image-<KVER> (= ...).
dep=$(dpkg-query -W -f='${Depends}' linux-image-amd64 2>/dev/null || true)
kver=$(sed -n 's/.*linux-image-\([^ ,]*\) .*/\1/p' <<<"$dep")

# Fallback: the newest kernel that has both a vmlinuz and a module tree.
if [[ -z $kver ]]; then
	for v in $(ls /lib/modules 2>/dev/null | sort -V); do
		[[ -e /boot/vmlinuz-$v ]] && kver=$v
	done
fi

if [[ -z $kver || ! -d /lib/modules/$kver ]]; then
	echo "kver.sh: no installed Debian kernel found (run scripts/setup.sh)" >&2
	exit 1
fi
echo "$kver"
