//! Checks the raw spec and builds the model from it.
//!
//! Every problem becomes a `Diagnostic` with the file and line it concerns, and checking goes on
//! after a problem so that one run reports them all. The model is returned only when there were
//! none.
//!
//! A service is checked in passes, because a type may be used before it is declared: every type is
//! declared first (`types`, `enums`), then operations are built (`operation`, `rules`, `examples`),
//! and only then is what needs every type known checked (`against_types`, with the checker the mock uses too, `crate::schema`, and
//! `service::job_status`, `fake`).

mod against_types;
mod context;
mod enums;
mod examples;
mod fake;
mod field_path;
mod operation;
mod routes;
mod rules;
mod service;
mod shared;
mod syntax;
mod types;

pub use syntax::parse_type;

use super::load::{RawService, SourceFile};
use super::locate::{idx, key};
use super::raw::GroupFile;
use super::recover::Broken;
use super::references;
use crate::diag::Diagnostics;
use crate::model::*;
use crate::names;
use crate::schema;
use against_types::check_operation_against_types;
use bumpalo::Bump;
use context::{FileCtx, Loc};
use enums::InlineEnums;
use operation::check_output_names;
use routes::check_routes;
use service::{check_service_meta, job_status};
use shared::SharedParams;
use std::collections::{BTreeMap, BTreeSet};
use syntax::is_snake;
use types::record_uses;

/// Builds the model from every service, or returns what is wrong.
pub fn validate(raw: Vec<RawService>, diags: &mut Diagnostics) -> Api {
    // Services share nothing until they are sorted, so each is checked on its own thread with its
    // own findings.
    let checked = crate::parallel::map_owned(raw, |s| {
        let mut found = Diagnostics::default();
        let service = validate_service(s, &mut found);
        (service, found)
    });
    let mut services = Vec::new();
    for (service, found) in checked {
        services.extend(service);
        diags.0.extend(found.0);
    }
    services.sort_by(|a, b| a.name.cmp(&b.name));
    Api { services }
}

/// A type as declared, with where it was declared.
struct Declared {
    def: TypeDef,
    loc: Loc,
    /// Declared by the spec (checked for use) rather than made from an inline enum.
    explicit: bool,
}

/// A named type reference and where it was written, checked once all types are known.
struct Use {
    name: String,
    loc: Loc,
}

struct ServiceBuilder<'d> {
    diags: &'d mut Diagnostics,
    types: BTreeMap<String, Declared>,
    uses: Vec<Use>,
    /// The group of the file being read: the types it declares are generated in its module.
    group: String,
    /// What could not be read or built: its absence is not reported again.
    broken: Broken,
    /// What each inline `enum:` list becomes.
    inline_enums: InlineEnums,
}

