//! cargo-leptos reads Cargo.toml's [package.metadata.leptos]; the server reads Leptos.toml. They must agree.

fn leptos_section(text: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = text
        .lines()
        .skip_while(|l| l.trim() != "[package.metadata.leptos]")
        .skip(1)
        .take_while(|l| !l.starts_with('['))
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn leptos_toml_matches_cargo_metadata() {
    let cargo = leptos_section(include_str!("../Cargo.toml"));
    let leptos = leptos_section(include_str!("../Leptos.toml"));
    assert!(cargo.iter().any(|(k, _)| k == "site-addr"));
    assert_eq!(cargo, leptos);
}
