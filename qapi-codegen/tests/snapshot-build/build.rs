//! Copies the code generator's insta snapshots into `OUT_DIR` without
//! their insta header, so that `lib.rs` can `include!` them.

use std::path::Path;

/// (snapshot file, output file)
const SNAPSHOTS: &[(&str, &str)] = &[
    ("snapshots__kitchen_sink.snap", "kitchen_sink.rs"),
    ("snapshots__qga.snap", "qga.rs"),
];

/// The text after the header (`---` ... `---`).
fn strip_header(snap: &str) -> Option<&str> {
    let rest = snap.strip_prefix("---\n")?;
    let end = rest.find("\n---\n")?;
    rest.get(end + "\n---\n".len()..)
}

fn main() -> Result<(), String> {
    let out_dir = std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?;
    let dir = Path::new("../snapshots");
    for (snap, out) in SNAPSHOTS {
        let path = dir.join(snap);
        println!("cargo:rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let code =
            strip_header(&text).ok_or_else(|| format!("{}: no insta header", path.display()))?;
        let target = Path::new(&out_dir).join(out);
        if std::fs::read_to_string(&target).ok().as_deref() != Some(code) {
            std::fs::write(&target, code)
                .map_err(|e| format!("cannot write {}: {e}", target.display()))?;
        }
    }
    Ok(())
}
