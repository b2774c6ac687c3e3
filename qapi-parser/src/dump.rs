//! The printer of QEMU's `test-qapi.py`: the entity walk, module by module,
//! then every doc block.

use std::fmt::Write;

use crate::doc::{DocBlock, SectionKind};
use crate::ifcond::IfCond;
use crate::schema::{Entity, Feature, Schema, TypeKind};

/// The dump of `schema` in the format of QEMU's `test-qapi.py`.
pub fn dump(schema: &Schema) -> String {
    let mut out = Printer(String::new());
    for module in &schema.modules {
        out.line(0, format_args!("module {}", module.name));
        for ent in &module.entities {
            out.entity(schema, ent);
        }
    }
    for doc in &schema.docs {
        out.doc(doc);
    }
    out.0
}

struct Printer(String);

impl Printer {
    fn line(&mut self, indent: usize, text: std::fmt::Arguments<'_>) {
        let _ = writeln!(self.0, "{:indent$}{text}", "");
    }

    fn ifcond(&mut self, ifcond: &Option<IfCond>, indent: usize) {
        if let Some(c) = ifcond {
            self.line(indent, format_args!("if {c}"));
        }
    }

    fn features(&mut self, features: &[Feature], indent: usize) {
        for f in features {
            self.line(indent, format_args!("feature {}", f.name));
            self.ifcond(&f.ifcond, indent + 4);
        }
    }

    fn entity(&mut self, schema: &Schema, ent: &Entity) {
        match ent {
            Entity::Include { module, .. } => {
                self.line(0, format_args!("include {}", schema.module(*module).name));
            }
            Entity::Type(id) => self.ty(schema, schema.ty(*id)),
            Entity::Command(id) => {
                let c = schema.command(*id);
                let name = |t: Option<_>| t.map_or("None", |t| schema.ty(t).name.as_str());
                self.line(
                    0,
                    format_args!(
                        "command {} {} -> {}",
                        c.name,
                        name(c.arg_type),
                        name(c.ret_type)
                    ),
                );
                self.line(
                    4,
                    format_args!(
                        "gen={} success_response={} boxed={} oob={} preconfig={}{}",
                        py(c.gen),
                        py(c.success_response),
                        py(c.boxed),
                        py(c.allow_oob),
                        py(c.allow_preconfig),
                        if c.coroutine { " coroutine=True" } else { "" }
                    ),
                );
                self.ifcond(&c.ifcond, 4);
                self.features(&c.features, 4);
            }
            Entity::Event(id) => {
                let e = schema.event(*id);
                let arg = e.arg_type.map_or("None", |t| schema.ty(t).name.as_str());
                self.line(0, format_args!("event {} {arg}", e.name));
                self.line(4, format_args!("boxed={}", py(e.boxed)));
                self.ifcond(&e.ifcond, 4);
                self.features(&e.features, 4);
            }
        }
    }

    fn ty(&mut self, schema: &Schema, ty: &crate::schema::Type) {
        match &ty.kind {
            TypeKind::Builtin(_) => {}
            TypeKind::Enum(e) => {
                self.line(0, format_args!("enum {}", ty.name));
                if let Some(p) = &e.prefix {
                    self.line(4, format_args!("prefix {p}"));
                }
                for v in &e.values {
                    self.line(4, format_args!("member {}", v.name));
                    self.ifcond(&v.ifcond, 8);
                    self.features(&v.features, 8);
                }
                self.ifcond(&ty.ifcond, 4);
                self.features(&ty.features, 4);
            }
            TypeKind::Array { element } => {
                if ty.info.is_some() {
                    let elem = &schema.ty(*element).name;
                    self.line(0, format_args!("array {} {elem}", ty.name));
                    self.ifcond(&ty.ifcond, 4);
                }
            }
            TypeKind::Object(o) => {
                self.line(0, format_args!("object {}", ty.name));
                if let Some(b) = o.base {
                    self.line(4, format_args!("base {}", schema.ty(b).name));
                }
                for m in &o.local_members {
                    self.line(
                        4,
                        format_args!(
                            "member {}: {} optional={}",
                            m.name,
                            schema.ty(m.ty).name,
                            py(m.optional)
                        ),
                    );
                    self.ifcond(&m.ifcond, 8);
                    self.features(&m.features, 8);
                }
                if let Some(v) = &o.variants {
                    self.line(4, format_args!("tag {}", v.tag.name));
                    for b in &v.branches {
                        self.line(4, format_args!("case {}: {}", b.name, schema.ty(b.ty).name));
                        self.ifcond(&b.ifcond, 8);
                    }
                }
                self.ifcond(&ty.ifcond, 4);
                self.features(&ty.features, 4);
            }
            TypeKind::Alternate(a) => {
                self.line(0, format_args!("alternate {}", ty.name));
                self.line(4, format_args!("tag type"));
                for b in &a.branches {
                    self.line(4, format_args!("case {}: {}", b.name, schema.ty(b.ty).name));
                    self.ifcond(&b.ifcond, 8);
                }
                self.ifcond(&ty.ifcond, 4);
                self.features(&ty.features, 4);
            }
        }
    }

    fn doc(&mut self, doc: &DocBlock) {
        match &doc.symbol {
            Some(s) => self.line(0, format_args!("doc symbol={s}")),
            None => self.line(0, format_args!("doc freeform")),
        }
        let body = doc.sections.first().map_or("", |s| s.text.as_str());
        self.line(4, format_args!("body=\n{body}"));
        for s in doc.args() {
            let name = s.name.as_deref().unwrap_or("");
            self.line(4, format_args!("arg={name}\n{}", s.text));
        }
        for s in doc.features() {
            let name = s.name.as_deref().unwrap_or("");
            self.line(4, format_args!("feature={name}\n{}", s.text));
        }
        for s in doc.other_sections() {
            if s.kind == SectionKind::Returns && s.text.is_empty() {
                continue;
            }
            self.line(4, format_args!("section={}\n{}", s.kind, s.text));
        }
    }
}

/// Python's spelling of a boolean.
fn py(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}
