//! What a service tells the stateful fake: its resources and the operations that create, read,
//! list, change and delete them (from `fake:` in the service's `service.yaml`). Generated as
//! static data; the behaviour is in the rest of this module.

/// A resource the fake keeps.
#[derive(Debug, Clone, Copy)]
pub struct Resource {
    /// Its name (`instance`), used to seed and inspect the fake's state.
    pub name: &'static str,
    /// The field of a stored resource that holds its id.
    pub id_field: &'static str,
    /// The path parameter naming the resource this one belongs to (`cluster_id` for a logical
    /// cluster), which every operation of the resource has: a create records it, a list shows
    /// only the resources under it, and another parent's resource is not found.
    pub parent: Option<&'static str>,
    /// The operation that shows one resource; its documented answer is the template of every
    /// resource the fake creates. `None` for a resource the API shows only in its list: the
    /// documented list item is then the template.
    pub read: Option<Read>,
    /// The operation that creates one.
    pub create: Option<Create>,
    /// The operation that lists them.
    pub list: Option<List>,
    /// The operations that change one.
    pub updates: &'static [Update],
    /// The operation that deletes one.
    pub delete: Option<Delete>,
    /// The status field and its values while a job runs and after.
    pub status: Option<Status>,
    /// The answer to an id the fake does not hold.
    pub not_found: NotFound,
    /// The parent resource whose read answer shows this one inside it, if it is shown so (a
    /// TaurusDB node in its instance's `nodes`).
    pub within: Option<Within>,
    /// Fields that, like the id, get a fresh value shaped like the documented one on every
    /// create, so that resources made from one template differ (a node's name).
    pub fresh: &'static [&'static str],
}

/// Where a child resource is shown inside its parent. The parent's documented answer holds the
/// child template, and the children a new parent starts with; the parent's answers show its
/// current children there, in order, and a parent's children go when it does.
#[derive(Debug, Clone, Copy)]
pub struct Within {
    /// The parent resource (its name).
    pub resource: &'static str,
    /// The parent's array field that shows the children (dotted).
    pub at: &'static str,
    /// Which documented item is the template of a child the fake creates: the first whose fields
    /// have these values as text (`type` = `slave`); none given, the first item.
    pub template: &'static [(&'static str, &'static str)],
    /// The parent's field that shows how many children it has (`node_count`), if one does.
    pub count: Option<&'static str>,
    /// A field of each child the fake makes that takes a name made from its parent and its
    /// number within it (`my-db_node03`), if the hint gives one.
    pub numbered: Option<Numbered>,
}

/// A child's field named after its parent and numbered within it: `pattern` with `{nn}` the
/// smallest number from 1 that no current child of the parent shows there (two digits at least),
/// and `{field}` the parent's field as text (`{name}_node{nn}`).
#[derive(Debug, Clone, Copy)]
pub struct Numbered {
    /// The child's field (dotted).
    pub field: &'static str,
    /// The pattern.
    pub pattern: &'static str,
}

#[cfg(test)]
impl Resource {
    /// A resource with a name, an id field and a not-found answer, and no operations: tests give
    /// it what they exercise with `..Resource::bare(..)`.
    pub(super) const fn bare(
        name: &'static str,
        id_field: &'static str,
        not_found: NotFound,
    ) -> Resource {
        Resource {
            name,
            id_field,
            parent: None,
            read: None,
            create: None,
            list: None,
            updates: &[],
            delete: None,
            status: None,
            not_found,
            within: None,
            fresh: &[],
        }
    }
}

impl Resource {
    /// The id a value of this resource holds in its id field, as text.
    pub(super) fn id_of(&self, value: &serde_json::Value) -> Option<String> {
        super::dotted::get(value, self.id_field).and_then(super::dotted::text)
    }
}

/// The operation that shows one resource.
#[derive(Debug, Clone, Copy)]
pub struct Read {
    /// Operation id.
    pub operation: &'static str,
    /// The path parameter that names the resource.
    pub id_param: &'static str,
    /// Where the resource sits in the answer (dotted field names; empty: the whole body).
    pub at: &'static str,
}

/// The operation that creates a resource.
#[derive(Debug, Clone, Copy)]
pub struct Create {
    /// Operation id.
    pub operation: &'static str,
    /// The field of the answer that carries the new id (dotted), if it does: some APIs answer a
    /// create with an order id only, and the new resource is found by listing.
    pub id_at: Option<&'static str>,
    /// The field of the answer that carries the id of the job it started, if it starts one.
    pub job_at: Option<&'static str>,
    /// The request fields the stored resource takes.
    pub copy: &'static [Assign],
    /// A request array of which each item creates one resource, if the create makes several.
    pub each: Option<Each>,
    /// Answer fields (`to`) that show a field of the new resource (`from`); with `each`, an array
    /// of the new resources' values.
    pub answer: &'static [Assign],
    /// The field of the answer that carries the parent's id, if it does.
    pub parent_at: Option<&'static str>,
    /// Text fields (dotted) a created resource takes, whatever the template shows: a backup the
    /// user creates is `manual`, though the documented one was `auto`.
    pub set: &'static [(&'static str, &'static str)],
}

/// A create that makes one resource per item of a request array (`priorities`: one read replica
/// each).
#[derive(Debug, Clone, Copy)]
pub struct Each {
    /// The request's array field (dotted).
    pub item: &'static str,
    /// The field of the new resource that takes the item, if any.
    pub to: Option<&'static str>,
}

