//! The findings history: one SQLite file (WAL mode, busy timeout, one transaction per report).
//! A file that fails its integrity check is never reset: it is copied aside and the user is told.

mod ingest;
mod query;
mod schema;

pub use ingest::IngestOutcome;
pub use query::{ScanRecord, StoredFinding};

use crate::error::{EvidenceError, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a writer waits for another writer's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// An open history file.
pub struct History {
    conn: Connection,
    path: PathBuf,
}

impl std::fmt::Debug for History {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("History").field("path", &self.path).finish()
    }
}

/// Default history location for a scan root: `<root>/.aisvs/history.sqlite`, or the user's
/// data directory when the root is not writable.
pub fn default_history_path(root: &Path) -> PathBuf {
    let dir = root.join(".aisvs");
    let local = dir.join("history.sqlite");
    // Nothing is created here: `History::open` makes the directory when it first writes.
    let writable = if dir.is_dir() {
        is_writable_dir(&dir)
    } else {
        is_writable_dir(root)
    };
    if local.exists() || writable {
        return local;
    }
    let data = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))
        .unwrap_or_else(std::env::temp_dir);
    data.join("aisvs").join("history.sqlite")
}

/// Whether a file can be created in `dir`.
fn is_writable_dir(dir: &Path) -> bool {
    let probe = dir.join(format!(".write-probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

impl History {
    /// Opens (creating if needed) the history file, checks its integrity and migrates the schema.
    pub fn open(path: &Path) -> Result<History> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| EvidenceError::Read {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let existed = path.exists();
        let sql = |source| EvidenceError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(sql)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(sql)?;
        if existed {
            if let Err(detail) = integrity(&conn) {
                drop(conn);
                return Err(corrupt(path, detail));
            }
        }
        let history = History {
            conn,
            path: path.to_path_buf(),
        };
        // Switching a new file to WAL needs an exclusive lock, and SQLite answers "busy" at once instead of
        // waiting when another process opens the same file at that moment: retry within the busy timeout.
        let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
        loop {
            match schema::prepare(&history.conn, path) {
                Err(EvidenceError::Sqlite { source, .. }) if is_corruption(&source) => {
                    drop(history);
                    return Err(corrupt(path, source.to_string()));
                }
                Err(EvidenceError::Sqlite { source, .. })
                    if is_busy(&source) && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                }
                other => return other.map(|()| history),
            }
        }
    }

    /// Opens `path` if it exists; otherwise an empty in-memory history that still reports
    /// `path` as its location, so evaluating never creates files (`aisvs evidence status`).
    pub fn open_or_empty(path: &Path) -> Result<History> {
        if path.exists() {
            return History::open(path);
        }
        let sql = |source| EvidenceError::Sqlite {
            path: path.to_path_buf(),
            source,
        };
        let conn = Connection::open_in_memory().map_err(sql)?;
        schema::prepare(&conn, path)?;
        Ok(History {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The file this history lives in.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Wraps a SQLite error with the file name.
    pub(crate) fn sql_error(&self, source: rusqlite::Error) -> EvidenceError {
        EvidenceError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }
}

/// Runs `PRAGMA quick_check`; any answer other than `ok` (or an error) is corruption.
fn integrity(conn: &Connection) -> std::result::Result<(), String> {
    let answer: std::result::Result<String, rusqlite::Error> =
        conn.query_row("PRAGMA quick_check", [], |row| row.get(0));
    match answer {
        Ok(text) if text == "ok" => Ok(()),
        Ok(text) => Err(text),
        Err(e) => Err(e.to_string()),
    }
}

/// Errors that mean "another connection holds the lock right now".
fn is_busy(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy) | Some(rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Errors that mean "this file is damaged or not a database".
fn is_corruption(err: &rusqlite::Error) -> bool {
    matches!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt) | Some(rusqlite::ErrorCode::NotADatabase)
    )
}

/// Copies the damaged file aside (never deleting or rewriting it) and builds the error. The
/// copy is named after the content hash, so repeated runs do not pile up identical copies.
fn corrupt(path: &Path, detail: String) -> EvidenceError {
    use sha2::{Digest, Sha256};
    let backup = std::fs::read(path).ok().and_then(|bytes| {
        let hash = hex::encode(Sha256::digest(&bytes));
        let mut name = path.as_os_str().to_owned();
        name.push(format!(".corrupt-{}.bak", &hash[..12]));
        let backup = PathBuf::from(name);
        (backup.exists() || std::fs::write(&backup, &bytes).is_ok()).then_some(backup)
    });
    // quick_check prints a `*** in database main ***` header before the actual problem.
    let detail = detail
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("***"))
        .unwrap_or("integrity check failed")
        .to_string();
    EvidenceError::CorruptHistory {
        path: path.to_path_buf(),
        backup: backup.unwrap_or_else(|| PathBuf::from("(copy failed)")),
        detail,
    }
}
