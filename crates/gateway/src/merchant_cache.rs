//! A short-lived, per-node cache of the merchant records and public keys that
//! every API call needs before it can verify a signature.
//!
//! Without it each call spent two database round trips (merchant, key) of
//! its three or four on data that changes a few times a year. Entries live
//! for [`TTL_MS`] at most, so a change made on another node (or by the CLI
//! against the shared database) — a suspended merchant, a retired key — takes
//! effect everywhere within that time; a change made through this node calls
//! [`MerchantCache::forget`] and takes effect at once.
//!
//! Only hits are cached: unknown client ids and key versions always go to the
//! store, so forged ids cannot grow the map beyond the registered merchants.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use cashier_protocol::signing::PublicKey;

use crate::clock::Clock;
use crate::store::{ClientId, Merchant, MerchantKey, Store, StoreResult, Timestamp};

/// How long (ms) a cached merchant or key is trusted without asking the
/// store. Measured on the gateway's clock, so tests can move past it.
pub const TTL_MS: i64 = 1_000;

#[derive(Default)]
pub struct MerchantCache {
    merchants: Mutex<HashMap<ClientId, Cached<Merchant>>>,
    keys: Mutex<HashMap<(ClientId, u32), Cached<KeyEntry>>>,
}

/// A merchant key with its public key parsed once per fetch: parsing the
/// DER and setting up the modulus for the first verification cost each API
/// call more than the verification itself.
#[derive(Debug)]
pub struct KeyEntry {
    pub key: MerchantKey,
    /// `None` when the stored bytes are not an RSA public key.
    pub public: Option<PublicKey>,
}

impl std::ops::Deref for KeyEntry {
    type Target = MerchantKey;
    fn deref(&self) -> &MerchantKey {
        &self.key
    }
}

struct Cached<T> {
    value: Arc<T>,
    fetched: Timestamp,
}

impl MerchantCache {
    /// The merchant `client_id`, from the cache if fetched within [`TTL_MS`].
    pub async fn merchant(
        &self,
        store: &dyn Store,
        client_id: &ClientId,
        now: Timestamp,
    ) -> StoreResult<Option<Arc<Merchant>>> {
        if let Some(hit) = fresh(&self.merchants, client_id, now) {
            return Ok(Some(hit));
        }
        let Some(merchant) = store.merchant(client_id).await? else {
            return Ok(None);
        };
        Ok(Some(insert(
            &self.merchants,
            client_id.into(),
            merchant,
            now,
        )))
    }

    /// The public key `version` of `client_id`, as [`Self::merchant`].
    pub async fn key(
        &self,
        store: &dyn Store,
        client_id: &ClientId,
        version: u32,
        now: Timestamp,
    ) -> StoreResult<Option<Arc<KeyEntry>>> {
        let id = (client_id.clone(), version);
        if let Some(hit) = fresh(&self.keys, &id, now) {
            return Ok(Some(hit));
        }
        let Some(key) = store.merchant_key(client_id, version).await? else {
            return Ok(None);
        };
        let public = match PublicKey::from_der(&key.public_key) {
            Ok(p) => Some(p),
            Err(e) => {
                tracing::error!(%client_id, version, error = %e, "stored merchant key does not parse");
                None
            }
        };
        Ok(Some(insert(&self.keys, id, KeyEntry { key, public }, now)))
    }

    /// Drops everything cached for `client_id`: call after changing its
    /// merchant record or keys through this node.
    pub fn forget(&self, client_id: &ClientId) {
        lock(&self.merchants).remove(client_id);
        lock(&self.keys).retain(|(c, _), _| c != client_id);
    }
}

fn lock<K, T>(
    map: &Mutex<HashMap<K, Cached<T>>>,
) -> std::sync::MutexGuard<'_, HashMap<K, Cached<T>>> {
    // A panic while holding the lock cannot leave the map half-updated (every
    // operation is one insert or remove), so a poisoned lock is still usable.
    map.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn fresh<K, Q, T>(map: &Mutex<HashMap<K, Cached<T>>>, id: &Q, now: Timestamp) -> Option<Arc<T>>
where
    K: std::borrow::Borrow<Q> + std::hash::Hash + Eq,
    Q: std::hash::Hash + Eq + ?Sized,
{
    let map = lock(map);
    let entry = map.get(id)?;
    // A clock moved backwards makes an entry stale too, never fresh forever.
    let age = (now - entry.fetched).num_milliseconds();
    (0..TTL_MS).contains(&age).then(|| entry.value.clone())
}

fn insert<K: std::hash::Hash + Eq, T>(
    map: &Mutex<HashMap<K, Cached<T>>>,
    id: K,
    value: T,
    now: Timestamp,
) -> Arc<T> {
    let value = Arc::new(value);
    lock(map).insert(
        id,
        Cached {
            value: value.clone(),
            fetched: now,
        },
    );
    value
}

/// Each merchant's clock: real time plus, with `--sandbox-clocks`, the
/// merchant's stored offset (issue #16). What Cashier decides or writes about
/// a merchant's payments uses [`MerchantClocks::merchant_now`] or
/// [`MerchantClocks::now_for`]; leases, request freshness, `request-time`
/// headers and caches use [`MerchantClocks::now_ts`], real time.
#[derive(Clone)]
pub struct MerchantClocks {
    clock: Arc<dyn Clock>,
    sandbox_clocks: bool,
    cache: Arc<MerchantCache>,
    store: Arc<dyn Store>,
}

