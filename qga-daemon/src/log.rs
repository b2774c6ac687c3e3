//! The agent's log, in qemu-ga's format, through `tracing`.
//!
//! Each line is `<unix seconds>.<6-digit microseconds>: <level>: <message>`,
//! written to the log file (`-l`, opened for appending) or to stderr, and
//! flushed at once. Without `-v` only `error` and `critical` lines are
//! written, as qemu-ga does; `-v` writes every level, and also a trace of
//! each request and reply ([`wire`]).
//!
//! Messages are `tracing` events; the process's [`Logger`] is a
//! `tracing_subscriber` layer ([`LogLayer`]) that formats them. qemu-ga has
//! six levels and `tracing` five, so the helpers ([`error`], [`critical`],
//! [`warning`], [`message`], [`info`], [`debug`]) name theirs in a
//! `glib_level` field; other events take the name of their `tracing` level
//! (`WARN` is `warning`, `TRACE` is `debug`).
//!
//! Events with the target `audit` ([`audit`]) are qemu-ga's per-command
//! messages: like qemu-ga they bypass the log file and go to syslog only
//! ([`syslog`]), whatever the verbosity, when `/dev/log` exists.
//!
//! While filesystems are frozen the log is [suspended](Logger::set_suspended):
//! writing to a frozen filesystem would block the agent, so qemu-ga drops
//! its messages then, and so do we (syslog included).
//!
//! The process has one [`Logger`], installed with [`install`] together with
//! the global `tracing` subscriber. Before [`install`] the helpers write to
//! stderr at the default level. A `Logger` of its own can write anywhere
//! (tests use a memory buffer) and be used with
//! `tracing::subscriber::with_default`.

mod layer;
pub mod syslog;
pub mod wire;

pub use layer::LogLayer;

use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};
use syslog::Syslog;
use tracing_subscriber::layer::SubscriberExt;

/// A message's level, named as qemu-ga names GLib's levels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A fatal error.
    Error,
    /// A serious problem, usually followed by an exit.
    Critical,
    /// Something unexpected the agent survives.
    Warning,
    /// A notable event.
    Message,
    /// Information.
    Info,
    /// Debugging detail, written only with `-v`.
    Debug,
}

impl Level {
    /// The name written in log lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Critical => "critical",
            Level::Warning => "warning",
            Level::Message => "message",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }
}

/// The `tracing` target of qemu-ga's per-command audit messages.
pub const AUDIT_TARGET: &str = "audit";

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Formats one log line, newline included.
pub fn format_line(time: SystemTime, level: Level, message: &dyn fmt::Display) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    format!(
        "{}.{:06}: {}: {}\n",
        since.as_secs(),
        since.subsec_micros(),
        level,
        message
    )
}

/// Where log lines go.
enum Sink {
    Stderr,
    File(File),
    Memory(Arc<Mutex<Vec<u8>>>),
}

impl Sink {
    fn write_line(&mut self, line: &[u8]) {
        // A log that cannot be written has nowhere to report it: drop it.
        let _ = match self {
            Sink::Stderr => io::stderr().lock().write_all(line),
            Sink::File(file) => file.write_all(line).and_then(|()| file.flush()),
            Sink::Memory(buffer) => {
                if let Ok(mut buffer) = buffer.lock() {
                    buffer.extend_from_slice(line);
                }
                Ok(())
            }
        };
    }
}

