//! Tests of the whole pipeline: command line + environment + file.

use super::*;
use std::collections::HashMap;

/// Runs [`load`] with `args` (program name added), `QGA_CONF` unset unless
/// `env` says otherwise, and an in-memory file system.
fn run_with(
    args: &[&str],
    env: &[(&str, &str)],
    files: &[(&str, &str)],
) -> Result<Action, ConfigError> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let files: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(k, v)| (k.to_string(), v.as_bytes().to_vec()))
        .collect();
    let argv = std::iter::once("qemu-ga").chain(args.iter().copied());
    load(
        argv,
        |name| env.get(name).cloned(),
        |path| {
            files
                .get(path)
                .cloned()
                .ok_or_else(|| io::Error::from_raw_os_error(2))
        },
    )
}

fn config_with(args: &[&str], conf: &str) -> Config {
    match run_with(args, &[("QGA_CONF", "/q.conf")], &[("/q.conf", conf)]) {
        Ok(Action::Run(config)) => *config,
        other => panic!("unexpected {other:?}"),
    }
}

fn config(args: &[&str]) -> Config {
    match run_with(args, &[], &[]) {
        Ok(Action::Run(config)) => *config,
        other => panic!("unexpected {other:?}"),
    }
}

fn error(args: &[&str]) -> String {
    run_with(args, &[], &[]).unwrap_err().to_string()
}

fn conf_error(conf: &str) -> String {
    run_with(&["-D"], &[("QGA_CONF", "/q.conf")], &[("/q.conf", conf)])
        .unwrap_err()
        .to_string()
}

#[test]
fn defaults() {
    let c = config(&[]);
    assert_eq!(
        c,
        Config {
            daemonize: false,
            method: Method::VirtioSerial,
            path: Some(DEFAULT_VIRTIO_SERIAL_PATH.into()),
            logfile: None,
            pidfile: DEFAULT_PIDFILE.into(),
            fsfreeze_hook: None,
            statedir: DEFAULT_STATEDIR.into(),
            verbose: false,
            retry_path: false,
            block_rpcs: vec![],
            allow_rpcs: vec![],
            freeze_timeout: None,
            dump_conf: false,
            config_path: DEFAULT_CONFIG_PATH.into(),
        }
    );
}

#[test]
fn each_option_sets_its_field() {
    assert!(config(&["-d"]).daemonize);
    assert!(config(&["--daemonize"]).daemonize);
    assert_eq!(config(&["-m", "isa-serial"]).method, Method::IsaSerial);
    assert_eq!(
        config(&["--method=unix-listen", "-p/s"]).method,
        Method::UnixListen
    );
    assert_eq!(
        config(&["-m", "vsock-listen", "-p", "3:4"]).method,
        Method::VsockListen
    );
    assert_eq!(config(&["-p", "/x"]).path.as_deref(), Some("/x"));
    assert_eq!(config(&["--path=/x"]).path.as_deref(), Some("/x"));
    assert_eq!(config(&["-l", "/l"]).logfile.as_deref(), Some("/l"));
    assert_eq!(config(&["--logfile=/l"]).logfile.as_deref(), Some("/l"));
    assert_eq!(config(&["-f", "/f"]).pidfile, "/f");
    assert_eq!(config(&["--pidfile", "/f"]).pidfile, "/f");
    assert_eq!(
        config(&["-F"]).fsfreeze_hook.as_deref(),
        Some(DEFAULT_FSFREEZE_HOOK)
    );
    assert_eq!(config(&["-F/h"]).fsfreeze_hook.as_deref(), Some("/h"));
    assert_eq!(
        config(&["--fsfreeze-hook=/h"]).fsfreeze_hook.as_deref(),
        Some("/h")
    );
    assert_eq!(config(&["-t", "/t"]).statedir, "/t");
    assert_eq!(config(&["--statedir=/t"]).statedir, "/t");
    assert!(config(&["-v"]).verbose);
    assert!(config(&["--verbose"]).verbose);
    assert!(config(&["-r"]).retry_path);
    assert!(config(&["--retry-path"]).retry_path);
    assert_eq!(config(&["-b", "a,b"]).block_rpcs, ["b", "a"]);
    assert_eq!(config(&["--block-rpcs=a"]).block_rpcs, ["a"]);
    assert_eq!(config(&["-a", "a,b"]).allow_rpcs, ["b", "a"]);
    assert_eq!(config(&["--allow-rpcs=a"]).allow_rpcs, ["a"]);
    assert!(config(&["-D"]).dump_conf);
    assert!(config(&["--dump-conf"]).dump_conf);
    assert_eq!(config(&["--freeze-timeout=30"]).freeze_timeout, Some(30));
    assert_eq!(config(&["--freeze-timeout", "0"]).freeze_timeout, None);
    assert_eq!(config(&["-s", "install"]), config(&[]));
}

