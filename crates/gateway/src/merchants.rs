//! Merchant administration used by `cashier merchant ...` and the
//! dashboard: onboarding, key registration, rotation and retirement, logos
//! (stored in the database; `import_legacy_logos` brings in the files of
//! older installs).
//! Works on the store directly, so it can run while `cashier serve` is
//! running (the server reads merchants and keys from the store on every
//! request).

use std::path::Path;

use cashier_protocol::signing::{KeyError, PrivateKey, PublicKey};

use crate::ids;
use crate::store::{
    ClientId, Merchant, MerchantKey, MerchantLogo, RetireKey, Store, StoreError, Timestamp,
};

/// Largest accepted logo.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum MerchantError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("invalid public key: {0}")]
    Key(#[from] KeyError),
    #[error("logo: {0}")]
    Logo(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    #[error("no merchant with client id {0:?}")]
    UnknownMerchant(String),
    #[error("{client_id} has no keyVersion {version}")]
    UnknownKey { client_id: String, version: u32 },
    #[error("keyVersion {version} of {client_id} is already retired")]
    AlreadyRetired { client_id: String, version: u32 },
    #[error(
        "keyVersion {version} is the only active key of {client_id}: retiring it would lock the \
         merchant out of the API. Add a new key version first, then retire this one"
    )]
    LastActiveKey { client_id: String, version: u32 },
    #[error(
        "keyVersion {version} is the only key of {client_id} that can verify signatures (its other \
         active keys are not RSA keys of 2048 to 8192 bits): retiring it would lock the merchant \
         out of the API. Add a new key version first, then retire this one"
    )]
    LastUsableKey { client_id: String, version: u32 },
}

pub struct NewMerchant<'a> {
    pub name: &'a str,
    pub client_id: Option<&'a str>,
    pub public_key: Option<PublicKey>,
    pub generate_key: bool,
    pub notify_url: Option<&'a str>,
    pub logo: Option<&'a [u8]>,
    /// Settlement fee in basis points (0–10000).
    pub fee_bps: u32,
    pub now: Timestamp,
}

pub struct CreatedMerchant {
    pub merchant: Merchant,
    pub key_version: u32,
    /// Set when the key was generated here; shown once, never stored.
    pub private_key: Option<PrivateKey>,
}

/// Checks a logo's bytes and returns its file extension.
pub fn logo_extension(bytes: &[u8]) -> Result<&'static str, MerchantError> {
    logo_kind(bytes).map(|(ext, _)| ext)
}

/// Checks a logo's bytes (format by content, size) and returns its file
/// extension and content type.
pub fn logo_kind(bytes: &[u8]) -> Result<(&'static str, &'static str), MerchantError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(MerchantError::Logo(format!(
            "larger than {MAX_LOGO_BYTES} bytes"
        )));
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok(("png", "image/png"))
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok(("jpg", "image/jpeg"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Ok(("webp", "image/webp"))
    } else {
        Err(MerchantError::Logo(
            "only PNG, JPEG and WebP images are accepted".into(),
        ))
    }
}

fn valid_client_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

