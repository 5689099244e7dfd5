//! Enums: named enum types, and the enums made from inline `enum:` lists on string fields and
//! parameters.

use super::context::FileCtx;
use super::shared::Resolution;
use super::syntax::{parse_type, replace_innermost};
use super::{Declared, ServiceBuilder};
use crate::model::*;
use crate::names;
use crate::spec::load::SourceFile;
use crate::spec::locate::Seg;
use crate::spec::raw::GroupFile;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// Where an inline `enum:` list is written: a field of a declared type, or a parameter of an
/// operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Site {
    Field { owner: String, field: String },
    Param { operation: String, param: String },
}

/// One inline `enum:` list as the spec writes it.
struct Occurrence {
    site: Site,
    group: String,
    values: Vec<String>,
    /// Per value, its description where the list gives one.
    value_descriptions: Vec<Option<String>>,
    description: Option<String>,
    /// In an operation the API deprecates (a parameter), or in a group of only those (a field):
    /// its owner names a shared enum only when no current one can.
    deprecated: bool,
}

impl Occurrence {
    fn wire_name(&self) -> &str {
        match &self.site {
            Site::Field { field, .. } => field,
            Site::Param { param, .. } => param,
        }
    }
}

/// The enum the inline lists with one set of values become.
pub(super) struct PlannedEnum {
    pub name: String,
    /// The group whose types module holds it; `None` when lists in several groups share it.
    pub group: Option<String>,
    pub doc: String,
    /// The values in the order the first list gives them, each with its description when every
    /// list that describes it agrees.
    pub values: Vec<(String, Option<String>)>,
}

/// What each inline `enum:` list of a service becomes, decided before any is declared: lists with
/// the same set of values (in any order) share one enum, named once.
#[derive(Default)]
pub(super) struct InlineEnums {
    by_site: BTreeMap<Site, usize>,
    enums: Vec<PlannedEnum>,
}

impl InlineEnums {
    pub(super) fn get(&self, site: &Site) -> Option<&PlannedEnum> {
        self.by_site.get(site).map(|&i| &self.enums[i])
    }

    /// Plans every inline enum of the service's groups; names already taken by declared types are
    /// never given to a shared enum.
    pub(super) fn plan(
        groups: &[(SourceFile, GroupFile)],
        resolutions: &[Resolution],
    ) -> InlineEnums {
        let occurrences = occurrences(groups, resolutions);
        let taken_by_types: BTreeSet<&str> = groups
            .iter()
            .flat_map(|(_, g)| &g.types)
            .map(|t| t.name.as_str())
            .collect();
        let params_by_name = param_names_with_one_value_set(&occurrences);
        let own_name = |o: &Occurrence| match &o.site {
            Site::Field { owner, field } => names::field_enum_name(owner, field),
            Site::Param { operation, param } => {
                let qualify = !params_by_name.contains(param.as_str()) || names::is_vague(param);
                names::param_enum_name(qualify.then_some(operation.as_str()), param)
            }
        };

        let mut sets: BTreeMap<BTreeSet<&str>, Vec<&Occurrence>> = BTreeMap::new();
        for o in &occurrences {
            sets.entry(o.values.iter().map(String::as_str).collect())
                .or_default()
                .push(o);
        }
        let mut sets: Vec<Vec<&Occurrence>> = sets.into_values().collect();
        for set in &mut sets {
            // Stable: spec order among the current lists, then among the deprecated ones.
            set.sort_by_key(|o| o.deprecated);
        }
        // The most used sets choose their names first; ties go to the spec's order.
        let first_index = |set: &Vec<&Occurrence>| {
            occurrences
                .iter()
                .position(|o| std::ptr::eq(o, set[0]))
                .unwrap_or(usize::MAX)
        };
        sets.sort_by_key(|set| (std::cmp::Reverse(set.len()), first_index(set)));

        // A list alone keeps the name of its owner and field (or parameter), as before sharing.
        let mut taken: BTreeSet<String> = taken_by_types.iter().map(|s| s.to_string()).collect();
        taken.extend(
            sets.iter()
                .filter(|set| distinct_sites(set) == 1)
                .map(|set| own_name(set[0])),
        );
        let mut plan = InlineEnums::default();
        let named_sets: Vec<(String, Vec<&Occurrence>)> = sets
            .into_iter()
            .flat_map(|set| name_sets(set, &own_name, &mut taken))
            .collect();
        for (name, set) in named_sets {
            let groups: BTreeSet<&str> = set.iter().map(|o| o.group.as_str()).collect();
            let group = match groups.into_iter().collect::<Vec<_>>().as_slice() {
                [only] => Some(only.to_string()),
                _ => None,
            };
            let index = plan.enums.len();
            for o in &set {
                plan.by_site.entry(o.site.clone()).or_insert(index);
            }
            plan.enums.push(PlannedEnum {
                name,
                group,
                doc: shared_doc(&set),
                values: merged_values(&set),
            });
        }
        plan
    }
}

