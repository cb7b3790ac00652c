//! `declass fmt`: a stable layout for policy files. Keys are put in a fixed order (name,
//! version and description first; in each rule `id`, `description`, `when`, `outcome`,
//! `labels`, …; conditions in the order the documentation lists them), tables in the order
//! defaults, rules, tests, and the file ends with one newline. Comments stay with the keys
//! they precede, and nothing else of the layout changes, so a formatted file reads as written.

use toml_edit::{DocumentMut, InlineTable, Item, Table, Value};

use super::condition;

const TOP: &[&str] = &["name", "version", "description", "defaults", "rule", "test"];
const DEFAULTS: &[&str] = &[
    "unmarked",
    "unrecognized",
    "no_match",
    "contradiction",
    "parse_error",
    "labels",
    "cite_reasons",
    "event_falls_back_to_25_years",
];
const RULE: &[&str] = &["id", "description", "when", "outcome", "labels", "cite_reasons", "scope"];
const TEST: &[&str] = &["name", "path", "as_of", "outcome", "portions", "document"];
const PORTION: &[&str] = &["kind", "number", "starts_with", "decision", "rules", "labels"];

fn rank(order: &[&str], key: &str) -> usize {
    order.iter().position(|k| *k == key).unwrap_or(order.len())
}

fn sort_table(table: &mut Table, order: &[&str]) {
    table.sort_values_by(|a, _, b, _| {
        rank(order, a.get()).cmp(&rank(order, b.get())).then_with(|| a.get().cmp(b.get()))
    });
}

/// Inline tables hold no comments, so they are rebuilt in order with normal spacing
/// (`{ a = 1, b = 2 }`).
fn sort_inline(table: &mut InlineTable, order: &[&str]) {
    let mut entries: Vec<(String, Value)> = table.iter().map(|(k, v)| (k.to_owned(), v.clone())).collect();
    entries.sort_by(|(a, _), (b, _)| rank(order, a).cmp(&rank(order, b)).then_with(|| a.cmp(b)));
    let mut rebuilt = InlineTable::new();
    for (key, mut value) in entries {
        value.decor_mut().clear();
        rebuilt.insert(&key, value);
    }
    rebuilt.fmt();
    *rebuilt.decor_mut() = table.decor().clone();
    *table = rebuilt;
}

/// Sorts a table's keys, and those of the `when` or `portions` entries inside it.
fn sort_entry(table: &mut Table, order: &[&str], position: &mut isize) {
    sort_table(table, order);
    table.set_position(Some(*position));
    *position += 1;
    for (key, item) in table.iter_mut() {
        match (key.get(), item) {
            ("when", Item::Value(Value::InlineTable(when))) => sort_inline(when, &condition::KEYS),
            ("when", Item::Table(when)) => {
                sort_table(when, &condition::KEYS);
                when.set_position(Some(*position));
                *position += 1;
            }
            ("portions", Item::Value(Value::Array(portions))) => {
                for portion in portions.iter_mut() {
                    if let Value::InlineTable(portion) = portion {
                        sort_inline(portion, PORTION);
                    }
                }
            }
            ("portions", Item::ArrayOfTables(portions)) => {
                for portion in portions.iter_mut() {
                    sort_table(portion, PORTION);
                    portion.set_position(Some(*position));
                    *position += 1;
                }
            }
            _ => {}
        }
    }
}

/// The policy `text` in the stable layout.
///
/// # Errors
/// The TOML error, when the text is not TOML.
///
/// # Examples
/// ```
/// let messy = "version = \"1\"\nname = \"p\"\n[[rule]]\noutcome = \"release\"\nid = \"r\"\nwhen = { lapsed = true, level = [\"C\"] }\n";
/// let tidy = declass::policy::format::format_policy(messy).unwrap();
/// assert_eq!(tidy, "name = \"p\"\nversion = \"1\"\n[[rule]]\nid = \"r\"\nwhen = { level = [\"C\"], lapsed = true }\noutcome = \"release\"\n");
/// assert_eq!(declass::policy::format::format_policy(&tidy).unwrap(), tidy);
/// ```
pub fn format_policy(text: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| e.message().to_owned())?;
    let root = doc.as_table_mut();
    sort_table(root, TOP);
    let mut position: isize = 1;
    if let Some(Item::Table(defaults)) = root.get_mut("defaults") {
        sort_table(defaults, DEFAULTS);
        defaults.set_position(Some(position));
        position += 1;
    }
    for (name, order) in [("rule", RULE), ("test", TEST)] {
        if let Some(Item::ArrayOfTables(entries)) = root.get_mut(name) {
            for entry in entries.iter_mut() {
                sort_entry(entry, order, &mut position);
            }
        }
    }
    let mut out = doc.to_string();
    let trimmed = out.trim_end_matches(['\n', '\r']).len();
    out.truncate(trimmed);
    out.push('\n');
    Ok(out)
}
