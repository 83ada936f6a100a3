//! The command line: parse arguments, call the library, render, choose the exit code.
//!
//! Exit codes (one place, documented in the README):
//! - 0: clean (no failed finding at or above `fail_on`), or any findings with `--fail-on never`;
//! - 1: findings at or above `fail_on`;
//! - 2: usage or tool error (bad flag, unreadable `evident.yaml`, invalid control file…).

mod evidence;
mod explain;
mod generate;
mod output;
mod root;
mod sla;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use evident::controls::Severity;
use evident::error::InputErrors;
use evident::model::{Kind, schema};
use evident::report::text::escape;
use evident::report::{self, Format, Style};

use output::write_atomically;
use output::{Sink, Target};

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
    after_help = "Exit codes: 0 clean (verify: valid) · 1 findings at or above `fail_on` (verify: invalid) · 2 usage or tool error.\nDocumentation: `evident explain CODE`, `evident man`, README.md."
)]
struct Cli {
    /// When to use colours (`auto` follows the terminal, NO_COLOR and CLICOLOR).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true, env = "EVIDENT_COLOR")]
    color: ColorWhen,
    /// Print only the summary line.
    #[arg(short, long, global = true, env = "EVIDENT_QUIET")]
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
        /// Output format: `text` for a terminal, `markdown` as in `controls/README.md`.
        #[arg(long, value_enum, default_value_t = ExplainFormat::Text)]
        format: ExplainFormat,
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
        /// Repository root to evaluate (default: the nearest folder up holding `evident.yaml`,
        /// within the git repository; else the current folder).
        path: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
        format: CoverageFormat,
        /// Show the library's mappings only, without evaluating a repository.
        #[arg(long)]
        library: bool,
        /// Date for time-dependent checks (default: today).
        #[arg(long, value_parser = parse_date, env = "EVIDENT_AS_OF")]
        as_of: Option<Date>,
        /// Show another framework, reached through the ISO/IEC 20000-1 clauses, instead of the
        /// clause and practice views.
        #[arg(long, value_parser = PossibleValuesParser::new(evident::controls::frameworks::EXTERNAL))]
        framework: Option<String>,
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
    /// Measure ticket exports against the SLAs: attainment and KPIs (`report`), one ticket's
    /// clock (`explain`), the export presets (`presets`).
    #[command(subcommand)]
    Sla(sla::SlaCommand),
    /// Print a shell completion script.
    #[command(after_help = "Install, for example:\n  \
        bash:       evident completions bash > ~/.local/share/bash-completion/completions/evident\n  \
        zsh:        evident completions zsh > ~/.zfunc/_evident   (with `fpath+=~/.zfunc` before `compinit`)\n  \
        fish:       evident completions fish > ~/.config/fish/completions/evident.fish\n  \
        powershell: evident completions powershell | Out-String | Invoke-Expression   (in $PROFILE)\n  \
        elvish:     evident completions elvish >> ~/.config/elvish/rc.elv")]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per command into a folder.
    #[command(
        after_help = "Examples:\n  evident man | man -l -\n  evident man --out ~/.local/share/man/man1"
    )]
    Man {
        /// Write `evident.1`, `evident-check.1`, … into this folder instead.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum ExplainFormat {
    /// For a terminal: styled headings, wrapped text.
    Text,
    /// The control's section of the reference page (`controls/README.md`).
    Markdown,
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
    /// The library as an OSCAL 1.1.3 catalog (JSON).
    OscalCatalog,
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
    /// Repository root, where `evident.yaml` and the documents folders are (default: the
    /// nearest folder up holding `evident.yaml`, within the git repository; else the current
    /// folder). `-` (for `check`): read one YAML stream from standard input and check it with
    /// the documents of the default root.
    path: Option<PathBuf>,
    /// With `-`: the repository-relative path the stream stands for (the file it replaces);
    /// findings name it.
    #[arg(long, value_name = "PATH", default_value = STDIN_NAME)]
    stdin_filename: String,
    /// Check the documents as they are at this git revision instead of the working tree.
    #[arg(long, value_name = "REV")]
    rev: Option<String>,
    /// Output format on standard output.
    #[arg(long, default_value = "text", value_parser = format_parser(), env = "EVIDENT_FORMAT")]
    format: Format,
    /// Also write a report: `FORMAT=FILE`, or `FILE` with the format taken from its extension
    /// (.txt .json .sarif .xml .html .md); `-` is standard output (instead of the `--format`
    /// report; at most one). Repeatable.
    #[arg(long, short = 'o', value_name = "[FORMAT=]FILE")]
    output: Vec<String>,
    /// Lowest severity that fails the run (overrides `fail_on` in `evident.yaml`); `never`
    /// reports without failing.
    #[arg(long, value_name = "SEVERITY", value_parser = fail_on_parser(), env = "EVIDENT_FAIL_ON")]
    fail_on: Option<FailOn>,
    /// Date for time-dependent checks, e.g. `2026-11-21` (default: `as_of` in `evident.yaml`,
    /// else today).
    #[arg(long, value_parser = parse_date, env = "EVIDENT_AS_OF")]
    as_of: Option<Date>,
    /// Add a folder of the organization's controls (repeatable; the variable holds one).
    #[arg(long = "controls", value_name = "DIR", env = "EVIDENT_CONTROLS")]
    controls: Vec<String>,
    /// Run no control: only read the documents and validate them against their kind schemas.
    #[arg(long)]
    schemas_only: bool,
}

