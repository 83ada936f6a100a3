//! `evident pack` and `evident verify`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use jiff::civil::Date;

use evident::evidence::sign::{AllowedSigners, DEFAULT_NAMESPACE, SigningKey, Trust};
use evident::evidence::verify::Status;
use evident::evidence::{self, PackOptions, VerifyOptions};

use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, parse_date, severity_parser};
use evident::controls::Severity;
use evident::report;

/// The environment variable read for an encrypted key's passphrase.
pub const PASSPHRASE_VAR: &str = "EVIDENT_KEY_PASSPHRASE";

#[derive(Args, Debug)]
pub(crate) struct PackArgs {
    /// Repository root (where `evident.yaml` and the documents folders are).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// The bundle folder to create (must not exist, or be empty).
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
    /// The commit to pack (read from git objects, never the working tree).
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    rev: String,
    /// Sign with this OpenSSH Ed25519 private key: a file, or `env:NAME` for the key's text in
    /// an environment variable. A passphrase is read from $EVIDENT_KEY_PASSPHRASE, or asked for
    /// on a terminal.
    #[arg(long, value_name = "KEY")]
    sign: Option<String>,
    /// SSHSIG namespace of the signature.
    #[arg(long, value_name = "NS", default_value = DEFAULT_NAMESPACE)]
    namespace: String,
    /// The signer identity auditors put in `allowed_signers`, written into VERIFY.txt
    /// (default: the key's comment, e.g. `ci@acme.example`).
    #[arg(long, value_name = "ID", requires = "sign")]
    identity: Option<String>,
    /// Start of the audit period for the change history (default: a year before the as-of date).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    since: Option<Date>,
    /// Also write the bundle as a deterministic, uncompressed `.tar`.
    #[arg(long, value_name = "FILE")]
    tar: Option<PathBuf>,
    /// Date for time-dependent checks (default: the commit's date).
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Lowest severity that makes the result nonconforming (overrides `fail_on`).
    #[arg(long, value_name = "SEVERITY", value_parser = severity_parser())]
    fail_on: Option<Severity>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum VerifyFormat {
    Text,
    Json,
}

#[derive(Args, Debug)]
pub(crate) struct VerifyArgs {
    /// The bundle: its folder, or the `.tar` written by `pack --tar` (read, never extracted).
    bundle: PathBuf,
    /// OpenSSH `allowed_signers` file naming the keys you trust (with `--identity`).
    #[arg(
        long,
        value_name = "FILE",
        requires = "identity",
        conflicts_with = "public_key"
    )]
    allowed_signers: Option<PathBuf>,
    /// The signer identity expected, e.g. `ci@acme.example` (with `--allowed-signers`).
    #[arg(long, value_name = "ID", requires = "allowed_signers")]
    identity: Option<String>,
    /// The OpenSSH public key you trust (e.g. `evident.pub`).
    #[arg(long, value_name = "FILE")]
    public_key: Option<PathBuf>,
    /// SSHSIG namespace expected.
    #[arg(long, value_name = "NS", default_value = DEFAULT_NAMESPACE)]
    namespace: String,
    /// Accept a bundle without a signature: check its integrity only.
    #[arg(long)]
    allow_unsigned: bool,
    /// A clone of the repository: check that the commit is there and every document equals
    /// its blob.
    #[arg(long, value_name = "DIR")]
    repo: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = VerifyFormat::Text)]
    format: VerifyFormat,
}

fn passphrase(source: &str) -> Result<String> {
    if let Ok(p) = std::env::var(PASSPHRASE_VAR) {
        return Ok(p);
    }
    if std::io::stdin().is_terminal() {
        return rpassword::prompt_password(format!("passphrase for {source}: "))
            .context("reading the passphrase");
    }
    bail!("{source} is protected by a passphrase; set ${PASSPHRASE_VAR}")
}