#[test]
fn immediate_actions() {
    assert_eq!(run_with(&["-h"], &[], &[]), Ok(Action::Help));
    assert_eq!(run_with(&["--help"], &[], &[]), Ok(Action::Help));
    assert_eq!(run_with(&["-V"], &[], &[]), Ok(Action::Version));
    assert_eq!(run_with(&["--version"], &[], &[]), Ok(Action::Version));
    assert_eq!(run_with(&["-b", "help"], &[], &[]), Ok(Action::ListRpcs));
    assert_eq!(run_with(&["-b", "?"], &[], &[]), Ok(Action::ListRpcs));
    assert_eq!(
        run_with(&["--allow-rpcs=help"], &[], &[]),
        Ok(Action::ListRpcs)
    );
    assert_eq!(run_with(&["-a?"], &[], &[]), Ok(Action::ListRpcs));
    // Even without a path for unix-listen: -h is handled first.
    assert_eq!(
        run_with(&["-m", "unix-listen", "-h"], &[], &[]),
        Ok(Action::Help)
    );
}

#[test]
fn usage_errors() {
    assert_eq!(error(&["--bogus"]), "unrecognized option '--bogus'");
    assert_eq!(error(&["-Z"]), "invalid option -- 'Z'");
    assert_eq!(error(&["-D", "-l"]), "option requires an argument -- 'l'");
    assert_eq!(
        error(&["--freeze-timeout=soon"]),
        "invalid freeze timeout 'soon': expected a number of seconds"
    );
    let bad = load(
        [OsString::from("qemu-ga"), {
            use std::os::unix::ffi::OsStringExt;
            OsString::from_vec(vec![b'-', b'p', 0xff])
        }],
        |_| None,
        |_| Err(io::Error::from_raw_os_error(2)),
    );
    assert_eq!(
        bad.unwrap_err().to_string(),
        "invalid UTF-8 in argument '-p\u{fffd}'"
    );
}

#[test]
fn positional_arguments_are_ignored() {
    assert_eq!(config(&["a", "-v", "b"]), config(&["-v"]));
}

#[test]
fn path_defaults_per_method() {
    assert_eq!(
        config(&["-m", "isa-serial"]).path.as_deref(),
        Some(DEFAULT_ISA_SERIAL_PATH)
    );
    assert_eq!(
        error(&["-m", "unix-listen"]),
        "must specify a path for this channel"
    );
    assert_eq!(
        error(&["-m", "vsock-listen"]),
        "must specify a path for this channel"
    );
    assert_eq!(
        error(&["-m", "bogus"]),
        "must specify a path for this channel"
    );
    assert_eq!(error(&["-m", ""]), "must specify a path for this channel");
}

#[test]
fn config_file_path_selection() {
    let conf = "[general]\nmethod=isa-serial\n";
    // Default path.
    let c = match run_with(&[], &[], &[(DEFAULT_CONFIG_PATH, conf)]).unwrap() {
        Action::Run(c) => c,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        (c.method, c.config_path.as_str()),
        (Method::IsaSerial, DEFAULT_CONFIG_PATH)
    );
    // QGA_CONF overrides the default; -c overrides both.
    let files = [
        ("/env.conf", conf),
        ("/cli.conf", "[general]\nmethod=unix-listen\npath=/s\n"),
    ];
    let run = |args: &[&str]| match run_with(args, &[("QGA_CONF", "/env.conf")], &files).unwrap() {
        Action::Run(c) => (c.method, c.config_path),
        other => panic!("{other:?}"),
    };
    assert_eq!(run(&[]), (Method::IsaSerial, "/env.conf".into()));
    assert_eq!(
        run(&["-c", "/cli.conf"]),
        (Method::UnixListen, "/cli.conf".into())
    );
    assert_eq!(
        run(&["--config=/cli.conf"]),
        (Method::UnixListen, "/cli.conf".into())
    );
}

