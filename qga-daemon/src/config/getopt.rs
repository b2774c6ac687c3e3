//! GNU `getopt_long` semantics on top of a clap command.
//!
//! qemu-ga parses its arguments with glibc's `getopt_long`, which differs
//! from clap in ways a drop-in replacement must honour: an optional argument
//! is only taken when glued (`-F/path`, `--fsfreeze-hook=/path`), a glued
//! short argument is taken verbatim (`-m=x` means the method `=x`), a
//! required argument takes the next word whatever it looks like (`-p -v`),
//! long options may be abbreviated to any unique prefix, non-option words
//! are skipped wherever they appear, and `--` ends the options.
//!
//! [`scan`] walks the words with exactly those rules, using the clap
//! command only as the table of options, and rewrites every option into a
//! canonical form clap parses without ambiguity (`--long` or
//! `--long=value`; `-s value` for a short-only option). It also reports
//! getopt's error messages and the order in which options appear, which
//! decides between `-h`, `-V` and a parse error.

use clap::Command;

/// Whether an option takes an argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Flag,
    Required,
    Optional,
}

/// One option of the table.
#[derive(Debug, Clone)]
struct Opt {
    id: String,
    short: Option<char>,
    long: Option<String>,
    kind: Kind,
}

/// One option occurrence, as getopt would return it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The clap id of the option.
    pub id: String,
    /// Its argument, if it has one.
    pub value: Option<String>,
}

/// The result of walking the command line.
#[derive(Debug, Clone, Default)]
pub struct Scan {
    /// Every option recognised, in order, and getopt errors in between
    /// (as `Err(message)`).
    pub items: Vec<Result<Occurrence, String>>,
}

impl Scan {
    /// The canonical words for clap, one or two per occurrence.
    pub fn canonical(&self, cmd: &Command) -> Vec<String> {
        let table = table(cmd);
        let mut words = Vec::new();
        for occ in self.items.iter().flatten() {
            let Some(opt) = table.iter().find(|o| o.id == occ.id) else {
                continue;
            };
            match (&opt.long, &occ.value) {
                (Some(long), Some(value)) => words.push(format!("--{long}={value}")),
                (Some(long), None) => words.push(format!("--{long}")),
                (None, value) => {
                    words.push(format!("-{}", opt.short.unwrap_or('?')));
                    words.extend(value.clone());
                }
            }
        }
        words
    }
}

fn table(cmd: &Command) -> Vec<Opt> {
    cmd.get_arguments()
        .filter(|a| !a.is_positional())
        .map(|a| {
            let kind = if !a.get_action().takes_values() {
                Kind::Flag
            } else if a.get_num_args().is_some_and(|r| r.min_values() == 0) {
                Kind::Optional
            } else {
                Kind::Required
            };
            Opt {
                id: a.get_id().to_string(),
                short: a.get_short(),
                long: a.get_long().map(str::to_owned),
                kind,
            }
        })
        .collect()
}

/// Walks `args` (without the program name) with getopt_long's rules.
/// `cmd` must have been built (`Command::build`) so that every argument's
/// number of values is known.
pub fn scan(cmd: &Command, args: &[String]) -> Scan {
    let table = table(cmd);
    let mut scan = Scan::default();
    let mut words = args.iter();
    while let Some(word) = words.next() {
        if word == "--" {
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            scan.items.push(long_option(&table, word, long, &mut words));
        } else if let Some(cluster) = word.strip_prefix('-').filter(|c| !c.is_empty()) {
            short_cluster(&table, cluster, &mut words, &mut scan.items);
        }
        // Anything else is a non-option word, which qemu-ga ignores.
    }
    scan
}

fn long_option<'a>(
    table: &[Opt],
    word: &str,
    body: &str,
    rest: &mut impl Iterator<Item = &'a String>,
) -> Result<Occurrence, String> {
    let (name, glued) = match body.split_once('=') {
        Some((name, value)) => (name, Some(value)),
        None => (body, None),
    };
    let with_long = || {
        table
            .iter()
            .filter_map(|o| o.long.as_deref().map(|l| (o, l)))
    };
    let opt = match with_long().find(|(_, l)| *l == name) {
        Some((opt, _)) => opt,
        None => {
            let candidates: Vec<(&Opt, &str)> =
                with_long().filter(|(_, l)| l.starts_with(name)).collect();
            match candidates.as_slice() {
                [] => return Err(format!("unrecognized option '{word}'")),
                [(opt, _)] => *opt,
                many => {
                    let list: Vec<String> = many.iter().map(|(_, l)| format!("'--{l}'")).collect();
                    return Err(format!(
                        "option '{word}' is ambiguous; possibilities: {}",
                        list.join(" ")
                    ));
                }
            }
        }
    };
    let long = opt.long.as_deref().unwrap_or_default();
    let value = match (opt.kind, glued) {
        (Kind::Flag, Some(_)) => {
            return Err(format!("option '--{long}' doesn't allow an argument"))
        }
        (Kind::Flag, None) | (Kind::Optional, None) => None,
        (_, Some(v)) => Some(v.to_owned()),
        (Kind::Required, None) => match rest.next() {
            Some(v) => Some(v.clone()),
            None => return Err(format!("option '--{long}' requires an argument")),
        },
    };
    Ok(Occurrence {
        id: opt.id.clone(),
        value,
    })
}