/// `--format` of `check` and `gate`: the report formats, listed in `--help`.
fn format_parser() -> impl TypedValueParser<Value = Format> {
    PossibleValuesParser::new(Format::ALL.iter().map(|(name, _)| *name))
        .try_map(|s| s.parse::<Format>())
}

/// A severity flag, with the severities listed in `--help`.
pub(crate) fn severity_parser() -> impl TypedValueParser<Value = Severity> {
    PossibleValuesParser::new(Severity::ALL.iter().map(|s| s.as_str()))
        .try_map(|s| s.parse::<Severity>())
}

/// `--fail-on`: a severity, or `never` for a report-only run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    /// Fail on failed findings at or above this severity.
    Severity(Severity),
    /// Never fail on findings: exit 0 whatever they are (tool errors still exit 2).
    Never,
}

fn fail_on_parser() -> impl TypedValueParser<Value = FailOn> {
    let values = Severity::ALL
        .iter()
        .map(|s| PossibleValue::new(s.as_str()))
        .chain([PossibleValue::new("never").help("report only: exit 0 whatever the findings")]);
    PossibleValuesParser::new(values).try_map(|s| match s.as_str() {
        "never" => Ok(FailOn::Never),
        other => other.parse::<Severity>().map(FailOn::Severity),
    })
}