pub async fn create(
    store: &dyn Store,
    req: NewMerchant<'_>,
) -> Result<CreatedMerchant, MerchantError> {
    if req.fee_bps > 10_000 {
        return Err(MerchantError::Invalid(
            "--fee-bps must be between 0 and 10000".into(),
        ));
    }
    let name = req.name.trim();
    if name.is_empty() || name.chars().count() > 128 {
        return Err(MerchantError::Invalid(
            "--name must be 1 to 128 characters".into(),
        ));
    }
    let client_id = match req.client_id {
        Some(id) if valid_client_id(id) => ClientId::from(id),
        Some(_) => {
            return Err(MerchantError::Invalid(
                "client ids are 1-64 letters, digits, '_' or '-'".into(),
            ))
        }
        None => format!(
            "SANDBOX_{}",
            ids::token(12).to_ascii_uppercase().replace(['-', '_'], "X")
        )
        .into(),
    };
    if let Some(url) = req.notify_url {
        let ok = url::Url::parse(url)
            .map(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .unwrap_or(false);
        if !ok {
            return Err(MerchantError::Invalid(
                "--notify-url must be an absolute http(s) URL".into(),
            ));
        }
    }
    let (public, private) = match (req.public_key, req.generate_key) {
        (Some(p), false) => (p, None),
        (None, true) => {
            let k = PrivateKey::generate()?;
            (k.public_key(), Some(k))
        }
        _ => {
            return Err(MerchantError::Invalid(
                "give exactly one of --public-key FILE or --generate-key".into(),
            ))
        }
    };
    let logo_file = match req.logo {
        None => None,
        Some(bytes) => Some(save_logo(store, &client_id, bytes, req.now).await?),
    };
    let merchant = Merchant {
        client_id: client_id.clone(),
        name: name.to_string(),
        brand_name: name.to_string(),
        logo_file,
        notify_url: req.notify_url.map(str::to_string),
        refund_notify_url: None,
        status: "ACTIVE".into(),
        fee_bps: req.fee_bps,
        created_at: req.now,
        accent_color: None,
        strict: false,
        settlement_currencies: None,
        clock_offset_ms: 0,
    };
    store.insert_merchant(&merchant).await?;
    store
        .insert_merchant_key(&MerchantKey {
            client_id: client_id.clone(),
            key_version: 1,
            public_key: public.to_spki_der(),
            created_at: req.now,
            retired_at: None,
        })
        .await?;
    Ok(CreatedMerchant {
        merchant,
        key_version: 1,
        private_key: private,
    })
}

/// Checks a logo (format by content, at most [`MAX_LOGO_BYTES`]) and stores
/// it in the database, so that every node serves it; returns its public
/// name, `<SHA-256 hex of the bytes>.<ext>`. A new logo therefore gets a new
/// name and a name's bytes never change, which lets `/logos/{name}` be
/// cached for good.
/// What `cashier merchant update` changes; `None` leaves a setting as it is.
#[derive(Debug, Default, Clone)]
pub struct MerchantUpdate {
    /// Strict mode (docs/protocol.md §5.7): refuse integration warnings.
    pub strict: Option<bool>,
    /// Contracted settlement currencies as typed (`USD,SGD`); an empty
    /// text removes the contract (each payment settles in its own currency).
    pub settlement_currencies: Option<String>,
}

/// Changes a merchant's settings; running gateways see the change within
/// their merchant cache's second.
pub async fn update(
    store: &dyn Store,
    client_id: &ClientId,
    change: &MerchantUpdate,
) -> Result<Merchant, MerchantError> {
    let mut m = store
        .merchant(client_id)
        .await?
        .ok_or_else(|| MerchantError::UnknownMerchant(client_id.to_string()))?;
    if let Some(strict) = change.strict {
        m.strict = strict;
    }
    if let Some(text) = &change.settlement_currencies {
        m.settlement_currencies = crate::settlement::parse_contract(text)
            .map_err(|e| MerchantError::Invalid(format!("--settlement-currencies: {e}")))?;
    }
    if !store.update_merchant_settings(&m).await? {
        return Err(MerchantError::UnknownMerchant(client_id.to_string()));
    }
    Ok(m)
}

pub async fn save_logo(
    store: &dyn Store,
    client_id: &ClientId,
    bytes: &[u8],
    now: Timestamp,
) -> Result<String, MerchantError> {
    let (ext, content_type) = logo_kind(bytes)?;
    let sha256 = hex::encode(aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, bytes).as_ref());
    let name = format!("{sha256}.{ext}");
    store
        .insert_logo(&MerchantLogo {
            name: name.clone(),
            client_id: client_id.into(),
            content_type: content_type.to_string(),
            sha256,
            bytes: bytes.to_vec(),
            created_at: now,
        })
        .await?;
    Ok(name)
}

/// Is `name` one of our logo names (`[A-Za-z0-9._-]`, not starting with a
/// dot, at most 80 characters)? Names are never paths.
pub fn valid_logo_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 80
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
}

/// Moves the logos of installs from before logos lived in the database
/// into it: every merchant whose `logo_file` names no stored logo gets the
/// file `<data_dir>/logos/<name>` imported under the same name (after the
/// same checks as an upload), so pages and cached links keep working. Run
/// by `cashier serve` on start; with several nodes, whichever node still
/// has the file imports it. Returns how many were imported; a file this
/// node does not have is logged and left for another node.
pub async fn import_legacy_logos(
    store: &dyn Store,
    data_dir: &Path,
    now: Timestamp,
) -> Result<usize, MerchantError> {
    let mut imported = 0;
    for (client_id, name) in store.merchants_missing_logos().await? {
        if !valid_logo_name(&name) {
            tracing::warn!(
                client_id,
                name,
                "merchant logo name is not a file name; not imported"
            );
            continue;
        }
        let path = data_dir.join("logos").join(&name);
        let bytes = match tokio::fs::read(&path).await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(client_id, name, error = %e, "merchant logo is neither in the database nor in this node's data dir");
                continue;
            }
        };
        let (_, content_type) = match logo_kind(&bytes) {
            Ok(k) => k,
            Err(e) => {
                tracing::warn!(client_id, name, error = %e, "legacy logo file refused");
                continue;
            }
        };
        store
            .insert_logo(&MerchantLogo {
                name: name.clone(),
                client_id: client_id.as_str().into(),
                content_type: content_type.to_string(),
                sha256: hex::encode(
                    aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, &bytes).as_ref(),
                ),
                bytes,
                created_at: now,
            })
            .await?;
        tracing::info!(
            client_id,
            name,
            "legacy logo file imported into the database"
        );
        imported += 1;
    }
    Ok(imported)
}