/// A log destination with its level and suspension switches.
pub struct Logger {
    sink: Mutex<Sink>,
    syslog: Mutex<Option<Syslog>>,
    verbose: AtomicBool,
    suspended: AtomicBool,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("verbose", &self.verbose.load(Ordering::Relaxed))
            .field("suspended", &self.suspended.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl Logger {
    fn with_sink(sink: Sink, verbose: bool) -> Self {
        Logger {
            sink: Mutex::new(sink),
            syslog: Mutex::new(None),
            verbose: AtomicBool::new(verbose),
            suspended: AtomicBool::new(false),
        }
    }

    /// A logger writing to stderr.
    pub fn stderr(verbose: bool) -> Self {
        Self::with_sink(Sink::Stderr, verbose)
    }

    /// A logger appending to the file at `path` (created if missing, with
    /// mode 0666 less the umask, as qemu-ga's `fopen(path, "a")`).
    pub fn file(path: &Path, verbose: bool) -> io::Result<Self> {
        let file = OpenOptions::new().append(true).create(true).open(path)?;
        Ok(Self::with_sink(Sink::File(file), verbose))
    }

    /// A logger appending to a shared buffer, for tests and captures.
    pub fn memory(buffer: Arc<Mutex<Vec<u8>>>, verbose: bool) -> Self {
        Self::with_sink(Sink::Memory(buffer), verbose)
    }

    /// From now on, appends to the file at `path` instead (for a log file
    /// whose opening was put off while filesystems were frozen).
    pub fn redirect_to_file(&self, path: &Path) -> io::Result<()> {
        let file = OpenOptions::new().append(true).create(true).open(path)?;
        if let Ok(mut sink) = self.sink.lock() {
            *sink = Sink::File(file);
        }
        Ok(())
    }

    /// Sends audit messages to `syslog` from now on (none are sent
    /// without one).
    pub fn set_syslog(&self, syslog: Syslog) {
        if let Ok(mut slot) = self.syslog.lock() {
            *slot = Some(syslog);
        }
    }

    /// Whether audit messages have somewhere to go now.
    pub fn audit_enabled(&self) -> bool {
        !self.is_suspended() && self.syslog.lock().is_ok_and(|s| s.is_some())
    }

    /// Sends an audit message to syslog, if there is one and the log is
    /// not suspended. qemu-ga writes these at syslog's `info` severity,
    /// prefixed with `info: `.
    pub fn audit(&self, message: impl fmt::Display) {
        if self.is_suspended() {
            return;
        }
        if let Ok(mut slot) = self.syslog.lock() {
            if let Some(syslog) = slot.as_mut() {
                syslog.send(&format!("{}: {message}", Level::Info));
            }
        }
    }

    /// Switches debug logging on or off.
    pub fn set_verbose(&self, verbose: bool) {
        self.verbose.store(verbose, Ordering::Relaxed);
    }

    /// Drops (`true`) or writes again (`false`) every message, e.g. while
    /// filesystems are frozen.
    pub fn set_suspended(&self, suspended: bool) {
        self.suspended.store(suspended, Ordering::Relaxed);
    }

    /// Whether messages are being dropped.
    pub fn is_suspended(&self) -> bool {
        self.suspended.load(Ordering::Relaxed)
    }

    /// Whether a message of `level` would be written now.
    pub fn enabled(&self, level: Level) -> bool {
        !self.is_suspended() && (level <= Level::Critical || self.verbose.load(Ordering::Relaxed))
    }

    /// Writes `message` at `level`, if that level is enabled.
    pub fn log(&self, level: Level, message: impl fmt::Display) {
        if !self.enabled(level) {
            return;
        }
        let line = format_line(SystemTime::now(), level, &message);
        if let Ok(mut sink) = self.sink.lock() {
            sink.write_line(line.as_bytes());
        }
    }
}

static GLOBAL: OnceLock<Arc<Logger>> = OnceLock::new();
static DISPATCH: Once = Once::new();

/// Makes the process's logger the global `tracing` subscriber (once; if
/// another subscriber was set first, that one stays).
fn set_dispatch(logger: &Arc<Logger>) {
    DISPATCH.call_once(|| {
        let subscriber = tracing_subscriber::registry().with(LogLayer::new(logger.clone()));
        let _ = tracing::subscriber::set_global_default(subscriber);
    });
}

/// Installs the process's logger and the global `tracing` subscriber that
/// writes through it. Only the first call takes effect; later ones give
/// their logger back as the error.
pub fn install(logger: Logger) -> Result<(), Logger> {
    GLOBAL
        .set(Arc::new(logger))
        .map_err(|rejected| Arc::try_unwrap(rejected).unwrap_or_else(|_| Logger::stderr(false)))?;
    logger_arc();
    Ok(())
}

fn logger_arc() -> &'static Arc<Logger> {
    let logger = GLOBAL.get_or_init(|| Arc::new(Logger::stderr(false)));
    set_dispatch(logger);
    logger
}

/// The process's logger (a non-verbose stderr logger until [`install`]).
pub fn logger() -> &'static Logger {
    logger_arc()
}

/// Emits a `tracing` event at `level`, naming qemu-ga's level.
fn emit(level: Level, message: &dyn fmt::Display) {
    let name = level.as_str();
    match level {
        Level::Error | Level::Critical => tracing::error!(glib_level = name, "{message}"),
        Level::Warning => tracing::warn!(glib_level = name, "{message}"),
        Level::Message | Level::Info => tracing::info!(glib_level = name, "{message}"),
        Level::Debug => tracing::debug!(glib_level = name, "{message}"),
    }
}

/// Logs at `error` level.
pub fn error(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Error, &message);
}

