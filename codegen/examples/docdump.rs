fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let doc = codegen::document::Document::parse(&text);
    let ops = doc.operations();
    let read: std::collections::BTreeSet<_> = ops.iter().filter_map(|o| o.number.clone()).collect();
    for s in &doc.sections {
        let n = s.number.clone().unwrap_or_default();
        if n.matches('.').count() == 2 && !read.contains(&n) {
            println!("not read: {n} {} (line {})", s.title, s.line);
        }
    }
    if let Some(want) = std::env::args().nth(2) {
        for op in ops.iter().filter(|o| o.number.as_deref() == Some(want.as_str())) {
            println!("{op:#?}");
        }
    }
    println!("unmatched toc: {:?}", doc.unmatched);
}
