//! `SHA256SUMS`: the bundle's manifest, in the GNU coreutils format (`<hex>  <path>` per line)
//! so that `sha256sum --strict -c SHA256SUMS` checks it with no Evident installed.
//!
//! Writing is canonical: lowercase hex, two spaces, byte-sorted `/`-separated relative paths,
//! one `\n` after every line. Reading is strict: anything a canonical writer would not produce
//! (an absolute path, `..`, a backslash, which GNU uses for escaped names, a duplicate, a
//! stray space) is an error with its line, because a manifest that two tools read differently
//! is a way to smuggle a file past one of them.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// The manifest's file name at the bundle's top.
pub const FILE: &str = "SHA256SUMS";
/// The SSHSIG signature over the manifest's bytes.
pub const SIGNATURE: &str = "SHA256SUMS.sig";

/// One listed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative path inside the bundle, `/`-separated.
    pub path: String,
    /// SHA-256 of its bytes.
    pub sha256: [u8; 32],
}

/// The list of every file in a bundle except the manifest and its signature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    /// Sorted by the bytes of `path`, each path once.
    pub entries: Vec<Entry>,
}

/// Why a manifest line was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {problem}")]
pub struct ManifestError {
    /// Always [`FILE`]; kept so the message names the file.
    pub file: &'static str,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

impl Manifest {
    /// A manifest of `entries`, sorted by path.
    pub fn new(mut entries: Vec<Entry>) -> Manifest {
        entries.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
        Manifest { entries }
    }

    /// The canonical bytes.
    pub fn render(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.entries.len() * 100);
        for e in &self.entries {
            out.extend_from_slice(hex(&e.sha256).as_bytes());
            out.extend_from_slice(b"  ");
            out.extend_from_slice(e.path.as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// Parses manifest bytes strictly, collecting every problem.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, Vec<ManifestError>> {
        let mut problems = Vec::new();
        let mut entries: Vec<Entry> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let err = |line: usize, problem: String| ManifestError {
            file: FILE,
            line,
            problem,
        };
        if bytes.is_empty() {
            problems.push(err(1, "the manifest is empty".into()));
        } else if !bytes.ends_with(b"\n") {
            let lines = bytes.split(|b| *b == b'\n').count();
            problems.push(err(lines, "the last line has no newline".into()));
        }
        let body = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        for (i, raw) in body.split(|b| *b == b'\n').enumerate() {
            if bytes.is_empty() {
                break;
            }
            let n = i + 1;
            let Ok(line) = std::str::from_utf8(raw) else {
                problems.push(err(n, "not valid UTF-8".into()));
                continue;
            };
            let (Some(digest), Some(sep), Some(path)) =
                (line.get(..64), line.get(64..66), line.get(66..))
            else {
                problems.push(err(n, format!("malformed line `{}`", shorten(line))));
                continue;
            };
            let Some(sha256) = parse_hex(digest) else {
                problems.push(err(
                    n,
                    format!("`{}` is not a lowercase SHA-256 digest", shorten(digest)),
                ));
                continue;
            };
            if sep != "  " && sep != " *" {
                problems.push(err(n, "expected two spaces after the digest".into()));
                continue;
            }
            if let Err(why) = check_path(path) {
                problems.push(err(n, format!("path `{}` {why}", shorten(path))));
                continue;
            }
            if path == FILE || path == SIGNATURE {
                problems.push(err(n, format!("`{path}` cannot list itself")));
                continue;
            }
            if !seen.insert(path.to_string()) {
                problems.push(err(n, format!("`{path}` is listed twice")));
                continue;
            }
            if let Some(prev) = entries.last()
                && prev.path.as_bytes() > path.as_bytes()
            {
                problems.push(err(
                    n,
                    format!("`{path}` is out of order (lines are sorted by path)"),
                ));
            }
            entries.push(Entry {
                path: path.to_string(),
                sha256,
            });
        }
        if problems.is_empty() {
            Ok(Manifest { entries })
        } else {
            Err(problems)
        }
    }
}

/// Checks that `path` is a portable relative bundle path: `/`-separated, no empty, `.` or
/// `..` component, no leading `/`, no backslash, no control character. Returns why not.
pub fn check_path(path: &str) -> Result<(), &'static str> {
    if path.is_empty() {
        return Err("is empty");
    }
    if path.starts_with('/') {
        return Err("is absolute");
    }
    if path.contains('\\') {
        return Err("contains a backslash");
    }
    if path.chars().any(char::is_control) {
        return Err("contains a control character");
    }
    for part in path.split('/') {
        match part {
            "" => return Err("has an empty component"),
            "." => return Err("has a `.` component"),
            ".." => return Err("leaves the bundle (`..`)"),
            _ => {}
        }
    }
    Ok(())
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 80 {
        format!("{}…", s.chars().take(80).collect::<String>())
    } else {
        s.to_string()
    }
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// 64 lowercase hex digits to bytes.
pub fn parse_hex(s: &str) -> Option<[u8; 32]> {
    let b = s.as_bytes();
    if b.len() != 64 {
        return None;
    }
    let nibble = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    let mut out = [0u8; 32];
    for (i, pair) in b.chunks(2).enumerate() {
        out[i] = nibble(pair[0])? << 4 | nibble(pair[1])?;
    }
    Some(out)
}

/// SHA-256 of a byte slice.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// SHA-256, length, and the bytes when asked to keep them.
pub type Hashed = ([u8; 32], u64, Option<Vec<u8>>);

/// How much of a file is read at a time. Small enough to stay in the core's L2 cache between
/// `read` filling it and the hash reading it: on the reference machine 128 KiB hashes files
/// about 20% faster than 1 MiB.
const READ_SIZE: usize = 128 << 10;

thread_local! {
    /// Each thread's read buffer, made once: a bundle has thousands of small documents, and
    /// allocating and zeroing 128 KiB for each took longer than hashing it.
    static READ_BUFFER: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; READ_SIZE]);
}