#[test]
fn missing_file_is_fine_unless_named_with_c() {
    assert_eq!(config(&[]).method, Method::VirtioSerial);
    let env_missing = run_with(&[], &[("QGA_CONF", "/nope")], &[]);
    assert!(matches!(env_missing, Ok(Action::Run(_))));
    assert!(matches!(
        run_with(&[], &[("QGA_CONF", "")], &[]),
        Ok(Action::Run(_))
    ));
    assert_eq!(
        error(&["-c", "/nope"]),
        "error loading configuration from path: /nope, No such file or directory"
    );
}

#[test]
fn unreadable_file_reports_strerror() {
    let result = load(
        ["qemu-ga"],
        |_| None,
        |_| Err(io::Error::from_raw_os_error(13)),
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "error loading configuration from path: /etc/qemu/qemu-ga.conf, Permission denied"
    );
    let result = load(
        ["qemu-ga"],
        |_| None,
        |_| Err(io::Error::other("Not a regular file")),
    );
    assert_eq!(
        result.unwrap_err().to_string(),
        "error loading configuration from path: /etc/qemu/qemu-ga.conf, Not a regular file"
    );
}

#[test]
fn read_config_file_checks_regular_files() {
    let err = read_config_file("/").unwrap_err();
    assert_eq!(io_message(&err), "Not a regular file");
    let err = read_config_file("/nonexistent/qemu-ga.conf").unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::NotFound);
    assert_eq!(io_message(&err), "No such file or directory");
}

#[test]
fn bad_file_wins_over_everything() {
    let files = [("/bad.conf", "garbage\n")];
    let env = [("QGA_CONF", "/bad.conf")];
    let expected = "error loading configuration from path: /bad.conf, Key file contains line \u{201c}garbage\u{201d} which is not a key-value pair, group, or comment";
    for args in [&["-h"][..], &["-V"], &["-b", "help"], &["--bogus"], &["-D"]] {
        assert_eq!(
            run_with(args, &env, &files).unwrap_err().to_string(),
            expected
        );
    }
    // -c is honoured wherever it is, even after -h.
    assert_eq!(
        run_with(&["-h", "-c", "/bad.conf"], &[], &files)
            .unwrap_err()
            .to_string(),
        expected
    );
}

#[test]
fn file_errors_have_qemu_shape() {
    assert_eq!(
        conf_error("[general]\ndaemon=yes\n"),
        "error loading configuration from path: /q.conf, Key file contains key \u{201c}daemon\u{201d} which has a value that cannot be interpreted."
    );
    assert_eq!(
        conf_error("method=x\n"),
        "error loading configuration from path: /q.conf, Key file does not start with a group"
    );
}

#[test]
fn every_config_key() {
    let c = config_with(
        &[],
        "[general]\ndaemon=true\nmethod=unix-listen\npath=/p\nlogfile=/l\npidfile=/f\n\
         fsfreeze-hook=/h\nstatedir=/t\nverbose=true\nretry-path=1\nblock-rpcs=a,b\n\
         allow-rpcs=c\nfreeze-timeout=9\n",
    );
    assert!(c.daemonize && c.verbose && c.retry_path);
    assert_eq!(c.method, Method::UnixListen);
    assert_eq!(c.path.as_deref(), Some("/p"));
    assert_eq!(c.logfile.as_deref(), Some("/l"));
    assert_eq!(c.pidfile, "/f");
    assert_eq!(c.fsfreeze_hook.as_deref(), Some("/h"));
    assert_eq!(c.statedir, "/t");
    assert_eq!(c.block_rpcs, ["b", "a"]);
    assert_eq!(c.allow_rpcs, ["c"]);
    assert_eq!(c.freeze_timeout, Some(9));
}

#[test]
fn command_line_overrides_file() {
    let conf = "[general]\nmethod=isa-serial\npath=/p\nlogfile=/l\npidfile=/f\n\
                fsfreeze-hook=/h\nstatedir=/t\nfreeze-timeout=9\n";
    let c = config_with(
        &[
            "-m",
            "virtio-serial",
            "-p",
            "/P",
            "-l",
            "/L",
            "-f",
            "/F",
            "-F",
            "-t",
            "/T",
            "--freeze-timeout=0",
        ],
        conf,
    );
    assert_eq!(c.method, Method::VirtioSerial);
    assert_eq!(c.path.as_deref(), Some("/P"));
    assert_eq!(c.logfile.as_deref(), Some("/L"));
    assert_eq!(c.pidfile, "/F");
    assert_eq!(c.fsfreeze_hook.as_deref(), Some(DEFAULT_FSFREEZE_HOOK));
    assert_eq!(c.statedir, "/T");
    assert_eq!(c.freeze_timeout, None);
    // A file path also serves a method given on the command line.
    let c = config_with(&["-m", "unix-listen"], "[general]\npath=/sock\n");
    assert_eq!(c.path.as_deref(), Some("/sock"));
}

