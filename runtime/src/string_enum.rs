//! The behaviour every generated string enum shares: reading a wire value into its variant (or the
//! catch-all `Unknown`), writing a variant back as its wire value, and the impls built on those.
//!
//! Generated code only describes an enum: it declares the variants with their rustdoc, and invokes
//! [`string_enum!`](crate::string_enum!) with the table of wire values. The macro is needed at all
//! only because the orphan rule forbids blanket impls of `serde`'s and `std`'s traits here.

use std::fmt;

/// An enum value this version of the crate does not know, kept as the API sent it.
///
/// Only reading a value makes one (deserializing, or `From<&str>` on the enum), and only for a
/// value no variant names: a known value always reads as its own variant.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnknownValue(String);

impl UnknownValue {
    /// The value as it is sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An enum of the values a string field or parameter takes, with a catch-all for the others.
///
/// Implemented by [`string_enum!`](crate::string_enum!), which also gives the enum `as_str`,
/// `From<&str>`, `FromStr`, `Display`, `Serialize` and `Deserialize` on top of this trait.
pub trait StringEnum: Sized + Clone + PartialEq + 'static {
    /// Each known variant with its wire value, in the order the spec lists them.
    const VARIANTS: &'static [(&'static str, Self)];

    /// The catch-all variant holding `value`.
    fn unknown(value: UnknownValue) -> Self;

    /// The value of the catch-all variant, if `self` is it.
    fn as_unknown(&self) -> Option<&UnknownValue>;

    /// The value as it is sent on the wire.
    fn wire_value(&self) -> &str {
        if let Some(unknown) = self.as_unknown() {
            return unknown.as_str();
        }
        Self::VARIANTS
            .iter()
            .find(|(_, variant)| variant == self)
            .map_or("", |(value, _)| value)
    }

    /// The variant `value` names, or the catch-all holding it when no variant does.
    fn from_wire_value(value: &str) -> Self {
        match Self::VARIANTS.iter().find(|(known, _)| *known == value) {
            Some((_, variant)) => variant.clone(),
            None => Self::unknown(UnknownValue(value.to_string())),
        }
    }
}

/// Writes `value` as its wire value, a JSON string.
pub fn serialize<T: StringEnum, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(value.wire_value())
}

/// Reads a JSON string into its variant; a string no variant names becomes the catch-all.
pub fn deserialize<'de, T: StringEnum, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<T, D::Error> {
    let value = <String as serde::Deserialize>::deserialize(deserializer)?;
    Ok(T::from_wire_value(&value))
}

/// Implements [`StringEnum`] for an enum from its table of variants and wire values, and the
/// traits every string enum has: an inherent `as_str`, `From<&str>`, `FromStr` (which never
/// fails), `Display` (the wire value), `Serialize` and `Deserialize`.
///
/// The enum must have a variant `Unknown(UnknownValue)` besides the ones in the table.
///
/// ```
/// use huaweicloud_db_runtime::UnknownValue;
///
/// /// A switch.
/// #[derive(Debug, Clone, PartialEq, Eq)]
/// pub enum Switch {
///     /// `ON`
///     On,
///     /// `OFF`
///     Off,
///     /// A value this version does not know; kept as sent.
///     Unknown(UnknownValue),
/// }
///
/// huaweicloud_db_runtime::string_enum! {
///     Switch { On = "ON", Off = "OFF" }
/// }
///
/// assert_eq!(Switch::from("ON"), Switch::On);
/// assert_eq!(Switch::from("DIMMED").to_string(), "DIMMED");
/// ```
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $($variant:ident = $value:literal),* $(,)? }) => {
        impl $crate::StringEnum for $name {
            const VARIANTS: &'static [(&'static str, Self)] = &[$(($value, Self::$variant)),*];

            fn unknown(value: $crate::UnknownValue) -> Self {
                Self::Unknown(value)
            }

            fn as_unknown(&self) -> ::core::option::Option<&$crate::UnknownValue> {
                match self {
                    Self::Unknown(value) => ::core::option::Option::Some(value),
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $name {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                $crate::StringEnum::wire_value(self)
            }
        }

        impl ::core::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                $crate::StringEnum::from_wire_value(value)
            }
        }

        impl ::core::str::FromStr for $name {
            type Err = ::core::convert::Infallible;

            fn from_str(value: &str) -> ::core::result::Result<Self, Self::Err> {
                ::core::result::Result::Ok($crate::StringEnum::from_wire_value(value))
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str($crate::StringEnum::wire_value(self))
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::core::result::Result<S::Ok, S::Error> {
                $crate::string_enum::serialize(self, serializer)
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::core::result::Result<Self, D::Error> {
                $crate::string_enum::deserialize(deserializer)
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hand-written as the generator writes one.
    #[derive(Debug, Clone, PartialEq, Eq)]
    enum Language {
        EnUs,
        ZhCn,
        Unknown(UnknownValue),
    }

    crate::string_enum! {
        Language { EnUs = "en-us", ZhCn = "zh-cn" }
    }

    #[test]
    fn known_values_read_as_their_variant_and_write_back() {
        for (wire, variant) in [("en-us", Language::EnUs), ("zh-cn", Language::ZhCn)] {
            assert_eq!(Language::from(wire), variant);
            assert_eq!(variant.as_str(), wire);
            assert_eq!(variant.to_string(), wire);
            let json = serde_json::to_string(&variant).unwrap();
            assert_eq!(json, format!("\"{wire}\""));
            assert_eq!(serde_json::from_str::<Language>(&json).unwrap(), variant);
        }
    }

    #[test]
    fn an_unknown_value_is_kept_as_sent_and_round_trips() {
        let read: Language = serde_json::from_str("\"fr-fr\"").unwrap();
        let Language::Unknown(value) = &read else {
            panic!("expected Unknown, got {read:?}");
        };
        assert_eq!(value.as_str(), "fr-fr");
        assert_eq!(value.to_string(), "fr-fr");
        assert_eq!(read.as_str(), "fr-fr");
        assert_eq!(read.to_string(), "fr-fr");
        assert_eq!(serde_json::to_string(&read).unwrap(), "\"fr-fr\"");
        assert_eq!("fr-fr".parse::<Language>(), Ok(read));
    }

    #[test]
    fn matching_is_exact() {
        // Neither case nor surrounding space is forgiven: the wire value is what the API sent.
        assert!(matches!(Language::from("EN-US"), Language::Unknown(_)));
        assert!(matches!(Language::from(" en-us"), Language::Unknown(_)));
        assert!(matches!(Language::from(""), Language::Unknown(_)));
    }

    #[test]
    fn only_strings_deserialize() {
        assert!(serde_json::from_str::<Language>("1").is_err());
        assert!(serde_json::from_str::<Language>("null").is_err());
    }
}