/// Every inline enum of the groups, in spec order: the fields of each file's types, then the
/// parameters of its operations, as resolved (one `Resolution` per operation, in the same order).
fn occurrences(groups: &[(SourceFile, GroupFile)], resolutions: &[Resolution]) -> Vec<Occurrence> {
    let mut found = Vec::new();
    let mut resolved = resolutions.iter();
    for (_, group) in groups {
        let all_deprecated =
            !group.operations.is_empty() && group.operations.iter().all(|op| op.deprecated);
        for ty in &group.types {
            for field in ty.fields.iter().flatten() {
                let Some(values) = string_enum_values(&field.ty, field.enum_values.as_deref())
                else {
                    continue;
                };
                found.push(Occurrence {
                    site: Site::Field {
                        owner: ty.name.clone(),
                        field: field.name.clone(),
                    },
                    group: group.group.clone(),
                    value_descriptions: value_descriptions(field.enum_values.as_deref()),
                    values,
                    description: field.description.clone(),
                    deprecated: all_deprecated,
                });
            }
        }
        for op in &group.operations {
            let Some(resolution) = resolved.next() else {
                break;
            };
            for param in resolution.params.iter().map(|p| &p.raw) {
                let Some(values) = string_enum_values(&param.ty, param.enum_values.as_deref())
                else {
                    continue;
                };
                found.push(Occurrence {
                    site: Site::Param {
                        operation: op.id.clone(),
                        param: param.name.clone(),
                    },
                    group: group.group.clone(),
                    value_descriptions: value_descriptions(param.enum_values.as_deref()),
                    values,
                    description: param.description.clone(),
                    deprecated: op.deprecated,
                });
            }
        }
    }
    found
}

fn value_descriptions(values: Option<&[serde_yaml::Value]>) -> Vec<Option<String>> {
    values
        .unwrap_or_default()
        .iter()
        .map(|v| enum_value_parts(v).ok().and_then(|(_, d)| d))
        .collect()
}

/// Parameter names whose enums all allow one set of values: such a parameter's enum may be named
/// after it alone (`XLanguage`).
fn param_names_with_one_value_set(occurrences: &[Occurrence]) -> BTreeSet<&str> {
    let mut sets_by_name: BTreeMap<&str, BTreeSet<BTreeSet<&str>>> = BTreeMap::new();
    for o in occurrences {
        if let Site::Param { param, .. } = &o.site {
            sets_by_name
                .entry(param)
                .or_default()
                .insert(o.values.iter().map(String::as_str).collect());
        }
    }
    sets_by_name
        .into_iter()
        .filter(|(_, sets)| sets.len() == 1)
        .map(|(name, _)| name)
        .collect()
}

