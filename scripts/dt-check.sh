#!/bin/bash
# The devicetree binding passes dt-schema's meta-schema, and the example
# .dts compiles with dtc and validates against the binding.
set -euo pipefail
cd "$(dirname "$0")/../dts"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

dt-doc-validate -u . khsm.yaml
dt-mk-schema -j . >"$out/schema.json"
# dt-validate reports problems but exits 0: read what it prints.
validate() {	# validate DTS: print dt-validate's complaints about it
	dtc -q -I dts -O dtb -o "$out/t.dtb" "$1"
	dt-validate -s "$out/schema.json" "$out/t.dtb" 2>&1
}

msgs=$(validate khsm-example.dts)
if [ -n "$msgs" ]; then
	echo "$msgs" >&2
	exit 1
fi
# The binding must reject what it does not know, and values out of range.
sed 's/khsm,max-pin-tries = <5>;/khsm,max-pin-tries = <5>;\n\t\tkhsm,bogus = <1>;/' \
	khsm-example.dts >"$out/bad.dts"
grep -q "'khsm,bogus' does not match" <<<"$(validate "$out/bad.dts")" ||
	{ echo "dt-check: an unknown property was not rejected" >&2; exit 1; }
sed 's/max-pin-tries = <5>/max-pin-tries = <500>/' khsm-example.dts >"$out/bad.dts"
grep -q "greater than the maximum" <<<"$(validate "$out/bad.dts")" ||
	{ echo "dt-check: an out-of-range value was not rejected" >&2; exit 1; }
echo "dt-check: binding and example valid; unknown and out-of-range properties rejected"
