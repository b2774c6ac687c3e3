// The support code every generated file carries in its `qapi` module.
//
// It is plain Rust that needs only std and serde_json, written without
// inner attributes so that generated files can be `include!`d anywhere.
// It is compiled and tested on its own in this crate as well.

/// The class of a QAPI error reply (`{"error": {"class": ..., "desc": ...}}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// Every error except the few below.
    GenericError,
    /// The command does not exist, or is disabled.
    CommandNotFound,
    /// A device exists but has no active media or backend.
    DeviceNotActive,
    /// A device was not found.
    DeviceNotFound,
    /// The required KVM capability is missing.
    KVMMissingCap,
}

impl ErrorClass {
    /// The class name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::GenericError => "GenericError",
            ErrorClass::CommandNotFound => "CommandNotFound",
            ErrorClass::DeviceNotActive => "DeviceNotActive",
            ErrorClass::DeviceNotFound => "DeviceNotFound",
            ErrorClass::KVMMissingCap => "KVMMissingCap",
        }
    }

    /// The class with wire name `name`; unknown names count as generic.
    pub fn from_wire(name: &str) -> ErrorClass {
        match name {
            "CommandNotFound" => ErrorClass::CommandNotFound,
            "DeviceNotActive" => ErrorClass::DeviceNotActive,
            "DeviceNotFound" => ErrorClass::DeviceNotFound,
            "KVMMissingCap" => ErrorClass::KVMMissingCap,
            _ => ErrorClass::GenericError,
        }
    }
}

/// An error as a QAPI reply carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The class.
    pub class: ErrorClass,
    /// The human-readable description.
    pub desc: ::std::string::String,
}

impl Error {
    /// A `GenericError` with description `desc`.
    pub fn generic(desc: impl ::std::convert::Into<::std::string::String>) -> Error {
        Error {
            class: ErrorClass::GenericError,
            desc: desc.into(),
        }
    }

    /// The error of a command that this implementation does not provide
    /// (QEMU's `QERR_UNSUPPORTED`).
    pub fn unsupported() -> Error {
        Error::generic("this feature or command is not currently supported")
    }

    /// `The command NAME has not been found`.
    pub fn command_not_found(name: &str) -> Error {
        Error {
            class: ErrorClass::CommandNotFound,
            desc: ::std::format!("The command {name} has not been found"),
        }
    }

    /// The reply object for this error: `{"error": {"class": ..., "desc": ...}}`.
    pub fn to_reply(&self) -> ::serde_json::Value {
        let mut inner = ::serde_json::Map::new();
        inner.insert("class".into(), self.class.as_str().into());
        inner.insert("desc".into(), self.desc.clone().into());
        let mut outer = ::serde_json::Map::new();
        outer.insert("error".into(), ::serde_json::Value::Object(inner));
        ::serde_json::Value::Object(outer)
    }
}

impl ::std::fmt::Display for Error {
    fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
        f.write_str(&self.desc)
    }
}

impl ::std::error::Error for Error {}

