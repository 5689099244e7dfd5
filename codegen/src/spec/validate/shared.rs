//! `shared_parameters` of a service file, and their use by operations: each operation's parameter
//! list is resolved into plain parameters (the implied shared path parameters first, in the order
//! of the path, then its own entries with references replaced by their definitions), so the rest of
//! the validator, and everything after it, sees parameters as if written out.

use super::context::FileCtx;
use super::enums::string_enum_values;
use super::operation::ParamOwner;
use super::syntax::{parse_path, RawPathPart};
use super::ServiceBuilder;
use crate::model::{ClientSetting, ParamLocation, TypeRef};
use crate::names;
use crate::spec::load::SourceFile;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::{RawOperation, RawParamEntry, RawParameter, RawSharedRef};
use crate::spec::recover::Broken;
use crate::spec::suggest::did_you_mean;
use std::collections::BTreeSet;

/// One parameter of an operation after resolution, with where to report problems with it.
#[derive(Debug, Clone)]
pub(super) struct Resolved {
    pub(super) raw: RawParameter,
    /// The entry in the operation, or its `path` for an implied shared path parameter.
    pub(super) at: Vec<Seg>,
}

/// An operation's parameters, resolved.
#[derive(Debug)]
pub(super) struct Resolution {
    pub(super) params: Vec<Resolved>,
    /// False when an entry could not be resolved (reported) or names a shared parameter whose
    /// definition is wrong (reported there): the operation is then not built.
    pub(super) complete: bool,
    /// Names left out because of such a problem: their absence is not reported again.
    pub(super) left_out: BTreeSet<String>,
}

struct SharedDef {
    raw: RawParameter,
    /// Its definition has a problem, reported once at the definition.
    broken: bool,
    used: bool,
}

/// The service's shared parameters, checked.
pub(super) struct SharedParams {
    defs: Vec<SharedDef>,
    pub(super) client_settings: Vec<ClientSetting>,
}

const OVERRIDABLE: &str = "`description`, `required` and `note`";

impl SharedParams {
    /// Checks every definition as a parameter on its own (once, not at each use).
    pub(super) fn check(
        builder: &mut ServiceBuilder<'_>,
        file: &SourceFile,
        raws: &[RawParameter],
    ) -> SharedParams {
        let mut defs: Vec<SharedDef> = Vec::new();
        let mut client_settings = Vec::new();
        for (i, raw) in raws.iter().enumerate() {
            let path = [key("shared_parameters"), idx(i)];
            let errors_before = builder.diags.0.len();
            let what = format!("shared parameter `{}`", raw.name);
            let mut ctx = FileCtx {
                file,
                diags: builder.diags,
            };
            if let Some(first) = defs
                .iter()
                .position(|d| d.raw.name.eq_ignore_ascii_case(&raw.name))
            {
                let first = ctx.loc(&[key("shared_parameters"), idx(first)]);
                ctx.error(&path, format!("{what}: declared twice; first at {first}"));
                continue;
            }
            let owner = ParamOwner::SharedList;
            let param = builder.parameter(file, &path, &owner, raw, &mut BTreeSet::new());
            let mut ctx = FileCtx {
                file,
                diags: builder.diags,
            };
            if raw.client_setting {
                match &param {
                    Some(p) if p.location != ParamLocation::Header => ctx.error(
                        &[key("shared_parameters"), idx(i), key("client_setting")],
                        format!("{what}: client_setting applies only to header parameters"),
                    ),
                    Some(p) => {
                        let ty = match string_enum_values(&raw.ty, raw.enum_values.as_deref()) {
                            Some(_) => TypeRef::Named(names::param_enum_name(None, &raw.name)),
                            None => p.ty.clone(),
                        };
                        client_settings.push(ClientSetting {
                            wire_name: raw.name.clone(),
                            method_name: names::client_setting_method(&raw.name),
                            ty,
                            description: raw.description.clone(),
                        });
                    }
                    None => {}
                }
            }
            let mut raw = raw.clone();
            raw.client_setting = false;
            defs.push(SharedDef {
                raw,
                broken: builder.diags.0.len() > errors_before,
                used: false,
            });
        }
        SharedParams {
            defs,
            client_settings,
        }
    }

