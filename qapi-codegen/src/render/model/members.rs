//! The member lists of an entry: arguments, members (own, inherited and
//! per union branch), enum values, alternatives.

use qapi_parser::doc::DocBlock;
use qapi_parser::schema::{Member, ObjectType, TypeId, TypeKind};
use qapi_parser::Schema;

use super::pages::Source;
use super::resolve::Scope;
use super::{Group, Row, TypeRef};
use crate::render::cond;
use crate::render::links::member_anchor;
use crate::render::markup::{self, Inline};

/// A group whose descriptions are not parsed yet.
#[derive(Debug)]
pub(super) struct RawGroup<'s> {
    pub title: Vec<Inline>,
    pub rows: Vec<RawRow<'s>>,
    /// Whether `@name` in the entry's text should link to these rows.
    pub local: bool,
}

/// A row whose description is not parsed yet.
#[derive(Debug)]
pub(super) struct RawRow<'s> {
    pub row: Row,
    pub text: Option<&'s str>,
}

impl RawGroup<'_> {
    /// Parse the descriptions.
    pub fn finish(self, scope: &Scope<'_>) -> Group {
        let rows = self
            .rows
            .into_iter()
            .map(|r| {
                let mut row = r.row;
                if let Some(text) = r.text {
                    row.desc = markup::parse(&super::entry::tagged_text(text), scope);
                }
                row
            })
            .collect();
        Group {
            title: self.title,
            rows,
        }
    }
}

/// The groups of the entry for `src`, documented by `doc`.
pub(super) fn groups<'s>(
    schema: &'s Schema,
    src: Source,
    anchor: &str,
    doc: Option<&'s DocBlock>,
    scope: &Scope<'_>,
) -> Vec<RawGroup<'s>> {
    let ctx = Ctx {
        schema,
        anchor,
        doc,
        scope,
    };
    match src {
        Source::Doc(_) => Vec::new(),
        Source::Command(id) => ctx.arguments(schema.command(id).arg_type, "Arguments"),
        Source::Event(id) => ctx.arguments(schema.event(id).arg_type, "Data"),
        Source::Type(id, _) => match &schema.ty(id).kind {
            TypeKind::Enum(e) => {
                let rows = e
                    .values
                    .iter()
                    .map(|v| {
                        ctx.row(
                            &v.name,
                            &v.name,
                            None,
                            false,
                            v.ifcond.as_ref(),
                            &v.features,
                            doc,
                        )
                    })
                    .collect();
                vec![RawGroup {
                    title: text("Values"),
                    rows,
                    local: true,
                }]
            }
            TypeKind::Object(o) => ctx.object(id, o, text("Members")),
            TypeKind::Alternate(a) => {
                let rows = a
                    .branches
                    .iter()
                    .map(|b| {
                        let ty = Some(type_ref(schema, scope, b.ty));
                        ctx.row(&b.name, &b.name, ty, false, b.ifcond.as_ref(), &[], doc)
                    })
                    .collect();
                vec![RawGroup {
                    title: text("Alternatives (told apart by their JSON type)"),
                    rows,
                    local: true,
                }]
            }
            TypeKind::Builtin(_) | TypeKind::Array { .. } => Vec::new(),
        },
    }
}

struct Ctx<'s, 'a> {
    schema: &'s Schema,
    anchor: &'a str,
    doc: Option<&'s DocBlock>,
    scope: &'a Scope<'a>,
}

fn text(s: &str) -> Vec<Inline> {
    vec![Inline::Text(s.to_string())]
}

/// A link to the entry of `name` (code when it has none).
fn name_link(scope: &Scope<'_>, name: &str) -> Inline {
    let code = Inline::Code(name.to_string());
    match scope.target(name) {
        Some(target) => Inline::Link {
            target,
            content: vec![code],
        },
        None => code,
    }
}

/// How a type is shown: its name (`[Element]` for arrays), linked to its
/// entry.
pub(super) fn type_ref(schema: &Schema, scope: &Scope<'_>, id: TypeId) -> TypeRef {
    let ty = schema.ty(id);
    match &ty.kind {
        TypeKind::Array { element } => {
            let name = &schema.ty(*element).name;
            TypeRef {
                shown: format!("[{name}]"),
                target: scope.target(name),
            }
        }
        _ => TypeRef {
            shown: ty.name.clone(),
            target: scope.target(&ty.name),
        },
    }
}

