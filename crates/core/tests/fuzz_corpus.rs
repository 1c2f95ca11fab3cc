//! The fuzz corpus, replayed without the fuzzer: every stored input of each target goes
//! through the target's check (`fuzz_checks`). The corpus holds the inputs that reached new
//! code, crashes fixed included, so a regression on any of them fails `cargo test`.

use std::collections::BTreeMap;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serverless_canary_core::fuzz_checks;

/// What a fuzz target checks of one input.
type Check = fn(&[u8]);

/// `corpus/<target>/<input>` -> its bytes, from the packed corpus.
fn corpus() -> BTreeMap<String, Vec<(String, Vec<u8>)>> {
    let packed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus.tar.xz");
    let mut xz = std::io::BufReader::new(std::fs::File::open(&packed).expect("fuzz/corpus.tar.xz"));
    let mut tar = Vec::new();
    lzma_rs::xz_decompress(&mut xz, &mut tar).expect("an xz archive");
    let mut archive = tar::Archive::new(tar.as_slice());
    let mut targets: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    for entry in archive.entries().expect("a tar archive") {
        let mut entry = entry.expect("an entry");
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let path = entry.path().expect("a path").to_string_lossy().into_owned();
        let mut parts = path.splitn(3, '/');
        let (Some("corpus"), Some(target), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("an input");
        targets
            .entry(target.to_owned())
            .or_default()
            .push((name.to_owned(), bytes));
    }
    targets
}

#[test]
fn every_stored_input_passes_its_target_s_check() {
    let checks: [(&str, Check); 3] = [
        ("plan_template", fuzz_checks::plan_template),
        ("settings_json", fuzz_checks::settings_json),
        ("yaml_source", fuzz_checks::yaml_source),
    ];
    let corpus = corpus();
    let mut failed = Vec::new();
    // A panic is caught and named; its message would otherwise repeat for every failing input.
    std::panic::set_hook(Box::new(|_| {}));
    for (target, check) in checks {
        let inputs = corpus.get(target).map(Vec::as_slice).unwrap_or_default();
        assert!(
            inputs.len() > 100,
            "{target}: only {} stored inputs",
            inputs.len()
        );
        for (name, bytes) in inputs {
            if catch_unwind(AssertUnwindSafe(|| check(bytes))).is_err() {
                failed.push(format!("fuzz/corpus/{target}/{name}"));
            }
        }
    }
    let _ = std::panic::take_hook();
    assert!(failed.is_empty(), "panicked on:\n{}", failed.join("\n"));
}
