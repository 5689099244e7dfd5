//! Each kind of broken spec gets a located, readable error: the table below feeds one broken spec
//! per row and checks the file, line and message of what the validator says.

use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const SERVICE: &str = "\
service: demo
title: Demo
document: Demo API Reference
api_versions: [v3]
endpoint_service: demo
";

/// A valid group file; each case below breaks one thing in it.
const GROUP: &str = "\
group: widgets
title: Widgets
operations:
  - id: show_widget
    section: \"1.1\"
    summary: Querying a Widget
    method: GET
    path: /v3/{project_id}/widgets/{widget_id}
    parameters:
      - {name: project_id, in: path, type: string, required: true}
      - {name: widget_id, in: path, type: string, required: true}
      - {name: limit, in: query, type: integer}
    responses:
      - {status: 200, type: Widget}
    response_examples:
      - status: 200
        body: |
          {\"id\": \"w1\", \"state\": \"ready\"}
types:
  - name: Widget
    fields:
      - {name: id, type: string, required: true}
      - {name: state, type: string, enum: [ready, creating]}
";

struct Case {
    name: &'static str,
    /// (file name, contents) written into `spec/demo/` besides the valid service.yaml, or replacing it.
    files: Vec<(&'static str, String)>,
    /// File name, line and a part of the message of an expected error.
    expect: (&'static str, usize, &'static str),
}

fn group_with(from: &str, to: &str) -> String {
    assert!(
        GROUP.contains(from),
        "case edits text that is not in the base spec: {from}"
    );
    GROUP.replacen(from, to, 1)
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a group named like the module of the shared enums",
            files: vec![("widgets.yaml", group_with("group: widgets\n", "group: shared\n"))],
            expect: ("widgets.yaml", 1, "group name `shared` is reserved"),
        },
        Case {
            name: "an inline enum whose name a declared type of another shape has",
            files: vec![("widgets.yaml", format!("{GROUP}  - {{name: WidgetState, enum: [on, off]}}\n"))],
            expect: ("widgets.yaml", 24, "type `WidgetState` is defined with two different shapes"),
        },
        Case {
            name: "lenient on a field that is not a string or a number",
            files: vec![("widgets.yaml", group_with("enum: [ready, creating]}", "enum: [ready, creating], lenient: true}"))],
            expect: ("widgets.yaml", 23, "lenient applies only to string, integer, long and double fields"),
        },
        Case {
            name: "one_or_many on a field that is not an array",
            files: vec![("widgets.yaml", group_with("type: string, required: true}\n      - {name: state", "type: string, required: true, one_or_many: true}\n      - {name: state"))],
            expect: ("widgets.yaml", 22, "one_or_many applies only to array fields"),
        },
        Case {
            name: "replaced_by on an operation that is not deprecated",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    replaced_by: show_widget\n"))],
            expect: ("widgets.yaml", 8, "replaced_by is only for deprecated operations"),
        },
        Case {
            name: "replaced_by naming no operation",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    deprecated: true\n    replaced_by: show_gadget\n"))],
            expect: ("widgets.yaml", 9, "replaced_by names no operation `show_gadget`"),
        },
        Case {
            name: "deliberate entry of no drift kind",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    deliberate: [typo query.limit]\n"))],
            expect: ("widgets.yaml", 8, "deliberate entry `typo query.limit` does not start with a drift kind"),
        },
        Case {
            name: "a bound that is not a finite number",
            files: vec![("widgets.yaml", group_with("type: integer}", "type: integer, maximum: .inf}"))],
            expect: ("widgets.yaml", 12, "maximum inf is not a finite number"),
        },
        Case {
            name: "job_status reason_field that is not a field of the response",
            files: vec![
                (
                    "service.yaml",
                    format!("{SERVICE}job_status:\n  operation: show_widget\n  id_param: widget_id\n  status_field: state\n  reason_field: state.why\n  succeeded: [ready]\n  failed: []\n"),
                ),
                ("widgets.yaml", GROUP.to_string()),
            ],
            expect: ("service.yaml", 10, "job_status: `show_widget` has no field path `state.why`"),
        },
        Case {
            name: "unknown scalar type",
            files: vec![("widgets.yaml", group_with("type: integer}", "type: int}"))],
            expect: ("widgets.yaml", 12, "unknown type `int`"),
        },
        Case {
            name: "reference to an undefined type",
            files: vec![("widgets.yaml", group_with("{status: 200, type: Widget}", "{status: 200, type: Widgett}"))],
            expect: ("widgets.yaml", 14, "unknown type `Widgett`"),
        },
        Case {
            name: "undeclared path parameter",
            files: vec![("widgets.yaml", group_with("      - {name: widget_id, in: path, type: string, required: true}\n", ""))],
            expect: ("widgets.yaml", 8, "path parameter `{widget_id}` is not declared"),
        },
        Case {
            name: "path parameter missing from the path",
            files: vec![("widgets.yaml", group_with("path: /v3/{project_id}/widgets/{widget_id}", "path: /v3/{project_id}/widgets"))],
            expect: ("widgets.yaml", 11, "path parameter `widget_id` does not appear in the path"),
        },
        Case {
            name: "duplicate operation id",
            files: vec![
                ("widgets.yaml", GROUP.to_string()),
                ("more.yaml", group_with("types:\n  - name: Widget\n    fields:\n      - {name: id, type: string, required: true}\n      - {name: state, type: string, enum: [ready, creating]}\n", "")),
            ],
            expect: ("widgets.yaml", 4, "duplicate operation id `show_widget`: first defined at"),
        },
        Case {
            name: "two shapes under one type name",
            files: vec![
                ("a.yaml", GROUP.to_string()),
                (
                    "b.yaml",
                    "group: other\ntitle: Other\ntypes:\n  - name: Widget\n    fields:\n      - {name: id, type: long}\n"
                        .to_string(),
                ),
            ],
            expect: ("b.yaml", 4, "type `Widget` is defined with two different shapes"),
        },
        Case {
            name: "duplicate enum value",
            files: vec![("widgets.yaml", group_with("enum: [ready, creating]", "enum: [ready, ready]"))],
            expect: ("widgets.yaml", 23, "duplicate enum value \"ready\""),
        },
        Case {
            name: "example is not JSON",
            files: vec![("widgets.yaml", group_with("{\"id\": \"w1\", \"state\": \"ready\"}", "{\"id\": \"w1\",, }"))],
            expect: ("widgets.yaml", 18, "example `status_200` is not valid JSON"),
        },
        Case {
            name: "example has a field the type lacks",
            files: vec![("widgets.yaml", group_with("\"state\": \"ready\"}", "\"state\": \"ready\", \"colour\": 1}"))],
            expect: ("widgets.yaml", 16, "$: field `colour` is not declared in type `Widget`"),
        },
        Case {
            name: "example misses a required field",
            files: vec![("widgets.yaml", group_with("{\"id\": \"w1\", \"state\": \"ready\"}", "{\"state\": \"ready\"}"))],
            expect: ("widgets.yaml", 16, "$.id: required field is missing"),
        },
        Case {
            name: "example enum value outside the enum",
            files: vec![("widgets.yaml", group_with("\"state\": \"ready\"}", "\"state\": \"gone\"}"))],
            expect: ("widgets.yaml", 16, "$.state: \"gone\" is not one of ready, creating"),
        },
        Case {
            name: "example value of the wrong type",
            files: vec![("widgets.yaml", group_with("{\"id\": \"w1\",", "{\"id\": 10,"))],
            expect: ("widgets.yaml", 16, "$.id: expected a string, found a number"),
        },
        Case {
            // The mock reads `3.0` as the integer 3 in a request; the typed client could not
            // read it from an answer, so an example may not show it.
            name: "example integer written with a fraction",
            files: vec![(
                "widgets.yaml",
                group_with("{\"id\": \"w1\",", "{\"id\": \"w1\", \"count\": 3.0,")
                    .replacen("{name: id, type: string, required: true}", "{name: id, type: string, required: true}\n      - {name: count, type: integer}", 1),
            )],
            expect: ("widgets.yaml", 16, "$.count: expected a 32-bit integer, found a number"),
        },
        Case {
            name: "example text of a lenient field outside its range",
            files: vec![(
                "widgets.yaml",
                group_with("{\"id\": \"w1\",", "{\"id\": \"9\",")
                    .replacen("{name: id, type: string, required: true}", "{name: id, type: string, required: true, lenient: true, maximum: 5}", 1),
            )],
            expect: ("widgets.yaml", 16, "$.id: 9 is outside the documented range any to 5"),
        },
        Case {
            name: "bad HTTP method",
            files: vec![("widgets.yaml", group_with("method: GET", "method: FETCH"))],
            expect: ("widgets.yaml", 7, "method `FETCH` is not one of"),
        },
        Case {
            name: "neither section nor page",
            files: vec![("widgets.yaml", group_with("    section: \"1.1\"\n", ""))],
            expect: ("widgets.yaml", 4, "give `section` (the reference's section), `page` (a web page), or both"),
        },
        Case {
            name: "service name differs from its folder",
            files: vec![("service.yaml", SERVICE.replace("service: demo", "service: demos")), ("widgets.yaml", GROUP.to_string())],
            expect: ("service.yaml", 1, "service name `demos` must equal its folder name `demo`"),
        },
        Case {
            name: "type no operation uses",
            files: vec![("widgets.yaml", format!("{GROUP}  - name: Orphan\n    fields: []\n"))],
            expect: ("widgets.yaml", 24, "type `Orphan` is not used by any operation"),
        },
        Case {
            name: "example status that is not documented",
            files: vec![("widgets.yaml", group_with("      - status: 200\n        body", "      - status: 201\n        body"))],
            expect: ("widgets.yaml", 16, "has status 201, which is not among the responses"),
        },
        Case {
            name: "default of the wrong type",
            files: vec![("widgets.yaml", group_with("type: integer}", "type: integer, default: many}"))],
            expect: ("widgets.yaml", 12, "default \"many\" is not a integer"),
        },
        Case {
            name: "authentication header listed as a parameter",
            files: vec![("widgets.yaml", group_with("{name: limit, in: query, type: integer}", "{name: X-Auth-Token, in: header, type: string}"))],
            expect: ("widgets.yaml", 12, "`X-Auth-Token` is set by the client's authentication"),
        },
        Case {
            name: "pagination over a parameter that does not exist",
            files: vec![(
                "widgets.yaml",
                group_with("    response_examples:", "    pagination: {style: offset, offset: offset, limit: limit, items: id}\n    response_examples:"),
            )],
            expect: ("widgets.yaml", 15, "pagination offset `offset` is not a query parameter"),
        },
        Case {
            name: "service folder without service.yaml",
            files: vec![("service.yaml", String::new()), ("widgets.yaml", GROUP.to_string())],
            expect: ("service.yaml", 0, "service folder `demo` has no service.yaml"),
        },
        Case {
            name: "type name that shadows a Rust type",
            files: vec![("widgets.yaml", GROUP.replace("Widget", "Option"))],
            expect: ("widgets.yaml", 20, "type name `Option` would shadow a Rust type"),
        },
    ]
}

