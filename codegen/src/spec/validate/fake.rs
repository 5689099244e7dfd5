//! `fake:` in a service file: the stateful fake's resources, checked against the operations and
//! types they name, so that every operation, parameter and field path exists.

use super::context::{FileCtx, Loc};
use super::field_path::{end, object_fields, walk, Missing};
use super::syntax::is_snake;
use crate::model::*;
use crate::spec::locate::{idx, key, Seg};
use crate::spec::raw::{
    RawDelete, RawEach, RawErrorCode, RawFake, RawJobStatus, RawList, RawNotFound, RawNumbered,
    RawResource, RawUpdate, RawWithin,
};
use crate::spec::recover::Broken;
use crate::spec::suggest::did_you_mean;
use std::collections::{BTreeMap, BTreeSet};

/// What the checks look things up in.
pub(super) struct Known<'a> {
    pub(super) operations: &'a [(Loc, Operation)],
    pub(super) types: &'a BTreeMap<&'a str, &'a TypeDef>,
    pub(super) broken: &'a Broken,
    pub(super) error_codes: &'a [RawErrorCode],
    pub(super) job_status: Option<&'a RawJobStatus>,
}

/// Resolves `fake:`; `None` after reporting every problem found.
pub(super) fn fake(ctx: &mut FileCtx<'_>, raw: &RawFake, known: &Known<'_>) -> Option<Fake> {
    let mut check = Check {
        ctx,
        known,
        failed: false,
        shapes: BTreeMap::new(),
    };
    let mut names = BTreeSet::new();
    let mut resources = Vec::new();
    for (i, r) in raw.resources.iter().enumerate() {
        let at = vec![key("fake"), key("resources"), idx(i)];
        if !is_snake(&r.name) || !names.insert(r.name.as_str()) {
            check.error(
                &[at.as_slice(), &[key("name")]].concat(),
                format!(
                    "fake: resource name `{}` must be snake_case and unique",
                    r.name
                ),
            );
        }
        if let Some(resource) = check.resource(&at, r) {
            resources.push(resource);
        }
    }
    let jobs = check.jobs(raw);
    (!check.failed).then_some(Fake { resources, jobs })
}

/// A list operation, where its answer holds the items (and the total), and how it pages.
struct ListSource<'k> {
    op: &'k Operation,
    items: String,
    item_ty: TypeRef,
    total: Option<String>,
    /// (offset parameter, limit parameter, counts pages).
    paging: Option<(String, String, bool)>,
}

struct Check<'c, 'f, 'k> {
    ctx: &'c mut FileCtx<'f>,
    known: &'c Known<'k>,
    failed: bool,
    /// The resources checked so far and their types (`None`: not known, its error reported),
    /// which `within` names.
    shapes: BTreeMap<String, Option<TypeRef>>,
}

impl<'k> Check<'_, '_, 'k> {
    fn error(&mut self, path: &[Seg], message: String) {
        self.failed = true;
        self.ctx.error(path, message);
    }

    fn resource(&mut self, at: &[Seg], r: &RawResource) -> Option<FakeResource> {
        let resource = self.resource_checked(at, r);
        let shape = resource.as_ref().map(|(_, ty)| ty.clone());
        self.shapes.entry(r.name.clone()).or_insert(shape);
        resource.map(|(resource, _)| resource)
    }

