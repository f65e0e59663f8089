//! The file being imported: where its bytes come from (memory or a path), reading them for sniffing,
//! parsing and hashing, and reporting how far the parser has read.

use super::ImportError;
use std::io::Read;
use std::sync::Arc;

/// Largest workbook read into memory: spreadsheets cannot be streamed, so bigger ones must come as CSV.
pub(super) const XLSX_LIMIT: u64 = 200 << 20;

/// A file to import: its name (for messages and the default dataset id) and its bytes.
pub struct Input {
    pub name: String,
    pub bytes: InputBytes,
}

pub enum InputBytes {
    Memory(Arc<[u8]>),
    File(std::path::PathBuf),
}

impl Input {
    pub fn from_bytes(name: &str, bytes: impl Into<Arc<[u8]>>) -> Input {
        Input {
            name: name.to_string(),
            bytes: InputBytes::Memory(bytes.into()),
        }
    }

    pub fn from_path(path: &std::path::Path) -> Input {
        Input {
            name: path.display().to_string(),
            bytes: InputBytes::File(path.to_path_buf()),
        }
    }

    pub(super) fn open(&self) -> Result<Box<dyn Read + Send>, ImportError> {
        match &self.bytes {
            InputBytes::Memory(b) => Ok(Box::new(std::io::Cursor::new(b.clone()))),
            InputBytes::File(p) => std::fs::File::open(p)
                .map(|f| {
                    Box::new(std::io::BufReader::with_capacity(1 << 16, f)) as Box<dyn Read + Send>
                })
                .map_err(|e| ImportError::Unreadable {
                    file: self.name.clone(),
                    reason: e.to_string(),
                }),
        }
    }

    pub fn len(&self) -> Option<u64> {
        match &self.bytes {
            InputBytes::Memory(b) => Some(b.len() as u64),
            InputBytes::File(p) => std::fs::metadata(p).ok().map(|m| m.len()),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == Some(0)
    }

    /// The first 64 KiB, for sniffing the format and encoding.
    pub(super) fn head(&self) -> Result<Vec<u8>, ImportError> {
        let mut head = Vec::with_capacity(1 << 16);
        self.open()?
            .take(1 << 16)
            .read_to_end(&mut head)
            .map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
        Ok(head)
    }

    pub(super) fn read_all(&self, limit: u64) -> Result<Vec<u8>, ImportError> {
        let mut all = Vec::new();
        self.open()?
            .take(limit + 1)
            .read_to_end(&mut all)
            .map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
        if all.len() as u64 > limit {
            return Err(ImportError::NotATable {
                file: self.name.clone(),
                reason: format!(
                    "spreadsheets over {} MB are not supported; export it as CSV",
                    limit >> 20
                ),
            });
        }
        Ok(all)
    }

    pub(super) fn stem(&self) -> String {
        let base = self.name.rsplit(['/', '\\']).next().unwrap_or(&self.name);
        base.rsplit_once('.').map_or(base, |(s, _)| s).to_string()
    }

    /// SHA-256 of the content: re-importing an unchanged file is recognised and skipped.
    pub fn content_hash(&self) -> Result<String, ImportError> {
        use sha2::{Digest, Sha256};
        let mut hasher = Sha256::new();
        let mut reader = self.open()?;
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = reader.read(&mut buf).map_err(|e| ImportError::Unreadable {
                file: self.name.clone(),
                reason: e.to_string(),
            })?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
        }
        Ok(hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect())
    }
}

/// Byte progress of a running import (a terminal bar, an upload page), if anyone is watching.
#[derive(Clone, Default)]
pub struct Progress(Option<Arc<dyn Fn(u64) + Send + Sync>>);

impl Progress {
    pub fn new(f: impl Fn(u64) + Send + Sync + 'static) -> Progress {
        Progress(Some(Arc::new(f)))
    }

    pub(super) fn set(&self, bytes: u64) {
        if let Some(f) = &self.0 {
            f(bytes);
        }
    }

    pub(super) fn wrap(&self, inner: Box<dyn Read + Send>) -> Box<dyn Read + Send> {
        match &self.0 {
            None => inner,
            Some(f) => Box::new(CountingReader {
                inner,
                read: 0,
                report: f.clone(),
            }),
        }
    }
}

struct CountingReader {
    inner: Box<dyn Read + Send>,
    read: u64,
    report: Arc<dyn Fn(u64) + Send + Sync>,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        (self.report)(self.read);
        Ok(n)
    }
}