/// Where a value sits in the input, for error messages: `x`, `a.b`,
/// `list[2].name`, exactly as QEMU's input visitor names things.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The top-level object (a command's arguments).
    Root,
    /// Member `name` of the object at the parent path.
    Member(&'a Path<'a>, &'a str),
    /// Element `index` of the array at the parent path.
    Element(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The full name QEMU prints (`<anonymous>` for the root itself).
    pub fn full_name(&self) -> ::std::string::String {
        let mut out = ::std::string::String::new();
        self.write_full(&mut out);
        if out.is_empty() {
            out.push_str("<anonymous>");
        }
        out
    }

    fn write_full(&self, out: &mut ::std::string::String) {
        match self {
            Path::Root => {}
            Path::Member(parent, name) => {
                parent.write_full(out);
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            Path::Element(parent, index) => {
                parent.write_full(out);
                out.push_str(&::std::format!("[{index}]"));
            }
        }
    }

    /// The last name only, as QEMU's range, enum and alternate checks
    /// print it: `null` for list elements and the root, which QEMU visits
    /// without a name.
    pub fn leaf_name(&self) -> ::std::string::String {
        match self {
            Path::Member(_, name) => (*name).to_string(),
            Path::Element(..) | Path::Root => "null".to_string(),
        }
    }
}

/// `Parameter 'X' is missing`.
pub fn missing(path: &Path<'_>) -> Error {
    Error::generic(::std::format!("Parameter '{}' is missing", path.full_name()))
}

/// `Invalid parameter type for 'X', expected: KIND`.
pub fn invalid_type(path: &Path<'_>, expected: &str) -> Error {
    Error::generic(::std::format!(
        "Invalid parameter type for '{}', expected: {}",
        path.full_name(),
        expected
    ))
}

/// `Parameter 'X' expects WHAT` (QEMU's range and uint64 errors).
pub fn invalid_value(name: &str, expects: &str) -> Error {
    Error::generic(::std::format!("Parameter '{name}' expects {expects}"))
}

/// `Parameter 'X' does not accept value 'V'` (bad enum value; QEMU
/// prints the member's own name here, not the full path).
pub fn bad_enum_value(path: &Path<'_>, value: &str) -> Error {
    Error::generic(::std::format!(
        "Parameter '{}' does not accept value '{}'",
        path.leaf_name(),
        value
    ))
}

/// `Invalid parameter type for 'X', expected: ALTERNATE`: a value whose
/// JSON kind no branch of alternate type `alternate` takes (QEMU prints
/// the member's own name here).
pub fn bad_alternate(path: &Path<'_>, alternate: &str) -> Error {
    Error::generic(::std::format!(
        "Invalid parameter type for '{}', expected: {}",
        path.leaf_name(),
        alternate
    ))
}

/// The members of an object value, or the type error for `path`.
pub fn object(
    v: ::serde_json::Value,
    path: &Path<'_>,
) -> ::std::result::Result<::serde_json::Map<::std::string::String, ::serde_json::Value>, Error> {
    match v {
        ::serde_json::Value::Object(m) => Ok(m),
        _ => Err(invalid_type(path, "object")),
    }
}

/// Take member `name` out of `map`: `Ok(Some)` when present, `Ok(None)`
/// when absent.
pub fn take(
    map: &mut ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    name: &str,
) -> ::std::option::Option<::serde_json::Value> {
    map.remove(name)
}

/// Take required member `name`, or `Parameter 'NAME' is missing`.
pub fn take_required(
    map: &mut ::serde_json::Map<::std::string::String, ::serde_json::Value>,
    name: &str,
    parent: &Path<'_>,
) -> ::std::result::Result<::serde_json::Value, Error> {
    map.remove(name)
        .ok_or_else(|| missing(&Path::Member(parent, name)))
}

/// After every declared member was taken: the first leftover member, if
/// any, is unexpected.
pub fn check_no_more(
    map: &::serde_json::Map<::std::string::String, ::serde_json::Value>,
    parent: &Path<'_>,
) -> ::std::result::Result<(), Error> {
    match map.keys().next() {
        None => Ok(()),
        Some(key) => Err(Error::generic(::std::format!(
            "Parameter '{}' is unexpected",
            Path::Member(parent, key).full_name()
        ))),
    }
}

/// The elements of an array value, or the type error.
pub fn array(
    v: ::serde_json::Value,
    path: &Path<'_>,
) -> ::std::result::Result<::std::vec::Vec<::serde_json::Value>, Error> {
    match v {
        ::serde_json::Value::Array(a) => Ok(a),
        _ => Err(invalid_type(path, "array")),
    }
}

/// A string value.
pub fn string(
    v: ::serde_json::Value,
    path: &Path<'_>,
) -> ::std::result::Result<::std::string::String, Error> {
    match v {
        ::serde_json::Value::String(s) => Ok(s),
        _ => Err(invalid_type(path, "string")),
    }
}

/// A boolean value.
pub fn boolean(v: &::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<bool, Error> {
    v.as_bool().ok_or_else(|| invalid_type(path, "boolean"))
}

/// A `null` value.
pub fn null(v: &::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<(), Error> {
    if v.is_null() {
        Ok(())
    } else {
        Err(invalid_type(path, "null"))
    }
}

/// Any number, as a double (integers are accepted).
pub fn number(v: &::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<f64, Error> {
    v.as_f64()
        .filter(|_| v.is_number())
        .ok_or_else(|| invalid_type(path, "number"))
}

/// An integer in the int64 range (no doubles, nothing above `i64::MAX`).
pub fn int64(v: &::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<i64, Error> {
    v.as_i64().ok_or_else(|| invalid_type(path, "integer"))
}

/// An integer of a narrower signed type, with QEMU's range error
/// (`Parameter 'x' expects int8_t`).
pub fn int_in<T: ::std::convert::TryFrom<i64>>(
    v: &::serde_json::Value,
    path: &Path<'_>,
    c_type: &str,
) -> ::std::result::Result<T, Error> {
    let n = int64(v, path)?;
    T::try_from(n).map_err(|_| invalid_value(&path.leaf_name(), c_type))
}

/// An unsigned 64-bit integer. Like QEMU, negative int64 values are
/// accepted and wrap (for backward compatibility); anything else that is
/// not an integer gives `Parameter 'x' expects uint64`.
pub fn uint64(v: &::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<u64, Error> {
    if let Some(n) = v.as_u64() {
        return Ok(n);
    }
    if let Some(n) = v.as_i64() {
        return Ok(n as u64);
    }
    Err(invalid_value(&path.full_name(), "uint64"))
}

/// An integer of a narrower unsigned type (`Parameter 'x' expects uint8_t`).
pub fn uint_in<T: ::std::convert::TryFrom<u64>>(
    v: &::serde_json::Value,
    path: &Path<'_>,
    c_type: &str,
) -> ::std::result::Result<T, Error> {
    let n = uint64(v, path)?;
    T::try_from(n).map_err(|_| invalid_value(&path.leaf_name(), c_type))
}

/// The JSON kind of a value, in QEMU's words (`QType` names).
pub fn qtype(v: &::serde_json::Value) -> &'static str {
    match v {
        ::serde_json::Value::Null => "qnull",
        ::serde_json::Value::Bool(_) => "qbool",
        ::serde_json::Value::Number(_) => "qnum",
        ::serde_json::Value::String(_) => "qstring",
        ::serde_json::Value::Array(_) => "qlist",
        ::serde_json::Value::Object(_) => "qdict",
    }
}

/// A JSON object's members, as generated code passes them around.
pub type Map = ::serde_json::Map<::std::string::String, ::serde_json::Value>;

/// A value read from its QAPI wire form, with QEMU's input checks and
/// error messages.
pub trait FromQapi: Sized {
    /// Read `v`, found at `path`.
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error>;
}

/// A value written in its QAPI wire form.
pub trait IntoQapi {
    /// The wire form.
    fn into_qapi(self) -> ::serde_json::Value;
}

/// An object type, read from and written to the members of a JSON object
/// it may share with other members (a base's, a union's branch).
pub trait ObjectMembers: Sized {
    /// Take this type's members out of `members`, in schema order, leaving
    /// any other member in place.
    fn take_members(members: &mut Map, path: &Path<'_>) -> ::std::result::Result<Self, Error>;
    /// Insert this value's members into `members`.
    fn put_members(self, members: &mut Map);
}

/// Read an object type from a whole JSON object: its members, then no
/// member left over.
pub fn from_object<T: ObjectMembers>(
    v: ::serde_json::Value,
    path: &Path<'_>,
) -> ::std::result::Result<T, Error> {
    let mut members = object(v, path)?;
    let value = T::take_members(&mut members, path)?;
    check_no_more(&members, path)?;
    Ok(value)
}

/// Write an object type as a whole JSON object.
pub fn to_object<T: ObjectMembers>(value: T) -> ::serde_json::Value {
    let mut members = Map::new();
    value.put_members(&mut members);
    ::serde_json::Value::Object(members)
}

/// Read required member `name` of the object at `parent`.
pub fn required<T: FromQapi>(
    members: &mut Map,
    name: &str,
    parent: &Path<'_>,
) -> ::std::result::Result<T, Error> {
    let v = take_required(members, name, parent)?;
    T::from_qapi(v, &Path::Member(parent, name))
}

/// Read optional member `name` of the object at `parent`.
pub fn optional<T: FromQapi>(
    members: &mut Map,
    name: &str,
    parent: &Path<'_>,
) -> ::std::result::Result<::std::option::Option<T>, Error> {
    match members.remove(name) {
        None => Ok(None),
        Some(v) => T::from_qapi(v, &Path::Member(parent, name)).map(Some),
    }
}

/// Write member `name`.
pub fn put<T: IntoQapi>(members: &mut Map, name: &str, value: T) {
    members.insert(name.into(), value.into_qapi());
}

/// Write optional member `name` when present.
pub fn put_optional<T: IntoQapi>(members: &mut Map, name: &str, value: ::std::option::Option<T>) {
    if let Some(value) = value {
        members.insert(name.into(), value.into_qapi());
    }
}

impl FromQapi for ::std::string::String {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        string(v, path)
    }
}

impl IntoQapi for ::std::string::String {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::String(self)
    }
}

impl FromQapi for bool {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        boolean(&v, path)
    }
}

impl IntoQapi for bool {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::Bool(self)
    }
}

impl FromQapi for f64 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        number(&v, path)
    }
}

impl IntoQapi for f64 {
    /// A finite number; JSON has no form for NaN and infinities, which
    /// become `null`.
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Number::from_f64(self)
            .map(::serde_json::Value::Number)
            .unwrap_or(::serde_json::Value::Null)
    }
}

