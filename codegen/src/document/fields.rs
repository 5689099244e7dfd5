//! Table rows as fields: the documents' type names, and the value rules their prose states.

use super::text::{prose, squash, strip_markup};
use regex::Regex;
use std::sync::LazyLock;

/// A type as a table cell names it.
#[derive(Debug, Clone, PartialEq)]
pub enum CellType {
    Scalar(Scalar),
    /// `X object`: the nested table named X (or, for a bare `Object`, the one named after the field).
    Object(String),
    ArrayOf(Box<CellType>),
    MapOf(Box<CellType>),
    /// A type the reader does not know, as printed.
    Unknown(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    String,
    Integer,
    Long,
    Double,
    Boolean,
    Json,
}

impl Scalar {
    /// The spec language's name of the type.
    pub fn spec_name(self) -> &'static str {
        match self {
            Scalar::String => "string",
            Scalar::Integer => "integer",
            Scalar::Long => "long",
            Scalar::Double => "double",
            Scalar::Boolean => "boolean",
            Scalar::Json => "json",
        }
    }

    pub fn is_number(self) -> bool {
        matches!(self, Scalar::Integer | Scalar::Long | Scalar::Double)
    }
}

fn scalar(word: &str) -> Option<Scalar> {
    Some(match word {
        "string" | "strings" | "str" | "char" | "varchar" | "date" | "datetime" | "enum" => {
            Scalar::String
        }
        "integer" | "integers" | "int" | "int32" | "short" => Scalar::Integer,
        "long" | "longs" | "int64" | "bigint" => Scalar::Long,
        "double" | "doubles" | "float" | "floats" | "number" | "numbers" | "bigdecimal"
        | "decimal" => Scalar::Double,
        "boolean" | "booleans" | "bool" => Scalar::Boolean,
        "json" | "jsonobject" | "jsonnode" => Scalar::Json,
        _ => return None,
    })
}

/// Reads a Type cell: "String", "Array of strings", "MySQLBackup Policy object",
/// "Array of RedisConfRe q objects", "Map<String,String>".
pub fn cell_type(cell: &str) -> CellType {
    let text = squash(&strip_markup(cell));
    let lower = text.to_ascii_lowercase();
    let joined: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(s) = scalar(&joined) {
        return CellType::Scalar(s);
    }
    if joined == "object" {
        return CellType::Object(String::new());
    }
    for prefix in ["arrayof", "listof"] {
        if let Some(rest) = joined.strip_prefix(prefix) {
            let original = tail(&text, rest.len());
            return CellType::ArrayOf(Box::new(element(rest, &original)));
        }
    }
    if matches!(joined.as_str(), "array" | "list") {
        return CellType::ArrayOf(Box::new(CellType::Object(String::new())));
    }
    for prefix in ["list<", "array<"] {
        if let Some(inner) = joined
            .strip_prefix(prefix)
            .and_then(|r| r.strip_suffix('>'))
        {
            return CellType::ArrayOf(Box::new(
                scalar(inner).map_or_else(|| CellType::Unknown(text.clone()), CellType::Scalar),
            ));
        }
    }
    if let Some(inner) = joined
        .strip_prefix("map<string,")
        .and_then(|r| r.strip_suffix('>'))
    {
        let value = if inner == "object" {
            CellType::Scalar(Scalar::Json)
        } else {
            scalar(inner).map_or_else(|| CellType::Unknown(text.clone()), CellType::Scalar)
        };
        return CellType::MapOf(Box::new(value));
    }
    if let Some(name) = joined.strip_suffix("object") {
        return CellType::Object(object_name(&text, name.len()));
    }
    CellType::Unknown(text)
}

/// The last `n` letters (without spaces) of `text`, with their original case.
fn tail(text: &str, n: usize) -> String {
    let letters: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    letters[letters.len().saturating_sub(n)..].iter().collect()
}

/// The first `n` letters (without spaces) of `text`, with their original case: the X of "X object".
fn object_name(text: &str, n: usize) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .take(n)
        .collect()
}

/// The element of "Array of ...": a scalar, "objects", or "X objects".
fn element(lower_rest: &str, original_rest: &str) -> CellType {
    if let Some(s) = scalar(lower_rest) {
        return CellType::Scalar(s);
    }
    for suffix in ["objects", "object"] {
        if let Some(name) = lower_rest.strip_suffix(suffix) {
            return CellType::Object(original_rest.chars().take(name.len()).collect());
        }
    }
    CellType::Unknown(original_rest.to_string())
}

/// What a field's description says about its values, where it says so unambiguously.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProseRules {
    pub enum_values: Vec<String>,
    pub default: Option<String>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
}

impl ProseRules {
    pub fn is_empty(&self) -> bool {
        *self == ProseRules::default()
    }
}

static ENUM_LIST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:enumerated values?|^values?|\. values?|value options?)\s*:\s*((?:•\s*[^•]+)+)$",
    )
    .expect("regex")
});
static ENUM_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)enumerated values?\s*:\s*([A-Za-z0-9_.\-]+)\s*$").expect("regex")
});
static DEFAULT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:the default value is|defaults to|default value\s*:?)\s*(\S+)")
        .expect("regex")
});
static RANGE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:value range|range of values|ranges? from|value ranges from|an integer from|must be from|value is from)\s*:?\s*(-?\d+(?:\.\d+)?)\s*(?:to|–|-|~)\s*(-?\d+(?:\.\d+)?)").expect("regex")
});
static LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(?:consists? of|contains?|must be|of|is)\s+(\d+)\s*(?:to|–|-|~)\s*(\d+)\s*characters",
    )
    .expect("regex")
});
static MAX_LENGTH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:up to|a maximum of|at most|no more than|cannot exceed|not exceed)\s+(\d+)\s*characters").expect("regex")
});
static TOKEN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_.\-]+$").expect("regex"));

