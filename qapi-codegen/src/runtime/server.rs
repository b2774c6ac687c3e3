// The server side of the support code: the run-time command registry and
// the request envelope (QEMU's `qmp_dispatch` checks).

/// The commands a server offers, each with an enabled flag that can be
/// switched at run time from any thread.
#[derive(Debug)]
pub struct Registry {
    commands: &'static [CommandInfo],
    enabled: ::std::vec::Vec<::std::sync::atomic::AtomicBool>,
}

impl Registry {
    /// A registry of `commands`, every one enabled.
    pub fn new(commands: &'static [CommandInfo]) -> Registry {
        Registry {
            commands,
            enabled: commands
                .iter()
                .map(|_| ::std::sync::atomic::AtomicBool::new(true))
                .collect(),
        }
    }

    fn position(&self, name: &str) -> ::std::option::Option<usize> {
        self.commands.iter().position(|c| c.name == name)
    }

    /// The registration of command `name`.
    pub fn get(&self, name: &str) -> ::std::option::Option<&'static CommandInfo> {
        let commands = self.commands;
        commands.iter().find(|c| c.name == name)
    }

    /// Whether command `name` is enabled (`None`: no such command).
    pub fn is_enabled(&self, name: &str) -> ::std::option::Option<bool> {
        let i = self.position(name)?;
        self.enabled
            .get(i)
            .map(|e| e.load(::std::sync::atomic::Ordering::Acquire))
    }

    /// Enable or disable command `name`; false when there is no such
    /// command (QEMU accepts unknown names silently, so this is no error).
    pub fn set_enabled(&self, name: &str, on: bool) -> bool {
        match self.position(name).and_then(|i| self.enabled.get(i)) {
            ::std::option::Option::Some(e) => {
                e.store(on, ::std::sync::atomic::Ordering::Release);
                true
            }
            ::std::option::Option::None => false,
        }
    }

    /// Enable command `name` (see [`Registry::set_enabled`]).
    pub fn enable(&self, name: &str) -> bool {
        self.set_enabled(name, true)
    }

    /// Disable command `name` (see [`Registry::set_enabled`]).
    pub fn disable(&self, name: &str) -> bool {
        self.set_enabled(name, false)
    }

    /// Every command with its enabled flag, in schema order.
    pub fn iter(&self) -> impl ::std::iter::Iterator<Item = (&'static CommandInfo, bool)> + '_ {
        let commands = self.commands;
        commands.iter().zip(self.enabled.iter()).map(|(c, e)| {
            (c, e.load(::std::sync::atomic::Ordering::Acquire))
        })
    }

    /// The command a call of `name` runs: `The command NAME has not been
    /// found` when there is none, `Command NAME has been disabled` (class
    /// `CommandNotFound` as well) when it is disabled.
    pub fn check(&self, name: &str) -> ::std::result::Result<&'static CommandInfo, Error> {
        let i = self
            .position(name)
            .ok_or_else(|| Error::command_not_found(name))?;
        let on = self
            .enabled
            .get(i)
            .is_some_and(|e| e.load(::std::sync::atomic::Ordering::Acquire));
        match self.commands.get(i) {
            ::std::option::Option::Some(info) if on => ::std::result::Result::Ok(info),
            _ => ::std::result::Result::Err(Error::command_disabled(name)),
        }
    }
}

impl Error {
    /// `Command NAME has been disabled` (class `CommandNotFound`).
    pub fn command_disabled(name: &str) -> Error {
        Error {
            class: ErrorClass::CommandNotFound,
            desc: ::std::format!("Command {name} has been disabled"),
        }
    }
}

/// The bucket QEMU's dictionaries put `key` in (`tdb_hash(key) % 512`,
/// over the modified UTF-8 form where U+0000 is `C0 80`); they iterate
/// bucket by bucket, the latest insertion first within one.
pub fn qdict_bucket(key: &str) -> u32 {
    let mut value: u32 = 0;
    let mut len: u32 = 0;
    let mut i: u32 = 0;
    let mut add = |byte: u8| {
        value = value.wrapping_add(u32::from(byte) << ((i * 5) % 24));
        i = i.wrapping_add(1);
    };
    for &byte in key.as_bytes() {
        if byte == 0 {
            add(0xC0);
            add(0x80);
            len = len.wrapping_add(2);
        } else {
            add(byte);
            len = len.wrapping_add(1);
        }
    }
    let seeded = value.wrapping_add(0x238F_13AF_u32.wrapping_mul(len));
    1_103_515_243_u32.wrapping_mul(seeded).wrapping_add(12_345) % 512
}

