//! The optional `.tar` of a bundle, for transport: uncompressed, entries sorted by path under
//! one top folder, headers pinned (mode 0644 or 0755, owner 0:0 with no names, modification
//! time = the commit time), so the same bundle gives the same archive bytes. Signatures
//! cover the files, not the archive.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use tar::{EntryType, Header};

/// Writes the files under `dir` (every one a regular file or folder) to `out`, under the
/// folder `top`, with `mtime` on every entry.
pub fn write(dir: &Path, top: &str, mtime: u64, out: &mut dyn Write) -> Result<()> {
    let mut entries: Vec<(String, bool)> = Vec::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry?;
        let rel = super::bundle_path(dir, entry.path());
        entries.push((rel, entry.file_type().is_dir()));
    }
    // Component-wise byte order: a folder comes right before its contents.
    entries.sort_by(|a, b| a.0.split('/').cmp(b.0.split('/')));
    let mut builder = tar::Builder::new(BufWriter::new(out));
    let header = |kind: EntryType, mode: u32, size: u64| {
        let mut h = Header::new_gnu();
        h.set_entry_type(kind);
        h.set_mode(mode);
        h.set_uid(0);
        h.set_gid(0);
        h.set_mtime(mtime);
        h.set_size(size);
        h
    };
    let mut top_header = header(EntryType::Directory, 0o755, 0);
    builder.append_data(&mut top_header, format!("{top}/"), std::io::empty())?;
    for (rel, is_dir) in entries {
        if is_dir {
            let mut h = header(EntryType::Directory, 0o755, 0);
            builder.append_data(&mut h, format!("{top}/{rel}/"), std::io::empty())?;
        } else {
            let path = dir.join(&rel);
            let file = File::open(&path).with_context(|| format!("reading `{rel}`"))?;
            let size = file.metadata()?.len();
            let mut h = header(EntryType::Regular, 0o644, size);
            builder
                .append_data(&mut h, format!("{top}/{rel}"), file)
                .with_context(|| format!("archiving `{rel}`"))?;
        }
    }
    builder.into_inner()?.flush()?;
    Ok(())
}
