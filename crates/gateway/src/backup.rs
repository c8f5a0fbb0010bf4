//! Online backup and restore of an embedded (SQLite) deployment (issue
//! #20, point 1): `cashier backup` and `cashier restore`.
//!
//! A backup is one SQLite file: `VACUUM INTO` copies the database inside
//! one read transaction — a consistent snapshot of every committed write,
//! the WAL included, taken while `serve` keeps accepting payments (SQLite
//! readers never block its writer) — and a table of its own,
//! [`META_TABLE`], adds the gateway key, without which merchants could not
//! verify anything the restored gateway signs. The file is created
//! owner-only: it holds buyer data, checkout tokens and that private key.
//!
//! Restoring takes the data directory's lock exclusively ([`DirLock`]):
//! `serve` holds it shared for as long as it runs, so a restore never
//! replaces a database under a running gateway, and a gateway does not
//! start during a restore. The database and key already there are not
//! deleted but kept under another name (`….replaced-<time>`), and the
//! restored files are written under temporary names, synced and then
//! renamed into place, so the data directory always holds a whole
//! database, the old or the new one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use cashier_protocol::signing::PrivateKey;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::files::{create_private_dir_all, private_file_options};
use crate::keys::{GatewayKey, GATEWAY_KEY_FILE};
use crate::store::Timestamp;

/// Name of the embedded database in the data directory.
pub const SQLITE_FILE: &str = "cashier.sqlite3";

/// The table a backup carries beside the database's own.
pub const META_TABLE: &str = "cashier_backup";
/// The lock file `serve` holds shared and `restore` exclusively.
pub const LOCK_FILE: &str = "cashier.lock";
/// The backup format this build writes and reads.
const FORMAT: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("there is no Cashier database at {0}")]
    NoDatabase(PathBuf),
    #[error("there is no gateway key at {0}: a backup without it could not sign anything merchants accept")]
    NoKey(PathBuf),
    #[error("{0} already exists; choose a new file name (a backup never overwrites a file)")]
    Exists(PathBuf),
    #[error("{path} is not a Cashier backup: {why}")]
    NotABackup { path: PathBuf, why: String },
    #[error(
        "the gateway key in {key} (fingerprint {local}) is not the one this database was used with ({stored})"
    )]
    KeyMismatch {
        key: PathBuf,
        local: String,
        stored: String,
    },
    #[error("a gateway is running on {0} (it holds the data directory's lock): stop it before restoring")]
    Running(PathBuf),
}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn sql_err(path: &Path) -> impl FnOnce(rusqlite::Error) -> BackupError + '_ {
    move |source| BackupError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

/// The data directory's lock: shared by each running `serve`, exclusive
/// for a restore. Released when dropped (or when the process dies).
#[derive(Debug)]
pub struct DirLock {
    _file: File,
}

impl DirLock {
    fn open(data_dir: &Path) -> Result<File, BackupError> {
        create_private_dir_all(data_dir).map_err(io_err(data_dir))?;
        let path = data_dir.join(LOCK_FILE);
        private_file_options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err(&path))
    }

    /// For `serve`: shared with other gateways and CLI commands; fails only
    /// while a restore holds the directory.
    pub fn shared(data_dir: &Path) -> Result<DirLock, BackupError> {
        let file = DirLock::open(data_dir)?;
        match file.try_lock_shared() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(BackupError::Io {
                path: data_dir.join(LOCK_FILE),
                source: io::Error::other("a restore is running on this data directory"),
            }),
            Err(fs::TryLockError::Error(e)) => Err(io_err(&data_dir.join(LOCK_FILE))(e)),
        }
    }

    /// For `restore`: fails while any gateway holds the directory.
    pub fn exclusive(data_dir: &Path) -> Result<DirLock, BackupError> {
        let file = DirLock::open(data_dir)?;
        match file.try_lock() {
            Ok(()) => Ok(DirLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(BackupError::Running(data_dir.into())),
            Err(fs::TryLockError::Error(e)) => Err(io_err(&data_dir.join(LOCK_FILE))(e)),
        }
    }
}

/// What a backup or a restore did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// The backup file (backup) or the database file (restore).
    pub path: PathBuf,
    pub bytes: u64,
    pub payments: i64,
    pub refunds: i64,
    /// SHA-256 of the gateway public key.
    pub gateway_key_fingerprint: String,
    /// Files moved aside by a restore (the database and key it replaced).
    pub replaced: Vec<PathBuf>,
}

fn counts(conn: &Connection, path: &Path) -> Result<(i64, i64), BackupError> {
    let count = |table: &str| {
        conn.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0))
            .map_err(sql_err(path))
    };
    Ok((count("payments")?, count("refunds")?))
}

/// The fingerprint the database recorded for its gateway key, if any.
fn recorded_fingerprint(conn: &Connection, path: &Path) -> Result<Option<String>, BackupError> {
    conn.query_row(
        "SELECT value FROM settings WHERE name = 'gateway_key_sha256'",
        [],
        |r| r.get(0),
    )
    .optional()
    .map_err(sql_err(path))
}

fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A temporary name beside `path`.
fn temporary(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent_of(path).join(format!(".{name}.{}.partial", crate::ids::token(6)))
}

/// Backs up the SQLite database and gateway key of `data_dir` into the new
/// file `to`, while a gateway may be running on them.
pub fn backup(data_dir: &Path, to: &Path, now: Timestamp) -> Result<Summary, BackupError> {
    let db = data_dir.join(SQLITE_FILE);
    if !db.is_file() {
        return Err(BackupError::NoDatabase(db));
    }
    let key_path = data_dir.join(GATEWAY_KEY_FILE);
    let der = match fs::read(&key_path) {
        Ok(der) => der,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Err(BackupError::NoKey(key_path)),
        Err(e) => return Err(io_err(&key_path)(e)),
    };
    let key = PrivateKey::from_der(&der).map_err(|e| BackupError::NotABackup {
        path: key_path.clone(),
        why: format!("the gateway key does not parse: {e}"),
    })?;
    let fingerprint = GatewayKey::from_private(key).fingerprint();
    if to.exists() {
        return Err(BackupError::Exists(to.into()));
    }
    let source = Connection::open_with_flags(
        &db,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(sql_err(&db))?;
    source
        .busy_timeout(std::time::Duration::from_secs(30))
        .map_err(sql_err(&db))?;
    if let Some(stored) = recorded_fingerprint(&source, &db)? {
        if stored != fingerprint {
            return Err(BackupError::KeyMismatch {
                key: key_path,
                local: fingerprint,
                stored,
            });
        }
    }
    let tmp = temporary(to);
    // Created owner-only and empty: VACUUM INTO writes into an empty file
    // and keeps its mode.
    private_file_options()
        .write(true)
        .create_new(true)
        .open(&tmp)
        .map_err(io_err(&tmp))?;
    let result = (|| {
        source
            .execute("VACUUM INTO ?1", [tmp.to_string_lossy()])
            .map_err(sql_err(&db))?;
        drop(source);
        let copy = Connection::open(&tmp).map_err(sql_err(&tmp))?;
        copy.execute_batch(&format!(
            "CREATE TABLE {META_TABLE} (name TEXT PRIMARY KEY, value BLOB NOT NULL);"
        ))
        .map_err(sql_err(&tmp))?;
        let mut insert = copy
            .prepare(&format!(
                "INSERT INTO {META_TABLE} (name, value) VALUES (?1, ?2)"
            ))
            .map_err(sql_err(&tmp))?;
        for (name, value) in [
            ("format", rusqlite::types::Value::Integer(FORMAT)),
            ("gateway_key_pk8", rusqlite::types::Value::Blob(der.clone())),
            (
                "gateway_key_sha256",
                rusqlite::types::Value::Text(fingerprint.clone()),
            ),
            (
                "created_at_ms",
                rusqlite::types::Value::Integer(now.millis()),
            ),
            (
                "cashier_version",
                rusqlite::types::Value::Text(env!("CARGO_PKG_VERSION").into()),
            ),
        ] {
            insert
                .execute(rusqlite::params![name, value])
                .map_err(sql_err(&tmp))?;
        }
        drop(insert);
        let (payments, refunds) = counts(&copy, &tmp)?;
        check_integrity(&copy, &tmp)?;
        drop(copy);
        File::open(&tmp)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&tmp))?;
        Ok((payments, refunds))
    })();
    let (payments, refunds) = match result {
        Ok(c) => c,
        Err(e) => {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    // A file that appeared meanwhile is not replaced.
    if to.exists() {
        let _ = fs::remove_file(&tmp);
        return Err(BackupError::Exists(to.into()));
    }
    fs::rename(&tmp, to).map_err(io_err(to))?;
    sync_dir(&parent_of(to))?;
    let bytes = fs::metadata(to).map_err(io_err(to))?.len();
    Ok(Summary {
        path: to.into(),
        bytes,
        payments,
        refunds,
        gateway_key_fingerprint: fingerprint,
        replaced: Vec::new(),
    })
}

fn check_integrity(conn: &Connection, path: &Path) -> Result<(), BackupError> {
    let verdict: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(sql_err(path))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(BackupError::NotABackup {
            path: path.into(),
            why: format!("integrity check: {verdict}"),
        })
    }
}

/// What a backup file carries, checked.
struct Backup {
    key_der: Vec<u8>,
    fingerprint: String,
}

fn read_backup(path: &Path) -> Result<Backup, BackupError> {
    let not = |why: String| BackupError::NotABackup {
        path: path.into(),
        why,
    };
    if !path.is_file() {
        return Err(not("no such file".into()));
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(sql_err(path))?;
    let meta = |name: &str| -> Result<Option<rusqlite::types::Value>, BackupError> {
        conn.query_row(
            &format!("SELECT value FROM {META_TABLE} WHERE name = ?1"),
            [name],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::NotADatabase => {
                not("not an SQLite file".into())
            }
            _ => not(format!("no {META_TABLE} table ({e})")),
        })
    };
    match meta("format")? {
        Some(rusqlite::types::Value::Integer(FORMAT)) => {}
        other => return Err(not(format!("unknown backup format {other:?}"))),
    }
    let Some(rusqlite::types::Value::Blob(key_der)) = meta("gateway_key_pk8")? else {
        return Err(not("it carries no gateway key".into()));
    };
    let key = PrivateKey::from_der(&key_der)
        .map_err(|e| not(format!("its gateway key does not parse: {e}")))?;
    let fingerprint = GatewayKey::from_private(key).fingerprint();
    if let Some(stored) = recorded_fingerprint(&conn, path)? {
        if stored != fingerprint {
            return Err(not(format!(
                "its gateway key ({fingerprint}) is not the one its database records ({stored})"
            )));
        }
    }
    check_integrity(&conn, path)?;
    Ok(Backup {
        key_der,
        fingerprint,
    })
}

