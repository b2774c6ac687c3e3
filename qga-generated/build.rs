//! Compiles the guest agent schema into Rust.
//!
//! The schema's platform symbols that have no default mapping name
//! facilities our agent provides on Linux.
fn main() -> Result<(), qapi_codegen::BuildError> {
    let linux = "target_os = \"linux\"";
    qapi_codegen::Builder::new()
        .schema("../schema/qga/qapi-schema.json")
        .cfg("CONFIG_LIBUDEV", linux)
        .cfg("CONFIG_FSFREEZE", linux)
        .cfg("CONFIG_FSTRIM", linux)
        .cfg("CONFIG_GETLOADAVG", linux)
        .cfg("HAVE_GETIFADDRS", linux)
        .cfg("HAVE_UTMPX", linux)
        .out_file("qga.rs")
        .compile()?;
    Ok(())
}
