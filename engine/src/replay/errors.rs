//! Why a replay stopped: a statement that does not parse, or one that
//! PostgreSQL itself would refuse given the state replayed so far.

use std::fmt;
use std::path::PathBuf;

/// What went wrong, as a class (stable for tests and tooling).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplayErrorKind {
    /// The migrations directory or a file in it could not be read.
    Io,
    /// The statement is not valid SQL (as far as sqlparser can tell).
    Syntax,
    /// The statement refers to an object that does not exist.
    Missing,
    /// The statement creates an object that already exists.
    Duplicate,
    /// PostgreSQL would refuse the statement for another reason
    /// (dependent objects without CASCADE, a bad type, …).
    Invalid,
}

/// A replay failure, pointing at `file:line:column`.
#[derive(Debug, Clone, thiserror::Error, serde::Serialize)]
#[error("{}:{line}:{column}: {message}", file.display())]
pub struct ReplayError {
    pub kind: ReplayErrorKind,
    pub file: PathBuf,
    pub line: u32,
    pub column: u32,
    pub message: String,
    /// The whole statement, as written.
    pub statement: String,
    pub hint: Option<String>,
    /// The file and the byte offset the error points at, for miette's
    /// snippet rendering (boxed to keep `Result<_, ReplayError>` small).
    #[serde(skip)]
    pub snippet: Option<Box<(miette::NamedSource<String>, usize)>>,
}

impl miette::Diagnostic for ReplayError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("trr_schema::replay"))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.hint
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.snippet
            .as_ref()
            .map(|s| &s.0 as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let at = self.snippet.as_ref()?.1;
        Some(Box::new(std::iter::once(miette::LabeledSpan::at_offset(
            at, "here",
        ))))
    }
}

impl ReplayError {
    /// A multi-line report for terminals and snapshots.
    pub fn render(&self) -> String {
        let mut out = format!(
            "error: {}\n  --> {}:{}:{}\n",
            self.message,
            self.file.display(),
            self.line,
            self.column
        );
        for line in self.statement.lines() {
            out.push_str("   | ");
            out.push_str(line);
            out.push('\n');
        }
        if let Some(hint) = &self.hint {
            out.push_str("  help: ");
            out.push_str(hint);
            out.push('\n');
        }
        out
    }
}

/// A failure inside one statement, before it is placed in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StmtError {
    pub kind: ReplayErrorKind,
    pub message: String,
    pub hint: Option<String>,
    /// Byte offset inside the statement text (0 = its start).
    pub at: usize,
}

impl StmtError {
    pub fn new(kind: ReplayErrorKind, message: impl fmt::Display) -> Self {
        StmtError {
            kind,
            message: message.to_string(),
            hint: None,
            at: 0,
        }
    }

    pub fn missing(message: impl fmt::Display) -> Self {
        Self::new(ReplayErrorKind::Missing, message)
    }

    pub fn duplicate(message: impl fmt::Display) -> Self {
        Self::new(ReplayErrorKind::Duplicate, message)
    }

    pub fn invalid(message: impl fmt::Display) -> Self {
        Self::new(ReplayErrorKind::Invalid, message)
    }

    pub fn hint(mut self, hint: impl fmt::Display) -> Self {
        self.hint = Some(hint.to_string());
        self
    }
}

/// Shorthand for the replay of one statement.
pub type StmtResult<T = ()> = Result<T, StmtError>;
