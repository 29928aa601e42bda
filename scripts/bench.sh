#!/bin/bash
# `make bench`: the khsm benchmarks (selftests/bench) in one VM boot.
# Prints tables of operations per second against SoftHSMv2, memory per
# object and the resource bounds; see Documentation/performance.rst.
# Not a test: nothing here passes or fails on a number.
#
# KHSM_MODPARAMS: module parameters for the run (default: the fewest
# PBKDF2 iterations the binding allows, as logins under TCG are slow);
# KHSM_BENCH_MODULE: the khsm.ko to load (default driver/khsm.ko);
# KHSM_BENCH_TIMEOUT: seconds before the VM is killed (default 1800);
# other KHSM_BENCH_*: see selftests/bench/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

export KHSM_MODPARAMS=${KHSM_MODPARAMS-pin_kdf_iterations=1000}
# The VM's two vCPUs are two host threads: a busy host spoils the 2-thread
# figures (the reference CPU-loop row shows by how much).
echo "bench: host $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) before the run"
status=0
scripts/vm-run --timeout "${KHSM_BENCH_TIMEOUT:-1800}" \
	--module "${KHSM_BENCH_MODULE:-driver/khsm.ko}" -- selftests/bench/run.sh ||
	status=$?
echo "bench: host load $(cut -d' ' -f1-3 /proc/loadavg) after the run"
exit "$status"
