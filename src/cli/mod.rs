//! The command line: parse arguments, call the library, render, choose the exit code.
//!
//! Exit codes (one place, documented in the README):
//! - 0: clean (no failed finding at or above `fail_on`);
//! - 1: findings at or above `fail_on`;
//! - 2: usage or tool error (bad flag, unreadable `evident.yaml`, invalid control file…).

mod evidence;
mod explain;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use evident::controls::Severity;
use evident::error::InputErrors;
use evident::model::{Kind, schema};
use evident::report::{self, Format, Style};

/// Exit code: clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above the threshold.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or tool error.
pub const EXIT_ERROR: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "evident",
    version,
    about = "Audit IT service management as code against ISO/IEC 20000-1:2018 and ITIL 4",
    after_help = "Exit codes: 0 clean (verify: valid) · 1 findings at or above `fail_on` (verify: invalid) · 2 usage or tool error.\nDocumentation: `evident explain CODE`, README.md."
)]
struct Cli {
    /// When to use colours (`auto` follows the terminal, NO_COLOR and CLICOLOR).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    color: ColorWhen,
    /// Print only the summary line.
    #[arg(short, long, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the documents of a repository against the control library.
    Check(CheckArgs),
    /// Compare a change with its base in git: fail on findings it introduces, credit what it fixes.
    Gate(GateArgs),
    /// Build an evidence bundle from one commit: documents, attachments, results, reports,
    /// provenance, a SHA-256 manifest and its signature.
    #[command(
        after_help = "Example:\n  evident pack --out evidence-2026-q4 --sign ci-key --tar evidence-2026-q4.tar\n\n\
        Exit codes: 0 packed (whatever the result of the check) · 2 usage or tool error; nothing is left half-written."
    )]
    Pack(evidence::PackArgs),
    /// Verify an evidence bundle: signature, manifest, files, attestation (and a repository).
    #[command(
        after_help = "Examples:\n  evident verify evidence-2026-q4 --public-key ci-key.pub\n  \
        evident verify evidence-2026-q4.tar --allowed-signers allowed_signers --identity ci@acme.example --repo .\n\n\
        Exit codes: 0 valid · 1 invalid (every failure named with its file) · 2 usage or tool error."
    )]
    Verify(evidence::VerifyArgs),
    /// Explain a control or diagnostic code: what it checks, why, how to fix or waive it.
    Explain {
        /// A control id such as `CHG-003`, or a code such as `yaml-syntax`.
        code: String,
    },
    /// List the control library with its ISO/IEC 20000-1 and ITIL 4 mappings.
    Controls {
        /// Output format.
        #[arg(long, value_enum, default_value_t = ListFormat::Text)]
        format: ListFormat,
        /// Include the organization's controls from this repository's `evident.yaml`.
        #[arg(long, value_name = "PATH")]
        repo: Option<PathBuf>,
    },
    /// Show which controls evidence each ISO/IEC 20000-1 clause and ITIL 4 practice, with results.
    Coverage {
        /// Repository root to evaluate.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
        format: CoverageFormat,
        /// Show the library's mappings only, without evaluating a repository.
        #[arg(long)]
        library: bool,
        /// Date for time-dependent checks (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<Date>,
    },
    /// Write a starter repository (evident.yaml, policies/, a CI workflow); never overwrites a file.
    Init {
        /// Target folder (created if missing).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print or write the JSON Schemas of the document kinds (for editors and validators).
    Schema {
        /// One kind (e.g. `Process` or `service-level-agreement`); all when omitted.
        kind: Option<String>,
        /// Write `<kind>.schema.json` files (plus `control` and `config`) into this folder.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum CoverageFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ListFormat {
    Text,
    Json,
    /// The control reference page (`controls/README.md`).
    Markdown,
}

#[derive(Args, Debug)]
struct GateArgs {
    /// The base revision, e.g. `origin/main` (read from git objects; no checkout).
    #[arg(long, value_name = "REV")]
    base: String,
    /// The head revision (default: the working tree).
    #[arg(long, value_name = "REV")]
    head: Option<String>,
    /// Also fail on findings the change did not introduce.
    #[arg(long)]
    strict: bool,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Args, Debug)]
struct CheckArgs {
    /// Repository root (where `evident.yaml` and the documents folders are).
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Check the documents as they are at this git revision instead of the working tree.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    /// Output format on standard output.
    #[arg(long, default_value = "text", value_parser = parse_format)]
    format: Format,
    /// Also write a report to a file: `FORMAT=FILE`, or `FILE` for the `--format` format. Repeatable.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    output: Vec<String>,
    /// Lowest severity that fails the run (overrides `fail_on` in `evident.yaml`).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Date for time-dependent checks (default: today), e.g. `2026-11-21`.
    #[arg(long, value_parser = parse_date)]
    as_of: Option<Date>,
    /// Add a folder of the organization's controls (repeatable).
    #[arg(long = "controls", value_name = "DIR")]
    controls: Vec<String>,
    /// Run no control: only read the documents and validate them against their kind schemas.
    #[arg(long)]
    schemas_only: bool,
}

