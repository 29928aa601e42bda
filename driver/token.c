// SPDX-License-Identifier: GPL-2.0
/*
 * khsm token: its life, its information, and its PINs (C_InitToken,
 * C_InitPIN, C_SetPIN; the login itself is in session.c).
 *
 * PIN state sits under tok->pin_lock, a mutex held across the (slow, by
 * design) PBKDF2 so that parallel guesses cannot outrun the failure
 * counter.  A PIN locks after cfg.max_pin_tries consecutive failures; the SO
 * unlocks the user PIN with C_InitPIN; a locked SO PIN stays locked until
 * the module is reloaded.
 */
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/time.h>
#include <linux/timekeeping.h>

#include "khsm.h"

static struct khsm_token *khsm_default_tok;

struct khsm_token *khsm_token_default(void)
{
	return READ_ONCE(khsm_default_tok);
}

void khsm_token_set_default(struct khsm_token *tok)
{
	WRITE_ONCE(khsm_default_tok, tok);
}

int khsm_token_init(struct khsm_token *tok, struct device *dev,
		    const struct khsm_config *cfg)
{
	static const char hex[] = "0123456789ABCDEF";
	u8 rnd[sizeof(tok->serial) / 2];
	size_t i;
	int err;

	memset(tok, 0, sizeof(*tok));
	tok->dev = dev;
	tok->cfg = *cfg;
	mutex_init(&tok->pin_lock);
	spin_lock_init(&tok->creator_lock);
	atomic_set(&tok->token_objects, 0);
	atomic64_set(&tok->mem_used, 0);
	atomic64_set(&tok->unique_ids, 0);
	memset(tok->label, ' ', sizeof(tok->label));
	get_random_bytes(rnd, sizeof(rnd));
	for (i = 0; i < sizeof(rnd); i++) {
		tok->serial[2 * i] = hex[rnd[i] >> 4];
		tok->serial[2 * i + 1] = hex[rnd[i] & 15];
	}
	tok->handles = kcalloc(khsm_nshards, sizeof(*tok->handles),
			       GFP_KERNEL);
	if (!tok->handles)
		return -ENOMEM;
	for (i = 0; i < khsm_nshards; i++)
		xa_init_flags(&tok->handles[i].xa, XA_FLAGS_ALLOC1);
	err = khsm_index_init(&tok->index);
	if (err) {
		kfree(tok->handles);
		return err;
	}
	return 0;
}

void khsm_token_exit(struct khsm_token *tok)
{
	unsigned int i;

	khsm_token_objects_destroy(tok);
	/* their frees uncharge engine caches from tok: before tok goes */
	rcu_barrier();
	khsm_index_destroy(&tok->index);
	for (i = 0; i < khsm_nshards; i++) {
		WARN_ON(!xa_empty(&tok->handles[i].xa));
		xa_destroy(&tok->handles[i].xa);
	}
	kfree(tok->handles);
	khsm_pin_clear(&tok->so_pin);
	khsm_pin_clear(&tok->user_pin);
	mutex_destroy(&tok->pin_lock);
}

/* ---- C_GetTokenInfo ------------------------------------------------------- */

static void blank_pad(u8 *dst, size_t n, const char *s)
{
	size_t l = min(strlen(s), n);

	memcpy(dst, s, l);
	memset(dst + l, ' ', n - l);
}

static u64 pin_flags(u32 fails, u32 max, u64 low, u64 final, u64 locked)
{
	u64 f = 0;

	if (fails)
		f |= low;
	if (max && fails + 1 == max)
		f |= final;
	if (max && fails >= max)
		f |= locked;
	return f;
}

