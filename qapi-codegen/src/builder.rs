//! Generating code from a `build.rs`, in the style of `prost-build`.
//!
//! ```text
//! // build.rs
//! fn main() -> Result<(), qapi_codegen::BuildError> {
//!     qapi_codegen::Builder::new()
//!         .schema("../schema/qga/qapi-schema.json")
//!         .cfg("CONFIG_FSFREEZE", "target_os = \"linux\"")
//!         .out_file("qga.rs")
//!         .compile()?;
//!     Ok(())
//! }
//! ```
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/qga.rs"));`
//!
//! Schema errors come back as [`BuildError::Schema`], whose `Debug` is
//! the readable text too, so a build script returning it prints QEMU's
//! messages (every one of them), not a backtrace.

use std::cell::RefCell;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use qapi_parser::parse::{FsLoader, SourceLoader};

use crate::cfg::UnknownSymbol;
use crate::options::Options;

/// Generates the code of one schema into `OUT_DIR` (or a given
/// directory), rewriting the file only when its text changes, and tells
/// cargo to rerun when any file read (the main file, every include)
/// changes.
#[derive(Debug, Clone)]
pub struct Builder {
    schema: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    out_file: PathBuf,
    compat: bool,
    opts: Options,
    config_errors: Vec<String>,
    rerun_lines: bool,
}

/// The same builder under `prost-build`'s other name.
pub type Config = Builder;

/// Why [`Builder::compile`] failed.
pub enum BuildError {
    /// The schema has errors: QEMU's text of each.
    Schema(Vec<String>),
    /// An option was invalid (a cfg predicate, a derive, no schema).
    Config(Vec<String>),
    /// Code generation refused (unmapped condition symbols).
    Generate(String),
    /// Writing the output failed.
    Io(io::Error),
    /// No output directory, and `OUT_DIR` is not set (not inside a build
    /// script).
    NoOutDir,
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Schema(e) => write!(f, "invalid QAPI schema:\n{}", e.join("\n")),
            BuildError::Config(e) => write!(f, "invalid code generator options:\n{}", e.join("\n")),
            BuildError::Generate(e) => write!(f, "cannot generate code: {e}"),
            BuildError::Io(e) => write!(f, "cannot write generated code: {e}"),
            BuildError::NoOutDir => f.write_str("OUT_DIR is not set; use Builder::out_dir"),
        }
    }
}

/// The readable text, so that `fn main() -> Result<(), BuildError>` in a
/// build script prints the diagnostics as they are.
impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for BuildError {}

/// What [`Builder::generate`] produced.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The Rust source.
    pub code: String,
    /// Every schema file read.
    pub files: Vec<PathBuf>,
}

/// Reads from disk, recording every path asked for.
#[derive(Debug, Default)]
struct RecordingLoader {
    read: RefCell<Vec<PathBuf>>,
}

impl SourceLoader for RecordingLoader {
    fn load(&self, path: &Path) -> io::Result<Vec<u8>> {
        let mut read = self.read.borrow_mut();
        if !read.iter().any(|p| p == path) {
            read.push(path.to_path_buf());
        }
        drop(read);
        FsLoader.load(path)
    }
}

impl Default for Builder {
    fn default() -> Self {
        Builder {
            schema: None,
            out_dir: None,
            out_file: PathBuf::from("qapi.rs"),
            compat: false,
            opts: Options::default(),
            config_errors: Vec::new(),
            rerun_lines: true,
        }
    }
}

impl Builder {
    /// A builder with the default options: server, client and serde on,
    /// docs on, the platform cfg mapping, unknown symbols as features.
    pub fn new() -> Self {
        Self::default()
    }

    /// The schema's main file.
    pub fn schema(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.schema = Some(path.into());
        self
    }

    /// The directory to write to (default `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The file name inside the output directory (default `qapi.rs`); an
    /// absolute path is used as it is.
    pub fn out_file(&mut self, name: impl Into<PathBuf>) -> &mut Self {
        self.out_file = name.into();
        self
    }

    /// Accept the old forms of the schema language.
    pub fn compat(&mut self, on: bool) -> &mut Self {
        self.compat = on;
        self
    }

    /// Map condition symbol `symbol` to a cfg predicate (`unix`,
    /// `target_os = "linux"`, `feature = "x"`).
    pub fn cfg(&mut self, symbol: &str, predicate: &str) -> &mut Self {
        if let Err(e) = self.opts.cfg.map(symbol, predicate) {
            self.config_errors.push(e);
        }
        self
    }

