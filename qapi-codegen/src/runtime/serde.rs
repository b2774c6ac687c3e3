// serde support: generated types serialise exactly as their wire form.

/// Serialise `value` as its QAPI wire form.
pub fn serialize<T, S>(value: &T, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
where
    T: IntoQapi + ::std::clone::Clone,
    S: ::serde::Serializer,
{
    ::serde::Serialize::serialize(&value.clone().into_qapi(), serializer)
}

/// Deserialise a value from its QAPI wire form, with QEMU's checks (the
/// error text is QEMU's).
pub fn deserialize<'de, T, D>(deserializer: D) -> ::std::result::Result<T, D::Error>
where
    T: FromQapi,
    D: ::serde::Deserializer<'de>,
{
    let v = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
    T::from_qapi(v, &Path::Root).map_err(|e| <D::Error as ::serde::de::Error>::custom(e.desc))
}

/// `Serialize` and `Deserialize` for generated type `$t`, through its
/// wire form (used by the generated code after this module).
#[allow(unused_macros)]
macro_rules! qapi_impl_serde {
    ($t:ident) => {
        impl ::serde::Serialize for $t {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                qapi::serialize(self, serializer)
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $t {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                qapi::deserialize(deserializer)
            }
        }
    };
}