/// A request that passed the envelope checks.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    /// The command name.
    pub execute: ::std::string::String,
    /// The arguments, if the request has them.
    pub arguments: ::std::option::Option<Map>,
    /// The `id` to echo in the reply.
    pub id: ::std::option::Option<::serde_json::Value>,
}

/// Check a request object as QEMU does, reporting the first problem met in
/// its dictionary order: `execute` must be a string, `arguments` an
/// object, no member but those and `id`; then `execute` must be present.
/// The error comes with the `id` to echo.
pub fn check_envelope(
    request: ::serde_json::Value,
) -> ::std::result::Result<Envelope, (Error, ::std::option::Option<::serde_json::Value>)> {
    let ::serde_json::Value::Object(mut members) = request else {
        return ::std::result::Result::Err((
            Error::generic("QMP input must be a JSON object"),
            ::std::option::Option::None,
        ));
    };
    let id = members.remove("id");
    let mut keys: ::std::vec::Vec<(u32, &::std::string::String)> =
        members.keys().rev().map(|k| (qdict_bucket(k), k)).collect();
    keys.sort_by_key(|k| k.0);
    let mut problem = ::std::option::Option::None;
    for (_, key) in keys {
        let bad = match (key.as_str(), members.get(key.as_str())) {
            ("execute", ::std::option::Option::Some(v)) if !v.is_string() => {
                ::std::option::Option::Some("QMP input member 'execute' must be a string".to_string())
            }
            ("arguments", ::std::option::Option::Some(v)) if !v.is_object() => {
                ::std::option::Option::Some("QMP input member 'arguments' must be an object".to_string())
            }
            ("execute" | "arguments", _) => ::std::option::Option::None,
            (other, _) => ::std::option::Option::Some(::std::format!(
                "QMP input member '{other}' is unexpected"
            )),
        };
        if bad.is_some() {
            problem = bad;
            break;
        }
    }
    if let ::std::option::Option::Some(desc) = problem {
        return ::std::result::Result::Err((Error::generic(desc), id));
    }
    let execute = match members.remove("execute") {
        ::std::option::Option::Some(::serde_json::Value::String(s)) => s,
        _ => {
            return ::std::result::Result::Err((
                Error::generic("QMP input lacks member 'execute'"),
                id,
            ))
        }
    };
    let arguments = match members.remove("arguments") {
        ::std::option::Option::Some(::serde_json::Value::Object(m)) => ::std::option::Option::Some(m),
        _ => ::std::option::Option::None,
    };
    ::std::result::Result::Ok(Envelope {
        execute,
        arguments,
        id,
    })
}

/// The reply `{"return": value}` or `{"error": ...}`, with `"id"` when
/// the request had one.
pub fn reply(
    result: ::std::result::Result<::serde_json::Value, Error>,
    id: ::std::option::Option<::serde_json::Value>,
) -> ::serde_json::Value {
    let mut out = match result {
        ::std::result::Result::Ok(v) => {
            let mut m = Map::new();
            m.insert("return".into(), v);
            m
        }
        ::std::result::Result::Err(e) => match e.to_reply() {
            ::serde_json::Value::Object(m) => m,
            _ => Map::new(),
        },
    };
    if let ::std::option::Option::Some(id) = id {
        out.insert("id".into(), id);
    }
    ::serde_json::Value::Object(out)
}

/// Answer one request object: the envelope checks, then `execute` (the
/// command lookup, the enabled check, the arguments, the call). `None`
/// when the command succeeded and sends no reply on success.
pub fn handle_request<F>(request: ::serde_json::Value, execute: F) -> ::std::option::Option<::serde_json::Value>
where
    F: ::std::ops::FnOnce(
        &str,
        ::std::option::Option<Map>,
    ) -> ::std::result::Result<::std::option::Option<::serde_json::Value>, Error>,
{
    match check_envelope(request) {
        ::std::result::Result::Err((e, id)) => ::std::option::Option::Some(reply(::std::result::Result::Err(e), id)),
        ::std::result::Result::Ok(env) => match execute(&env.execute, env.arguments) {
            ::std::result::Result::Ok(::std::option::Option::None) => ::std::option::Option::None,
            ::std::result::Result::Ok(::std::option::Option::Some(v)) => {
                ::std::option::Option::Some(reply(::std::result::Result::Ok(v), env.id))
            }
            ::std::result::Result::Err(e) => ::std::option::Option::Some(reply(::std::result::Result::Err(e), env.id)),
        },
    }
}
