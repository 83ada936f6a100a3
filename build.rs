//! Rebuild when the embedded data folders change (include_dir cannot see new files by itself).
fn main() {
    for dir in ["controls", "schemas", "policies", "templates"] {
        println!("cargo:rerun-if-changed={dir}");
    }
}
