//! The stateful fake's part of a service's mock module: its hints as static data for
//! `runtime::mock::fake`, and the functions that make a fake of the service.

use crate::model::{
    Fake, FakeCreate, FakeIds, FakeList, FakeNotFound, FakeResource, FakeTargets, Service,
};
use proc_macro2::{Literal, TokenStream};
use quote::quote;

/// `FAKE`, `fake()` and `fake_with_manual_clock()`; nothing for a service without `fake:`.
pub fn items(service: &Service) -> TokenStream {
    let Some(fake) = &service.fake else {
        return TokenStream::new();
    };
    // The tables name the runtime's spec types through a `use` in the static's block, so they
    // read short without bringing those names into the mock module.
    let spec = fake_spec(fake);
    let names: Vec<String> = fake
        .resources
        .iter()
        .map(|r| format!("`{}`", r.name))
        .collect();
    let doc = format!(
        "A stateful fake of the service, on a real-time clock. Give it to [`MockConfig::fake`] \
         and keep a clone to seed, inspect and advance it: it remembers {} (`fake:` in the \
         service's `service.yaml`); every other operation keeps its documented answer.",
        names.join(", ")
    );
    quote! {
        /// What the stateful fake keeps: the resources, and the operations that create, read,
        /// list, change and delete them.
        pub static FAKE: runtime_mock::FakeSpec = {
            use runtime_mock::fake::spec::*;
            #spec
        };

        #[doc = #doc]
        pub fn fake() -> runtime_mock::Fake {
            runtime_mock::Fake::new(&FAKE)
        }

        /// A stateful fake (see [`fake`]) whose clock moves only when the test calls
        /// `advance`: jobs stay running until then.
        pub fn fake_with_manual_clock() -> runtime_mock::Fake {
            runtime_mock::Fake::with_manual_clock(&FAKE)
        }
    }
}

