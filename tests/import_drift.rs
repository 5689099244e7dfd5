//! The document reader, `cargo xtask import` and `cargo xtask drift`, on excerpts of the real
//! documents copied into `tests/fixtures/docs` (the tests never read `../shared`).

use codegen::document::{DocOperation, Document};
use codegen::import::{self, Draft, Existing, Options};
use std::fs;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const TAURUSDB: &str = include_str!("fixtures/docs/taurusdb-excerpt.txt");
const DWS: &str = include_str!("fixtures/docs/dws-excerpt.txt");
const PAGE: &str = include_str!("fixtures/docs/taurusdb-htap-query-instances.txt");
const PAGE_NAME: &str = "taurusdb-htap-query-instances.txt";

fn operations(text: &str, sections: &[&str]) -> (Document, Vec<DocOperation>) {
    let doc = Document::parse(text);
    let ops = doc
        .operations()
        .into_iter()
        .filter(|o| {
            sections.is_empty() || o.number.as_deref().is_some_and(|n| sections.contains(&n))
        })
        .collect();
    (doc, ops)
}

fn drafted(
    service: &str,
    text: &str,
    sections: &[&str],
    page: Option<&str>,
) -> (Vec<DocOperation>, Draft) {
    let (doc, ops) = operations(text, sections);
    let options = Options::for_document(service, &doc, page.map(str::to_string));
    let draft = import::draft(&ops, &Existing::default(), &options);
    (ops, draft)
}

/// A fresh spec folder holding one service with the draft as its only group.
fn spec_with(service: &str, draft: &Draft) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "import-drift-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let dir = root.join(service);
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("service.yaml"),
        format!("service: {service}\ntitle: T\ndocument: excerpt\napi_versions: [v3]\nendpoint_service: x\n"),
    )
    .unwrap();
    fs::write(
        dir.join("excerpt.yaml"),
        import::group_file_text(None, "excerpt", "Excerpt", draft),
    )
    .unwrap();
    root
}

#[test]
fn every_section_of_the_excerpts_is_read() {
    let numbers = |text: &str| -> Vec<String> {
        Document::parse(text)
            .operations()
            .into_iter()
            .filter_map(|o| o.number)
            .collect()
    };
    assert_eq!(
        numbers(TAURUSDB),
        ["4.4.1", "4.4.2", "4.7.18", "4.7.21", "4.15.12"]
    );
    assert_eq!(
        numbers(DWS),
        ["5.2.21", "5.2.22", "5.2.23", "5.2.24", "5.2.25"]
    );
    let page = Document::parse(PAGE).operations();
    assert_eq!(page.len(), 1);
    assert_eq!(
        page[0].path.as_deref(),
        Some("/v3/{project_id}/instances/{instance_id}/htap")
    );
    // 4.7.18's URI line is split across two lines.
    let (_, ops) = operations(TAURUSDB, &["4.7.18"]);
    assert_eq!(
        ops[0].path.as_deref(),
        Some(
            "/v3/{project_id}/instances/{instance_id}/proxy/{proxy_id}/{engine_name}/proxy-version"
        )
    );
}

#[test]
fn drafts_match_their_snapshots() {
    for (name, service, text, page) in [
        ("taurusdb_excerpt", "taurusdb", TAURUSDB, None),
        ("dws_excerpt", "dws", DWS, None),
        ("htap_page", "taurusdb", PAGE, Some(PAGE_NAME)),
    ] {
        let (_, draft) = drafted(service, text, &[], page);
        let file = import::group_file_text(None, "excerpt", "Excerpt", &draft);
        insta::assert_snapshot!(name, format!("{}\n---\n{file}", draft.report));
    }
}

#[test]
fn what_the_reader_finds_in_the_excerpts() {
    let (ops, draft) = drafted("taurusdb", TAURUSDB, &["4.4.1", "4.7.21"], None);
    // A nested table as the request body's field, with its rules read from the prose.
    let body = ops[0].body.as_ref().unwrap();
    assert_eq!(body.fields[0].name, "backup_policy");
    let text = &draft.types;
    assert!(text.contains("- name: MysqlBackupPolicy"), "{text}");
    assert!(
        text.contains("minimum: 1\n") && text.contains("maximum: 732\n"),
        "{text}"
    );
    // An enum and a default in prose.
    assert!(
        draft.operations.contains("enum: [en-us, zh-cn]"),
        "{}",
        draft.operations
    );
    assert!(
        draft.operations.contains("default: en-us"),
        "{}",
        draft.operations
    );
    // Two example requests and two example responses for one status.
    assert_eq!(ops[1].request_examples.len(), 2);
    assert_eq!(ops[1].response_examples.len(), 2);
    assert!(
        draft.operations.contains("name: status_200_2"),
        "{}",
        draft.operations
    );
    // The IAM actions table is read.
    let (_, draft) = drafted("taurusdb", TAURUSDB, &["4.4.2"], None);
    assert!(
        draft
            .operations
            .contains("iam_action: gaussdb:backup:create"),
        "{}",
        draft.operations
    );
}

