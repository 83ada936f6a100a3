//! Keys and signatures: OpenSSH Ed25519 keys, SSHSIG signatures over the manifest (the format
//! `ssh-keygen -Y sign` writes and `-Y verify` reads, OpenSSH `PROTOCOL.sshsig`), raw Ed25519
//! signatures for the DSSE envelope, and the `allowed_signers` trust file (OpenSSH
//! `ssh-keygen(1)`, section ALLOWED SIGNERS).
//!
//! Trust never comes from the bundle: the verifier names the key, or the allowed signers and
//! the identity, from outside it.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use jiff::Timestamp;
use signature::{Signer, Verifier};
use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

/// The SSHSIG namespace used unless one is configured.
pub const DEFAULT_NAMESPACE: &str = "evident-pack-v1";

/// A private key ready to sign, and where it came from.
pub struct SigningKey {
    key: PrivateKey,
    /// `key file `path`` or `environment variable `NAME``, for messages.
    pub source: String,
}

impl std::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("SigningKey")
            .field("source", &self.source)
            .field("fingerprint", &self.fingerprint())
            .finish()
    }
}

/// What a key spec names: a file, or an environment variable holding the key's text.
fn key_text(spec: &str) -> Result<(String, String, Vec<String>)> {
    let mut warnings = Vec::new();
    if let Some(var) = spec.strip_prefix("env:") {
        let text = std::env::var(var).map_err(|_| {
            anyhow!("environment variable `{var}` is not set (or not UTF-8); it should hold the private key's text")
        })?;
        return Ok((text, format!("environment variable `{var}`"), warnings));
    }
    let path = Path::new(spec);
    let meta = std::fs::metadata(path).with_context(|| format!("reading key file `{spec}`"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            warnings.push(format!(
                "key file `{spec}` is accessible by others (mode {mode:04o}); restrict it with `chmod 600 {spec}`"
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = meta;
    let text = crate::fsread::read_text(path, crate::fsread::MAX_KEY_SIZE)
        .with_context(|| format!("reading key file `{spec}`"))?;
    Ok((text, format!("key file `{spec}`"), warnings))
}

impl SigningKey {
    /// Loads an OpenSSH Ed25519 private key from `spec`: a file path, or `env:NAME` for the
    /// key's text in an environment variable. `passphrase` is asked for only when the key is
    /// encrypted. Returns the key and warnings (a key file others can read).
    pub fn load(
        spec: &str,
        passphrase: &dyn Fn() -> Result<String>,
    ) -> Result<(SigningKey, Vec<String>)> {
        let (text, source, warnings) = key_text(spec)?;
        let mut key = PrivateKey::from_openssh(text.trim()).map_err(|e| {
            anyhow!("{source} does not hold an OpenSSH private key ({e}); make one with `ssh-keygen -t ed25519`")
        })?;
        if key.algorithm() != Algorithm::Ed25519 {
            bail!(
                "{source} holds a {} key; Evident signs with Ed25519 keys only (`ssh-keygen -t ed25519`)",
                key.algorithm()
            );
        }
        if key.is_encrypted() {
            let pass = passphrase()?;
            key = key
                .decrypt(pass.as_bytes())
                .map_err(|_| anyhow!("wrong passphrase for {source}"))?;
        }
        Ok((SigningKey { key, source }, warnings))
    }

    /// The public half.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key().clone()
    }

    /// The key's comment when it is one word (`ssh-keygen -C ci@acme.example`), the usual
    /// principal in `allowed_signers`.
    pub fn identity(&self) -> Option<String> {
        let c = self.key.comment().trim();
        (!c.is_empty() && !c.contains(char::is_whitespace)).then(|| c.to_string())
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }

    /// An armored SSHSIG signature over `msg` in `namespace` (SHA-512 message hash, as
    /// `ssh-keygen -Y sign` makes). Ed25519 is deterministic: the same input gives the same bytes.
    pub fn sign_sshsig(&self, namespace: &str, msg: &[u8]) -> Result<String> {
        let sig = self
            .key
            .sign(namespace, HashAlg::Sha512, msg)
            .context("signing the manifest")?;
        Ok(sig.to_pem(LineEnding::LF)?)
    }

    /// A raw Ed25519 signature over `msg` (64 bytes), for DSSE.
    pub fn sign_raw(&self, msg: &[u8]) -> Result<Vec<u8>> {
        let sig: ssh_key::Signature = self.key.try_sign(msg).context("signing")?;
        Ok(sig.as_bytes().to_vec())
    }
}

/// Verifies a raw signature made by [`SigningKey::sign_raw`].
pub fn verify_raw(key: &PublicKey, msg: &[u8], sig: &[u8]) -> bool {
    ssh_key::Signature::new(key.algorithm(), sig.to_vec())
        .map(|s| Verifier::verify(key.key_data(), msg, &s).is_ok())
        .unwrap_or(false)
}

/// The key a verifier trusts: a public key, or allowed signers and the identity expected.
#[derive(Debug)]
pub enum Trust {
    /// One public key (`--public-key`).
    PublicKey(PublicKey),
    /// An `allowed_signers` file and the identity the signature must belong to.
    AllowedSigners {
        /// The parsed file.
        signers: AllowedSigners,
        /// The principal expected, e.g. `ci@acme.example`.
        identity: String,
    },
}

/// Why a signature was not accepted.
#[derive(Debug, thiserror::Error)]
pub enum SignatureError {
    /// Not an armored SSHSIG.
    #[error("not an SSH signature ({0})")]
    Malformed(String),
    /// Signed in another namespace.
    #[error("signed for namespace `{found}`, expected `{expected}`")]
    Namespace {
        /// In the signature.
        found: String,
        /// Asked for.
        expected: String,
    },
    /// The signing key is not the trusted one.
    #[error("signed by key {fingerprint}, which {why}")]
    Untrusted {
        /// The signing key's fingerprint.
        fingerprint: String,
        /// Why it is not trusted.
        why: String,
    },
    /// The signature does not match the bytes.
    #[error("the signature by {fingerprint} does not match the signed bytes")]
    Invalid {
        /// The signing key's fingerprint.
        fingerprint: String,
    },
}

/// Verifies an armored SSHSIG over `msg` against `trust` in `namespace`, at time `now` (for
/// `valid-after` / `valid-before`). Returns the signer's public key.
pub fn verify_sshsig(
    trust: &Trust,
    namespace: &str,
    msg: &[u8],
    armored: &[u8],
    now: Timestamp,
) -> Result<PublicKey, SignatureError> {
    let sig = SshSig::from_pem(armored).map_err(|e| SignatureError::Malformed(e.to_string()))?;
    let signer = PublicKey::from(sig.public_key().clone());
    let fingerprint = signer.fingerprint(HashAlg::Sha256).to_string();
    if sig.namespace() != namespace {
        return Err(SignatureError::Namespace {
            found: sig.namespace().to_string(),
            expected: namespace.to_string(),
        });
    }
    match trust {
        Trust::PublicKey(key) => {
            if key.key_data() != signer.key_data() {
                return Err(SignatureError::Untrusted {
                    fingerprint,
                    why: format!(
                        "is not the key given ({})",
                        key.fingerprint(HashAlg::Sha256)
                    ),
                });
            }
        }
        Trust::AllowedSigners { signers, identity } => {
            signers
                .authorize(&signer, identity, namespace, now)
                .map_err(|why| SignatureError::Untrusted {
                    fingerprint: fingerprint.clone(),
                    why,
                })?;
        }
    }
    signer
        .verify(namespace, msg, &sig)
        .map_err(|_| SignatureError::Invalid { fingerprint })?;
    Ok(signer)
}

/// One line of an `allowed_signers` file.
#[derive(Debug, Clone)]
pub struct AllowedSigner {
    /// Principal patterns (`*` and `?` wildcards, `!` negation).
    pub principals: Vec<String>,
    /// `namespaces="…"` patterns, when restricted.
    pub namespaces: Option<Vec<String>>,
    /// `valid-after`.
    pub valid_after: Option<Timestamp>,
    /// `valid-before`.
    pub valid_before: Option<Timestamp>,
    /// `cert-authority`: the key signs certificates; Evident does not take certificate
    /// signatures, so such a line never matches.
    pub cert_authority: bool,
    /// The key.
    pub key: PublicKey,
    /// 1-based line number.
    pub line: usize,
}

/// An OpenSSH `allowed_signers` file.
#[derive(Debug, Clone, Default)]
pub struct AllowedSigners {
    /// The lines that name a key.
    pub entries: Vec<AllowedSigner>,
}

/// Splits on unquoted whitespace; quotes are kept in the token.
fn tokens(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    let mut quoted = false;
    for (i, c) in line.char_indices() {
        match (c, start) {
            ('"', _) => {
                quoted = !quoted;
                start.get_or_insert(i);
            }
            (c, Some(s)) if c.is_whitespace() && !quoted => {
                out.push(&line[s..i]);
                start = None;
            }
            (c, None) if !c.is_whitespace() => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&line[s..]);
    }
    out
}

/// Splits options on commas outside quotes.
fn split_options(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut quoted = false;
    let mut start = 0;
    for (i, c) in s.char_indices() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

fn unquote(s: &str) -> &str {
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

fn is_key_type(s: &str) -> bool {
    s.starts_with("ssh-") || s.starts_with("ecdsa-") || s.starts_with("sk-")
}

/// `YYYYMMDD[HHMM[SS]]`, UTC with a trailing `Z`, otherwise the system's time zone (as
/// OpenSSH reads it).
fn parse_ssh_time(s: &str) -> Option<Timestamp> {
    let (digits, utc) = match s.strip_suffix(['Z', 'z']) {
        Some(d) => (d, true),
        None => (s, false),
    };
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| digits.get(r).and_then(|d| d.parse::<i8>().ok());
    let (h, m, sec) = match digits.len() {
        8 => (0, 0, 0),
        12 => (num(8..10)?, num(10..12)?, 0),
        14 => (num(8..10)?, num(10..12)?, num(12..14)?),
        _ => return None,
    };
    let year = digits.get(0..4)?.parse::<i16>().ok()?;
    let dt = jiff::civil::DateTime::new(year, num(4..6)?, num(6..8)?, h, m, sec, 0).ok()?;
    let tz = if utc {
        jiff::tz::TimeZone::UTC
    } else {
        jiff::tz::TimeZone::system()
    };
    dt.to_zoned(tz).ok().map(|z| z.timestamp())
}

/// OpenSSH pattern: `*` any run, `?` any one character.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// OpenSSH `match_pattern_list`: a negated match wins; otherwise any positive match.
fn matches_list(patterns: &[String], text: &str) -> bool {
    let mut matched = false;
    for p in patterns {
        if let Some(neg) = p.strip_prefix('!') {
            if glob(neg, text) {
                return false;
            }
        } else if glob(p, text) {
            matched = true;
        }
    }
    matched
}

impl AllowedSigners {
    /// Parses the file's text; `name` is used in messages. Every malformed line is reported
    /// with its number.
    pub fn parse(text: &str, name: &str) -> Result<AllowedSigners> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let toks = tokens(line);
            let mut rest = toks.iter().skip(1);
            let principals: Vec<String> = unquote(toks[0]).split(',').map(String::from).collect();
            let mut options = "";
            let mut key_type = rest.next().copied().unwrap_or_default();
            if !is_key_type(key_type) {
                options = key_type;
                key_type = rest.next().copied().unwrap_or_default();
            }
            let Some(blob) = rest.next() else {
                problems.push(format!(
                    "{name}:{n}: expected `principals [options] key-type base64-key`"
                ));
                continue;
            };
            let key = match PublicKey::from_openssh(&format!("{key_type} {blob}")) {
                Ok(k) => k,
                Err(e) => {
                    problems.push(format!("{name}:{n}: unreadable public key ({e})"));
                    continue;
                }
            };
            let mut entry = AllowedSigner {
                principals,
                namespaces: None,
                valid_after: None,
                valid_before: None,
                cert_authority: false,
                key,
                line: n,
            };
            for opt in split_options(options).into_iter().filter(|o| !o.is_empty()) {
                let (k, v) = opt
                    .split_once('=')
                    .map_or((opt, None), |(k, v)| (k, Some(unquote(v))));
                match (k.to_ascii_lowercase().as_str(), v) {
                    ("cert-authority", None) => entry.cert_authority = true,
                    ("namespaces", Some(v)) => {
                        entry.namespaces = Some(v.split(',').map(String::from).collect())
                    }
                    ("valid-after", Some(v)) | ("valid-before", Some(v)) => {
                        let Some(t) = parse_ssh_time(v) else {
                            problems.push(format!(
                                "{name}:{n}: `{k}` takes YYYYMMDD[HHMM[SS]][Z], not `{v}`"
                            ));
                            continue;
                        };
                        if k.eq_ignore_ascii_case("valid-after") {
                            entry.valid_after = Some(t);
                        } else {
                            entry.valid_before = Some(t);
                        }
                    }
                    _ => problems.push(format!("{name}:{n}: unknown option `{opt}`")),
                }
            }
            entries.push(entry);
        }
        if !problems.is_empty() {
            bail!("{}", problems.join("\n"));
        }
        Ok(AllowedSigners { entries })
    }

    /// Whether `key` may sign as `identity` in `namespace` at `now`; otherwise why not.
    fn authorize(
        &self,
        key: &PublicKey,
        identity: &str,
        namespace: &str,
        now: Timestamp,
    ) -> Result<(), String> {
        let same_key: Vec<&AllowedSigner> = self
            .entries
            .iter()
            .filter(|e| !e.cert_authority && e.key.key_data() == key.key_data())
            .collect();
        if same_key.is_empty() {
            return Err("is not in the allowed signers".into());
        }
        let for_identity: Vec<&&AllowedSigner> = same_key
            .iter()
            .filter(|e| matches_list(&e.principals, identity))
            .collect();
        if for_identity.is_empty() {
            return Err(format!(
                "is not allowed for identity `{identity}` (allowed for: {})",
                same_key
                    .iter()
                    .map(|e| e.principals.join(","))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let mut why = String::new();
        for e in for_identity {
            if let Some(ns) = &e.namespaces
                && !matches_list(ns, namespace)
            {
                why = format!(
                    "may not sign in namespace `{namespace}` (line {}: namespaces=\"{}\")",
                    e.line,
                    ns.join(",")
                );
                continue;
            }
            if e.valid_after.is_some_and(|t| now < t) {
                why = format!("is not valid yet (line {}: valid-after)", e.line);
                continue;
            }
            if e.valid_before.is_some_and(|t| now > t) {
                why = format!("has expired (line {}: valid-before)", e.line);
                continue;
            }
            return Ok(());
        }
        Err(why)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_follow_openssh() {
        let list = |s: &str| s.split(',').map(String::from).collect::<Vec<_>>();
        assert!(matches_list(&list("*@acme.example"), "ci@acme.example"));
        assert!(!matches_list(
            &list("*@acme.example,!ci@*"),
            "ci@acme.example"
        ));
        assert!(matches_list(&list("c?@acme.example"), "ci@acme.example"));
        assert!(!matches_list(&list("ci@acme"), "ci@acme.example"));
    }

    #[test]
    fn allowed_signers_lines_with_options_parse() {
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFvE7JtXPGHmgrXfAtkyG8SPEKV/sF0oI/p+8Nx8gQV1";
        let text = format!(
            "# comment\n\nci@acme.example,release@acme.example namespaces=\"evident-pack-v1,git\",valid-after=20250101 {key} a comment\n\"ops@acme.example\" {key}\n"
        );
        let s = AllowedSigners::parse(&text, "allowed_signers").expect("valid");
        assert_eq!(s.entries.len(), 2);
        assert_eq!(
            s.entries[0].principals,
            ["ci@acme.example", "release@acme.example"]
        );
        assert_eq!(
            s.entries[0].namespaces.as_deref(),
            Some(&["evident-pack-v1".to_string(), "git".to_string()][..])
        );
        assert!(s.entries[0].valid_after.is_some());
        assert_eq!(s.entries[1].principals, ["ops@acme.example"]);
        let k = &s.entries[0].key;
        let now: Timestamp = "2026-11-21T00:00:00Z".parse().expect("valid");
        assert!(
            s.authorize(k, "ci@acme.example", "evident-pack-v1", now)
                .is_ok()
        );
        assert!(s.authorize(k, "ops@acme.example", "other", now).is_ok());
        let err = s
            .authorize(k, "mallory@acme.example", "evident-pack-v1", now)
            .expect_err("should fail");
        assert!(err.contains("mallory"), "{err}");
        let early: Timestamp = "2024-06-01T00:00:00Z".parse().expect("valid");
        // The second line has no validity window, so the key is still allowed for ops.
        assert!(
            s.authorize(k, "ci@acme.example", "evident-pack-v1", early)
                .is_err()
        );
    }

    #[test]
    fn malformed_lines_are_reported_with_numbers() {
        let err =
            AllowedSigners::parse("ci@x\nci@x ssh-ed25519 !!!\n", "f").expect_err("should fail");
        let msg = err.to_string();
        assert!(msg.contains("f:1:") && msg.contains("f:2:"), "{msg}");
    }
}