/// A broken spec and everything the validator says about it, exactly and in order: no follow-on
/// errors, nothing missing. Each line is `file:line[:column]: message`, the file relative to the
/// service folder.
struct Exact {
    name: &'static str,
    files: Vec<(&'static str, String)>,
    expect: Vec<&'static str>,
}

/// An operation `get_widget` to add to `GROUP`: GET of one widget, its id named `param`.
fn second_operation(param: &str) -> String {
    let name = param.trim_matches(['{', '}']);
    format!(
        "  - id: get_widget\n    section: \"1.2\"\n    summary: Getting a Widget\n    method: GET\n    path: /v3/{{project_id}}/widgets/{param}\n    parameters:\n      - {{name: project_id, in: path, type: string, required: true}}\n      - {{name: {name}, in: path, type: string, required: true}}\n    responses:\n      - {{status: 200, type: Widget}}\n"
    )
}

/// A fake resource `name` of the widgets of `GROUP`, deleted by `delete` (a flow mapping); five
/// lines, the delete on the fourth.
fn widgets_deleted_by(name: &str, delete: &str) -> String {
    format!(
        "    - name: {name}\n      id_field: id\n      read: {{operation: show_widget, id_param: widget_id}}\n      \
         delete: {delete}\n      not_found: {{status: 404, message: Gone.}}\n"
    )
}

/// An operation `delete_widgets` to add to `GROUP`, naming the widgets in its optional body
/// ([`DELETE_TYPE`]).
fn delete_operation() -> String {
    "  - id: delete_widgets\n    section: \"1.2\"\n    summary: Deleting Widgets\n    method: DELETE\n    path: /v3/{project_id}/widgets\n    parameters:\n      - {name: project_id, in: path, type: string, required: true}\n    body: {type: DeleteWidgetsRequest, required: false}\n    responses:\n      - {status: 204}\n".to_string()
}

/// The body type of [`delete_operation`], to append to `GROUP`.
const DELETE_TYPE: &str = "  - name: DeleteWidgetsRequest\n    fields:\n      - {name: widget_ids, type: array<string>}\n      - {name: count, type: integer}\n";

/// `SERVICE` with `shared_parameters`: `project_id` in paths and an `X-Language` header.
fn service_with_shared() -> String {
    format!(
        "{SERVICE}shared_parameters:\n  \
         - {{name: project_id, in: path, type: string, required: true}}\n  \
         - {{name: X-Language, in: header, type: string, enum: [en-us, zh-cn], client_setting: true}}\n"
    )
}

/// `GROUP` using the shared parameters: `project_id` implied, `X-Language` referred to as `entry`.
fn group_with_shared(entry: &str) -> String {
    group_with(
        "      - {name: project_id, in: path, type: string, required: true}\n",
        &format!("      {entry}\n"),
    )
}

fn exact_cases() -> Vec<Exact> {
    vec![
        // Shared parameters: each mistake named where it was made.
        Exact {
            name: "shared parameters resolve",
            files: vec![
                ("service.yaml", service_with_shared()),
                ("widgets.yaml", group_with_shared("- {shared: X-Language, description: Language., required: true}")),
            ],
            expect: vec!["(accepted)"],
        },
        Exact {
            name: "a reference to no shared parameter",
            files: vec![("service.yaml", service_with_shared()), ("widgets.yaml", group_with_shared("- shared: X-Langauge"))],
            // Not also "X-Language is not used": the operation that fails may be its user.
            expect: vec!["widgets.yaml:10: operation `show_widget`: no shared parameter `X-Langauge`; did you mean `X-Language`?"],
        },
        Exact {
            name: "a reference that changes what it may not",
            files: vec![
                ("service.yaml", service_with_shared()),
                ("widgets.yaml", group_with_shared("- shared: X-Language\n        type: integer")),
            ],
            expect: vec!["widgets.yaml:11: operation `show_widget`: a reference to shared parameter `X-Language` may change only `description`, `required` and `note`, not `type`; write the parameter out instead"],
        },
        Exact {
            name: "a shared path parameter no path has",
            files: vec![
                ("service.yaml", format!("{}  - {{name: region_id, in: path, type: string, required: true}}\n", service_with_shared())),
                ("widgets.yaml", group_with_shared("- shared: X-Language")),
            ],
            expect: vec!["service.yaml:9: shared parameter `region_id` is not used: no operation's path has `{region_id}`"],
        },
        Exact {
            name: "a reference to a shared path parameter the path lacks",
            files: vec![
                ("service.yaml", format!("{}  - {{name: region_id, in: path, type: string, required: true}}\n", service_with_shared())),
                ("widgets.yaml", group_with_shared("- shared: X-Language\n      - shared: region_id")),
            ],
            expect: vec![
                "widgets.yaml:11: operation `show_widget`: shared path parameter `region_id` is not in the path `/v3/{project_id}/widgets/{widget_id}`",
            ],
        },
        Exact {
            name: "a shared header no operation refers to",
            files: vec![("service.yaml", service_with_shared()), ("widgets.yaml", group_with_shared("- {name: X-Trace, in: header, type: string}"))],
            expect: vec!["service.yaml:8: shared parameter `X-Language` is not used: no operation refers to it (`- shared: X-Language`)"],
        },
        Exact {
            name: "a client setting named like an operation",
            files: vec![
                ("service.yaml", service_with_shared()),
                ("widgets.yaml", group_with_shared("- shared: X-Language").replace("id: show_widget", "id: with_x_language")),
            ],
            expect: vec!["service.yaml:6: shared parameter `X-Language`: its client setting `with_x_language` has the name of another `Client` method"],
        },
        Exact {
            name: "a shared parameter declared twice",
            files: vec![
                ("service.yaml", format!("{}  - {{name: x-language, in: query, type: string}}\n", service_with_shared())),
                ("widgets.yaml", group_with_shared("- shared: X-Language")),
            ],
            expect: vec!["service.yaml:9: shared parameter `x-language`: declared twice; first at service.yaml:8"],
        },
        Exact {
            name: "a shared parameter referred to twice",
            files: vec![
                ("service.yaml", service_with_shared()),
                ("widgets.yaml", group_with_shared("- shared: X-Language\n      - {shared: X-Language, required: true}")),
            ],
            expect: vec!["widgets.yaml:11: operation `show_widget`: duplicate header parameter `X-Language`"],
        },
        Exact {
            name: "client_setting on a query parameter and in an operation",
            files: vec![
                ("service.yaml", format!("{SERVICE}shared_parameters:\n  - {{name: lang, in: query, type: string, client_setting: true}}\n")),
                ("widgets.yaml", group_with("type: integer}", "type: integer, client_setting: true}\n      - shared: lang")),
            ],
            expect: vec![
                "service.yaml:7: shared parameter `lang`: client_setting applies only to header parameters",
                "widgets.yaml:12: operation `show_widget`, parameter `limit`: client_setting is only for `shared_parameters` in service.yaml",
            ],
        },
        Exact {
            name: "a wrong shared definition is reported once, at the definition",
            files: vec![
                ("service.yaml", service_with_shared().replace("type: string, required: true}", "type: strng, required: true}")),
                ("widgets.yaml", group_with_shared("- shared: X-Language")),
            ],
            expect: vec!["service.yaml:7: unknown type `strng`; did you mean `string`?"],
        },

        // YAML syntax: the character to fix, in words.
        Exact {
            name: "tab in the indentation",
            files: vec![("widgets.yaml", group_with("    method: GET", "    method: GET\n\tbad: tab"))],
            expect: vec!["widgets.yaml:8:1: a tab character in the indentation; YAML indents with spaces only"],
        },
        Exact {
            name: "a key indented less than its neighbours",
            files: vec![("widgets.yaml", group_with("    path:", "   path:"))],
            expect: vec!["widgets.yaml:8:4: the indentation does not match the lines above (`path` belongs with the keys at line 4)"],
        },
        Exact {
            name: "a key indented more than its neighbours",
            files: vec![("widgets.yaml", group_with("    path:", "      path:"))],
            expect: vec!["widgets.yaml:8:7: the indentation does not match the lines above"],
        },
        Exact {
            name: "a key dedented out of its mapping",
            files: vec![(
                "widgets.yaml",
                group_with("      - {name: limit, in: query, type: integer}", "      - name: limit\n        type: integer\n    in: query"),
            )],
            expect: vec!["widgets.yaml:14:5: the indentation does not match the lines above (`in` belongs with the keys at line 12)"],
        },
        Exact {
            name: "unclosed quote",
            files: vec![("widgets.yaml", group_with("summary: Querying", "summary: 'Querying"))],
            expect: vec!["widgets.yaml:6:14: this quote is never closed"],
        },
        Exact {
            name: "unclosed bracket",
            files: vec![("service.yaml", SERVICE.replace("[v3]", "[v3")), ("widgets.yaml", GROUP.to_string())],
            expect: vec!["service.yaml:4:15: this `[` is never closed by `]` (or a `,` is missing)"],
        },
        Exact {
            name: "a key without a value",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    deprecated\n"))],
            expect: vec!["widgets.yaml:8:5: a key without `:` and a value"],
        },
        Exact {
            name: "duplicate key",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    summary: Again\n"))],
            expect: vec!["widgets.yaml:8:5: operations[0]: duplicate key `summary` (first at line 6)"],
        },
        Exact {
            name: "unknown key",
            files: vec![("widgets.yaml", group_with("    summary:", "    summray:"))],
            expect: vec!["widgets.yaml:6:5: operation `show_widget`: unknown key `summray`; did you mean `summary`?"],
        },
        Exact {
            name: "wrong shape of a value",
            files: vec![("widgets.yaml", group_with("    responses:\n", "    deprecated: sometimes\n    responses:\n"))],
            expect: vec!["widgets.yaml:13:17: operation `show_widget`, deprecated: invalid type: string \"sometimes\", expected a boolean"],
        },
        // Several mistakes in one file: each is reported, and the good items are still checked.
        Exact {
            name: "every bad item of a file",
            files: vec![(
                "widgets.yaml",
                group_with("    summary:", "    summray:").replace("type: string, required: true}", "type: string, required: maybe}"),
            )],
            expect: vec![
                "widgets.yaml:6:5: operation `show_widget`: unknown key `summray`; did you mean `summary`?",
                "widgets.yaml:22:44: type `Widget`, fields[0].required: invalid type: string \"maybe\", expected a boolean",
            ],
        },
        Exact {
            name: "a bad item does not hide the mistakes of the others",
            files: vec![(
                "widgets.yaml",
                group_with("    summary:", "    summray:").replace("{name: state, type: string,", "{name: state, type: strin,"),
            )],
            expect: vec![
                "widgets.yaml:6:5: operation `show_widget`: unknown key `summray`; did you mean `summary`?",
                "widgets.yaml:23: unknown type `strin`; did you mean `string`?",
            ],
        },
        Exact {
            name: "a bad file header and a bad item",
            files: vec![("widgets.yaml", group_with("title:", "titel:").replace("    summary:", "    summray:"))],
            expect: vec![
                "widgets.yaml:2:1: unknown key `titel`; did you mean `title`?",
                "widgets.yaml:6:5: operation `show_widget`: unknown key `summray`; did you mean `summary`?",
            ],
        },
        // Did you mean: the closest known name, when one is close.
        Exact {
            name: "misspelt type name",
            files: vec![("widgets.yaml", group_with("{status: 200, type: Widget}", "{status: 200, type: Widgett}"))],
            expect: vec!["widgets.yaml:14: unknown type `Widgett`; did you mean `Widget`?"],
        },
        Exact {
            name: "unknown type name with nothing close",
            files: vec![("widgets.yaml", group_with("{status: 200, type: Widget}", "{status: 200, type: Sprocket}"))],
            expect: vec!["widgets.yaml:14: unknown type `Sprocket`", "widgets.yaml:20: type `Widget` is not used by any operation"],
        },
        Exact {
            name: "misspelt replaced_by",
            files: vec![("widgets.yaml", group_with("    method: GET\n", "    method: GET\n    deprecated: true\n    replaced_by: show_widgt\n"))],
            expect: vec!["widgets.yaml:9: operation `show_widget`: replaced_by names no operation `show_widgt`; did you mean `show_widget`?"],
        },
        Exact {
            name: "misspelt job_status operation",
            files: vec![
                (
                    "service.yaml",
                    format!("{SERVICE}job_status: {{operation: show_widgt, id_param: widget_id, status_field: state, succeeded: [ready], failed: []}}\n"),
                ),
                ("widgets.yaml", GROUP.to_string()),
            ],
            expect: vec!["service.yaml:6: job_status: no operation `show_widgt`; did you mean `show_widget`?"],
        },
        Exact {
            name: "fake hints naming what does not exist",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: idd\n      \
                         read: {{operation: show_widget, id_param: widget}}\n      \
                         status: {{field: state, creating: creating, ready: done}}\n      \
                         delete: {{operation: delete_widget, id_param: widget_id}}\n      \
                         not_found: {{status: 404, code: DEMO.0404, message: Gone.}}\n"
                    ),
                ),
                ("widgets.yaml", GROUP.to_string()),
            ],
            expect: vec![
                "service.yaml:9: fake: the resource `widget` has no field `idd`; did you mean `id`?",
                "service.yaml:10: fake: `show_widget` has no path parameter `widget`",
                "service.yaml:11: fake: `done` is not a value of `WidgetState`",
                "service.yaml:12: fake: no operation `delete_widget`",
            ],
        },
        Exact {
            name: "a fake's not-found answer differs from its documented code",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}error_codes:\n  - {{code: DEMO.0404, status: 404, message: Gone.}}\n\
                         fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         read: {{operation: show_widget, id_param: widget_id}}\n      \
                         not_found:\n        status: 400\n        code: DEMO.0404\n        message: Missing.\n"
                    ),
                ),
                ("widgets.yaml", GROUP.to_string()),
            ],
            expect: vec![
                "service.yaml:14: fake: `DEMO.0404` is documented with status 404, not 400",
                "service.yaml:16: fake: the documented message of `DEMO.0404` is \"Gone.\"",
            ],
        },
        Exact {
            name: "a fake resource with neither read nor list",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         not_found: {{status: 404, message: Gone.}}\n"
                    ),
                ),
                ("widgets.yaml", GROUP.to_string()),
            ],
            expect: vec![
                "service.yaml:8: fake: the resource `widget` needs `read`, `list` or `within`: their documented answer is the template of the resources the fake makes",
            ],
        },
        Exact {
            name: "a fake create's set naming a field badly",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         read: {{operation: show_widget, id_param: widget_id}}\n      \
                         create:\n        operation: make_widget\n        \
                         set: {{stat: ready, state: gone, count: \"3\"}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n"
                    ),
                ),
                (
                    "widgets.yaml",
                    group_with(
                        "      - {name: state, type: string, enum: [ready, creating]}\n",
                        "      - {name: state, type: string, enum: [ready, creating]}\n      - {name: count, type: integer}\n",
                    ),
                ),
                (
                    "made.yaml",
                    "group: made\ntitle: Made\noperations:\n  - id: make_widget\n    section: \"1.2\"\n    \
                     summary: Making a Widget\n    method: POST\n    path: /v3/{project_id}/widgets\n    \
                     parameters:\n      - {name: project_id, in: path, type: string, required: true}\n    \
                     body: {type: MakeWidgetRequest}\n    responses:\n      - {status: 200, type: MakeWidgetRequest}\n\
                     types:\n  - name: MakeWidgetRequest\n    fields:\n      - {name: name, type: string}\n"
                        .to_string(),
                ),
            ],
            expect: vec![
                "service.yaml:13: fake: `gone` is not a value of `WidgetState`",
                "service.yaml:13: fake: `set` gives text, and `count` of the resource does not hold text",
                "service.yaml:13: fake: the resource has no field `stat`; did you mean `state`?",
            ],
        },
        Exact {
            name: "fake resources shown within a parent",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         read: {{operation: show_widget, id_param: widget_id}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n    \
                         - name: part_a\n      id_field: id\n      parent: widget_id\n      \
                         within: {{resource: widgt, at: parts}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n    \
                         - name: part_b\n      id_field: id\n      \
                         within: {{resource: widget, at: state}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n    \
                         - name: part_c\n      id_field: id\n      parent: widget_id\n      \
                         within: {{resource: widget, at: parts, template: {{kind: huge}}}}\n      \
                         fresh: [nam]\n      \
                         create: {{operation: add_parts, id_at: count, each: {{item: note, to: kind}}, answer: {{count: name}}}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n"
                    ),
                ),
                (
                    "widgets.yaml",
                    group_with(
                        "      - {name: state, type: string, enum: [ready, creating]}\n",
                        "      - {name: state, type: string, enum: [ready, creating]}\n      - {name: parts, type: array<Part>}\n",
                    ),
                ),
                (
                    "parts.yaml",
                    "group: parts\ntitle: Parts\noperations:\n  - id: add_parts\n    section: \"1.2\"\n    \
                     summary: Adding Parts\n    method: POST\n    path: /v3/{project_id}/widgets/{widget_id}/parts\n    \
                     parameters:\n      - {name: project_id, in: path, type: string, required: true}\n      \
                     - {name: widget_id, in: path, type: string, required: true}\n    \
                     body: {type: AddPartsRequest}\n    responses:\n      - {status: 200, type: AddPartsResponse}\n\
                     types:\n  - name: Part\n    fields:\n      - {name: id, type: string}\n      \
                     - {name: name, type: string}\n      - {name: kind, type: PartKind}\n  \
                     - {name: PartKind, enum: [small, big]}\n  - name: AddPartsRequest\n    fields:\n      \
                     - {name: note, type: string}\n  - name: AddPartsResponse\n    fields:\n      \
                     - {name: count, type: integer}\n"
                        .to_string(),
                ),
            ],
            expect: vec![
                "service.yaml:15: fake: `within` names no resource `widgt` declared before `part_a`; did you mean `widget`?",
                "service.yaml:19: fake: `state` of the resource `widget` is not an array of objects, so it cannot show `part_b` resources",
                "service.yaml:19: fake: the resource `part_b` is shown within `widget` and needs `parent`, the path parameter that names its `widget`",
                "service.yaml:24: fake: `huge` is not a value of `PartKind`",
                "service.yaml:25: fake: the resource `part_c` has no field `nam`; did you mean `name`?",
                "service.yaml:26: fake: `count` of the answer of `add_parts` is not an array: a create with `each` shows one value per new resource",
                "service.yaml:26: fake: `note` of the request of `add_parts` is not an array",
                "service.yaml:26: fake: a create with `each` makes several resources; show their fields with `answer`, not `id_at`",
            ],
        },
        Exact {
            name: "a fake parent's count and its children's numbered names",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         read: {{operation: show_widget, id_param: widget_id}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n    \
                         - name: part_a\n      id_field: id\n      parent: widget_id\n      \
                         within: {{resource: widget, at: parts, count: state, numbered: {{field: kind, pattern: \"{{nam}}_part\"}}}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n    \
                         - name: part_b\n      id_field: id\n      parent: widget_id\n      fresh: [name]\n      \
                         within: {{resource: widget, at: parts, count: size, numbered: {{field: name, pattern: \"{{id}}-{{nn}}-{{nn}}\"}}}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n"
                    ),
                ),
                (
                    "widgets.yaml",
                    group_with(
                        "      - {name: state, type: string, enum: [ready, creating]}\n",
                        "      - {name: state, type: string, enum: [ready, creating]}\n      - {name: parts, type: array<Part>}\n  \
                         - name: Part\n    fields:\n      - {name: id, type: string}\n      - {name: name, type: string}\n      \
                         - {name: kind, type: string, enum: [small, big]}\n",
                    ),
                ),
            ],
            expect: vec![
                "service.yaml:15: fake: `kind` of the resource `part_a` is `PartKind`, not text",
                "service.yaml:15: fake: `state` of the resource `widget` is `WidgetState`, not a count (`integer` or `long`)",
                "service.yaml:15: fake: the pattern `{nam}_part` needs the number `{nn}` once, which keeps the names of one parent's children distinct",
                "service.yaml:15: fake: the resource `widget` has no field `nam`",
                "service.yaml:21: fake: `name` is both `fresh` and `numbered`; keep one",
                "service.yaml:21: fake: the pattern `{id}-{nn}-{nn}` needs the number `{nn}` once, which keeps the names of one parent's children distinct",
                "service.yaml:21: fake: the resource `widget` has no field `size`",
            ],
        },
        Exact {
            name: "a fake update naming its resources in items of a request array",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n    - name: widget\n      id_field: id\n      \
                         read: {{operation: show_widget, id_param: widget_id}}\n      update:\n        \
                         - {{operation: rename_widgets, id_param: widget_id, items_at: widget_list, id_in_item: widget_id}}\n        \
                         - {{operation: rename_widgets, items_at: widget_list}}\n        \
                         - {{operation: rename_widgets, items_at: flat, id_in_item: widget_id}}\n        \
                         - {{operation: rename_widgets, items_at: widget_list, id_in_item: size}}\n        \
                         - {{operation: rename_widgets, items_at: widget_list, id_in_item: widget_id, copy: {{nam: state}}}}\n        \
                         - {{operation: rename_widgets, items_at: widget_list, id_in_item: widget_id, copy: {{name: state}}}}\n      \
                         not_found: {{status: 404, message: Gone.}}\n"
                    ),
                ),
                ("widgets.yaml", GROUP.to_string()),
                (
                    "names.yaml",
                    "group: names\ntitle: Names\noperations:\n  - id: rename_widgets\n    section: \"1.2\"\n    \
                     summary: Renaming Widgets\n    method: PUT\n    path: /v3/{project_id}/widgets/names\n    \
                     parameters:\n      - {name: project_id, in: path, type: string, required: true}\n    \
                     body: {type: RenameWidgetsRequest}\n    responses:\n      - {status: 204}\n\
                     types:\n  - name: RenameWidgetsRequest\n    fields:\n      - {name: widget_list, type: array<WidgetName>}\n      \
                     - {name: flat, type: array<string>}\n  - name: WidgetName\n    fields:\n      \
                     - {name: widget_id, type: string}\n      - {name: name, type: string}\n      - {name: size, type: integer}\n"
                        .to_string(),
                ),
            ],
            expect: vec![
                "service.yaml:12: fake: the update `rename_widgets` needs either `id_param` (the path parameter naming the resource) or `items_at` and `id_in_item` (the request array whose items name the resources, and the item's id field)",
                "service.yaml:13: fake: the update `rename_widgets` needs either `id_param` (the path parameter naming the resource) or `items_at` and `id_in_item` (the request array whose items name the resources, and the item's id field)",
                "service.yaml:14: fake: `flat` of the request of `rename_widgets` is not an array of objects",
                "service.yaml:15: fake: `size` of an item of `widget_list` is `integer`, not an id (`string`)",
                "service.yaml:16: fake: an item of `widget_list` has no field `nam`; did you mean `name`?",
            ],
        },
        Exact {
            name: "a fake delete naming its ids both ways, neither way, or in a field that is not a list of ids",
            files: vec![
                (
                    "service.yaml",
                    format!(
                        "{SERVICE}fake:\n  resources:\n{}{}{}{}{}",
                        widgets_deleted_by("w1", "{operation: delete_widgets, id_param: widget_id, ids_at: widget_ids}"),
                        widgets_deleted_by("w2", "{operation: delete_widgets}"),
                        widgets_deleted_by("w3", "{operation: delete_widgets, ids_at: count}"),
                        widgets_deleted_by("w4", "{operation: delete_widgets, ids_at: widget_idz}"),
                        widgets_deleted_by("w5", "{operation: show_widget, id_param: widget_id, ambiguous: {status: 400, message: Which?}}"),
                    ),
                ),
                ("widgets.yaml", group_with("types:\n", &format!("{}types:\n", delete_operation())) + DELETE_TYPE),
            ],
            expect: vec![
                "service.yaml:11: fake: the delete `delete_widgets` needs exactly one of `id_param` (the path parameter naming the resource) and `ids_at` (the field of the request body listing the ids)",
                "service.yaml:16: fake: the delete `delete_widgets` needs exactly one of `id_param` (the path parameter naming the resource) and `ids_at` (the field of the request body listing the ids)",
                "service.yaml:21: fake: `count` of the request of `delete_widgets` is `integer`, not a list of ids (`array<string>`)",
                "service.yaml:26: fake: the request of `delete_widgets` has no field `widget_idz`; did you mean `widget_ids`?",
                "service.yaml:31: fake: `ambiguous` answers a delete that names no id in `ids_at`; drop it with `id_param`",
            ],
        },
        // One mistake, one error: nothing that only follows from it.
        Exact {
            name: "undeclared path parameter, and the types its operation uses",
            files: vec![("widgets.yaml", group_with("      - {name: widget_id, in: path, type: string, required: true}\n", ""))],
            expect: vec!["widgets.yaml:8: operation `show_widget`: path parameter `{widget_id}` is not declared in `parameters`"],
        },
        Exact {
            name: "path parameter declared in the query",
            files: vec![("widgets.yaml", group_with("{name: widget_id, in: path, type: string, required: true}", "{name: widget_id, in: query, type: string}"))],
            expect: vec!["widgets.yaml:11: operation `show_widget`: parameter `widget_id` is in the path (`{widget_id}`) but declared with `in: query`; use `in: path`"],
        },
        Exact {
            name: "replaced_by and job_status naming an operation that does not build",
            files: vec![
                (
                    "service.yaml",
                    format!("{SERVICE}job_status: {{operation: show_widget, id_param: widget_id, status_field: state, succeeded: [ready], failed: []}}\n"),
                ),
                ("widgets.yaml", group_with("    method: GET", "    method: FETCH")),
                (
                    "old.yaml",
                    "group: old\ntitle: Old\ntypes:\n  - name: Gadget\n    fields: []\n".to_string()
                        + "operations:\n  - id: old_widget\n    section: \"1.2\"\n    summary: Old\n    method: GET\n    path: /v2/widgets\n    deprecated: true\n    replaced_by: show_widget\n    responses:\n      - {status: 200, type: Gadget}\n",
                ),
            ],
            expect: vec!["widgets.yaml:7: operation `show_widget`: method `FETCH` is not one of GET, POST, PUT, DELETE, PATCH, HEAD"],
        },
        // Two operations on one route: the mock would answer one of them for both.
        Exact {
            name: "a copied operation with a new id",
            files: vec![("widgets.yaml", group_with("types:\n", &format!("{}types:\n", second_operation("{widget_id}"))))],
            expect: vec!["widgets.yaml:19: operation `get_widget` (widgets.yaml:19) has the same route as `show_widget` (widgets.yaml:4): GET /v3/{project_id}/widgets/{widget_id} and GET /v3/{project_id}/widgets/{widget_id}"],
        },
        // The mock routes by whole segments: `{widget_id}.json` would be literal text there.
        Exact {
            name: "a parameter that is part of a segment",
            files: vec![("widgets.yaml", group_with("/widgets/{widget_id}\n", "/widgets/{widget_id}.json\n"))],
            expect: vec!["widgets.yaml:8: operation `show_widget`: path `/v3/{project_id}/widgets/{widget_id}.json`: `{widget_id}.json` is not a parameter; a parameter is a whole segment, `/{name}/`"],
        },
        Exact {
            name: "two parameters in one segment",
            files: vec![("widgets.yaml", group_with("/widgets/{widget_id}\n", "/widgets/{widget_id}{project_id}\n"))],
            expect: vec!["widgets.yaml:8: operation `show_widget`: path `/v3/{project_id}/widgets/{widget_id}{project_id}`: `{widget_id}{project_id}` is not a parameter; a parameter is a whole segment, `/{name}/`"],
        },
        Exact {
            name: "paths that differ only in parameter names",
            files: vec![("widgets.yaml", group_with("types:\n", &format!("{}types:\n", second_operation("{id}"))))],
            expect: vec!["widgets.yaml:19: operation `get_widget` (widgets.yaml:19) has the same route as `show_widget` (widgets.yaml:4): GET /v3/{project_id}/widgets/{id} and GET /v3/{project_id}/widgets/{widget_id}"],
        },
    ]
}

