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

/// PostgreSQL's fast path: the rows as one `COPY … FROM STDIN` in PostgreSQL's binary format, on the
/// import's transaction (so a failed import leaves nothing, as on SQLite). Binary saves the server from
/// parsing a million numbers from text and keeps every value bit for bit.
pub async fn copy_observations(
    tx: &mut sqlx::PgConnection,
    rows: &[Row],
) -> Result<(), super::StoreError> {
    let mut copy = tx
        .copy_in_raw(
            "COPY observations (series_num, seq, period_kind, start_month, end_month, value, flags, source_num) \
             FROM STDIN (FORMAT binary)",
        )
        .await?;
    copy.send(binary_rows(rows)).await?;
    copy.finish().await?;
    Ok(())
}

/// `rows` in COPY's binary format: a signature and two empty header words, then per row the field
/// count and each field as its byte length and big-endian value (-1 for NULL), then -1.
fn binary_rows(rows: &[Row]) -> Vec<u8> {
    let mut out = Vec::with_capacity(19 + rows.len() * 78 + 2);
    out.extend_from_slice(b"PGCOPY\n\xff\r\n\0");
    out.extend_from_slice(&0i32.to_be_bytes());
    out.extend_from_slice(&0i32.to_be_bytes());
    for &(num, seq, kind, start, end, value, flags, source) in rows {
        out.extend_from_slice(&8i16.to_be_bytes());
        let mut int8 = |v: i64| {
            out.extend_from_slice(&8i32.to_be_bytes());
            out.extend_from_slice(&v.to_be_bytes());
        };
        int8(num);
        int8(seq);
        for v in [kind, start, end] {
            out.extend_from_slice(&4i32.to_be_bytes());
            out.extend_from_slice(&v.to_be_bytes());
        }
        out.extend_from_slice(&8i32.to_be_bytes());
        out.extend_from_slice(&value.to_bits().to_be_bytes());
        out.extend_from_slice(&8i32.to_be_bytes());
        out.extend_from_slice(&flags.to_be_bytes());
        match source {
            Some(n) => {
                out.extend_from_slice(&8i32.to_be_bytes());
                out.extend_from_slice(&n.to_be_bytes());
            }
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }
    out.extend_from_slice(&(-1i16).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::binary_rows;

    #[test]
    fn binary_copy_rows_are_laid_out_as_postgresql_reads_them() {
        let bytes = binary_rows(&[(7, 1, 0, 24288, 24299, -1.5, 5, None)]);
        assert_eq!(&bytes[..11], b"PGCOPY\n\xff\r\n\0", "the signature");
        assert_eq!(&bytes[11..19], &[0; 8], "no flags, no header extension");
        assert_eq!(&bytes[19..21], &8i16.to_be_bytes(), "eight fields");
        assert_eq!(&bytes[21..25], &8i32.to_be_bytes());
        assert_eq!(&bytes[25..33], &7i64.to_be_bytes(), "series number");
        let value_at = 21 + 2 * 12 + 3 * 8;
        assert_eq!(&bytes[value_at..value_at + 4], &8i32.to_be_bytes());
        assert_eq!(&bytes[value_at + 4..value_at + 12], &(-1.5f64).to_bits().to_be_bytes(), "the value, bit for bit");
        assert_eq!(&bytes[bytes.len() - 6..], &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff], "a NULL source, then the end");
        assert_eq!(bytes.len(), 19 + 2 + 2 * 12 + 3 * 8 + 12 + 12 + 4 + 2);
    }
}