/// Hashes everything `r` yields, keeping a copy of the bytes when `keep` is set. `sha2`
/// picks the CPU's SHA extensions at run time when it has them.
pub fn sha256_reader(mut r: impl Read, keep: bool) -> io::Result<Hashed> {
    READ_BUFFER.with_borrow_mut(|buf| {
        let mut hasher = Sha256::new();
        let mut kept = keep.then(Vec::new);
        let mut len = 0u64;
        loop {
            let n = match r.read(buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            hasher.update(&buf[..n]);
            if let Some(k) = kept.as_mut() {
                k.extend_from_slice(&buf[..n]);
            }
            len += n as u64;
        }
        Ok((hasher.finalize().into(), len, kept))
    })
}

/// SHA-256 and length of a file.
pub fn sha256_file(path: &Path) -> io::Result<([u8; 32], u64)> {
    let (digest, len, _) = sha256_reader(File::open(path)?, false)?;
    Ok((digest, len))
}

/// [`sha256_file`] for every `root/path`, in parallel, in the order given.
pub fn sha256_files(root: &Path, paths: &[&str]) -> Vec<io::Result<([u8; 32], u64)>> {
    paths
        .par_iter()
        .with_max_len(1)
        .map(|p| sha256_file(&root.join(p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(path: &str) -> String {
        format!("{}  {path}\n", hex(&sha256(path.as_bytes())))
    }

    #[test]
    fn render_then_parse_round_trips_and_sorts_by_bytes() {
        let m = Manifest::new(vec![
            Entry {
                path: "b/x".into(),
                sha256: sha256(b"1"),
            },
            Entry {
                path: "B".into(),
                sha256: sha256(b"2"),
            },
            Entry {
                path: "a b.txt".into(),
                sha256: sha256(b"3"),
            },
        ]);
        let paths: Vec<&str> = m.entries.iter().map(|e| e.path.as_str()).collect();
        assert_eq!(paths, ["B", "a b.txt", "b/x"]);
        assert_eq!(Manifest::parse(&m.render()), Ok(m));
    }

    #[test]
    fn every_bad_line_is_named_with_its_number() {
        let text = [
            line("ok"),
            line("../escape"),
            line("/abs"),
            line("a\\b"),
            line("ok"),
            line("x//y"),
            "not a line\n".to_string(),
            format!("{} zz\n", "A".repeat(64)),
            line(FILE),
        ]
        .concat();
        let problems = Manifest::parse(text.as_bytes()).expect_err("should fail");
        let lines: Vec<usize> = problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, [2, 3, 4, 5, 6, 7, 8, 9]);
        assert!(problems[0].problem.contains("`..`"));
        assert!(problems[3].problem.contains("twice"));
    }

    #[test]
    fn missing_final_newline_and_disorder_are_refused() {
        let text = format!("{}{}", line("b"), line("a"));
        assert!(
            Manifest::parse(text.as_bytes()).expect_err("should fail")[0]
                .problem
                .contains("out of order")
        );
        let text = line("a");
        assert!(Manifest::parse(&text.as_bytes()[..text.len() - 1]).is_err());
        assert!(Manifest::parse(b"").is_err());
    }
}