long khsm_ioc_token_info(struct khsm_app *app, struct khsm_token_info *a)
{
	struct khsm_token *tok = app->tok;
	u32 max = tok->cfg.max_pin_tries;
	u64 used, total = tok->cfg.max_object_memory;
	struct tm tm;
	char t[17];

	memset((u8 *)a + sizeof(a->hdr), 0, sizeof(*a) - sizeof(a->hdr));
	blank_pad(a->manufacturer, sizeof(a->manufacturer), "khsm project");
	blank_pad(a->model, sizeof(a->model), "khsm soft HSM");
	memcpy(a->serial, tok->serial, sizeof(a->serial));

	/*
	 * No pin_lock: it is held across PBKDF2 and C_GetTokenInfo must not
	 * wait for another application's login.  Each value is read once.
	 */
	a->flags = CKF_RNG | CKF_LOGIN_REQUIRED | CKF_RESTORE_KEY_NOT_NEEDED |
		   CKF_CLOCK_ON_TOKEN;
	memcpy(a->label, tok->label, sizeof(a->label));
	if (READ_ONCE(tok->initialized))
		a->flags |= CKF_TOKEN_INITIALIZED;
	if (READ_ONCE(tok->user_pin.set))
		a->flags |= CKF_USER_PIN_INITIALIZED;
	a->flags |= pin_flags(READ_ONCE(tok->user_fails), max,
			      CKF_USER_PIN_COUNT_LOW, CKF_USER_PIN_FINAL_TRY,
			      CKF_USER_PIN_LOCKED);
	a->flags |= pin_flags(READ_ONCE(tok->so_fails), max,
			      CKF_SO_PIN_COUNT_LOW, CKF_SO_PIN_FINAL_TRY,
			      CKF_SO_PIN_LOCKED);

	/*
	 * "this application": the counts are the caller's, as the maxima
	 * are (tok->sessions, all applications, only gates C_InitToken).
	 */
	mutex_lock(&app->lock);
	a->session_count = app->nsessions;
	a->rw_session_count = app->nrw;
	mutex_unlock(&app->lock);
	a->max_session_count = tok->cfg.max_sessions;
	a->max_rw_session_count = tok->cfg.max_sessions;
	a->max_pin_len = KHSM_MAX_PIN_LEN;
	a->min_pin_len = KHSM_MIN_PIN_LEN;
	used = min_t(u64, atomic64_read(&tok->mem_used), total);
	a->total_public_memory = total;
	a->free_public_memory = total - used;
	a->total_private_memory = total;
	a->free_private_memory = total - used;
	a->hw_version[0] = 0;
	a->hw_version[1] = 1;
	a->fw_version[0] = 0;
	a->fw_version[1] = 1;
	time64_to_tm(ktime_get_real_seconds(), 0, &tm);
	snprintf(t, sizeof(t), "%04u%02u%02u%02u%02u%02u00",
		 (unsigned int)((tm.tm_year + 1900) % 10000),
		 (unsigned int)(tm.tm_mon + 1), (unsigned int)tm.tm_mday,
		 (unsigned int)tm.tm_hour, (unsigned int)tm.tm_min,
		 (unsigned int)tm.tm_sec);
	memcpy(a->utc_time, t, sizeof(a->utc_time));
	return CKR_OK;
}

/* ---- PINs ----------------------------------------------------------------- */

static bool pin_len_ok(u64 len)
{
	return len >= KHSM_MIN_PIN_LEN && len <= KHSM_MAX_PIN_LEN;
}

/*
 * Checks @pin against @ph and counts the outcome in @fails; pin_lock held.
 * CKR_OK, CKR_PIN_INCORRECT or CKR_PIN_LOCKED.
 */
u32 khsm_pin_verify(struct khsm_token *tok, const struct khsm_pin_hash *ph,
		    u32 *fails, const u8 *pin, u64 len)
{
	u32 max = tok->cfg.max_pin_tries;

	lockdep_assert_held(&tok->pin_lock);
	if (max && *fails >= max)
		return CKR_PIN_LOCKED;
	if (pin_len_ok(len) && khsm_pin_check(ph, pin, len)) {
		*fails = 0;
		return CKR_OK;
	}
	if (*fails < U32_MAX)
		(*fails)++;
	return CKR_PIN_INCORRECT;
}

long khsm_ioc_init_token(struct khsm_app *app, struct khsm_init_token *a)
{
	struct khsm_token *tok = app->tok;
	u8 pin[KHSM_MAX_PIN_LEN];
	long rv;

	/* no protected authentication path: a PIN pointer is required */
	if (!a->so_pin)
		return CKR_ARGUMENTS_BAD;
	rv = khsm_pin_copy_in(a->so_pin, min_t(u64, a->so_pin_len,
					       KHSM_MAX_PIN_LEN), pin);
	if (rv)
		return rv;

	mutex_lock(&tok->pin_lock);
	/*
	 * No session may open from here on: flag, then count, against the
	 * count-then-flag of C_OpenSession, so one of the two sees the other.
	 * The flag is raised only when no session was seen, so that calls
	 * bound to fail cannot make other applications' opens fail.
	 */
	if (atomic_read(&tok->sessions)) {
		rv = CKR_SESSION_EXISTS;
		goto out;
	}
	WRITE_ONCE(tok->initializing, true);
	smp_mb();	/* the flag before the count's read */
	if (atomic_read(&tok->sessions)) {
		rv = CKR_SESSION_EXISTS;
		goto out_init;
	}

	if (tok->initialized) {
		rv = khsm_pin_verify(tok, &tok->so_pin, &tok->so_fails, pin,
				     a->so_pin_len);
		if (rv)
			goto out_init;
	} else if (!pin_len_ok(a->so_pin_len)) {
		rv = CKR_PIN_LEN_RANGE;
		goto out_init;
	}
	if (khsm_pin_set(&tok->so_pin, pin, a->so_pin_len,
			 tok->cfg.pin_kdf_iterations)) {
		rv = CKR_HOST_MEMORY;
		goto out_init;
	}
	khsm_token_objects_destroy(tok);
	khsm_pin_clear(&tok->user_pin);
	tok->user_fails = 0;
	tok->so_fails = 0;
	memcpy(tok->label, a->label, sizeof(tok->label));
	tok->initialized = true;
	rv = CKR_OK;
out_init:
	WRITE_ONCE(tok->initializing, false);
out:
	mutex_unlock(&tok->pin_lock);
	memzero_explicit(pin, sizeof(pin));
	return rv;
}

