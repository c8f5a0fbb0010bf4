//! The import graph of a crate's top-level modules, read from the `crate::`
//! paths of its sources: what the dependency checks of the gateway
//! (`gateway::architecture`) and the store (`cashier_store::architecture`)
//! build their rules on (ARCHITECTURE.md, "Dependency rules").

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each top-level module of the crate whose sources are in `src` mapped to
/// the top-level modules it names (`crate::x`, also inside
/// `use crate::{x, y::z}`), leaving out comment lines and the inline
/// `#[cfg(test)] mod … { … }` at the end of a file (whatever its name). The files or directories named in `skip`
/// (without `.rs`: the crate root, test-only modules that quote paths) are
/// not read.
pub fn graph(src: &Path, skip: &[&str]) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect(src, &mut files);
    for file in files {
        let rel = file.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str();
        let top = first.to_string_lossy().trim_end_matches(".rs").to_string();
        if skip.contains(&top.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = without_unit_tests(&text);
        let targets = edges.entry(top.clone()).or_default();
        for line in code.lines() {
            let line = line.trim_start();
            if line.starts_with("//") {
                continue;
            }
            for name in names_after_crate(line) {
                if name != top {
                    targets.insert(name);
                }
            }
        }
    }
    edges
}

/// `text` up to its first inline test module, `#[cfg(test)]` above
/// `mod name {` (a declared `mod name;` is kept: its file is read on its
/// own).
fn without_unit_tests(text: &str) -> &str {
    const MARK: &str = "#[cfg(test)]\nmod ";
    let mut from = 0;
    while let Some(i) = text[from..].find(MARK) {
        let at = from + i;
        let head = text[at + MARK.len()..].lines().next().unwrap_or("");
        if head.trim_end().ends_with('{') {
            return &text[..at];
        }
        from = at + MARK.len();
    }
    text
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `crate::payments::x` → `payments`; `crate::{a, b::{c}}` → `a`, `b`.
pub fn names_after_crate(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, _) in line.match_indices("crate::") {
        let rest = &line[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Top-level names of the group: those at brace depth 0.
            let mut depth = 0;
            let mut name = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !name.is_empty() {
                            out.push(std::mem::take(&mut name));
                        }
                        at_start = true;
                    }
                    c if depth == 0 && at_start && (c.is_ascii_alphanumeric() || c == '_') => {
                        name.push(c)
                    }
                    _ if depth == 0 && !name.is_empty() => {
                        out.push(std::mem::take(&mut name));
                        at_start = false;
                    }
                    _ => {}
                }
            }
            if !name.is_empty() {
                out.push(name);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.push(name);
            }
        }
    }
    out
}

/// Every module reachable from `from` (not counting `from` itself unless a
/// circle leads back to it).
pub fn reach(edges: &BTreeMap<String, BTreeSet<String>>, from: &str) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<&str> = edges
        .get(from)
        .into_iter()
        .flatten()
        .map(String::as_str)
        .collect();
    while let Some(m) = todo.pop() {
        if seen.insert(m.to_string()) {
            todo.extend(edges.get(m).into_iter().flatten().map(String::as_str));
        }
    }
    seen
}

/// The modules that sit on an import circle (each reaches itself).
pub fn on_a_circle(edges: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    edges
        .keys()
        .filter(|m| reach(edges, m).contains(*m))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parser_reads_single_and_grouped_paths() {
        assert_eq!(
            names_after_crate("use crate::store::{Payment, Store};"),
            ["store"]
        );
        assert_eq!(
            names_after_crate("use crate::{ids, payments::{self, x}, state::AppState};"),
            ["ids", "payments", "state"]
        );
        assert_eq!(
            names_after_crate("let a = crate::processor::methods::method(c); crate::ids::x()"),
            ["processor", "ids"]
        );
    }

    #[test]
    fn inline_test_modules_are_left_out_and_declared_ones_kept() {
        let text = "use crate::a;\n#[cfg(test)]\nmod b;\nuse crate::c;\n\
                    #[cfg(test)]\nmod checks {\n    use crate::d;\n}\n";
        assert_eq!(
            without_unit_tests(text),
            "use crate::a;\n#[cfg(test)]\nmod b;\nuse crate::c;\n"
        );
    }

    #[test]
    fn a_circle_is_found_and_a_chain_is_not() {
        let edges = |pairs: &[(&str, &str)]| {
            let mut e: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for (a, b) in pairs {
                e.entry(a.to_string()).or_default().insert(b.to_string());
            }
            e
        };
        assert!(on_a_circle(&edges(&[("a", "b"), ("b", "c")])).is_empty());
        assert_eq!(
            on_a_circle(&edges(&[("a", "b"), ("b", "c"), ("c", "b")])),
            BTreeSet::from(["b".to_string(), "c".to_string()])
        );
    }
}