fn validate_service(raw: RawService, diags: &mut Diagnostics) -> Option<Service> {
    let errors_before = diags.0.len();
    let RawService {
        dir_name,
        service: (service_file, meta),
        groups,
        broken,
    } = raw;
    check_service_meta(&dir_name, &service_file, &meta, diags);

    let mut builder = ServiceBuilder {
        diags,
        types: BTreeMap::new(),
        uses: Vec::new(),
        group: String::new(),
        broken,
        inline_enums: InlineEnums::default(),
    };
    let mut shared = SharedParams::check(&mut builder, &service_file, &meta.shared_parameters);
    // Every operation's parameters, references resolved, in the order of the files and of each
    // file's operations (the order of the loops below).
    let mut resolutions = Vec::new();
    for (file, group) in &groups {
        for (i, op) in group.operations.iter().enumerate() {
            let mut ctx = FileCtx {
                file,
                diags: builder.diags,
            };
            resolutions.push(shared.resolve(&mut ctx, i, op));
        }
    }
    // Inline enums are planned from the parameters as resolved, so that a shared one (`X-Language`)
    // is seen at each operation that uses it.
    builder.inline_enums = InlineEnums::plan(&groups, &resolutions);
    let mut group_titles: BTreeMap<String, (String, Option<String>, Loc)> = BTreeMap::new();
    for (file, group) in &groups {
        builder.group_header(file, group, &mut group_titles);
        builder.group.clone_from(&group.group);
        for (i, ty) in group.types.iter().enumerate() {
            builder.declare_type(file, i, ty);
        }
    }

    let mut operations: Vec<(Loc, Operation)> = Vec::new();
    let mut seen_ids: BTreeMap<String, Loc> = BTreeMap::new();
    let mut resolved = resolutions.iter();
    for (file, group) in &groups {
        builder.group.clone_from(&group.group);
        for (i, op) in group.operations.iter().enumerate() {
            let Some(resolution) = resolved.next() else {
                break;
            };
            let mut ctx = FileCtx {
                file,
                diags: builder.diags,
            };
            let loc = ctx.loc(&[key("operations"), idx(i), key("id")]);
            if let Some(first) = seen_ids.get(&op.id) {
                ctx.error(
                    &[key("operations"), idx(i), key("id")],
                    format!(
                        "duplicate operation id `{}`: first defined at {first}",
                        op.id
                    ),
                );
            } else {
                seen_ids.insert(op.id.clone(), loc.clone());
            }
            let built = builder.operation(file, (&group.group, i), op, resolution);
            match built {
                Some(operation) if resolution.complete => operations.push((loc, operation)),
                _ => builder.broken.operation_failed(op),
            }
        }
    }

    shared.check_unused(
        &mut FileCtx {
            file: &service_file,
            diags: builder.diags,
        },
        &builder.broken,
    );
    builder.check_uses();
    builder.check_unused(&operations);
    let broken = std::mem::take(&mut builder.broken);
    let mut types = builder.finish_types();
    record_uses(&mut types, &operations);
    let type_map: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name.as_str(), t)).collect();
    let bump = Bump::new();
    let schema = schema::schema(&bump, &type_map.values().copied().collect::<Vec<_>>());
    let mut resolved = resolutions.iter();
    for (file, group) in &groups {
        for (i, raw_op) in group.operations.iter().enumerate() {
            let Some(resolution) = resolved.next() else {
                break;
            };
            if let Some((_, op)) = operations.iter_mut().find(|(_, o)| o.id == raw_op.id) {
                let mut ctx = FileCtx {
                    file,
                    diags: &mut *diags,
                };
                check_operation_against_types(
                    &mut ctx,
                    i,
                    &resolution.params,
                    op,
                    &type_map,
                    &schema,
                );
            }
        }
    }
    check_client_settings(&shared.client_settings, &operations, &service_file, diags);
    check_output_names(&operations, &type_map, diags);
    check_routes(&operations, diags);
    references::resolve(&groups, &mut operations, &broken, diags);
    let job_status = meta.job_status.as_ref().and_then(|raw| {
        let mut ctx = FileCtx {
            file: &service_file,
            diags: &mut *diags,
        };
        job_status(&mut ctx, raw, &operations, &type_map, &broken)
    });
    let fake = meta.fake.as_ref().and_then(|raw| {
        let mut ctx = FileCtx {
            file: &service_file,
            diags: &mut *diags,
        };
        let known = fake::Known {
            operations: &operations,
            types: &type_map,
            broken: &broken,
            error_codes: &meta.error_codes,
            job_status: meta.job_status.as_ref(),
        };
        fake::fake(&mut ctx, raw, &known)
    });

    if diags.0.len() > errors_before {
        return None;
    }
    let mut operations: Vec<Operation> = operations.into_iter().map(|(_, op)| op).collect();
    operations.sort_by_cached_key(|op| source_key(&op.source));
    let groups = ordered_groups(&operations, group_titles);

    let mut const_names = BTreeSet::new();
    let error_codes = meta
        .error_codes
        .iter()
        .map(|e| ErrorCode {
            code: e.code.clone(),
            const_name: names::dedupe(names::constant(&e.code), &mut const_names, "_"),
            status: e.status,
            message: e.message.clone(),
            description: e.description.clone(),
            solution: e.solution.clone(),
        })
        .collect();

    Some(Service {
        name: meta.service,
        title: meta.title,
        description: meta.description,
        document: meta.document,
        api_versions: meta.api_versions,
        endpoint_service: meta.endpoint_service,
        endpoints: meta
            .endpoints
            .into_iter()
            .map(|e| Endpoint {
                region: e.region,
                name: e.name,
                host: e.host,
            })
            .collect(),
        endpoint_pattern: meta.endpoint_pattern,
        default_domain: meta.default_domain,
        error_codes,
        groups,
        operations,
        types,
        job_status,
        fake,
        client_settings: shared.client_settings,
    })
}