#[test]
fn booleans_can_only_be_raised_by_the_command_line() {
    let conf = "[general]\ndaemon=false\nverbose=false\nretry-path=false\n";
    let c = config_with(&["-d", "-v", "-r"], conf);
    assert!(c.daemonize && c.verbose && c.retry_path);
    let c = config_with(
        &[],
        "[general]\ndaemon=true\nverbose=true\nretry-path=true\n",
    );
    assert!(c.daemonize && c.verbose && c.retry_path);
}

#[test]
fn lists_add_up() {
    let c = config_with(
        &["-b", "c", "-b", "d,e", "-a", "z"],
        "[general]\nblock-rpcs=a,b\nallow-rpcs=x,y\n",
    );
    assert_eq!(c.block_rpcs, ["b", "a", "c", "e", "d"]);
    assert_eq!(c.allow_rpcs, ["y", "x", "z"]);
    assert!(config(&["-b", ""]).block_rpcs.is_empty());
    assert_eq!(config(&["-b", ","]).block_rpcs, ["", ""]);
}

#[test]
fn is_allowed_semantics() {
    let c = config(&[]);
    assert!(c.is_allowed("guest-ping") && c.is_allowed("guest-bogus"));
    let c = config(&["-b", "guest-exec,guest-bogus"]);
    assert!(!c.is_allowed("guest-exec"));
    assert!(c.is_allowed("guest-ping") && c.is_allowed("guest-sync"));
    let c = config(&["-a", "guest-ping,guest-info"]);
    assert!(c.is_allowed("guest-ping") && c.is_allowed("guest-info"));
    assert!(!c.is_allowed("guest-sync") && !c.is_allowed("guest-sync-delimited"));
    assert!(!c.is_allowed("guest-exec"));
    let c = config(&["-a", "guest-ping,guest-exec,guest-info", "-b", "guest-exec"]);
    assert!(c.is_allowed("guest-ping") && !c.is_allowed("guest-exec"));
    // `-a ,` allows only the empty name: everything real is disabled.
    let c = config(&["-a", ","]);
    assert!(!c.is_allowed("guest-ping"));
}

#[test]
fn validate_checks_statedir_method_and_address() {
    assert_eq!(
        config(&[]).validate(),
        Ok(Channel::VirtioSerial(DEFAULT_VIRTIO_SERIAL_PATH.into()))
    );
    assert_eq!(
        config(&["-m", "isa-serial"]).validate(),
        Ok(Channel::IsaSerial(DEFAULT_ISA_SERIAL_PATH.into()))
    );
    assert_eq!(
        config(&["-m", "unix-listen", "-p", "/s"]).validate(),
        Ok(Channel::UnixListen("/s".into()))
    );
    assert_eq!(
        config(&["-m", "vsock-listen", "-p", "4294967295:5555"]).validate(),
        Ok(Channel::VsockListen(VsockAddress {
            cid: u32::MAX,
            port: 5555
        }))
    );
    let err = |args: &[&str]| config(args).validate().unwrap_err().to_string();
    assert_eq!(
        err(&["-t", "rel"]),
        "state directory must be an absolute path: rel"
    );
    assert_eq!(
        err(&["-t", ""]),
        "state directory must be an absolute path: "
    );
    assert_eq!(
        err(&["-m", "bogus", "-p", "x"]),
        "unsupported channel method/type: bogus"
    );
    assert_eq!(
        err(&["-m", "vsock-listen", "-p", "bogus"]),
        "error parsing address 'bogus'"
    );
    assert_eq!(
        err(&["-m", "vsock-listen", "-p", "1:x"]),
        "Failed to parse port 'x'"
    );
    // The state directory is checked first, as qemu-ga does.
    assert_eq!(
        err(&["-t", "rel", "-m", "bogus", "-p", "x"]),
        "state directory must be an absolute path: rel"
    );
    let mut cleared = config(&["-m", "unix-listen", "-p", "/s"]);
    cleared.path = None;
    assert_eq!(cleared.validate(), Err(ConfigError::MissingPath));
}

