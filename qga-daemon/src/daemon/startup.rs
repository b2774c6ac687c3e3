//! Starting and running the agent, in qemu-ga's order.
//!
//! [`start`]: install the logger (stderr) and log the start-up line, look
//! for the frozen marker (warning on stderr if found), detach with `-d`,
//! write the pid file (daemon only) and open the log file, unless frozen
//! (then both wait for the thaw), load the state directory, watch
//! SIGTERM/SIGINT (thawing first if frozen), open the channel (retrying
//! with `-r`), and only then tell a waiting parent that we are ready.
//! [`Agent::serve`] then runs the channel until a signal arrives and
//! removes the socket file; dropping the [`Agent`] removes the pid file.
//!
//! ```no_run
//! use qga_daemon::config::{self, Action};
//! use qga_daemon::daemon::{start, Started};
//! use qga_daemon::server::{protocol_codecs, Reply};
//! use std::sync::Arc;
//!
//! let Ok(Action::Run(config)) = config::load_from_process() else { return };
//! let channel = config.validate().expect("valid configuration");
//! let status = match start(&config, &channel) {
//!     Ok(Started::Exit(status)) => status,
//!     Ok(Started::Running(mut agent)) => {
//!         let frozen = agent.frozen().clone();
//!         agent.set_thaw_hook(move || {
//!             /* thaw the filesystems, then: */
//!             frozen.unset_frozen();
//!         });
//!         let handler = |_request| Some(Reply::new(&serde_json::json!({"return": {}}), false));
//!         match agent.serve(protocol_codecs(), Arc::new(handler)) {
//!             Ok(()) => 0,
//!             Err(_) => 1,
//!         }
//!     }
//!     Err(_) => 1,
//! };
//! std::process::exit(status);
//! ```

use super::detach::{daemonize, Daemonized};
use super::frozen::{Deferred, Frozen};
use super::pidfile::PidFile;
use super::signals::{watch, SignalWatcher};
use crate::config::{Channel, Config, QEMU_COMPAT_VERSION};
use crate::log::{self, Logger};
use crate::server::{CodecFactory, Handler, Shutdown};
use crate::state::{frozen_at_startup_warning, StateDir};
use crate::transport::{self, Opened, Retry};
use std::io;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// Thaws the filesystems; see [`Agent::set_thaw_hook`].
type ThawHook = Box<dyn Fn() + Send + Sync>;

/// The result of [`start`].
#[derive(Debug)]
pub enum Started {
    /// This process is the parent of a daemon: exit with this status.
    Exit(i32),
    /// The agent is ready to serve.
    Running(Box<Agent>),
}

/// A started agent.
pub struct Agent {
    /// The channel, until [`Agent::serve`] takes it.
    opened: Option<Opened>,
    shutdown: Shutdown,
    state: Arc<StateDir>,
    frozen: Arc<Frozen>,
    retry: Retry,
    thaw: Arc<Mutex<Option<ThawHook>>>,
    _signals: SignalWatcher,
    _pidfile: Option<PidFile>,
}

impl std::fmt::Debug for Agent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("opened", &self.opened)
            .field("state", &self.state)
            .field("frozen", &self.frozen)
            .finish_non_exhaustive()
    }
}

/// Why the agent could not start; each is logged as `critical` by
/// [`start`] and means exit status 1.
pub type StartError = String;

/// qemu-ga's "previous instance appears to have exited with frozen
/// filesystems" warning goes through GLib's default handler (the log is
/// not set up yet): `** (process:PID): WARNING **: HH:MM:SS.mmm: ...`,
/// time of day in UTC here.
fn early_warning(message: &str) {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let day = now.as_secs() % 86_400;
    eprintln!(
        "\n** (process:{}): WARNING **: {:02}:{:02}:{:02}.{:03}: {}",
        std::process::id(),
        day / 3600,
        day % 3600 / 60,
        day % 60,
        now.subsec_millis(),
        message
    );
}

