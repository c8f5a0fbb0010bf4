//! Owner-only files (issue #20, point 6): the data directory holds checkout
//! tokens (a hosted page's only credential), buyer data, dashboard password
//! hashes and the gateway key, so what Cashier creates there is readable by
//! its own user only — directories 0700, files 0600 — whatever the umask.
//! Files that already exist keep their mode; [`warn_if_shared`] says so at
//! start when others can read them.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io;
use std::path::Path;

/// Creates `dir` and its missing parents, each new one owner-only.
pub fn create_private_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// Opens options that create a file owner-only.
pub fn private_file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Creates `path` owner-only if it does not exist (an existing file is left
/// as it is). SQLite gives the database's `-wal` and `-shm` files the mode
/// of the database file, so creating the database this way covers them.
pub fn create_private_file(path: &Path) -> io::Result<()> {
    match private_file_options()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Whether others than the owner may read or enter `path` (always false
/// where modes do not exist).
pub fn is_shared(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// Logs a warning for each of `paths` that others than the owner may read.
pub fn warn_if_shared(paths: &[&Path]) {
    for path in paths.iter().filter(|p| is_shared(p)) {
        tracing::warn!(
            path = %path.display(),
            "readable by other users: it holds checkout tokens, buyer data and password hashes; chmod go-rwx it"
        );
    }
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn directories_and_files_are_created_owner_only() {
        let root = tempfile::tempdir().unwrap();
        let nested = root.path().join("a/b");
        create_private_dir_all(&nested).unwrap();
        assert_eq!(mode(&root.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        let file = nested.join("db");
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        assert!(!is_shared(&file));
        // An existing file is left alone, and reported.
        fs::set_permissions(&file, fs::Permissions::from_mode(0o644)).unwrap();
        create_private_file(&file).unwrap();
        assert_eq!(mode(&file), 0o644);
        assert!(is_shared(&file));
    }
}
