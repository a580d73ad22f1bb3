//! Load errors: every problem found in the KDL files, each pointing into its
//! file with a label and a hint. Collected rather than returned early so one
//! run shows the user everything to fix.

use crate::Source;
use miette::{LabeledSpan, NamedSource, SourceSpan};
use std::fmt;
use std::sync::Arc;

/// Everything wrong with a set of KDL files (at least one problem).
///
/// `Display` lists every problem as `file:line:column: message`; as a
/// [`miette::Diagnostic`] each problem is a related diagnostic with its
/// source snippet, labels and help.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub struct LoadError {
    #[related]
    pub problems: Vec<Problem>,
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.len() {
            1 => write!(f, "the schema files have 1 error:")?,
            n => write!(f, "the schema files have {n} errors:")?,
        }
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

/// One problem at one place.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("{location}: {message}")]
pub struct Problem {
    /// `file:line:column` of the first label (or just the file).
    pub location: String,
    pub message: String,
    #[source_code]
    source_code: Option<NamedSource<Arc<String>>>,
    #[label(collection)]
    labels: Vec<LabeledSpan>,
    #[help]
    pub help: Option<String>,
    /// Places in other files that take part (e.g. the first definition of a
    /// duplicate declared in another file).
    #[related]
    related: Vec<Problem>,
}

impl Problem {
    /// A problem that has no place in a file (e.g. an unreadable directory).
    pub fn without_source(location: String, message: String, help: Option<String>) -> Self {
        Problem {
            location,
            message,
            source_code: None,
            labels: Vec::new(),
            help,
            related: Vec::new(),
        }
    }
}

/// A place in one of the loaded files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Loc {
    pub file: usize,
    pub span: SourceSpan,
}

impl Loc {
    pub fn new(file: usize, span: SourceSpan) -> Self {
        Loc { file, span }
    }
}

/// A problem before it is rendered against its sources.
#[derive(Clone, Debug)]
pub struct Diag {
    pub at: Loc,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
    /// Secondary places, each with its own label.
    pub also: Vec<(Loc, String)>,
}

impl Diag {
    pub fn new(at: Loc, message: impl Into<String>, label: impl Into<String>) -> Self {
        Diag {
            at,
            message: message.into(),
            label: label.into(),
            help: None,
            also: Vec::new(),
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn also(mut self, at: Loc, label: impl Into<String>) -> Self {
        self.also.push((at, label.into()));
        self
    }
}

/// Collects problems while loading.
#[derive(Default, Debug)]
pub struct Sink {
    pub diags: Vec<Diag>,
}

impl Sink {
    pub fn push(&mut self, d: Diag) {
        self.diags.push(d);
    }

    pub fn is_empty(&self) -> bool {
        self.diags.is_empty()
    }

    /// Renders the problems against their sources, in file and position order.
    pub fn into_error(mut self, sources: &[Source]) -> LoadError {
        self.diags.sort_by(|a, b| {
            (a.at.file, a.at.span.offset(), &a.message).cmp(&(
                b.at.file,
                b.at.span.offset(),
                &b.message,
            ))
        });
        self.diags
            .dedup_by(|a, b| a.at == b.at && a.message == b.message);
        let texts: Vec<Arc<String>> = sources.iter().map(|s| Arc::new(s.text.clone())).collect();
        let problems = self
            .diags
            .into_iter()
            .map(|d| render(d, sources, &texts))
            .collect();
        LoadError { problems }
    }
}

fn render(d: Diag, sources: &[Source], texts: &[Arc<String>]) -> Problem {
    let named = |file: usize| {
        NamedSource::new(
            sources[file].path.display().to_string(),
            texts[file].clone(),
        )
    };
    let mut labels = vec![LabeledSpan::new_primary_with_span(Some(d.label), d.at.span)];
    let mut related = Vec::new();
    for (at, label) in d.also {
        if at.file == d.at.file {
            labels.push(LabeledSpan::new_with_span(Some(label), at.span));
        } else {
            related.push(Problem {
                location: location(&sources[at.file], at.span),
                message: label.clone(),
                source_code: Some(named(at.file)),
                labels: vec![LabeledSpan::new_primary_with_span(Some(label), at.span)],
                help: None,
                related: Vec::new(),
            });
        }
    }
    Problem {
        location: location(&sources[d.at.file], d.at.span),
        message: d.message,
        source_code: Some(named(d.at.file)),
        labels,
        help: d.help,
        related,
    }
}

/// `path:line:column` of a span's start.
pub fn location(source: &Source, span: SourceSpan) -> String {
    let (line, column) = source.line_col(span.offset());
    format!("{}:{line}:{column}", source.path.display())
}

/// The known name closest to `written`, if any is close enough to be a
/// plausible typo.
pub fn closest<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let written = written.to_lowercase();
    known
        .into_iter()
        .map(|k| (strsim::damerau_levenshtein(&written, k), k))
        .filter(|(d, k)| {
            *d <= (k.len().max(written.len()) / 3).max(1)
                || k.starts_with(&written)
                || written.starts_with(*k)
        })
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// "did you mean `x`?" or nothing.
pub fn did_you_mean<'a>(written: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(written, known).map(|k| format!("did you mean `{k}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(
            closest("colum", ["column", "comment", "check"]),
            Some("column")
        );
        assert_eq!(
            closest("primary_key", ["primary-key", "unique"]),
            Some("primary-key")
        );
        assert_eq!(closest("zzz", ["column", "comment"]), None);
    }

    #[test]
    fn problems_sort_by_file_and_position() {
        let sources = vec![Source::new("a.kdl", "x\ny"), Source::new("b.kdl", "z")];
        let mut sink = Sink::default();
        sink.push(Diag::new(Loc::new(1, (0, 1).into()), "third", "here"));
        sink.push(Diag::new(Loc::new(0, (2, 1).into()), "second", "here"));
        sink.push(Diag::new(Loc::new(0, (0, 1).into()), "first", "here"));
        let err = sink.into_error(&sources);
        let text = err.to_string();
        assert_eq!(
            text,
            "the schema files have 3 errors:\n  a.kdl:1:1: first\n  a.kdl:2:1: second\n  b.kdl:1:1: third"
        );
    }
}
