use super::*;

const DOCS: &str = "docs/limits.md";
const START: &str = "<!-- limits table: rendered from crates/core/src/limits.rs -->\n";
const END: &str = "<!-- end of limits table -->";

#[test]
fn docs_show_the_table_as_it_is() {
    let page = std::fs::read_to_string(crate::repo_path(DOCS)).expect("docs/limits.md exists");
    let (before, rest) = page
        .split_once(START)
        .expect("the page marks the table's start");
    let (shown, after) = rest
        .split_once(END)
        .expect("the page marks the table's end");
    let table = markdown_table();
    if shown != table && std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(
            crate::repo_path(DOCS),
            format!("{before}{START}{table}{END}{after}"),
        )
        .unwrap();
        return;
    }
    assert_eq!(
        shown, table,
        "docs/limits.md is stale: run `UPDATE_DOCS=1 cargo test -p serverless-canary-core`"
    );
}

/// A row names a test that exists.
#[test]
fn every_row_names_its_test() {
    for limit in ALL {
        let (file, name) = limit.test.split_once("::").unwrap_or((limit.test, ""));
        let text = std::fs::read_to_string(crate::repo_path(file))
            .unwrap_or_else(|_| panic!("{}: no file {file}", limit.what));
        let found = match file.rsplit('.').next() {
            Some("rs") => text.contains(&format!("fn {name}(")),
            // A fixture of fixtures/invalid/: a line it must print names the limit, with the
            // code that enforces it.
            Some("yml") => text.lines().any(|line| {
                let code = match limit.enforced {
                    Enforced::Diagnostic(code) => format!("[{code}]"),
                    Enforced::ByConstruction(_) => String::new(),
                };
                line.starts_with("# expect: ")
                    && line.contains(&limit.value.to_string())
                    && line.contains(&code)
            }),
            _ => !name.is_empty() && text.contains(name),
        };
        assert!(
            found,
            "{}: {file} has no test `{name}` naming it",
            limit.what
        );
    }
}

#[test]
fn a_logical_id_of_255_characters_passes_and_256_do_not() {
    let mut diagnostics = Diagnostics::default();
    check_logical_id(&"A".repeat(255), "functions.a", &mut diagnostics);
    assert!(diagnostics.is_empty());
    check_logical_id(&"A".repeat(256), "functions.a", &mut diagnostics);
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(
        diagnostics.iter().next().unwrap().code.as_str(),
        "logical-id-too-long"
    );
    // Characters, not bytes, and a message cut between characters.
    check_logical_id(&"é".repeat(200), "functions.é", &mut diagnostics);
    assert_eq!(diagnostics.len(), 1);
    check_logical_id(&"é".repeat(300), "functions.é", &mut diagnostics);
    assert!(diagnostics.into_vec()[1].message.contains(&format!(
        "{}...{}",
        "é".repeat(60),
        "é".repeat(10)
    )));
}
