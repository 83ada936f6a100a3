//! `evident completions SHELL` and `evident man`: generated from the clap definition the
//! binary parses with, so they can never disagree with `--help`.

use std::io::{self, Write};
use std::path::Path;

use anyhow::{Context, Result};
use clap::CommandFactory;
use clap_complete::Shell;

use super::output::write_atomically;
use super::{Cli, EXIT_OK};

/// The binary's name, as completions register it.
const BIN: &str = "evident";

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: Shell) -> Result<u8> {
    let mut cmd = Cli::command();
    // clap_complete panics when its writer fails; render into memory, then write (a closed
    // pipe is then an ordinary error).
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, BIN, &mut buf);
    let mut out = io::stdout().lock();
    out.write_all(&buf)?;
    out.flush()?;
    Ok(EXIT_OK)
}

/// Writes the man page of `evident` to standard output, or with `out`, one page per command
/// (`evident.1`, `evident-check.1`, …) into that folder.
pub fn man(out: Option<&Path>) -> Result<u8> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    cmd.build();
    match out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd).render(&mut buf)?;
            let mut stdout = io::stdout().lock();
            stdout.write_all(&buf)?;
            stdout.flush()?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating `{}`", dir.display()))?;
            let mut pages = Vec::new();
            collect(cmd, &mut pages);
            let mut stdout = io::stdout().lock();
            for man in pages {
                let path = dir.join(man.get_filename());
                let mut buf = Vec::new();
                man.render(&mut buf)?;
                write_atomically(&path, &buf)?;
                writeln!(stdout, "wrote {}", path.display())?;
            }
        }
    }
    Ok(EXIT_OK)
}

/// The page of `cmd` and of every visible subcommand, depth first.
fn collect(cmd: clap::Command, pages: &mut Vec<clap_mangen::Man>) {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        collect(sub.clone(), pages);
    }
    pages.push(clap_mangen::Man::new(cmd));
}
