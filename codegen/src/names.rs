//! Every Rust name the generator emits is decided here.
//!
//! Wire names come from the documents and may be anything (`X-Language`, `instanceId`, `type`,
//! `8.0`); Rust names must be valid, idiomatic and distinct. The validator calls these functions
//! once while building the model and stores the results there.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Words Rust reserves; a name that is one gets a trailing underscore (`type` -> `type_`).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Type names the generated code uses unqualified; a spec type with one of these names would
/// shadow it.
pub const RESERVED_TYPE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Self",
    "Default",
    "From",
    "Into",
    "UnknownValue",
];

/// Names the request builders use for their own methods; a parameter setter may not take them.
pub const BUILDER_METHODS: &[&str] = &["send", "body", "project_id", "header"];

/// The start of the environment variables that override a service's endpoint per region, as
/// the runtime reads them (`HUAWEICLOUD_SDK_REGION_GAUSSDB_` for the endpoint label `gaussdb`):
/// for the generated documentation of `Client::from_env`.
pub fn region_endpoint_variable_prefix(endpoint_service: &str) -> String {
    format!(
        "HUAWEICLOUD_SDK_REGION_{}_",
        endpoint_service.to_ascii_uppercase().replace('-', "_")
    )
}

fn unkeyword(name: String) -> String {
    if KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else {
        name
    }
}

/// Replaces everything but ASCII letters and digits by `_`, so heck sees word boundaries.
fn words(wire: &str) -> String {
    wire.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// A snake_case identifier for a field, parameter or method (`instanceId` -> `instance_id`).
pub fn snake(wire: &str) -> String {
    let mut name = words(wire).to_snake_case();
    if name.is_empty() {
        name = "value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("n{name}");
    }
    unkeyword(name)
}

/// The module of a group's generated files: the group name as snake_case.
pub fn group_module(group: &str) -> String {
    snake(group)
}

/// An UpperCamelCase identifier for a type or variant (`en-us` -> `EnUs`, `8.0` -> `V8_0`).
pub fn camel(wire: &str) -> String {
    if wire.is_empty() {
        return "Empty".into();
    }
    let mut name = words(wire).to_upper_camel_case();
    if name.is_empty() {
        name = "Value".into();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        // Keep digit groups apart: `8.0` is V8_0, not V80.
        let digits: Vec<&str> = wire
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|s| !s.is_empty())
            .collect();
        name = format!("V{}", digits.join("_"));
        if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            name = "Value".into();
        }
    }
    unkeyword(name)
}

/// A SHOUTY_SNAKE constant name (`DBS.200001` -> `DBS_200001`).
pub fn constant(wire: &str) -> String {
    let name = words(wire).to_shouty_snake_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("E_{name}")
    } else {
        name
    }
}

