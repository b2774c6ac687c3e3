//! The `tracing_subscriber` layer that writes events as qemu-ga's log
//! lines.

use super::{Level, Logger, AUDIT_TARGET};
use std::fmt::{self, Write as _};
use std::sync::Arc;
use tracing::field::{Field, Visit};
use tracing::subscriber::Interest;
use tracing::{Event, Metadata, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

/// Writes `tracing` events through a [`Logger`]: ordinary events to its
/// log (file or stderr) in qemu-ga's line format, [audit](super::audit)
/// events to its syslog.
#[derive(Debug, Clone)]
pub struct LogLayer {
    logger: Arc<Logger>,
}

impl LogLayer {
    /// A layer writing through `logger`.
    pub fn new(logger: Arc<Logger>) -> Self {
        LogLayer { logger }
    }
}

/// qemu-ga's name for a `tracing` level, when the event does not name one.
fn level_of(level: &tracing::Level) -> Level {
    match *level {
        tracing::Level::ERROR => Level::Error,
        tracing::Level::WARN => Level::Warning,
        tracing::Level::INFO => Level::Info,
        _ => Level::Debug,
    }
}

/// Whether an event is one of qemu-ga's audit messages.
fn is_audit(metadata: &Metadata<'_>) -> bool {
    metadata.target() == AUDIT_TARGET
}

/// Collects an event's message, its `glib_level` and any other field
/// (appended as ` name=value`).
#[derive(Default)]
struct Fields {
    message: String,
    glib_level: Option<Level>,
    extra: String,
}

impl Fields {
    fn text(self) -> String {
        let mut text = self.message;
        text.push_str(&self.extra);
        text
    }
}

fn glib_level_named(name: &str) -> Option<Level> {
    [
        Level::Error,
        Level::Critical,
        Level::Warning,
        Level::Message,
        Level::Info,
        Level::Debug,
    ]
    .into_iter()
    .find(|l| l.as_str() == name)
}

impl Visit for Fields {
    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "glib_level" {
            self.glib_level = glib_level_named(value);
        } else {
            self.record_debug(field, &format_args!("{value}"));
        }
    }

    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.message, "{value:?}");
        } else {
            let _ = write!(self.extra, " {}={value:?}", field.name());
        }
    }
}

impl<S: Subscriber> Layer<S> for LogLayer {
    fn register_callsite(&self, _metadata: &'static Metadata<'static>) -> Interest {
        // Verbosity, suspension and syslog change at run time: decide
        // per event.
        Interest::sometimes()
    }

    fn enabled(&self, metadata: &Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        if is_audit(metadata) {
            self.logger.audit_enabled()
        } else {
            self.logger.enabled(level_of(metadata.level()))
        }
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        let mut fields = Fields::default();
        event.record(&mut fields);
        if is_audit(metadata) {
            self.logger.audit(fields.text());
        } else {
            let level = fields
                .glib_level
                .unwrap_or_else(|| level_of(metadata.level()));
            self.logger.log(level, fields.text());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;
    use tracing_subscriber::layer::SubscriberExt;

    /// Runs `f` with a subscriber writing to a buffer; the buffer's text.
    fn capture(verbose: bool, f: impl FnOnce()) -> String {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let logger = Arc::new(Logger::memory(buffer.clone(), verbose));
        let subscriber = tracing_subscriber::registry().with(LogLayer::new(logger));
        tracing::subscriber::with_default(subscriber, f);
        let bytes = buffer.lock().unwrap().clone();
        String::from_utf8(bytes).unwrap()
    }

    fn levels_and_messages(text: &str) -> Vec<String> {
        text.lines()
            .map(|l| l.split_once(": ").unwrap().1.to_owned())
            .collect()
    }

    #[test]
    fn helpers_keep_qemu_ga_level_names() {
        let text = capture(true, || {
            super::super::critical("c");
            super::super::error("e");
            super::super::warning("w");
            super::super::message("m");
            super::super::info("i");
            super::super::debug(format_args!("d {}", 1));
        });
        assert_eq!(
            levels_and_messages(&text),
            [
                "critical: c",
                "error: e",
                "warning: w",
                "message: m",
                "info: i",
                "debug: d 1"
            ]
        );
    }

    #[test]
    fn plain_tracing_events_take_their_level_name() {
        let text = capture(true, || {
            tracing::warn!("careful");
            tracing::trace!(count = 3, "fine");
        });
        assert_eq!(
            levels_and_messages(&text),
            ["warning: careful", "debug: fine count=3"]
        );
    }

    #[test]
    fn quiet_writes_errors_and_criticals_only() {
        let text = capture(false, || {
            super::super::debug("d");
            super::super::warning("w");
            super::super::critical("c");
            tracing::info!("i");
            tracing::error!("e");
        });
        assert_eq!(levels_and_messages(&text), ["critical: c", "error: e"]);
    }

    #[test]
    fn verbosity_changes_take_effect_at_once() {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let logger = Arc::new(Logger::memory(buffer.clone(), false));
        let subscriber = tracing_subscriber::registry().with(LogLayer::new(logger.clone()));
        tracing::subscriber::with_default(subscriber, || {
            for verbose in [false, true, false] {
                logger.set_verbose(verbose);
                tracing::debug!("v={verbose}");
            }
        });
        let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
        assert_eq!(levels_and_messages(&text), ["debug: v=true"]);
    }

    #[test]
    fn audit_messages_never_reach_the_log_file() {
        let text = capture(true, || {
            super::super::audit("guest-exec called");
            tracing::info!(target: "audit", "guest-file-open");
        });
        assert_eq!(text, "");
    }
}