fn parse_format(s: &str) -> Result<Format, String> {
    s.parse()
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    s.parse()
}

fn parse_date(s: &str) -> Result<Date, String> {
    s.parse::<Date>()
        .map_err(|_| format!("`{s}` is not a date; write it as YYYY-MM-DD"))
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { EXIT_OK });
        }
    };
    match cli.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        ColorWhen::Auto => {}
    }
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::from(EXIT_OK);
            }
            report_error(&e);
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>().map(io::Error::kind) == Some(io::ErrorKind::BrokenPipe)
            || c.downcast_ref::<serde_json::Error>()
                .and_then(serde_json::Error::io_error_kind)
                == Some(io::ErrorKind::BrokenPipe)
    })
}

fn report_error(e: &anyhow::Error) {
    let mut err = anstream::stderr();
    let red = anstyle::Style::new()
        .bold()
        .fg_color(Some(anstyle::AnsiColor::Red.into()));
    if let Some(list) = e.downcast_ref::<InputErrors>() {
        for item in &list.0 {
            let _ = writeln!(err, "{red}error{red:#}: {}", item.message);
            match item.position {
                Some(p) => {
                    let _ = writeln!(err, "  --> {}:{}:{}", item.file, p.line, p.column);
                }
                None => {
                    let _ = writeln!(err, "  --> {}", item.file);
                }
            }
        }
        let _ = writeln!(
            err,
            "{} problem{} in the tool's inputs; nothing was checked",
            list.0.len(),
            if list.0.len() == 1 { "" } else { "s" }
        );
        return;
    }
    let _ = write!(err, "{red}error{red:#}: {e}");
    for cause in e.chain().skip(1) {
        let _ = write!(err, ": {cause}");
    }
    let _ = writeln!(err);
}

fn run(cli: &Cli) -> Result<u8> {
    match &cli.command {
        Command::Check(args) => check(args, None, cli.quiet),
        Command::Gate(args) => check(&args.check, Some(args), cli.quiet),
        Command::Pack(args) => evidence::pack(args, cli.quiet),
        Command::Verify(args) => evidence::verify(args, cli.quiet),
        Command::Explain { code } => explain::explain(code),
        Command::Controls { format, repo } => explain::list(*format, repo.as_deref()),
        Command::Schema { kind, out } => schema_cmd(kind.as_deref(), out.as_deref()),
        Command::Coverage {
            path,
            format,
            library,
            as_of,
        } => coverage_cmd(path, *format, *library, *as_of),
        Command::Init { dir } => init_cmd(dir),
    }
}

fn today() -> Date {
    jiff::Zoned::now().date()
}

/// Splits `FORMAT=FILE` (or `FILE`, using `default`).
fn output_target(spec: &str, default: Format) -> Result<(Format, PathBuf)> {
    if let Some((name, file)) = spec.split_once('=')
        && let Ok(format) = name.parse::<Format>()
    {
        if file.is_empty() {
            bail!("`--output {spec}` names no file");
        }
        return Ok((format, PathBuf::from(file)));
    }
    Ok((default, PathBuf::from(spec)))
}

/// Writes `bytes` to `path` through a temporary file in the same folder, so that a failure
/// never leaves a half-written report. Only a regular file is replaced: a folder, a FIFO or a
/// device at `path` is an error (writing a report must not turn `/dev/stdout` or a named pipe
/// into a regular file).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() => bail!(
            "cannot write `{}`: it is {}, not a regular file",
            path.display(),
            evident::fsread::describe(&meta)
        ),
        _ => {}
    }
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("creating a temporary file in `{}`", dir.display()))?;
    tmp.write_all(bytes)
        .with_context(|| format!("writing `{}`", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow!(e.error))
        .with_context(|| format!("writing `{}`", path.display()))?;
    Ok(())
}