/// Logs at `critical` level.
pub fn critical(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Critical, &message);
}

/// Logs at `warning` level.
pub fn warning(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Warning, &message);
}

/// Logs at `message` level.
pub fn message(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Message, &message);
}

/// Logs at `info` level.
pub fn info(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Info, &message);
}

/// Logs at `debug` level.
pub fn debug(message: impl fmt::Display) {
    logger_arc();
    emit(Level::Debug, &message);
}

/// Sends one of qemu-ga's per-command audit messages (`guest-exec
/// called: ...`) to syslog: a `tracing` event with the target
/// [`AUDIT_TARGET`], which call sites may also emit directly with
/// `tracing::info!(target: "audit", ...)`.
pub fn audit(message: impl fmt::Display) {
    logger_arc();
    tracing::info!(target: "audit", "{message}");
}

/// What `strerror` says for an I/O error: its message without Rust's
/// ` (os error N)` suffix.
pub fn strerror(err: &io::Error) -> String {
    let text = err.to_string();
    match err.raw_os_error() {
        Some(code) => text
            .strip_suffix(&format!(" (os error {code})"))
            .map_or_else(|| text.clone(), str::to_owned),
        None => text,
    }
}

/// The line logged at start-up (at `debug` level).
pub fn startup_message(version: &str) -> String {
    format!("Guest agent version {version} started")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn captured(verbose: bool) -> (Logger, Arc<Mutex<Vec<u8>>>) {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        (Logger::memory(buffer.clone(), verbose), buffer)
    }

    fn text(buffer: &Arc<Mutex<Vec<u8>>>) -> String {
        String::from_utf8(buffer.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn line_format_pads_microseconds() {
        let time = UNIX_EPOCH + Duration::new(1_700_000_000, 5_123_999);
        assert_eq!(
            format_line(time, Level::Debug, &"hello"),
            "1700000000.005123: debug: hello\n"
        );
        assert_eq!(
            format_line(UNIX_EPOCH, Level::Critical, &"x"),
            "0.000000: critical: x\n"
        );
    }

    #[test]
    fn level_names() {
        let names: Vec<_> = [
            Level::Error,
            Level::Critical,
            Level::Warning,
            Level::Message,
            Level::Info,
            Level::Debug,
        ]
        .iter()
        .map(|l| l.as_str())
        .collect();
        assert_eq!(
            names,
            ["error", "critical", "warning", "message", "info", "debug"]
        );
    }

    #[test]
    fn quiet_logger_writes_only_errors_and_criticals() {
        let (logger, buffer) = captured(false);
        logger.log(Level::Debug, "d");
        logger.log(Level::Warning, "w");
        logger.log(Level::Info, "i");
        logger.log(Level::Critical, "c");
        logger.log(Level::Error, "e");
        let text = text(&buffer);
        let levels: Vec<_> = text
            .lines()
            .map(|l| l.split(": ").nth(1).unwrap().to_owned())
            .collect();
        assert_eq!(levels, ["critical", "error"]);
    }

    #[test]
    fn verbose_logger_writes_everything() {
        let (logger, buffer) = captured(true);
        logger.log(Level::Debug, startup_message("10.2.0"));
        let text = text(&buffer);
        assert!(
            text.ends_with(": debug: Guest agent version 10.2.0 started\n"),
            "{text}"
        );
        let (stamp, _) = text.split_once(':').unwrap();
        let (secs, micros) = stamp.split_once('.').unwrap();
        assert!(secs.parse::<u64>().unwrap() > 1_600_000_000);
        assert_eq!(micros.len(), 6);
    }

    #[test]
    fn suspended_logger_drops_everything() {
        let (logger, buffer) = captured(true);
        logger.set_suspended(true);
        logger.log(Level::Critical, "dropped");
        assert!(text(&buffer).is_empty());
        logger.set_suspended(false);
        logger.log(Level::Critical, "kept");
        assert!(text(&buffer).contains("critical: kept"));
    }

    #[test]
    fn redirect_to_a_file() {
        let (logger, buffer) = captured(false);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        logger.redirect_to_file(&path).unwrap();
        logger.log(Level::Critical, "to the file");
        assert!(text(&buffer).is_empty());
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .ends_with(": critical: to the file\n"));
    }

    #[test]
    fn file_logger_appends() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, "old\n").unwrap();
        let logger = Logger::file(&path, false).unwrap();
        logger.log(Level::Critical, "new");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("old\n"));
        assert!(text.ends_with(": critical: new\n"));
    }
}
