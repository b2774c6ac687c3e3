// The client side of the support code: a connection that sends requests
// and reads one reply line per request, over any `Read + Write`.

/// Why a client call failed.
#[derive(Debug)]
pub enum ClientError {
    /// Reading or writing failed, or the peer closed the connection.
    Io(::std::io::Error),
    /// The reply was not what the protocol allows (not JSON, no `return`,
    /// a value of the wrong type, a handshake that did not match).
    Protocol(::std::string::String),
    /// The server answered with an error.
    Qapi(Error),
}

impl ::std::fmt::Display for ClientError {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        match self {
            ClientError::Io(e) => ::std::write!(f, "I/O error: {e}"),
            ClientError::Protocol(e) => ::std::write!(f, "protocol error: {e}"),
            ClientError::Qapi(e) => ::std::write!(f, "{}: {}", e.class.as_str(), e.desc),
        }
    }
}

impl ::std::error::Error for ClientError {}

impl ::std::convert::From<::std::io::Error> for ClientError {
    fn from(e: ::std::io::Error) -> ClientError {
        ClientError::Io(e)
    }
}

impl ::std::convert::From<Error> for ClientError {
    fn from(e: Error) -> ClientError {
        ClientError::Qapi(e)
    }
}

/// The byte `guest-sync-delimited` puts before its reply.
pub const DELIMITER: u8 = 0xFF;

/// A connection to a server: requests out, reply lines in. It buffers
/// what it reads itself, so no other reader may share the stream.
#[derive(Debug)]
pub struct Connection<T> {
    io: T,
    buf: ::std::vec::Vec<u8>,
}

impl<T: ::std::io::Read + ::std::io::Write> Connection<T> {
    /// A connection over `io`.
    pub fn new(io: T) -> Connection<T> {
        Connection {
            io,
            buf: ::std::vec::Vec::new(),
        }
    }

    /// The stream (bytes read ahead are lost).
    pub fn into_inner(self) -> T {
        self.io
    }