    fn resource_checked(&mut self, at: &[Seg], r: &RawResource) -> Option<(FakeResource, TypeRef)> {
        let here = |k: &str| [at, &[key(k)]].concat();
        let read = match &r.read {
            Some(raw) => {
                let op = self.operation(
                    &[here("read"), vec![key("operation")]].concat(),
                    &raw.operation,
                )?;
                self.path_param(&here("read"), op, &raw.id_param);
                let ty = self.field(
                    &[here("read"), vec![key("at")]].concat(),
                    op,
                    &success_type(op),
                    &raw.at,
                )?;
                Some((op, raw, ty))
            }
            None => None,
        };
        let listed = r
            .list
            .as_ref()
            .and_then(|l| Some((l, self.list_source(&here("list"), l)?)));
        let within = r
            .within
            .as_ref()
            .and_then(|w| self.within(&here("within"), r, w));
        // The resource's shape: what its read answers, or else what its list shows, or else an
        // item of its parent's field.
        let resource_ty = match (&read, &listed, &within) {
            (Some((_, _, ty)), _, _) => ty.clone(),
            (None, Some((_, source)), _) => source.item_ty.clone(),
            (None, None, Some((_, ty))) => ty.clone(),
            // A list or a parent that is wrong is reported where it is written.
            (None, None, None) if r.list.is_some() || r.within.is_some() => return None,
            (None, None, None) => {
                self.error(
                    &here("name"),
                    format!(
                        "fake: the resource `{}` needs `read`, `list` or `within`: their documented \
                         answer is the template of the resources the fake makes",
                        r.name
                    ),
                );
                return None;
            }
        };
        let what = format!("the resource `{}`", r.name);
        self.field_named(&here("id_field"), &what, &resource_ty, &r.id_field);
        for field in &r.fresh {
            self.field_named(&here("fresh"), &what, &resource_ty, field);
        }

        let create = r.create.as_ref().and_then(|c| {
            let path = here("create");
            let op = self.operation(
                &[path.clone(), vec![key("operation")]].concat(),
                &c.operation,
            )?;
            if let Some(id_at) = &c.id_at {
                self.field(
                    &[path.clone(), vec![key("id_at")]].concat(),
                    op,
                    &success_type(op),
                    id_at,
                )?;
            }
            let copy = self.copies(&path, op, &resource_ty, c.copy.pairs());
            let each = c.each.as_ref().map(|each| {
                self.each(&path, op, &resource_ty, each, c.id_at.is_some());
                (each.item.clone(), each.to.clone())
            });
            for (answer_field, field) in &c.answer.0 {
                let at = [path.clone(), vec![key("answer"), key(answer_field)]].concat();
                let shown = self.field(&at, op, &success_type(op), answer_field);
                if let Some(shown) = shown.filter(|_| each.is_some()) {
                    if !matches!(self.resolved(&shown), TypeRef::Array(_)) {
                        self.error(
                            &at,
                            format!(
                                "fake: `{answer_field}` of the answer of `{}` is not an array: a \
                                 create with `each` shows one value per new resource",
                                op.id
                            ),
                        );
                    }
                }
                self.field_named(&at, &what, &resource_ty, field);
            }
            if let Some(parent_at) = &c.parent_at {
                let at = [path.clone(), vec![key("parent_at")]].concat();
                self.field(&at, op, &success_type(op), parent_at);
                if r.parent.is_none() {
                    self.error(
                        &at,
                        format!(
                            "fake: `parent_at` needs `parent`: the resource `{}` has no parent",
                            r.name
                        ),
                    );
                }
            }
            for (field, value) in &c.set.0 {
                let at = [path.clone(), vec![key("set"), key(field)]].concat();
                self.text_field(&at, &resource_ty, field, value);
            }
            Some(FakeCreate {
                operation: op.id.clone(),
                id_at: c.id_at.clone(),
                job_at: job_at(op),
                copy,
                each,
                answer: c
                    .answer
                    .0
                    .iter()
                    .map(|(shown, field)| (field.clone(), shown.clone()))
                    .collect(),
                parent_at: c.parent_at.clone(),
                set: c.set.0.clone(),
            })
        });
        let list = listed.map(|(l, source)| self.list(&here("list"), l, source, &resource_ty));
        let updates: Vec<FakeUpdate> = r
            .update
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                let path = [here("update"), vec![idx(i)]].concat();
                self.update(&path, u, &resource_ty)
            })
            .collect();
        let delete = r.delete.as_ref().and_then(|d| {
            let path = here("delete");
            let op = self.operation(
                &[path.clone(), vec![key("operation")]].concat(),
                &d.operation,
            )?;
            let ids = self.delete_ids(&path, op, d, &r.not_found)?;
            Some(FakeDelete {
                operation: op.id.clone(),
                ids,
                job_at: job_at(op),
            })
        });
        let status = r.status.as_ref().map(|s| {
            let path = here("status");
            if let Some(ty) = self.field_named(
                &[path.clone(), vec![key("field")]].concat(),
                &what,
                &resource_ty,
                &s.field,
            ) {
                let values: Vec<&String> = [&s.creating, &s.ready]
                    .into_iter()
                    .chain(&s.deleting)
                    .collect();
                self.values_allowed(&path, &ty, &values);
            }
            FakeStatus {
                field: s.field.clone(),
                creating: s.creating.clone(),
                ready: s.ready.clone(),
                deleting: s.deleting.clone(),
            }
        });
        self.documented_code(&here("not_found"), &r.not_found);
        if let Some(parent) = &r.parent {
            let ids = [
                read.as_ref().map(|(op, _, _)| &op.id),
                create.as_ref().map(|c| &c.operation),
                list.as_ref().map(|l| &l.operation),
            ]
            .into_iter()
            .flatten()
            .chain(updates.iter().map(|u: &FakeUpdate| &u.operation))
            .chain(delete.as_ref().map(|d: &FakeDelete| &d.operation));
            let operations = self.known.operations;
            let missing: Vec<&str> = ids
                .filter_map(|id| operations.iter().find(|(_, op)| &op.id == id))
                .filter(|(_, op)| {
                    !op.params
                        .iter()
                        .any(|p| p.location == ParamLocation::Path && &p.wire_name == parent)
                })
                .map(|(_, op)| op.id.as_str())
                .collect();
            for id in missing {
                self.error(
                    &here("parent"),
                    format!("fake: `{id}` has no path parameter `{parent}`, the resource's parent"),
                );
            }
        }
        let resource = FakeResource {
            name: r.name.clone(),
            id_field: r.id_field.clone(),
            parent: r.parent.clone(),
            read: read.map(|(op, raw, _)| FakeRead {
                op: fake_op(op, &raw.id_param),
                at: raw.at.clone(),
            }),
            create,
            list,
            updates,
            delete,
            status,
            not_found: answer(&r.not_found),
            within: within.map(|(w, _)| w),
            fresh: r.fresh.clone(),
        };
        Some((resource, resource_ty))
    }

    /// An update: it names one resource by a path parameter (`id_param`), or one per item of a
    /// request array (`items_at`, the id in the item's string field `id_in_item`, and `copy`
    /// reading the item).
    fn update(&mut self, path: &[Seg], u: &RawUpdate, resource_ty: &TypeRef) -> Option<FakeUpdate> {
        let op = self.operation(&[path, &[key("operation")]].concat(), &u.operation)?;
        let (targets, copy) = match (&u.id_param, &u.items_at, &u.id_in_item) {
            (Some(param), None, None) => {
                self.path_param(path, op, param);
                let copy = self.copies(path, op, resource_ty, u.copy.pairs());
                (FakeTargets::Path(param.clone()), copy)
            }
            (None, Some(items_at), Some(id)) => {
                let item = self.update_item(path, op, items_at, id);
                let what = format!("an item of `{items_at}`");
                let copy =
                    self.copies_from(path, item.as_ref(), &what, resource_ty, u.copy.pairs());
                let targets = FakeTargets::Items {
                    at: items_at.clone(),
                    id: id.clone(),
                };
                (targets, copy)
            }
            _ => {
                self.error(
                    path,
                    format!(
                        "fake: the update `{}` needs either `id_param` (the path parameter naming \
                         the resource) or `items_at` and `id_in_item` (the request array whose \
                         items name the resources, and the item's id field)",
                        op.id
                    ),
                );
                return None;
            }
        };
        Some(FakeUpdate {
            operation: op.id.clone(),
            targets,
            job_at: job_at(op),
            copy,
        })
    }

    /// The item type of the request array `items_at` of `op`, once its `id` field is known to be
    /// a string; `None` after reporting what is wrong.
    fn update_item(
        &mut self,
        path: &[Seg],
        op: &Operation,
        items_at: &str,
        id: &str,
    ) -> Option<TypeRef> {
        let what = format!("the request of `{}`", op.id);
        let here = [path, &[key("items_at")]].concat();
        let Some(body) = &op.body else {
            self.error(
                &here,
                format!("fake: {what} has no body to name resources in"),
            );
            return None;
        };
        let ty = self.field_named(&here, &what, &body.ty, items_at)?;
        let item = match self.resolved(&ty) {
            TypeRef::Array(item) if !self.object_fields(&item).is_empty() => (*item).clone(),
            _ => {
                self.error(
                    &here,
                    format!("fake: `{items_at}` of {what} is not an array of objects"),
                );
                return None;
            }
        };
        let at = [path, &[key("id_in_item")]].concat();
        let id_ty = self.field_named(&at, &format!("an item of `{items_at}`"), &item, id)?;
        if self.resolved(&id_ty) != TypeRef::String {
            self.error(
                &at,
                format!(
                    "fake: `{id}` of an item of `{items_at}` is `{}`, not an id (`string`)",
                    id_ty.spec_name()
                ),
            );
        }
        Some(item)
    }

    /// A resource shown inside its parent's answer: the parent is a resource declared before it,
    /// whose type has `at`, an array of objects, whose items have the `template` fields. Returns
    /// the hint and the item type, the child's type.
    fn within(
        &mut self,
        at: &[Seg],
        r: &RawResource,
        w: &RawWithin,
    ) -> Option<(FakeWithin, TypeRef)> {
        let here = |k: &str| [at, &[key(k)]].concat();
        if r.parent.is_none() {
            self.error(
                at,
                format!(
                    "fake: the resource `{}` is shown within `{}` and needs `parent`, the path \
                     parameter that names its `{}`",
                    r.name, w.resource, w.resource
                ),
            );
        }
        let parent_ty = match self.shapes.get(&w.resource) {
            Some(ty) => ty.clone()?,
            None => {
                let message = format!(
                    "fake: `within` names no resource `{}` declared before `{}`{}",
                    w.resource,
                    r.name,
                    did_you_mean(&w.resource, self.shapes.keys().map(String::as_str))
                );
                self.error(&here("resource"), message);
                return None;
            }
        };
        let what = format!("the resource `{}`", w.resource);
        let field_ty = self.field_named(&here("at"), &what, &parent_ty, &w.at)?;
        let item_ty = match self.resolved(&field_ty) {
            TypeRef::Array(item) if !self.object_fields(&item).is_empty() => (*item).clone(),
            _ => {
                self.error(
                    &here("at"),
                    format!(
                        "fake: `{}` of {what} is not an array of objects, so it cannot show `{}` \
                         resources",
                        w.at, r.name
                    ),
                );
                return None;
            }
        };
        for (field, value) in &w.template.0 {
            let at = [here("template"), vec![key(field)]].concat();
            let item = format!("an item of `{}`", w.at);
            if let Some(ty) = self.field_named(&at, &item, &item_ty, field) {
                self.values_allowed(&at, &ty, &[value]);
            }
        }
        if let Some(count) = &w.count {
            let at = here("count");
            if let Some(ty) = self.field_named(&at, &what, &parent_ty, count) {
                if !matches!(self.resolved(&ty), TypeRef::I32 | TypeRef::I64) {
                    self.error(
                        &at,
                        format!(
                            "fake: `{count}` of {what} is `{}`, not a count (`integer` or `long`)",
                            ty.spec_name()
                        ),
                    );
                }
            }
        }
        if let Some(numbered) = &w.numbered {
            let parent = (what.as_str(), &parent_ty);
            self.numbered(&here("numbered"), r, numbered, parent, &item_ty);
        }
        let within = FakeWithin {
            resource: w.resource.clone(),
            at: w.at.clone(),
            template: w.template.0.clone(),
            count: w.count.clone(),
            numbered: w
                .numbered
                .as_ref()
                .map(|n| (n.field.clone(), n.pattern.clone())),
        };
        Some((within, item_ty))
    }

    /// A child's field named after its parent: a text field of the child, not also `fresh`, and a
    /// pattern with the number `{nn}` once and otherwise fields of the parent.
    fn numbered(
        &mut self,
        at: &[Seg],
        r: &RawResource,
        numbered: &RawNumbered,
        (parent, parent_ty): (&str, &TypeRef),
        item_ty: &TypeRef,
    ) {
        let field_at = [at, &[key("field")]].concat();
        let child = format!("the resource `{}`", r.name);
        let field = &numbered.field;
        if let Some(ty) = self.field_named(&field_at, &child, item_ty, field) {
            if self.resolved(&ty) != TypeRef::String {
                self.error(
                    &field_at,
                    format!(
                        "fake: `{field}` of {child} is `{}`, not text",
                        ty.spec_name()
                    ),
                );
            }
        }
        if r.fresh.contains(field) {
            self.error(
                &field_at,
                format!("fake: `{field}` is both `fresh` and `numbered`; keep one"),
            );
        }
        let pattern_at = [at, &[key("pattern")]].concat();
        let placeholders = placeholders(&numbered.pattern);
        if placeholders.iter().filter(|p| **p == NUMBER).count() != 1 {
            self.error(
                &pattern_at,
                format!(
                    "fake: the pattern `{}` needs the number `{{{NUMBER}}}` once, which keeps the \
                     names of one parent's children distinct",
                    numbered.pattern
                ),
            );
        }
        for name in placeholders.into_iter().filter(|p| *p != NUMBER) {
            self.field_named(&pattern_at, parent, parent_ty, name);
        }
    }

    /// A create that makes one resource per item of a request array.
    fn each(
        &mut self,
        path: &[Seg],
        op: &Operation,
        resource_ty: &TypeRef,
        each: &RawEach,
        with_id_at: bool,
    ) {
        let at = [path, &[key("each")]].concat();
        let what = format!("the request of `{}`", op.id);
        match op.body.as_ref().map(|b| b.ty.clone()) {
            Some(request) => {
                let item = self.field_named(&at, &what, &request, &each.item);
                if item.is_some_and(|ty| !matches!(self.resolved(&ty), TypeRef::Array(_))) {
                    self.error(
                        &at,
                        format!("fake: `{}` of {what} is not an array", each.item),
                    );
                }
            }
            None => self.error(&at, format!("fake: {what} has no body")),
        }
        if let Some(to) = &each.to {
            self.field_named(&at, "the resource", resource_ty, to);
        }
        if with_id_at {
            self.error(
                &[path, &[key("id_at")]].concat(),
                "fake: a create with `each` makes several resources; show their fields with \
                 `answer`, not `id_at`"
                    .to_string(),
            );
        }
    }

    /// `ty` through aliases.
    fn resolved(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Named(name) => match self.known.types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Alias(inner)) => self.resolved(inner),
                _ => ty.clone(),
            },
            _ => ty.clone(),
        }
    }

    /// Where a delete names the resources it removes: a path parameter (`id_param`), or a list
    /// of ids in the request body (`ids_at`), exactly one of them.
    fn delete_ids(
        &mut self,
        at: &[Seg],
        op: &Operation,
        d: &RawDelete,
        not_found: &RawNotFound,
    ) -> Option<FakeIds> {
        let (ids_at, ambiguous) = match (&d.id_param, &d.ids_at) {
            (Some(param), None) => {
                self.path_param(at, op, param);
                if d.ambiguous.is_some() {
                    self.error(
                        &[at, &[key("ambiguous")]].concat(),
                        "fake: `ambiguous` answers a delete that names no id in `ids_at`; drop it \
                         with `id_param`"
                            .to_string(),
                    );
                }
                return Some(FakeIds::Path(param.clone()));
            }
            (None, Some(ids_at)) => (ids_at, &d.ambiguous),
            _ => {
                self.error(
                    at,
                    format!(
                        "fake: the delete `{}` needs exactly one of `id_param` (the path parameter \
                         naming the resource) and `ids_at` (the field of the request body listing \
                         the ids)",
                        op.id
                    ),
                );
                return None;
            }
        };
        let here = [at, &[key("ids_at")]].concat();
        let what = format!("the request of `{}`", op.id);
        let Some(body) = &op.body else {
            self.error(&here, format!("fake: {what} has no body to name ids in"));
            return None;
        };
        let ty = self.field_named(&here, &what, &body.ty, ids_at)?;
        if ty != TypeRef::Array(Box::new(TypeRef::String)) {
            self.error(
                &here,
                format!(
                    "fake: `{ids_at}` of {what} is `{}`, not a list of ids (`array<string>`)",
                    ty.spec_name()
                ),
            );
            return None;
        }
        let ambiguous = match ambiguous {
            Some(raw) => {
                self.documented_code(&[at, &[key("ambiguous")]].concat(), raw);
                answer(raw)
            }
            // The resource's not-found answer, as a client error: the request is incomplete.
            None => FakeNotFound {
                status: 400,
                ..answer(not_found)
            },
        };
        Some(FakeIds::Body {
            at: ids_at.clone(),
            ambiguous,
        })
    }

    /// Reports an error answer's code unless the service documents it.
    fn documented_code(&mut self, at: &[Seg], raw: &RawNotFound) {
        let codes = self.known.error_codes;
        let Some(code) = &raw.code else {
            return;
        };
        match codes.iter().find(|c| &c.code == code) {
            // The fake answers as the API would: with the code's documented status and message.
            Some(documented) => {
                if documented.status != raw.status {
                    self.error(
                        &[at, &[key("status")]].concat(),
                        format!(
                            "fake: `{code}` is documented with status {}, not {}",
                            documented.status, raw.status
                        ),
                    );
                }
                if documented.message != raw.message {
                    self.error(
                        &[at, &[key("message")]].concat(),
                        format!(
                            "fake: the documented message of `{code}` is \"{}\"",
                            documented.message
                        ),
                    );
                }
            }
            None if !codes.is_empty() => self.error(
                &[at, &[key("code")]].concat(),
                format!(
                    "fake: `{code}` is not a documented error code of the service{}",
                    did_you_mean(code, codes.iter().map(|c| c.code.as_str()))
                ),
            ),
            None => {}
        }
    }

    /// Where a list's items, total and paging parameters are, and its items' type.
    fn list_source(&mut self, path: &[Seg], l: &RawList) -> Option<ListSource<'k>> {
        let op = self.operation(&[path, &[key("operation")]].concat(), &l.operation)?;
        let op_at = [path, &[key("operation")]].concat();
        // Where the items, the total and the paging parameters are: the operation's `pagination`
        // says, or else `items` and `total` in the hint (a list that does not page).
        let (items, item_ty, total, paging) = match (&op.pagination, &l.items) {
            (Some(_), Some(_)) => {
                self.error(
                    &[path, &[key("items")]].concat(),
                    format!(
                        "fake: `{}` has `pagination`, which says where its items are; drop `items`",
                        op.id
                    ),
                );
                return None;
            }
            (Some(p), None) => {
                let param = |i: usize| op.params[i].wire_name.clone();
                (
                    p.items.wire_name.clone(),
                    p.items.ty.innermost().clone(),
                    p.total.as_ref().map(|t| t.wire_name.clone()),
                    Some((
                        param(p.offset_param),
                        param(p.limit_param),
                        p.style == PageStyle::Page,
                    )),
                )
            }
            (None, Some(items)) => {
                let ty = self.field(
                    &[path, &[key("items")]].concat(),
                    op,
                    &success_type(op),
                    items,
                )?;
                if let Some(total) = &l.total {
                    self.field(
                        &[path, &[key("total")]].concat(),
                        op,
                        &success_type(op),
                        total,
                    );
                }
                (items.clone(), ty.innermost().clone(), l.total.clone(), None)
            }
            (None, None) => {
                self.error(
                    &op_at,
                    format!(
                        "fake: the list operation `{}` has no `pagination`; say where its items are with `items`",
                        op.id
                    ),
                );
                return None;
            }
        };
        Some(ListSource {
            op,
            items,
            item_ty,
            total,
            paging,
        })
    }

    fn list(
        &mut self,
        path: &[Seg],
        l: &RawList,
        source: ListSource<'k>,
        resource_ty: &TypeRef,
    ) -> FakeList {
        let ListSource {
            op,
            items,
            item_ty,
            total,
            paging,
        } = source;
        // A list item shows the stored value of a field only where the two types agree on it:
        // list and detail types often share a name with different types (a text vs a list).
        let resource_fields = self.object_fields(resource_ty);
        let item_fields = self
            .object_fields(&item_ty)
            .iter()
            .filter(|f| {
                resource_fields
                    .iter()
                    .any(|r| r.wire_name == f.wire_name && self.same_values(&r.ty, &f.ty))
            })
            .map(|f| f.wire_name.clone())
            .collect();
        let mut filters = Vec::new();
        for (param_name, field) in &l.filters.0 {
            let at = [path, &[key("filters"), key(param_name)]].concat();
            if !op
                .params
                .iter()
                .any(|p| p.location == ParamLocation::Query && &p.wire_name == param_name)
            {
                self.error(
                    &at,
                    format!("fake: `{}` has no query parameter `{param_name}`", op.id),
                );
            }
            self.field_named(&at, "the resource", resource_ty, field);
            filters.push((param_name.clone(), field.clone()));
        }
        FakeList {
            operation: op.id.clone(),
            items,
            total,
            item_fields,
            paging,
            filters,
        }
    }

    fn jobs(&mut self, raw: &RawFake) -> Option<FakeJobs> {
        let status = self.known.job_status?;
        let Some(running) = &raw.job_running else {
            self.error(
                &[key("fake")],
                "fake: `job_running` is required when the service has `job_status`: the status a \
                 running job reports"
                    .to_string(),
            );
            return None;
        };
        let op = self.operation(&[key("job_status"), key("operation")], &status.operation)?;
        let ty = success_type(op);
        if let Some(id_at) = &raw.job_id_field {
            self.field(&[key("fake"), key("job_id_field")], op, &ty, id_at);
        }
        if let Some(field) = self.field(
            &[key("job_status"), key("status_field")],
            op,
            &ty,
            &status.status_field,
        ) {
            self.values_allowed(&[key("fake"), key("job_running")], &field, &[running]);
        }
        Some(FakeJobs {
            operation: op.id.clone(),
            id_param: status.id_param.clone(),
            id_at: raw.job_id_field.clone(),
            status_at: status.status_field.clone(),
            running: running.clone(),
            succeeded: status.succeeded.first()?.clone(),
        })
    }

    /// The operation named `id`; reported when there is none (unless it failed to build, which
    /// is reported where it is written).
    fn operation(&mut self, at: &[Seg], id: &str) -> Option<&'k Operation> {
        let operations = self.known.operations;
        if let Some((_, op)) = operations.iter().find(|(_, op)| op.id == id) {
            return Some(op);
        }
        if !self.known.broken.hides_operation(id) {
            self.error(
                at,
                format!(
                    "fake: no operation `{id}`{}",
                    did_you_mean(id, operations.iter().map(|(_, op)| op.id.as_str()))
                ),
            );
        }
        None
    }

    fn path_param(&mut self, at: &[Seg], op: &Operation, name: &str) {
        let path_params = || {
            op.params
                .iter()
                .filter(|p| p.location == ParamLocation::Path)
                .map(|p| p.wire_name.as_str())
        };
        if !path_params().any(|p| p == name) {
            self.error(
                &[at, &[key("id_param")]].concat(),
                format!(
                    "fake: `{}` has no path parameter `{name}`{}",
                    op.id,
                    did_you_mean(name, path_params())
                ),
            );
        }
    }

    /// The type at the dotted `path` of `ty`, the answer or request of `op`.
    fn field(
        &mut self,
        at: &[Seg],
        op: &Operation,
        ty: &Option<TypeRef>,
        path: &str,
    ) -> Option<TypeRef> {
        let what = format!("the answer of `{}`", op.id);
        let Some(ty) = ty else {
            self.error(at, format!("fake: {what} has no body"));
            return None;
        };
        self.field_named(at, &what, ty, path)
    }

    fn field_named(&mut self, at: &[Seg], what: &str, ty: &TypeRef, path: &str) -> Option<TypeRef> {
        match walk(self.known.types, ty, path) {
            Ok(fields) => Some(end(ty, &fields)),
            Err(Missing {
                name: missing,
                within,
            }) => {
                let names: Vec<&str> = self
                    .object_fields(&within)
                    .iter()
                    .map(|f| f.wire_name.as_str())
                    .collect();
                let within = if missing == path {
                    String::new()
                } else {
                    format!(" (no `{missing}`)")
                };
                self.error(
                    at,
                    format!(
                        "fake: {what} has no field `{path}`{within}{}",
                        did_you_mean(&missing, names.into_iter())
                    ),
                );
                None
            }
        }
    }

    fn copies(
        &mut self,
        at: &[Seg],
        op: &Operation,
        resource_ty: &TypeRef,
        pairs: Vec<(String, String)>,
    ) -> Vec<(String, String)> {
        let request = op.body.as_ref().map(|b| b.ty.clone());
        let what = format!("the request of `{}`", op.id);
        self.copies_from(at, request.as_ref(), &what, resource_ty, pairs)
    }

    /// Copies from fields of `source` (`None`: a request without a body) into the resource.
    fn copies_from(
        &mut self,
        at: &[Seg],
        source: Option<&TypeRef>,
        what: &str,
        resource_ty: &TypeRef,
        pairs: Vec<(String, String)>,
    ) -> Vec<(String, String)> {
        for (from, to) in &pairs {
            let here = [at, &[key("copy")]].concat();
            match source {
                Some(ty) => {
                    self.field_named(&here, what, ty, from);
                }
                None => self.error(&here, format!("fake: {what} has no body to copy from")),
            }
            self.field_named(&here, "the resource", resource_ty, to);
        }
        pairs
    }

    /// A field of the resource that `set` gives the text `value`: it must hold text, and one of
    /// its values if it is an enum.
    fn text_field(&mut self, at: &[Seg], resource_ty: &TypeRef, field: &str, value: &String) {
        let Some(ty) = self.field_named(at, "the resource", resource_ty, field) else {
            return;
        };
        let text = match self.resolved(&ty) {
            TypeRef::String => true,
            TypeRef::Named(name) => matches!(
                self.known.types.get(name.as_str()).map(|t| &t.kind),
                Some(TypeKind::Enum(_))
            ),
            _ => false,
        };
        if text {
            self.values_allowed(at, &ty, &[value]);
        } else {
            self.error(
                at,
                format!("fake: `set` gives text, and `{field}` of the resource does not hold text"),
            );
        }
    }

    fn values_allowed(&mut self, at: &[Seg], ty: &TypeRef, values: &[&String]) {
        let TypeRef::Named(name) = ty else { return };
        let Some(TypeKind::Enum(variants)) = self.known.types.get(name.as_str()).map(|t| &t.kind)
        else {
            return;
        };
        for value in values {
            if !variants.iter().any(|v| &v.value == *value) {
                self.error(
                    at,
                    format!(
                        "fake: `{value}` is not a value of `{name}`{}",
                        did_you_mean(value, variants.iter().map(|v| v.value.as_str()))
                    ),
                );
            }
        }
    }

    /// Whether every value of the resource's type `a` is a value of the list item's type `b`: the
    /// same type, or two enums (inline enums are named per owner) where `b` has all of `a`'s
    /// values.
    fn same_values(&self, a: &TypeRef, b: &TypeRef) -> bool {
        let values = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => match self.known.types.get(name.as_str()).map(|t| &t.kind) {
                Some(TypeKind::Enum(variants)) => Some(
                    variants
                        .iter()
                        .map(|v| v.value.as_str())
                        .collect::<BTreeSet<_>>(),
                ),
                _ => None,
            },
            _ => None,
        };
        a == b || values(a).is_some_and(|va| values(b).is_some_and(|vb| va.is_subset(&vb)))
    }

    fn object_fields(&self, ty: &TypeRef) -> &'k [Field] {
        object_fields(self.known.types, ty)
    }
}

/// The number's placeholder in a `numbered` pattern, between braces.
const NUMBER: &str = "nn";

/// The names between braces in a `numbered` pattern (`{name}_node{nn}`: `name`, `nn`).
fn placeholders(pattern: &str) -> Vec<&str> {
    pattern
        .split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

fn success_type(op: &Operation) -> Option<TypeRef> {
    match &op.success_response()?.body {
        ResponseBody::Typed(ty) => Some(ty.clone()),
        _ => None,
    }
}

fn answer(raw: &RawNotFound) -> FakeNotFound {
    FakeNotFound {
        status: raw.status,
        code: raw.code.clone(),
        message: raw.message.clone(),
    }
}

fn job_at(op: &Operation) -> Option<String> {
    op.async_job.as_ref().map(|j| j.job_id_field.clone())
}

fn fake_op(op: &Operation, id_param: &str) -> FakeOp {
    FakeOp {
        operation: op.id.clone(),
        id_param: id_param.to_string(),
        job_at: job_at(op),
    }
}
