//! qemu-ga's command line options.

use super::getopt::{self, Occurrence};
use super::{ConfigError, DEFAULT_FSFREEZE_HOOK};
use clap::{CommandFactory, FromArgMatches, Parser};

/// The options, in the order of qemu-ga's long option table (which is the
/// order getopt lists ambiguous abbreviations in).
#[derive(Debug, Default, Parser)]
#[command(
    name = "qemu-ga",
    disable_help_flag = true,
    disable_version_flag = true,
    args_override_self = true
)]
pub(crate) struct CliArgs {
    /// Print the help text and exit.
    #[arg(short = 'h', long = "help")]
    pub help: bool,
    /// Print the version and exit.
    #[arg(short = 'V', long = "version")]
    pub version: bool,
    /// The configuration file.
    #[arg(short = 'c', long = "config")]
    pub config: Option<String>,
    /// Print the effective configuration and exit.
    #[arg(short = 'D', long = "dump-conf")]
    pub dump_conf: bool,
    /// The log file.
    #[arg(short = 'l', long = "logfile")]
    pub logfile: Option<String>,
    /// The pid file.
    #[arg(short = 'f', long = "pidfile")]
    pub pidfile: Option<String>,
    /// The fsfreeze hook; its argument is optional and must be glued.
    #[arg(
        short = 'F',
        long = "fsfreeze-hook",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = DEFAULT_FSFREEZE_HOOK
    )]
    pub fsfreeze_hook: Option<String>,
    /// Log debug messages.
    #[arg(short = 'v', long = "verbose")]
    pub verbose: bool,
    /// The transport method.
    #[arg(short = 'm', long = "method")]
    pub method: Option<String>,
    /// The device or socket path.
    #[arg(short = 'p', long = "path")]
    pub path: Option<String>,
    /// Fork into the background.
    #[arg(short = 'd', long = "daemonize")]
    pub daemonize: bool,
    /// Comma-separated commands to disable.
    #[arg(short = 'b', long = "block-rpcs")]
    pub block_rpcs: Vec<String>,
    /// Comma-separated commands to allow (all others are disabled).
    #[arg(short = 'a', long = "allow-rpcs")]
    pub allow_rpcs: Vec<String>,
    /// Windows service command; accepted and ignored, as qemu-ga does on
    /// other systems.
    #[arg(short = 's', hide = true, allow_hyphen_values = true)]
    pub service: Option<String>,
    /// The state directory.
    #[arg(short = 't', long = "statedir")]
    pub statedir: Option<String>,
    /// Keep retrying the channel when it cannot be opened.
    #[arg(short = 'r', long = "retry-path")]
    pub retry_path: bool,
    /// Thaw frozen filesystems automatically after this many seconds.
    #[arg(long = "freeze-timeout")]
    pub freeze_timeout: Option<String>,
}

/// What the command line asks for before any configuration is merged.
#[derive(Debug)]
pub(crate) enum CliOutcome {
    /// `-h`/`--help` came first.
    Help,
    /// `-V`/`--version` came first.
    Version,
    /// `-b help` or `-a help` (or `?`) came first.
    ListRpcs,
    /// Options to merge with the configuration file.
    Options(Box<CliArgs>),
    /// getopt would reject the command line.
    Error(String),
}

/// The parsed command line and the configuration file it names.
#[derive(Debug)]
pub(crate) struct Cli {
    /// The outcome, decided by the first of `-h`, `-V`, `-b help`,
    /// `-a help` or an invalid option, in command line order.
    pub outcome: CliOutcome,
    /// The last `-c` value, wherever it appears: qemu-ga looks for it
    /// before anything else, so it counts even after `-h` or an error.
    pub config: Option<String>,
}

fn is_help_value(value: Option<&str>) -> bool {
    matches!(value, Some("help" | "?"))
}

