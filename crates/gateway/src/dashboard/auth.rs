//! Dashboard accounts and sessions.
//!
//! - **Passwords**: argon2id (the `argon2` crate's defaults: m = 19 MiB,
//!   t = 2, p = 1) as PHC strings; hashing runs on the blocking pool, at
//!   most [`HASH_SLOTS`] at once ([`PasswordChecks`]), so password work
//!   can never hold more than `HASH_SLOTS` × 19 MiB however many logins
//!   arrive; a login that waits [`HASH_WAIT`] for a slot gets 429. An
//!   unknown email takes a slot for as long as a real check typically
//!   takes (measured on the real checks), without hashing, so timing does
//!   not reveal which emails exist and unknown emails cost no memory.
//! - **Sessions**: a 256-bit random token in an `HttpOnly; SameSite=Strict`
//!   cookie (`Secure` when the gateway serves TLS or its public URL is
//!   https), scoped to `/dashboard`; the store keeps only its SHA-256 with
//!   the session's CSRF token and expiry, so every node can serve it.
//! - **CSRF**: forms of a logged-in page carry the session's random token;
//!   the login form (no session yet) carries an HMAC of a random pre-login
//!   cookie (double submit); the setup form an HMAC of its setup token.
//! - **Throttling**: failed logins are counted in the store per email and per
//!   client IP in a fixed 15-minute window (shared by all nodes). Each
//!   attempt is reserved in the store *before* its password is checked, in
//!   one atomic step for both keys ([`DashboardStore::reserve_login_attempt`](crate::store::DashboardStore::reserve_login_attempt)), and
//!   counts as a failure unless it succeeds; so however many attempts run
//!   in parallel, on however many nodes, at most [`EMAIL_FAILURE_LIMIT`]
//!   passwords per email (and [`IP_FAILURE_LIMIT`] per address) are
//!   checked in a window. Past the limit the answer is 429, whatever the
//!   password.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use askama::Template;
use aws_lc_rs::{constant_time, digest, hmac};
use axum::extract::{FromRef, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect};
use axum::Form;
use rand::RngCore;
use serde::Deserialize;

use super::DashboardState;
use super::{strings, DashError, DashResult, DashStrings, Nav};
use crate::ids;
use crate::store::{
    ClientId, DashboardSession, DashboardUser, Store, StoreError, Timestamp, ROLE_ADMIN,
    ROLE_MERCHANT,
};

pub const SESSION_COOKIE: &str = "cashier_dash";
const PRE_LOGIN_COOKIE: &str = "cashier_dash_login";
const SESSION_TTL_MS: i64 = 12 * 3600 * 1000;
const SETUP_TTL_MS: i64 = 72 * 3600 * 1000;
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;
pub const EMAIL_FAILURE_LIMIT: u32 = 5;
pub const IP_FAILURE_LIMIT: u32 = 20;
pub const MIN_PASSWORD_LEN: usize = 12;
const MAX_PASSWORD_LEN: usize = 1024;
/// Password checks (argon2, 19 MiB each) running at once on one node.
pub const HASH_SLOTS: usize = 2;
/// How long a login waits for a free slot before it is answered 429.
pub const HASH_WAIT: Duration = Duration::from_secs(10);

// ------------------------------------------------------------------ passwords

#[derive(Debug, thiserror::Error)]
pub enum UserError {
    #[error("{0:?} is not an email address")]
    InvalidEmail(String),
    #[error("no merchant with client id {0:?}")]
    NoMerchant(String),
    #[error("give exactly one of --client-id and --admin")]
    Role,
    #[error("the password must be {MIN_PASSWORD_LEN} to {MAX_PASSWORD_LEN} characters")]
    PasswordLength,
    #[error("a user with that email already exists")]
    Exists,
    #[error("password hashing failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Store(StoreError),
}

impl From<StoreError> for UserError {
    fn from(e: StoreError) -> UserError {
        match e {
            StoreError::Conflict(_) => UserError::Exists,
            other => UserError::Store(other),
        }
    }
}

