// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Library state: C_Initialize, C_Finalize, fork, and the /dev/hsm file.
 *
 * The state is two atomics, so no mutex is needed anywhere and no lock is
 * ever held across an ioctl: the kernel serializes per session.
 *   - state: UNINIT -> BUSY -> READY (C_Initialize), READY -> BUSY -> UNINIT
 *     (C_Finalize).  A compare-and-swap decides which of two racing
 *     C_Initialize (or C_Finalize) calls wins.
 *   - fd: the open /dev/hsm, or -1 while no token is present.  An open
 *     file is one PKCS#11 application to the kernel: its sessions, login
 *     state and session objects die with it.
 *
 * Because the library takes no locks on its call paths, it satisfies all
 * four locking models of CK_C_INITIALIZE_ARGS: with or without
 * CKF_OS_LOCKING_OK and with or without the application's mutex callbacks,
 * which it never needs to call.
 *
 * Threads: every ioctl takes a reference on its file, and threads sharing
 * one file contend on that count.  So each thread makes itself a file of
 * the same application at its first call (KHSM_IOC_APP_FD, the kernel
 * keeps the application until its last file closes) and keeps it in
 * thread-local storage, tagged with a generation that C_Finalize and fork
 * advance.  A registry of these files (the one mutex, taken only to make,
 * close and forget them, never around an ioctl of a call) lets C_Finalize
 * and the fork child close them all, and a thread-exit destructor close
 * the thread's own.  At most twice as many files as CPUs are made (64 at
 * most); threads past that, and any for which a file cannot be made, use
 * the application's first file, as before.
 *
 * Fork: a child inherits the parent's memory but must not share the
 * parent's application context (sessions, login) in the kernel.  A
 * pthread_atfork() child handler closes the child's copy of the file and
 * returns the library to the uninitialized state; the child must call
 * C_Initialize, and until it does every call returns
 * CKR_CRYPTOKI_NOT_INITIALIZED.  The child closes its copies of the
 * threads' files too.  The parent is unaffected: the kernel context lives
 * until the parent's own files are closed.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "p11.h"

enum { P11_UNINIT, P11_BUSY, P11_READY };

static _Atomic int p11_state = P11_UNINIT;
static _Atomic int p11_fd = -1;
static _Atomic int p11_open_errno;	/* why the last open failed */
static pthread_once_t p11_atfork_once = PTHREAD_ONCE_INIT;

/* Per-thread files (see the top): the registry, under p11_tfd_lock */
static pthread_mutex_t p11_tfd_lock = PTHREAD_MUTEX_INITIALIZER;
static int *p11_tfds;
static size_t p11_ntfds, p11_tfds_cap;
static _Atomic unsigned int p11_gen = 1;	/* changed under the lock */
static pthread_key_t p11_tfd_key;
static int p11_tfd_key_made;
/*
 * At most this many: contention needs threads running at once, and the
 * files count against the process's descriptor limit; threads past it
 * use the first file.
 */
static size_t p11_tfd_max;
static __thread int p11_tfd = -1;
static __thread unsigned int p11_tfd_gen;

/* Closes every registered file and retires the thread-local copies */
static void p11_tfds_close_locked(void)
{
	size_t i;

	for (i = 0; i < p11_ntfds; i++)
		khsm_close(p11_tfds[i]);
	p11_ntfds = 0;
	atomic_fetch_add(&p11_gen, 1);
}

/* Thread exit: close this thread's file, if it is still registered */
static void p11_tfd_thread_exit(void *unused)
{
	size_t i;

	(void)unused;
	pthread_mutex_lock(&p11_tfd_lock);
	if (p11_tfd >= 0 && p11_tfd_gen == atomic_load(&p11_gen)) {
		for (i = 0; i < p11_ntfds; i++) {
			if (p11_tfds[i] != p11_tfd)
				continue;
			p11_tfds[i] = p11_tfds[--p11_ntfds];
			khsm_close(p11_tfd);
			break;
		}
	}
	p11_tfd = -1;
	pthread_mutex_unlock(&p11_tfd_lock);
}

/*
 * This thread's file of the application whose first file is @fd.  Without
 * one (at the cap, out of memory, or the kernel said no), the first file,
 * remembered until the next generation so that no call retries.
 */
