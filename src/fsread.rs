//! Bounded reads of the tool's input files: the one way Evident reads a whole file.
//!
//! Every file read whole — `evident.yaml`, control files, policy documents, signing and public
//! keys, `allowed_signers` — must be a regular file (a FIFO would block the run forever, a
//! device such as `/dev/zero` would never end), and is read with a size limit through
//! [`Read::take`], so that even a file that grows while it is read cannot exhaust memory. The
//! type is checked before the file is opened (opening a FIFO blocks until a writer comes) and
//! again on the open handle.

use std::fs::{self, File, Metadata};
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Largest configuration or control file read, in bytes.
pub const MAX_CONFIG_SIZE: u64 = 64 * 1024 * 1024;

/// Largest key or `allowed_signers` file read, in bytes. A real one is a few hundred bytes.
pub const MAX_KEY_SIZE: u64 = 1024 * 1024;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The path does not exist (or, for a symbolic link, its target does not).
    #[error("`{path}` does not exist{}", if *.dangling { " (it is a symbolic link to nothing)" } else { "" })]
    Missing {
        /// The path given.
        path: PathBuf,
        /// Whether the path is a symbolic link whose target is missing.
        dangling: bool,
    },
    /// Not a regular file: a folder, a FIFO, a socket or a device.
    #[error("`{path}` is {what}, not a regular file")]
    NotRegular {
        /// The path given.
        path: PathBuf,
        /// What it is instead, e.g. `a folder`.
        what: &'static str,
    },
    /// Larger than the limit for its kind of file.
    #[error("`{path}` is larger than the {limit}-byte limit")]
    TooLarge {
        /// The path given.
        path: PathBuf,
        /// The limit, in bytes.
        limit: u64,
    },
    /// Any other I/O error.
    #[error("reading `{path}`: {source}")]
    Io {
        /// The path given.
        path: PathBuf,
        /// The error.
        source: io::Error,
    },
}

/// What a file that is not a regular file is, in words.
pub fn describe(meta: &Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    if t.is_symlink() {
        return "a symbolic link";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() {
            return "a character device";
        }
        if t.is_block_device() {
            return "a block device";
        }
    }
    "a special file"
}

/// Metadata of `path` following symbolic links; a missing target is [`ReadError::Missing`].
fn regular_metadata(path: &Path) -> Result<Metadata, ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    match fs::metadata(path) {
        Ok(m) if m.is_file() => Ok(m),
        Ok(m) => Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            what: describe(&m),
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Err(ReadError::Missing {
            path: path.to_path_buf(),
            dangling: fs::symlink_metadata(path).is_ok(),
        }),
        Err(e) => Err(io(e)),
    }
}

/// Reads `path` whole: a regular file (symbolic links followed) of at most `limit` bytes.
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    read_into(path, limit, &mut bytes)?;
    Ok(bytes)
}

/// [`read`] into `bytes`, which is cleared first: a caller reading many files reuses one buffer.
pub fn read_into(path: &Path, limit: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    let meta = regular_metadata(path)?;
    if meta.len() > limit {
        return Err(ReadError::TooLarge {
            path: path.to_path_buf(),
            limit,
        });
    }
    read_opened(path, File::open(path), limit, bytes)
}

/// [`read_into`] for a file that a directory walk has just listed as a regular file, not a
/// symbolic link. The walk's listing is the check before opening, so the file is opened at once:
/// a policy folder has thousands of files, and the check saved is a path lookup and a system
/// call each. It is opened without blocking, in case a FIFO has taken its place since the walk,
/// and checked on the open handle as [`read`] does.
pub fn read_listed_into(path: &Path, limit: u64, bytes: &mut Vec<u8>) -> Result<(), ReadError> {
    let mut options = File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    read_opened(path, options.open(path), limit, bytes)
}

/// Reads the file `opened` at `path` into `bytes` (cleared first), checked on the handle: a
/// regular file of at most `limit` bytes.
fn read_opened(
    path: &Path,
    opened: io::Result<File>,
    limit: u64,
    bytes: &mut Vec<u8>,
) -> Result<(), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = opened.map_err(|e| match e.kind() {
        io::ErrorKind::NotFound => ReadError::Missing {
            path: path.to_path_buf(),
            dangling: fs::symlink_metadata(path).is_ok(),
        },
        _ => io(e),
    })?;
    // The path may have been replaced between the check and the open.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            what: describe(&meta),
        });
    }
    let too_large = || ReadError::TooLarge {
        path: path.to_path_buf(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    // A regular file is read to the size it has when opened: what is appended while it is read
    // is not part of it, and the end is known without asking for more. A file whose size the
    // filesystem does not tell (0) is read to its end, within the limit.
    let size = meta.len();
    bytes.clear();
    bytes.reserve_exact(usize::try_from(size).unwrap_or(0));
    let until = if size == 0 {
        limit.saturating_add(1)
    } else {
        size
    };
    file.take(until).read_to_end(bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    Ok(())
}

/// Opens `path` for streaming: a regular file (symbolic links followed), checked before and
/// after opening, as [`read`] does. For files too large to hold whole, such as ticket exports.
pub fn open(path: &Path) -> Result<(File, u64), ReadError> {
    let io = |source| ReadError::Io {
        path: path.to_path_buf(),
        source,
    };
    regular_metadata(path)?;
    let file = File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular {
            path: path.to_path_buf(),
            what: describe(&meta),
        });
    }
    Ok((file, meta.len()))
}

