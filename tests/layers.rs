//! The layering rule, checked on the source: every `crate::…` path (and every file-level `use super::…`)
//! is resolved to the file it names; a file may name files of its own layer or below, never above,
//! and files never form an import loop. Naming a parent module's file (`use super::Type` in a child, a
//! parent re-exporting its children) is how Rust modules are built, not a loop, and is not counted.
//!
//! `LAYERS_SRC=/elsewhere/src cargo test --test layers -- --nocapture` reports on another tree (how the
//! figures before a refactor were counted) without failing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level modules by layer, lowest first. A module missing here fails the test: place it.
const LAYERS: [(&str, &[&str]); 5] = [
    ("foundation", &["domain", "strings", "i18n", "events", "geo", "labels", "config"]),
    ("data", &["transform", "chart", "theme", "store", "import", "seed"]),
    ("services", &["explore", "markets"]),
    ("web", &["app", "pages", "components", "routes", "api", "admin", "embed"]),
    ("server", &["server", "cli", "main", "lib"]),
];

fn layer_of(top: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, mods)| mods.contains(&top))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/explore/rank.rs` → ["explore", "rank"]; `src/explore/mod.rs` → ["explore"]; `src/lib.rs` → [].
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

/// The deepest file that a module path (possibly followed by item names) lands in.
fn resolve(src: &Path, path: &[String]) -> Option<PathBuf> {
    for n in (1..=path.len()).rev() {
        let base = src.join(path[..n].join("/"));
        for candidate in [base.with_extension("rs"), base.join("mod.rs")] {
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// The module paths a line names: `crate::a::b…` anywhere, `super::…` in a file-level `use`.
fn named_paths(line: &str, own: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let ident = |s: &str| -> Vec<String> {
        s.split("::")
            .map(|seg| {
                seg.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect::<String>()
            })
            .take_while(|seg| !seg.is_empty())
            .collect()
    };
    let mut rest = line;
    while let Some(i) = rest.find("crate::") {
        let before = rest[..i].chars().last();
        rest = &rest[i + "crate::".len()..];
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue; // `tradewinds_crate::` and the like
        }
        found.push(ident(rest));
    }
    let trimmed = line.trim_start_matches("pub ");
    if let Some(after) = trimmed.strip_prefix("use super::") {
        let mut path = own.to_vec();
        path.pop();
        path.extend(ident(after));
        found.push(path);
    }
    found
}

struct Report {
    upward: Vec<String>,
    unplaced: BTreeSet<String>,
    loops: Vec<Vec<String>>,
    files: usize,
}

fn analyse(src: &Path) -> Report {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    files.sort();
    let name = |f: &Path| f.strip_prefix(src).unwrap().display().to_string();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut upward = Vec::new();
    let mut unplaced = BTreeSet::new();
    for file in &files {
        let own = module_path(src, file);
        let top = own.first().cloned().unwrap_or_else(|| {
            file.file_stem().unwrap().to_string_lossy().into_owned()
        });
        let text = std::fs::read_to_string(file).unwrap();
        for line in text.lines() {
            let code = line.split("//").next().unwrap_or("");
            for path in named_paths(code, &own) {
                let Some(target) = resolve(src, &path) else {
                    continue;
                };
                if target == *file {
                    continue;
                }
                let target_path = module_path(src, &target);
                // A parent's own file: the module structure, not an import between jobs.
                if own.starts_with(&target_path) {
                    continue;
                }
                let target_top = target_path.first().cloned().unwrap_or_default();
                match (layer_of(&top), layer_of(&target_top)) {
                    (Some(a), Some(b)) if b > a => upward.push(format!(
                        "{} ({}) → {} ({})",
                        name(file),
                        LAYERS[a].0,
                        name(&target),
                        LAYERS[b].0
                    )),
                    (None, _) => {
                        unplaced.insert(top.clone());
                    }
                    (_, None) => {
                        unplaced.insert(target_top.clone());
                    }
                    _ => {}
                }
                edges.entry(name(file)).or_default().insert(name(&target));
            }
        }
    }
    Report {
        upward,
        unplaced,
        loops: strongly_connected(&edges),
        files: files.len(),
    }
}

/// Tarjan's algorithm: the groups of files that reach each other (loops), largest first.
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(targets) = s.edges.get(v) {
            for w in targets {
                let w = w.as_str();
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let low = s.low[v].min(s.low[w]);
                    s.low.insert(v, low);
                } else if s.on_stack.contains(w) {
                    let low = s.low[v].min(s.index[w]);
                    s.low.insert(v, low);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if group.len() > 1 {
                group.sort();
                s.groups.push(group);
            }
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v.as_str());
        }
    }
    s.groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    s.groups
}

#[test]
fn layers_point_down_and_files_never_loop() {
    let elsewhere = std::env::var("LAYERS_SRC").ok();
    let src = PathBuf::from(elsewhere.clone().unwrap_or_else(|| "src".into()));
    let r = analyse(&src);
    println!("{} files in {}", r.files, src.display());
    println!("{} upward imports:", r.upward.len());
    for u in &r.upward {
        println!("  {u}");
    }
    println!("{} import loops:", r.loops.len());
    for l in &r.loops {
        println!("  {} files: {}", l.len(), l.join(", "));
    }
    if elsewhere.is_some() {
        return;
    }
    assert!(r.unplaced.is_empty(), "modules without a layer in LAYERS: {:?}", r.unplaced);
    assert!(r.upward.is_empty(), "imports that point up: {:#?}", r.upward);
    assert!(r.loops.is_empty(), "import loops: {:#?}", r.loops);
}

#[test]
fn the_checker_sees_loops_and_upward_imports() {
    // A made-up tree: a chart file naming a page, and two pages naming each other.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    for (file, text) in [
        ("lib.rs", "pub mod chart;\npub mod pages;\n"),
        ("chart/mod.rs", "pub mod draw;\n"),
        ("chart/draw.rs", "use crate::pages::home::Home;\nuse super::Spec;\n"),
        ("pages/mod.rs", "pub mod home;\npub mod explore;\n"),
        ("pages/home.rs", "fn f() { crate::pages::explore::g() }\n"),
        ("pages/explore.rs", "use super::home::Home; // crate::chart is only a comment\n"),
    ] {
        let path = src.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let r = analyse(src);
    assert_eq!(r.upward, ["chart/draw.rs (data) → pages/home.rs (web)"]);
    assert_eq!(r.loops, [vec!["pages/explore.rs".to_string(), "pages/home.rs".to_string()]]);
}
