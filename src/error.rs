//! Errors in the tool's own inputs — `evident.yaml`, control files, flags — as opposed to
//! findings in the organization's documents. They stop the run (exit 2) and are all reported
//! together, each with its location.

use std::fmt;

use crate::load::yaml::Position;

/// One located problem in a tool input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// File the problem is in (repository-relative, or `builtin:…`).
    pub file: String,
    /// Where in the file, when known.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
}

impl InputError {
    /// A new error.
    pub fn new(file: &str, position: Option<Position>, message: impl Into<String>) -> Self {
        InputError {
            file: file.to_string(),
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some(p) => write!(f, "{}:{}:{}: {}", self.file, p.line, p.column, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Every problem found in the tool's inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputErrors(pub Vec<InputError>);

impl InputErrors {
    /// A list of one.
    pub fn one(e: InputError) -> Self {
        InputErrors(vec![e])
    }
}

impl fmt::Display for InputErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputErrors {}