    /// The stream.
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    /// The stream, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.io
    }

    /// Write `bytes` and flush.
    pub fn write_raw(&mut self, bytes: &[u8]) -> ::std::result::Result<(), ClientError> {
        self.io.write_all(bytes)?;
        self.io.flush()?;
        ::std::result::Result::Ok(())
    }

    /// Send a request for command `name` (one line).
    pub fn send(
        &mut self,
        name: &str,
        arguments: ::std::option::Option<Map>,
    ) -> ::std::result::Result<(), ClientError> {
        let mut request = Map::new();
        request.insert("execute".into(), name.into());
        if let ::std::option::Option::Some(a) = arguments {
            request.insert("arguments".into(), ::serde_json::Value::Object(a));
        }
        let mut line = ::serde_json::to_vec(&::serde_json::Value::Object(request))
            .map_err(|e| ClientError::Protocol(e.to_string()))?;
        line.push(b'\n');
        self.write_raw(&line)
    }

    fn fill(&mut self) -> ::std::result::Result<(), ClientError> {
        let mut chunk = [0u8; 4096];
        loop {
            match self.io.read(&mut chunk) {
                ::std::result::Result::Ok(0) => {
                    return ::std::result::Result::Err(ClientError::Io(::std::io::Error::new(
                        ::std::io::ErrorKind::UnexpectedEof,
                        "the server closed the connection",
                    )))
                }
                ::std::result::Result::Ok(n) => {
                    self.buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
                    return ::std::result::Result::Ok(());
                }
                ::std::result::Result::Err(e) if e.kind() == ::std::io::ErrorKind::Interrupted => {}
                ::std::result::Result::Err(e) => return ::std::result::Result::Err(e.into()),
            }
        }
    }

    /// Read and drop every byte up to and including the next
    /// [`DELIMITER`].
    pub fn skip_to_delimiter(&mut self) -> ::std::result::Result<(), ClientError> {
        loop {
            if let ::std::option::Option::Some(i) = self.buf.iter().position(|&b| b == DELIMITER) {
                self.buf.drain(..=i);
                return ::std::result::Result::Ok(());
            }
            self.buf.clear();
            self.fill()?;
        }
    }

    /// The next line, without its newline.
    pub fn read_line(&mut self) -> ::std::result::Result<::std::vec::Vec<u8>, ClientError> {
        let mut searched = 0;
        loop {
            if let ::std::option::Option::Some(i) =
                self.buf.iter().skip(searched).position(|&b| b == b'\n')
            {
                let mut line: ::std::vec::Vec<u8> = self.buf.drain(..=searched + i).collect();
                line.pop();
                return ::std::result::Result::Ok(line);
            }
            searched = self.buf.len();
            self.fill()?;
        }
    }

    /// The next reply: its `return` value, or its error. Blank lines and
    /// events are skipped.
    pub fn read_reply(&mut self) -> ::std::result::Result<::serde_json::Value, ClientError> {
        loop {
            let line = self.read_line()?;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let value: ::serde_json::Value = ::serde_json::from_slice(&line)
                .map_err(|e| ClientError::Protocol(::std::format!("reply is not JSON: {e}")))?;
            let ::serde_json::Value::Object(mut reply) = value else {
                return ::std::result::Result::Err(ClientError::Protocol(
                    "reply is not a JSON object".into(),
                ));
            };
            if reply.contains_key("event") {
                continue;
            }
            if let ::std::option::Option::Some(v) = reply.remove("return") {
                return ::std::result::Result::Ok(v);
            }
            let ::std::option::Option::Some(::serde_json::Value::Object(mut e)) = reply.remove("error") else {
                return ::std::result::Result::Err(ClientError::Protocol(
                    "reply has neither 'return' nor 'error'".into(),
                ));
            };
            let class = match e.remove("class") {
                ::std::option::Option::Some(::serde_json::Value::String(c)) => ErrorClass::from_wire(&c),
                _ => ErrorClass::GenericError,
            };
            let desc = match e.remove("desc") {
                ::std::option::Option::Some(::serde_json::Value::String(d)) => d,
                _ => {
                    return ::std::result::Result::Err(ClientError::Protocol(
                        "error reply without 'desc'".into(),
                    ))
                }
            };
            return ::std::result::Result::Err(ClientError::Qapi(Error { class, desc }));
        }
    }

    /// Send a request and read its reply.
    pub fn call(
        &mut self,
        name: &str,
        arguments: ::std::option::Option<Map>,
    ) -> ::std::result::Result<::serde_json::Value, ClientError> {
        self.send(name, arguments)?;
        self.read_reply()
    }

    /// The `guest-sync-delimited` handshake: send the delimiter byte and
    /// the request, then drop everything up to a delimited reply that
    /// echoes `id`. Echoes of other ids are skipped: they answer earlier
    /// handshakes that a peer queued before the agent was listening.
    pub fn sync_delimited(&mut self, command: &str, id: i64) -> ::std::result::Result<(), ClientError> {
        self.write_raw(&[DELIMITER])?;
        let mut arguments = Map::new();
        arguments.insert("id".into(), id.into());
        self.send(command, ::std::option::Option::Some(arguments))?;
        loop {
            self.skip_to_delimiter()?;
            let got = self.read_reply()?;
            match got.as_i64() {
                ::std::option::Option::Some(echo) if echo == id => return ::std::result::Result::Ok(()),
                ::std::option::Option::Some(_) => continue,
                ::std::option::Option::None => {
                    return ::std::result::Result::Err(ClientError::Protocol(::std::format!(
                        "sync reply {got} does not echo id {id}"
                    )))
                }
            }
        }
    }
}

/// Read a `return` value as `T`; a value of the wrong form is a protocol
/// error.
pub fn decode_return<T: FromQapi>(v: ::serde_json::Value) -> ::std::result::Result<T, ClientError> {
    T::from_qapi(v, &Path::Root)
        .map_err(|e| ClientError::Protocol(::std::format!("unexpected return value: {}", e.desc)))
}

/// The arguments object of an object type's value.
pub fn encode_arguments<T: ObjectMembers>(arguments: T) -> Map {
    let mut members = Map::new();
    arguments.put_members(&mut members);
    members
}