/// Registers another key version (rotation); older versions keep working.
pub async fn add_key(
    store: &dyn Store,
    client_id: &ClientId,
    version: u32,
    public: &PublicKey,
    now: Timestamp,
) -> Result<(), MerchantError> {
    if version == 0 {
        return Err(MerchantError::Invalid(
            "--key-version must be at least 1".into(),
        ));
    }
    if store.merchant(client_id).await?.is_none() {
        return Err(StoreError::NotFound("merchant").into());
    }
    store
        .insert_merchant_key(&MerchantKey {
            client_id: client_id.clone(),
            key_version: version,
            public_key: public.to_spki_der(),
            created_at: now,
            retired_at: None,
        })
        .await?;
    Ok(())
}

/// Retires a key version: requests signed with it get `KEY_NOT_FOUND` from
/// then on — at once on a node that also calls `MerchantCache::forget`, and
/// within `merchant_cache::TTL_MS` (1 s) on every other node and when done
/// from the CLI. The merchant's last active key is never retired.
pub async fn retire_key(
    store: &dyn Store,
    client_id: &ClientId,
    version: u32,
    now: Timestamp,
) -> Result<(), MerchantError> {
    if store.merchant(client_id).await?.is_none() {
        return Err(MerchantError::UnknownMerchant(client_id.to_string()));
    }
    // Keys are checked when they are registered, but a key stored by an
    // older version (a 1024-bit one, say) counts as active in the store
    // while it verifies nothing: it must not let the last usable key go.
    let keys = store.merchant_keys(client_id).await?;
    let retiring_usable = keys
        .iter()
        .any(|k| k.key_version == version && k.is_active() && usable(k));
    let others: Vec<&MerchantKey> = keys
        .iter()
        .filter(|k| k.key_version != version && k.is_active())
        .collect();
    // With no other active key at all, the store's own check answers
    // (LastActiveKey, atomically).
    if retiring_usable && !others.is_empty() && !others.iter().any(|k| usable(k)) {
        return Err(MerchantError::LastUsableKey {
            client_id: client_id.to_string(),
            version,
        });
    }
    let client_id = client_id.to_string();
    match store
        .retire_merchant_key(&ClientId::from(&client_id), version, now)
        .await?
    {
        RetireKey::Retired => Ok(()),
        RetireKey::NotFound => Err(MerchantError::UnknownKey { client_id, version }),
        RetireKey::AlreadyRetired(_) => Err(MerchantError::AlreadyRetired { client_id, version }),
        RetireKey::LastActive => Err(MerchantError::LastActiveKey { client_id, version }),
    }
}

/// The stored key parses, so it can verify a signature.
fn usable(key: &MerchantKey) -> bool {
    PublicKey::from_der(&key.public_key).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_are_checked_by_content() {
        assert_eq!(logo_extension(b"\x89PNG\r\n\x1a\nrest").unwrap(), "png");
        assert_eq!(logo_extension(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(), "jpg");
        assert_eq!(logo_extension(b"RIFF\0\0\0\0WEBPVP8 ").unwrap(), "webp");
        assert!(logo_extension(b"<svg onload=alert(1)>").is_err());
        assert!(logo_extension(&vec![0x89; MAX_LOGO_BYTES + 1]).is_err());
        assert_eq!(
            logo_kind(&[0xFF, 0xD8, 0xFF, 0xE0]).unwrap(),
            ("jpg", "image/jpeg")
        );
    }

    #[test]
    fn logo_names_are_never_paths() {
        assert!(valid_logo_name("sandboxabc-xY_9.png"));
        assert!(valid_logo_name(&format!("{}.webp", "a".repeat(64))));
        for bad in [
            "",
            ".hidden.png",
            "../key.pk8",
            "a/b.png",
            "a\\b",
            "x y.png",
        ] {
            assert!(!valid_logo_name(bad), "{bad}");
        }
        assert!(!valid_logo_name(&"a".repeat(81)));
    }
}