fn check_password(password: &str) -> Result<(), UserError> {
    let n = password.chars().count();
    if (MIN_PASSWORD_LEN..=MAX_PASSWORD_LEN).contains(&n) {
        Ok(())
    } else {
        Err(UserError::PasswordLength)
    }
}

/// argon2id PHC string of `password` with a fresh 128-bit salt.
pub fn hash_password(password: &str) -> Result<String, UserError> {
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| UserError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| UserError::Hash(e.to_string()))
}

pub fn verify_password(phc: &str, password: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verified once, to learn what a check costs, before any real check has
/// been timed.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&ids::token(16)).expect("argon2 with default parameters"))
}

/// The node's password checks: at most [`HASH_SLOTS`] at once, each in
/// work memory it reuses, and the typical time one takes.
///
/// argon2 needs 19 MiB per check. Left to allocate it per check, the
/// memory landed in the allocator's per-thread arenas and stayed there (a
/// burst of logins left hundreds of MiB behind even with two checks at a
/// time); so the checks run in buffers kept here instead.
/// A buffer is only made by a check holding a slot and is given back when
/// it ends, so no more than `HASH_SLOTS` ever exist: password work holds at
/// most `HASH_SLOTS` × 19 MiB, whatever arrives, and nothing once no login
/// has been checked for [`MEMORY_KEPT_IDLE`].
pub struct PasswordChecks {
    slots: tokio::sync::Semaphore,
    memory: Arc<Mutex<WorkMemory>>,
    /// Moving average of real checks, in microseconds; 0 until one ran.
    typical_us: AtomicU64,
}

/// How long the buffers of finished checks are kept for the next ones.
pub const MEMORY_KEPT_IDLE: Duration = Duration::from_secs(5);

/// Buffers of finished checks, and how many times checks gave one back
/// (a release waits for that count to stand still).
#[derive(Default)]
struct WorkMemory {
    buffers: Vec<Vec<argon2::Block>>,
    returns: u64,
}

/// A new buffer's capacity, in 1 KiB blocks: above 32 MiB, which glibc
/// always serves with its own mapping and unmaps when it is freed (its
/// dynamic mmap threshold never exceeds 32 MiB on 64-bit, mallopt(3)), so a
/// released buffer goes back to the system instead of staying in an arena.
/// Capacity that is never written costs address space, not memory.
const BUFFER_CAPACITY_BLOCKS: usize = 33 * 1024;

impl Default for PasswordChecks {
    fn default() -> PasswordChecks {
        PasswordChecks {
            slots: tokio::sync::Semaphore::new(HASH_SLOTS),
            memory: Arc::default(),
            typical_us: AtomicU64::new(0),
        }
    }
}

/// No slot for a password check came free within [`HASH_WAIT`].
#[derive(Debug)]
pub struct Busy;