/// A type declared identically in two files lists its enum twice, at one site.
/// Names the lists of one value set. They share one enum only when they mean the same: when a
/// shared name says so (one specific field or parameter name, or well-known values such as
/// `ON`/`OFF`), or when they all have one field or parameter name. Otherwise the lists of each
/// name are named on their own: `0`/`1` as a pay model and as an auto-renew flag stay two types.
fn name_sets<'a>(
    set: Vec<&'a Occurrence>,
    own_name: &dyn Fn(&Occurrence) -> String,
    taken: &mut BTreeSet<String>,
) -> Vec<(String, Vec<&'a Occurrence>)> {
    if distinct_sites(&set) == 1 {
        let name = own_name(set[0]);
        taken.insert(name.clone());
        return vec![(name, set)];
    }
    let values: Vec<&str> = set[0].values.iter().map(String::as_str).collect();
    let wire_names: Vec<&str> = set.iter().map(|o| o.wire_name()).collect();
    let shared = names::shared_enum_names(&values, &wire_names)
        .into_iter()
        .find(|n| !taken.contains(n));
    if let Some(name) = shared {
        taken.insert(name.clone());
        return vec![(name, set)];
    }
    if wire_names.iter().collect::<BTreeSet<_>>().len() == 1 {
        // One name and one set of values (`status` of a widget and the `status` filter of its
        // list): the same thing, named after its first owner.
        let name = own_name(set[0]);
        taken.insert(name.clone());
        return vec![(name, set)];
    }
    // Split by wire name, in the order of first appearance.
    let mut parts: Vec<Vec<&'a Occurrence>> = Vec::new();
    for o in set {
        let same = |p: &&mut Vec<&Occurrence>| p[0].wire_name() == o.wire_name();
        match parts.iter_mut().find(same) {
            Some(part) => part.push(o),
            None => parts.push(vec![o]),
        }
    }
    parts
        .into_iter()
        .flat_map(|part| name_sets(part, own_name, taken))
        .collect()
}

fn distinct_sites(set: &[&Occurrence]) -> usize {
    set.iter().map(|o| &o.site).collect::<BTreeSet<_>>().len()
}

/// What an enum's documentation says it is for: each field (`Instance.status`), and each
/// parameter (of its operation when only one has it), in spec order.
fn subjects(set: &[&Occurrence]) -> Vec<String> {
    let mut operations: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for o in set {
        if let Site::Param { operation, param } = &o.site {
            operations.entry(param).or_default().insert(operation);
        }
    }
    let mut subjects: Vec<String> = Vec::new();
    for o in set {
        let subject = match &o.site {
            Site::Field { owner, field } => format!("{owner}.{field}"),
            Site::Param { operation, param } if operations[param.as_str()].len() == 1 => {
                format!("the {param} parameter of {operation}")
            }
            Site::Param { param, .. } => format!("the {param} parameter"),
        };
        if !subjects.contains(&subject) {
            subjects.push(subject);
        }
    }
    subjects
}

fn shared_doc(set: &[&Occurrence]) -> String {
    let subjects = subjects(set);
    let description = agreed(set.iter().filter_map(|o| o.description.as_deref()));
    let subject = match subjects.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    };
    enum_doc(&subject, description)
}

fn merged_values(set: &[&Occurrence]) -> Vec<(String, Option<String>)> {
    set[0]
        .values
        .iter()
        .map(|value| {
            let description = agreed(set.iter().filter_map(|o| {
                let n = o.values.iter().position(|v| v == value)?;
                o.value_descriptions.get(n)?.as_deref()
            }));
            (value.clone(), description.map(str::to_string))
        })
        .collect()
}

/// The one text every list that gives one agrees on: lists that share an enum may describe it
/// differently (`true` may mean "pay automatically" in one and "use SSL" in another), and then
/// the enum says nothing its own fields do not.
fn agreed<'a>(texts: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let texts: BTreeSet<&str> = texts.collect();
    match texts.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// The values of an enum that becomes a Rust enum: only on `string` (or `array<string>`).
pub(super) fn string_enum_values(
    ty: &str,
    values: Option<&[serde_yaml::Value]>,
) -> Option<Vec<String>> {
    let ty = parse_type(ty).ok()?;
    if *ty.innermost() != TypeRef::String {
        return None;
    }
    values?
        .iter()
        .map(|v| {
            enum_value_parts(v)
                .ok()
                .and_then(|(v, _)| v.as_str().map(str::to_string))
        })
        .collect()
}

