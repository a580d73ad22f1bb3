//! Writes a plan as new migration and rollback files.
//!
//! File names continue the repository's own numbering:
//! - `NNNN_name.sql` (a sequence of any width other than 14 digits): the next
//!   number, same width;
//! - `YYYYMMDDHHMMSS_name.sql` (14 digits, what `supabase migration new`
//!   writes): the current UTC time, or one second after the last file when
//!   that is later, then one more second per file.
//!
//! An empty (or missing) migrations directory starts with timestamps, like the
//! Supabase CLI. Rollbacks go to the rollbacks directory under the same name.
//! Nothing is ever overwritten: every target is checked before the first
//! write. Destructive (contract) files are held back unless approved
//! (`--allow-destructive`, or every step approved in KDL); a held back file
//! does not use up a number. Every hazard of the files to write must be
//! accepted (`--allow-hazards`), or nothing is written.

use crate::approval::Approvals;
use crate::plan::{Hazard, Plan, PlanFile};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ApplyOptions {
    /// `--name SLUG`: part of every file name (`0005_add_ratings_expand.sql`).
    pub name: Option<String>,
    /// `--allow-destructive`: also write contract files.
    pub allow_destructive: bool,
    /// `approve` nodes of the KDL: a contract file whose every step they
    /// cover is written without `--allow-destructive`.
    pub approvals: Approvals,
    /// `--allow-hazards`: the hazards accepted for the files written.
    pub allowed_hazards: BTreeSet<Hazard>,
    /// Objects the replay marked approximate (`Replayed::approximate`), as
    /// approvals are matched: a table covers what belongs to it.
    pub approximate: Approvals,
    /// `--allow-approximate`: write steps on approximate objects too.
    pub allow_approximate: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Migration,
    Rollback,
}

/// One file `apply` writes (or, with `--dry-run`, would write).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileWrite {
    pub path: PathBuf,
    pub kind: FileKind,
    pub contents: String,
}

/// A destructive plan file that was not written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldBack {
    pub slug: String,
    /// The steps' one-line summaries.
    pub steps: Vec<String>,
    /// The steps no `approve` covers (all of them without approvals).
    pub unapproved: Vec<String>,
}

/// One hazard of the files to write that `--allow-hazards` does not name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unaccepted {
    pub hazard: Hazard,
    /// `(file slug, step summary)` of each step that carries it.
    pub steps: Vec<(String, String)>,
}

/// What `apply` will do: the files to write, in order, and what it holds back.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prepared {
    pub writes: Vec<FileWrite>,
    pub held_back: Vec<HeldBack>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum ApplyError {
    #[error("the plan is incomplete: {}", reasons.join("; "))]
    #[diagnostic(
        code(trr_schema::apply::incomplete),
        help(
            "nothing was written; `trr-schema plan` lists what cannot be planned and what to do instead"
        )
    )]
    Incomplete { reasons: Vec<String> },

    #[error(
        "{} not accepted:{}",
        count_hazards(unaccepted),
        describe_unaccepted(unaccepted)
    )]
    #[diagnostic(
        code(trr_schema::apply::hazards),
        help(
            "nothing was written; review the steps, then rerun with `--allow-hazards {}` (`trr-schema plan` lists every hazard)",
            flag_value(unaccepted)
        )
    )]
    HazardsNotAccepted { unaccepted: Vec<Unaccepted> },

    #[error(
        "{} on objects the replay could only approximate:{}",
        if steps.len() == 1 { "1 step".to_string() } else { format!("{} steps", steps.len()) },
        steps.iter().map(|(file, step)| format!("\n  - {step} ({file})")).collect::<String>()
    )]
    #[diagnostic(
        code(trr_schema::apply::approximate),
        help(
            "nothing was written; the replay did not follow a statement on {} (`trr-schema replay` says which). Make it exact with a shadow checkpoint (`trr-schema replay --shadow-database-url …`), or review the steps and rerun with --allow-approximate",
            objects.join(", ")
        )
    )]
    Approximate {
        /// `(file slug, step summary)`.
        steps: Vec<(String, String)>,
        objects: Vec<String>,
    },

    #[error("--name `{name}` has no letters or digits")]
    #[diagnostic(
        code(trr_schema::apply::name),
        help("use a short slug such as `add_ratings`; it becomes part of each file name")
    )]
    InvalidName { name: String },

    #[error("refusing to overwrite {}", list(paths))]
    #[diagnostic(
        code(trr_schema::apply::exists),
        help("nothing was written; move the existing files away or pick another --name")
    )]
    WouldOverwrite { paths: Vec<PathBuf> },

    #[error("cannot continue the timestamps after {}: `{digits}` is not a date and time", file.display())]
    #[diagnostic(
        code(trr_schema::apply::timestamp),
        help("timestamped migrations are named YYYYMMDDHHMMSS_name.sql (UTC)")
    )]
    BadTimestamp { file: PathBuf, digits: String },

    #[error("cannot {action} {}: {source}", path.display())]
    #[diagnostic(code(trr_schema::apply::io))]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn count_hazards(unaccepted: &[Unaccepted]) -> String {
    match unaccepted.len() {
        1 => "1 hazard".into(),
        n => format!("{n} hazards"),
    }
}

