//! Browser sessions and CSRF protection.
//!
//! A session is a random 256-bit token in an `HttpOnly; SameSite=Lax` cookie
//! that keys the cart and a per-session CSRF token kept on the server
//! (the synchronizer-token pattern). Every form carries the CSRF token in a
//! hidden field; a POST whose cookie names no session, or whose token does
//! not match (compared in constant time), is refused with 403 before it does
//! anything. `SameSite=Lax` still sends the cookie when the gateway sends the
//! buyer back with a top-level GET, which the return page needs.

use std::time::Instant;

use axum::http::{header, HeaderMap, HeaderValue};
use rand::RngCore;
use subtle::ConstantTimeEq;

use crate::state::{Flash, Session};
use crate::Shop;

pub const COOKIE: &str = "demo_shop_session";

/// The session of the current request, as a page needs it.
pub struct Ctx {
    pub id: String,
    pub csrf: String,
    pub cart_count: u32,
    pub flash: Option<Flash>,
    /// `Set-Cookie` to send when the session was created by this request.
    pub set_cookie: Option<HeaderValue>,
}

fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// The value of one cookie in the request's `Cookie` headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
}

impl Shop {
    /// The request's session, created (with a cookie to set) if it has
    /// none. Takes the one-time flash message.
    pub(crate) fn session(&self, headers: &HeaderMap) -> Ctx {
        let mut data = self.data();
        if let Some(id) = cookie(headers, COOKIE) {
            if let Some(s) = data.sessions.get_mut(id) {
                s.last_seen = Instant::now();
                return Ctx {
                    id: id.to_string(),
                    csrf: s.csrf.clone(),
                    cart_count: s.cart_count(),
                    flash: s.flash.take(),
                    set_cookie: None,
                };
            }
        }
        let id = random_token(32);
        let session = Session {
            csrf: random_token(32),
            buyer_id: format!("demo-buyer-{}", random_token(8)),
            cart: Default::default(),
            flash: None,
            last_seen: Instant::now(),
        };
        let csrf = session.csrf.clone();
        data.insert_session(id.clone(), session);
        let secure = if self.public_url().starts_with("https://") {
            "; Secure"
        } else {
            ""
        };
        let cookie = format!("{COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax{secure}");
        Ctx {
            id,
            csrf,
            cart_count: 0,
            flash: None,
            set_cookie: HeaderValue::from_str(&cookie).ok(),
        }
    }

    /// The session id of a form POST whose CSRF token is right, else `None`.
    pub(crate) fn check_csrf(&self, headers: &HeaderMap, token: &str) -> Option<String> {
        let id = cookie(headers, COOKIE)?;
        let data = self.data();
        let session = data.sessions.get(id)?;
        let ok: bool = session.csrf.as_bytes().ct_eq(token.as_bytes()).into();
        ok.then(|| id.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several() {
        let mut h = HeaderMap::new();
        h.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; demo_shop_session=abc ; b=2"),
        );
        assert_eq!(cookie(&h, COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "b"), Some("2"));
        assert_eq!(cookie(&h, "c"), None);
    }
}