#[test]
fn method_names_round_trip() {
    for name in [
        "virtio-serial",
        "isa-serial",
        "unix-listen",
        "vsock-listen",
        "Virtio-Serial",
    ] {
        assert_eq!(Method::from_name(name).name(), name);
        assert_eq!(Method::from_name(name).to_string(), name);
    }
    assert_eq!(Method::from_name("x"), Method::Unsupported("x".into()));
    assert_eq!(Method::UnixListen.default_path(), None);
}

// Golden `-D` outputs, as printed by the real qemu-ga 10.0.2 (and, except
// for the `allow-rpcs=` line it does not have, by 7.2.22).

#[test]
fn golden_dump_defaults() {
    assert_eq!(
        config(&["-D"]).dump(),
        "[general]\ndaemon=false\nmethod=virtio-serial\npath=/dev/virtio-ports/org.qemu.guest_agent.0\n\
         pidfile=/var/run/qemu-ga.pid\nstatedir=/var/run\nverbose=false\nretry-path=false\n\
         block-rpcs=\nallow-rpcs=\n"
    );
}

#[test]
fn golden_dump_all_options() {
    let args = [
        "-D", "-F", "-v", "-d", "-r", "-l", "/log", "-f", "/pid", "-t", "/st", "-p", "/p",
    ];
    assert_eq!(
        config(&args).dump(),
        "[general]\ndaemon=true\nmethod=virtio-serial\npath=/p\nlogfile=/log\npidfile=/pid\n\
         fsfreeze-hook=/etc/qemu/fsfreeze-hook\nstatedir=/st\nverbose=true\nretry-path=true\n\
         block-rpcs=\nallow-rpcs=\n"
    );
}

#[test]
fn golden_dump_lists_and_isa_serial() {
    assert_eq!(
        config(&["-D", "-m", "isa-serial", "-b", "a,b,c", "-b", "d,e"]).dump(),
        "[general]\ndaemon=false\nmethod=isa-serial\npath=/dev/ttyS0\npidfile=/var/run/qemu-ga.pid\n\
         statedir=/var/run\nverbose=false\nretry-path=false\nblock-rpcs=c,b,a,e,d\nallow-rpcs=\n"
    );
}

#[test]
fn golden_dump_file_and_command_line() {
    let conf = "[general]\ndaemon=true\nmethod=isa-serial\npath=/cfgpath\nlogfile=/cfglog\n\
                pidfile=/cfgpid\nfsfreeze-hook=/cfghook\nstatedir=/cfgstate\nverbose=true\n\
                retry-path=true\nblock-rpcs=a,b\nallow-rpcs=x,y\nblacklist=bl1,bl2\n[other]\nfoo=bar\n";
    let args = ["-D", "-m", "virtio-serial", "-b", "c", "-a", "z"];
    assert_eq!(
        config_with(&args, conf).dump(),
        "[general]\ndaemon=true\nmethod=virtio-serial\npath=/cfgpath\nlogfile=/cfglog\n\
         pidfile=/cfgpid\nfsfreeze-hook=/cfghook\nstatedir=/cfgstate\nverbose=true\n\
         retry-path=true\nblock-rpcs=b,a,c\nallow-rpcs=y,x,z\n"
    );
}

#[test]
fn golden_dump_escapes_and_unchecked_values() {
    let c = config(&[
        "-D",
        "-m",
        "bogus",
        "-p",
        " a\tb \nc\\d\r",
        "-b",
        " x, y",
        "-t",
        "rel",
    ]);
    assert_eq!(
        c.dump(),
        "[general]\ndaemon=false\nmethod=bogus\npath=\\sa\tb \\nc\\\\d\\r\n\
         pidfile=/var/run/qemu-ga.pid\nstatedir=rel\nverbose=false\nretry-path=false\n\
         block-rpcs=\\sy, x\nallow-rpcs=\n"
    );
}

#[test]
fn dump_extras_of_ours() {
    let mut c = config(&["-D", "--freeze-timeout=45", "--fsfreeze-hook="]);
    let text = c.dump();
    assert!(text.ends_with("allow-rpcs=\nfreeze-timeout=45\n"), "{text}");
    assert!(text.contains("\nfsfreeze-hook=\nstatedir="), "{text}");
    c.path = None;
    assert!(!c.dump().contains("\npath="));
}