long khsm_ioc_init_pin(struct khsm_app *app, struct khsm_pin *a)
{
	struct khsm_token *tok = app->tok;
	struct khsm_session *sess;
	u8 pin[KHSM_MAX_PIN_LEN];
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (a->old_pin || a->old_pin_len) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	if (khsm_app_user(app) != KHSM_USER_SO || !sess->rw) {
		rv = CKR_USER_NOT_LOGGED_IN;
		goto out;
	}
	if (!a->new_pin) {
		rv = CKR_ARGUMENTS_BAD;	/* no protected authentication path */
		goto out;
	}
	if (!pin_len_ok(a->new_pin_len)) {
		rv = CKR_PIN_LEN_RANGE;
		goto out;
	}
	rv = khsm_pin_copy_in(a->new_pin, a->new_pin_len, pin);
	if (rv)
		goto out;
	mutex_lock(&tok->pin_lock);
	if (khsm_pin_set(&tok->user_pin, pin, a->new_pin_len,
			 tok->cfg.pin_kdf_iterations)) {
		rv = CKR_HOST_MEMORY;
	} else {
		tok->user_fails = 0;
		rv = CKR_OK;
	}
	mutex_unlock(&tok->pin_lock);
	memzero_explicit(pin, sizeof(pin));
out:
	khsm_session_put(sess);
	return rv;
}

long khsm_ioc_set_pin(struct khsm_app *app, struct khsm_pin *a)
{
	struct khsm_token *tok = app->tok;
	struct khsm_session *sess;
	struct khsm_pin_hash *ph;
	u8 old[KHSM_MAX_PIN_LEN], new[KHSM_MAX_PIN_LEN];
	bool so;
	u32 *fails;
	long rv;

	sess = khsm_session_get(app, a->hdr.session);
	if (!sess)
		return CKR_SESSION_HANDLE_INVALID;
	if (!sess->rw) {
		rv = CKR_SESSION_READ_ONLY;
		goto out;
	}
	/* no protected authentication path: both PINs through the call */
	if (!a->old_pin || !a->new_pin) {
		rv = CKR_ARGUMENTS_BAD;
		goto out;
	}
	rv = khsm_pin_copy_in(a->old_pin, min_t(u64, a->old_pin_len,
						KHSM_MAX_PIN_LEN), old);
	if (!rv && !pin_len_ok(a->new_pin_len))
		rv = CKR_PIN_LEN_RANGE;
	if (!rv)
		rv = khsm_pin_copy_in(a->new_pin, a->new_pin_len, new);
	if (rv)
		goto out_zero;

	so = khsm_app_user(app) == KHSM_USER_SO;
	ph = so ? &tok->so_pin : &tok->user_pin;
	fails = so ? &tok->so_fails : &tok->user_fails;
	mutex_lock(&tok->pin_lock);
	if (!ph->set) {
		rv = CKR_USER_PIN_NOT_INITIALIZED;
	} else {
		rv = khsm_pin_verify(tok, ph, fails, old, a->old_pin_len);
		if (!rv && khsm_pin_set(ph, new, a->new_pin_len,
					tok->cfg.pin_kdf_iterations))
			rv = CKR_HOST_MEMORY;
	}
	mutex_unlock(&tok->pin_lock);
out_zero:
	memzero_explicit(old, sizeof(old));
	memzero_explicit(new, sizeof(new));
out:
	khsm_session_put(sess);
	return rv;
}