    /// Treat `symbol` as always defined.
    pub fn cfg_always(&mut self, symbol: &str) -> &mut Self {
        self.opts.cfg.always(symbol);
        self
    }

    /// Treat `symbol` as never defined.
    pub fn cfg_never(&mut self, symbol: &str) -> &mut Self {
        self.opts.cfg.never(symbol);
        self
    }

    /// What to do with symbols without a mapping (default: cargo features).
    pub fn unknown_cfg(&mut self, policy: UnknownSymbol) -> &mut Self {
        self.opts.cfg.unknown(policy);
        self
    }

    /// Derive `path` (`"Hash"`, `"PartialOrd"`, `"serde::Serialize"`...)
    /// on every generated struct and enum where it is valid.
    pub fn derive(&mut self, path: &str) -> &mut Self {
        if syn::parse_str::<syn::Path>(path).is_err() {
            self.config_errors
                .push(format!("invalid derive `{path}`: not a path"));
        } else if !self.opts.derives.iter().any(|d| d == path) {
            self.opts.derives.push(path.to_string());
        }
        self
    }

    /// Generate the typed client (default on).
    pub fn client(&mut self, on: bool) -> &mut Self {
        self.opts.client = on;
        self
    }

    /// Generate the server trait, the dispatcher and the registry
    /// (default on).
    pub fn server(&mut self, on: bool) -> &mut Self {
        self.opts.server = on;
        self
    }

    /// Implement `serde::Serialize`/`Deserialize` (default on).
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.opts.serde = on;
        self
    }

    /// The name of the server trait (default `Commands`).
    pub fn trait_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.opts.trait_name = name.into();
        self
    }

    /// Carry documentation over (default on).
    pub fn docs(&mut self, on: bool) -> &mut Self {
        self.opts.docs = on;
        self
    }

    /// Give trait methods a default "unsupported" body (default on).
    pub fn default_unsupported(&mut self, on: bool) -> &mut Self {
        self.opts.default_unsupported = on;
        self
    }

    /// Print `cargo:rerun-if-changed` lines (default on).
    pub fn rerun_lines(&mut self, on: bool) -> &mut Self {
        self.rerun_lines = on;
        self
    }

    /// The options the code is generated with.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The engine: read the schema and generate the code, without
    /// writing anything. The files read are returned even on error
    /// through [`Builder::compile`]'s rerun lines.
    pub fn generate(&self) -> Result<Generated, BuildError> {
        self.generate_recording(&RecordingLoader::default())
    }

    fn generate_recording(&self, loader: &RecordingLoader) -> Result<Generated, BuildError> {
        if !self.config_errors.is_empty() {
            return Err(BuildError::Config(self.config_errors.clone()));
        }
        let Some(schema) = &self.schema else {
            return Err(BuildError::Config(vec!["no schema given".into()]));
        };
        let main = schema.to_string_lossy().into_owned();
        let parse_opts = qapi_parser::Options {
            compat: self.compat,
        };
        let schema = qapi_parser::load_with(&main, loader, &parse_opts).map_err(|errors| {
            BuildError::Schema(errors.0.iter().map(|e| e.to_string()).collect())
        })?;
        let code = crate::generate(&schema, &self.opts)
            .map_err(|e| BuildError::Generate(e.to_string()))?;
        Ok(Generated {
            code,
            files: loader.read.borrow().clone(),
        })
    }

    /// Generate and write: returns the path written. The file is left
    /// alone (its mtime too) when it already holds the same text.
    pub fn compile(&self) -> Result<PathBuf, BuildError> {
        let out = match &self.out_dir {
            Some(dir) => dir.join(&self.out_file),
            None if self.out_file.is_absolute() => self.out_file.clone(),
            None => match std::env::var_os("OUT_DIR") {
                Some(dir) => PathBuf::from(dir).join(&self.out_file),
                None => return Err(BuildError::NoOutDir),
            },
        };
        let loader = RecordingLoader::default();
        let result = self.generate_recording(&loader);
        if self.rerun_lines {
            let read = loader.read.borrow();
            let files = if read.is_empty() {
                self.schema.iter().cloned().collect()
            } else {
                read.clone()
            };
            for file in files {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let generated = result?;
        write_if_changed(&out, &generated.code).map_err(BuildError::Io)?;
        Ok(out)
    }
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
mod tests;