impl<'s> Ctx<'s, '_> {
    #[allow(clippy::too_many_arguments)]
    fn row(
        &self,
        key: &str,
        name: &str,
        ty: Option<TypeRef>,
        optional: bool,
        ifcond: Option<&qapi_parser::ifcond::IfCond>,
        features: &[qapi_parser::schema::Feature],
        doc: Option<&'s DocBlock>,
    ) -> RawRow<'s> {
        let text = doc
            .and_then(|d| d.arg(name))
            .map(|s| s.text.as_str())
            .filter(|t| !t.trim().is_empty());
        RawRow {
            row: Row {
                name: name.to_string(),
                anchor: member_anchor(self.anchor, key),
                ty,
                optional,
                condition: ifcond.map(cond::clause),
                flags: features.iter().map(|f| f.name.clone()).collect(),
                desc: Vec::new(),
            },
            text,
        }
    }

    fn member_row(&self, key: &str, m: &Member) -> RawRow<'s> {
        let ty = Some(type_ref(self.schema, self.scope, m.ty));
        let doc = self.doc_of(m.owner);
        self.row(
            key,
            &m.name,
            ty,
            m.optional,
            m.ifcond.as_ref(),
            &m.features,
            doc,
        )
    }

    /// The doc block describing the members `owner` defines: its own,
    /// or the entry's for an implicit type.
    fn doc_of(&self, owner: TypeId) -> Option<&'s DocBlock> {
        let ty = self.schema.ty(owner);
        match ty.doc {
            Some(d) if !ty.is_implicit() => Some(self.schema.doc(d)),
            _ => self.doc,
        }
    }

    fn arguments(&self, arg: Option<TypeId>, title: &str) -> Vec<RawGroup<'s>> {
        let Some(id) = arg else {
            return Vec::new();
        };
        let ty = self.schema.ty(id);
        let Some(obj) = ty.as_object() else {
            return Vec::new();
        };
        let mut heading = text(title);
        if !ty.is_implicit() {
            heading.push(Inline::Text(": the members of ".into()));
            heading.push(name_link(self.scope, &ty.name));
        }
        self.object(id, obj, heading)
    }

    /// An object's members, grouped by the type defining them, then its
    /// branches.
    fn object(&self, id: TypeId, obj: &ObjectType, title: Vec<Inline>) -> Vec<RawGroup<'s>> {
        let mut groups: Vec<RawGroup<'s>> = Vec::new();
        let mut own = RawGroup {
            title,
            rows: Vec::new(),
            local: true,
        };
        let mut last_owner = None;
        for m in &obj.members {
            let owner = self.schema.ty(m.owner);
            if m.owner == id || owner.is_implicit() {
                own.rows.push(self.member_row(&m.name, m));
                continue;
            }
            if last_owner != Some(m.owner) {
                let mut title = text("Members inherited from ");
                title.push(name_link(self.scope, &owner.name));
                groups.push(RawGroup {
                    title,
                    rows: Vec::new(),
                    local: true,
                });
                last_owner = Some(m.owner);
            }
            if let Some(g) = groups.last_mut() {
                g.rows.push(self.member_row(&m.name, m));
            }
        }
        if !own.rows.is_empty() || groups.is_empty() && obj.variants.is_none() {
            groups.insert(0, own);
        }
        if let Some(v) = &obj.variants {
            for b in &v.branches {
                let bty = self.schema.ty(b.ty);
                let Some(bobj) = bty.as_object() else {
                    continue;
                };
                if bobj.is_empty() {
                    continue;
                }
                let mut title = text("When ");
                title.push(Inline::Code(v.tag.name.clone()));
                title.push(Inline::Text(" is ".into()));
                title.push(Inline::Code(b.name.clone()));
                if !bty.is_implicit() {
                    title.push(Inline::Text(": the members of ".into()));
                    title.push(name_link(self.scope, &bty.name));
                }
                if let Some(c) = &b.ifcond {
                    title.push(Inline::Text(format!(" ({})", cond::clause(c))));
                }
                let rows = bobj
                    .members
                    .iter()
                    .map(|m| self.member_row(&format!("{}.{}", b.name, m.name), m))
                    .collect();
                groups.push(RawGroup {
                    title,
                    rows,
                    local: false,
                });
            }
        }
        groups
    }
}
