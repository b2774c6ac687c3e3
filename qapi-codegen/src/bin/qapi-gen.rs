//! `qapi-gen`: check a QAPI schema, or dump it in QEMU's test format.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
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