fn human_bytes(n: u64) -> String {
    let units = ["B", "KB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut i = 0;
    while v >= 1000.0 && i + 1 < units.len() {
        v /= 1000.0;
        i += 1;
    }
    if i == 0 {
        format!("{n} B")
    } else {
        format!("{v:.2} {}", units[i])
    }
}

fn rate(bytes: u64, secs: f64) -> String {
    if secs <= 0.0 {
        return "-".into();
    }
    format!("{}/s", human_bytes((bytes as f64 / secs) as u64))
}

pub(crate) fn pack(args: &PackArgs, quiet: bool) -> Result<u8> {
    let mut err = anstream::stderr();
    let key = match &args.sign {
        Some(spec) => {
            let (key, warnings) = SigningKey::load(spec, &|| passphrase(spec))?;
            for w in warnings {
                writeln!(err, "warning: {w}")?;
            }
            Some(key)
        }
        None => None,
    };
    // Ctrl-C or SIGTERM: remove the half-built bundle, then stop.
    let _ = ctrlc::set_handler(|| {
        evidence::pack::abandon();
        std::process::exit(130);
    });
    let packed = evidence::pack(
        &args.path,
        &PackOptions {
            rev: &args.rev,
            out: &args.out,
            key: key.as_ref(),
            namespace: &args.namespace,
            identity: args.identity.as_deref(),
            since: args.since,
            tar: args.tar.as_deref(),
            check: evident::CheckOptions {
                as_of: args.as_of,
                fail_on: args.fail_on,
                ..Default::default()
            },
        },
    )?;
    for w in &packed.warnings {
        writeln!(err, "warning: {w}")?;
    }
    let mut out = anstream::stdout().lock();
    let summary = &packed.checked.outcome.summary;
    let result = if packed.checked.outcome.fails() {
        "nonconforming"
    } else {
        "conforming"
    };
    let secs = packed.hashing.as_secs_f64();
    if !quiet {
        writeln!(
            out,
            "packed `{}` from commit {} (as of {})",
            packed.out.display(),
            &packed.commit.commit[..12],
            packed.as_of
        )?;
        writeln!(
            out,
            "  {}, {}, hashed in {secs:.2} s ({})",
            report::count(packed.files, "file"),
            human_bytes(packed.bytes),
            rate(packed.bytes, secs)
        )?;
        match &packed.signer {
            Some(fp) => writeln!(out, "  signed by {fp} (namespace `{}`)", args.namespace)?,
            None => writeln!(out, "  not signed (add --sign KEY)")?,
        }
        writeln!(
            out,
            "  result: {result} ({}, {}, {} failed, {} waived)",
            report::count(summary.documents, "document"),
            report::count(summary.controls, "control"),
            report::count(summary.failed, "finding"),
            summary.waived
        )?;
        if let Some(tar) = &args.tar {
            writeln!(out, "  archive: `{}`", tar.display())?;
        }
        if std::env::var_os("EVIDENT_TIMINGS").is_some() {
            for (stage, took) in &packed.stages {
                writeln!(out, "  {:>7.3} s  {stage}", took.as_secs_f64())?;
            }
        }
    }
    let how = match &args.sign {
        Some(spec) if Path::new(&format!("{spec}.pub")).is_file() => {
            format!("--public-key {spec}.pub")
        }
        Some(_) => "--public-key KEY.pub".to_string(),
        None => "--allow-unsigned".to_string(),
    };
    writeln!(
        out,
        "next: evident verify {} {how}   (or follow {}/VERIFY.txt)",
        packed.out.display(),
        packed.out.display()
    )?;
    Ok(EXIT_OK)
}

fn read_public_key(path: &Path) -> Result<ssh_key::PublicKey> {
    let text = evident::fsread::read_text(path, evident::fsread::MAX_KEY_SIZE)
        .with_context(|| format!("reading public key `{}`", path.display()))?;
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
        .ok_or_else(|| anyhow!("`{}` is empty", path.display()))?;
    if text.contains("PRIVATE KEY") {
        bail!(
            "`{}` is a private key; give the public key (usually the same name with `.pub`)",
            path.display()
        );
    }
    ssh_key::PublicKey::from_openssh(line).map_err(|e| {
        anyhow!(
            "`{}` is not an OpenSSH public key such as `ssh-ed25519 AAAA… comment` ({e}); for an allowed_signers file use --allowed-signers and --identity",
            path.display()
        )
    })
}

pub(crate) fn verify(args: &VerifyArgs, quiet: bool) -> Result<u8> {
    let trust = match (&args.allowed_signers, &args.identity, &args.public_key) {
        (Some(file), Some(identity), None) => {
            let text = evident::fsread::read_text(file, evident::fsread::MAX_KEY_SIZE)
                .with_context(|| format!("reading allowed signers `{}`", file.display()))?;
            Some(Trust::AllowedSigners {
                signers: AllowedSigners::parse(&text, &file.display().to_string())?,
                identity: identity.clone(),
            })
        }
        (None, None, Some(key)) => Some(Trust::PublicKey(read_public_key(key)?)),
        (None, None, None) if args.allow_unsigned => None,
        (None, None, None) => {
            let mut err = anstream::stderr();
            writeln!(
                err,
                "error: name the key you trust: `--allowed-signers FILE --identity ID` or `--public-key FILE`\n  \
                 (or `--allow-unsigned` to check the bundle's integrity only)"
            )?;
            return Ok(EXIT_ERROR);
        }
        _ => bail!("use either `--allowed-signers FILE --identity ID` or `--public-key FILE`"),
    };
    let verified = evidence::verify(
        &args.bundle,
        &VerifyOptions {
            trust: trust.as_ref(),
            namespace: &args.namespace,
            allow_unsigned: args.allow_unsigned,
            repo: args.repo.as_deref(),
            now: jiff::Timestamp::now(),
        },
    )?;
    let mut out = anstream::stdout().lock();
    match args.format {
        VerifyFormat::Json => {
            let mut value = serde_json::to_value(&verified)?;
            if let Some(map) = value.as_object_mut() {
                map.insert("bundle".into(), args.bundle.display().to_string().into());
            }
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        VerifyFormat::Text => {
            let green = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Green.into()));
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            let dim = anstyle::Style::new().dimmed();
            if !quiet {
                for c in &verified.checks {
                    let (style, word) = match c.status {
                        Status::Pass => (green, "ok  "),
                        Status::Fail => (red, "FAIL"),
                        Status::Skipped => (dim, "skip"),
                    };
                    let note = if c.note.is_empty() || c.status == Status::Fail {
                        String::new()
                    } else {
                        format!("  {}", c.note)
                    };
                    let line = format!("{:<12}{note}", c.check);
                    writeln!(out, "{style}{word}{style:#} {}", line.trim_end())?;
                    for p in &c.problems {
                        if p.file.is_empty() {
                            writeln!(out, "       {}", p.message)?;
                        } else {
                            writeln!(out, "       {}: {}", p.file, p.message)?;
                        }
                    }
                }
            }
            let n = verified.problems().count();
            let secs = verified.hashing.as_secs_f64();
            if verified.valid {
                writeln!(
                    out,
                    "{green}valid{green:#}: {}, {} verified{}",
                    report::count(verified.files, "file"),
                    human_bytes(verified.bytes),
                    verified
                        .signer
                        .as_ref()
                        .map(|s| format!(", signed by {s}"))
                        .unwrap_or_else(|| ", NOT signed".into())
                )?;
                if !quiet {
                    writeln!(
                        out,
                        "{dim}hashed in {secs:.2} s ({}){dim:#}",
                        rate(verified.bytes, secs)
                    )?;
                }
            } else {
                writeln!(
                    out,
                    "{red}invalid{red:#}: {n} problem{} — do not rely on this bundle",
                    if n == 1 { "" } else { "s" }
                )?;
            }
        }
    }
    Ok(if verified.valid {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    })
}