#[test]
fn a_broken_example_is_repaired_or_reported() {
    // 5.2.24's example response lost its opening brace.
    let (ops, draft) = drafted("dws", DWS, &["5.2.24"], None);
    let unread = ops[0]
        .response_examples
        .iter()
        .filter(|e| e.body.is_err())
        .count()
        + ops[0]
            .request_examples
            .iter()
            .filter(|e| e.body.is_err())
            .count();
    assert_eq!(unread, draft.report.examples_unread);
    assert!(
        draft
            .report
            .hand_work
            .iter()
            .any(|h| h.contains("could not be read as JSON"))
            || draft.report.examples_unread == 0,
        "{:?}",
        draft.report.hand_work
    );
}

#[test]
fn imported_sections_validate_and_show_no_drift() {
    for (service, text, sections, page) in [
        ("dws", DWS, vec!["5.2.21", "5.2.22", "5.2.25"], None),
        ("taurusdb", TAURUSDB, vec!["4.4.1", "4.4.2", "4.7.21"], None),
        ("taurusdb", PAGE, vec![], Some(PAGE_NAME)),
    ] {
        let (ops, draft) = drafted(service, text, &sections, page);
        let root = spec_with(service, &draft);
        let api =
            codegen::load(&root).unwrap_or_else(|e| panic!("{sections:?} does not validate:\n{e}"));
        let items = codegen::drift::compare(&api.services[0], &ops, page);
        assert!(items.is_empty(), "{sections:?}: {items:#?}");
        fs::remove_dir_all(root).ok();
    }
}

#[test]
fn the_two_issues_of_the_htap_page_differ_where_the_page_drops_listed_values() {
    // The spec drafted from the newer web page, compared with the reference's 4.15.12. Both list
    // the same fields (the reference splits one name, `wait_restart_f or_params`); the page drops
    // the values of X-Language and of QueryAction.status, and drift reports exactly that.
    let (_, draft) = drafted("taurusdb", PAGE, &[], Some(PAGE_NAME));
    let root = spec_with("taurusdb", &draft);
    let api = codegen::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let service = &api.services[0];
    let (_, older) = operations(TAURUSDB, &["4.15.12"]);
    let items =
        codegen::drift::compare_operation(service, &service.operations[0], &older[0], "4.15.12");
    let keys: Vec<String> = items.iter().map(|i| i.key()).collect();
    assert_eq!(
        keys,
        [
            "enum header.X-Language",
            "enum response.200.instances[].current_actions[].status"
        ],
        "{items:#?}"
    );
    fs::remove_dir_all(root).ok();
}

#[test]
fn deliberate_differences_are_explained() {
    let (ops, mut draft) = drafted("dws", DWS, &["5.2.21"], None);
    // Say on purpose that a parameter the document lists is not in the spec.
    draft.operations = draft.operations.replacen(
        "    method: POST\n",
        "    method: POST\n    deliberate: [status response.503, status response.777]\n",
        1,
    );
    draft.operations =
        draft
            .operations
            .replacen("      - status: 503\n", "      - status: 599\n", 1);
    let root = spec_with("dws", &draft);
    let api = codegen::load(&root).unwrap_or_else(|e| panic!("{e}"));
    let items = codegen::drift::compare(&api.services[0], &ops, None);
    let explained: Vec<_> = items
        .iter()
        .filter(|i| i.explained)
        .map(|i| i.key())
        .collect();
    let unexplained: Vec<_> = items
        .iter()
        .filter(|i| !i.explained)
        .map(|i| i.key())
        .collect();
    assert_eq!(explained, ["status response.503"]);
    assert_eq!(unexplained, ["status response.599"]);
    // An entry that matches no difference is reported as stale.
    let stale = codegen::drift::stale_deliberate(&api.services[0], &ops, None, &items);
    assert_eq!(stale.len(), 1, "{stale:?}");
    assert!(stale[0].ends_with("`status response.777`"), "{stale:?}");
    fs::remove_dir_all(root).ok();
}

#[test]
fn nothing_panics_on_cut_or_shuffled_documents() {
    for text in [TAURUSDB, DWS, PAGE] {
        let lines: Vec<&str> = text.lines().collect();
        // Every prefix cut at a line, every 7th line dropped, and the lines in a scrambled order.
        for cut in (0..lines.len()).step_by(9) {
            let cut_text = lines[..cut].join("\n");
            let dropped: String = lines
                .iter()
                .enumerate()
                .filter(|(i, _)| (i + cut) % 7 != 0)
                .map(|(_, l)| *l)
                .collect::<Vec<_>>()
                .join("\n");
            for t in [cut_text, dropped] {
                let doc = Document::parse(&t);
                let ops = doc.operations();
                let options = Options::for_document("dws", &doc, None);
                let _ = import::draft(&ops, &Existing::default(), &options);
            }
        }
        let mut shuffled = lines.clone();
        let n = shuffled.len();
        for i in 0..n {
            shuffled.swap(i, (i * 7919 + 13) % n);
        }
        let doc = Document::parse(&shuffled.join("\n"));
        let _ = import::draft(
            &doc.operations(),
            &Existing::default(),
            &Options::for_document("dws", &doc, None),
        );
        // Cut in the middle of a multi-byte character too.
        let bytes = text.as_bytes();
        let half = String::from_utf8_lossy(&bytes[..bytes.len() / 2 + 1]);
        let _ = Document::parse(&half).operations();
    }
}
