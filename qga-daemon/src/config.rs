//! qemu-ga's command line and configuration file.
//!
//! [`load`] turns the command line, the environment and the configuration
//! file into an [`Action`]: print the help, the version or the list of
//! commands, or run with a [`Config`]. It follows qemu-ga 10 (measured
//! against the real 10.0.2 and 7.2.22 binaries):
//!
//! - options are parsed with GNU getopt rules (see the `getopt` module):
//!   `-m -p -l -f -F[PATH] -t -D -d -v -V -b -a -c -r -h`, their long forms,
//!   and our `--freeze-timeout=SECONDS`;
//! - the configuration file is `-c PATH`, else `$QGA_CONF`, else
//!   [`DEFAULT_CONFIG_PATH`]; a missing file is fine unless it was named
//!   with `-c`; a bad file is an error even with `-h` or `-V`;
//! - command line values override the file's; the `-b`/`-a` lists of the
//!   file and of the command line add up;
//! - `-h`, `-V`, `-b help`/`-a help` (or `?`) or an invalid option: the
//!   first one on the command line decides;
//! - the path defaults per method; other methods need `-p`.
//!
//! Checks qemu-ga only makes when it starts the channel (state directory,
//! method, vsock address) are in [`Config::validate`], so that `-D` still
//! prints such a configuration, as qemu-ga does.
//!
//! The version we report is [`QEMU_COMPAT_VERSION`]: management tools read
//! it (from `-V` and `guest-info`) to decide which commands to expect, and
//! we implement the command set of that QEMU release.

mod cli;
mod dump;
mod error;
mod file;
mod getopt;
mod help;
pub mod keyfile;
mod vsock;

pub use error::ConfigError;
pub use help::{help_text, usage_hint, version_banner};
pub use vsock::VsockAddress;

use cli::{CliArgs, CliOutcome};
use file::FileSettings;
use keyfile::KeyFile;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Read};

/// The QEMU release whose agent we stand in for; `-V` prints
/// `QEMU Guest Agent 10.2.0`.
pub const QEMU_COMPAT_VERSION: &str = "10.2.0";
/// The environment variable naming the configuration file.
pub const CONFIG_ENV: &str = "QGA_CONF";
/// The configuration file read when neither `-c` nor `QGA_CONF` is given.
pub const DEFAULT_CONFIG_PATH: &str = "/etc/qemu/qemu-ga.conf";
/// The channel path of virtio-serial when `-p` is not given.
pub const DEFAULT_VIRTIO_SERIAL_PATH: &str = "/dev/virtio-ports/org.qemu.guest_agent.0";
/// The channel path of isa-serial when `-p` is not given.
pub const DEFAULT_ISA_SERIAL_PATH: &str = "/dev/ttyS0";
/// The pid file when `-f` is not given (only written with `-d`).
pub const DEFAULT_PIDFILE: &str = "/var/run/qemu-ga.pid";
/// The state directory when `-t` is not given.
pub const DEFAULT_STATEDIR: &str = "/var/run";
/// The fsfreeze hook enabled by a bare `-F`.
pub const DEFAULT_FSFREEZE_HOOK: &str = "/etc/qemu/fsfreeze-hook";

/// The transport the agent talks over (`-m`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Method {
    /// A virtio-serial port (the default).
    VirtioSerial,
    /// A serial port.
    IsaSerial,
    /// A listening unix socket.
    UnixListen,
    /// A listening vsock socket.
    VsockListen,
    /// Any other name: kept so that `-D` can print it, rejected by
    /// [`Config::validate`].
    Unsupported(String),
}

impl Method {
    /// The method called `name` (exact, case-sensitive).
    pub fn from_name(name: &str) -> Self {
        match name {
            "virtio-serial" => Self::VirtioSerial,
            "isa-serial" => Self::IsaSerial,
            "unix-listen" => Self::UnixListen,
            "vsock-listen" => Self::VsockListen,
            other => Self::Unsupported(other.to_owned()),
        }
    }

    /// The method's name, as given to `-m`.
    pub fn name(&self) -> &str {
        match self {
            Self::VirtioSerial => "virtio-serial",
            Self::IsaSerial => "isa-serial",
            Self::UnixListen => "unix-listen",
            Self::VsockListen => "vsock-listen",
            Self::Unsupported(name) => name,
        }
    }