fn describe_unaccepted(unaccepted: &[Unaccepted]) -> String {
    let mut out = String::new();
    for u in unaccepted {
        out.push_str(&format!(
            "\n  {} ({}):",
            u.hazard.code(),
            u.hazard.describe()
        ));
        for (file, step) in &u.steps {
            out.push_str(&format!("\n    - {step} ({file})"));
        }
    }
    out
}

/// The value of `--allow-hazards` that accepts them all.
fn flag_value(unaccepted: &[Unaccepted]) -> String {
    unaccepted
        .iter()
        .map(|u| u.hazard.code())
        .collect::<Vec<_>>()
        .join(",")
}

fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decides the files for `plan` without touching the disk (beyond reading the
/// migrations directory). `now` is the clock for timestamped names.
pub fn prepare(
    plan: &Plan,
    migrations_dir: &Path,
    rollbacks_dir: &Path,
    options: &ApplyOptions,
    now: SystemTime,
) -> Result<Prepared, ApplyError> {
    if !plan.unsupported.is_empty() {
        return Err(ApplyError::Incomplete {
            reasons: plan.unsupported.iter().map(|u| u.reason.clone()).collect(),
        });
    }
    let name = options.name.as_deref().map(slugify).transpose()?;
    // A contract file is written whole or not at all: its steps are
    // ordered among themselves, so writing only the approved ones could
    // drop something before what depends on it.
    let approved = |f: &PlanFile| {
        !options.approvals.is_empty() && f.steps.iter().all(|s| options.approvals.covers(s))
    };
    let (to_write, held): (Vec<&PlanFile>, Vec<&PlanFile>) = plan
        .files
        .iter()
        .filter(|f| !f.steps.is_empty())
        .partition(|f| !f.is_destructive() || options.allow_destructive || approved(f));

    let mut prepared = Prepared {
        writes: Vec::new(),
        held_back: held
            .iter()
            .map(|f| HeldBack {
                slug: f.slug.clone(),
                steps: f.steps.iter().map(|s| s.summary.clone()).collect(),
                unapproved: f
                    .steps
                    .iter()
                    .filter(|s| !options.approvals.covers(s))
                    .map(|s| s.summary.clone())
                    .collect(),
            })
            .collect(),
    };
    if to_write.is_empty() {
        return Ok(prepared);
    }
    check_approximate(&to_write, options)?;
    check_hazards(&to_write, &options.allowed_hazards)?;

    let mut numbering = Numbering::detect(migrations_dir, now)?;
    for file in to_write {
        let prefix = numbering.next();
        let file_name = match &name {
            Some(name) => format!("{prefix}_{name}_{}.sql", file.slug),
            None => format!("{prefix}_{}.sql", file.slug),
        };
        prepared.writes.push(FileWrite {
            path: migrations_dir.join(&file_name),
            kind: FileKind::Migration,
            contents: file.sql.clone(),
        });
        prepared.writes.push(FileWrite {
            path: rollbacks_dir.join(&file_name),
            kind: FileKind::Rollback,
            contents: file.rollback_sql.clone(),
        });
    }

    let existing: Vec<PathBuf> = prepared
        .writes
        .iter()
        .filter(|w| w.path.exists())
        .map(|w| w.path.clone())
        .collect();
    if !existing.is_empty() {
        return Err(ApplyError::WouldOverwrite { paths: existing });
    }
    Ok(prepared)
}

/// Steps on an approximate object are written only with
/// `--allow-approximate`: the plan for them may start from a wrong state.
fn check_approximate(files: &[&PlanFile], options: &ApplyOptions) -> Result<(), ApplyError> {
    if options.allow_approximate || options.approximate.is_empty() {
        return Ok(());
    }
    let steps: Vec<(String, String)> = files
        .iter()
        .flat_map(|f| f.steps.iter().map(move |s| (f, s)))
        .filter(|(_, s)| options.approximate.covers(s))
        .map(|(f, s)| (f.slug.clone(), s.summary.clone()))
        .collect();
    if steps.is_empty() {
        return Ok(());
    }
    Err(ApplyError::Approximate {
        steps,
        objects: options.approximate.objects().cloned().collect(),
    })
}

/// Every hazard of the files to write must be accepted; the error lists
/// the others, each with its steps, sorted by hazard.
fn check_hazards(files: &[&PlanFile], allowed: &BTreeSet<Hazard>) -> Result<(), ApplyError> {
    let mut unaccepted: BTreeMap<Hazard, Vec<(String, String)>> = BTreeMap::new();
    for file in files {
        for step in &file.steps {
            for hazard in step.hazards.iter().filter(|h| !allowed.contains(h)) {
                unaccepted
                    .entry(*hazard)
                    .or_default()
                    .push((file.slug.clone(), step.summary.clone()));
            }
        }
    }
    if unaccepted.is_empty() {
        return Ok(());
    }
    Err(ApplyError::HazardsNotAccepted {
        unaccepted: unaccepted
            .into_iter()
            .map(|(hazard, steps)| Unaccepted { hazard, steps })
            .collect(),
    })
}

/// Writes the prepared files, creating directories as needed. Each file is
/// created exclusively, so a file that appeared since [`prepare`] is still
/// never overwritten.
pub fn write(prepared: &Prepared) -> Result<(), ApplyError> {
    use std::io::Write;
    for w in &prepared.writes {
        if let Some(parent) = w.path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| ApplyError::Io {
                action: "create directory",
                path: parent.to_path_buf(),
                source,
            })?;
        }
        let io = |source| ApplyError::Io {
            action: "write",
            path: w.path.clone(),
            source,
        };
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&w.path)
            .map_err(|source| {
                if source.kind() == std::io::ErrorKind::AlreadyExists {
                    ApplyError::WouldOverwrite {
                        paths: vec![w.path.clone()],
                    }
                } else {
                    io(source)
                }
            })?;
        file.write_all(w.contents.as_bytes()).map_err(io)?;
    }
    Ok(())
}

