#!/bin/bash
# Copy the kernel's kselftest harness (kselftest_harness.h, kselftest.h) from
# the installed linux-source package into DIR.  Build-time only: the headers
# are never committed.  Prefers the source of the kernel we build against
# (scripts/kver.sh), else the newest linux-source present.
#
#   selftests/get-harness.sh DIR
set -euo pipefail

dir=${1:?usage: $0 DIR}
here=$(cd "$(dirname "$0")" && pwd)
files=(tools/testing/selftests/kselftest_harness.h tools/testing/selftests/kselftest.h)

kver=$("$here/../scripts/kver.sh" 2>/dev/null || uname -r)
mm=$(sed -E 's/^([0-9]+\.[0-9]+).*/\1/' <<<"$kver")	# 6.1.0-56-amd64 -> 6.1

candidates=(/usr/src/linux-source-"$mm" /usr/src/linux-source-"$mm".tar.*)
for c in $(ls -d /usr/src/linux-source-* 2>/dev/null | sort -rV); do
	candidates+=("$c")
done

mkdir -p "$dir"
for src in "${candidates[@]}"; do
	[[ -e $src ]] || continue
	if [[ -d $src ]]; then
		[[ -f $src/${files[0]} ]] || continue
		for f in "${files[@]}"; do cp "$src/$f" "$dir/"; done
	else
		top=$(basename "$src"); top=${top%.tar.*}
		tar -xf "$src" -C "$dir" --strip-components=4 \
			"${files[@]/#/$top/}" 2>/dev/null || continue
	fi
	echo "get-harness.sh: kselftest harness from $src" >&2
	exit 0
done
echo "get-harness.sh: no linux-source with the kselftest harness in /usr/src (scripts/setup.sh installs linux-source-$mm)" >&2
exit 1