    /// The parameters of operation `i` of `file`, references and implied path parameters
    /// resolved; problems with the entries are reported.
    pub(super) fn resolve(
        &mut self,
        ctx: &mut FileCtx<'_>,
        i: usize,
        op: &RawOperation,
    ) -> Resolution {
        let at = |rest: &[Seg]| -> Vec<Seg> {
            [key("operations"), idx(i)]
                .into_iter()
                .chain(rest.iter().cloned())
                .collect()
        };
        let what = format!("operation `{}`", op.id);
        let placeholders: Vec<String> = parse_path(&op.path)
            .map(|parts| {
                parts
                    .into_iter()
                    .filter_map(|part| match part {
                        RawPathPart::Param(name) => Some(name),
                        RawPathPart::Literal(_) => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let declared: BTreeSet<&str> = op.parameters.iter().map(RawParamEntry::name).collect();
        let mut params = Vec::new();
        let mut complete = true;
        let mut left_out = BTreeSet::new();

        let mut implied: BTreeSet<&str> = BTreeSet::new();
        for name in &placeholders {
            if declared.contains(name.as_str()) || !implied.insert(name) {
                continue;
            }
            let Some(def) = self
                .defs
                .iter_mut()
                .find(|d| d.raw.location == "path" && d.raw.name == *name)
            else {
                continue;
            };
            def.used = true;
            if def.broken {
                complete = false;
                left_out.insert(name.clone());
                continue;
            }
            params.push(Resolved {
                raw: def.raw.clone(),
                at: at(&[key("path")]),
            });
        }

        for (n, entry) in op.parameters.iter().enumerate() {
            let entry_at = at(&[key("parameters"), idx(n)]);
            let reference = match entry {
                RawParamEntry::Inline(raw) => {
                    if raw.client_setting {
                        ctx.error(
                            &[entry_at.clone(), vec![key("client_setting")]].concat(),
                            format!("{what}, parameter `{}`: client_setting is only for `shared_parameters` in service.yaml", raw.name),
                        );
                        complete = false;
                    }
                    params.push(Resolved {
                        raw: raw.clone(),
                        at: entry_at,
                    });
                    continue;
                }
                RawParamEntry::Shared(reference) => reference,
            };
            match self.reference(ctx, &what, &entry_at, reference, &placeholders, &op.path) {
                Some(raw) => params.push(Resolved { raw, at: entry_at }),
                None => {
                    complete = false;
                    left_out.insert(reference.shared.clone());
                }
            }
        }
        Resolution {
            params,
            complete,
            left_out,
        }
    }

    /// The definition a reference names, with its overrides; `None` when it cannot be used.
    fn reference(
        &mut self,
        ctx: &mut FileCtx<'_>,
        what: &str,
        at: &[Seg],
        reference: &RawSharedRef,
        placeholders: &[String],
        path: &str,
    ) -> Option<RawParameter> {
        let name = &reference.shared;
        let Some(def) = self.defs.iter_mut().find(|d| d.raw.name == *name) else {
            let known: Vec<&str> = self.defs.iter().map(|d| d.raw.name.as_str()).collect();
            ctx.error(
                &[at, &[key("shared")]].concat(),
                format!(
                    "{what}: no shared parameter `{name}`{}",
                    did_you_mean(name, known)
                ),
            );
            return None;
        };
        def.used = true;
        let mut usable = true;
        for other in reference.other.keys() {
            ctx.error(
                &[at, &[key(other)]].concat(),
                format!(
                    "{what}: a reference to shared parameter `{name}` may change only {OVERRIDABLE}, not `{other}`; write the parameter out instead"
                ),
            );
            usable = false;
        }
        if def.raw.location == "path" && !placeholders.iter().any(|p| p == name) {
            ctx.error(
                at,
                format!("{what}: shared path parameter `{name}` is not in the path `{path}`"),
            );
            usable = false;
        }
        if !usable || def.broken {
            return None;
        }
        let mut raw = def.raw.clone();
        if let Some(description) = &reference.description {
            raw.description = Some(description.clone());
        }
        if let Some(required) = reference.required {
            raw.required = required;
        }
        if let Some(note) = &reference.note {
            raw.note = Some(note.clone());
        }
        Some(raw)
    }

    /// Reports definitions no operation uses. Skipped when operations could not be read, as
    /// they may be the users.
    pub(super) fn check_unused(&self, ctx: &mut FileCtx<'_>, broken: &Broken) {
        if broken.unreadable || !broken.operations.is_empty() {
            return;
        }
        for (i, def) in self.defs.iter().enumerate() {
            if def.used || def.broken {
                continue;
            }
            let how = if def.raw.location == "path" {
                format!("no operation's path has `{{{}}}`", def.raw.name)
            } else {
                format!("no operation refers to it (`- shared: {}`)", def.raw.name)
            };
            ctx.error(
                &[key("shared_parameters"), idx(i)],
                format!("shared parameter `{}` is not used: {how}", def.raw.name),
            );
        }
    }
}