fn check(args: &CheckArgs, gate: Option<&GateArgs>, quiet: bool) -> Result<u8> {
    let targets: Vec<(Format, PathBuf)> = args
        .output
        .iter()
        .map(|o| output_target(o, args.format))
        .collect::<Result<_>>()?;
    if !args.path.is_dir() {
        bail!("`{}` is not a folder", args.path.display());
    }
    let options = evident::CheckOptions {
        as_of: args.as_of,
        extra_controls: args.controls.clone(),
        fail_on: args.fail_on,
        schemas_only: args.schemas_only,
    };
    let checked = match (gate, &args.rev) {
        (Some(_), Some(_)) => bail!("`gate` takes `--head`, not `--rev`"),
        (Some(g), None) => evident::gate(
            &args.path,
            &g.base,
            g.head.as_deref(),
            today(),
            &options,
            g.strict,
        )?,
        (None, Some(rev)) => evident::check_rev(&args.path, rev, today(), &options)?,
        (None, None) => evident::check_dir(&args.path, today(), &options)?,
    };
    for (format, file) in &targets {
        let mut buf = Vec::new();
        report::render(
            *format,
            &checked,
            Style {
                color: false,
                quiet: false,
            },
            &mut buf,
        )?;
        write_atomically(file, &buf)?;
    }
    let mut out = anstream::stdout().lock();
    report::render(
        args.format,
        &checked,
        Style { color: true, quiet },
        &mut out,
    )?;
    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
        // Workflow commands go to standard output; GitHub reads them from the log.
        report::github::annotations(&checked, &mut out)?;
        if let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) {
            let mut summary = Vec::new();
            report::github::summary(&checked, &mut summary)?;
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&path)
                .and_then(|mut f| f.write_all(&summary))
                .with_context(|| {
                    format!(
                        "appending to `{}` ($GITHUB_STEP_SUMMARY)",
                        Path::new(&path).display()
                    )
                })?;
        }
    }
    out.flush()?;
    Ok(if checked.outcome.fails() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    })
}

fn coverage_cmd(
    path: &Path,
    format: CoverageFormat,
    library_only: bool,
    as_of: Option<Date>,
) -> Result<u8> {
    use evident::check::coverage::coverage;
    let matrix = if library_only {
        let config = evident::config::Config::load(path)?;
        let library = evident::controls::load(path, &config.controls)?;
        coverage(&library, None)
    } else {
        let options = evident::CheckOptions {
            as_of,
            ..Default::default()
        };
        let checked = evident::check_dir(path, today(), &options)?;
        coverage(&checked.library, Some(&checked.outcome))
    };
    let mut out = io::stdout().lock();
    match format {
        CoverageFormat::Text => report::coverage::text(&matrix, &mut out)?,
        CoverageFormat::Json => report::coverage::json(&matrix, &mut out)?,
        CoverageFormat::Markdown => report::coverage::markdown(&matrix, &mut out)?,
    }
    Ok(EXIT_OK)
}

fn init_cmd(dir: &Path) -> Result<u8> {
    let report = evident::init::init(dir)?;
    let mut out = io::stdout().lock();
    for p in &report.written {
        writeln!(out, "wrote   {}", dir.join(p).display())?;
    }
    for p in &report.skipped {
        writeln!(out, "skipped {} (exists)", dir.join(p).display())?;
    }
    writeln!(
        out,
        "{} written, {} skipped. Next: `evident check {}`",
        report.written.len(),
        report.skipped.len(),
        dir.display()
    )?;
    Ok(EXIT_OK)
}

fn schema_cmd(kind: Option<&str>, out: Option<&Path>) -> Result<u8> {
    let kinds: Vec<Kind> = match kind {
        Some(k) => vec![k.parse::<Kind>().map_err(|e| {
            let names: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            anyhow!("{e}; expected one of {}", names.join(", "))
        })?],
        None => Kind::ALL.to_vec(),
    };
    let mut schemas: Vec<(String, serde_json::Value)> = kinds
        .iter()
        .map(|k| Ok((k.file_stem().to_string(), schema::kind_schema(*k)?)))
        .collect::<Result<_>>()?;
    match out {
        Some(dir) => {
            if kind.is_none() {
                schemas.push(("control".into(), evident::controls::meta_schema()?));
                schemas.push(("config".into(), evident::config::config_schema()?));
            }
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating `{}`", dir.display()))?;
            let mut stdout = io::stdout().lock();
            for (stem, value) in &schemas {
                let path = dir.join(format!("{stem}.schema.json"));
                let mut text = serde_json::to_string_pretty(value)?;
                text.push('\n');
                write_atomically(&path, text.as_bytes())?;
                writeln!(stdout, "wrote {}", path.display())?;
            }
        }
        None => {
            let mut stdout = io::stdout().lock();
            let value = if schemas.len() == 1 {
                schemas.remove(0).1
            } else {
                serde_json::Value::Object(
                    kinds
                        .iter()
                        .zip(schemas)
                        .map(|(k, (_, s))| (k.name().to_string(), s))
                        .collect(),
                )
            };
            serde_json::to_writer_pretty(&mut stdout, &value)?;
            writeln!(stdout)?;
        }
    }
    Ok(EXIT_OK)
}