/// Makes each name distinct by numbering repeats (`a`, `a_2`); `taken` holds names already used.
pub fn dedupe(name: String, taken: &mut BTreeSet<String>, separator: &str) -> String {
    if taken.insert(name.clone()) {
        return name;
    }
    let mut n = 2;
    loop {
        let candidate = format!("{name}{separator}{n}");
        if taken.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

/// The module of the inline enums several groups share (`types/shared.rs`, `mock/shared.rs`); no
/// group may be named so.
pub const SHARED_MODULE: &str = "shared";

/// The request builder type of an operation (`create_instance` -> `CreateInstance`). Builders live
/// in their own module, so they never meet the spec's type names.
pub fn builder_name(operation_id: &str) -> String {
    camel(operation_id)
}

/// The enum of an operation whose success statuses have different bodies.
pub fn output_enum_name(operation_id: &str) -> String {
    format!("{}Output", camel(operation_id))
}

/// The mock's typed input of an operation (`create_instance` -> `CreateInstanceInput`). Inputs
/// live in the mock's modules, which name the spec's types through `types::`.
pub fn mock_input_name(operation_id: &str) -> String {
    format!("{}Input", camel(operation_id))
}

/// The constant holding an operation's entry of the mock's table (`create_instance` ->
/// `CREATE_INSTANCE`). Operation ids are distinct snake_case, so their constants are too.
pub fn operation_entry_name(operation_id: &str) -> String {
    constant(operation_id)
}

/// The generated test that calls an operation's client method against the mock.
pub fn mock_test_name(operation_id: &str) -> String {
    format!("{}_answers_as_documented", snake(operation_id))
}

/// The generated round-trip test of an example: operation, `request` or `response`, example
/// name. The validator holds operation ids and example names to snake_case, and the prefix keeps
/// a keyword among them from being the whole name.
pub fn example_test_name(operation_id: &str, response: bool, example: &str) -> String {
    let kind = if response { "response" } else { "request" };
    format!("{operation_id}_{kind}_{example}")
}

/// The variant of an output enum for one status.
pub fn status_variant(status: u16) -> String {
    format!("Status{status}")
}

/// A string enum declared inline on an object field: owner and field (`Instance` + `status`).
pub fn field_enum_name(owner: &str, field_wire: &str) -> String {
    format!("{owner}{}", camel(field_wire))
}

/// The `Client` method that sets a shared header for every request: `with_x_language` (the
/// prefix keeps it clear of keywords).
pub fn client_setting_method(param_wire: &str) -> String {
    format!("with_{}", words(param_wire).to_snake_case())
}

/// The setter of an optional field on a request type: `with_time_zone` (from the field's Rust
/// name, without a raw-identifier prefix: `r#type` -> `with_type`).
pub fn field_setter_name(field_rust_name: &str) -> String {
    format!("with_{}", field_rust_name.trim_start_matches("r#"))
}

/// A string enum declared inline on a parameter: shared by name, or qualified by the operation
/// when parameters of the same name allow different values or the name is vague.
pub fn param_enum_name(operation_id: Option<&str>, param_wire: &str) -> String {
    match operation_id {
        None => camel(param_wire),
        Some(op) => format!("{}{}", camel(op), camel(param_wire)),
    }
}

/// Parameter and field names that say too little to name an enum alone: `types::Type` could be
/// anything, so such a parameter's enum is named with its operation (`ListInstancesType`).
const VAGUE: &[&str] = &[
    "type", "types", "status", "state", "mode", "kind", "level", "name", "value", "order",
    "filter", "dim", "database", "deleted", "result", "role", "category", "action", "scope",
    "option", "flag", "key", "format", "sort", "sort_by", "order_by",
];

/// Whether a parameter or field name is too vague to name an enum alone.
pub fn is_vague(wire: &str) -> bool {
    VAGUE.contains(&snake(wire).trim_end_matches('_'))
}

/// Sets of values whose enum is best named after the values themselves, in the order the name
/// gives them.
const NAMED_BY_VALUES: &[&[&str]] = &[
    &["true", "false"],
    &["on", "off"],
    &["yes", "no"],
    &["enable", "disable"],
    &["enabled", "disabled"],
    &["asc", "desc"],
];

/// Names for one enum shared by inline lists of the same values (`values`, as the first list
/// gives them) on fields or parameters named `wire_names`, best first; the caller takes the first
/// one that is free, or else the first list's own name. The one name that is not vague among the
/// fields and parameters comes first (`charge_mode` -> `ChargeMode`, `X-Language` -> `XLanguage`,
/// `type` and `instance_mode` -> `InstanceMode`), then a name from well-known values
/// (`["ON", "OFF"]` -> `OnOff`).
pub fn shared_enum_names(values: &[&str], wire_names: &[&str]) -> Vec<String> {
    let mut names = Vec::new();
    let specific: BTreeSet<&str> = wire_names
        .iter()
        .copied()
        .filter(|w| !is_vague(w))
        .collect();
    if let [only] = specific.into_iter().collect::<Vec<_>>().as_slice() {
        names.push(camel(only));
    }
    let lower: BTreeSet<String> = values.iter().map(|v| v.to_ascii_lowercase()).collect();
    if let Some(known) = NAMED_BY_VALUES
        .iter()
        .find(|known| known.len() == lower.len() && known.iter().all(|k| lower.contains(*k)))
    {
        names.push(known.iter().map(|v| camel(v)).collect());
    }
    names
}

/// The catch-all variant every generated enum has for values the spec does not know yet.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Whether a field holds a secret, by its wire name: passwords, secret keys, private keys. Such
/// fields print as `***` in `Debug`, so logs and panics never carry them.
pub fn is_secret(wire: &str) -> bool {
    let name = wire.to_ascii_lowercase();
    ["password", "passwd", "secret", "private_key", "privatekey"]
        .iter()
        .any(|w| name.contains(w))
        || matches!(name.as_str(), "pwd" | "sk" | "secret_key")
}

/// Words of a section title that say nothing about the operation.
const TITLE_FILLER: &[&str] = &[
    "a",
    "an",
    "the",
    "of",
    "for",
    "to",
    "in",
    "on",
    "with",
    "by",
    "about",
    "from",
    "and",
    "or",
    "specified",
    "information",
    "specific",
    "based",
    "its",
    "that",
    "be",
    "can",
    "is",
];

/// A draft operation id from a section title, verb first: "Querying Full Backups" ->
/// `list_full_backups`, "Deleting a Manual Backup" -> `delete_manual_backup`. The maintainer
/// reviews it; ids are stable once committed.
pub fn operation_id_from_title(title: &str) -> String {
    let words: Vec<String> = words(title)
        .split('_')
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let Some((first, rest)) = words.split_first() else {
        return "operation".into();
    };
    let rest: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|w| !TITLE_FILLER.contains(w))
        .collect();
    let plural = rest
        .last()
        .is_some_and(|w| w.ends_with('s') && !w.ends_with("ss"));
    let verb = match first.as_str() {
        "querying" | "obtaining" | "viewing" | "listing" | "getting" => {
            if plural {
                "list"
            } else {
                "show"
            }
        }
        "creating" | "adding" => "create",
        "deleting" | "removing" => "delete",
        "modifying" | "changing" | "updating" | "configuring" | "setting" | "editing" => "update",
        "enabling" => "update",
        "rebooting" | "restarting" => "restart",
        "checking" => "check",
        "applying" => "apply",
        "replicating" | "copying" => "copy",
        "comparing" => "compare",
        "restoring" => "restore",
        "resetting" => "reset",
        "binding" => "bind",
        "unbinding" => "unbind",
        "upgrading" => "upgrade",
        "scaling" => "resize",
        "stopping" => "stop",
        "starting" => "start",
        "canceling" | "cancelling" => "cancel",
        "granting" => "grant",
        "disabling" => "disable",
        "switching" => "switch",
        "expanding" => "expand",
        "synchronizing" => "sync",
        "resuming" => "resume",
        "suspending" => "suspend",
        "promoting" => "promote",
        "saving" => "save",
        other => other,
    };
    let mut id = verb.to_string();
    for w in rest {
        // "Enabling or Disabling X" names the switch, not the verbs.
        if matches!(w, "disabling" | "enabling") {
            continue;
        }
        id.push('_');
        id.push_str(w);
    }
    snake(&id)
}

/// A spec type name from a table's caption or a field's name: `instance_state` -> `InstanceState`,
/// `MySQLBackup Policy` -> `MySqlBackupPolicy`.
pub fn type_name_from_caption(caption: &str) -> String {
    let joined: String = caption.chars().filter(|c| !c.is_whitespace()).collect();
    let name = words(&joined).to_upper_camel_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Type{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_names() {
        assert_eq!(snake("instanceId"), "instance_id");
        assert_eq!(snake("X-Language"), "x_language");
        assert_eq!(snake("type"), "type_");
        assert_eq!(snake("self"), "self_");
        assert_eq!(snake("1st"), "n1st");
        assert_eq!(snake("---"), "value");
    }

    #[test]
    fn camel_names() {
        assert_eq!(camel("en-us"), "EnUs");
        assert_eq!(camel("8.0"), "V8_0");
        assert_eq!(camel("gaussdb-mysql"), "GaussdbMysql");
        assert_eq!(camel("ACTIVE"), "Active");
        assert_eq!(camel("Self"), "Self_");
        assert_eq!(camel(""), "Empty");
        assert_eq!(camel("--"), "Value");
    }

    #[test]
    fn names_of_an_operations_generated_items() {
        assert_eq!(mock_input_name("create_instance"), "CreateInstanceInput");
        assert_eq!(operation_entry_name("create_instance"), "CREATE_INSTANCE");
        assert_eq!(
            mock_test_name("create_instance"),
            "create_instance_answers_as_documented"
        );
        assert_eq!(
            example_test_name("create_instance", true, "status_202"),
            "create_instance_response_status_202"
        );
        assert_eq!(
            example_test_name("create_instance", false, "default"),
            "create_instance_request_default"
        );
    }

    #[test]
    fn vague_names() {
        assert!(is_vague("type"));
        assert!(is_vague("Status"));
        assert!(!is_vague("charge_mode"));
        assert!(!is_vague("X-Language"));
    }

    #[test]
    fn shared_enum_names_prefer_a_specific_common_name_then_the_values() {
        assert_eq!(
            shared_enum_names(&["prePaid", "postPaid"], &["charge_mode", "charge_mode"]),
            ["ChargeMode"]
        );
        assert_eq!(
            shared_enum_names(&["false", "true"], &["is_auto_pay", "ssl_option"]),
            ["TrueFalse"]
        );
        assert_eq!(
            shared_enum_names(&["ON", "OFF"], &["switch_status", "switch_status"]),
            ["SwitchStatus", "OnOff"]
        );
        assert_eq!(
            shared_enum_names(&["ON", "OFF"], &["status", "status"]),
            ["OnOff"]
        );
        assert_eq!(
            shared_enum_names(&["Cluster"], &["type", "instance_mode", "mode"]),
            ["InstanceMode"]
        );
        assert!(shared_enum_names(&["a", "b"], &["type", "type"]).is_empty());
        assert!(shared_enum_names(&["a", "b"], &["pay_model", "is_auto_renew"]).is_empty());
        assert!(shared_enum_names(&["on", "off", ""], &["x", "y"]).is_empty());
    }

    #[test]
    fn constants_and_dedupe() {
        assert_eq!(constant("DBS.200001"), "DBS_200001");
        assert_eq!(constant("DWS.0001"), "DWS_0001");
        let mut taken = BTreeSet::new();
        assert_eq!(dedupe("a".into(), &mut taken, "_"), "a");
        assert_eq!(dedupe("a".into(), &mut taken, "_"), "a_2");
    }
}