/// [`read`], then UTF-8 text.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    String::from_utf8(read(path, limit)?).map_err(|_| ReadError::Io {
        path: path.to_path_buf(),
        source: io::Error::new(io::ErrorKind::InvalidData, "the file is not valid UTF-8"),
    })
}

/// [`read`] for a file that may be absent: `Ok(None)` when nothing is at `path`. A symbolic
/// link to nothing is an error, not an absent file.
pub fn read_optional(path: &Path, limit: u64) -> Result<Option<Vec<u8>>, ReadError> {
    match read(path, limit) {
        Err(ReadError::Missing {
            dangling: false, ..
        }) => Ok(None),
        other => other.map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
        let mut bytes = vec![b'x'; 3];
        read_listed_into(path, limit, &mut bytes).map(|()| bytes)
    }

    #[test]
    fn regular_files_are_read_within_the_limit() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("a.yaml");
        fs::write(&p, b"12345").expect("write");
        assert_eq!(read(&p, 5).expect("read"), b"12345");
        assert!(matches!(read(&p, 4), Err(ReadError::TooLarge { .. })));
        assert!(matches!(
            read(dir.path(), 10),
            Err(ReadError::NotRegular {
                what: "a folder",
                ..
            })
        ));
        assert!(matches!(
            read_optional(&dir.path().join("none"), 10),
            Ok(None)
        ));
    }

    #[test]
    fn a_listed_file_is_read_to_the_size_it_has() {
        let dir = tempfile::tempdir().expect("temp dir");
        let p = dir.path().join("a.yaml");
        fs::write(&p, b"kind: Role\n").expect("write");
        assert_eq!(listed(&p, 11).expect("read"), b"kind: Role\n");
        assert!(matches!(
            listed(&p, 10),
            Err(ReadError::TooLarge { limit: 10, .. })
        ));
        fs::write(&p, b"").expect("write");
        assert_eq!(listed(&p, 10).expect("read"), b"");
        assert!(matches!(
            listed(&dir.path().join("gone.yaml"), 10),
            Err(ReadError::Missing {
                dangling: false,
                ..
            })
        ));
        assert!(matches!(
            listed(dir.path(), 10),
            Err(ReadError::NotRegular {
                what: "a folder",
                ..
            })
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_listed_file_without_a_size_is_read_to_its_end() {
        // Regular, and its size is 0 until it is read.
        let status = Path::new("/proc/self/status");
        assert_eq!(fs::metadata(status).expect("status").len(), 0);
        let bytes = listed(status, 1 << 20).expect("read");
        assert!(
            bytes.starts_with(b"Name:"),
            "{}",
            String::from_utf8_lossy(&bytes)
        );
        assert!(matches!(
            listed(status, 4),
            Err(ReadError::TooLarge { limit: 4, .. })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_in_place_of_a_listed_file_is_refused_without_waiting() {
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("a.yaml");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        // No writer ever opens it: a blocking open would wait here for ever.
        assert!(matches!(
            listed(&fifo, 10),
            Err(ReadError::NotRegular {
                what: "a named pipe (FIFO)",
                ..
            })
        ));
    }

    #[cfg(unix)]
    #[test]
    fn devices_and_dangling_links_are_refused() {
        assert!(matches!(
            read(Path::new("/dev/zero"), 10),
            Err(ReadError::NotRegular {
                what: "a character device",
                ..
            })
        ));
        let dir = tempfile::tempdir().expect("temp dir");
        let link = dir.path().join("evident.yaml");
        std::os::unix::fs::symlink(dir.path().join("gone"), &link).expect("symlink");
        let err = read_optional(&link, 10).expect_err("dangling");
        assert!(matches!(err, ReadError::Missing { dangling: true, .. }));
        assert!(
            err.to_string().contains("symbolic link to nothing"),
            "{err}"
        );
    }
}
