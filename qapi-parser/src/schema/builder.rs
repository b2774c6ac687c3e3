//! The builder's state and the order of the phases.

use crate::hash::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;

use super::modules::{dirname, relpath};
use super::types::*;
use super::Schema;
use crate::ast::Item;
use crate::diag::{Error, Errors};
use crate::doc::DocBlock;
use crate::ifcond::IfCond;
use crate::parse::{Parsed, Pragma};
use crate::source::Info;
use crate::Options;

/// A member before its type name is resolved.
#[derive(Debug, Clone)]
pub(super) struct RawMember {
    pub name: String,
    pub ty: String,
    pub optional: bool,
    pub ifcond: Option<IfCond>,
    pub features: Vec<Feature>,
}

/// A union or alternate branch before its type name is resolved.
#[derive(Debug, Clone)]
pub(super) struct RawBranch {
    pub name: String,
    pub ty: String,
    pub ifcond: Option<IfCond>,
}

/// What still has to be resolved for a type.
#[derive(Debug, Clone, Default)]
pub(super) enum Raw {
    /// Nothing (built-ins, enums).
    #[default]
    Done,
    /// An array's element name.
    Array(String),
    /// An object type's base and members, and a union's branches.
    Object {
        base: Option<String>,
        members: Vec<RawMember>,
        union: Option<(String, Vec<RawBranch>)>,
    },
    /// An alternate's branches.
    Alternate(Vec<RawBranch>),
}

/// Where the check of an object type stands (to find base cycles).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    Todo,
    Running,
    Done,
}

/// The names a command or event refers to.
#[derive(Debug, Clone, Default)]
pub(super) struct RawArgs {
    pub arg: Option<String>,
    pub ret: Option<String>,
}

/// Which doc sections have met the thing they describe.
#[derive(Debug, Clone, Default)]
pub(super) struct DocState {
    pub connected: Vec<bool>,
}

pub(crate) struct Builder<'a> {
    pub parsed: &'a Parsed,
    pub opts: &'a Options,
    pub pragma: &'a Pragma,
    pub types: Vec<Type>,
    pub raw: Vec<Raw>,
    pub state: Vec<State>,
    pub union_flag: Vec<bool>,
    pub commands: Vec<Command>,
    pub raw_commands: Vec<RawArgs>,
    pub events: Vec<Event>,
    pub raw_events: Vec<RawArgs>,
    pub entities: Vec<Entity>,
    pub names: HashMap<String, Entity>,
    pub modules: Vec<Module>,
    pub module_index: HashMap<String, ModuleId>,
    /// Module of each file path as written (saves normalising it again).
    pub module_by_path: HashMap<String, ModuleId>,
    pub schema_dir: String,
    pub features: IndexMap<String, Option<Info>>,
    pub docs: Vec<Arc<DocBlock>>,
    pub doc_state: Vec<DocState>,
    pub doc_index: HashMap<usize, DocId>,
    pub errors: Vec<Error>,
}

impl<'a> Builder<'a> {
    pub fn new(parsed: &'a Parsed, opts: &'a Options) -> Self {
        let root = parsed
            .files
            .first()
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let docs: Vec<Arc<DocBlock>> = parsed.docs.clone();
        let doc_state = docs
            .iter()
            .map(|d| DocState {
                connected: vec![false; d.sections.len()],
            })
            .collect();
        let doc_index = parsed
            .docs
            .iter()
            .enumerate()
            .map(|(i, d)| (Arc::as_ptr(d) as usize, DocId(i as u32)))
            .collect();
        let mut features = IndexMap::new();
        for f in Feature::SPECIAL {
            features.insert(f.to_string(), None);
        }
        let mut b = Builder {
            parsed,
            opts,
            pragma: &parsed.pragma,
            types: Vec::new(),
            raw: Vec::new(),
            state: Vec::new(),
            union_flag: Vec::new(),
            commands: Vec::new(),
            raw_commands: Vec::new(),
            events: Vec::new(),
            raw_events: Vec::new(),
            entities: Vec::new(),
            names: HashMap::default(),
            modules: Vec::new(),
            module_index: HashMap::default(),
            module_by_path: HashMap::default(),
            schema_dir: dirname(&root).to_string(),
            features,
            docs,
            doc_state,
            doc_index,
            errors: Vec::new(),
        };
        b.make_module(Module::BUILTIN);
        b.make_module(&root);
        b
    }