static int p11_thread_fd(int fd)
{
	struct khsm_app_fd a = { 0 };
	int *n;

	if (p11_tfd >= 0 &&
	    p11_tfd_gen == atomic_load_explicit(&p11_gen, memory_order_relaxed))
		return p11_tfd;
	pthread_mutex_lock(&p11_tfd_lock);
	p11_tfd = fd;	/* a stale one was closed with its generation */
	p11_tfd_gen = atomic_load(&p11_gen);
	if (p11_ntfds >= p11_tfd_max)
		goto out;
	if (p11_ntfds == p11_tfds_cap) {
		n = realloc(p11_tfds, (p11_tfds_cap * 2 + 8) * sizeof(*n));
		if (!n)
			goto out;
		p11_tfds = n;
		p11_tfds_cap = p11_tfds_cap * 2 + 8;
	}
	if (khsm_app_fd(fd, &a) != CKR_OK)
		goto out;
	p11_tfds[p11_ntfds++] = a.fd;
	p11_tfd = a.fd;
	if (p11_tfd_key_made)	/* for the destructor */
		pthread_setspecific(p11_tfd_key, &p11_tfd);
out:
	pthread_mutex_unlock(&p11_tfd_lock);
	return p11_tfd;
}

static void p11_close_fd(void)
{
	int fd = atomic_exchange(&p11_fd, -1);

	if (fd >= 0)
		khsm_close(fd);
}

/*
 * In the child after fork(): not initialized, and not the parent's file.
 * Unconditional: a file opened by a slot call racing C_Finalize would
 * otherwise survive into the child, whose next C_Initialize would then
 * adopt the parent's application context.
 */
static void p11_atfork_prepare(void)
{
	pthread_mutex_lock(&p11_tfd_lock);
}

static void p11_atfork_parent(void)
{
	pthread_mutex_unlock(&p11_tfd_lock);
}

static void p11_atfork_child(void)
{
	p11_tfds_close_locked();	/* locked by the prepare handler */
	pthread_mutex_unlock(&p11_tfd_lock);
	p11_close_fd();
	atomic_store(&p11_state, P11_UNINIT);
}

static void p11_register_atfork(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	p11_tfd_max = cpus > 0 && cpus < 32 ? 2 * (size_t)cpus : 64;
	p11_tfd_key_made = !pthread_key_create(&p11_tfd_key,
					       p11_tfd_thread_exit);
	pthread_atfork(p11_atfork_prepare, p11_atfork_parent,
		       p11_atfork_child);
}

/*
 * dlclose(): no thread may run the destructor of an unloaded library
 * (glibc drops the fork handlers of a closed object itself).
 */
__attribute__((destructor)) static void p11_unload(void)
{
	if (p11_tfd_key_made)
		pthread_key_delete(p11_tfd_key);
	/* p11_tfds stays: at exit() other threads may still be calling */
}

/*
 * The token is present when /dev/hsm opens (and speaks our ABI).  Tried at
 * C_Initialize and again by slot calls while absent, so a module loaded
 * after the application started is found.
 */
int p11_token_fd(void)
{
	int fd = atomic_load(&p11_fd);
	int expect = -1;

	if (fd >= 0)
		return fd;
	fd = khsm_open(NULL);
	if (fd < 0) {
		atomic_store(&p11_open_errno, errno);
		return -1;
	}
	if (!atomic_compare_exchange_strong(&p11_fd, &expect, fd)) {
		khsm_close(fd);		/* another thread won */
		fd = expect;
	}
	return fd;
}

CK_RV p11_ready(void)
{
	if (atomic_load_explicit(&p11_state, memory_order_acquire) != P11_READY)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	return CKR_OK;
}

/*
 * Entry of every function that takes a session handle.  Session handles
 * are the kernel's, which decides their validity; the library only knows
 * that none exists without an open /dev/hsm and that the ABI carries 32
 * bits of them.
 */
CK_RV p11_session(CK_SESSION_HANDLE h, int *fd)
{
	if (atomic_load_explicit(&p11_state, memory_order_acquire) != P11_READY)
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	*fd = atomic_load_explicit(&p11_fd, memory_order_relaxed);
	if (*fd < 0 || h > UINT32_MAX)
		return CKR_SESSION_HANDLE_INVALID;
	*fd = p11_thread_fd(*fd);
	return CKR_OK;
}

/* Ask the kernel whether @h is a session of ours (no state changes). */
static CK_RV p11_check_session(int fd, CK_SESSION_HANDLE h)
{
	struct khsm_session_info i = { .hdr.session = (__u32)h };

	return khsm_session_info(fd, &i);
}

/*
 * A NULL pointer the C ABI cannot pass on (an output length, a template
 * with a count, data with a length).  CKR_ARGUMENTS_BAD ranks below the
 * session-handle errors (PKCS#11 3.0, 5.1.8: 5.1.2 before 5.1.6), and only
 * the kernel knows the session; and a call that fails this way ends the
 * active operation just as any other failure would (C_Encrypt "always
 * terminates the active encryption operation unless it returns
 * CKR_BUFFER_TOO_SMALL" or is a length query).  So ask the kernel to end
 * the operations in @ops (which also validates the session), or, with no
 * operation to end, only to validate the session.
 */
