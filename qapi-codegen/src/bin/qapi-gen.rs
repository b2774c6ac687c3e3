//! `qapi-gen`: check a QAPI schema, dump it in QEMU's test format, or
//! generate Rust code from it.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use qapi_codegen::cfg::UnknownSymbol;
use qapi_parser::{Errors, Options, Schema};

/// QAPI schema tools.
#[derive(Debug, Parser)]
#[command(name = "qapi-gen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check a schema; print the first error and exit 1 when it is invalid.
    Check(Common),
    /// Print the checked schema in the format of QEMU's test-qapi.py.
    Dump(Common),
    /// Generate Rust code (types, marshalling, commands, events).
    Generate(Generate),
    /// Render the protocol reference from the schema's doc comments.
    Doc(Doc),
}

#[derive(Debug, Args)]
struct Doc {
    #[command(flatten)]
    common: Common,
    /// The directory to write the pages into (created when missing).
    #[arg(short, long)]
    output: std::path::PathBuf,
    /// The output format.
    #[arg(long, value_enum, default_value_t = DocFormat::Html)]
    format: DocFormat,
    /// The reference's title (default: the main file's first heading).
    #[arg(long)]
    title: Option<String>,
}

/// Formats of `qapi-gen doc`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    /// Self-contained HTML pages with an offline search box.
    Html,
    /// GitHub-flavoured Markdown.
    Markdown,
}

#[derive(Debug, Args)]
struct Generate {
    #[command(flatten)]
    common: Common,
    /// Write the code here instead of standard output (only when it
    /// changed, so build tools see no needless modification).
    #[arg(short, long)]
    output: Option<std::path::PathBuf>,
    /// Write nothing: exit 1 with a summary of the differences when the
    /// file given with `-o` is not what the schema generates now (for
    /// checked-in bindings).
    #[arg(long, requires = "output")]
    check: bool,
    /// Map a condition symbol to a cfg predicate: `SYMBOL=PREDICATE`,
    /// e.g. `CONFIG_FSFREEZE=target_os = "linux"`. Repeatable.
    #[arg(long = "cfg", value_name = "SYMBOL=PREDICATE")]
    cfg: Vec<String>,
    /// What to do with symbols without a mapping.
    #[arg(long, value_enum, default_value_t = Unknown::Feature)]
    unknown_cfg: Unknown,
    /// The name of the server trait.
    #[arg(long, default_value = "Commands")]
    trait_name: String,
    /// Leave the schema's documentation out.
    #[arg(long)]
    no_docs: bool,
    /// Leave the typed client out.
    #[arg(long)]
    no_client: bool,
    /// Leave the server trait, dispatcher and registry out.
    #[arg(long)]
    no_server: bool,
    /// Leave the serde impls out (the code then needs only serde_json).
    #[arg(long)]
    no_serde: bool,
    /// Derive this on every generated struct and enum where valid
    /// (`Hash`, `serde::Serialize`...). Repeatable.
    #[arg(long = "derive", value_name = "PATH")]
    derives: Vec<String>,
}

/// Policy for condition symbols without a mapping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Unknown {
    /// `CONFIG_FOO` becomes `feature = "config-foo"`.
    Feature,
    /// Refuse to generate.
    Error,
    /// Never defined.
    Undefined,
    /// Always defined.
    Defined,
}

/// When to render errors with source lines and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Color {
    /// When standard error is a terminal.
    Auto,
    /// Always.
    Always,
    /// Never: QEMU's exact text.
    Never,
}

#[derive(Debug, Args)]
struct Common {
    /// Accept every schema some QEMU release accepted.
    #[arg(long)]
    compat: bool,
    /// Rich error rendering.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Print every error found, not only the first.
    #[arg(long)]
    all_errors: bool,
    /// The main schema file.
    schema: String,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let (common, dump) = match &cli.command {
        Command::Check(c) => (c, false),
        Command::Dump(c) => (c, true),
        Command::Generate(g) => return generate(g),
        Command::Doc(d) => return doc(d),
    };
    match load(common) {
        Ok(schema) => {
            if dump {
                let text = qapi_parser::dump::dump(&schema);
                let mut out = std::io::stdout().lock();
                if out
                    .write_all(text.as_bytes())
                    .and_then(|_| out.flush())
                    .is_err()
                {
                    return ExitCode::FAILURE;
                }
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            report(common, &errors);
            ExitCode::FAILURE
        }
    }
}

fn load(common: &Common) -> Result<Schema, Errors> {
    let path = &common.schema;
    if let Err(e) = std::fs::metadata(path) {
        if e.kind() == std::io::ErrorKind::NotFound {
            return Err(qapi_parser::Error::bare(format!(
                "can't read schema file '{path}': No such file or directory"
            ))
            .into());
        }
    }
    let opts = Options {
        compat: common.compat,
    };
    qapi_parser::load(path, &opts)
}

fn report(common: &Common, errors: &Errors) {
    let stderr = std::io::stderr();
    let rich = match common.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => stderr.is_terminal(),
    };
    let shown = if common.all_errors { errors.0.len() } else { 1 };
    let mut err = stderr.lock();
    for e in errors.0.iter().take(shown) {
        let text = if rich {
            e.render_rich(true)
        } else {
            e.to_string()
        };
        let _ = writeln!(err, "{text}");
    }
}