/// A client setting's method must not take the name of another `Client` method.
fn check_client_settings(
    settings: &[ClientSetting],
    operations: &[(Loc, Operation)],
    file: &SourceFile,
    diags: &mut Diagnostics,
) {
    for setting in settings {
        let taken = ["builder", "from_env", "handle"].contains(&setting.method_name.as_str())
            || operations
                .iter()
                .any(|(_, op)| op.method_name == setting.method_name);
        if taken {
            let n = file.index.line(&[key("shared_parameters")]);
            diags.push(
                &file.path,
                n,
                format!(
                    "shared parameter `{}`: its client setting `{}` has the name of another `Client` method",
                    setting.wire_name, setting.method_name
                ),
            );
        }
    }
}

impl ServiceBuilder<'_> {
    fn group_header(
        &mut self,
        file: &SourceFile,
        group: &GroupFile,
        titles: &mut BTreeMap<String, (String, Option<String>, Loc)>,
    ) {
        let mut ctx = FileCtx {
            file,
            diags: self.diags,
        };
        if !is_snake(&group.group) {
            ctx.error(
                &[key("group")],
                format!("group name `{}` must be snake_case", group.group),
            );
        } else if names::group_module(&group.group) == names::SHARED_MODULE {
            ctx.error(
                &[key("group")],
                format!(
                    "group name `{}` is reserved: its module holds the enums several groups share",
                    group.group
                ),
            );
        }
        let loc = ctx.loc(&[key("group")]);
        match titles.get(&group.group) {
            Some((title, _, first)) if *title != group.title => ctx.error(
                &[key("title")],
                format!(
                    "group `{}` has title `{}` here but `{title}` at {first}",
                    group.group, group.title
                ),
            ),
            Some(_) => {}
            None => {
                titles.insert(
                    group.group.clone(),
                    (group.title.clone(), group.description.clone(), loc),
                );
            }
        }
    }
}

/// Operations sort in document order: by section number, then single pages by name.
fn source_key(source: &Source) -> (u8, Vec<u32>, String) {
    match source {
        Source::Section(s) => (
            0,
            s.split('.')
                .map(|p| p.parse().unwrap_or(u32::MAX))
                .collect(),
            String::new(),
        ),
        Source::Page(p) => (1, Vec::new(), p.clone()),
    }
}

/// Groups in the order of their first operation.
fn ordered_groups(
    operations: &[Operation],
    titles: BTreeMap<String, (String, Option<String>, Loc)>,
) -> Vec<Group> {
    let mut order: Vec<&str> = Vec::new();
    for op in operations {
        if !order.contains(&op.group.as_str()) {
            order.push(&op.group);
        }
    }
    let mut groups: Vec<Group> = order
        .iter()
        .filter_map(|name| {
            titles.get(*name).map(|(title, description, _)| Group {
                name: name.to_string(),
                module: names::group_module(name),
                title: title.clone(),
                description: description.clone(),
            })
        })
        .collect();
    for (name, (title, description, _)) in titles {
        if !groups.iter().any(|g| g.name == name) {
            groups.push(Group {
                module: names::group_module(&name),
                name,
                title,
                description,
            });
        }
    }
    groups
}
