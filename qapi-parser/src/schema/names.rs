//! Name helpers: C names for clash checks, and QEMU's descriptions of
//! members in messages.

use crate::source::Info;

/// The C identifier a name maps to, as far as clashes are concerned: every
/// character other than an ASCII letter, digit or `_` becomes `_`.
pub fn c_name(name: &str) -> String {
    // Copies runs of kept characters whole (most names have few `-`),
    // into a string allocated once.
    let folded = |c: char| !(c.is_ascii_alphanumeric() || c == '_');
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(i) = rest.find(folded) {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push('_');
        let width = rest
            .get(i..)
            .and_then(|r| r.chars().next())
            .map_or(1, char::len_utf8);
        rest = rest.get(i + width..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// Something with a name that can clash: a member, enum value, branch or
/// feature, with the name of what defines it.
#[derive(Debug, Clone)]
pub(crate) struct Named {
    /// `member`, `value`, `branch` or `feature`.
    pub role: &'static str,
    /// Its name.
    pub name: String,
    /// The type (or, for a member's feature, the member) defining it.
    pub defined_in: String,
}

impl Named {
    pub fn new(role: &'static str, name: &str, defined_in: &str) -> Self {
        Named {
            role,
            name: name.to_string(),
            defined_in: defined_in.to_string(),
        }
    }

    /// QEMU's description of it, relative to the definition `info` is in:
    /// `member 'x'`, `parameter 'x'`, `base member 'x'`,
    /// `member 'x' of type 'T'`, ...
    pub fn describe(&self, info: Option<&Info>) -> String {
        let mut role = self.role.to_string();
        let mut meta = "type";
        let mut owner = self.defined_in.as_str();
        if let Some(rest) = owner.strip_prefix("q_obj_") {
            owner = rest;
            if let Some(cmd) = rest.strip_suffix("-arg") {
                role = "parameter".to_string();
                meta = "command";
                owner = cmd;
            } else if let Some(base) = rest.strip_suffix("-base") {
                role = format!("base {role}");
                owner = base;
            }
        }
        let here = info.and_then(|i| i.defn.as_ref()).map(|d| d.name.as_str());
        if here == Some(owner) {
            format!("{role} '{}'", self.name)
        } else {
            format!("{role} '{}' of {meta} '{owner}'", self.name)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;
    use std::sync::Arc;

    fn info_in(name: &str) -> Info {
        let file = Arc::new(SourceFile {
            path: "t.json".into(),
            text: "".into(),
            included_from: None,
        });
        Info::new(file, 1, 1).in_defn("struct", name)
    }

    #[test]
    fn c_names_fold_punctuation() {
        assert_eq!(c_name("a-b.c_d"), "a_b_c_d");
        assert_eq!(c_name("__org.qemu_x-y"), "__org_qemu_x_y");
        assert_eq!(c_name("é-a"), "__a");
        assert_eq!(c_name("-"), "_");
        assert_eq!(c_name(""), "");
    }

    #[test]
    fn descriptions_follow_qemu() {
        let i = info_in("Sub");
        assert_eq!(
            Named::new("member", "name", "Base").describe(Some(&i)),
            "member 'name' of type 'Base'"
        );
        assert_eq!(
            Named::new("member", "name", "Sub").describe(Some(&i)),
            "member 'name'"
        );
        let c = info_in("cmd");
        assert_eq!(
            Named::new("member", "a", "q_obj_cmd-arg").describe(Some(&c)),
            "parameter 'a'"
        );
        let u = info_in("TestUnion");
        assert_eq!(
            Named::new("member", "type", "q_obj_TestTypeA-base").describe(Some(&u)),
            "base member 'type' of type 'TestTypeA'"
        );
        assert_eq!(
            Named::new("member", "type", "q_obj_TestUnion-base").describe(Some(&u)),
            "base member 'type'"
        );
    }
}