impl PasswordChecks {
    fn observe(&self, took: Duration) {
        let new = u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1);
        let old = self.typical_us.load(Ordering::Relaxed);
        let avg = if old == 0 { new } else { (old * 7 + new) / 8 };
        self.typical_us.store(avg, Ordering::Relaxed);
    }

    fn typical(&self) -> Option<Duration> {
        match self.typical_us.load(Ordering::Relaxed) {
            0 => None,
            us => Some(Duration::from_micros(us)),
        }
    }

    /// Checks `password` against `phc` in a slot. Without a hash (unknown
    /// email, or a user who has not chosen a password) the answer is false
    /// after as long as a real check typically takes, with no hashing (the
    /// first time, before any check was timed, a dummy hash is checked).
    pub async fn verify(&self, phc: Option<String>, password: String) -> Result<bool, Busy> {
        let _slot = tokio::time::timeout(HASH_WAIT, self.slots.acquire())
            .await
            .map_err(|_| Busy)?
            .expect("the semaphore is never closed");
        if let (None, Some(typical)) = (&phc, self.typical()) {
            tokio::time::sleep(typical).await;
            return Ok(false);
        }
        let mut memory = lock(&self.memory)
            .buffers
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(BUFFER_CAPACITY_BLOCKS));
        let checked = tokio::task::spawn_blocking(move || {
            // Timed here: not the wait for a blocking thread, nor making the
            // dummy hash the first time.
            let hash = phc.as_deref().unwrap_or_else(|| dummy_hash());
            let started = Instant::now();
            let ok = verify_in(hash, &password, &mut memory) && phc.is_some();
            (ok, memory, started.elapsed())
        })
        .await;
        let (ok, memory) = match checked {
            Ok((ok, memory, took)) => {
                self.observe(took);
                (ok, memory)
            }
            Err(_) => (false, Vec::new()),
        };
        // A check that panicked lost its buffer; the next makes another.
        if !memory.is_empty() {
            self.give_back(memory);
        }
        Ok(ok)
    }

    /// Keeps `buffer` for the next check, and frees every kept buffer once
    /// no check has given one back for [`MEMORY_KEPT_IDLE`].
    fn give_back(&self, buffer: Vec<argon2::Block>) {
        let returns = {
            let mut kept = lock(&self.memory);
            kept.buffers.push(buffer);
            kept.returns += 1;
            kept.returns
        };
        let memory = Arc::clone(&self.memory);
        tokio::spawn(async move {
            tokio::time::sleep(MEMORY_KEPT_IDLE).await;
            let mut kept = lock(&memory);
            if kept.returns == returns {
                kept.buffers.clear();
                kept.buffers.shrink_to_fit();
            }
        });
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// [`verify_password`] in `memory` (grown to what the hash's parameters
/// need): the argon2 crate's own verification, less its allocation.
fn verify_in(phc: &str, password: &str, memory: &mut Vec<argon2::Block>) -> bool {
    use argon2::password_hash::Output;
    use argon2::{Algorithm, Params, Version};
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    let (Some(expected), Some(salt)) = (hash.hash, hash.salt) else {
        return false;
    };
    let Ok(algorithm) = Algorithm::try_from(hash.algorithm) else {
        return false;
    };
    let version = match hash.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(params) = Params::try_from(&hash) else {
        return false;
    };
    let mut salt_buf = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut salt_buf) else {
        return false;
    };
    if memory.len() < params.block_count() {
        memory.resize(params.block_count(), argon2::Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt, &mut out, &mut memory[..])
        .is_ok()
        // `Output`'s equality is constant-time.
        && Output::new(&out).is_ok_and(|o| o == expected)
}

fn sha256_hex(s: &str) -> String {
    hex::encode(digest::digest(&digest::SHA256, s.as_bytes()).as_ref())
}

fn normalize_email(email: &str) -> Result<String, UserError> {
    let e = email.trim().to_lowercase();
    let ok = e.len() <= 254
        && e.split_once('@')
            .is_some_and(|(l, d)| !l.is_empty() && d.contains('.') && !d.contains('@'))
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(e)
    } else {
        Err(UserError::InvalidEmail(email.to_string()))
    }
}

// ------------------------------------------------------------------ users

/// `cashier user create`.
pub struct NewUser<'a> {
    pub email: &'a str,
    /// The merchant this user sees; `None` with `admin`.
    pub client_id: Option<&'a ClientId>,
    pub admin: bool,
    /// `None`: the user gets a one-time setup link instead.
    pub password: Option<&'a str>,
    pub now: Timestamp,
}

pub struct UserCreated {
    pub user: DashboardUser,
    /// The secret of the setup link (`/dashboard/setup/{token}`), shown once.
    pub setup_token: Option<String>,
}

