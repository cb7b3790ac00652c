fn main() {
    for path in std::env::args().skip(1) {
        let bytes = std::fs::read(&path).unwrap();
        match declass::parse::parse_bytes(&bytes) {
            Ok(doc) => {
                println!("id={:?} created={:?} class={:?} order={:?} decl={:?} reasons={:?} tags={:?} subject={:?} cb={:?}", doc.id, doc.created, doc.classification, doc.order, doc.decl, doc.reasons, doc.tags, doc.subject, doc.classified_by);
                for p in &doc.portions {
                    let t = doc.text(p.span);
                    let first: String = t.chars().take(70).collect::<String>().replace('\n', "⏎");
                    println!("  {:>4}:{:<3} {:<13} {:<5} {:<10} {}", p.position.line, p.position.col, p.kind.name(), p.number.clone().unwrap_or_default(), p.marking.as_ref().map(|m| m.raw.clone()).unwrap_or_default(), first);
                }
                for e in &doc.errors { println!("  ERROR {}: {}", e.position, e.message); }
            }
            Err(e) => println!("{path}: {e}"),
        }
    }
}
