//! Faults: a database file that is not a database, or one cut short, is refused at start with a message
//! naming the problem, and left exactly as it was (never silently replaced by a fresh one); a full disk or
//! SIGTERM in the middle of an import leaves the database whole, checked and its log truncated.
#![cfg(feature = "ssr")]

mod common;

use tradewinds::server::open_and_seed;

fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("faults");
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_refused_and_kept() {
    let path = scratch("not-a-database.db");
    let junk = b"These are somebody's notes, not a database.\n".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let err = open_and_seed(&format!("sqlite://{}", path.display()))
        .await
        .err()
        .expect("a text file is not opened as the database");
    let message = err.to_string();
    assert!(message.contains("not a database") || message.contains("file is"), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), junk, "the file is left as it was");
}

#[tokio::test]
async fn a_database_cut_short_is_refused_and_kept() {
    // The seeded database, cut to half its length (a copy that stopped halfway, a full disk).
    let store = common::seeded_store().await;
    let source: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.sqlite_pool().expect("SQLite")).await.unwrap();
    let whole = std::fs::read(&source).unwrap();
    let path = scratch("cut-short.db");
    let half = &whole[..whole.len() / 2];
    std::fs::write(&path, half).unwrap();
    let err = open_and_seed(&format!("sqlite://{}", path.display()))
        .await
        .err()
        .expect("half a database is not opened as if whole");
    assert!(err.to_string().contains("malformed"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), half, "the damaged file is left for its owner");
}

/// A copy of the seeded database for a child process: its file, closed and checkpointed, with the
/// counts it holds.
async fn seeded_file() -> (std::path::PathBuf, (i64, i64, i64)) {
    let store = common::seeded_store().await;
    let file: String = sqlx::query_scalar("SELECT file FROM pragma_database_list WHERE name = 'main'")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    let counts = store.counts().await.unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(store.sqlite_pool().expect("SQLite")).await.unwrap();
    store.close().await;
    (file.into(), counts)
}

/// After a failed or stopped import: the database opens, passes SQLite's own check, holds what it held
/// before (the made-up dataset absent, never half there) and its write-ahead log is folded back.
async fn assert_untouched(db: &std::path::Path, before: (i64, i64, i64)) {
    let wal = std::fs::metadata(format!("{}-wal", db.display())).map(|m| m.len()).unwrap_or(0);
    assert!(wal < 1 << 20, "the write-ahead log is truncated afterwards, not left at {wal} bytes");
    let store = tradewinds::store::Store::open(&format!("sqlite://{}", db.display())).await.unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(store.sqlite_pool().expect("SQLite")).await.unwrap();
    assert_eq!(check, "ok");
    let partial: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM datasets WHERE id LIKE '%big-made-up%'")
        .fetch_one(store.sqlite_pool().expect("SQLite"))
        .await
        .unwrap();
    assert_eq!(partial, 0, "nothing of the stopped import is visible");
    assert_eq!(store.counts().await.unwrap(), before, "the seeded data is as it was");
}

/// The disk fills mid-import (a file-size limit on the importing process, which needs no root: its
/// writes past 8 MB fail with EFBIG, as on a full disk): the import stops with a message, not a panic,
/// and leaves the database whole, checked and with its write-ahead log truncated (finding 9).
#[tokio::test]
async fn a_full_disk_mid_import_leaves_the_database_whole() {
    use std::os::unix::process::CommandExt;
    let (db, before) = seeded_file().await;
    let dir = tempfile::tempdir().unwrap();
    // ~30 MB of pages to write: well past the limit.
    let csv = common::big_csv(dir.path(), "big-made-up.csv", 400_000);
    const LIMIT: u64 = 8 << 20;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_tradewinds"));
    command.args(["--database-url", &format!("sqlite://{}", db.display()), "import", csv.to_str().unwrap()]);
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit { rlim_cur: LIMIT, rlim_max: LIMIT };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Writes past the limit fail with EFBIG instead of killing the process.
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
    let out = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "the import fails, it does not crash: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let message = stderr.lines().last().unwrap_or("");
    assert!(message.starts_with("tradewinds import: /"), "{stderr}");
    assert!(
        message.contains("big-made-up.csv: the database could not be written — is the disk full? Nothing of this file was written"),
        "the message names the file and says what to check: {stderr}"
    );
    assert_untouched(&db, before).await;
}

/// SIGTERM while rows are being written: the CLI rolls the import back, folds the log back, says so and
/// exits with 143; the database is whole and checked, the seeded data as it was.
#[tokio::test]
async fn sigterm_mid_import_rolls_back_and_says_so() {
    let (db, before) = seeded_file().await;
    let dir = tempfile::tempdir().unwrap();
    let csv = common::big_csv(dir.path(), "big-made-up.csv", 1_000_000);
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_tradewinds"))
        .args(["--database-url", &format!("sqlite://{}", db.display()), "import", csv.to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Rows are flowing once the CLI says it has read a fifth of the file (it reports each tenth the
    // parser has read; the parser runs at most a few chunks ahead of the writer).
    let (lines_tx, lines) = std::sync::mpsc::channel();
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let reader = std::thread::spawn(move || {
        use std::io::BufRead;
        let mut all = String::new();
        for line in stderr.lines().map_while(Result::ok) {
            let _ = lines_tx.send(line.clone());
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    let flowing = loop {
        match lines.recv_timeout(std::time::Duration::from_secs(120)) {
            Ok(line) if line.ends_with("big-made-up.csv: 20% read") => break true,
            Ok(_) => continue,
            Err(_) => break false,
        }
    };
    assert!(flowing, "the import reported a fifth of the file read");
    assert!(child.try_wait().unwrap().is_none(), "the import was still running");
    // SAFETY: a plain kill(2) of our own child.
    assert_eq!(unsafe { libc::kill(child.id() as i32, libc::SIGTERM) }, 0);
    let status = child.wait().unwrap();
    let stderr = reader.join().unwrap();
    assert_eq!(status.code(), Some(143), "a stop, not a crash: {stderr}");
    assert!(
        stderr.contains("big-made-up.csv: stopped by SIGTERM before it finished; nothing of this file was written"),
        "{stderr}"
    );
    assert_untouched(&db, before).await;
}
