fn main() {
    // Only the Node addon needs napi's link setup; plain `cargo test` builds the core alone.
    if std::env::var_os("CARGO_FEATURE_NAPI").is_some() {
        napi_build::setup();
    }
}
