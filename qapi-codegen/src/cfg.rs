//! `'if'` conditions → `#[cfg(...)]` predicates, through a mapping the
//! caller controls.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use qapi_parser::ifcond::IfCond;
use quote::quote;

/// What to do with a condition symbol the mapping does not know.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum UnknownSymbol {
    /// Map `CONFIG_FOO_BAR` to `feature = "config-foo-bar"` (the consumer
    /// declares the feature in its Cargo.toml).
    #[default]
    Feature,
    /// Refuse to generate: every unknown symbol is reported.
    Error,
    /// Treat the symbol as never defined (the item is compiled out).
    Undefined,
    /// Treat the symbol as always defined.
    Defined,
}

/// The mapping from QAPI condition symbols to cfg predicates.
#[derive(Debug, Clone)]
pub struct CfgMap {
    symbols: BTreeMap<String, TokenStream>,
    unknown: UnknownSymbol,
}

impl Default for CfgMap {
    /// QEMU's platform symbols mapped to Rust's targets:
    /// `CONFIG_POSIX` → `unix`, `CONFIG_WIN32` → `windows`, `CONFIG_LINUX`
    /// → `target_os = "linux"`, `CONFIG_BSD` → any BSD, `CONFIG_FREEBSD` →
    /// `target_os = "freebsd"`, `CONFIG_DARWIN` → `target_os = "macos"`.
    /// Other symbols become cargo features.
    fn default() -> Self {
        let mut symbols = BTreeMap::new();
        symbols.insert("CONFIG_POSIX".into(), quote!(unix));
        symbols.insert("CONFIG_WIN32".into(), quote!(windows));
        symbols.insert("CONFIG_LINUX".into(), quote!(target_os = "linux"));
        symbols.insert(
            "CONFIG_BSD".into(),
            quote!(any(
                target_os = "freebsd",
                target_os = "netbsd",
                target_os = "openbsd",
                target_os = "dragonfly"
            )),
        );
        symbols.insert("CONFIG_FREEBSD".into(), quote!(target_os = "freebsd"));
        symbols.insert("CONFIG_DARWIN".into(), quote!(target_os = "macos"));
        CfgMap {
            symbols,
            unknown: UnknownSymbol::default(),
        }
    }
}

/// A symbol that the mapping cannot translate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownCfgSymbol(pub String);

impl CfgMap {
    /// A mapping with no symbols at all.
    pub fn empty(unknown: UnknownSymbol) -> Self {
        CfgMap {
            symbols: BTreeMap::new(),
            unknown,
        }
    }