#[test]
fn each_broken_spec_gets_exactly_its_errors() {
    let mut failures = Vec::new();
    for case in exact_cases() {
        let root = write_spec(&case.files);
        let folder = format!("{}/", root.join("demo").display());
        let got: Vec<String> = match codegen::load(&root) {
            Ok(_) => vec!["(accepted)".to_string()],
            Err(diags) => diags
                .0
                .iter()
                .map(|d| d.to_string().replace(&folder, ""))
                .collect(),
        };
        if got != case.expect {
            failures.push(format!(
                "{}:\n  expected:\n    {}\n  got:\n    {}",
                case.name,
                case.expect.join("\n    "),
                got.join("\n    ")
            ));
        }
        let _ = fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

/// Writes a spec folder for one case; an empty service.yaml in `files` means "no service.yaml".
fn write_spec(files: &[(&str, String)]) -> PathBuf {
    let n = NEXT_DIR.fetch_add(1, Ordering::SeqCst);
    let root = std::env::temp_dir().join(format!("validator-errors-{}-{n}", std::process::id()));
    let dir = root.join("demo");
    let _ = fs::remove_dir_all(&root);
    fs::create_dir_all(&dir).expect("create temp spec folder");
    let replaces_service = files.iter().any(|(name, _)| *name == "service.yaml");
    if !replaces_service {
        fs::write(dir.join("service.yaml"), SERVICE).expect("write service.yaml");
    }
    for (name, text) in files {
        if !text.is_empty() {
            fs::write(dir.join(name), text).expect("write spec file");
        }
    }
    root
}

#[test]
fn the_base_spec_is_valid() {
    let root = write_spec(&[("widgets.yaml", GROUP.to_string())]);
    let result = codegen::load(&root);
    assert!(
        result.is_ok(),
        "base spec should be valid: {}",
        result.err().map(|d| d.to_string()).unwrap_or_default()
    );
}

#[test]
fn each_broken_spec_gets_a_located_error() {
    let cases = cases();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for case in &cases {
        let root = write_spec(&case.files);
        let (file, line, message) = case.expect;
        let expected_file = root.join("demo").join(file);
        match codegen::load(&root) {
            Ok(_) => failures.push(format!("{}: accepted", case.name)),
            Err(diags) => {
                let found = diags.0.iter().any(|d| {
                    d.file == expected_file && d.line == line && d.message.contains(message)
                });
                // The rendered form is what users read: `path:line: message`.
                let rendered = diags
                    .to_string()
                    .contains(&format!("{}:{line}: ", expected_file.display()));
                if !found || !rendered {
                    failures.push(format!(
                        "{}: expected {file}:{line}: ...{message}..., got:\n{diags}",
                        case.name
                    ));
                }
            }
        }
        let _ = fs::remove_dir_all(&root);
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn several_errors_are_reported_at_once() {
    let broken = group_with("method: GET", "method: FETCH").replace("type: integer}", "type: int}");
    let root = write_spec(&[("widgets.yaml", broken)]);
    let diags = codegen::load(&root).expect_err("the spec is broken twice");
    assert!(diags.0.len() >= 2, "expected both errors, got: {diags}");
    assert!(diags.to_string().contains("method `FETCH`"));
    assert!(diags.to_string().contains("unknown type `int`"));
    let _ = fs::remove_dir_all(&root);
}