pub async fn create_user(store: &dyn Store, new: NewUser<'_>) -> Result<UserCreated, UserError> {
    let email = normalize_email(new.email)?;
    let (role, client_id) = match (new.admin, new.client_id) {
        (true, None) => (ROLE_ADMIN, None),
        (false, Some(c)) => {
            if store.merchant(c).await?.is_none() {
                return Err(UserError::NoMerchant(c.to_string()));
            }
            (ROLE_MERCHANT, Some(c.clone()))
        }
        _ => return Err(UserError::Role),
    };
    let (password_hash, setup_token) = match new.password {
        Some(p) => {
            check_password(p)?;
            (Some(hash_password(p)?), None)
        }
        None => (None, Some(ids::token(32))),
    };
    let user = DashboardUser {
        user_id: format!("u_{}", ids::token(12)),
        email,
        role: role.to_string(),
        client_id,
        password_hash,
        setup_token_hash: setup_token.as_deref().map(sha256_hex),
        setup_expires_at: setup_token
            .as_ref()
            .map(|_| new.now + chrono::Duration::milliseconds(SETUP_TTL_MS)),
        created_at: new.now,
    };
    store.insert_dashboard_user(&user).await?;
    Ok(UserCreated { user, setup_token })
}

// ------------------------------------------------------------------ cookies and CSRF

fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

fn secure_cookies(svc: &DashboardState) -> bool {
    svc.settings.secure_cookies
}

fn set_cookie(svc: &DashboardState, name: &str, value: &str, max_age_s: i64) -> HeaderValue {
    let secure = if secure_cookies(svc) { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/dashboard; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}"
    ))
    .expect("cookie values are URL-safe base64")
}

fn hmac_token(svc: &DashboardState, purpose: &str, value: &str) -> String {
    let tag = hmac::sign(
        &svc.csrf_key,
        format!("dashboard-{purpose}|{value}").as_bytes(),
    );
    hex::encode(&tag.as_ref()[..16])
}

fn same(a: &str, b: &str) -> bool {
    constant_time::verify_slices_are_equal(a.as_bytes(), b.as_bytes()).is_ok()
}

// ------------------------------------------------------------------ the logged-in user

/// The logged-in user of a request; extracting it from a request without a
/// valid session sends the browser to the login page.
pub struct Viewer {
    pub user: DashboardUser,
    pub session: DashboardSession,
}

impl Viewer {
    pub fn is_admin(&self) -> bool {
        self.user.role == ROLE_ADMIN
    }

    /// The merchant every query is limited to; `None` for an admin. A
    /// merchant user without a merchant sees nothing (`Some("")`).
    pub fn scope(&self) -> Option<&ClientId> {
        static NO_MERCHANT: ClientId = ClientId::empty();
        if self.is_admin() {
            None
        } else {
            Some(self.user.client_id.as_ref().unwrap_or(&NO_MERCHANT))
        }
    }

    pub fn may_see(&self, client_id: &ClientId) -> bool {
        self.scope().is_none_or(|c| c == client_id)
    }

    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, presented: Option<&str>) -> Result<(), DashError> {
        match presented {
            Some(p) if same(p, &self.session.csrf_token) => Ok(()),
            _ => Err(DashError::Csrf),
        }
    }

    pub fn nav(&self, active: &'static str) -> Nav {
        Nav {
            email: self.user.email.clone(),
            admin: self.is_admin(),
            csrf: self.session.csrf_token.clone(),
            active,
        }
    }
}

impl<S> FromRequestParts<S> for Viewer
where
    Arc<DashboardState>: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = DashError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, DashError> {
        let svc = Arc::<DashboardState>::from_ref(state);
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(DashError::Login)?;
        let session = svc
            .store
            .dashboard_session(&sha256_hex(token), svc.clocks.now_ts())
            .await?
            .ok_or(DashError::Login)?;
        let user = svc
            .store
            .dashboard_user(&session.user_id)
            .await?
            .ok_or(DashError::Login)?;
        Ok(Viewer { user, session })
    }
}

/// The client's address ([`crate::client_addr`]: behind a trusted proxy,
/// the address it forwarded for).
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<crate::client_addr::ClientAddr>()
                .map(|c| c.0.to_string())
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// Starts a session for `user` and answers with its cookie and a redirect.
async fn start_session(svc: &DashboardState, user: &DashboardUser) -> DashResult {
    let token = ids::token(32);
    let now = svc.clocks.now_ts();
    svc.store
        .insert_dashboard_session(&DashboardSession {
            session_hash: sha256_hex(&token),
            user_id: user.user_id.clone(),
            csrf_token: ids::token(24),
            created_at: now,
            expires_at: now + chrono::Duration::milliseconds(SESSION_TTL_MS),
        })
        .await?;
    let mut resp = Redirect::to("/dashboard/payments").into_response();
    let h = resp.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(svc, SESSION_COOKIE, &token, SESSION_TTL_MS / 1000),
    );
    h.append(header::SET_COOKIE, set_cookie(svc, PRE_LOGIN_COOKIE, "", 0));
    Ok(resp)
}