fn short_cluster<'a>(
    table: &[Opt],
    cluster: &str,
    rest: &mut impl Iterator<Item = &'a String>,
    items: &mut Vec<Result<Occurrence, String>>,
) {
    for (at, c) in cluster.char_indices() {
        let Some(opt) = table.iter().find(|o| o.short == Some(c)) else {
            items.push(Err(format!("invalid option -- '{c}'")));
            continue;
        };
        let glued = cluster.get(at + c.len_utf8()..).unwrap_or_default();
        let value = match opt.kind {
            Kind::Flag => None,
            Kind::Optional => Some(glued.to_owned()).filter(|g| !g.is_empty()),
            Kind::Required if !glued.is_empty() => Some(glued.to_owned()),
            Kind::Required => match rest.next() {
                Some(v) => Some(v.clone()),
                None => {
                    items.push(Err(format!("option requires an argument -- '{c}'")));
                    return;
                }
            },
        };
        let takes_rest = opt.kind != Kind::Flag;
        items.push(Ok(Occurrence {
            id: opt.id.clone(),
            value,
        }));
        if takes_rest {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{Arg, ArgAction};

    fn cmd() -> Command {
        let mut cmd = Command::new("t")
            .arg(
                Arg::new("verbose")
                    .short('v')
                    .long("verbose")
                    .action(ArgAction::SetTrue),
            )
            .arg(
                Arg::new("version")
                    .short('V')
                    .long("version")
                    .action(ArgAction::SetTrue),
            )
            .arg(Arg::new("method").short('m').long("method"))
            .arg(
                Arg::new("hook")
                    .short('F')
                    .long("fsfreeze-hook")
                    .num_args(0..=1),
            )
            .arg(Arg::new("svc").short('s'));
        cmd.build();
        cmd
    }

    fn run(args: &[&str]) -> Vec<Result<(String, Option<String>), String>> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        scan(&cmd(), &args)
            .items
            .into_iter()
            .map(|r| r.map(|o| (o.id, o.value)))
            .collect()
    }

    fn ok(id: &str, value: Option<&str>) -> Result<(String, Option<String>), String> {
        Ok((id.to_owned(), value.map(str::to_owned)))
    }

    #[test]
    fn short_flags_cluster() {
        assert_eq!(run(&["-vV"]), [ok("verbose", None), ok("version", None)]);
    }

    #[test]
    fn short_required_glued_or_next() {
        assert_eq!(run(&["-mx"]), [ok("method", Some("x"))]);
        assert_eq!(run(&["-m=x"]), [ok("method", Some("=x"))]);
        assert_eq!(run(&["-m", "-v"]), [ok("method", Some("-v"))]);
        assert_eq!(
            run(&["-vm", "x"]),
            [ok("verbose", None), ok("method", Some("x"))]
        );
        assert_eq!(
            run(&["-m"]),
            [Err("option requires an argument -- 'm'".into())]
        );
    }

    #[test]
    fn short_optional_only_glued() {
        assert_eq!(run(&["-F"]), [ok("hook", None)]);
        assert_eq!(run(&["-Fv"]), [ok("hook", Some("v"))]);
        assert_eq!(run(&["-F", "/a"]), [ok("hook", None)]);
        assert_eq!(run(&["-F=/a"]), [ok("hook", Some("=/a"))]);
    }

    #[test]
    fn short_unknown_continues_in_cluster() {
        assert_eq!(
            run(&["-Zv"]),
            [Err("invalid option -- 'Z'".into()), ok("verbose", None)]
        );
    }

    #[test]
    fn long_forms() {
        assert_eq!(run(&["--method=x"]), [ok("method", Some("x"))]);
        assert_eq!(run(&["--method", "-v"]), [ok("method", Some("-v"))]);
        assert_eq!(run(&["--method=="]), [ok("method", Some("="))]);
        assert_eq!(run(&["--fsfreeze-hook", "/a"]), [ok("hook", None)]);
        assert_eq!(run(&["--fsfreeze-hook="]), [ok("hook", Some(""))]);
        assert_eq!(run(&["--fsfreeze-hook=/a"]), [ok("hook", Some("/a"))]);
        assert_eq!(
            run(&["--method"]),
            [Err("option '--method' requires an argument".into())]
        );
        assert_eq!(
            run(&["--verbose=1"]),
            [Err("option '--verbose' doesn't allow an argument".into())]
        );
    }

    #[test]
    fn long_abbreviations() {
        assert_eq!(run(&["--meth=x"]), [ok("method", Some("x"))]);
        assert_eq!(run(&["--verb"]), [ok("verbose", None)]);
        assert_eq!(
            run(&["--ver"]),
            [Err(
                "option '--ver' is ambiguous; possibilities: '--verbose' '--version'".into()
            )]
        );
        assert_eq!(
            run(&["--ver=1"]),
            [Err(
                "option '--ver=1' is ambiguous; possibilities: '--verbose' '--version'".into()
            )]
        );
        assert_eq!(
            run(&["--bogus=x"]),
            [Err("unrecognized option '--bogus=x'".into())]
        );
        assert_eq!(run(&["--"]), []);
        assert_eq!(run(&["---"]), [Err("unrecognized option '---'".into())]);
    }

    #[test]
    fn words_and_double_dash() {
        assert_eq!(run(&["a", "-", "-v", "b"]), [ok("verbose", None)]);
        assert_eq!(run(&["--", "-v"]), []);
    }

    #[test]
    fn canonical_words() {
        let args: Vec<String> = ["-vmx", "-F", "-Fy", "-s", "-q"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let c = cmd();
        let words = scan(&c, &args).canonical(&c);
        assert_eq!(
            words,
            [
                "--verbose",
                "--method=x",
                "--fsfreeze-hook",
                "--fsfreeze-hook=y",
                "-s",
                "-q"
            ]
        );
    }
}