    /// The path used when none is given, for the two serial methods.
    pub fn default_path(&self) -> Option<&'static str> {
        match self {
            Self::VirtioSerial => Some(DEFAULT_VIRTIO_SERIAL_PATH),
            Self::IsaSerial => Some(DEFAULT_ISA_SERIAL_PATH),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A checked channel: what to open or listen on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Channel {
    /// Open this virtio-serial port.
    VirtioSerial(String),
    /// Open this serial port.
    IsaSerial(String),
    /// Listen on this unix socket path.
    UnixListen(String),
    /// Listen on this vsock address.
    VsockListen(VsockAddress),
}

/// The effective configuration: command line over configuration file over
/// defaults.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// `-d`, `daemon=`: fork into the background and write the pid file.
    pub daemonize: bool,
    /// `-m`, `method=`.
    pub method: Method,
    /// `-p`, `path=`, else the method's default. Always set by [`load`];
    /// `None` only if the caller clears it (e.g. for an inherited socket),
    /// in which case `-D` leaves `path=` out.
    pub path: Option<String>,
    /// `-l`, `logfile=`; `None` logs to stderr.
    pub logfile: Option<String>,
    /// `-f`, `pidfile=`.
    pub pidfile: String,
    /// `-F`, `fsfreeze-hook=`; `None` disables the hook.
    pub fsfreeze_hook: Option<String>,
    /// `-t`, `statedir=`.
    pub statedir: String,
    /// `-v`, `verbose=`: log debug messages.
    pub verbose: bool,
    /// `-r`, `retry-path=`: keep retrying the channel.
    pub retry_path: bool,
    /// `-b`, `block-rpcs=`: commands to disable, in qemu-ga's order (each
    /// comma-separated chunk reversed, the file's chunk first).
    pub block_rpcs: Vec<String>,
    /// `-a`, `allow-rpcs=`: if not empty, every other command is disabled.
    /// Same order as `block_rpcs`.
    pub allow_rpcs: Vec<String>,
    /// `--freeze-timeout`, `freeze-timeout=`: thaw automatically this many
    /// seconds after a freeze; `None` (or 0 given) never does.
    pub freeze_timeout: Option<u32>,
    /// `-D`: print [`Config::dump`] and exit.
    pub dump_conf: bool,
    /// The configuration file that was consulted (whether or not it exists).
    pub config_path: String,
}

/// What the command line asks the agent to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Run (or, with `dump_conf`, print the configuration).
    Run(Box<Config>),
    /// Print [`help_text`] and exit 0.
    Help,
    /// Print [`version_banner`] and exit 0.
    Version,
    /// Print the names of all commands, one per line, and exit 0.
    ListRpcs,
}

/// Appends a comma-separated list the way qemu-ga does: split on every
/// comma, the pieces in reverse order; an empty string adds nothing.
pub(crate) fn push_list(list: &mut Vec<String>, text: &str) {
    if !text.is_empty() {
        list.extend(text.split(',').rev().map(str::to_owned));
    }
}

/// The message of an I/O error without Rust's ` (os error N)` suffix, i.e.
/// what `strerror` says.
fn io_message(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or_else(|| text.clone(), str::to_owned),
        None => text,
    }
}

/// Reads a configuration file as GLib does: it must be a regular file.
pub fn read_config_file(path: &str) -> io::Result<Vec<u8>> {
    let mut file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(io::Error::other("Not a regular file"));
    }
    let mut data = Vec::new();
    file.read_to_end(&mut data)?;
    Ok(data)
}

/// Reads the configuration file at `path` (`explicit` when named by `-c`).
fn read_settings(
    path: &str,
    explicit: bool,
    read: impl FnOnce(&str) -> io::Result<Vec<u8>>,
) -> Result<FileSettings, ConfigError> {
    let file_error = |message: String| ConfigError::File {
        path: path.to_owned(),
        message,
    };
    let data = match read(path) {
        Ok(data) => data,
        Err(e) if e.kind() == io::ErrorKind::NotFound && !explicit => {
            return Ok(FileSettings::default())
        }
        Err(e) => return Err(file_error(io_message(&e))),
    };
    KeyFile::parse(&data)
        .and_then(|kf| FileSettings::from_keyfile(&kf))
        .map_err(|e| file_error(e.to_string()))
}

