#!/bin/bash
# Kernel coding style over the module and the uapi header, with the
# checkpatch.pl of the installed linux-source package (extracted once into
# .vm/checkpatch, git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

dir=.vm/checkpatch
if [ ! -x "$dir/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-*.tar.xz | sort -V | tail -n1)
	top=$(basename "$tarball" .tar.xz)
	mkdir -p "$dir"
	tar -xJf "$tarball" -C "$dir" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi

cp="$dir/scripts/checkpatch.pl --no-tree --terse --show-types --strict"
ignore=FILE_PATH_CHANGES
status=0
# shellcheck disable=SC2046
$cp --ignore $ignore -f $(git ls-files 'driver/*.[ch]' 'driver/**/*.[ch]') || status=1
# uapi headers cannot use BIT() and must use __u32 and friends
$cp --ignore $ignore,BIT_MACRO,PREFER_KERNEL_TYPES -f uapi/linux/*.h || status=1
exit $status
