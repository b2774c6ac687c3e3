//! Generating code from a `build.rs`.
//!
//! ```text
//! // build.rs
//! fn main() {
//!     qapi_codegen::Builder::new("../schema/qga/qapi-schema.json")
//!         .cfg("CONFIG_FSFREEZE", "target_os = \"linux\"")
//!         .out_file("qga.rs")
//!         .generate()
//!         .unwrap_or_else(|e| panic!("{e}"));
//! }
//! ```
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/qga.rs"));`

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use crate::cfg::UnknownSymbol;
use crate::options::Options;

/// Generates the code of one schema into `OUT_DIR` (or a given path),
/// rewriting the file only when its text changes, and tells cargo to rerun
/// when any schema file (includes too) changes.
#[derive(Debug, Clone)]
pub struct Builder {
    schema: PathBuf,
    out: Option<PathBuf>,
    out_file: String,
    compat: bool,
    opts: Options,
    cfg_errors: Vec<String>,
    rerun_lines: bool,
}

/// Why [`Builder::generate`] failed.
#[derive(Debug)]
pub enum BuildError {
    /// The schema has errors (QEMU's text, one per line).
    Schema(String),
    /// A cfg mapping was invalid, or code generation refused.
    Generate(String),
    /// Reading or writing failed.
    Io(io::Error),
    /// No output path, and `OUT_DIR` is not set (not inside a build script).
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Schema(e) => write!(f, "invalid QAPI schema:\n{e}"),
            BuildError::Generate(e) => write!(f, "cannot generate code: {e}"),
            BuildError::Io(e) => write!(f, "cannot write generated code: {e}"),
            BuildError::NoOutDir => f.write_str("OUT_DIR is not set; use Builder::out"),
        }
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// A builder for the schema whose main file is `schema`.
    pub fn new(schema: impl Into<PathBuf>) -> Self {
        Builder {
            schema: schema.into(),
            out: None,
            out_file: "qapi.rs".to_string(),
            compat: false,
            opts: Options::default(),
            cfg_errors: Vec::new(),
            rerun_lines: true,
        }
    }

    /// The file name inside `OUT_DIR` (default `qapi.rs`).
    pub fn out_file(mut self, name: impl Into<String>) -> Self {
        self.out_file = name.into();
        self
    }

    /// Write to this exact path instead of `OUT_DIR`.
    pub fn out(mut self, path: impl Into<PathBuf>) -> Self {
        self.out = Some(path.into());
        self
    }

    /// Accept the old forms of the schema language.
    pub fn compat(mut self, on: bool) -> Self {
        self.compat = on;
        self
    }

    /// Map condition symbol `symbol` to a cfg predicate (`unix`,
    /// `target_os = "linux"`, `feature = "x"`).
    pub fn cfg(mut self, symbol: &str, predicate: &str) -> Self {
        if let Err(e) = self.opts.cfg.map(symbol, predicate) {
            self.cfg_errors.push(e);
        }
        self
    }

    /// Treat `symbol` as always defined.
    pub fn cfg_always(mut self, symbol: &str) -> Self {
        self.opts.cfg.always(symbol);
        self
    }

    /// Treat `symbol` as never defined.
    pub fn cfg_never(mut self, symbol: &str) -> Self {
        self.opts.cfg.never(symbol);
        self
    }

    /// What to do with symbols without a mapping (default: cargo features).
    pub fn unknown_cfg(mut self, policy: UnknownSymbol) -> Self {
        self.opts.cfg.unknown(policy);
        self
    }

    /// The name of the server trait (default `Commands`).
    pub fn trait_name(mut self, name: impl Into<String>) -> Self {
        self.opts.trait_name = name.into();
        self
    }

    /// Carry documentation over (default on).
    pub fn docs(mut self, on: bool) -> Self {
        self.opts.docs = on;
        self
    }

    /// Give trait methods a default "unsupported" body (default on).
    pub fn default_unsupported(mut self, on: bool) -> Self {
        self.opts.default_unsupported = on;
        self
    }

    /// Print `cargo:rerun-if-changed` lines (default on).
    pub fn rerun_lines(mut self, on: bool) -> Self {
        self.rerun_lines = on;
        self
    }

    /// Generate: returns the path written.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        if !self.cfg_errors.is_empty() {
            return Err(BuildError::Generate(self.cfg_errors.join("\n")));
        }
        let out = match &self.out {
            Some(p) => p.clone(),
            None => match std::env::var_os("OUT_DIR") {
                Some(dir) => PathBuf::from(dir).join(&self.out_file),
                None => return Err(BuildError::NoOutDir),
            },
        };
        let main = self.schema.to_string_lossy().into_owned();
        let parse_opts = qapi_parser::Options {
            compat: self.compat,
        };
        let result = qapi_parser::load(&main, &parse_opts);
        if self.rerun_lines {
            for file in schema_files(&self.schema, result.as_ref().ok()) {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let schema = result.map_err(|errors| {
            BuildError::Schema(
                errors
                    .0
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })?;
        let code = crate::generate(&schema, &self.opts)
            .map_err(|e| BuildError::Generate(e.to_string()))?;
        write_if_changed(&out, &code).map_err(BuildError::Io)?;
        Ok(out)
    }
}

/// The files a schema was read from: the main file and every included
/// module (paths relative to the main file's directory).
fn schema_files(main: &Path, schema: Option<&qapi_parser::Schema>) -> Vec<PathBuf> {
    let mut out = vec![main.to_path_buf()];
    let dir = main.parent().unwrap_or(Path::new(""));
    if let Some(schema) = schema {
        for m in &schema.modules {
            if m.is_builtin() {
                continue;
            }
            let p = dir.join(&m.name);
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Write `text` to `path` unless the file already holds exactly that;
/// returns whether it wrote.
pub fn write_if_changed(path: &Path, text: &str) -> io::Result<bool> {
    if let Ok(old) = std::fs::read(path) {
        if old == text.as_bytes() {
            return Ok(false);
        }
    }
    if let Some(dir) = path.parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    std::fs::write(path, text)?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("qapi-builder-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn writes_only_on_change() {
        let d = temp("wic");
        let f = d.join("sub").join("x.rs");
        assert!(write_if_changed(&f, "a").unwrap());
        assert!(!write_if_changed(&f, "a").unwrap());
        assert!(write_if_changed(&f, "b").unwrap());
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "b");
    }

    #[test]
    fn generates_from_a_schema_with_includes() {
        let d = temp("gen");
        std::fs::write(
            d.join("main.json"),
            "{ 'include': 'sub/types.json' }\n{ 'command': 'ping', 'returns': 'Pong' }\n",
        )
        .unwrap();
        std::fs::create_dir_all(d.join("sub")).unwrap();
        std::fs::write(
            d.join("sub/types.json"),
            "{ 'struct': 'Pong', 'data': { 'n': 'int' } }\n",
        )
        .unwrap();
        let out = d.join("out.rs");
        let written = Builder::new(d.join("main.json"))
            .out(&out)
            .rerun_lines(false)
            .generate()
            .unwrap();
        assert_eq!(written, out);
        let code = std::fs::read_to_string(&out).unwrap();
        assert!(code.contains("pub struct Pong"), "{code}");
        assert!(code.contains("fn ping(&mut self)"), "{code}");
        let files = schema_files(
            &d.join("main.json"),
            qapi_parser::load(&d.join("main.json").to_string_lossy(), &Default::default())
                .ok()
                .as_ref(),
        );
        assert_eq!(files.len(), 2, "{files:?}");
        assert!(files[1].ends_with("sub/types.json"));
    }

    #[test]
    fn schema_errors_and_bad_cfg_are_reported() {
        let d = temp("bad");
        std::fs::write(
            d.join("bad.json"),
            "{ 'struct': 'Abc', 'data': { 'x': 'Nope' } }\n",
        )
        .unwrap();
        let e = Builder::new(d.join("bad.json"))
            .out(d.join("o.rs"))
            .rerun_lines(false)
            .generate()
            .unwrap_err();
        assert!(e.to_string().contains("uses unknown type 'Nope'"), "{e}");
        let e = Builder::new(d.join("bad.json"))
            .cfg("X", "not valid(")
            .out(d.join("o.rs"))
            .generate()
            .unwrap_err();
        assert!(matches!(e, BuildError::Generate(_)), "{e}");
    }
}
