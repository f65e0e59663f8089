//! Every input the fuzzers found harmful (`tests/fixtures/fuzz/<target>/`, one file each, named for what
//! it broke), replayed through the very checks the fuzz targets run (`fuzz/src/lib.rs`, included here):
//! so what was fixed stays fixed without a nightly toolchain. `scripts/fuzz.sh` runs the targets.
#![cfg(feature = "ssr")]

#[path = "../fuzz/src/lib.rs"]
mod checks;

use std::path::Path;

/// Runs `check` on each file of the target's fixtures; how many there were.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let dir = Path::new("tests/fixtures/fuzz").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return 0;
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        // Named before it runs: a panic below is this file's.
        eprintln!("replaying {}", file.display());
        check(&bytes);
    }
    files.len()
}

#[test]
fn inputs_the_fuzzers_found_are_handled() {
    let targets: [(&str, fn(&[u8])); 5] = [
        ("import_file", checks::import_file),
        ("workbook", checks::workbook),
        ("explore_query", checks::explore_query),
        ("finder_ranking_query", checks::finder_ranking_query),
        ("embed_image_query", checks::embed_image_query),
    ];
    for dir in std::fs::read_dir("tests/fixtures/fuzz").unwrap() {
        let name = dir.unwrap().file_name().to_string_lossy().to_string();
        assert!(targets.iter().any(|(t, _)| *t == name), "no fuzz target '{name}' for tests/fixtures/fuzz/{name}");
    }
    let replayed: usize = targets.iter().map(|(t, check)| replay(t, *check)).sum();
    assert!(replayed > 0, "the fixtures are in tests/fixtures/fuzz/");
}
