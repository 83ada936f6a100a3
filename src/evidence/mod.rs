//! Evidence bundles: `evident pack` builds one from a commit, `evident verify` checks one.
//!
//! A bundle is a folder (PRODUCT.md §6) that an auditor can check with `sha256sum` and
//! `ssh-keygen` alone: the documents and attachments exactly as committed, the results and
//! reports, git provenance, a manifest (`SHA256SUMS`), its SSHSIG signature and an in-toto
//! attestation. Everything in it is a function of the commit, the tool version and the key,
//! so packing twice gives the same bytes.
//!
//! - [`manifest`]: `SHA256SUMS`, written canonically and read strictly; hashing;
//! - [`sign`]: keys, SSHSIG, `allowed_signers`;
//! - [`attestation`]: the in-toto statement in its DSSE envelope;
//! - [`pack`](mod@pack): building a bundle; [`archive`]: its deterministic `.tar`;
//! - [`verify`](mod@verify): checking one.

pub mod archive;
pub mod attestation;
pub mod manifest;
pub mod pack;
pub mod sign;
pub mod verify;

use anyhow::Result;
use serde::Serialize;

pub use pack::{PackOptions, Packed, pack};
pub use verify::{Verified, VerifyOptions, verify};

/// The bundle format written in `pack.json`.
pub const FORMAT: &str = "evident-pack/1";

/// `path` relative to `dir`, `/`-separated: a bundle path.
fn bundle_path(dir: &std::path::Path, path: &std::path::Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Pretty JSON with keys sorted at every level and a final newline: the one way Evident writes
/// JSON into a bundle.
pub fn canonical_json<T: Serialize + ?Sized>(value: &T) -> Result<Vec<u8>> {
    // `serde_json::Map` is a `BTreeMap` in this build (no `preserve_order`), so going through
    // `Value` sorts the keys of structs too.
    let value = serde_json::to_value(value)?;
    let mut out = serde_json::to_vec_pretty(&value)?;
    out.push(b'\n');
    Ok(out)
}