impl FromQapi for i64 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        int64(&v, path)
    }
}

impl FromQapi for u64 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        uint64(&v, path)
    }
}

impl FromQapi for i8 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        int_in(&v, path, "int8_t")
    }
}

impl FromQapi for i16 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        int_in(&v, path, "int16_t")
    }
}

impl FromQapi for i32 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        int_in(&v, path, "int32_t")
    }
}

impl FromQapi for u8 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        uint_in(&v, path, "uint8_t")
    }
}

impl FromQapi for u16 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        uint_in(&v, path, "uint16_t")
    }
}

impl FromQapi for u32 {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        uint_in(&v, path, "uint32_t")
    }
}

impl IntoQapi for i8 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for i16 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for i32 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for i64 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for u8 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for u16 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for u32 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl IntoQapi for u64 {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::from(self)
    }
}

impl FromQapi for () {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        null(&v, path)
    }
}

impl IntoQapi for () {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::Null
    }
}

impl FromQapi for ::serde_json::Value {
    fn from_qapi(v: ::serde_json::Value, _path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        Ok(v)
    }
}

impl IntoQapi for ::serde_json::Value {
    fn into_qapi(self) -> ::serde_json::Value {
        self
    }
}

impl<T: FromQapi> FromQapi for ::std::vec::Vec<T> {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        let items = array(v, path)?;
        let mut out = ::std::vec::Vec::with_capacity(items.len());
        for (index, item) in items.into_iter().enumerate() {
            out.push(T::from_qapi(item, &Path::Element(path, index))?);
        }
        Ok(out)
    }
}