/// Parses the arguments (without the program name).
pub(crate) fn parse(args: &[String]) -> Cli {
    let mut cmd = CliArgs::command();
    cmd.build();
    let scan = getopt::scan(&cmd, args);
    let config = scan
        .items
        .iter()
        .rev()
        .flatten()
        .find(|o| o.id == "config")
        .and_then(|o| o.value.clone());
    let first_stop = scan.items.iter().find_map(|item| match item {
        Err(message) => Some(CliOutcome::Error(message.clone())),
        Ok(Occurrence { id, .. }) if id == "help" => Some(CliOutcome::Help),
        Ok(Occurrence { id, .. }) if id == "version" => Some(CliOutcome::Version),
        Ok(Occurrence { id, value })
            if (id == "block_rpcs" || id == "allow_rpcs") && is_help_value(value.as_deref()) =>
        {
            Some(CliOutcome::ListRpcs)
        }
        Ok(_) => None,
    });
    let outcome = match first_stop {
        Some(outcome) => outcome,
        None => {
            let mut words = vec![String::from("qemu-ga")];
            words.extend(scan.canonical(&cmd));
            match cmd
                .try_get_matches_from(words)
                .and_then(|m| CliArgs::from_arg_matches(&m))
            {
                Ok(parsed) => CliOutcome::Options(Box::new(parsed)),
                Err(e) => CliOutcome::Error(e.kind().to_string()),
            }
        }
    };
    Cli { outcome, config }
}

