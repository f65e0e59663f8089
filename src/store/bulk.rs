//! The one hot write path: on SQLite straight through one prepared statement, on PostgreSQL by COPY.
//!
//! Through sqlx every bound value is boxed, copied and sent to its worker thread, which made a
//! 1M-row import take 4+ s; binding numbers to one reused statement takes a fraction of that. It runs on
//! the connection of the open import transaction (borrowed with `lock_handle`), so atomicity is
//! unchanged. Rows are numbers only (see migrations/0004), so there is no text lifetime to get wrong.
//! PostgreSQL takes the rows as COPY text on the import's transaction ([`copy_observations`]).

use libsqlite3_sys as ffi;
use std::ffi::CStr;
use std::ptr::NonNull;

/// One observations row: series key, row number, period kind, start and end month, value, flag bits,
/// source number.
pub type Row = (i64, i64, i32, i32, i32, f64, i64, Option<i64>);

const INSERT: &CStr = c"INSERT INTO observations \
    (series_num, seq, period_kind, start_month, end_month, value, flags, source_num) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

/// Inserts `rows` on the connection `db`, which the caller has locked for its exclusive use.
pub fn insert_observations(db: NonNull<ffi::sqlite3>, rows: &[Row]) -> Result<(), String> {
    let db = db.as_ptr();
    let mut stmt: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: `db` is a live connection held exclusively by the caller's lock for this call; `stmt` is
    // finalized below on every path; INSERT is NUL-terminated and -1 tells SQLite to read up to it.
    unsafe {
        check(
            db,
            ffi::sqlite3_prepare_v2(db, INSERT.as_ptr(), -1, &mut stmt, std::ptr::null_mut()),
        )?;
        let result =
            rows.iter()
                .try_for_each(|&(num, seq, kind, start, end, value, flags, source)| {
                    check(db, ffi::sqlite3_bind_int64(stmt, 1, num))?;
                    check(db, ffi::sqlite3_bind_int64(stmt, 2, seq))?;
                    check(db, ffi::sqlite3_bind_int(stmt, 3, kind))?;
                    check(db, ffi::sqlite3_bind_int(stmt, 4, start))?;
                    check(db, ffi::sqlite3_bind_int(stmt, 5, end))?;
                    check(db, ffi::sqlite3_bind_double(stmt, 6, value))?;
                    check(db, ffi::sqlite3_bind_int64(stmt, 7, flags))?;
                    check(
                        db,
                        match source {
                            Some(n) => ffi::sqlite3_bind_int64(stmt, 8, n),
                            None => ffi::sqlite3_bind_null(stmt, 8),
                        },
                    )?;
                    match ffi::sqlite3_step(stmt) {
                        ffi::SQLITE_DONE => {}
                        code => {
                            check(db, code).and(Err(format!("unexpected step result {code}")))?
                        }
                    }
                    check(db, ffi::sqlite3_reset(stmt))
                });
        ffi::sqlite3_finalize(stmt);
        result
    }
}

/// SQLite's own message for a failed call.
unsafe fn check(db: *mut ffi::sqlite3, code: i32) -> Result<(), String> {
    if code == ffi::SQLITE_OK {
        return Ok(());
    }
    let message = CStr::from_ptr(ffi::sqlite3_errmsg(db)).to_string_lossy();
    Err(format!("{message} (SQLite code {code})"))
}

/// PostgreSQL's fast path: the rows as one `COPY … FROM STDIN` in its text format, on the import's
/// transaction (so a failed import leaves nothing, as on SQLite).
pub async fn copy_observations(
    tx: &mut sqlx::PgConnection,
    rows: &[Row],
) -> Result<(), super::StoreError> {
    use std::fmt::Write;
    let mut text = String::with_capacity(rows.len() * 48);
    for &(num, seq, kind, start, end, value, flags, source) in rows {
        // `{value:?}` writes the shortest text that reads back as the same f64 (never rounded).
        let _ = write!(text, "{num}\t{seq}\t{kind}\t{start}\t{end}\t{value:?}\t{flags}\t");
        match source {
            Some(n) => {
                let _ = writeln!(text, "{n}");
            }
            None => text.push_str("\\N\n"),
        }
    }
    let mut copy = tx
        .copy_in_raw(
            "COPY observations (series_num, seq, period_kind, start_month, end_month, value, flags, source_num) \
             FROM STDIN",
        )
        .await?;
    copy.send(text.into_bytes()).await?;
    copy.finish().await?;
    Ok(())
}