/// Restores the backup `from` into `data_dir` (SQLite database and gateway
/// key). Refuses while a gateway runs there; what was there is renamed
/// aside with the suffix `.replaced-<stamp>`.
pub fn restore(data_dir: &Path, from: &Path, stamp: &str) -> Result<Summary, BackupError> {
    let backup = read_backup(from)?;
    let _lock = DirLock::exclusive(data_dir)?;
    let db = data_dir.join(SQLITE_FILE);
    let key_path = data_dir.join(GATEWAY_KEY_FILE);

    // The new database, complete and synced under a temporary name.
    let tmp_db = temporary(&db);
    {
        let mut out = private_file_options()
            .write(true)
            .create_new(true)
            .open(&tmp_db)
            .map_err(io_err(&tmp_db))?;
        let mut input = File::open(from).map_err(io_err(from))?;
        io::copy(&mut input, &mut out).map_err(io_err(&tmp_db))?;
        out.flush().map_err(io_err(&tmp_db))?;
    }
    let prepared = (|| {
        let conn = Connection::open(&tmp_db).map_err(sql_err(&tmp_db))?;
        conn.execute_batch(&format!("DROP TABLE {META_TABLE};"))
            .map_err(sql_err(&tmp_db))?;
        let (payments, refunds) = counts(&conn, &tmp_db)?;
        drop(conn);
        File::open(&tmp_db)
            .and_then(|f| f.sync_all())
            .map_err(io_err(&tmp_db))?;
        Ok((payments, refunds))
    })();
    let (payments, refunds) = match prepared {
        Ok(c) => c,
        Err(e) => {
            let _ = fs::remove_file(&tmp_db);
            return Err(e);
        }
    };
    let tmp_key = temporary(&key_path);
    {
        let mut out = private_file_options()
            .write(true)
            .create_new(true)
            .open(&tmp_key)
            .map_err(io_err(&tmp_key))?;
        out.write_all(&backup.key_der)
            .and_then(|()| out.sync_all())
            .map_err(io_err(&tmp_key))?;
    }

    // What was there stays, under another name: a hard link keeps the old
    // database's file while the rename below puts the new one in its place,
    // so at every moment `db` is a whole database, the old or the new.
    // First the old WAL is folded into it (a stale WAL must never meet the
    // new file); if the old database cannot even be opened, its WAL and
    // index are moved aside as they are.
    let mut replaced = Vec::new();
    let aside_name = |path: &Path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        path.with_file_name(format!("{name}.replaced-{stamp}"))
    };
    if db.exists() {
        let folded = Connection::open(&db)
            .and_then(|c| {
                c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| {
                    r.get::<_, i64>(0)
                })
            })
            .is_ok_and(|busy| busy == 0);
        for suffix in ["-wal", "-shm"] {
            let path = data_dir.join(format!("{SQLITE_FILE}{suffix}"));
            if !path.exists() {
                continue;
            }
            let empty = fs::metadata(&path).is_ok_and(|m| m.len() == 0);
            if folded && (empty || suffix == "-shm") {
                fs::remove_file(&path).map_err(io_err(&path))?;
            } else {
                let target = aside_name(&path);
                fs::rename(&path, &target).map_err(io_err(&path))?;
                replaced.push(target);
            }
        }
        let target = aside_name(&db);
        fs::hard_link(&db, &target).map_err(io_err(&target))?;
        replaced.push(target);
    }
    let same_key = fs::read(&key_path).is_ok_and(|k| k == backup.key_der);
    if key_path.exists() && !same_key {
        let target = aside_name(&key_path);
        fs::hard_link(&key_path, &target).map_err(io_err(&target))?;
        replaced.push(target);
    }
    // The key first: a crash between the two renames leaves the old
    // database with the new key, which `serve` refuses to start on (the
    // database records its key's fingerprint) until the restore is run
    // again.
    if same_key {
        let _ = fs::remove_file(&tmp_key);
    } else {
        fs::rename(&tmp_key, &key_path).map_err(io_err(&key_path))?;
    }
    fs::rename(&tmp_db, &db).map_err(io_err(&db))?;
    sync_dir(data_dir)?;
    let bytes = fs::metadata(&db).map_err(io_err(&db))?.len();
    Ok(Summary {
        path: db,
        bytes,
        payments,
        refunds,
        gateway_key_fingerprint: backup.fingerprint,
        replaced,
    })
}
