//! Loading never panics, whatever the input: every prefix of a realistic
//! file, every file with one line removed, and a few hundred seeded random
//! mutations. Failures must come back as a non-empty `LoadError`.

use schema::Source;
use schema::lang::load_sources;

const REALISTIC: &str = include_str!("fixtures/realistic/core.kdl");
const SEASONS: &str = include_str!("fixtures/realistic/seasons.kdl");

fn load(text: &str) {
    let sources = [
        Source::new("schema/core.kdl", text),
        Source::new("schema/seasons.kdl", SEASONS),
    ];
    if let Err(e) = load_sources(&sources) {
        assert!(
            !e.problems.is_empty(),
            "an error without problems for:\n{text}"
        );
        // Rendering must not panic either, plain or graphical.
        let _ = e.to_string();
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .render_report(&mut out, &e)
            .unwrap();
    }
}

#[test]
fn every_prefix_loads_or_errors() {
    let mut count = 0;
    for (i, _) in REALISTIC.char_indices() {
        load(&REALISTIC[..i]);
        count += 1;
    }
    assert!(count > 500, "only {count} prefixes");
}

#[test]
fn every_line_removed_loads_or_errors() {
    let lines: Vec<&str> = REALISTIC.lines().collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        load(&text.join("\n"));
    }
}

#[test]
fn random_mutations_load_or_error() {
    const PIECES: &[&str] = &[
        "{",
        "}",
        "\"",
        ";",
        "=",
        "#true",
        "#null",
        "true",
        "-",
        "(",
        ")",
        "é",
        "\\",
        "column",
        "table",
        "index",
        "references",
        "primary-key",
        "\n",
        " ",
        "\"\"",
        "\"\\\"X\\\"\"",
        "#\"",
        "/*",
        "//",
        "0x",
        "1e",
        ".",
    ];
    // A fixed-seed LCG: reproducible without a dependency.
    let mut state: u64 = 0x5eed_1234_abcd_0042;
    let mut next = |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n.max(1)
    };
    let bounds: Vec<usize> = REALISTIC
        .char_indices()
        .map(|(i, _)| i)
        .chain([REALISTIC.len()])
        .collect();
    for _ in 0..400 {
        let mut text = REALISTIC.to_string();
        for _ in 0..1 + next(3) {
            let bounds: Vec<usize> = text
                .char_indices()
                .map(|(i, _)| i)
                .chain([text.len()])
                .collect();
            let at = bounds[next(bounds.len())];
            match next(3) {
                0 => text.insert_str(at, PIECES[next(PIECES.len())]),
                1 => {
                    let end = bounds.iter().copied().find(|&b| b > at).unwrap_or(at);
                    text.replace_range(at..end, "");
                }
                _ => {
                    let end = bounds
                        .iter()
                        .copied()
                        .filter(|&b| b > at)
                        .nth(next(8))
                        .unwrap_or(at);
                    text.replace_range(at..end, PIECES[next(PIECES.len())]);
                }
            }
        }
        load(&text);
    }
    assert!(bounds.len() > 100);
}

const SECURITY: &str = include_str!("fixtures/security/app.kdl");

fn load_alone(text: &str) {
    if let Err(e) = load_sources(&[Source::new("schema/app.kdl", text)]) {
        assert!(
            !e.problems.is_empty(),
            "an error without problems for:\n{text}"
        );
        let _ = e.to_string();
    }
}

#[test]
fn security_prefixes_and_removed_lines_load_or_error() {
    for (i, _) in SECURITY.char_indices() {
        load_alone(&SECURITY[..i]);
    }
    let lines: Vec<&str> = SECURITY.lines().collect();
    for skip in 0..lines.len() {
        let text: Vec<&str> = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| *l)
            .collect();
        load_alone(&text.join("\n"));
    }
}
