//! `docs/<service>/types.md`: an index, then each type once, with an anchor that operations link
//! to. Fields show the Rust type the generated struct declares and their Rust name where it
//! differs from the JSON one; enum values show their variant.

use super::markdown::{anchor, cell, rust_type, text, values};
use crate::emit::types::field_type;
use crate::emit::{code_value, phrasing, rust_type as rust_tokens, LENIENT_NOTE, ONE_OR_MANY_NOTE};
use crate::model::{Field, Rules, Service, TypeDef, TypeKind, TypeRef};
use crate::names::UNKNOWN_VARIANT;
use quote::quote;
use std::fmt::Write;

pub fn page(service: &Service) -> String {
    let mut out = format!(
        "# {} types\n\n[{} reference](README.md)\n\nEach type is `huaweicloud_db::{}::types::<name>`. A field's Rust type is the one its struct declares (`Option` when the field is optional); its Rust name is given where it differs from the JSON name. An enum reads a value it does not list as its `{UNKNOWN_VARIANT}` variant.\n\n",
        text(&service.title),
        text(&service.title),
        service.name
    );
    index(&mut out, &service.types);
    for def in &service.types {
        section(&mut out, def);
    }
    out
}

/// The types in alphabetical order, one line per initial.
fn index(out: &mut String, types: &[TypeDef]) {
    let mut sorted: Vec<&TypeDef> = types.iter().collect();
    sorted.sort_by_key(|t| (t.name.to_ascii_lowercase(), t.name.as_str()));
    out.push_str("## Index\n\n");
    let mut initial = None;
    for def in sorted {
        let first = def.name.chars().next().map(|c| c.to_ascii_uppercase());
        if first != initial {
            if initial.is_some() {
                out.push_str("\n\n");
            }
            let _ = write!(out, "**{}**: ", first.unwrap_or('?'));
            initial = first;
        } else {
            out.push_str(" · ");
        }
        let _ = write!(out, "[{}](#{})", def.name, anchor(&def.name));
    }
    out.push_str("\n\n");
}

fn section(out: &mut String, def: &TypeDef) {
    let _ = writeln!(
        out,
        "<a id=\"{}\"></a>\n## {}\n",
        anchor(&def.name),
        def.name
    );
    if let Some(description) = &def.description {
        let _ = writeln!(out, "{}\n", text(description));
    }
    if let Some(used_as) = phrasing::used_as(&def.used_as) {
        let _ = writeln!(out, "{used_as}\n");
    }
    if let Some(note) = &def.note {
        let _ = writeln!(out, "> Note: {}\n", text(note));
    }
    match &def.kind {
        TypeKind::Object(fields) if fields.is_empty() => {
            out.push_str("An object without documented fields.\n\n")
        }
        TypeKind::Object(fields) => {
            out.push_str(
                "| field | Rust type | required | values | description |\n|---|---|---|---|---|\n",
            );
            for f in fields {
                field_row(out, f);
            }
            out.push('\n');
        }
        TypeKind::Enum(variants) => {
            out.push_str("| value | Rust variant | description |\n|---|---|---|\n");
            for v in variants {
                let _ = writeln!(
                    out,
                    "| {} | `{}` | {} |",
                    code_value(&v.value),
                    v.rust_name,
                    cell(v.description.as_deref().unwrap_or_default())
                );
            }
            let _ = writeln!(
                out,
                "| any other | `{UNKNOWN_VARIANT}(_)` | Kept as sent. |\n"
            );
        }
        TypeKind::Alias(target) => {
            let _ = writeln!(
                out,
                "Another name for {}.\n",
                rust_type(&rust_tokens(target, &quote!()), target)
            );
        }
    }
}

fn field_row(out: &mut String, f: &Field) {
    let name = if f.rust_name == f.wire_name {
        format!("`{}`", f.wire_name)
    } else {
        format!("`{}` (Rust `{}`)", f.wire_name, f.rust_name)
    };
    let mut description = f.description.as_deref().map(cell).unwrap_or_default();
    let notes = [
        f.lenient.then_some(LENIENT_NOTE),
        f.one_or_many.then_some(ONE_OR_MANY_NOTE),
        f.deprecated.then_some("Deprecated."),
    ];
    for note in notes.into_iter().flatten() {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(note);
    }
    // A field of a generated enum lists its values in the enum's section on this same page;
    // listing them again in the row only doubles them.
    let rules = match f.ty.innermost() {
        TypeRef::Named(_) => Rules {
            enum_values: Vec::new(),
            ..f.rules.clone()
        },
        _ => f.rules.clone(),
    };
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {description} |",
        rust_type(&field_type(f), &f.ty),
        if f.required { "yes" } else { "no" },
        values(&f.ty, &rules),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enum_type(name: &str) -> TypeDef {
        TypeDef {
            name: name.into(),
            description: None,
            note: None,
            kind: TypeKind::Enum(Vec::new()),
            defaultable: false,
            used_as: Vec::new(),
            group: Some("g".into()),
        }
    }

    #[test]
    fn the_index_links_every_type_alphabetically_by_initial() {
        let types = ["Zone", "MySqlUser", "Mysql", "Apple"].map(enum_type);
        let mut out = String::new();
        index(&mut out, &types);
        assert_eq!(
            out,
            "## Index\n\n**A**: [Apple](#apple)\n\n**M**: [Mysql](#mysql) · [MySqlUser](#mysqluser)\n\n**Z**: [Zone](#zone)\n\n"
        );
    }
}
