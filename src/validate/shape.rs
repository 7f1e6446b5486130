//! Stage 1 and 2 of loading: JSON syntax, then the shape of every element.
//!
//! A well-formed file is parsed once, straight into the typed structs (the
//! fast path). Otherwise the text is parsed into a `serde_json::Value`, the
//! top level is walked key by key and every list element is deserialized on
//! its own, so that each bad element gets its own `E-SHAPE` with its path.

use super::changes::ChangesOrigins;
use super::checks::Origins;
use super::{codes, Diagnostic, Sink};
use crate::scenario::{Changes, Roster, Scenario, CHANGES_FORMAT, ROSTER_FORMAT, SCENARIO_FORMAT};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Result of the one-pass typed parse.
enum Fast<T> {
    Ok(T),
    /// Malformed JSON: nothing more can be learnt.
    Syntax(Diagnostic),
    /// Well-formed JSON of the wrong shape: `(path, message)` of the first problem.
    Shape(String, String),
}

fn fast<T: DeserializeOwned>(text: &str) -> Fast<T> {
    // A file that parses needs no paths: only a failure is parsed again
    // with them (tracking paths slowed loading a games scenario by half).
    if let Ok(v) = serde_json::from_str::<T>(text) {
        return Fast::Ok(v);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => match de.end() {
            Ok(()) => Fast::Ok(v),
            Err(e) => Fast::Syntax(json_error(&e)),
        },
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                Fast::Syntax(json_error(&inner))
            } else {
                Fast::Shape(join_path("", &path), strip_position(&inner.to_string()))
            }
        }
    }
}

/// The `E-JSON` diagnostic for a syntax error.
pub(crate) fn json_error(e: &serde_json::Error) -> Diagnostic {
    let hint = if e.is_eof() {
        "the file ends too early: a closing `]` or `}` or a value may be missing"
    } else {
        "fix the JSON syntax at that place (a missing comma, quote or bracket is common; JSON allows no comments or trailing commas)"
    };
    Diagnostic::error(
        codes::JSON,
        "",
        format!(
            "malformed JSON at line {}, column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ),
    )
    .with_hint(hint)
}

/// serde_json appends " at line L column C"; the path says where instead.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Joins a prefix such as `shifts[3]` and a serde path such as
/// `quotas[0].level` (`.` meaning the element itself).
pub(crate) fn join_path(prefix: &str, inner: &str) -> String {
    let inner = if inner == "." { "" } else { inner };
    if prefix.is_empty() {
        inner.to_string()
    } else if inner.is_empty() {
        prefix.to_string()
    } else if inner.starts_with('[') {
        format!("{prefix}{inner}")
    } else {
        format!("{prefix}.{inner}")
    }
}

/// Edit distance, for "did you mean" hints on short field names.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest of `candidates` to `word`, if it is close enough to be a typo.
fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

/// A hint for a serde shape error message.
fn shape_hint(message: &str) -> String {
    if message.starts_with("unknown field") {
        // "unknown field `quotass`, expected one of `id`, `venue`, …"
        let words: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
        if let Some((word, candidates)) = words.split_first() {
            if let Some(best) = closest(word, candidates.iter().copied()) {
                return format!("did you mean `{best}`?");
            }
        }
        "remove the field or fix its spelling; the allowed fields are listed".into()
    } else if message.starts_with("missing field") {
        "add the field; docs/format.md lists the required ones".into()
    } else if message.starts_with("invalid type") || message.starts_with("invalid value") {
        "use the JSON type the format asks for (whole numbers for counts and minutes, strings for ids and times)".into()
    } else {
        String::new()
    }
}

fn shape_error(sink: &mut Sink, path: String, message: String) {
    let hint = shape_hint(&message);
    sink.error(codes::SHAPE, path, message, hint);
}

/// Deserializes one value, reporting a mismatch under `prefix`.
pub(crate) fn de<T: DeserializeOwned>(value: Value, prefix: &str, sink: &mut Sink) -> Option<T> {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(v) => Some(v),
        Err(e) => {
            let path = join_path(prefix, &e.path().to_string());
            let message = strip_position(&e.into_inner().to_string());
            shape_error(sink, path, message);
            None
        }
    }
}