impl<T: IntoQapi> IntoQapi for ::std::vec::Vec<T> {
    fn into_qapi(self) -> ::serde_json::Value {
        ::serde_json::Value::Array(self.into_iter().map(IntoQapi::into_qapi).collect())
    }
}

impl<T: FromQapi> FromQapi for ::std::boxed::Box<T> {
    fn from_qapi(v: ::serde_json::Value, path: &Path<'_>) -> ::std::result::Result<Self, Error> {
        T::from_qapi(v, path).map(::std::boxed::Box::new)
    }
}

impl<T: IntoQapi> IntoQapi for ::std::boxed::Box<T> {
    fn into_qapi(self) -> ::serde_json::Value {
        (*self).into_qapi()
    }
}

/// What a command's registration says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    /// The wire name.
    pub name: &'static str,
    /// Whether a successful call gets a reply.
    pub success_response: bool,
    /// Whether it may run out of band.
    pub allow_oob: bool,
    /// Whether it is available before machine creation.
    pub allow_preconfig: bool,
    /// Whether QEMU runs it in a coroutine.
    pub coroutine: bool,
    /// Its features (those whose condition holds).
    pub features: &'static [&'static str],
    /// It has feature `deprecated`.
    pub deprecated: bool,
    /// It has feature `unstable`.
    pub unstable: bool,
}

/// What an event's definition says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventInfo {
    /// The wire name.
    pub name: &'static str,
    /// Its features (those whose condition holds).
    pub features: &'static [&'static str],
    /// It has feature `deprecated`.
    pub deprecated: bool,
    /// It has feature `unstable`.
    pub unstable: bool,
}