    /// Run every phase; QEMU's order.
    pub fn run(mut self, items: Vec<Item>) -> Result<Schema, Errors> {
        self.define_predefineds();
        for item in items {
            self.define_item(item);
        }
        for i in 0..self.entities.len() {
            let ent = self.entities[i].clone();
            if let Err(e) = self.check_entity(&ent) {
                self.errors.push(e);
            }
            if let Err(e) = self.connect_doc(&ent) {
                self.errors.push(e);
            }
        }
        self.assign_modules();
        self.check_docs();
        self.check_feature_limit();
        if !self.errors.is_empty() {
            return Err(Errors(self.errors));
        }
        Ok(Schema {
            types: self.types,
            commands: self.commands,
            events: self.events,
            entities: self.entities,
            modules: self.modules,
            docs: self.docs,
            feature_names: self.features.into_keys().collect(),
            pragma: self.pragma.clone(),
            names: self.names,
        })
    }

    fn module_name(&self, fname: &str) -> String {
        if fname.starts_with("./") {
            fname.to_string()
        } else {
            relpath(fname, &self.schema_dir)
        }
    }

    /// The module for file `fname`, created when new.
    pub fn make_module(&mut self, fname: &str) -> ModuleId {
        if let Some(id) = self.module_by_path.get(fname) {
            return *id;
        }
        let name = self.module_name(fname);
        let id = match self.module_index.get(&name) {
            Some(id) => *id,
            None => {
                let id = ModuleId(self.modules.len() as u32);
                self.module_index.insert(name.clone(), id);
                self.modules.push(Module {
                    name,
                    entities: Vec::new(),
                });
                id
            }
        };
        self.module_by_path.insert(fname.to_string(), id);
        id
    }

    fn module_of(&mut self, info: Option<&Info>) -> ModuleId {
        match info {
            None => ModuleId(0),
            Some(i) => match self.module_by_path.get(&i.file.path) {
                Some(id) => *id,
                None => {
                    let path = i.file.path.clone();
                    self.make_module(&path)
                }
            },
        }
    }

    /// Put every entity in its module (QEMU's `set_module`): an array goes
    /// with its element type.
    fn assign_modules(&mut self) {
        for i in 0..self.entities.len() {
            let ent = self.entities[i].clone();
            let module = match &ent {
                Entity::Include { info, .. } => self.module_of(Some(info)),
                Entity::Type(id) => {
                    let ty = &self.types[id.index()];
                    let info = match ty.element() {
                        Some(elem) => self.types[elem.index()].info.clone(),
                        None => ty.info.clone(),
                    };
                    let m = self.module_of(info.as_ref());
                    self.types[id.index()].module = m;
                    m
                }
                Entity::Command(id) => {
                    let info = self.commands[id.index()].info.clone();
                    let m = self.module_of(Some(&info));
                    self.commands[id.index()].module = m;
                    m
                }
                Entity::Event(id) => {
                    let info = self.events[id.index()].info.clone();
                    let m = self.module_of(Some(&info));
                    self.events[id.index()].module = m;
                    m
                }
            };
            self.modules[module.index()].entities.push(ent);
        }
    }

    /// The 64-feature limit (QEMU 10.0+).
    fn check_feature_limit(&mut self) {
        if self.features.len() > 64 {
            if let Some((_, info)) = self.features.get_index(64) {
                let msg = "Maximum of 64 schema features is permitted";
                self.errors.push(match info {
                    Some(info) => Error::sem(info, msg),
                    None => Error::bare(msg),
                });
            }
        }
    }
}
