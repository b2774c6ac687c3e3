//! The `pragma` directive's settings.

use crate::diag::Error;
use crate::source::Info;
use crate::syntax::Value;

use super::Pragma;

/// Apply setting `name: value` of a pragma directive at `info`. In
/// compatibility mode the names used before QEMU 6.0 are understood too.
pub(crate) fn apply(
    pragma: &mut Pragma,
    name: &str,
    value: &Value,
    info: &Info,
    compat: bool,
) -> Result<(), Error> {
    let fail = |msg: String| Err(Error::sem(info, msg).with_span(value.span));
    let list = || -> Result<Vec<String>, Error> {
        let strings: Option<Vec<String>> = value.as_array().and_then(|items| {
            items
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect()
        });
        strings.ok_or_else(|| {
            Error::sem(info, format!("pragma {name} must be a list of strings"))
                .with_span(value.span)
        })
    };
    match name {
        "doc-required" => match value.as_bool() {
            Some(b) => pragma.doc_required = b,
            None => return fail("pragma 'doc-required' must be boolean".to_string()),
        },
        "command-name-exceptions" => pragma.command_name_exceptions = list()?,
        "command-returns-exceptions" => pragma.command_returns_exceptions = list()?,
        "documentation-exceptions" => pragma.documentation_exceptions = list()?,
        "member-name-exceptions" => pragma.member_name_exceptions = list()?,
        "returns-whitelist" if compat => pragma.command_returns_exceptions = list()?,
        "name-case-whitelist" if compat => {
            let names = list()?;
            pragma.command_name_exceptions = names.clone();
            pragma.member_name_exceptions = names;
        }
        _ => return fail(format!("unknown pragma '{name}'")),
    }
    Ok(())
}