static CK_RV p11_args_bad(int fd, CK_SESSION_HANDLE h, __u32 ops)
{
	CK_RV rv;

	if (ops) {
		struct khsm_op_cancel c = {
			.hdr.session = (__u32)h,
			.ops = ops,
		};

		rv = khsm_op_cancel(fd, &c);
	} else {
		rv = p11_check_session(fd, h);
	}
	return rv == CKR_OK ? CKR_ARGUMENTS_BAD : rv;
}

/*
 * p11_session() for a function with pointer arguments: @args_ok false (a
 * NULL pointer the call cannot take) is CKR_ARGUMENTS_BAD after the session
 * checks, ending the operations in @ends (see p11_args_bad()).
 */
CK_RV p11_session_args(CK_SESSION_HANDLE h, int args_ok, __u32 ends, int *fd)
{
	CK_RV rv = p11_session(h, fd);

	if (rv != CKR_OK)
		return rv;
	return args_ok ? CKR_OK : p11_args_bad(*fd, h, ends);
}

/*
 * Entry of every function that takes a slot ID and needs the token; then
 * @args_ok false is CKR_ARGUMENTS_BAD (no session to rank it below).
 */
CK_RV p11_slot(CK_SLOT_ID slot, int args_ok, int *fd)
{
	CK_RV rv = p11_ready();

	if (rv != CKR_OK)
		return rv;
	if (slot != P11_SLOT_ID)
		return CKR_SLOT_ID_INVALID;
	*fd = p11_token_fd();
	if (*fd < 0)
		return atomic_load(&p11_open_errno) == EPROTO ?
			CKR_TOKEN_NOT_RECOGNIZED : CKR_TOKEN_NOT_PRESENT;
	*fd = p11_thread_fd(*fd);
	return args_ok ? CKR_OK : CKR_ARGUMENTS_BAD;
}

/*
 * A function the library answers itself once the kernel has found @h
 * valid: @valid_rv for a valid session, else the kernel's session error.
 */
CK_RV p11_session_rv(CK_SESSION_HANDLE h, int args_ok, CK_RV valid_rv)
{
	CK_RV rv;
	int fd;

	rv = p11_session_args(h, args_ok, 0, &fd);
	if (rv != CKR_OK)
		return rv;
	rv = p11_check_session(fd, h);
	return rv == CKR_OK ? valid_rv : rv;
}

P11_API CK_RV C_Initialize(CK_VOID_PTR pInitArgs)
{
	CK_C_INITIALIZE_ARGS_PTR args = pInitArgs;
	int expect = P11_UNINIT;

	if (args) {
		int given = !!args->CreateMutex + !!args->DestroyMutex +
			    !!args->LockMutex + !!args->UnlockMutex;

		if (args->pReserved)
			return CKR_ARGUMENTS_BAD;
		/* all four mutex callbacks or none */
		if (given != 0 && given != 4)
			return CKR_ARGUMENTS_BAD;
		/*
		 * CKF_OS_LOCKING_OK and the callbacks: any combination is
		 * served, see the top of this file.
		 * CKF_LIBRARY_CANT_CREATE_OS_THREADS: we create none.
		 */
	}
	pthread_once(&p11_atfork_once, p11_register_atfork);
	if (!atomic_compare_exchange_strong(&p11_state, &expect, P11_BUSY))
		return CKR_CRYPTOKI_ALREADY_INITIALIZED;
	/* No /dev/hsm is not an error: the slot is there, the token absent. */
	p11_token_fd();
	atomic_store_explicit(&p11_state, P11_READY, memory_order_release);
	return CKR_OK;
}

P11_API CK_RV C_Finalize(CK_VOID_PTR pReserved)
{
	int expect = P11_READY;

	if (pReserved)
		return CKR_ARGUMENTS_BAD;
	if (!atomic_compare_exchange_strong(&p11_state, &expect, P11_BUSY))
		return CKR_CRYPTOKI_NOT_INITIALIZED;
	/*
	 * Closing the application's files ends its sessions in the kernel;
	 * twice over the threads' (a call racing C_Finalize, which the
	 * application must not make, may have made one in between).
	 */
	pthread_mutex_lock(&p11_tfd_lock);
	p11_tfds_close_locked();
	pthread_mutex_unlock(&p11_tfd_lock);
	p11_close_fd();
	pthread_mutex_lock(&p11_tfd_lock);
	p11_tfds_close_locked();
	pthread_mutex_unlock(&p11_tfd_lock);
	atomic_store_explicit(&p11_state, P11_UNINIT, memory_order_release);
	return CKR_OK;
}