impl ServiceBuilder<'_> {
    /// Declares the enum that an inline `enum:` list at `site` becomes (once for all the lists
    /// that share it) and returns the type to use instead of `string`.
    pub(super) fn inline_enum(
        &mut self,
        file: &SourceFile,
        path: &[Seg],
        what: &str,
        site: &Site,
        ty: &TypeRef,
    ) -> TypeRef {
        let Some(planned) = self.inline_enums.get(site) else {
            // The plan reads the same lists with the same function; kept as text if it ever
            // did not.
            return ty.clone();
        };
        let raw: Vec<(Value, Option<String>)> = planned
            .values
            .iter()
            .map(|(v, d)| (Value::String(v.clone()), d.clone()))
            .collect();
        let name = planned.name.clone();
        let def = TypeDef {
            name: name.clone(),
            description: Some(planned.doc.clone()),
            note: None,
            kind: TypeKind::Enum(variants_from(&raw)),
            defaultable: false,
            used_as: Vec::new(),
            group: planned.group.clone(),
        };
        let loc = FileCtx {
            file,
            diags: self.diags,
        }
        .loc(path);
        if let Some(existing) = self.types.get(&name) {
            if existing.def.kind != def.kind {
                let message = format!(
                    "{what}: its enum would be named `{name}`, which is already a different type at {}; declare the enum as a named type",
                    existing.loc
                );
                FileCtx {
                    file,
                    diags: self.diags,
                }
                .error(path, message);
            }
        } else {
            self.types.insert(
                name.clone(),
                Declared {
                    def,
                    loc,
                    explicit: false,
                },
            );
        }
        replace_innermost(ty, TypeRef::Named(name))
    }
}

/// The documentation of an enum made from an inline `enum:` list.
pub(super) fn enum_doc(subject: &str, description: Option<&str>) -> String {
    match description {
        Some(d) => format!("Allowed values of {subject}: {}", d.trim()),
        None => format!("Allowed values of {subject}."),
    }
}

pub(super) fn enum_value_parts(
    value: &serde_yaml::Value,
) -> Result<(Value, Option<String>), String> {
    if let serde_yaml::Value::Mapping(map) = value {
        let mut inner = None;
        let mut description = None;
        for (k, v) in map {
            match k.as_str() {
                Some("value") => inner = Some(v.clone()),
                Some("description") => description = v.as_str().map(str::to_string),
                _ => {
                    return Err(format!(
                        "enum entry has unknown key {k:?}: expected `value` and `description`"
                    ))
                }
            }
        }
        let inner = inner.ok_or("enum entry without `value`")?;
        return scalar_json(&inner).map(|v| (v, description));
    }
    scalar_json(value).map(|v| (v, None))
}

fn scalar_json(value: &serde_yaml::Value) -> Result<Value, String> {
    match value {
        serde_yaml::Value::String(_)
        | serde_yaml::Value::Number(_)
        | serde_yaml::Value::Bool(_) => serde_json::to_value(value).map_err(|e| e.to_string()),
        other => Err(format!(
            "enum value {other:?} is not a string, number or boolean"
        )),
    }
}

pub(super) fn enum_variants(
    values: &[serde_yaml::Value],
) -> Result<Vec<EnumVariant>, (usize, String)> {
    let mut raw = Vec::new();
    let mut seen = BTreeSet::new();
    for (n, value) in values.iter().enumerate() {
        let (value, description) = enum_value_parts(value).map_err(|m| (n, m))?;
        let Some(text) = value.as_str() else {
            return Err((
                n,
                format!("enum value {value} is not a string (named enums are string enums)"),
            ));
        };
        if !seen.insert(text.to_string()) {
            return Err((n, format!("duplicate enum value \"{text}\"")));
        }
        raw.push((value, description));
    }
    Ok(variants_from(&raw))
}

fn variants_from(values: &[(Value, Option<String>)]) -> Vec<EnumVariant> {
    let mut taken: BTreeSet<String> = [names::UNKNOWN_VARIANT.to_string()].into();
    values
        .iter()
        .filter_map(|(value, description)| {
            let value = value.as_str()?.to_string();
            Some(EnumVariant {
                rust_name: names::dedupe(names::camel(&value), &mut taken, ""),
                value,
                description: description.clone(),
            })
        })
        .collect()
}