/// Works out what to do from `args` (the full argv, program name first),
/// `env` (an environment lookup) and `read` (reads the configuration file;
/// [`read_config_file`] in real use). Never exits; every error means exit
/// status 1.
pub fn load<A, S>(
    args: A,
    env: impl Fn(&str) -> Option<String>,
    read: impl FnOnce(&str) -> io::Result<Vec<u8>>,
) -> Result<Action, ConfigError>
where
    A: IntoIterator<Item = S>,
    S: Into<OsString>,
{
    let words = args
        .into_iter()
        .skip(1)
        .map(|a| {
            a.into().into_string().map_err(|bad| {
                ConfigError::Usage(format!(
                    "invalid UTF-8 in argument '{}'",
                    bad.to_string_lossy()
                ))
            })
        })
        .collect::<Result<Vec<String>, _>>()?;
    let cli = cli::parse(&words);
    let explicit = cli.config.is_some();
    let config_path = cli
        .config
        .or_else(|| env(CONFIG_ENV))
        .unwrap_or_else(|| DEFAULT_CONFIG_PATH.to_owned());
    let settings = read_settings(&config_path, explicit, read)?;
    match cli.outcome {
        CliOutcome::Help => Ok(Action::Help),
        CliOutcome::Version => Ok(Action::Version),
        CliOutcome::ListRpcs => Ok(Action::ListRpcs),
        CliOutcome::Error(message) => Err(ConfigError::Usage(message)),
        CliOutcome::Options(options) => {
            merge(*options, settings, config_path).map(|c| Action::Run(Box::new(c)))
        }
    }
}

/// [`load`] with this process's arguments, environment and file system.
pub fn load_from_process() -> Result<Action, ConfigError> {
    load(
        std::env::args_os(),
        |name| std::env::var_os(name).map(|v| v.to_string_lossy().into_owned()),
        read_config_file,
    )
}

/// Lays the command line over the file's settings and the defaults.
fn merge(cli: CliArgs, file: FileSettings, config_path: String) -> Result<Config, ConfigError> {
    let method = Method::from_name(
        cli.method
            .or(file.method)
            .as_deref()
            .unwrap_or("virtio-serial"),
    );
    let path = match cli.path.or(file.path) {
        Some(path) => path,
        None => method
            .default_path()
            .ok_or(ConfigError::MissingPath)?
            .to_owned(),
    };
    let mut block_rpcs = file.block_rpcs;
    for chunk in &cli.block_rpcs {
        push_list(&mut block_rpcs, chunk);
    }
    let mut allow_rpcs = file.allow_rpcs;
    for chunk in &cli.allow_rpcs {
        push_list(&mut allow_rpcs, chunk);
    }
    let freeze_timeout = match &cli.freeze_timeout {
        Some(value) => cli::freeze_timeout(value)?,
        None => file.freeze_timeout,
    };
    Ok(Config {
        daemonize: cli.daemonize || file.daemonize.unwrap_or(false),
        method,
        path: Some(path),
        logfile: cli.logfile.or(file.logfile),
        pidfile: cli
            .pidfile
            .or(file.pidfile)
            .unwrap_or_else(|| DEFAULT_PIDFILE.to_owned()),
        fsfreeze_hook: cli.fsfreeze_hook.or(file.fsfreeze_hook),
        statedir: cli
            .statedir
            .or(file.statedir)
            .unwrap_or_else(|| DEFAULT_STATEDIR.to_owned()),
        verbose: cli.verbose || file.verbose,
        retry_path: cli.retry_path || file.retry_path.unwrap_or(false),
        block_rpcs,
        allow_rpcs,
        freeze_timeout,
        dump_conf: cli.dump_conf,
        config_path,
    })
}

impl Config {
    /// The checks qemu-ga makes when it starts (after `-D` would have
    /// printed the configuration): the state directory must be absolute,
    /// the method supported and, for vsock, the address well-formed.
    pub fn validate(&self) -> Result<Channel, ConfigError> {
        if !self.statedir.starts_with('/') {
            return Err(ConfigError::RelativeStateDir(self.statedir.clone()));
        }
        let path = || self.path.clone().ok_or(ConfigError::MissingPath);
        Ok(match &self.method {
            Method::VirtioSerial => Channel::VirtioSerial(path()?),
            Method::IsaSerial => Channel::IsaSerial(path()?),
            Method::UnixListen => Channel::UnixListen(path()?),
            Method::VsockListen => Channel::VsockListen(VsockAddress::parse(&path()?)?),
            Method::Unsupported(name) => return Err(ConfigError::UnsupportedMethod(name.clone())),
        })
    }

    /// Whether the command `name` is enabled by `-b`/`-a`: a blocked name
    /// never is; with an allow list, only the names on it are (the sync
    /// commands included). Names are not checked against the real commands.
    pub fn is_allowed(&self, name: &str) -> bool {
        let listed = |list: &[String]| list.iter().any(|n| n == name);
        !listed(&self.block_rpcs) && (self.allow_rpcs.is_empty() || listed(&self.allow_rpcs))
    }
}

#[cfg(test)]
mod tests;
