//! Link targets and the anchors of definitions.

/// Where a link goes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// An external address.
    Url(String),
    /// An anchor on one of the generated pages.
    Anchor {
        /// Index of the page in the site.
        page: usize,
        /// The anchor (without `#`).
        anchor: String,
    },
}

/// What kind of definition an entry describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EntryKind {
    /// A command.
    Command,
    /// An event.
    Event,
    /// A struct.
    Struct,
    /// A union.
    Union,
    /// An enumeration.
    Enum,
    /// An alternate.
    Alternate,
}

impl EntryKind {
    /// The word shown on the entry's badge.
    pub fn label(self) -> &'static str {
        match self {
            EntryKind::Command => "command",
            EntryKind::Event => "event",
            EntryKind::Struct => "struct",
            EntryKind::Union => "union",
            EntryKind::Enum => "enum",
            EntryKind::Alternate => "alternate",
        }
    }

    /// The plural heading used in the index.
    pub fn plural(self) -> &'static str {
        match self {
            EntryKind::Command => "Commands",
            EntryKind::Event => "Events",
            EntryKind::Struct => "Structs",
            EntryKind::Union => "Unions",
            EntryKind::Enum => "Enums",
            EntryKind::Alternate => "Alternates",
        }
    }

    /// Every kind, in index order.
    pub const ALL: [EntryKind; 6] = [
        EntryKind::Command,
        EntryKind::Event,
        EntryKind::Struct,
        EntryKind::Union,
        EntryKind::Enum,
        EntryKind::Alternate,
    ];

    /// Whether this kind names a type.
    pub fn is_type(self) -> bool {
        !matches!(self, EntryKind::Command | EntryKind::Event)
    }
}

/// The stable anchor of a definition: `command-guest-exec`,
/// `event-SHUTDOWN`, `type-GuestExecStatus`.
pub fn anchor(kind: EntryKind, name: &str) -> String {
    let prefix = match kind {
        EntryKind::Command => "command",
        EntryKind::Event => "event",
        _ => "type",
    };
    format!("{prefix}-{}", sanitize(name))
}

/// The anchor of a member (argument, value, branch) within an entry.
pub fn member_anchor(entry_anchor: &str, member: &str) -> String {
    format!("{entry_anchor}.{}", sanitize(member))
}

/// Keep the characters that are safe in an id and a URL fragment.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_come_from_kind_and_wire_name() {
        assert_eq!(
            anchor(EntryKind::Command, "guest-exec"),
            "command-guest-exec"
        );
        assert_eq!(
            anchor(EntryKind::Struct, "GuestExecStatus"),
            "type-GuestExecStatus"
        );
        assert_eq!(anchor(EntryKind::Event, "SHUTDOWN"), "event-SHUTDOWN");
        assert_eq!(member_anchor("type-A", "x y"), "type-A.x_y");
    }
}
