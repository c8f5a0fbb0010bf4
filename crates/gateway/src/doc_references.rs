//! Code comments and docs cite the wire contract by section
//! ("docs/protocol.md §5.7"); this test keeps every such citation pointing
//! at a section that exists.

use std::path::{Path, PathBuf};

/// Text files of the repository worth scanning: sources, docs, scripts.
fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if path.is_dir() {
            if !matches!(name.as_ref(), "target" | ".git" | ".venv" | "node_modules") {
                files(&path, out);
            }
        } else if [".rs", ".md", ".py", ".sql", ".html", ".toml", ".sh"]
            .iter()
            .any(|ext| name.ends_with(ext))
            || matches!(name.as_ref(), "run" | "test")
        {
            out.push(path);
        }
    }
}

/// The section numbers cited after `docs/protocol.md` (or its Markdown
/// link) in `text`: "§5.7", "§ 3.2".
fn citations(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices("docs/protocol.md") {
        let rest = &text[i + "docs/protocol.md".len()..];
        let rest = rest.strip_prefix(')').unwrap_or(rest).trim_start();
        let Some(rest) = rest.strip_prefix('§') else {
            continue;
        };
        let number: String = rest
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '.')
            .collect();
        let number = number.trim_end_matches('.');
        if !number.is_empty() {
            out.push(number.to_string());
        }
    }
    out
}

#[test]
fn every_cited_protocol_section_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let protocol = std::fs::read_to_string(root.join("docs/protocol.md")).unwrap();
    let headings: Vec<&str> = protocol
        .lines()
        .filter(|l| l.starts_with("## ") || l.starts_with("### "))
        .map(|l| l.trim_start_matches('#').trim())
        .collect();
    let exists = |n: &str| {
        headings
            .iter()
            .any(|h| h.strip_prefix(n).is_some_and(|r| r.starts_with(['.', ' '])))
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    let mut checked = 0;
    for path in all {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for n in citations(&text) {
            assert!(exists(&n), "{} cites docs/protocol.md §{n}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 50, "only {checked} citations found");
}

#[test]
fn citations_are_read_in_every_spelling() {
    assert_eq!(
        citations("see docs/protocol.md §5.7, [docs/protocol.md](docs/protocol.md) §8 and docs/protocol.md § 3.2."),
        ["5.7", "8", "3.2"]
    );
}
