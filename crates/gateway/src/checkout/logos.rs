//! `GET /logos/{name}`: merchant logos, from the store, so every node
//! serves every logo.
//!
//! A name is the SHA-256 of the bytes (plus the extension) for every
//! upload, and a merchant's new logo gets a new name, so the answer never
//! changes: it is cacheable for a year (`immutable`), carries the hash as
//! its ETag (a revalidation answers 304), and each node keeps the logos it
//! served in a small in-memory cache ([`CACHE_BYTES`]) instead of reading
//! the database again. Imported files of older installs keep their old
//! names, which were random per upload and never reused, so the same holds.
//! Unknown names are 404 (and not cached).

use std::sync::Arc;

use std::collections::HashMap;
use std::sync::Mutex;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;

use super::CheckoutState;
use crate::merchants::valid_logo_name;

/// The most logo bytes one node keeps in memory.
pub const CACHE_BYTES: usize = 8 * 1024 * 1024;

#[derive(Clone)]
struct Cached {
    content_type: String,
    etag: String,
    bytes: Bytes,
}

/// The node's cache of served logos, by name (bounded by total size).
#[derive(Default)]
pub struct LogoCache {
    inner: Mutex<(HashMap<String, Cached>, usize)>,
}

impl LogoCache {
    fn get(&self, name: &str) -> Option<Cached> {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        inner.0.get(name).cloned()
    }

    fn put(&self, name: &str, logo: Cached) {
        let size = logo.bytes.len();
        if size > CACHE_BYTES {
            return;
        }
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        let (map, total) = &mut *inner;
        // Logos never change, so any entry may go; drop some until it fits.
        while *total + size > CACHE_BYTES {
            let Some(victim) = map.keys().next().cloned() else {
                break;
            };
            if let Some(old) = map.remove(&victim) {
                *total -= old.bytes.len();
            }
        }
        if let Some(old) = map.insert(name.to_string(), logo) {
            *total -= old.bytes.len();
        }
        *total += size;
    }

    /// Logos held and their total size.
    pub fn usage(&self) -> (usize, usize) {
        let inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        (inner.0.len(), inner.1)
    }
}

pub async fn logo(
    State(svc): State<Arc<CheckoutState>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    if !valid_logo_name(&name) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let cached = match svc.logos.get(&name) {
        Some(c) => c,
        None => match svc.store.logo(&name).await {
            Ok(Some(l)) => {
                let c = Cached {
                    content_type: l.content_type,
                    etag: format!("\"{}\"", l.sha256),
                    bytes: Bytes::from(l.bytes),
                };
                svc.logos.put(&name, c.clone());
                c
            }
            Ok(None) => return StatusCode::NOT_FOUND.into_response(),
            Err(e) => {
                tracing::warn!(error = %e, "cannot read a logo");
                return StatusCode::SERVICE_UNAVAILABLE.into_response();
            }
        },
    };
    let revalidated = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == cached.etag));
    let common = [
        (
            header::CACHE_CONTROL,
            "public, max-age=31536000, immutable".to_string(),
        ),
        (header::ETAG, cached.etag.clone()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
    ];
    if revalidated {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(header::CONTENT_TYPE, cached.content_type)],
        cached.bytes,
    )
        .into_response()
}