    /// Map `symbol` to a cfg predicate written as in `#[cfg(...)]`, e.g.
    /// `unix` or `target_os = "linux"` or `feature = "spice"`.
    pub fn map(&mut self, symbol: &str, predicate: &str) -> Result<&mut Self, String> {
        let meta: syn::Meta = syn::parse_str(predicate)
            .map_err(|e| format!("invalid cfg predicate `{predicate}` for {symbol}: {e}"))?;
        self.symbols.insert(symbol.to_string(), quote!(#meta));
        Ok(self)
    }

    /// Treat `symbol` as always defined.
    pub fn always(&mut self, symbol: &str) -> &mut Self {
        self.symbols.insert(symbol.to_string(), quote!(all()));
        self
    }

    /// Treat `symbol` as never defined.
    pub fn never(&mut self, symbol: &str) -> &mut Self {
        self.symbols.insert(symbol.to_string(), quote!(any()));
        self
    }

    /// Set the policy for symbols without a mapping.
    pub fn unknown(&mut self, policy: UnknownSymbol) -> &mut Self {
        self.unknown = policy;
        self
    }

    /// The cargo feature an unknown symbol maps to under
    /// [`UnknownSymbol::Feature`]: lower case, `_` → `-`.
    pub fn feature_name(symbol: &str) -> String {
        symbol.to_ascii_lowercase().replace('_', "-")
    }

    /// The cfg predicate for `cond`.
    pub fn predicate(&self, cond: &IfCond) -> Result<TokenStream, UnknownCfgSymbol> {
        Ok(match cond {
            IfCond::Name(sym) => match self.symbols.get(sym) {
                Some(p) => p.clone(),
                None => match self.unknown {
                    UnknownSymbol::Feature => {
                        let f = Self::feature_name(sym);
                        quote!(feature = #f)
                    }
                    UnknownSymbol::Error => return Err(UnknownCfgSymbol(sym.clone())),
                    UnknownSymbol::Undefined => quote!(any()),
                    UnknownSymbol::Defined => quote!(all()),
                },
            },
            IfCond::All(v) => {
                let parts = v
                    .iter()
                    .map(|c| self.predicate(c))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(all(#(#parts),*))
            }
            IfCond::Any(v) => {
                let parts = v
                    .iter()
                    .map(|c| self.predicate(c))
                    .collect::<Result<Vec<_>, _>>()?;
                quote!(any(#(#parts),*))
            }
            IfCond::Not(c) => {
                let inner = self.predicate(c)?;
                quote!(not(#inner))
            }
        })
    }

    /// `#[cfg(...)]` for an optional condition (nothing when there is none).
    pub fn attr(&self, cond: Option<&IfCond>) -> Result<TokenStream, UnknownCfgSymbol> {
        match cond {
            None => Ok(TokenStream::new()),
            Some(c) => {
                let p = self.predicate(c)?;
                Ok(quote!(#[cfg(#p)]))
            }
        }
    }

    /// Every cargo feature that conditions in `conds` map to (so a consumer
    /// can be told which features to declare).
    pub fn features_used<'a>(&self, conds: impl IntoIterator<Item = &'a IfCond>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        if self.unknown != UnknownSymbol::Feature {
            return out;
        }
        for c in conds {
            for s in c.symbols() {
                if !self.symbols.contains_key(s) {
                    let f = Self::feature_name(s);
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(s: &str) -> IfCond {
        IfCond::Name(s.into())
    }

    fn render(map: &CfgMap, c: &IfCond) -> String {
        map.predicate(c).unwrap().to_string()
    }

    #[test]
    fn platform_symbols_map_to_targets() {
        let m = CfgMap::default();
        assert_eq!(render(&m, &name("CONFIG_POSIX")), "unix");
        assert_eq!(render(&m, &name("CONFIG_WIN32")), "windows");
        assert_eq!(render(&m, &name("CONFIG_LINUX")), "target_os = \"linux\"");
    }

    #[test]
    fn combinations_nest() {
        let m = CfgMap::default();
        let c = IfCond::Any(vec![
            name("CONFIG_WIN32"),
            IfCond::Not(Box::new(name("CONFIG_POSIX"))),
        ]);
        assert_eq!(render(&m, &c), "any (windows , not (unix))");
    }

    #[test]
    fn unknown_symbols_follow_the_policy() {
        let mut m = CfgMap::default();
        assert_eq!(
            render(&m, &name("CONFIG_SPICE")),
            "feature = \"config-spice\""
        );
        m.unknown(UnknownSymbol::Error);
        assert_eq!(
            m.predicate(&name("CONFIG_SPICE")).unwrap_err(),
            UnknownCfgSymbol("CONFIG_SPICE".into())
        );
        m.unknown(UnknownSymbol::Undefined);
        assert_eq!(render(&m, &name("CONFIG_SPICE")), "any ()");
    }

    #[test]
    fn explicit_mappings_win() {
        let mut m = CfgMap::default();
        m.map("HAVE_UTMPX", "target_os = \"linux\"").unwrap();
        m.always("CONFIG_FSFREEZE");
        assert_eq!(render(&m, &name("HAVE_UTMPX")), "target_os = \"linux\"");
        assert_eq!(render(&m, &name("CONFIG_FSFREEZE")), "all ()");
        assert!(m.map("X", "not a predicate(").is_err());
    }

    #[test]
    fn features_used_lists_unknown_symbols_once() {
        let m = CfgMap::default();
        let a = IfCond::Any(vec![name("CONFIG_WIN32"), name("CONFIG_SPICE")]);
        let b = name("CONFIG_SPICE");
        assert_eq!(m.features_used([&a, &b]), vec!["config-spice".to_string()]);
    }
}
