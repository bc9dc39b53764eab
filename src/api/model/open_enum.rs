//! The `open_enum!` macro: enums whose set of values the services keep growing. Each has the
//! known variants plus `Other(String)` that keeps unknown text verbatim, reads MDE PascalCase
//! and Graph camelCase alike (case-insensitive), and writes back its canonical text.

/// Declare an open enum.
///
/// ```ignore
/// open_enum! {
///     /// Doc.
///     pub enum Color { Red = "Red", DarkBlue = "DarkBlue" | "Navy" }
/// }
/// ```
/// Each variant has its canonical (MDE PascalCase) text and optional aliases. Deserializing
/// compares case-insensitively, so `InProgress` and `inProgress` are the same variant;
/// anything else becomes `Other(text)`. Numbers are accepted and kept as their text.
#[macro_export]
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal $(| $alias:literal)* ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value this build does not know, kept verbatim.
            Other(String),
        }

        impl $name {
            /// Every known variant, in declaration order (the CLI's value lists read it for
            /// the enums it offers as flags; generated for every open enum).
            #[allow(dead_code)]
            pub(crate) const KNOWN: &'static [$name] = &[$($name::$variant),+];

            /// The canonical text (MDE spelling), or the unknown text as received.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(s) => s.as_str(),
                }
            }

            /// The canonical text of a known variant, as a `'static` string (for command-line
            /// value lists); `None` for an unknown value.
            #[allow(dead_code)]
            pub(crate) fn known_str(&self) -> Option<&'static str> {
                match self {
                    $( $name::$variant => Some($text), )+
                    $name::Other(_) => None,
                }
            }

            /// Read a value case-insensitively; never fails.
            pub fn parse(text: &str) -> Self {
                let t = text.trim();
                $(
                    if t.eq_ignore_ascii_case($text) $(|| t.eq_ignore_ascii_case($alias))* {
                        return $name::$variant;
                    }
                )+
                $name::Other(text.to_string())
            }

            /// Whether this is one of the known variants.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            /// The Graph spelling: canonical text with a lower-case first letter.
            pub fn camel(&self) -> String {
                let s = self.as_str();
                let mut chars = s.chars();
                match chars.next() {
                    Some(c) => c.to_lowercase().chain(chars).collect(),
                    None => String::new(),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok($name::parse(s))
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name::parse(s)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> ::serde::de::Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter) -> ::std::fmt::Result {
                        f.write_str(concat!("a ", stringify!($name), " value"))
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        Ok($name::parse(v))
                    }
                    fn visit_i64<E: ::serde::de::Error>(self, v: i64) -> Result<$name, E> {
                        Ok($name::parse(&v.to_string()))
                    }
                    fn visit_u64<E: ::serde::de::Error>(self, v: u64) -> Result<$name, E> {
                        Ok($name::parse(&v.to_string()))
                    }
                    fn visit_bool<E: ::serde::de::Error>(self, v: bool) -> Result<$name, E> {
                        Ok($name::parse(if v { "true" } else { "false" }))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

#[cfg(test)]
// The macro makes the test enum's items `pub`, as for the models; nothing reaches them here.
#[allow(unreachable_pub)]
mod tests {
    crate::open_enum! {
        /// Test enum.
        pub(crate) enum Probe { InProgress = "InProgress", Done = "Done" | "Finished" }
    }

    #[test]
    fn open_enum_reads_any_case_and_keeps_unknowns() {
        let v: Vec<Probe> =
            serde_json::from_str(r#"["InProgress","inProgress","finished","Weird"]"#)
                .expect("parse");
        assert_eq!(v[0], Probe::InProgress);
        assert_eq!(v[1], Probe::InProgress);
        assert_eq!(v[2], Probe::Done);
        assert_eq!(v[3], Probe::Other("Weird".into()));
        assert!(v[0].is_known() && !v[3].is_known());
        assert_eq!(v[3].to_string(), "Weird");
        assert_eq!(Probe::InProgress.camel(), "inProgress");
        assert_eq!(
            serde_json::to_string(&Probe::Done).expect("ser"),
            "\"Done\""
        );
        assert_eq!(Probe::KNOWN.len(), 2);
    }
}