impl MerchantClocks {
    /// `sandbox_clocks` off: every merchant's clock is real time.
    pub fn new(
        clock: Arc<dyn Clock>,
        sandbox_clocks: bool,
        cache: Arc<MerchantCache>,
        store: Arc<dyn Store>,
    ) -> MerchantClocks {
        MerchantClocks {
            clock,
            sandbox_clocks,
            cache,
            store,
        }
    }

    /// Real time.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// Real time, as the domain's time type.
    pub fn now_ts(&self) -> Timestamp {
        self.clock.now_ts()
    }

    /// How far `merchant`'s clock is ahead of real time: its stored offset
    /// with `--sandbox-clocks`, otherwise 0.
    pub fn offset_of(&self, merchant: &Merchant) -> i64 {
        if self.sandbox_clocks {
            merchant.clock_offset_ms
        } else {
            0
        }
    }

    /// Now on `merchant`'s clock.
    pub fn merchant_now(&self, merchant: &Merchant) -> Timestamp {
        self.now_ts() + chrono::Duration::milliseconds(self.offset_of(merchant))
    }

    /// [`MerchantClocks::offset_of`] by client id, through the merchant cache
    /// (so another node's advance is seen within its TTL); 0 without
    /// sandbox clocks, and for an unknown merchant.
    pub async fn offset_for(&self, client_id: &ClientId) -> StoreResult<i64> {
        if !self.sandbox_clocks {
            return Ok(0);
        }
        Ok(self
            .cache
            .merchant(self.store.as_ref(), client_id, self.now_ts())
            .await?
            .map_or(0, |m| m.clock_offset_ms))
    }

    /// Now on the clock of merchant `client_id`.
    pub async fn now_for(&self, client_id: &ClientId) -> StoreResult<Timestamp> {
        Ok(self.now_ts() + chrono::Duration::milliseconds(self.offset_for(client_id).await?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::sqlite::SqliteStore;
    use crate::store::MerchantStore;

    fn merchant(brand: &str) -> Merchant {
        Merchant {
            name: "Cache".into(),
            ..Merchant::for_tests(&"SANDBOX_CACHE".into(), brand)
        }
    }

    fn key(version: u32) -> MerchantKey {
        MerchantKey {
            client_id: "SANDBOX_CACHE".into(),
            key_version: version,
            public_key: vec![version as u8; 4],
            retired_at: None,
            created_at: Timestamp::from_millis(1),
        }
    }

    /// Hits are served for TTL_MS and then fetched again; `forget` drops
    /// them at once; misses are never cached, so a key added elsewhere is
    /// seen by the very next lookup.
    #[tokio::test]
    async fn hits_expire_forget_drops_them_and_misses_are_not_cached() {
        let dir = tempfile::tempdir().unwrap();
        let store = SqliteStore::open(&dir.path().join("c.sqlite3"))
            .await
            .unwrap();
        let cache = MerchantCache::default();
        let id = "SANDBOX_CACHE";
        assert!(cache
            .merchant(&store, &ClientId::from(id), Timestamp::from_millis(0))
            .await
            .unwrap()
            .is_none());
        store.insert_merchant(&merchant("Old")).await.unwrap();
        store.insert_merchant_key(&key(1)).await.unwrap();
        let brand = |m: Option<Arc<Merchant>>| m.unwrap().brand_name.clone();
        assert_eq!(
            brand(
                cache
                    .merchant(&store, &ClientId::from(id), Timestamp::from_millis(0))
                    .await
                    .unwrap()
            ),
            "Old"
        );

        // Changed behind the cache's back (another node): old for a second.
        store
            .update_merchant_settings(&merchant("New"))
            .await
            .unwrap();
        assert_eq!(
            brand(
                cache
                    .merchant(&store, &ClientId::from(id), Timestamp::from_millis(999))
                    .await
                    .unwrap()
            ),
            "Old"
        );
        assert_eq!(
            brand(
                cache
                    .merchant(&store, &ClientId::from(id), Timestamp::from_millis(1_000))
                    .await
                    .unwrap()
            ),
            "New"
        );
        // A clock moved backwards does not make the entry fresh forever.
        store
            .update_merchant_settings(&merchant("Newer"))
            .await
            .unwrap();
        assert_eq!(
            brand(
                cache
                    .merchant(&store, &ClientId::from(id), Timestamp::from_millis(-5))
                    .await
                    .unwrap()
            ),
            "Newer"
        );
        // Changed through this node: forget, seen at once.
        store
            .update_merchant_settings(&merchant("Newest"))
            .await
            .unwrap();
        cache.forget(&ClientId::from(id));
        assert_eq!(
            brand(
                cache
                    .merchant(&store, &ClientId::from(id), Timestamp::from_millis(-5))
                    .await
                    .unwrap()
            ),
            "Newest"
        );

        assert_eq!(
            cache
                .key(&store, &ClientId::from(id), 1, Timestamp::from_millis(0))
                .await
                .unwrap()
                .unwrap()
                .key_version,
            1
        );
        assert!(cache
            .key(&store, &ClientId::from(id), 2, Timestamp::from_millis(0))
            .await
            .unwrap()
            .is_none());
        store.insert_merchant_key(&key(2)).await.unwrap();
        assert_eq!(
            cache
                .key(&store, &ClientId::from(id), 2, Timestamp::from_millis(1))
                .await
                .unwrap()
                .unwrap()
                .public_key,
            vec![2; 4]
        );
        // Forgetting one merchant leaves the others' entries alone.
        cache.forget(&"SANDBOX_OTHER".into());
        assert_eq!(lock(&cache.keys).len(), 2);
        cache.forget(&ClientId::from(id));
        assert!(lock(&cache.keys).is_empty());
    }
}