/// Starts the agent for `config` on `channel` (from
/// [`Config::validate`]).
pub fn start(config: &Config, channel: &Channel) -> Result<Started, StartError> {
    let _ = log::install(Logger::stderr(config.verbose));
    log::logger().set_verbose(config.verbose);
    // The background copy of a daemon repeats these steps; what the
    // parent already said on the terminal is not said twice.
    let first_run = std::env::var_os(super::detach::CHILD_ENV).is_none();
    if first_run {
        log::debug(log::startup_message(QEMU_COMPAT_VERSION));
    }
    let fail = |message: String| {
        log::critical(&message);
        message
    };

    let marker = Path::new(&config.statedir).join(crate::state::FROZEN_MARKER);
    let frozen = match std::fs::symlink_metadata(&marker) {
        Ok(_) => {
            if first_run {
                early_warning(&frozen_at_startup_warning(&marker));
            }
            true
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => false,
        Err(e) => {
            return Err(fail(format!(
                "unable to access state file at path {}: {}",
                marker.display(),
                log::strerror(&e)
            )))
        }
    };

    let detach = if config.daemonize {
        match daemonize() {
            Ok(Daemonized::Parent(status)) => return Ok(Started::Exit(status)),
            Ok(Daemonized::Child(detach)) => Some(detach),
            Err(e) => return Err(fail(format!("failed to daemonize: {}", log::strerror(&e)))),
        }
    } else {
        None
    };

    let mut deferred = Deferred::default();
    let mut pidfile = None;
    if frozen {
        if config.daemonize {
            deferred.pidfile = Some(config.pidfile.clone().into());
        }
        deferred.logfile = config.logfile.clone().map(Into::into);
    } else {
        if config.daemonize {
            pidfile = Some(PidFile::create(&config.pidfile).map_err(|e| fail(e.to_string()))?);
        }
        if let Some(path) = &config.logfile {
            log::logger()
                .redirect_to_file(Path::new(path))
                .map_err(|e| {
                    fail(format!(
                        "unable to open specified log file: {}",
                        log::strerror(&e)
                    ))
                })?;
        }
    }

    let state = Arc::new(StateDir::open(&config.statedir, frozen).map_err(|e| {
        log::critical(&e);
        fail("failed to load persistent state".to_owned())
    })?);
    let frozen = Arc::new(Frozen::new(state.clone(), frozen, deferred));

    let shutdown = Shutdown::new().map_err(|e| fail(log::strerror(&e)))?;
    let thaw: Arc<Mutex<Option<ThawHook>>> = Arc::default();
    let signals = {
        let frozen = frozen.clone();
        let thaw = thaw.clone();
        watch(shutdown.clone(), move |_signal| {
            if frozen.is_frozen() {
                log::debug("Thawing filesystems before exiting");
                if let Some(hook) = thaw.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
                    hook();
                }
            }
        })
        .map_err(|e| {
            fail(format!(
                "failed to register signal handlers: {}",
                log::strerror(&e)
            ))
        })?
    };

    let retry = Retry::new(config.retry_path);
    let opened = match transport::open_with_retry(channel, retry, &shutdown) {
        Ok(Some(opened)) => opened,
        Ok(None) => return Ok(Started::Exit(0)),
        Err(e) => {
            log::critical(&e);
            log::critical(transport::CREATE_FAILED);
            return Err(fail(transport::INIT_FAILED.to_owned()));
        }
    };

    if let Some(detach) = detach {
        detach.ready().map_err(|e| fail(log::strerror(&e)))?;
    }
    Ok(Started::Running(Box::new(Agent {
        opened: Some(opened),
        shutdown,
        state,
        frozen,
        retry,
        thaw,
        _signals: signals,
        _pidfile: pidfile,
    })))
}

impl Agent {
    /// The state directory (file handles, frozen marker).
    pub fn state(&self) -> &Arc<StateDir> {
        &self.state
    }

    /// The frozen mode, for the freeze commands.
    pub fn frozen(&self) -> &Arc<Frozen> {
        &self.frozen
    }

