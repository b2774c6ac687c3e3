//! `qga-daemon`: the guest agent's executable, started as qemu-ga is.

use qga_daemon::agent::{self, Agent};
use qga_daemon::config::{self, Action, Config, ConfigError, QEMU_COMPAT_VERSION};
use qga_daemon::daemon::{start, Started};
use qga_daemon::log::{self, syslog::Syslog, wire::Traced, Logger};
use qga_daemon::server::protocol_codecs;
use std::io::Write;
use std::sync::Arc;

fn main() {
    // Before any thread starts: the memory of a large read must not stay.
    qga_daemon::daemon::memory::return_large_blocks();
    std::process::exit(run());
}

/// Everything `main` does; the exit status.
fn run() -> i32 {
    let prog = std::env::args_os().next().map_or_else(
        || "qemu-ga".to_owned(),
        |a| a.to_string_lossy().into_owned(),
    );
    match config::load_from_process() {
        Ok(Action::Help) => print(&config::help_text(&prog, QEMU_COMPAT_VERSION)),
        Ok(Action::Version) => print(&format!(
            "{}\n",
            config::version_banner(QEMU_COMPAT_VERSION)
        )),
        Ok(Action::ListRpcs) => print(&rpc_list()),
        Ok(Action::Run(config)) => run_agent(&config, &prog),
        Err(e) => config_failure(&prog, &e),
    }
}

/// Writes `text` to stdout; a closed stdout is not worth a panic.
fn print(text: &str) -> i32 {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
    0
}

/// `-b help` / `-a help`: every command in schema order, one per line.
fn rpc_list() -> String {
    agent::command_names().fold(String::new(), |mut text, name| {
        text.push_str(name);
        text.push('\n');
        text
    })
}

/// Reports a command line or configuration file error as qemu-ga does;
/// the exit status is 1.
fn config_failure(prog: &str, error: &ConfigError) -> i32 {
    match error {
        ConfigError::Usage(message) => {
            eprintln!("{prog}: {message}");
            print(&format!("{}\n", config::usage_hint(prog)));
        }
        // Reported before qemu-ga installs its own log handler, so in
        // GLib's default format.
        other => glib_critical(&other.to_string()),
    }
    1
}

/// A message in GLib's default format for `g_critical` on stderr:
/// `** (process:PID): CRITICAL **: HH:MM:SS.mmm: message` (UTC).
fn glib_critical(message: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let day = now.as_secs() % 86_400;
    eprintln!(
        "\n** (process:{}): CRITICAL **: {:02}:{:02}:{:02}.{:03}: {}",
        std::process::id(),
        day / 3600,
        day % 3600 / 60,
        day % 60,
        now.subsec_millis(),
        message
    );
}

/// `-D`, or start the agent and serve until SIGTERM/SIGINT.
fn run_agent(config: &Config, prog: &str) -> i32 {
    if config.dump_conf {
        return print(&config.dump());
    }
    let channel = match config.validate() {
        Ok(channel) => channel,
        Err(e) => {
            let _ = log::install(Logger::stderr(config.verbose));
            log::critical(&e);
            return 1;
        }
    };
    match start(config, &channel) {
        // Already logged.
        Err(_) => 1,
        Ok(Started::Exit(status)) => status,
        Ok(Started::Running(mut runtime)) => {
            let agent = Arc::new(Agent::new(
                config,
                runtime.frozen().clone(),
                runtime.state().clone(),
            ));
            let thawing = agent.clone();
            runtime.set_thaw_hook(move || thawing.thaw());
            // Audit messages go to syslog when there is one, as qemu-ga's.
            if let Some(syslog) = Syslog::for_process(prog) {
                log::logger().set_syslog(syslog);
            }
            // With -v, each request and reply is logged at debug level.
            let handler = Arc::new(Traced::new(agent));
            match runtime.serve(protocol_codecs(), handler) {
                Ok(()) => 0,
                Err(_) => 1,
            }
        }
    }
}