/// Parses the value of `--freeze-timeout`: seconds, `0` meaning off.
pub(crate) fn freeze_timeout(value: &str) -> Result<Option<u32>, ConfigError> {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<u32>() {
        Ok(n) if digits => Ok(Some(n).filter(|&n| n != 0)),
        _ => Err(ConfigError::Usage(format!(
            "invalid freeze timeout '{value}': expected a number of seconds"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        parse(&args)
    }

    fn options(args: &[&str]) -> CliArgs {
        match cli(args).outcome {
            CliOutcome::Options(o) => *o,
            other => panic!("unexpected {other:?}"),
        }
    }

    fn error(args: &[&str]) -> String {
        match cli(args).outcome {
            CliOutcome::Error(e) => e,
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_short_option() {
        let o = options(&[
            "-mx", "-p", "/p", "-l", "/l", "-f", "/f", "-F/h", "-t", "/t", "-D", "-d", "-v", "-b",
            "a,b", "-a", "c", "-c", "/c", "-r", "-s", "svc",
        ]);
        assert_eq!(o.method.as_deref(), Some("x"));
        assert_eq!(o.path.as_deref(), Some("/p"));
        assert_eq!(o.logfile.as_deref(), Some("/l"));
        assert_eq!(o.pidfile.as_deref(), Some("/f"));
        assert_eq!(o.fsfreeze_hook.as_deref(), Some("/h"));
        assert_eq!(o.statedir.as_deref(), Some("/t"));
        assert!(o.dump_conf && o.daemonize && o.verbose && o.retry_path);
        assert_eq!(o.block_rpcs, ["a,b"]);
        assert_eq!(o.allow_rpcs, ["c"]);
        assert_eq!(o.config.as_deref(), Some("/c"));
        assert_eq!(o.service.as_deref(), Some("svc"));
        assert!(!o.help && !o.version);
    }

    #[test]
    fn every_long_option() {
        let o = options(&[
            "--method=x",
            "--path",
            "/p",
            "--logfile=/l",
            "--pidfile=/f",
            "--fsfreeze-hook=/h",
            "--statedir=/t",
            "--dump-conf",
            "--daemonize",
            "--verbose",
            "--block-rpcs=a",
            "--block-rpcs",
            "b",
            "--allow-rpcs=c",
            "--config=/c",
            "--retry-path",
            "--freeze-timeout=30",
        ]);
        assert_eq!(o.method.as_deref(), Some("x"));
        assert_eq!(o.path.as_deref(), Some("/p"));
        assert_eq!(o.logfile.as_deref(), Some("/l"));
        assert_eq!(o.pidfile.as_deref(), Some("/f"));
        assert_eq!(o.fsfreeze_hook.as_deref(), Some("/h"));
        assert_eq!(o.statedir.as_deref(), Some("/t"));
        assert!(o.dump_conf && o.daemonize && o.verbose && o.retry_path);
        assert_eq!(o.block_rpcs, ["a", "b"]);
        assert_eq!(o.allow_rpcs, ["c"]);
        assert_eq!(o.config.as_deref(), Some("/c"));
        assert_eq!(o.freeze_timeout.as_deref(), Some("30"));
    }

    #[test]
    fn fsfreeze_hook_default_and_glued() {
        let hook = |args: &[&str]| options(args).fsfreeze_hook;
        assert_eq!(hook(&[]), None);
        assert_eq!(hook(&["-F"]).as_deref(), Some(DEFAULT_FSFREEZE_HOOK));
        assert_eq!(
            hook(&["--fsfreeze-hook"]).as_deref(),
            Some(DEFAULT_FSFREEZE_HOOK)
        );
        assert_eq!(hook(&["-F", "/a"]).as_deref(), Some(DEFAULT_FSFREEZE_HOOK));
        assert_eq!(hook(&["-F/a"]).as_deref(), Some("/a"));
        assert_eq!(hook(&["-Fv"]).as_deref(), Some("v"));
        assert_eq!(hook(&["--fsfreeze-hook="]).as_deref(), Some(""));
    }

    #[test]
    fn repeated_options_last_wins() {
        let o = options(&["-m", "a", "-m", "b", "-v", "-v"]);
        assert_eq!(o.method.as_deref(), Some("b"));
        assert!(o.verbose);
    }

    #[test]
    fn positional_words_are_ignored() {
        let o = options(&["a", "-v", "b", "--", "-d"]);
        assert!(o.verbose && !o.daemonize);
    }

    #[test]
    fn first_stop_wins() {
        assert!(matches!(cli(&["-h", "--bogus"]).outcome, CliOutcome::Help));
        assert!(matches!(cli(&["-V", "-h"]).outcome, CliOutcome::Version));
        assert!(matches!(
            cli(&["-D", "-b", "help", "-V"]).outcome,
            CliOutcome::ListRpcs
        ));
        assert!(matches!(
            cli(&["--allow-rpcs=?"]).outcome,
            CliOutcome::ListRpcs
        ));
        assert!(matches!(cli(&["-bhelp"]).outcome, CliOutcome::ListRpcs));
        assert!(matches!(
            cli(&["--bogus", "-h"]).outcome,
            CliOutcome::Error(_)
        ));
        assert!(matches!(options(&["-b", "HELP"]).block_rpcs.as_slice(), [h] if h == "HELP"));
        assert!(matches!(options(&["-b", "a,help"]).block_rpcs.as_slice(), [h] if h == "a,help"));
    }

    #[test]
    fn config_path_found_anywhere() {
        assert_eq!(cli(&["-h", "-c", "/x"]).config.as_deref(), Some("/x"));
        assert_eq!(
            cli(&["--bogus", "--config=/y"]).config.as_deref(),
            Some("/y")
        );
        assert_eq!(cli(&["-c", "/a", "-c/b"]).config.as_deref(), Some("/b"));
        assert_eq!(cli(&["-m", "-c", "/x"]).config, None);
    }

    #[test]
    fn getopt_error_messages() {
        assert_eq!(error(&["--bogus"]), "unrecognized option '--bogus'");
        assert_eq!(error(&["-Z"]), "invalid option -- 'Z'");
        assert_eq!(error(&["-m"]), "option requires an argument -- 'm'");
        assert_eq!(
            error(&["--method"]),
            "option '--method' requires an argument"
        );
        assert_eq!(
            error(&["--dump-conf=x"]),
            "option '--dump-conf' doesn't allow an argument"
        );
        assert_eq!(
            error(&["--d"]),
            "option '--d' is ambiguous; possibilities: '--dump-conf' '--daemonize'"
        );
        assert_eq!(
            error(&["--p"]),
            "option '--p' is ambiguous; possibilities: '--pidfile' '--path'"
        );
        assert_eq!(
            error(&["--ver"]),
            "option '--ver' is ambiguous; possibilities: '--version' '--verbose'"
        );
        assert_eq!(
            error(&["--blacklist=x"]),
            "unrecognized option '--blacklist=x'"
        );
        assert_eq!(error(&["--service=x"]), "unrecognized option '--service=x'");
    }

    #[test]
    fn abbreviations() {
        assert!(options(&["--verb"]).verbose);
        assert!(options(&["--re"]).retry_path);
        assert_eq!(
            options(&["--meth=isa-serial"]).method.as_deref(),
            Some("isa-serial")
        );
    }

    #[test]
    fn freeze_timeout_values() {
        assert_eq!(freeze_timeout("30"), Ok(Some(30)));
        assert_eq!(freeze_timeout("0"), Ok(None));
        for bad in ["", "-1", "+3", "+0", "x", "4294967296", " 5"] {
            assert_eq!(
                freeze_timeout(bad).unwrap_err().to_string(),
                format!("invalid freeze timeout '{bad}': expected a number of seconds")
            );
        }
    }
}