/// A field copied from one value into another: a request field into the stored resource, or
/// (in [`Create::answer`]) a field of the resource into the answer.
#[derive(Debug, Clone, Copy)]
pub struct Assign {
    /// The field read (dotted).
    pub from: &'static str,
    /// The field written (dotted).
    pub to: &'static str,
}

/// The operation that lists resources.
#[derive(Debug, Clone, Copy)]
pub struct List {
    /// Operation id.
    pub operation: &'static str,
    /// The field of the answer that holds the page's items.
    pub items: &'static str,
    /// The field of the answer that holds the total count, if any.
    pub total: Option<&'static str>,
    /// The fields a list item shows from a stored resource: those its type and the resource's
    /// type both have, with the same type. The others keep the documented item's values.
    pub item_fields: &'static [&'static str],
    /// Paging, if the operation pages.
    pub paging: Option<Paging>,
    /// Query parameters that filter by equality with a field (a repeated parameter: any of).
    pub filters: &'static [Filter],
}

/// The paging parameters of a list.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    /// The offset (or page number) parameter.
    pub offset: &'static str,
    /// The page size parameter.
    pub limit: &'static str,
    /// Whether `offset` counts pages (from 1) rather than items (from 0).
    pub pages: bool,
}

/// A list filter.
#[derive(Debug, Clone, Copy)]
pub struct Filter {
    /// The query parameter.
    pub param: &'static str,
    /// The field of the resource it compares with.
    pub field: &'static str,
}

/// An operation that changes resources.
#[derive(Debug, Clone, Copy)]
pub struct Update {
    /// Operation id.
    pub operation: &'static str,
    /// Where the request names the resources it changes.
    pub targets: Targets,
    /// The field of the answer that carries the id of the job it started, if it starts one.
    pub job_at: Option<&'static str>,
    /// The fields the stored resource takes: of the request body, or with [`Targets::Items`] of
    /// the item that names it.
    pub copy: &'static [Assign],
}

/// Where an update names the resources it changes.
#[derive(Debug, Clone, Copy)]
pub enum Targets {
    /// One resource, named by this path parameter.
    Path(&'static str),
    /// One resource per item of an array of the request body, named by a field of the item
    /// (TaurusDB's batch rename of nodes: `{"node_list": [{"node_id", "name"}]}`). All or nothing:
    /// an id the fake does not hold (under the request's parent) is not found, and nothing
    /// changes.
    Items {
        /// The request's array field (dotted).
        at: &'static str,
        /// The field of an item that holds the id (dotted).
        id: &'static str,
    },
}

/// The operation that deletes a resource.
#[derive(Debug, Clone, Copy)]
pub struct Delete {
    /// Operation id.
    pub operation: &'static str,
    /// Where the request names the resources it deletes.
    pub ids: Ids,
    /// The field of the answer that carries the id of the job it started, if it starts one.
    pub job_at: Option<&'static str>,
}

/// Where a delete names the resources it removes.
#[derive(Debug, Clone, Copy)]
pub enum Ids {
    /// One resource, named by this path parameter.
    Path(&'static str),
    /// Any number, in a list of ids at this field of the request body (dotted), as TaurusDB's
    /// proxies are deleted. All or nothing: an id the fake does not hold is not found, and
    /// nothing is deleted. Without the body or the field (or with an empty list), the delete
    /// names the parent's only resource of the kind; `ambiguous` is the answer when the parent
    /// has several.
    Body {
        /// The field holding the ids.
        at: &'static str,
        /// The answer to a delete that names no id under a parent with several resources.
        ambiguous: NotFound,
    },
}

/// A resource's status field and the values it takes as its jobs run.
#[derive(Debug, Clone, Copy)]
pub struct Status {
    /// The field (dotted).
    pub field: &'static str,
    /// While it is being created.
    pub creating: &'static str,
    /// Once it is ready.
    pub ready: &'static str,
    /// While it is being deleted, if deleting takes time.
    pub deleting: Option<&'static str>,
}

/// The API's answer to an id it does not know (and the error answer of other hints, such as
/// [`Ids::Body`]'s `ambiguous`).
#[derive(Debug, Clone, Copy)]
pub struct NotFound {
    /// HTTP status.
    pub status: u16,
    /// The documented error code; `None` where the documents give none, and the answer carries
    /// the message only.
    pub code: Option<&'static str>,
    /// The message.
    pub message: &'static str,
}

/// The service's task API, which the fake answers for the jobs it started.
#[derive(Debug, Clone, Copy)]
pub struct Jobs {
    /// Operation id of the task API.
    pub operation: &'static str,
    /// The parameter (path or query) that names the job.
    pub id_param: &'static str,
    /// The field of its answer holding the job's id (dotted), if any.
    pub id_at: Option<&'static str>,
    /// The field of its answer holding the status (dotted).
    pub status_at: &'static str,
    /// The status of a running job.
    pub running: &'static str,
    /// The status of a finished job.
    pub succeeded: &'static str,
}

/// Everything a service tells the fake.
#[derive(Debug, Clone, Copy)]
pub struct FakeSpec {
    /// The resources.
    pub resources: &'static [Resource],
    /// The task API, if the service has one.
    pub jobs: Option<Jobs>,
}