/// `Add ratings!` → `add_ratings`.
fn slugify(name: &str) -> Result<String, ApplyError> {
    let mut slug = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('_') {
            slug.push('_');
        }
    }
    let slug = slug.trim_end_matches('_').to_string();
    if slug.is_empty() {
        return Err(ApplyError::InvalidName {
            name: name.to_string(),
        });
    }
    Ok(slug)
}

const TIMESTAMP_DIGITS: usize = 14;

#[derive(Debug, PartialEq, Eq)]
enum Numbering {
    Sequence {
        next: u64,
        width: usize,
    },
    /// Seconds since the Unix epoch, UTC.
    Timestamp {
        next: i64,
    },
}

impl Numbering {
    /// Reads the migration file names; the last numbered one sets the style.
    fn detect(dir: &Path, now: SystemTime) -> Result<Numbering, ApplyError> {
        let mut names: Vec<String> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".sql"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(source) => {
                return Err(ApplyError::Io {
                    action: "read",
                    path: dir.to_path_buf(),
                    source,
                });
            }
        };
        names.sort();
        let now = now
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let numbered: Vec<&str> = names.iter().filter_map(|n| numeric_prefix(n)).collect();
        match numbered.last() {
            None => Ok(Numbering::Timestamp { next: now }),
            Some(last) if last.len() == TIMESTAMP_DIGITS => {
                let file = dir.join(names.iter().rfind(|n| n.starts_with(last)).expect("named"));
                let last_secs = parse_timestamp(last).ok_or_else(|| ApplyError::BadTimestamp {
                    file,
                    digits: last.to_string(),
                })?;
                Ok(Numbering::Timestamp {
                    next: now.max(last_secs + 1),
                })
            }
            Some(last) => {
                let max = numbered
                    .iter()
                    .filter(|p| p.len() != TIMESTAMP_DIGITS)
                    .filter_map(|p| p.parse::<u64>().ok())
                    .max()
                    .unwrap_or(0);
                Ok(Numbering::Sequence {
                    next: max + 1,
                    width: last.len(),
                })
            }
        }
    }

    fn next(&mut self) -> String {
        match self {
            Numbering::Sequence { next, width } => {
                let prefix = format!("{:0width$}", next, width = *width);
                *next += 1;
                prefix
            }
            Numbering::Timestamp { next } => {
                let prefix = format_timestamp(*next);
                *next += 1;
                prefix
            }
        }
    }
}

