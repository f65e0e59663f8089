//! README's "What is where" table matches the tree: every path it names exists, and every file under
//! `src/` is named (itself or through a folder it lies in).

use std::path::{Path, PathBuf};

fn table_paths(readme: &str) -> Vec<String> {
    let section = readme
        .split("## What is where")
        .nth(1)
        .expect("a \"What is where\" section")
        .split("\n## ")
        .next()
        .unwrap();
    section
        .lines()
        .filter(|l| l.starts_with("| `"))
        .flat_map(|l| {
            let first_cell = l.trim_start_matches('|').split('|').next().unwrap_or("");
            first_cell
                .split('`')
                .skip(1)
                .step_by(2)
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect()
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn what_is_where_matches_the_tree() {
    let readme = std::fs::read_to_string("README.md").unwrap();
    let named = table_paths(&readme);
    assert!(named.len() > 10, "the table names paths: {named:?}");
    for path in &named {
        assert!(Path::new(path).exists(), "README names {path}, which does not exist");
    }
    let mut src = Vec::new();
    files(Path::new("src"), &mut src);
    for file in src {
        let file = file.to_string_lossy().replace('\\', "/");
        let covered = named.iter().any(|n| {
            *n == file || (n.ends_with('/') && file.starts_with(n.as_str()))
        });
        assert!(covered, "{file} is not in README's \"What is where\" table");
    }
}