/// Most unknown fields dropped from one element before giving up on it.
const MAX_DROPPED_FIELDS: usize = 16;

/// Deserializes one list element. Each unknown field is reported, then
/// dropped and the element retried, so that an element with a misspelt
/// field still gets its semantic checks. Any other mismatch (wrong type,
/// missing field) is reported and the element skipped.
fn de_lenient<T: DeserializeOwned>(value: &mut Value, prefix: &str, sink: &mut Sink) -> Option<T> {
    for _ in 0..=MAX_DROPPED_FIELDS {
        let err = match serde_path_to_error::deserialize::<_, T>(&*value) {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        let segments: Vec<serde_path_to_error::Segment> = err.path().iter().cloned().collect();
        let path = join_path(prefix, &err.path().to_string());
        let message = strip_position(&err.into_inner().to_string());
        let unknown = message.starts_with("unknown field");
        shape_error(sink, path, message);
        if !unknown || !remove_at(value, &segments) {
            return None;
        }
    }
    None
}

/// Removes the object key that `segments` ends with; false if there is none.
fn remove_at(value: &mut Value, segments: &[serde_path_to_error::Segment]) -> bool {
    use serde_path_to_error::Segment;
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut cur = value;
    for seg in parents {
        let next = match (seg, cur) {
            (Segment::Seq { index }, Value::Array(a)) => a.get_mut(*index),
            (Segment::Map { key }, Value::Object(m)) => m.get_mut(key),
            _ => None,
        };
        match next {
            Some(v) => cur = v,
            None => return false,
        }
    }
    match (last, cur) {
        (Segment::Map { key }, Value::Object(m)) => m.shift_remove(key).is_some(),
        _ => false,
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A list deserialized element by element.
pub(crate) struct List<T> {
    pub items: Vec<T>,
    /// Position in the file of each item.
    pub index: Vec<usize>,
    /// `id` strings of elements that failed to deserialize (so references
    /// to them are not reported as unknown too).
    pub failed_ids: Vec<String>,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            items: Vec::new(),
            index: Vec::new(),
            failed_ids: Vec::new(),
        }
    }
}

pub(crate) fn list<T: DeserializeOwned>(value: Value, key: &str, sink: &mut Sink) -> List<T> {
    let mut out = List::default();
    let array = match value {
        Value::Array(a) => a,
        other => {
            sink.error(
                codes::SHAPE,
                key,
                format!("`{key}` must be an array, not {}", json_type(&other)),
                "write a JSON list: [ … ]",
            );
            return out;
        }
    };
    out.items.reserve(array.len());
    out.index.reserve(array.len());
    for (i, mut element) in array.into_iter().enumerate() {
        let prefix = format!("{key}[{i}]");
        match de_lenient::<T>(&mut element, &prefix, sink) {
            Some(item) => {
                out.items.push(item);
                out.index.push(i);
            }
            None => out
                .failed_ids
                .extend(element.get("id").and_then(Value::as_str).map(str::to_owned)),
        }
    }
    out
}

/// The top level as an object, or an `E-SHAPE`.
fn object(value: Value, what: &str, sink: &mut Sink) -> Option<Map<String, Value>> {
    match value {
        Value::Object(m) => Some(m),
        other => {
            sink.error(
                codes::SHAPE,
                "",
                format!(
                    "the top level of a {what} must be a JSON object, not {}",
                    json_type(&other)
                ),
                "start the file with { \"format\": … }",
            );
            None
        }
    }
}

fn unknown_key(key: &str, known: &[&str], sink: &mut Sink) {
    let list = known
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let hint = match closest(key, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => "remove the field or fix its spelling".into(),
    };
    sink.error(
        codes::SHAPE,
        key,
        format!("unknown field `{key}`, expected one of {list}"),
        hint,
    );
}

/// The `format` tag: a string, or an `E-FORMAT` (then the expected tag is
/// filled in so that the semantic check does not report it again).
fn format_tag(value: Option<Value>, expected: &str, sink: &mut Sink) -> String {
    let hint = format!("the first field must be \"format\": \"{expected}\"");
    match value {
        Some(Value::String(s)) => return s,
        Some(other) => sink.error(
            codes::FORMAT,
            "format",
            format!(
                "`format` must be the string \"{expected}\", not {}",
                json_type(&other)
            ),
            hint,
        ),
        None => sink.error(
            codes::FORMAT,
            "format",
            format!("missing `format`; expected \"{expected}\""),
            hint,
        ),
    }
    expected.to_string()
}

/// Slow path: parses to a `Value` (syntax errors end here) and hands the
/// top-level object to `walk`. If `walk` finds nothing although the typed
/// parse failed (e.g. a key given twice), the typed parse's error is kept.
fn slow<T>(
    text: &str,
    what: &str,
    first: (String, String),
    sink: &mut Sink,
    walk: impl FnOnce(Map<String, Value>, &mut Sink) -> T,
) -> Option<T> {
    let value = match serde_json::from_str::<Value>(text) {
        Ok(v) => v,
        Err(e) => {
            sink.push(json_error(&e));
            return None;
        }
    };
    let before = sink.error_count();
    let map = object(value, what, sink)?;
    let out = walk(map, sink);
    if sink.error_count() == before {
        shape_error(sink, first.0, first.1);
    }
    Some(out)
}

const SCENARIO_KEYS: &[&str] = &[
    "format",
    "name",
    "rules",
    "weights",
    "sites",
    "links",
    "shifts",
    "volunteers",
];

/// Parses a scenario, reporting every shape problem.
pub(crate) fn scenario(text: &str, sink: &mut Sink) -> Option<(Scenario, Origins)> {
    let first = match fast::<Scenario>(text) {
        Fast::Ok(s) => {
            let o = Origins::identity(&s);
            return Some((s, o));
        }
        Fast::Syntax(d) => {
            sink.push(d);
            return None;
        }
        Fast::Shape(path, message) => (path, message),
    };
    slow(text, "scenario", first, sink, |map, sink| {
        let mut sc = Scenario::default();
        let mut o = Origins::default();
        let mut format = None;
        for (key, value) in map {
            match key.as_str() {
                "format" => format = Some(value),
                "name" => sc.name = de(value, "name", sink).unwrap_or_default(),
                "rules" => sc.rules = de(value, "rules", sink).unwrap_or_default(),
                "weights" => sc.weights = de(value, "weights", sink).unwrap_or_default(),
                "sites" => {
                    let l = list(value, "sites", sink);
                    (sc.sites, o.sites, o.failed_site_ids) = (l.items, l.index, l.failed_ids);
                }
                "links" => {
                    let l = list(value, "links", sink);
                    (sc.links, o.links) = (l.items, l.index);
                }
                "shifts" => {
                    let l = list(value, "shifts", sink);
                    (sc.shifts, o.shifts) = (l.items, l.index);
                }
                "volunteers" => {
                    let l = list(value, "volunteers", sink);
                    (sc.volunteers, o.volunteers) = (l.items, l.index);
                }
                _ => unknown_key(&key, SCENARIO_KEYS, sink),
            }
        }
        sc.format = format_tag(format, SCENARIO_FORMAT, sink);
        (sc, o)
    })
}

const CHANGES_KEYS: &[&str] = &[
    "format",
    "now",
    "dropouts",
    "new_volunteers",
    "cancelled_shifts",
    "shift_updates",
    "new_shifts",
];

/// Parses a changes file, reporting every shape problem.
pub(crate) fn changes(text: &str, sink: &mut Sink) -> Option<(Changes, ChangesOrigins)> {
    let first = match fast::<Changes>(text) {
        Fast::Ok(c) => {
            let o = ChangesOrigins::identity(&c);
            return Some((c, o));
        }
        Fast::Syntax(d) => {
            sink.push(d);
            return None;
        }
        Fast::Shape(path, message) => (path, message),
    };
    slow(text, "changes file", first, sink, |map, sink| {
        let mut ch = Changes::default();
        let mut o = ChangesOrigins::default();
        let mut format = None;
        let mut now = None;
        for (key, value) in map {
            match key.as_str() {
                "format" => format = Some(value),
                "now" => now = Some(de::<String>(value, "now", sink)),
                "dropouts" => {
                    let l = list(value, "dropouts", sink);
                    (ch.dropouts, o.dropouts) = (l.items, l.index);
                }
                "new_volunteers" => {
                    let l = list(value, "new_volunteers", sink);
                    (ch.new_volunteers, o.new_volunteers) = (l.items, l.index);
                }
                "cancelled_shifts" => {
                    let l = list(value, "cancelled_shifts", sink);
                    (ch.cancelled_shifts, o.cancelled_shifts) = (l.items, l.index);
                }
                "shift_updates" => {
                    let l = list(value, "shift_updates", sink);
                    (ch.shift_updates, o.shift_updates) = (l.items, l.index);
                }
                "new_shifts" => {
                    let l = list(value, "new_shifts", sink);
                    (ch.new_shifts, o.new_shifts) = (l.items, l.index);
                }
                _ => unknown_key(&key, CHANGES_KEYS, sink),
            }
        }
        ch.format = format_tag(format, CHANGES_FORMAT, sink);
        match now {
            Some(Some(t)) => ch.now = t,
            Some(None) => o.now_reported = true,
            None => {
                o.now_reported = true;
                sink.error(
                    codes::SHAPE,
                    "now",
                    "missing field `now`",
                    "add \"now\": \"YYYY-MM-DDTHH:MM\", the moment the changes are made",
                );
            }
        }
        (ch, o)
    })
}

const ROSTER_KEYS: &[&str] = &[
    "format",
    "scenario",
    "assignments",
    "objective",
    "bound",
    "gap",
    "standby",
];

/// Parses a roster file, reporting every shape problem.
pub(crate) fn roster(text: &str, sink: &mut Sink) -> Option<Roster> {
    let first = match fast::<Roster>(text) {
        Fast::Ok(r) => return Some(r),
        Fast::Syntax(d) => {
            sink.push(d);
            return None;
        }
        Fast::Shape(path, message) => (path, message),
    };
    slow(text, "roster", first, sink, |map, sink| {
        let mut r = Roster::default();
        let mut format = None;
        for (key, value) in map {
            match key.as_str() {
                "format" => format = Some(value),
                "scenario" => r.scenario = de(value, "scenario", sink).unwrap_or_default(),
                "assignments" => match value {
                    Value::Object(entries) => {
                        for (shift, vols) in entries {
                            let path = format!("assignments.{shift}");
                            if let Some(v) = de::<Vec<String>>(vols, &path, sink) {
                                r.assignments.insert(shift, v);
                            }
                        }
                    }
                    other => sink.error(
                        codes::SHAPE,
                        "assignments",
                        format!("`assignments` must be an object, not {}", json_type(&other)),
                        "map each shift id to a list of volunteer ids: { \"S1\": [\"V1\"] }",
                    ),
                },
                "objective" => r.objective = de(value, "objective", sink),
                "bound" => r.bound = de(value, "bound", sink).flatten(),
                "gap" => r.gap = de(value, "gap", sink).flatten(),
                "standby" => r.standby = list(value, "standby", sink).items,
                _ => unknown_key(&key, ROSTER_KEYS, sink),
            }
        }
        r.format = format_tag(format, ROSTER_FORMAT, sink);
        r
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_join() {
        assert_eq!(join_path("shifts[3]", "."), "shifts[3]");
        assert_eq!(
            join_path("shifts[3]", "quotas[0].level"),
            "shifts[3].quotas[0].level"
        );
        assert_eq!(join_path("x", "[1]"), "x[1]");
        assert_eq!(join_path("", "."), "");
    }

    #[test]
    fn typo_hints() {
        assert_eq!(
            closest("quotass", ["id", "quotas", "requires"]),
            Some("quotas")
        );
        assert_eq!(closest("zzzzzz", ["id", "quotas"]), None);
        assert_eq!(
            shape_hint("unknown field `quotass`, expected one of `id`, `quotas`"),
            "did you mean `quotas`?"
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