/// The digits before the first `_` of `0003_shows.sql`, if all digits.
fn numeric_prefix(name: &str) -> Option<&str> {
    let (prefix, _) = name.split_once('_')?;
    (!prefix.is_empty() && prefix.len() <= 20 && prefix.bytes().all(|b| b.is_ascii_digit()))
        .then_some(prefix)
}

fn format_timestamp(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}{m:02}{d:02}{:02}{:02}{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn parse_timestamp(digits: &str) -> Option<i64> {
    let part = |r: std::ops::Range<usize>| digits.get(r)?.parse::<i64>().ok();
    let (y, m, d) = (part(0..4)?, part(4..6)?, part(6..8)?);
    let (hh, mm, ss) = (part(8..10)?, part(10..12)?, part(12..14)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let secs = days_from_civil(y, m, d) * 86_400 + hh * 3600 + mm * 60 + ss;
    // Rejects days past the end of their month (20240231…).
    (format_timestamp(secs) == digits).then_some(secs)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Action, ObjectKind, ObjectRef, Phase, Rollback, Step, Unsupported};
    use std::time::Duration;

    fn file(slug: &str, phase: Phase) -> PlanFile {
        PlanFile {
            slug: slug.into(),
            phase,
            transactional: true,
            sql: format!("-- {slug}\n"),
            rollback_sql: format!("-- undo {slug}\n"),
            steps: vec![Step {
                object: ObjectRef {
                    kind: ObjectKind::Table,
                    name: "core.t".into(),
                },
                action: Action::Create,
                summary: format!("{slug} step"),
                sql: "select 1;".into(),
                rollback: Rollback::Sql {
                    sql: "select 2;".into(),
                },
                hazards: vec![],
                access: vec![],
            }],
            backfills: Vec::new(),
        }
    }

    fn plan() -> Plan {
        Plan {
            files: vec![
                file("expand", Phase::Expand),
                file("expand_indexes", Phase::Expand),
                file("contract", Phase::Contract),
            ],
            unsupported: vec![],
        }
    }

    /// 2026-11-25 17:40:00 UTC.
    fn now() -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_795_628_400)
    }

    fn repo(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
        for f in files {
            std::fs::write(dir.path().join("migrations").join(f), "select 1;\n").unwrap();
        }
        dir
    }

    fn names(dir: &Path, options: &ApplyOptions) -> Vec<String> {
        let prepared = prepare(
            &plan(),
            &dir.join("migrations"),
            &dir.join("rollbacks"),
            options,
            now(),
        )
        .unwrap();
        prepared
            .writes
            .iter()
            .map(|w| w.path.strip_prefix(dir).unwrap().display().to_string())
            .collect()
    }

    #[test]
    fn clock_is_utc() {
        assert_eq!(format_timestamp(1_795_628_400), "20261125174000");
        assert_eq!(parse_timestamp("20261125174000"), Some(1_795_628_400));
        assert_eq!(format_timestamp(0), "19700101000000");
        assert_eq!(
            parse_timestamp("20240229235959")
                .map(format_timestamp)
                .unwrap(),
            "20240229235959"
        );
        assert_eq!(parse_timestamp("20230229000000"), None);
        assert_eq!(parse_timestamp("20241301000000"), None);
        assert_eq!(parse_timestamp("2024010100000x"), None);
    }

    #[test]
    fn continues_four_digit_sequence() {
        let dir = repo(&[
            "0001_init.sql",
            "0002_shows.sql",
            "0010_people.sql",
            "README.md",
        ]);
        let options = ApplyOptions {
            name: Some("Add ratings!".into()),
            ..ApplyOptions::default()
        };
        assert_eq!(
            names(dir.path(), &options),
            [
                "migrations/0011_add_ratings_expand.sql",
                "rollbacks/0011_add_ratings_expand.sql",
                "migrations/0012_add_ratings_expand_indexes.sql",
                "rollbacks/0012_add_ratings_expand_indexes.sql",
            ]
        );
    }

    #[test]
    fn timestamps_are_now_or_after_the_last() {
        let dir = repo(&["20240101000000_init.sql"]);
        assert_eq!(
            names(dir.path(), &ApplyOptions::default()),
            [
                "migrations/20261125174000_expand.sql",
                "rollbacks/20261125174000_expand.sql",
                "migrations/20261125174001_expand_indexes.sql",
                "rollbacks/20261125174001_expand_indexes.sql",
            ]
        );
        // A last file "from the future" (or from a clock ahead of ours).
        let dir = repo(&["20261231235959_later.sql"]);
        let got = names(dir.path(), &ApplyOptions::default());
        assert_eq!(got[0], "migrations/20270101000000_expand.sql");
        assert_eq!(got[2], "migrations/20270101000001_expand_indexes.sql");
    }

    #[test]
    fn empty_or_missing_dir_uses_timestamps() {
        let dir = repo(&[]);
        assert_eq!(
            names(dir.path(), &ApplyOptions::default())[0],
            "migrations/20261125174000_expand.sql"
        );
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            names(dir.path(), &ApplyOptions::default())[0],
            "migrations/20261125174000_expand.sql"
        );
    }

    #[test]
    fn destructive_files_need_approval() {
        let dir = repo(&["0001_init.sql"]);
        let (migrations, rollbacks) = (dir.path().join("migrations"), dir.path().join("rollbacks"));
        let held = prepare(
            &plan(),
            &migrations,
            &rollbacks,
            &ApplyOptions::default(),
            now(),
        )
        .unwrap();
        assert_eq!(held.writes.len(), 4);
        assert_eq!(
            held.held_back,
            [HeldBack {
                slug: "contract".into(),
                steps: vec!["contract step".into()],
                unapproved: vec!["contract step".into()],
            }]
        );
        let options = ApplyOptions {
            allow_destructive: true,
            ..ApplyOptions::default()
        };
        let all = prepare(&plan(), &migrations, &rollbacks, &options, now()).unwrap();
        assert!(all.held_back.is_empty());
        assert_eq!(all.writes[4].path, migrations.join("0004_contract.sql"));
        assert_eq!(all.writes[4].contents, "-- contract\n");
        assert_eq!(all.writes[5].path, rollbacks.join("0004_contract.sql"));
        assert_eq!(all.writes[5].contents, "-- undo contract\n");
        assert_eq!(all.writes[5].kind, FileKind::Rollback);
    }

    #[test]
    fn contract_approved_in_kdl_is_written_whole_or_not_at_all() {
        let dir = repo(&["0001_init.sql"]);
        let (migrations, rollbacks) = (dir.path().join("migrations"), dir.path().join("rollbacks"));
        let mut plan = plan();
        let mut second = plan.files[2].steps[0].clone();
        second.object.name = "core.u".into();
        second.summary = "drop core.u".into();
        plan.files[2].steps.push(second);
        let with = |names: &[&str]| ApplyOptions {
            approvals: Approvals::new(
                names.iter().map(|n| n.to_string()).collect(),
                &schema::Catalog::default(),
            ),
            ..ApplyOptions::default()
        };
        let partial = prepare(&plan, &migrations, &rollbacks, &with(&["core.t"]), now()).unwrap();
        assert_eq!(partial.writes.len(), 4);
        assert_eq!(partial.held_back[0].unapproved, ["drop core.u"]);
        let all = prepare(
            &plan,
            &migrations,
            &rollbacks,
            &with(&["core.t", "core.u"]),
            now(),
        )
        .unwrap();
        assert!(all.held_back.is_empty());
        assert_eq!(all.writes[4].path, migrations.join("0004_contract.sql"));
    }

    #[test]
    fn unaccepted_hazards_write_nothing() {
        let dir = repo(&["0001_init.sql"]);
        let (migrations, rollbacks) = (dir.path().join("migrations"), dir.path().join("rollbacks"));
        let mut plan = plan();
        plan.files[0].steps[0].hazards = vec![Hazard::AccessExclusiveLock, Hazard::RewritesTable];
        plan.files[1].steps[0].hazards = vec![Hazard::BuildsIndex];
        // Held back contract files do not count.
        plan.files[2].steps[0].hazards = vec![Hazard::DeletesData];
        let error = prepare(
            &plan,
            &migrations,
            &rollbacks,
            &ApplyOptions {
                allowed_hazards: [Hazard::RewritesTable].into(),
                ..ApplyOptions::default()
            },
            now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "2 hazards not accepted:\n  access_exclusive_lock (takes an ACCESS EXCLUSIVE lock):\n    - expand step (expand)\n  builds_index (builds an index):\n    - expand_indexes step (expand_indexes)"
        );
        let help = miette::Diagnostic::help(&error).unwrap().to_string();
        assert!(
            help.contains("--allow-hazards access_exclusive_lock,builds_index"),
            "{help}"
        );
        let accepted = ApplyOptions {
            allowed_hazards: [
                Hazard::AccessExclusiveLock,
                Hazard::RewritesTable,
                Hazard::BuildsIndex,
            ]
            .into(),
            ..ApplyOptions::default()
        };
        let ok = prepare(&plan, &migrations, &rollbacks, &accepted, now()).unwrap();
        assert_eq!(ok.writes.len(), 4);
        // Once the contract is written, its hazards count too.
        let destructive = ApplyOptions {
            allow_destructive: true,
            ..accepted
        };
        let error = prepare(&plan, &migrations, &rollbacks, &destructive, now()).unwrap_err();
        assert!(error.to_string().contains("deletes_data"), "{error}");
    }

    #[test]
    fn hazard_codes_round_trip() {
        for h in Hazard::ALL {
            assert_eq!(Hazard::from_code(h.code()), Some(h));
            assert_eq!(
                serde_json::to_value(h).unwrap(),
                serde_json::Value::String(h.code().into())
            );
        }
        assert_eq!(
            Hazard::from_code(" Builds-Index"),
            Some(Hazard::BuildsIndex)
        );
        assert_eq!(Hazard::from_code("all"), None);
    }

    #[test]
    fn writes_files_and_never_overwrites() {
        let dir = repo(&["0001_init.sql"]);
        let (migrations, rollbacks) = (dir.path().join("migrations"), dir.path().join("rollbacks"));
        let prepared = prepare(
            &plan(),
            &migrations,
            &rollbacks,
            &ApplyOptions::default(),
            now(),
        )
        .unwrap();
        write(&prepared).unwrap();
        assert_eq!(
            std::fs::read_to_string(migrations.join("0002_expand.sql")).unwrap(),
            "-- expand\n"
        );
        assert_eq!(
            std::fs::read_to_string(rollbacks.join("0003_expand_indexes.sql")).unwrap(),
            "-- undo expand_indexes\n"
        );
        // Writing the same prepared files again fails on the first one and changes nothing.
        let again = write(&prepared).unwrap_err();
        assert!(
            matches!(again, ApplyError::WouldOverwrite { .. }),
            "{again}"
        );
        assert_eq!(
            std::fs::read_to_string(migrations.join("0002_expand.sql")).unwrap(),
            "-- expand\n"
        );

        // A rollback left behind blocks the whole apply before anything is written.
        let dir = repo(&["0001_init.sql"]);
        let (migrations, rollbacks) = (dir.path().join("migrations"), dir.path().join("rollbacks"));
        std::fs::create_dir_all(&rollbacks).unwrap();
        std::fs::write(rollbacks.join("0003_expand_indexes.sql"), "keep me").unwrap();
        let error = prepare(
            &plan(),
            &migrations,
            &rollbacks,
            &ApplyOptions::default(),
            now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            format!(
                "refusing to overwrite {}",
                rollbacks.join("0003_expand_indexes.sql").display()
            )
        );
        assert!(!migrations.join("0002_expand.sql").exists());
    }

    #[test]
    fn bad_names() {
        assert_eq!(slugify("  add-ratings v2 ").unwrap(), "add_ratings_v2");
        assert!(matches!(slugify("--"), Err(ApplyError::InvalidName { .. })));
        let dir = repo(&["20249999000000_bad.sql"]);
        let error = prepare(
            &plan(),
            &dir.path().join("migrations"),
            &dir.path().join("r"),
            &ApplyOptions::default(),
            now(),
        )
        .unwrap_err();
        assert!(
            error.to_string().contains("20249999000000_bad.sql"),
            "{error}"
        );
    }

    #[test]
    fn incomplete_plan_is_refused() {
        let dir = repo(&["0001_init.sql"]);
        let mut plan = plan();
        plan.unsupported.push(Unsupported {
            object: ObjectRef {
                kind: ObjectKind::Enum,
                name: "core.cast_role".into(),
            },
            reason: "enum core.cast_role loses a label".into(),
        });
        let error = prepare(
            &plan,
            &dir.path().join("migrations"),
            &dir.path().join("rollbacks"),
            &ApplyOptions::default(),
            now(),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the plan is incomplete: enum core.cast_role loses a label"
        );
    }

    #[test]
    fn empty_plan_writes_nothing() {
        let dir = repo(&["0001_init.sql"]);
        let prepared = prepare(
            &Plan::default(),
            &dir.path().join("migrations"),
            &dir.path().join("r"),
            &ApplyOptions::default(),
            now(),
        )
        .unwrap();
        assert_eq!(prepared, Prepared::default());
    }
}