fn fake_spec(fake: &Fake) -> TokenStream {
    let resources = fake.resources.iter().map(resource);
    let jobs = option(fake.jobs.as_ref().map(|j| {
        let (operation, id_param, status_at, running, succeeded) = (
            &j.operation,
            &j.id_param,
            &j.status_at,
            &j.running,
            &j.succeeded,
        );
        let id_at = option(j.id_at.as_ref().map(|s| quote!(#s)));
        quote!(Jobs {
            operation: #operation,
            id_param: #id_param,
            id_at: #id_at,
            status_at: #status_at,
            running: #running,
            succeeded: #succeeded,
        })
    }));
    quote!(FakeSpec {
        resources: &[#(#resources),*],
        jobs: #jobs,
    })
}

fn resource(r: &FakeResource) -> TokenStream {
    let (name, id_field) = (&r.name, &r.id_field);
    let parent = option(r.parent.as_ref().map(|p| quote!(#p)));
    let read = option(r.read.as_ref().map(|read| {
        let (operation, id_param, at) = (&read.op.operation, &read.op.id_param, &read.at);
        quote!(Read {
            operation: #operation,
            id_param: #id_param,
            at: #at,
        })
    }));
    let create = option(r.create.as_ref().map(create));
    let list = option(r.list.as_ref().map(list));
    let updates = r.updates.iter().map(|u| {
        let operation = &u.operation;
        let targets = match &u.targets {
            FakeTargets::Path(param) => quote!(Targets::Path(#param)),
            FakeTargets::Items { at, id } => quote!(Targets::Items { at: #at, id: #id }),
        };
        let job_at = option(u.job_at.as_ref().map(|j| quote!(#j)));
        let copy = assigns(&u.copy);
        quote!(Update {
            operation: #operation,
            targets: #targets,
            job_at: #job_at,
            copy: #copy,
        })
    });
    let delete = option(r.delete.as_ref().map(|d| {
        let operation = &d.operation;
        let ids = match &d.ids {
            FakeIds::Path(param) => quote!(Ids::Path(#param)),
            FakeIds::Body { at, ambiguous } => {
                let ambiguous = error_answer(ambiguous);
                quote!(Ids::Body {
                    at: #at,
                    ambiguous: #ambiguous,
                })
            }
        };
        let job_at = option(d.job_at.as_ref().map(|j| quote!(#j)));
        quote!(Delete {
            operation: #operation,
            ids: #ids,
            job_at: #job_at,
        })
    }));
    let status = option(r.status.as_ref().map(|s| {
        let (field, creating, ready) = (&s.field, &s.creating, &s.ready);
        let deleting = option(s.deleting.as_ref().map(|d| quote!(#d)));
        quote!(Status {
            field: #field,
            creating: #creating,
            ready: #ready,
            deleting: #deleting,
        })
    }));
    let not_found = error_answer(&r.not_found);
    let within = option(r.within.as_ref().map(|w| {
        let (resource, at) = (&w.resource, &w.at);
        let template = w
            .template
            .iter()
            .map(|(field, value)| quote!((#field, #value)));
        let count = option(w.count.as_ref().map(|c| quote!(#c)));
        let numbered = option(w.numbered.as_ref().map(|(field, pattern)| {
            quote!(Numbered {
                field: #field,
                pattern: #pattern,
            })
        }));
        quote!(Within {
            resource: #resource,
            at: #at,
            template: &[#(#template),*],
            count: #count,
            numbered: #numbered,
        })
    }));
    let fresh = &r.fresh;
    quote!(Resource {
        name: #name,
        id_field: #id_field,
        parent: #parent,
        read: #read,
        create: #create,
        list: #list,
        updates: &[#(#updates),*],
        delete: #delete,
        status: #status,
        not_found: #not_found,
        within: #within,
        fresh: &[#(#fresh),*],
    })
}

fn error_answer(answer: &FakeNotFound) -> TokenStream {
    let (status, code, message) = (
        Literal::u16_unsuffixed(answer.status),
        option(answer.code.as_ref().map(|c| quote!(#c))),
        &answer.message,
    );
    quote!(NotFound {
        status: #status,
        code: #code,
        message: #message,
    })
}

fn create(c: &FakeCreate) -> TokenStream {
    let operation = &c.operation;
    let id_at = option(c.id_at.as_ref().map(|i| quote!(#i)));
    let job = option(c.job_at.as_ref().map(|j| quote!(#j)));
    let copy = assigns(&c.copy);
    let each = option(c.each.as_ref().map(|(item, to)| {
        let to = option(to.as_ref().map(|t| quote!(#t)));
        quote!(Each { item: #item, to: #to })
    }));
    let answer = assigns(&c.answer);
    let parent_at = option(c.parent_at.as_ref().map(|p| quote!(#p)));
    let set = c.set.iter().map(|(field, value)| quote!((#field, #value)));
    quote!(Create {
        operation: #operation,
        id_at: #id_at,
        job_at: #job,
        copy: #copy,
        each: #each,
        answer: #answer,
        parent_at: #parent_at,
        set: &[#(#set),*],
    })
}

fn list(l: &FakeList) -> TokenStream {
    let (operation, items, fields) = (&l.operation, &l.items, &l.item_fields);
    let total = option(l.total.as_ref().map(|t| quote!(#t)));
    let paging = option(l.paging.as_ref().map(|(offset, limit, pages)| {
        quote!(Paging {
            offset: #offset,
            limit: #limit,
            pages: #pages,
        })
    }));
    let filters = l
        .filters
        .iter()
        .map(|(param, field)| quote!(Filter { param: #param, field: #field }));
    quote!(List {
        operation: #operation,
        items: #items,
        total: #total,
        item_fields: &[#(#fields),*],
        paging: #paging,
        filters: &[#(#filters),*],
    })
}

fn assigns(pairs: &[(String, String)]) -> TokenStream {
    let pairs = pairs
        .iter()
        .map(|(from, to)| quote!(Assign { from: #from, to: #to }));
    quote!(&[#(#pairs),*])
}

fn option(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}
