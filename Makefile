# SPDX-License-Identifier: GPL-2.0
#
# khsm top level.  `make` builds the module, the userspace library, the
# tools and the tests; `make check` runs every test in a VM (scripts/vm-run).

KVER	?= $(shell scripts/kver.sh)
KDIR	?= /lib/modules/$(KVER)/build
PWD	:= $(CURDIR)

USERDIRS := userlib selftests \
	    selftests/pkcs11 selftests/kcapi selftests/bench

all: module user

module:
	$(MAKE) -C $(KDIR) M=$(PWD) modules

user:
	@for d in $(USERDIRS); do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d || exit 1; done

# sparse over the module
sparse:
	$(MAKE) -C $(KDIR) M=$(PWD) C=2 modules

checkpatch:
	scripts/checkpatch.sh

clean:
	$(MAKE) -C $(KDIR) M=$(PWD) clean
	@for d in $(USERDIRS); do [ ! -f $$d/Makefile ] || $(MAKE) -C $$d clean; done

# Everything in one VM boot: the selftests, the compliance tests, the clients
check: all
	scripts/check.sh

demo: all
	scripts/vm-run -- scripts/demo.sh

# Benchmarks in one VM boot: tables, never pass/fail
bench: all
	scripts/bench.sh

# khsm-pkcs11.so and its p11-kit module file
install: user
	$(MAKE) -C userlib/pkcs11 install

.PHONY: all module user sparse checkpatch clean check demo bench install
