//! The gateway's own RSA key: signs every API response and notification.
//!
//! It lives in the data directory as `gateway_key.pk8` (PKCS#8 DER, mode
//! 0600), created on first start. Nodes of one deployment share it (copy the
//! file), because merchants verify every response with its public half.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use aws_lc_rs::digest;
use cashier_protocol::signing::{KeyError, PrivateKey, PublicKey};

pub const GATEWAY_KEY_FILE: &str = "gateway_key.pk8";

#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
    #[error("cannot read or write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not a valid RSA private key: {source}")]
    Invalid { path: PathBuf, source: KeyError },
}

pub struct GatewayKey {
    pub private: PrivateKey,
    pub public: PublicKey,
    /// `keyVersion` named in the signatures we send.
    pub version: u32,
    /// Secret for CSRF tokens, derived from the key so that nodes sharing the
    /// key agree without another secret to distribute.
    pub csrf_secret: [u8; 32],
}

impl GatewayKey {
    pub fn from_private(private: PrivateKey) -> GatewayKey {
        let mut ctx = digest::Context::new(&digest::SHA256);
        ctx.update(b"cashier-csrf-v1");
        ctx.update(&private.to_pkcs8_der());
        let mut csrf_secret = [0u8; 32];
        csrf_secret.copy_from_slice(ctx.finish().as_ref());
        let public = private.public_key();
        GatewayKey {
            private,
            public,
            version: 1,
            csrf_secret,
        }
    }

    /// Loads the key from `data_dir`, generating and saving one if absent.
    pub fn load_or_create(data_dir: &Path) -> Result<GatewayKey, KeyFileError> {
        let path = data_dir.join(GATEWAY_KEY_FILE);
        let io = |source| KeyFileError::Io {
            path: path.clone(),
            source,
        };
        match fs::read(&path) {
            Ok(der) => {
                let private =
                    PrivateKey::from_der(&der).map_err(|source| KeyFileError::Invalid {
                        path: path.clone(),
                        source,
                    })?;
                Ok(GatewayKey::from_private(private))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::files::create_private_dir_all(data_dir).map_err(io)?;
                let private = PrivateKey::generate().map_err(|source| KeyFileError::Invalid {
                    path: path.clone(),
                    source,
                })?;
                write_private(&path, &private.to_pkcs8_der()).map_err(io)?;
                Ok(GatewayKey::from_private(private))
            }
            Err(e) => Err(io(e)),
        }
    }
}

impl GatewayKey {
    /// SHA-256 of the public key (SPKI DER), hex: identifies the key without revealing it.
    pub fn fingerprint(&self) -> String {
        hex::encode(digest::digest(&digest::SHA256, &self.public.to_spki_der()).as_ref())
    }

    /// Signs `POST <path>\n<client_id>.<time>.<body>` and returns the full
    /// `signature` header value.
    ///
    /// Runs on the calling thread. An RSA-2048 signature is about 250 µs of
    /// CPU; moving it to Tokio's blocking pool did not add CPU (the runtime
    /// already has one worker per core) but cost two thread switches per
    /// call, which profiles of `cashier-bench` showed as a large share of the
    /// gateway's time (docs/performance.md).
    pub fn sign_header(
        &self,
        path: &str,
        client_id: &str,
        time: &str,
        body: &[u8],
    ) -> Result<String, String> {
        cashier_protocol::signing::sign_message(
            &self.private,
            self.version,
            path,
            client_id,
            time,
            body,
        )
        .map_err(|e| format!("signing failed: {e}"))
    }
}

/// Writes a secret file readable only by its owner, atomically.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    let mut opts = fs::OpenOptions::new();
    opts.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_once_then_reloads_the_same_key() {
        let dir = tempfile::tempdir().unwrap();
        let a = GatewayKey::load_or_create(dir.path()).unwrap();
        let b = GatewayKey::load_or_create(dir.path()).unwrap();
        assert_eq!(a.public.to_base64(), b.public.to_base64());
        assert_eq!(a.csrf_secret, b.csrf_secret);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(GATEWAY_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn refuses_a_corrupt_key_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(GATEWAY_KEY_FILE), b"junk").unwrap();
        assert!(matches!(
            GatewayKey::load_or_create(dir.path()),
            Err(KeyFileError::Invalid { .. })
        ));
    }
}
