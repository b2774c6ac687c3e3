//! Rich rendering of errors: the source line and a caret.

use crate::diag::Error;

pub(crate) fn rich(err: &Error, _color: bool) -> String {
    err.to_string()
}