fn generate(g: &Generate) -> ExitCode {
    let schema = match load(&g.common) {
        Ok(s) => s,
        Err(errors) => {
            report(&g.common, &errors);
            return ExitCode::FAILURE;
        }
    };
    let mut opts = qapi_codegen::Options::default();
    opts.cfg.unknown(match g.unknown_cfg {
        Unknown::Feature => UnknownSymbol::Feature,
        Unknown::Error => UnknownSymbol::Error,
        Unknown::Undefined => UnknownSymbol::Undefined,
        Unknown::Defined => UnknownSymbol::Defined,
    });
    for spec in &g.cfg {
        let Some((symbol, predicate)) = spec.split_once('=') else {
            eprintln!("qapi-gen: --cfg wants SYMBOL=PREDICATE, got '{spec}'");
            return ExitCode::FAILURE;
        };
        if let Err(e) = opts.cfg.map(symbol.trim(), predicate.trim()) {
            eprintln!("qapi-gen: {e}");
            return ExitCode::FAILURE;
        }
    }
    opts.trait_name = g.trait_name.clone();
    opts.docs = !g.no_docs;
    opts.client = !g.no_client;
    opts.server = !g.no_server;
    opts.serde = !g.no_serde;
    opts.derives.clone_from(&g.derives);
    let code = match qapi_codegen::generate(&schema, &opts) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("qapi-gen: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let (true, Some(path)) = (g.check, &g.output) {
        return check_bindings(path, &code);
    }
    let written = match &g.output {
        Some(path) => qapi_codegen::builder::write_if_changed(path, &code).map(|_| ()),
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(code.as_bytes()).and_then(|_| out.flush())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("qapi-gen: cannot write the code: {e}");
            ExitCode::FAILURE
        }
    }
}

fn doc(d: &Doc) -> ExitCode {
    let schema = match load(&d.common) {
        Ok(s) => s,
        Err(errors) => {
            report(&d.common, &errors);
            return ExitCode::FAILURE;
        }
    };
    let opts = qapi_codegen::render::Options {
        format: match d.format {
            DocFormat::Html => qapi_codegen::render::Format::Html,
            DocFormat::Markdown => qapi_codegen::render::Format::Markdown,
        },
        title: d.title.clone(),
    };
    for page in qapi_codegen::render::render(&schema, &opts) {
        let path = d.output.join(&page.path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| qapi_codegen::builder::write_if_changed(&path, &page.contents));
        if let Err(e) = written {
            eprintln!("qapi-gen: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// `generate --check`: compare `path` with freshly generated `code`.
fn check_bindings(path: &std::path::Path, code: &str) -> ExitCode {
    let old = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("qapi-gen: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    };
    if old == code {
        return ExitCode::SUCCESS;
    }
    let diff = similar::TextDiff::from_lines(old.as_str(), code);
    let (mut removed, mut added) = (0usize, 0usize);
    for change in diff.iter_all_changes() {
        match change.tag() {
            similar::ChangeTag::Delete => removed += 1,
            similar::ChangeTag::Insert => added += 1,
            similar::ChangeTag::Equal => {}
        }
    }
    eprintln!(
        "qapi-gen: {} is out of date: {removed} line(s) to remove, {added} to add; \
         regenerate it with `qapi-gen generate ... -o {}`",
        path.display(),
        path.display()
    );
    const SHOWN: usize = 40;
    let unified = diff
        .unified_diff()
        .context_radius(2)
        .header("checked-in", "generated")
        .to_string();
    for line in unified.lines().take(SHOWN) {
        eprintln!("{line}");
    }
    if unified.lines().count() > SHOWN {
        eprintln!("...");
    }
    ExitCode::FAILURE
}