    /// Sets what SIGTERM/SIGINT run before the shutdown while frozen:
    /// thawing the filesystems (and leaving [frozen mode](Frozen)).
    pub fn set_thaw_hook(&self, hook: impl Fn() + Send + Sync + 'static) {
        *self.thaw.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(hook));
    }

    /// The shutdown request (e.g. for `guest-shutdown`'s aftermath).
    pub fn shutdown(&self) -> &Shutdown {
        &self.shutdown
    }

    /// Serves the channel until SIGTERM/SIGINT (or another shutdown
    /// request). `Err` is the message of a channel failure (exit 1).
    pub fn serve(
        &mut self,
        codecs: Arc<CodecFactory>,
        handler: Arc<dyn Handler>,
    ) -> Result<(), String> {
        let Some(opened) = self.opened.take() else {
            return Ok(());
        };
        opened
            .serve(codecs, handler, &self.shutdown, self.retry)
            .map_err(|e| {
                log::critical(&e);
                e.to_string()
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::{protocol_codecs, Reply};
    use std::io::{BufRead, BufReader, Write};
    use std::os::unix::net::UnixStream;

    fn config(dir: &Path) -> (Config, Channel) {
        let sock = dir.join("qga.sock").display().to_string();
        let statedir = dir.display().to_string();
        let args = ["qemu-ga", "-m", "unix-listen", "-p", &sock, "-t", &statedir];
        let action = crate::config::load(
            args,
            |_| None,
            |_| Err(io::Error::from(io::ErrorKind::NotFound)),
        )
        .unwrap();
        let crate::config::Action::Run(config) = action else {
            panic!("not a run");
        };
        let channel = config.validate().unwrap();
        (*config, channel)
    }

    #[test]
    fn foreground_start_serve_and_stop() {
        let dir = tempfile::tempdir().unwrap();
        let (config, channel) = config(dir.path());
        let Started::Running(mut agent) = start(&config, &channel).unwrap() else {
            panic!("not running");
        };
        assert!(!agent.frozen().is_frozen());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("qga.state")).unwrap(),
            "[global]\nfd_counter=1000\n"
        );
        let shutdown = agent.shutdown().clone();
        let server = std::thread::spawn(move || {
            let handler = |_request| Some(Reply::new(&serde_json::json!({"return": {}}), false));
            agent.serve(protocol_codecs(), Arc::new(handler))
        });
        let sock = dir.path().join("qga.sock");
        let mut client = UnixStream::connect(&sock).unwrap();
        client.write_all(b"{\"execute\":\"guest-ping\"}").unwrap();
        let mut line = String::new();
        BufReader::new(&client).read_line(&mut line).unwrap();
        assert_eq!(line, "{\"return\": {}}\n");
        shutdown.request();
        server.join().unwrap().unwrap();
        assert!(!sock.exists());
    }

    #[test]
    fn frozen_start_defers_the_state_file() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(crate::state::FROZEN_MARKER), "").unwrap();
        let (config, channel) = config(dir.path());
        let Started::Running(agent) = start(&config, &channel).unwrap() else {
            panic!("not running");
        };
        assert!(agent.frozen().is_frozen());
        assert!(!dir.path().join("qga.state").exists());
        agent.frozen().unset_frozen();
        assert!(!dir.path().join(crate::state::FROZEN_MARKER).exists());
    }

    #[test]
    fn channel_failure() {
        let dir = tempfile::tempdir().unwrap();
        let (config, _) = config(dir.path());
        let channel = Channel::UnixListen(dir.path().join("no/sock").display().to_string());
        let err = start(&config, &channel).unwrap_err();
        assert_eq!(err, "failed to initialize guest agent channel");
    }

    #[test]
    fn unusable_statedir_fails() {
        let dir = tempfile::tempdir().unwrap();
        let (mut config, channel) = config(dir.path());
        config.statedir = dir.path().join("missing").display().to_string();
        let err = start(&config, &channel).unwrap_err();
        assert_eq!(err, "failed to load persistent state");
    }
}