pub(crate) fn parse_date(s: &str) -> Result<Date, String> {
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
        // Messages quote what the inputs say (an unknown key, a value): escaped, as in the
        // text report, so that no input text reaches the terminal or a CI log raw.
        for item in &list.0 {
            let _ = writeln!(err, "{red}error{red:#}: {}", escape(&item.message));
            match item.position {
                Some(p) => {
                    let _ = writeln!(err, "  --> {}:{}:{}", escape(&item.file), p.line, p.column);
                }
                None => {
                    let _ = writeln!(err, "  --> {}", escape(&item.file));
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
    let _ = write!(err, "{red}error{red:#}: {}", escape(&e.to_string()));
    for cause in e.chain().skip(1) {
        let _ = write!(err, ": {}", escape(&cause.to_string()));
    }
    let _ = writeln!(err);
}

fn run(cli: &Cli) -> Result<u8> {
    match &cli.command {
        Command::Check(args) => check(args, None, cli.quiet),
        Command::Gate(args) => check(&args.check, Some(args), cli.quiet),
        Command::Pack(args) => evidence::pack(args, cli.quiet),
        Command::Verify(args) => evidence::verify(args, cli.quiet),
        Command::Explain { code, format } => explain::explain(code, *format),
        Command::Controls { format, repo } => explain::list(*format, repo.as_deref()),
        Command::Schema { kind, out } => schema_cmd(kind.as_deref(), out.as_deref()),
        Command::Coverage {
            path,
            format,
            library,
            as_of,
            framework,
        } => {
            let path = repository_root(path.as_deref(), cli.quiet)?;
            coverage_cmd(&path, *format, *library, *as_of, framework.as_deref())
        }
        Command::Init { dir } => init_cmd(dir),
        Command::Sla(cmd) => sla::run(cmd, cli.quiet),
        Command::Completions { shell } => generate::completions(*shell),
        Command::Man { out } => generate::man(out.as_deref()),
    }
}

/// The root a command works on: `path` when given, else the one [`root::discover`] finds,
/// named on standard error when it is not the current folder (finding paths are relative to
/// it).
pub(crate) fn repository_root(path: Option<&Path>, quiet: bool) -> Result<PathBuf> {
    if let Some(p) = path {
        return Ok(p.to_path_buf());
    }
    let cwd = std::env::current_dir().context("reading the current folder")?;
    let found = root::discover(&cwd);
    if found != Path::new(".") && !quiet {
        let _ = writeln!(
            anstream::stderr(),
            "note: using `{}` as the Evident root (the nearest folder with `evident.yaml`); paths are relative to it",
            found.display()
        );
    }
    Ok(found)
}

pub(crate) fn today() -> Date {
    jiff::Zoned::now().date()
}

/// The name of a stream read from standard input, unless `--stdin-filename` gives one.
const STDIN_NAME: &str = "<stdin>";

/// Reads one YAML stream from standard input as the file `name` (refused above the loader's
/// size limit, as a file on disk would be).
fn read_stdin(name: &str) -> Result<evident::load::RawFile> {
    use std::io::Read;
    let limit = evident::load::MAX_FILE_SIZE;
    let mut bytes = Vec::new();
    io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .context("reading standard input")?;
    let content = if bytes.len() as u64 > limit {
        evident::load::RawContent::TooLarge(bytes.len() as u64)
    } else {
        evident::load::RawContent::Bytes(bytes)
    };
    Ok(evident::load::RawFile {
        path: name.replace('\\', "/"),
        content,
        origin: None,
    })
}

fn check(args: &CheckArgs, gate: Option<&GateArgs>, quiet: bool) -> Result<u8> {
    let targets = output::targets(&args.output, args.format)?;
    let stdin = args.path.as_deref() == Some(Path::new("-"));
    if stdin && (gate.is_some() || args.rev.is_some()) {
        bail!(
            "`-` (standard input) is for `check` of the working tree; `gate` and `--rev` read git"
        );
    }
    if !stdin && args.stdin_filename != STDIN_NAME {
        bail!("`--stdin-filename` goes with `-` as the path");
    }
    let path = repository_root(args.path.as_deref().filter(|_| !stdin), quiet)?;
    if !path.is_dir() {
        bail!("`{}` is not a folder", path.display());
    }
    let options = evident::CheckOptions {
        as_of: args.as_of,
        as_of_source: None,
        extra_controls: args.controls.clone(),
        fail_on: match args.fail_on {
            Some(FailOn::Severity(s)) => Some(s),
            Some(FailOn::Never) | None => None,
        },
        schemas_only: args.schemas_only,
        whole_base: false,
    };
    let checked = match (gate, &args.rev) {
        (Some(_), Some(_)) => bail!("`gate` takes `--head`, not `--rev`"),
        (Some(g), None) => evident::gate(
            &path,
            &g.base,
            g.head.as_deref(),
            today(),
            &options,
            g.strict,
        )?,
        (None, Some(rev)) => evident::check_rev(&path, rev, today(), &options)?,
        (None, None) if stdin => {
            let file = read_stdin(&args.stdin_filename)?;
            evident::check_source(
                &path,
                &evident::Source::WorkTreeWith(&file),
                today(),
                &options,
            )?
        }
        (None, None) => evident::check_dir(&path, today(), &options)?,
    };
    let mut stdout_format = args.format;
    let mut files = Vec::new();
    for Target { format, sink } in &targets {
        match sink {
            Sink::Stdout => stdout_format = *format,
            Sink::File(file) => files.push((*format, file)),
        }
    }
    // The files' reports are written side by side into temporary files, and put in place
    // one by one, in order, once all are written: a failure leaves none of them half-written.
    let staged: Vec<Result<output::Staged>> = {
        use rayon::prelude::*;
        let style = Style {
            color: false,
            quiet: false,
        };
        // The HTML report and the Markdown matrix are rendered from one context.
        let shared = report::Shared::default();
        files
            .par_iter()
            .map(|&(format, file)| {
                output::stage(file, |out| {
                    report::render_shared(format, &checked, style, out, &shared)
                })
            })
            .collect()
    };
    for staged in staged.into_iter().collect::<Result<Vec<_>>>()? {
        staged.commit()?;
    }
    let mut out = anstream::stdout().lock();
    report::render(
        stdout_format,
        &checked,
        Style { color: true, quiet },
        &mut out,
    )?;
    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
        // Workflow commands: the runner reads them from standard output and standard error
        // alike. They join standard output only when it carries text; JSON, SARIF or JUnit on
        // standard output must stay parseable, so there they go to standard error.
        if args.format == Format::Text {
            report::github::annotations(&checked, &mut out)?;
        } else {
            out.flush()?;
            let mut err = io::stderr().lock();
            report::github::annotations(&checked, &mut err)?;
            err.flush()?;
        }
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
    let fails = checked.outcome.fails();
    let fail_on = checked.outcome.fail_on;
    // The process ends next: returning every document, value and index to the allocator
    // one by one would only cost time (about a tenth of a second at 10,000 documents).
    std::mem::forget(checked);
    if args.fail_on == Some(FailOn::Never) {
        if fails && !quiet {
            let _ = writeln!(
                anstream::stderr(),
                "note: `--fail-on never`: reporting only, exit 0 although findings are at or above `{}`",
                fail_on
            );
        }
        return Ok(EXIT_OK);
    }
    Ok(if fails { EXIT_FINDINGS } else { EXIT_OK })
}

fn coverage_cmd(
    path: &Path,
    format: CoverageFormat,
    library_only: bool,
    as_of: Option<Date>,
    framework: Option<&str>,
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
    if let Some(key) = framework {
        let view = matrix
            .frameworks
            .iter()
            .find(|v| v.framework == key)
            .with_context(|| format!("no framework `{key}`"))?;
        match format {
            CoverageFormat::Text => report::coverage::external_text(view, &mut out)?,
            CoverageFormat::Json => {
                serde_json::to_writer_pretty(&mut out, view)?;
                writeln!(out)?;
            }
            CoverageFormat::Markdown => report::coverage::external_markdown(view, &mut out)?,
        }
        return Ok(EXIT_OK);
    }
    match format {
        CoverageFormat::Text => report::coverage::text(&matrix, &mut out)?,
        CoverageFormat::Json => report::coverage::json(&matrix, &mut out)?,
        CoverageFormat::Markdown => report::coverage::markdown(&matrix, &mut out)?,
    }
    Ok(EXIT_OK)
}

fn init_cmd(dir: &Path) -> Result<u8> {
    let report = evident::init::init(dir, today())?;
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
