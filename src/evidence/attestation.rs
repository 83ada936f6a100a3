//! `attestation.intoto.jsonl`: an in-toto Statement v1 (one subject per payload file, with its
//! SHA-256 and, for files that come from git, its blob id) inside a DSSE envelope
//! (`payloadType: application/vnd.in-toto+json`), signed over DSSE's pre-authentication
//! encoding with the bundle's key. One envelope, one line, as in-toto's JSON Lines bundles.

use std::collections::BTreeMap;

use anyhow::{Context, Result, anyhow, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};
use ssh_key::{HashAlg, PublicKey};

use super::sign::{self, SigningKey};

/// The attestation's file name.
pub const FILE: &str = "attestation.intoto.jsonl";
/// DSSE payload type for in-toto statements.
pub const PAYLOAD_TYPE: &str = "application/vnd.in-toto+json";
/// in-toto Statement v1.
pub const STATEMENT_TYPE: &str = "https://in-toto.io/Statement/v1";
/// Evident's predicate.
pub const PREDICATE_TYPE: &str = "urn:evident:predicate:evidence-pack:v1";

/// One file the statement is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// Path inside the bundle.
    pub name: String,
    /// `sha256` always; `gitBlob` for documents and attachments.
    pub digest: BTreeMap<String, String>,
}

/// The in-toto Statement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Statement {
    /// [`STATEMENT_TYPE`].
    #[serde(rename = "_type")]
    pub type_: String,
    /// The payload files.
    pub subject: Vec<Subject>,
    /// [`PREDICATE_TYPE`].
    #[serde(rename = "predicateType")]
    pub predicate_type: String,
    /// What Evident states about them (commit, tool, library digest, as-of date, summary).
    pub predicate: serde_json::Value,
}

/// A DSSE envelope.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Envelope {
    /// Base64 of the statement's bytes.
    pub payload: String,
    /// [`PAYLOAD_TYPE`].
    #[serde(rename = "payloadType")]
    pub payload_type: String,
    /// Zero (unsigned bundle) or one signature.
    pub signatures: Vec<DsseSignature>,
}

/// A DSSE signature.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DsseSignature {
    /// The key's OpenSSH SHA-256 fingerprint.
    pub keyid: String,
    /// Base64 of the raw Ed25519 signature over the PAE.
    pub sig: String,
}

/// DSSE v1 pre-authentication encoding: `DSSEv1 <len> <type> <len> <body>`.
pub fn pae(payload_type: &str, payload: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "DSSEv1 {} {} {} ",
        payload_type.len(),
        payload_type,
        payload.len()
    )
    .into_bytes();
    out.extend_from_slice(payload);
    out
}

/// The envelope line (with its `\n`) for `statement`, signed when `key` is given.
pub fn envelope(statement: &Statement, key: Option<&SigningKey>) -> Result<Vec<u8>> {
    let payload = super::canonical_json(statement)?;
    let signatures = match key {
        Some(k) => vec![DsseSignature {
            keyid: k.fingerprint(),
            sig: B64.encode(k.sign_raw(&pae(PAYLOAD_TYPE, &payload))?),
        }],
        None => Vec::new(),
    };
    let env = Envelope {
        payload: B64.encode(&payload),
        payload_type: PAYLOAD_TYPE.into(),
        signatures,
    };
    let mut line = serde_json::to_vec(&serde_json::to_value(&env)?)?;
    line.push(b'\n');
    Ok(line)
}

/// An envelope read from its line, with its decoded payload.
#[derive(Debug)]
pub struct Opened {
    /// The envelope.
    pub envelope: Envelope,
    /// Its decoded payload.
    pub payload: Vec<u8>,
}

/// Reads the envelope line and decodes its payload. The statement is read by
/// [`Opened::statement`], the signature checked by [`Opened::signed_by`]: each reads the whole
/// payload, so that they can run side by side.
pub fn open(bytes: &[u8]) -> Result<Opened> {
    let text = std::str::from_utf8(bytes).context("not UTF-8")?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let [line] = lines[..] else {
        bail!("expected one envelope line, found {}", lines.len());
    };
    let envelope: Envelope = serde_json::from_str(line).context("not a DSSE envelope")?;
    if envelope.payload_type != PAYLOAD_TYPE {
        bail!(
            "payloadType is `{}`, expected `{PAYLOAD_TYPE}`",
            envelope.payload_type
        );
    }
    let payload = B64
        .decode(&envelope.payload)
        .map_err(|e| anyhow!("payload is not base64 ({e})"))?;
    Ok(Opened { envelope, payload })
}

impl Opened {
    /// The in-toto statement the payload holds.
    pub fn statement(&self) -> Result<Statement> {
        let statement: Statement = serde_json::from_slice(&self.payload)
            .context("the payload is not an in-toto Statement")?;
        if statement.type_ != STATEMENT_TYPE {
            bail!(
                "statement `_type` is `{}`, expected `{STATEMENT_TYPE}`",
                statement.type_
            );
        }
        Ok(statement)
    }

    /// Checks that `key` made a valid DSSE signature over the envelope's PAE.
    pub fn signed_by(&self, key: &PublicKey) -> Result<()> {
        let pae = pae(&self.envelope.payload_type, &self.payload);
        let sigs = &self.envelope.signatures;
        let signed = sigs.iter().any(|s| {
            B64.decode(&s.sig)
                .is_ok_and(|sig| sign::verify_raw(key, &pae, &sig))
        });
        if !signed {
            bail!(
                "no valid DSSE signature by {} ({} signature{} present)",
                key.fingerprint(HashAlg::Sha256),
                sigs.len(),
                if sigs.len() == 1 { "" } else { "s" }
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pae_matches_the_dsse_spec_example() {
        // From the DSSE protocol document.
        assert_eq!(
            pae("http://example.com/HelloWorld", b"hello world"),
            b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
        );
    }
}