/// Reads the value rules out of a description, for a field of the given scalar type.
pub fn prose_rules(description: &str, ty: Option<Scalar>) -> ProseRules {
    let text = prose(description);
    let mut rules = ProseRules::default();
    // "Enumerated values:" is the documents' formal list; prefer it to a "Values:" list before it.
    let formal = text
        .to_ascii_lowercase()
        .rfind("enumerated value")
        .map_or(text.as_str(), |i| &text[i..]);
    if let Some(c) = ENUM_LIST.captures(formal) {
        let items: Vec<&str> = c[1]
            .split('•')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .collect();
        let mut values: Vec<String> = Vec::new();
        let mut all_values = !items.is_empty();
        for item in items {
            match enum_item(item) {
                Some(v) if !values.contains(&v) => values.push(v),
                Some(_) => {}
                None => all_values = false,
            }
        }
        if all_values {
            rules.enum_values = values;
        }
    } else if let Some(c) = ENUM_INLINE.captures(&text) {
        rules.enum_values = vec![c[1].to_string()];
    }
    if let Some(c) = DEFAULT.captures(&text) {
        let value = c[1].trim_end_matches(['.', ',', ';']).to_string();
        let fits = match ty {
            Some(s) if s.is_number() => value.parse::<f64>().is_ok(),
            Some(Scalar::Boolean) => matches!(value.as_str(), "true" | "false"),
            _ => true,
        };
        let blank = matches!(
            value.to_ascii_lowercase().as_str(),
            "n/a" | "na" | "empty" | "null" | "none" | "left" | "blank"
        );
        if fits && !blank && TOKEN.is_match(&value) {
            rules.default = Some(value);
        }
    }
    if ty.is_some_and(Scalar::is_number) {
        if let Some(c) = RANGE.captures(&text) {
            rules.minimum = c[1].parse().ok();
            rules.maximum = c[2].parse().ok();
        }
    }
    if ty == Some(Scalar::String) {
        if let Some(c) = LENGTH.captures(&text) {
            rules.min_length = c[1].parse().ok();
            rules.max_length = c[2].parse().ok();
        } else if let Some(c) = MAX_LENGTH.captures(&text) {
            rules.max_length = c[1].parse().ok();
        }
    }
    rules
}

/// The value a bullet names: a bare value, or a value followed by `:`, `(` or `-` and its meaning.
/// A bullet that is a sentence ("When period_type is month, ...") names no value.
fn enum_item(item: &str) -> Option<String> {
    let item = item.trim().trim_end_matches(['.', ';', ',']);
    let (value, rest) = match item.find([':', '(']) {
        Some(i) => (item[..i].trim(), &item[i..]),
        None => (item, ""),
    };
    let value = value.trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let bare = rest.is_empty() && !value.contains(' ');
    (TOKEN.is_match(value) && (bare || !rest.is_empty())).then(|| value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_type_cells() {
        assert_eq!(cell_type("String"), CellType::Scalar(Scalar::String));
        assert_eq!(
            cell_type("MySQLBackup Policy object"),
            CellType::Object("MySQLBackupPolicy".into())
        );
        assert_eq!(
            cell_type("Array of RedisConfRe q objects"),
            CellType::ArrayOf(Box::new(CellType::Object("RedisConfReq".into())))
        );
        assert_eq!(
            cell_type("Array of strings"),
            CellType::ArrayOf(Box::new(CellType::Scalar(Scalar::String)))
        );
        assert_eq!(
            cell_type("Map<String,String>"),
            CellType::MapOf(Box::new(CellType::Scalar(Scalar::String)))
        );
        assert_eq!(cell_type("Object"), CellType::Object(String::new()));
        assert_eq!(cell_type("Strange"), CellType::Unknown("Strange".into()));
    }

    #[test]
    fn reads_rules_from_prose() {
        let r = prose_rules(
            "Request language type. The default value is en-us . Values: <ul><li>• en-us• zh-cn",
            Some(Scalar::String),
        );
        assert_eq!(r.enum_values, ["en-us", "zh-cn"]);
        assert_eq!(r.default.as_deref(), Some("en-us"));
        let r = prose_rules(
            "<p>Backup retention days. Value range: 1–732.</p>",
            Some(Scalar::Integer),
        );
        assert_eq!((r.minimum, r.maximum), (Some(1.0), Some(732.0)));
        let r = prose_rules(
            "The name must start with a letter and consist of 4 to 64 characters.",
            Some(Scalar::String),
        );
        assert_eq!((r.min_length, r.max_length), (Some(4), Some(64)));
        let r = prose_rules(
            "Status. Values: ● BUILDING: in progress ● COMPLETED: done",
            Some(Scalar::String),
        );
        assert_eq!(r.enum_values, ["BUILDING", "COMPLETED"]);
        let r = prose_rules(
            "Backup type. Value: manual (manual full backup) Enumerated values: manual",
            Some(Scalar::String),
        );
        assert_eq!(r.enum_values, ["manual"]);
        assert!(prose_rules("Default Value N/A", Some(Scalar::String)).is_empty());
        let r = prose_rules("Values: • postPaid: pay-per-use • prePaid: yearly Enumerated values: • postPaid • prePaid", Some(Scalar::String));
        assert_eq!(r.enum_values, ["postPaid", "prePaid"]);
        let r = prose_rules(
            "Values: • When period_type is month, 1 to 9 • When it is year, 1 to 3",
            Some(Scalar::Integer),
        );
        assert!(r.enum_values.is_empty());
    }
}
