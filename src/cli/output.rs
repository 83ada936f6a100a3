//! Where reports go: `--output [FORMAT=]FILE` targets (`-` is standard output) and the atomic
//! file write every command uses.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use evident::report::Format;

/// Where one report goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    /// Standard output (`-`).
    Stdout,
    /// A file, written atomically.
    File(PathBuf),
}

/// One `--output` target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The report format.
    pub format: Format,
    /// Where it goes.
    pub sink: Sink,
}

/// Splits `FORMAT=FILE`, or takes the format of a bare `FILE` from its extension (`.json`,
/// `.sarif` or `.sarif.json`, `.xml` for JUnit, `.html`/`.htm`, `.md`, `.txt`); a bare `-` is
/// standard output in the `default` format. A bare file whose extension says nothing is refused
/// rather than written in a format its name belies.
pub fn target(spec: &str, default: Format) -> Result<Target> {
    let (format, file) = match spec.split_once('=') {
        Some((name, file)) if name.parse::<Format>().is_ok() => {
            if file.is_empty() {
                bail!("`--output {spec}` names no file (write `-` for standard output)");
            }
            (name.parse::<Format>().map_err(|e| anyhow!(e))?, file)
        }
        _ if spec == "-" => (default, spec),
        _ => match Format::from_file_name(spec) {
            Some(format) => (format, spec),
            None => bail!(
                "cannot tell the format of `--output {spec}` from its extension; name it, e.g. \
                 `--output json={spec}` (formats: text, json, sarif, junit, html, markdown; \
                 extensions: .txt, .json, .sarif, .xml, .html, .md)"
            ),
        },
    };
    let sink = if file == "-" {
        Sink::Stdout
    } else {
        Sink::File(PathBuf::from(file))
    };
    Ok(Target { format, sink })
}

/// Parses every `--output` and checks that at most one of them is standard output.
pub fn targets(specs: &[String], default: Format) -> Result<Vec<Target>> {
    let targets: Vec<Target> = specs
        .iter()
        .map(|s| target(s, default))
        .collect::<Result<_>>()?;
    if targets.iter().filter(|t| t.sink == Sink::Stdout).count() > 1 {
        bail!("only one `--output` can be `-` (standard output)");
    }
    Ok(targets)
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a failure
/// never leaves a half-written file (see [`stage`]).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    stage(path, |w| w.write_all(bytes))?.commit()
}

/// A file written beside its destination and not yet in place: [`Staged::commit`] moves it
/// there; dropped, it is removed.
pub struct Staged {
    tmp: tempfile::NamedTempFile,
    path: PathBuf,
}

impl Staged {
    /// Puts the file in place (a rename: no reader sees it half-written).
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.tmp
            .persist(&path)
            .map_err(|e| anyhow!(e.error))
            .with_context(|| format!("writing `{}`", path.display()))?;
        Ok(())
    }
}

/// Writes a file for `path` through `write` into a temporary file in the same folder, to be
/// put in place by [`Staged::commit`]. Reports are streamed into it rather than held whole.
///
/// The file gets the permissions a plain `File::create` would give it: those of the file it
/// replaces, or `0o666` less the user's umask (a temporary file alone would be `0o600`). The
/// umask is applied by the kernel when the temporary file is opened with mode `0o666`, so it
/// never has to be read (reading it portably takes `unsafe` or a probe file).
///
/// Only a regular file is replaced: a folder, a FIFO or a device at `path` is an error (writing
/// a report must not turn `/dev/null` or a named pipe into a regular file).
pub fn stage(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<Staged> {
    if let Ok(meta) = fs::metadata(path)
        && !meta.is_file()
    {
        anyhow::bail!(
            "cannot write `{}`: it is {}, not a regular file",
            path.display(),
            evident::fsread::describe(&meta)
        );
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".evident-").suffix(".tmp");
    let existing = fs::metadata(path).ok().filter(fs::Metadata::is_file);
    #[cfg(unix)]
    let mode = {
        use std::os::unix::fs::PermissionsExt;
        fs::Permissions::from_mode(0o666)
    };
    #[cfg(unix)]
    builder.permissions(mode);
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in `{}`", dir.display()))?;
    if let Some(meta) = existing {
        // Replacing a file keeps its mode, as writing into it would.
        tmp.as_file()
            .set_permissions(meta.permissions())
            .with_context(|| format!("setting the permissions of `{}`", path.display()))?;
    }
    let mut out = std::io::BufWriter::with_capacity(1 << 16, tmp.as_file_mut());
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing `{}`", path.display()))?;
    drop(out);
    Ok(Staged {
        tmp,
        path: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_split_format_and_sink() {
        let t = target("json=-", Format::Text).expect("valid");
        assert_eq!(t.format, Format::Json);
        assert_eq!(t.sink, Sink::Stdout);
        let t = target("-", Format::Sarif).expect("valid");
        assert_eq!(t.format, Format::Sarif);
        assert_eq!(t.sink, Sink::Stdout);
        let t = target("out=x.txt", Format::Text).expect("valid");
        assert_eq!(t.sink, Sink::File(PathBuf::from("out=x.txt")));
        assert!(target("json=", Format::Text).is_err());
        let two = ["json=-".to_string(), "-".to_string()];
        assert!(targets(&two, Format::Text).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn atomic_write_keeps_an_existing_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("report.json");
        fs::write(&path, b"old").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomically(&path, b"new").expect("written");
        let mode = fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o640);
        assert_eq!(fs::read(&path).expect("read"), b"new");
    }

    #[test]
    fn a_staged_file_is_in_place_only_once_committed_and_a_failed_one_never() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let (good, bad) = (dir.path().join("a.json"), dir.path().join("b.json"));
        let staged = stage(&good, |w| w.write_all(b"{}")).expect("written");
        assert!(!good.exists(), "not in place before it is committed");
        let failed = stage(&bad, |w| {
            w.write_all(b"{")?;
            Err(std::io::Error::other("the report could not be rendered"))
        });
        let message = format!("{:#}", failed.err().expect("an error"));
        assert!(message.contains("b.json") && message.contains("could not be rendered"));
        staged.commit().expect("committed");
        assert_eq!(fs::read(&good).expect("read"), b"{}");
        assert!(!bad.exists());
        // Nothing else is left in the folder: no temporary file of either.
        let names: Vec<_> = fs::read_dir(dir.path())
            .expect("listed")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.json")]);
    }
}