// ------------------------------------------------------------------ login

#[derive(Template)]
#[template(path = "dashboard/login.html")]
struct LoginPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    csrf: String,
    email: String,
    error: Option<String>,
}

fn login_form(
    svc: &DashboardState,
    pre: &str,
    status: StatusCode,
    email: String,
    error: Option<String>,
) -> DashResult {
    let t = strings();
    let view = LoginPage {
        t,
        title: t.login_title.into(),
        nav: None,
        csrf: hmac_token(svc, "login", pre),
        email,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn login_page(State(svc): State<Arc<DashboardState>>, headers: HeaderMap) -> DashResult {
    let (pre, new) = match cookie(&headers, PRE_LOGIN_COOKIE).filter(|v| !v.is_empty()) {
        Some(v) => (v.to_string(), false),
        None => (ids::token(24), true),
    };
    let mut resp = login_form(&svc, &pre, StatusCode::OK, String::new(), None)?;
    if new {
        resp.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&svc, PRE_LOGIN_COOKIE, &pre, 3600),
        );
    }
    Ok(resp)
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

pub async fn login(
    State(svc): State<Arc<DashboardState>>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> DashResult {
    let pre = cookie(&headers, PRE_LOGIN_COOKIE)
        .filter(|v| !v.is_empty())
        .ok_or(DashError::Csrf)?
        .to_string();
    if !same(&form.csrf, &hmac_token(&svc, "login", &pre)) {
        return Err(DashError::Csrf);
    }
    let email = form.email.trim().to_lowercase();
    let email_key = format!("email:{email}");
    let ip_key = format!("ip:{ip}");
    let now = svc.clocks.now_ts();
    let since = now - chrono::Duration::milliseconds(THROTTLE_WINDOW_MS);
    // Reserved before the password is checked: the check and the count are
    // one step, so parallel attempts cannot slip past the limits.
    let keys = [
        (email_key.as_str(), EMAIL_FAILURE_LIMIT),
        (ip_key.as_str(), IP_FAILURE_LIMIT),
    ];
    if !svc.store.reserve_login_attempt(&keys, since, now).await? {
        tracing::warn!(%ip, "dashboard login throttled");
        return Err(DashError::TooManyAttempts(
            strings().login_throttled(THROTTLE_WINDOW_MS / 60_000),
        ));
    }
    let user = svc.store.dashboard_user_by_email(&email).await?;
    let phc = user.as_ref().and_then(|u| u.password_hash.clone());
    let ok = if form.password.len() > MAX_PASSWORD_LEN * 4 {
        false
    } else {
        match svc.password_checks.verify(phc, form.password).await {
            Ok(ok) => ok,
            Err(Busy) => {
                // Nothing was checked: the attempt is given back.
                svc.store.release_login_attempt(&email_key).await?;
                svc.store.release_login_attempt(&ip_key).await?;
                tracing::warn!(%ip, "dashboard login refused: password checks busy");
                return Err(DashError::TooManyAttempts(strings().login_busy.into()));
            }
        }
    };
    match user {
        Some(user) if ok => {
            svc.store.clear_login_failures(&email_key).await?;
            svc.store.release_login_attempt(&ip_key).await?;
            tracing::info!(user = %user.user_id, "dashboard login");
            start_session(&svc, &user).await
        }
        _ => login_form(
            &svc,
            &pre,
            StatusCode::UNAUTHORIZED,
            form.email,
            Some(strings().login_wrong.into()),
        ),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

pub async fn logout(
    State(svc): State<Arc<DashboardState>>,
    viewer: Viewer,
    Form(form): Form<CsrfForm>,
) -> DashResult {
    viewer.check_csrf(form.csrf.as_deref())?;
    svc.store
        .delete_dashboard_session(&viewer.session.session_hash)
        .await?;
    let mut resp = Redirect::to("/dashboard/login").into_response();
    resp.headers_mut()
        .append(header::SET_COOKIE, set_cookie(&svc, SESSION_COOKIE, "", 0));
    Ok(resp)
}

// ------------------------------------------------------------------ setup link

#[derive(Template)]
#[template(path = "dashboard/setup.html")]
struct SetupPage {
    t: &'static DashStrings,
    title: String,
    nav: Option<Nav>,
    csrf: String,
    token: String,
    email: String,
    min_len: usize,
    error: Option<String>,
}

async fn setup_user(svc: &DashboardState, token: &str) -> DashResult<DashboardUser> {
    svc.store
        .dashboard_user_by_setup_token(&sha256_hex(token), svc.clocks.now_ts())
        .await?
        .ok_or(DashError::NotFound)
}

fn setup_form(
    svc: &DashboardState,
    token: &str,
    user: &DashboardUser,
    error: Option<String>,
) -> DashResult {
    let status = if error.is_some() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let t = strings();
    let view = SetupPage {
        t,
        title: t.setup_title.into(),
        nav: None,
        csrf: hmac_token(svc, "setup", token),
        token: token.to_string(),
        email: user.email.clone(),
        min_len: MIN_PASSWORD_LEN,
        error,
    };
    Ok((status, Html(view.render()?)).into_response())
}

pub async fn setup_page(
    State(svc): State<Arc<DashboardState>>,
    Path(token): Path<String>,
) -> DashResult {
    let user = setup_user(&svc, &token).await?;
    setup_form(&svc, &token, &user, None)
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

pub async fn setup(
    State(svc): State<Arc<DashboardState>>,
    Path(token): Path<String>,
    Form(form): Form<SetupForm>,
) -> DashResult {
    if !same(&form.csrf, &hmac_token(&svc, "setup", &token)) {
        return Err(DashError::Csrf);
    }
    let user = setup_user(&svc, &token).await?;
    let t = strings();
    if form.password != form.confirm {
        return setup_form(&svc, &token, &user, Some(t.setup_passwords_differ.into()));
    }
    if check_password(&form.password).is_err() {
        let length = t.setup_password_length(MIN_PASSWORD_LEN, MAX_PASSWORD_LEN);
        return setup_form(&svc, &token, &user, Some(length));
    }
    let password = form.password;
    let phc = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|_| DashError::Internal)?
        .map_err(|_| DashError::Internal)?;
    svc.store
        .set_dashboard_password(&user.user_id, &phc)
        .await?;
    start_session(&svc, &user).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_in_reused_memory_agree_with_the_argon2_crate() {
        let mut memory = Vec::new();
        let phc = hash_password("correct horse battery").unwrap();
        assert!(verify_in(&phc, "correct horse battery", &mut memory));
        assert!(!verify_in(&phc, "correct horse battery!", &mut memory));
        assert_eq!(memory.len(), 19 * 1024);
        // Other parameters (as an older or stronger hash may carry): the
        // memory grows to them, and the answer is still the crate's.
        let params = argon2::Params::new(32 * 1024, 3, 1, None).unwrap();
        let salt = SaltString::encode_b64(b"sixteen byte slt").unwrap();
        let other = Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, params)
            .hash_password(b"pw", &salt)
            .unwrap()
            .to_string();
        assert!(verify_password(&other, "pw"));
        assert!(verify_in(&other, "pw", &mut memory));
        assert!(!verify_in(&other, "pW", &mut memory));
        assert_eq!(memory.len(), 32 * 1024);
        // A reused buffer carries nothing over: the first hash still checks.
        assert!(verify_in(&phc, "correct horse battery", &mut memory));
        for bad in ["", "$argon2id$v=19$m=19456,t=2,p=1$bad", "plain text"] {
            assert!(!verify_in(bad, "pw", &mut memory), "{bad}");
        }
    }
}
